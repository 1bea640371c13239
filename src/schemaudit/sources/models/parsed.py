"""Column types of a models snapshot, classified in schemaudit's own process.

The child that imports the models may run in the project's interpreter (`--python`), where
sqlglot need not be installed; it sends each type as SQLAlchemy compiled it, and this pass
gives it its family, length and precision with `types.parse_type`, exactly as if the child
had done it. Enum types arrive classified (their labels come from the model).
"""

from __future__ import annotations

from dataclasses import replace

from schemaudit.model import Column, Schema, Table, TypeFamily
from schemaudit.types import parse_type


def parse_types(schema: Schema) -> Schema:
    return replace(schema, tables=tuple(_table(t, schema.dialect) for t in schema.tables))


def _table(table: Table, dialect: str) -> Table:
    return replace(table, columns=tuple(_column(c, dialect) for c in table.columns))


def _column(column: Column, dialect: str) -> Column:
    if column.type.family is not TypeFamily.UNKNOWN:
        return column
    return replace(column, type=parse_type(column.type.raw, dialect))
