"""Index elements written as SQL text (`sa.text("major DESC")`), read like any other element.

Also `sa.collate(col, "NOCASE")` or `text("name COLLATE NOCASE")`: the collation becomes the
element's collation, as the catalogs report it, so it is compared per element (an index
under another collation orders and matches differently).

SQLAlchemy hands a `text()` element to the DDL as it is, so `Index("ix", text("major DESC"))`
builds the same index as `Index("ix", desc("major"))`; the child can only report the text.
Here, in schemaudit's own process (the child may run in a project's interpreter without
sqlglot), the text is parsed: a bare column becomes a column element, a direction becomes
`descending`, and only a real expression stays an expression. Without this the element never
matches the database's `major DESC`, and a plan would wrap it as `(major DESC)`, which
PostgreSQL rejects.
"""

from __future__ import annotations

import re
from dataclasses import replace

from schemaudit.model import IndexElement, Schema, Table

_ORDER_SUFFIX = re.compile(r"(\s+(ASC|DESC))?(\s+NULLS\s+(FIRST|LAST))?\s*$", re.IGNORECASE)
_COLLATE_SUFFIX = re.compile(r"\s+COLLATE\s+(\"[^\"]+\"|[\w.]+)\s*$", re.IGNORECASE)
_NULLS = re.compile(r"\bNULLS\s+(FIRST|LAST)\s*$", re.IGNORECASE)
_SQLGLOT = {"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}


def parse_text_elements(schema: Schema) -> Schema:
    """The schema with every expression element of every index parsed (see the module)."""
    dialect = _SQLGLOT.get(schema.dialect, schema.dialect)
    tables = tuple(_table(t, dialect) for t in schema.tables)
    if all(a is b for a, b in zip(tables, schema.tables, strict=True)):
        return schema
    return replace(schema, tables=tables)


def _table(table: Table, dialect: str) -> Table:
    if not any(e.is_expression for i in table.indexes for e in i.elements):
        return table
    indexes = tuple(replace(i, elements=tuple(element(e, dialect) for e in i.elements)) for i in table.indexes)
    return replace(table, indexes=indexes)


def element(item: IndexElement, dialect: str) -> IndexElement:
    """One element: `major DESC` -> column `major`, descending; `lower(email) DESC` ->
    expression `lower(email)`, descending; anything unparsable stays as it was."""
    if not item.is_expression:
        return item
    # imported here: most models have no expression index, and sqlglot takes a tenth of a
    # second to import in schemaudit's own process
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        select = sqlglot.parse_one(f"SELECT 1 ORDER BY {item.expr}", read=dialect)
    except (SqlglotError, ValueError):
        return item
    order = select.args.get("order")
    ordered = order.expressions if isinstance(order, exp.Order) else []
    if len(ordered) != 1 or not isinstance(ordered[0], exp.Ordered):
        return item
    node = ordered[0]
    descending = item.descending or bool(node.args.get("desc"))
    nulls = item.nulls
    if _NULLS.search(item.expr):  # written out; else the database's default for the direction
        nulls_first = bool(node.args.get("nulls_first"))
        nulls = None if nulls_first == descending else "FIRST" if nulls_first else "LAST"
    inner = node.this
    if isinstance(inner, exp.Paren):
        inner = inner.this
    collation = item.collation
    if isinstance(inner, exp.Collate):  # `name COLLATE NOCASE`: a column with its collation
        collation = inner.expression.name or None
        inner = inner.this
    if isinstance(inner, exp.Column) and not inner.table:
        return replace(
            item, expr=inner.name, is_expression=False, descending=descending, nulls=nulls, collation=collation
        )
    stripped = _COLLATE_SUFFIX.sub("", _ORDER_SUFFIX.sub("", item.expr)).strip()
    if stripped == item.expr.strip():
        return item
    return replace(item, expr=stripped, descending=descending, nulls=nulls, collation=collation)
