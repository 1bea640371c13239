"""What the statements a models source's `create_all` runs (`ddl_objects`) make beyond its
tables, listed as not audited with the reason, for when no scratch server reads them back.

Runs in schemaudit's own process: a listener's DDL may hold several statements and comments
(postgresql-audit's `DROP FUNCTION IF EXISTS ...; CREATE FUNCTION ...; CREATE OPERATOR ...`),
which the DDL source's splitter cuts as the server would.
"""

from __future__ import annotations

import re

from schemaudit.model import SchemaObject
from schemaudit.sources.ddl.split import split_statements
from schemaudit.sources.models import TABLE_MARK

NOT_AUDITED = "created by create_all; pass --scratch-url to audit it"
_NAME = r'("(?:[^"]|"")+"|`(?:[^`]|``)+`|[\w$]+)'
_QUALIFIED = rf"(?:{_NAME}\s*\.\s*)?{_NAME}"
_CREATE = re.compile(
    r"(?is)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?"
    r"(?:(?:TEMP|TEMPORARY|MATERIALIZED|CONSTRAINT|RECURSIVE|TRUSTED|PROCEDURAL|UNIQUE"
    r"|ALGORITHM\s*=\s*\w+|SQL\s+SECURITY\s+\w+)\s+)*"
    r"(VIEW|FUNCTION|PROCEDURE|TRIGGER|SEQUENCE|TYPE|EXTENSION|DOMAIN|EVENT|AGGREGATE|POLICY|RULE|SCHEMA|TABLE|INDEX)"
    rf"\s+(?:IF\s+NOT\s+EXISTS\s+)?{_QUALIFIED}"
)
_OPERATOR = re.compile(r"(?is)^\s*CREATE\s+OPERATOR\s+(?!CLASS\b|FAMILY\b)(\S+?)\s*\(")
_MATERIALIZED = re.compile(r"(?is)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?MATERIALIZED\s+VIEW\b")
_ON = re.compile(rf"(?is)\bON\s+{_QUALIFIED}")
_QUIET = re.compile(r"(?is)^\s*(?:DROP|SET|SELECT\s+set_config)\b")  # undoing or session setup: nothing made


def objects_of(statements: list[str], dialect: str) -> list[SchemaObject]:
    """(kind, name, table) of what the statements create other than tables and indexes; any
    other statement (a listener's `SELECT audit_table('article')`) is listed as what it is."""
    out: set[SchemaObject] = set()
    for recorded in statements:
        if recorded.startswith(TABLE_MARK):
            continue
        for statement in split_statements(recorded, dialect):
            found = _object(statement.text)
            if found is not None:
                out.add(found)
    return sorted(out, key=lambda o: (o.kind, o.name, o.table or ""))


def _object(text: str) -> SchemaObject | None:
    operator = _OPERATOR.match(text)
    if operator is not None:
        return SchemaObject("operator", operator.group(1), None, NOT_AUDITED)
    found = _CREATE.match(text)
    if found is None:
        if _QUIET.match(text):
            return None
        return SchemaObject("DDL statement", " ".join(text.split())[:120], None, NOT_AUDITED)
    kind = "materialized view" if _MATERIALIZED.match(text) else found.group(1).lower()
    if kind in ("table", "index", "schema") or (kind == "type" and re.search(r"(?is)\bAS\s+ENUM\b", text)):
        return None  # read from the MetaData (a native enum through its columns' types)
    table = None
    if kind in ("trigger", "policy", "rule"):
        on = _ON.search(text, found.end())
        table = _unquote(on.group(2)) if on else None
    return SchemaObject(kind, _unquote(found.group(3)), table, NOT_AUDITED)


def _unquote(name: str) -> str:
    if len(name) > 1 and name[0] == name[-1] and name[0] in '"`':
        return name[1:-1].replace(name[0] * 2, name[0])
    return name
