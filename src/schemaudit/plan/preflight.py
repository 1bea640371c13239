"""Data checks: the rows that would make a step fail, counted before anything changes.

A step can be right for the schema and still fail on the data: a NOT NULL column added to a
table with rows and nothing to fill it, NOT NULL over NULLs, a UNIQUE over duplicates, a
foreign key over orphans, a CHECK over rows that violate it, a narrower type over longer
values, a column whose values must become keys of another table. For each such change the
plan carries one read-only `SELECT COUNT(*)` written against the database as it is *before*
the plan (the current names, renames undone), so `apply` (and `plan`, when it can reach the
database) counts the offending rows first and stops, naming the table, the column, the count
and the way forward, instead of failing half-way.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import ColumnChange, TypeRelation
from schemaudit.diff.object_changes import ModifyObject
from schemaudit.model import ForeignKey, Table
from schemaudit.model_objects import EnumType
from schemaudit.plan import partition_checks
from schemaudit.plan.dialects import postgresql_enum_swap as enum_swap
from schemaudit.plan.dialects.base import Dialect
from schemaudit.plan.dialects.context import PlanContext, fill_for, needs_values
from schemaudit.plan.dialects.postgresql_repartition import repartitions
from schemaudit.plan.model import DataCheck, PlanChange
from schemaudit.plan.state import rename_in_expression


def data_checks(changes: Sequence[PlanChange], ctx: PlanContext, dialect: Dialect) -> tuple[DataCheck, ...]:
    found: list[DataCheck] = []
    checker = _Checker(ctx, dialect)
    for change in changes:
        found.extend(checker.checks(change))
    return tuple(dict.fromkeys(found))


_INDEX: tuple[PlanContext, dict[str, Table]] | None = None


def _current_by_key(ctx: PlanContext) -> dict[str, Table]:
    """The current tables by their name after the renames (the first of equal keys), built
    once per plan: the planner asks for data checks once per step, and scanning every table
    for each lookup made a 5,000-table plan's checks take most of its time. The last plan's
    index is kept (a frozen context cannot hold it), compared by identity."""
    global _INDEX
    if _INDEX is None or _INDEX[0] is not ctx:
        index: dict[str, Table] = {}
        for t in ctx.current.tables:
            index.setdefault(ctx.renames.rules.table_key(ctx.renames.table(t.name)), t)
        _INDEX = (ctx, index)
    return _INDEX[1]


class _Checker:
    def __init__(self, ctx: PlanContext, dialect: Dialect) -> None:
        self.ctx = ctx
        self.d = dialect
        self.rules = ctx.renames.rules

    # ---- the current (pre-plan) names ------------------------------------------------------

    def table(self, target_name: str) -> Table | None:
        return _current_by_key(self.ctx).get(self.rules.table_key(target_name))

    def column(self, table_after: str, name: str) -> str | None:
        current = self.table(table_after)
        if current is None:
            return None
        key = self.rules.column_key(name)
        for c in current.columns:
            if self.rules.column_key(self.ctx.renames.column(table_after, c.name)) == key:
                return c.name
        return None

    def inverse(self, table_after: str) -> dict[str, str]:
        cmap = self.ctx.renames.column_map(table_after)
        current = self.table(table_after)
        names = {self.rules.column_key(c.name): c.name for c in current.columns} if current else {}
        return {self.rules.column_key(new): names.get(old, old) for old, new in cmap.items()}

    # ---- one change ------------------------------------------------------------------------

    def checks(self, change: PlanChange) -> list[DataCheck]:
        if isinstance(change, ch.AddColumn):
            return self._new_column(change)
        if isinstance(change, ch.ModifyColumn):
            return self._modified_column(change)
        if isinstance(change, ch.AddUnique):
            return self._unique(change.table, change.to.columns, None, "unique constraint")
        if isinstance(change, (ch.AddIndex, ch.ModifyIndex)) and change.to.unique:
            index = change.to
            if any(e.is_expression for e in index.elements):
                return []
            return self._unique(change.table, tuple(e.expr for e in index.elements), index.where, "unique index")
        if isinstance(change, (ch.AddForeignKey, ch.ModifyForeignKey)):
            if not change.to.validated and self.d.validates_separately:
                return []  # added NOT VALID and left so: the rows already there are not checked
            return self._foreign_key(change.table, change.to)
        if isinstance(change, ch.AddCheck):
            if not change.to.validated and self.d.validates_separately:
                return []  # added NOT VALID and left so: the rows already there are not checked
            return self._check(change)
        if isinstance(change, ModifyObject) and isinstance(change.from_, EnumType) and isinstance(change.to, EnumType):
            return self._enum_labels_removed(change.from_, change.to)
        if isinstance(change, ch.ModifyTable) and self.d.name == "postgresql" and repartitions(change):
            current = self.table(change.table)
            return (
                partition_checks.unplaced_rows(change.table, current.name, self.ctx.target, self.d.q) if current else []
            )
        if self.d.name == "postgresql":
            return partition_checks.checks(change, self.ctx.current, self.ctx.target, self.d.q)
        return []

    def _enum_labels_removed(self, old: EnumType, new: EnumType) -> list[DataCheck]:
        """PostgreSQL: rows holding a label the type swap removes would fail the retype."""
        removed = [v for v in old.values if v not in new.values]
        if self.d.name != "postgresql" or not removed:
            return []
        shown = ", ".join(repr(v) for v in removed)
        return [
            DataCheck(
                enum_swap.removed_rows_sql(table, col, removed),
                table,
                col.name,
                f"{{n}} row(s) of {table}.{col.name} hold {shown}, which enum type {new.name} no longer has",
                "change those rows to a label the target keeps (a data migration) before this plan runs",
            )
            for table, col in enum_swap.users(self.ctx.current, old.name)
        ]

    def _new_column(self, change: ch.AddColumn) -> list[DataCheck]:
        current = self.table(change.table)
        after = self.ctx.after(change.table)
        col = (after.column(change.to.name, self.rules) if after else None) or change.to
        if current is None or not needs_values(col) or fill_for(self.ctx, change.table, col.name):
            return []
        return [
            DataCheck(
                f"SELECT COUNT(*) FROM {self.d.q(current.name)}",
                change.table,
                col.name,
                f"{{n}} existing row(s) of {change.table} would have no value for the new NOT NULL column "
                f"{col.name} (no default)",
                f"give the values with --fill {change.table}.{col.name}=SQL_EXPR (or [tool.schemaudit.fill]), "
                "or a default in the target" + self._near(change.table, col.name),
            )
        ]

    def _near(self, table: str, column: str) -> str:
        found = self.ctx.near_renames.get((self.rules.table_key(table), self.rules.column_key(column)))
        return f"; or, if it is a dropped column renamed, plan again with {found}" if found else ""

    def _modified_column(self, change: ch.ModifyColumn) -> list[DataCheck]:
        current = self.table(change.table)
        if current is None:
            return []
        q = self.d.q
        name = change.from_.name
        out = []
        nulls = ColumnChange.NULLABLE in change.kinds and not change.to.nullable and change.from_.nullable
        if nulls and not fill_for(self.ctx, change.table, change.to.name):
            out.append(
                DataCheck(
                    f"SELECT COUNT(*) FROM {q(current.name)} WHERE {q(name)} IS NULL",
                    change.table,
                    change.to.name,
                    f"{{n}} row(s) of {change.table} hold NULL in {change.to.name}, which becomes NOT NULL",
                    f"give the values with --fill {change.table}.{change.to.name}=SQL_EXPR, or update those rows first",
                )
            )
        length = change.to.type.length
        narrower = ColumnChange.TYPE in change.kinds and change.type_relation is TypeRelation.WIDER
        if narrower and length and self.d.length_function and change.from_.type.family == change.to.type.family:
            out.append(
                DataCheck(
                    f"SELECT COUNT(*) FROM {q(current.name)} WHERE {self.d.length_function}({q(name)}) > {length}",
                    change.table,
                    change.to.name,
                    f"{{n}} value(s) of {change.table}.{change.to.name} are longer than {length} characters, the "
                    f"new {change.to.type.raw}",
                    "shorten them in a data migration first, or keep the wider type in the target",
                )
            )
        return out

    def _unique(self, table: str, columns: Sequence[str], where: str | None, what: str) -> list[DataCheck]:
        current = self.table(table)
        names = [self.column(table, c) for c in columns]
        if current is None or not names or any(n is None for n in names):
            return []
        q = self.d.q
        cols = ", ".join(q(n) for n in names if n)
        filters = [f"{q(n)} IS NOT NULL" for n in names if n]
        if where:
            filters.append(f"({rename_in_expression(where, self.d.name, self.inverse(table))})")
        sql = (
            f"SELECT COUNT(*) FROM (SELECT 1 AS x FROM {q(current.name)} WHERE {' AND '.join(filters)} "
            f"GROUP BY {cols} HAVING COUNT(*) > 1) AS duplicated"
        )
        return [
            DataCheck(
                sql,
                table,
                ", ".join(columns),
                f"{{n}} value(s) of {table}({', '.join(columns)}) occur more than once, so the {what} cannot be "
                "created",
                "remove or merge the duplicates in a data migration first",
            )
        ]

    def _foreign_key(self, table: str, fk: ForeignKey) -> list[DataCheck]:
        current = self.table(table)
        names = [self.column(table, c) for c in fk.columns]
        if current is None or any(n is None for n in names):
            return []  # a new table or a new column: nothing stored yet to check
        q = self.d.q
        child = [n for n in names if n]
        present = " AND ".join(f"c.{q(n)} IS NOT NULL" for n in child)
        label = f"{table}({', '.join(fk.columns)})"
        parent = self.table(fk.ref_table)
        parent_cols = [self.column(fk.ref_table, c) for c in fk.ref_columns] if parent else []
        by_col = {self.rules.column_key(c.name): c for c in current.columns}
        ref_types = {self.rules.column_key(c.name): c for c in (parent.columns if parent else ())}
        kinds_differ = any(
            by_col[self.rules.column_key(n)].type.family != ref_types[self.rules.column_key(p)].type.family
            for n, p in zip(child, parent_cols, strict=False)
            if p and self.rules.column_key(p) in ref_types
        )
        if parent is None or any(p is None for p in parent_cols) or not parent_cols or kinds_differ:
            return [
                DataCheck(
                    f"SELECT COUNT(*) FROM {q(current.name)} AS c WHERE {present}",
                    table,
                    ", ".join(fk.columns),
                    f"{{n}} stored value(s) of {label} must become keys of {fk.ref_table}"
                    f"({', '.join(fk.ref_columns)}): a data migration, not a schema change",
                    "write a data migration that translates them into the referenced keys (or clears them), then "
                    "plan again",
                )
            ]
        match = " AND ".join(f"p.{q(p)} = c.{q(n)}" for n, p in zip(child, parent_cols, strict=True) if p)
        sql = (
            f"SELECT COUNT(*) FROM {q(current.name)} AS c WHERE {present} AND NOT EXISTS "
            f"(SELECT 1 FROM {q(parent.name)} AS p WHERE {match})"
        )
        return [
            DataCheck(
                sql,
                table,
                ", ".join(fk.columns),
                f"{{n}} row(s) of {label} reference {fk.ref_table} rows that do not exist",
                f"delete those rows, set the reference to NULL, or add the missing {fk.ref_table} rows first",
            )
        ]

    def _check(self, change: ch.AddCheck) -> list[DataCheck]:
        current = self.table(change.table)
        if current is None:
            return []
        expr = rename_in_expression(self.ctx.port.check(change.to).expression, self.d.name, self.inverse(change.table))
        return [
            DataCheck(
                f"SELECT COUNT(*) FROM {self.d.q(current.name)} WHERE NOT ({expr})",
                change.table,
                change.to.column or "",
                f"{{n}} row(s) of {change.table} violate the new check ({change.to.expression})",
                "correct those rows in a data migration first",
            )
        ]
