"""Names in DDL as the catalog stores them, and column types as the catalog spells them.

Shared by the DDL readers (`table`, `keys`, `alter`, `objects`): which
schema a qualified name belongs to, how an unquoted name folds, the names PostgreSQL gives
unnamed constraints and sequences, and enum or domain types defined in the same file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlglot import exp

from schemaudit.model import SqlType, TypeFamily
from schemaudit.sources.ddl.catalog import Catalog
from schemaudit.sources.ddl.tokens import stored_name
from schemaudit.types import parse_type


class DefinitionError(ValueError):
    """A definition the builder cannot turn into the model; the message says why."""


@dataclass(frozen=True, slots=True)
class Name:
    """A possibly qualified object name as stored: (schema or None, name)."""

    schema: str | None
    name: str


def table_name(node: exp.Expression, catalog: Catalog) -> Name:
    """The stored name of an `exp.Table` (or a Schema wrapping one)."""
    if isinstance(node, exp.Schema):
        node = node.this
    if not isinstance(node, exp.Table):
        raise DefinitionError("expected a table name")
    ident = node.this
    if not isinstance(ident, exp.Identifier):
        raise DefinitionError("expected a table name")
    schema_ident = node.args.get("db")
    schema = ident_name(schema_ident, catalog) if isinstance(schema_ident, exp.Identifier) else None
    return Name(schema, ident_name(ident, catalog))


def ident_name(ident: exp.Expression, catalog: Catalog) -> str:
    if isinstance(ident, exp.Identifier):
        return stored_name(ident.this, bool(ident.args.get("quoted")), catalog.rules)
    if isinstance(ident, exp.Column) and isinstance(ident.this, exp.Identifier):
        return ident_name(ident.this, catalog)
    if isinstance(ident, exp.Ordered):
        return ident_name(ident.this, catalog)
    return stored_name(ident.name, False, catalog.rules)


def in_schema(name: Name, catalog: Catalog) -> bool:
    """Whether a name belongs to the schema being read; an unqualified name belongs to the
    schema `SET search_path` / `USE` made current (the one being read, unless changed)."""
    schema = name.schema or catalog.current
    if schema is None or catalog.schema is None:
        return True
    return catalog.rules.table_key(schema) == catalog.rules.table_key(catalog.schema)


def generated_name(table: str, column: str, suffix: str) -> str:
    """PostgreSQL's default name for a constraint or sequence: table_column_suffix (63 bytes)."""
    base = f"{table}_{column}" if column else table
    return f"{base[: 63 - len(suffix) - 1]}_{suffix}"


def sqlglot_dialect(catalog: Catalog) -> str:
    return {"postgresql": "postgres"}.get(catalog.dialect, catalog.dialect)


def resolve_type(raw: str, catalog: Catalog) -> SqlType:
    """A column type as written: enums and domains defined in the same file are resolved;
    a qualifier naming the schema being read is dropped, as the catalog prints it."""
    text = " ".join(raw.split())
    array = ""
    while text.endswith("[]"):
        array += "[]"
        text = text[:-2].rstrip()
    name = _unqualified(text, catalog)
    key = catalog.rules.table_key(name.strip('"'))
    if key in catalog.enums:
        base = parse_type(name, catalog.dialect, enum_values=catalog.enums[key])
    elif key in catalog.domains:
        base = replace(catalog.domains[key], raw=name, name=name)
    elif catalog.dialect == "mysql" and name.upper() in ("BOOL", "BOOLEAN"):
        return parse_type("tinyint(1)", "mysql")  # MySQL and MariaDB store BOOLEAN as tinyint(1)
    elif not array:
        return parse_type(name, catalog.dialect)
    else:
        return parse_type(name + array, catalog.dialect)
    if not array:
        return base
    return SqlType(raw=name + array, family=TypeFamily.ARRAY, element=base, dimensions=array.count("["))


def _unqualified(text: str, catalog: Catalog) -> str:
    if catalog.schema is None or "." not in text or "(" in text.split(".", 1)[0]:
        return text
    head, _, rest = text.partition(".")
    if catalog.rules.table_key(head.strip('"')) == catalog.rules.table_key(catalog.schema) or head == "pg_catalog":
        return rest
    return text
