"""`--fill` values in the SQL: a NOT NULL column added nullable, filled, then made NOT NULL;
the NULLs of a column that becomes NOT NULL replaced before it does. (SQLite fills while a
rebuild copies the rows: see `sqlite_rebuild`.)"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import ColumnChange
from schemaudit.model import Column, Table
from schemaudit.plan.dialects.context import Clause, Op, PlanContext, fill_for, needs_values
from schemaudit.plan.model import Statement


class Dialect(Protocol):
    """What filling needs of a dialect (declared here so `base` can use this module)."""

    def q(self, name: str) -> str: ...
    def column_def(self, col: Column, table: Table) -> str: ...
    def column_position(self, col: Column, table: Table) -> str: ...
    def set_not_null(self, table_name: str, col: Column, table: Table) -> Clause: ...


def filled_column(d: Dialect, change: ch.AddColumn, col: Column, table: Table, ctx: PlanContext) -> list[Op]:
    """A NOT NULL column with `--fill` values: added nullable, filled, then NOT NULL."""
    fill = fill_for(ctx, change.table, col.name)
    if not fill or not needs_values(col) or ctx.before(change.table) is None:
        return []
    loose = replace(col, nullable=True)
    position = d.column_position(col, table)
    return [
        Clause(change.table, f"ADD COLUMN {d.column_def(loose, table)}{position}"),
        Statement(f"UPDATE {d.q(change.table)} SET {d.q(col.name)} = ({fill})"),
        d.set_not_null(change.table, col, table),
    ]


def fill_nulls(d: Dialect, change: ch.ModifyColumn, ctx: PlanContext) -> list[Op]:
    """`--fill` values for the NULLs of a column that becomes NOT NULL, before it does."""
    if ColumnChange.NULLABLE not in change.kinds or change.to.nullable:
        return []
    fill = fill_for(ctx, change.table, change.to.name)
    if not fill:
        return []
    name = d.q(change.to.name)
    return [Statement(f"UPDATE {d.q(change.table)} SET {name} = ({fill}) WHERE {name} IS NULL")]
