"""SQLite views, triggers and virtual tables as model objects, from the `sqlite_schema` rows the catalog
reader already fetched (no extra query).

SQLite keeps each one's CREATE statement exactly as it was written, and that text is what
a plan runs to recreate it; comparing normalizes only spacing and the final `;`. A view's
dependencies are the tables and views its text names, found by identifier, which is all
ordering needs (SQLite itself checks a view only when it is used). A virtual table (FTS
and the like) is its CREATE VIRTUAL TABLE text; its shadow tables are the module's, not
the schema's (`pragma_table_list` types them `shadow`, and the table reader skips them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from schemaudit.model_objects import Objects, Trigger, View, VirtualTable

KINDS = ("view", "trigger", "virtual table")
_IDENTIFIER = re.compile(r'"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|([A-Za-z_][\w$]*)')
_TIMING = re.compile(r"\b(BEFORE|AFTER|INSTEAD\s+OF)\b", re.IGNORECASE)
_EVENT = re.compile(r"\b(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_VIRTUAL = re.compile(r"^\s*CREATE\s+VIRTUAL\s+TABLE\b", re.IGNORECASE)
_MODULE = re.compile(r"\bUSING\s+([A-Za-z_]\w*)", re.IGNORECASE)


def objects(rows: Iterable[tuple[Any, ...]]) -> Objects:
    """Views, triggers and virtual tables of `sqlite_schema` rows (type, name, tbl_name, sql)."""
    rows = list(rows)
    relations = {str(name).lower(): str(name) for kind, name, _, _ in rows if kind in ("table", "view")}
    views, triggers, virtual = [], [], []
    for kind, name, table, sql in rows:
        if kind == "table" and sql and _VIRTUAL.match(sql):
            module = _MODULE.search(sql)
            virtual.append(VirtualTable(name, sql, module.group(1).lower() if module else ""))
        elif kind == "view" and sql:
            views.append(View(name, sql, depends_on=_names(sql, relations, name)))
        elif kind == "trigger" and sql:
            triggers.append(_trigger(name, table, sql))
    return Objects(
        kinds=KINDS,
        views=tuple(sorted(views, key=lambda v: v.name)),
        triggers=tuple(sorted(triggers, key=lambda t: (t.table, t.name))),
        virtual_tables=tuple(sorted(virtual, key=lambda v: v.name)),
    )


def _names(sql: str, relations: dict[str, str], own: str) -> tuple[str, ...]:
    body = sql.split(" AS ", 1)[-1] if " AS " in sql.upper() else sql
    found = set()
    for match in _IDENTIFIER.finditer(body):
        word = next(g for g in match.groups() if g is not None).replace('""', '"')
        name = relations.get(word.lower())
        if name is not None and name.lower() != own.lower():
            found.add(name)
    return tuple(sorted(found))


def _trigger(name: str, table: str, sql: str) -> Trigger:
    head = sql.split(" ON ", 1)[0] if " ON " in sql.upper() else sql
    timing = _TIMING.search(head)
    events = tuple(dict.fromkeys(m.group(1).upper() for m in _EVENT.finditer(head)))
    word = " ".join(timing.group(1).upper().split()) if timing else "BEFORE"
    return Trigger(name, table, sql, timing=word, events=events, for_each_row=True)
