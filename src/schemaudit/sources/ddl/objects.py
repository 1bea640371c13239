"""Statements about objects around tables: types, domains, sequences, partitions, and the
objects the model does not audit (views, functions, triggers...), read from tokens.

sqlglot parses none of `CREATE DOMAIN`, `ALTER SEQUENCE ... OWNED BY`, `ATTACH PARTITION`
or function signatures into a tree (they fall back to an opaque Command), and all we need
from them is a name, a base type or an owner: a few tokens each.

Not-audited objects are named the way the live sources name them, so a file and the
database built from it list the same objects: PostgreSQL functions with their input
argument types (`film_in_stock(integer,integer)`, as `regprocedure` prints them), MySQL
routines by name only.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlglot.tokenizer_core import TokenType

from schemaudit.model import Identity, TypeFamily
from schemaudit.sources.ddl import partitions
from schemaudit.sources.ddl.alter import read_name
from schemaudit.sources.ddl.catalog import Catalog
from schemaudit.sources.ddl.names import DefinitionError, Name, in_schema, resolve_type
from schemaudit.sources.ddl.tokens import Span, Tokens
from schemaudit.types import parse_type

T = TokenType
# PostgreSQL's canonical spellings of built-in types (format_type), for function signatures.
_PG_TYPE_NAMES = {
    "int": "integer",
    "int4": "integer",
    "integer": "integer",
    "int8": "bigint",
    "int2": "smallint",
    "varchar": "character varying",
    "char": "character",
    "bpchar": "character",
    "bool": "boolean",
    "float8": "double precision",
    "float": "double precision",
    "float4": "real",
    "decimal": "numeric",
    "timestamptz": "timestamp with time zone",
    "timestamp": "timestamp without time zone",
    "timetz": "time with time zone",
    "time": "time without time zone",
}
_ARG_MODES = frozenset({"IN", "OUT", "INOUT", "VARIADIC"})
_DOMAIN_CLAUSES = frozenset({"DEFAULT", "CONSTRAINT", "NOT", "NULL", "CHECK", "COLLATE"})
_TYPMOD = re.compile(r"\([^()]*\)")


def create_type(tokens: Tokens, catalog: Catalog) -> None:
    """CREATE TYPE name AS ENUM ('a', 'b'): the labels, for columns of that type. Composite,
    range and base types are listed as not audited, as the live source lists them."""
    name, i = read_name(tokens, 2, catalog)
    if not in_schema(name, catalog):
        return
    other = _TYPE_KINDS.get((tokens.word(i), tokens.word(i + 1) if tokens.word(i) == "AS" else ""))
    if tokens.word(i) == "AS" and i + 1 < len(tokens) and tokens.tokens[i + 1].token_type == T.L_PAREN:
        other = "composite type"
    if other is not None:
        catalog.add_object(other, name.name)
        return
    if tokens.word(i) != "AS" or tokens.word(i + 1) != "ENUM":
        return
    if i + 2 >= len(tokens) or tokens.tokens[i + 2].token_type != T.L_PAREN:
        raise DefinitionError("expected the enum labels in parentheses")
    labels = tuple(tokens.tokens[span.start].text for span in tokens.items(i + 2))
    catalog.enums[catalog.rules.table_key(name.name)] = labels


_TYPE_KINDS = {("AS", "RANGE"): "range type", ("(", ""): "base type"}
_OPERATOR = re.compile(r"(?is)^\s*CREATE\s+OPERATOR\s+(?:(\w+|\"[^\"]+\")\s*\.\s*)?(\S+?)\s*\((.*)\)\s*;?\s*$")
_OPERATOR_ARG = re.compile(r"(?is)\b(LEFTARG|RIGHTARG)\s*=\s*([^,]+?)\s*(?:,|$)")


def create_operator(text: str, catalog: Catalog) -> None:
    """`CREATE OPERATOR public.=== (LEFTARG = integer, ...)`: listed as not audited under
    the name the catalog prints (`===(integer,integer)`, NONE for a missing side)."""
    found = _OPERATOR.match(text)
    if found is None:
        raise DefinitionError("expected CREATE OPERATOR name (...)")
    schema, symbol, body = found.groups()
    if not in_schema(Name(schema.strip('"') if schema else None, symbol), catalog):
        return
    args = {key.upper(): _pg_type_name(value, catalog) for key, value in _OPERATOR_ARG.findall(body)}
    catalog.add_object("operator", f"{symbol}({args.get('LEFTARG', 'NONE')},{args.get('RIGHTARG', 'NONE')})")


def create_named(kind: str, tokens: Tokens, at: int, catalog: Catalog) -> None:
    """A collation or text search configuration, listed by name when it is in the schema."""
    name = read_name(tokens, at, catalog)[0]
    if in_schema(name, catalog):
        catalog.add_object(kind, name.name)


def create_domain(tokens: Tokens, catalog: Catalog) -> None:
    name, i = read_name(tokens, 2, catalog)
    if not in_schema(name, catalog):
        return
    if tokens.word(i) == "AS":
        i += 1
    end = tokens.keyword_at(Span(i, len(tokens)), _DOMAIN_CLAUSES, i)
    raw = " ".join(tokens.slice(i, len(tokens) if end < 0 else end).split())
    if not raw:
        raise DefinitionError("expected the domain's base type")
    catalog.domains[catalog.rules.table_key(name.name)] = resolve_type(raw, catalog)
    catalog.add_object("domain", name.name)


def create_sequence(tokens: Tokens, catalog: Catalog) -> None:
    i = 2
    while tokens.word(i) in ("IF", "NOT", "EXISTS"):
        i += 1
    name, i = read_name(tokens, i, catalog)
    if in_schema(name, catalog):
        key = catalog.rules.table_key(name.name)
        catalog.sequences[key] = name.name
        catalog.texts.sequences[key] = [tokens.text]
        _owned_by(tokens, i, name, catalog)


def alter_sequence(tokens: Tokens, catalog: Catalog) -> None:
    i = 2
    while tokens.word(i) in ("IF", "EXISTS"):
        i += 1
    name, i = read_name(tokens, i, catalog)
    if in_schema(name, catalog):
        catalog.texts.sequences.setdefault(catalog.rules.table_key(name.name), []).append(tokens.text)
        _owned_by(tokens, i, name, catalog)


def _owned_by(tokens: Tokens, i: int, sequence: Name, catalog: Catalog) -> None:
    """`OWNED BY table.column` ties a sequence to a column; `OWNED BY NONE` unties it."""
    at = tokens.keyword_at(Span(i, len(tokens)), frozenset({"OWNED"}), i)
    if at < 0 or tokens.word(at + 1) != "BY":
        return
    key = catalog.rules.table_key(sequence.name)
    if tokens.word(at + 2) == "NONE":
        catalog.owned.pop(key, None)
        return
    parts: list[str] = []
    j = at + 2
    while j < len(tokens):
        owner, j = read_name(tokens, j, catalog)
        parts += [p for p in (owner.schema, owner.name) if p is not None]
        if j < len(tokens) and tokens.tokens[j].token_type == T.DOT:
            j += 1
            continue
        break
    if len(parts) < 2:
        raise DefinitionError("OWNED BY needs table.column")
    catalog.owned[key] = (parts[-2], parts[-1])


def alter_table_special(tokens: Tokens, start: int, table: Name, catalog: Catalog) -> bool:
    """ALTER TABLE actions sqlglot cannot parse but the model needs or may ignore. Returns
    False when the statement is something else, for sqlglot to parse."""
    spans = tokens.split(start, len(tokens))
    handled = [_special_action(tokens, span, table, catalog, dry_run=True) for span in spans]
    if not spans or not all(handled):
        return False
    for span in spans:
        _special_action(tokens, span, table, catalog, dry_run=False)
    return True


# ALTER TABLE actions that change nothing the model holds (owner, triggers enabled, row
# security, storage parameters, tablespace, clustering, replica identity).
_IGNORED_ACTIONS = frozenset({"OWNER", "ENABLE", "DISABLE", "CLUSTER", "REPLICA", "SET", "RESET", "FORCE", "NO"})
_IGNORED_COLUMN_ACTIONS = frozenset({"STATISTICS", "STORAGE", "COMPRESSION"})


def _special_action(tokens: Tokens, span: Span, table: Name, catalog: Catalog, dry_run: bool) -> bool:
    words = tuple(tokens.word(j) for j in range(span.start, min(span.end, span.start + 8)))
    if words[:2] in (("ATTACH", "PARTITION"), ("DETACH", "PARTITION")):
        if not dry_run:
            child, after = read_name(tokens, span.start + 2, catalog)
            draft = catalog.table(child.name) if in_schema(table, catalog) else None
            if draft is not None:
                draft.partition_of = table.name if words[0] == "ATTACH" else None
                found = partitions.bound_at(tokens, after) if words[0] == "ATTACH" else None
                draft.bound = found[0] if found is not None else None
        return True
    # MySQL `PARTITION BY ...` (one token: PARTITION) and `REMOVE PARTITIONING`
    if words[0] in ("PARTITION", "PARTITION BY") or words[:2] == ("REMOVE", "PARTITIONING"):
        draft = catalog.table(table.name) if in_schema(table, catalog) else None
        if not dry_run and draft is not None:
            removed = words[0] == "REMOVE"
            clause = None if removed else tokens.slice(span.start, span.end).strip()
            draft.options = replace(draft.options, partitioned=not removed, partitioning=clause)
        return True
    if words[0] in _IGNORED_ACTIONS:
        if not dry_run and words[0] in ("ENABLE", "DISABLE") and "TRIGGER" in words[:3] and in_schema(table, catalog):
            catalog.texts.alters.append((table.name, tokens.text))
        return True
    if words[:2] == ("VALIDATE", "CONSTRAINT"):  # a key added NOT VALID checks its old rows now
        draft = catalog.table(table.name) if in_schema(table, catalog) else None
        if not dry_run and draft is not None:
            name = read_name(tokens, span.start + 2, catalog)[0].name
            draft.foreign_keys = [replace(fk, validated=True) if fk.name == name else fk for fk in draft.foreign_keys]
            draft.checks = [replace(c, validated=True) if c.name == name else c for c in draft.checks]
        return True
    column_at = 2 if words[:2] == ("ALTER", "COLUMN") else 1 if words[:1] == ("ALTER",) else 0
    if not column_at:
        return False
    rest = words[column_at + 1 :]
    if rest[:2] == ("SET", "STATISTICS") or (rest[:1] == ("SET",) and rest[1:2] and rest[1] in _IGNORED_COLUMN_ACTIONS):
        return True
    if rest[:2] == ("ADD", "GENERATED"):
        if not dry_run:
            _add_identity(tokens, span, span.start + column_at, table, catalog)
        return True
    return False


def _add_identity(tokens: Tokens, span: Span, name_at: int, table: Name, catalog: Catalog) -> None:
    """ALTER COLUMN c ADD GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY (SEQUENCE NAME s ...)."""
    if not in_schema(table, catalog):
        return
    draft = catalog.table(table.name)
    if draft is None:
        raise DefinitionError(f"table {table.name!r} is not defined earlier in the file")
    column, _ = read_name(tokens, name_at, catalog)
    kind = "always" if tokens.word(name_at + 3) == "ALWAYS" else "by default"
    words = [tokens.word(j) for j in range(span.start, span.end)]
    sequence = f"{draft.name}_{column.name}_seq"
    if "SEQUENCE" in words and words[words.index("SEQUENCE") + 1 : words.index("SEQUENCE") + 2] == ["NAME"]:
        sequence = read_name(tokens, span.start + words.index("SEQUENCE") + 2, catalog)[0].name
    start = _number_after(tokens, words, span, ("START", "WITH")) or 1
    step = _number_after(tokens, words, span, ("INCREMENT", "BY")) or 1
    identity = Identity(kind, sequence, start, step)
    if not draft.replace_column(column.name, catalog.rules, identity=identity, default=None, nullable=False):
        raise DefinitionError(f"table {draft.name!r} has no column {column.name!r}")


def _number_after(tokens: Tokens, words: list[str], span: Span, pair: tuple[str, str]) -> int | None:
    for j in range(len(words) - 2):
        if (words[j], words[j + 1]) == pair:
            text = tokens.tokens[span.start + j + 2].text
            negative = text == "-"
            if negative:
                text = tokens.tokens[span.start + j + 3].text
            return -int(text) if negative else int(text) if text.isdigit() else None
    return None


# --- not audited --------------------------------------------------------------------------


def not_audited(kind: str, tokens: Tokens, at: int, catalog: Catalog) -> None:
    """Record a view, function, trigger, ... by the name the live source would show."""
    i = at + 1
    while tokens.word(i) in ("IF", "NOT", "EXISTS"):
        i += 1
    name, i = read_name(tokens, i, catalog)
    if kind == "trigger":
        on = tokens.keyword_at(Span(i, len(tokens)), frozenset({"ON"}), i)
        table = read_name(tokens, on + 1, catalog)[0] if on >= 0 else None
        if table is not None and in_schema(table, catalog):
            catalog.add_object(kind, name.name, table.name)
            catalog.texts.created.append((kind, name.name, table.name, tokens.text))
        return
    if kind in ("policy", "rule"):
        on = tokens.keyword_at(Span(i, len(tokens)), frozenset({"ON", "TO"}), i)
        if on >= 0 and tokens.word(on) == "ON" and kind == "rule":
            on = tokens.keyword_at(Span(on + 1, len(tokens)), frozenset({"TO"}), on + 1)
        table = read_name(tokens, on + 1, catalog)[0] if on >= 0 else None
        if table is not None and in_schema(table, catalog):
            catalog.add_object(kind, name.name, table.name)
        return
    if kind == "extension":
        at_schema = tokens.keyword_at(Span(i, len(tokens)), frozenset({"SCHEMA"}), i)
        schema = read_name(tokens, at_schema + 1, catalog)[0].name if at_schema >= 0 else None
        if schema is None or in_schema(Name(schema, name.name), catalog):
            catalog.add_object(kind, name.name)
            catalog.texts.created.append((kind, name.name, None, tokens.text))
        return
    if not in_schema(name, catalog):
        return
    signed = kind in ("function", "procedure", "aggregate") and catalog.dialect == "postgresql"
    if signed and i < len(tokens) and tokens.tokens[i].token_type == T.L_PAREN:
        args = [_argument_type(tokens, span, catalog) for span in tokens.items(i)]
        signature = f"{name.name}({','.join(a for a in args if a is not None)})"
        catalog.add_object(kind, signature)
        catalog.texts.created.append((kind, signature, None, tokens.text))
        return
    catalog.add_object(kind, name.name)


def _argument_type(tokens: Tokens, span: Span, catalog: Catalog) -> str | None:
    """An input argument's type in `format_type` spelling; None for an OUT argument."""
    start, end = span.start, span.end
    mode = tokens.word(start)
    if mode in _ARG_MODES:
        start += 1
        if mode == "OUT":
            return None
    cut = tokens.keyword_at(Span(start, end), frozenset({"DEFAULT"}), start)
    if cut < 0:
        cut = tokens.find(frozenset({T.EQ}), start, end)
    end = end if cut < 0 else cut
    text = " ".join(tokens.slice(start, end).split())
    if end - start > 1 and parse_type(text, "postgresql").family is TypeFamily.UNKNOWN:
        text = " ".join(tokens.slice(start + 1, end).split())  # `name type`: drop the name
    return _pg_type_name(text, catalog)


def _pg_type_name(text: str, catalog: Catalog) -> str:
    array = ""
    while text.endswith("[]"):
        array, text = array + "[]", text[:-2].rstrip()
    base = _TYPMOD.sub("", text).strip().lower()
    base = " ".join(base.split())
    for prefix in ("pg_catalog.", f"{(catalog.schema or '').lower()}."):
        if prefix != "." and base.startswith(prefix):
            base = base[len(prefix) :]
    base = base.replace(" (", "(")
    return _PG_TYPE_NAMES.get(base, base) + array


def drop_statement(words: tuple[str, ...], tokens: Tokens, catalog: Catalog) -> None:
    """DROP TABLE / VIEW / INDEX ... [IF EXISTS] names: the object is gone."""
    kind = words[1]
    i = 2
    if kind == "MATERIALIZED":
        i += 1
    while tokens.word(i) in ("IF", "EXISTS", "CONCURRENTLY"):
        i += 1
    for span in tokens.split(i, len(tokens)):
        if span.start >= len(tokens) or tokens.word(span.start) in ("CASCADE", "RESTRICT"):
            continue
        name, _ = read_name(tokens, span.start, catalog)
        if not in_schema(name, catalog):
            continue
        if kind == "TABLE":
            catalog.drop_table(name.name)
        elif kind == "INDEX":
            for draft in catalog.tables.values():
                draft.indexes = [
                    x for x in draft.indexes if catalog.rules.table_key(x.name) != catalog.rules.table_key(name.name)
                ]
        elif kind in ("VIEW", "MATERIALIZED"):
            catalog.drop_object("materialized view" if kind == "MATERIALIZED" else "view", name.name)
        elif kind == "SEQUENCE":
            catalog.sequences.pop(catalog.rules.table_key(name.name), None)
