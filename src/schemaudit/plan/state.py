"""The schema as it stands between steps: renames applied, then each table's changes.

The planner never guesses what a table looks like after a step: it applies the changes to
the model values. A SQLite rebuild creates exactly this evolved table, and MySQL's `MODIFY`
restates exactly this evolved column, so a rebuild changes what the plan says and nothing
else (a current `TEXT` column the target spells `UUID` stays `TEXT`: that is a note, not work).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlglot import exp

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import ColumnChange, TableChange, TypeRelation
from schemaudit.diff.expressions import SQLGLOT_DIALECT, parse
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Schema,
    Table,
    UniqueConstraint,
)
from schemaudit.plan.model import PlanChange
from schemaudit.plan.names import RenameConstraint, RenameIndex
from schemaudit.plan.porter import Porter


@dataclass(frozen=True, slots=True)
class Renames:
    """Table renames (current key -> target name) and column renames per target table key
    (current column key -> target column name), read from the changes."""

    rules: IdentifierRules
    tables: Mapping[str, str]
    columns: Mapping[str, Mapping[str, str]]

    @classmethod
    def of(cls, changes: Iterable[PlanChange], rules: IdentifierRules) -> Renames:
        tables: dict[str, str] = {}
        columns: dict[str, dict[str, str]] = {}
        for change in changes:
            if isinstance(change, ch.RenameTable):
                tables[rules.table_key(change.from_)] = change.to
            elif isinstance(change, ch.RenameColumn):
                columns.setdefault(rules.table_key(change.table), {})[rules.column_key(change.from_)] = change.to
        return cls(rules, tables, columns)

    def table(self, current_name: str) -> str:
        return self.tables.get(self.rules.table_key(current_name), current_name)

    def column_map(self, table_after: str) -> Mapping[str, str]:
        return self.columns.get(self.rules.table_key(table_after), {})

    def column(self, table_after: str, name: str) -> str:
        return self.column_map(table_after).get(self.rules.column_key(name), name)


def renamed_schema(current: Schema, renames: Renames) -> Schema:
    """`current` with every table and column rename applied, references included."""
    if not renames.tables and not renames.columns:
        return current
    tables = tuple(_renamed_table(t, renames, current.dialect) for t in current.tables)
    return replace(current, tables=tuple(sorted(tables, key=lambda t: t.name)))


def _renamed_table(table: Table, renames: Renames, dialect: str) -> Table:
    name = renames.table(table.name)
    cmap = renames.column_map(name)
    if name == table.name and not cmap:  # at most its references to renamed tables or columns change
        if not any(_refs_renamed(fk, renames) for fk in table.foreign_keys):
            return table
        return replace(table, foreign_keys=tuple(rename_fk(fk, _same, renames) for fk in table.foreign_keys))

    def col(c: str) -> str:
        return renames.column(name, c)

    def cols(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(col(c) for c in names)

    def expr(text: str) -> str:
        return rename_in_expression(text, dialect, cmap)

    columns = tuple(
        replace(
            c,
            name=col(c.name),
            generated=replace(c.generated, expression=expr(c.generated.expression)) if c.generated else None,
        )
        for c in table.columns
    )
    pk = replace(table.primary_key, columns=cols(table.primary_key.columns)) if table.primary_key else None
    fks = tuple(rename_fk(fk, col, renames) for fk in table.foreign_keys)
    indexes = tuple(rename_index(i, col, expr) for i in table.indexes)
    uniques = tuple(replace(u, columns=cols(u.columns)) for u in table.uniques)
    checks = tuple(
        replace(c, expression=expr(c.expression), column=col(c.column) if c.column else None) for c in table.checks
    )
    return replace(
        table,
        name=name,
        columns=columns,
        primary_key=pk,
        foreign_keys=fks,
        indexes=indexes,
        uniques=uniques,
        checks=checks,
    )


def _same(name: str) -> str:
    return name


def _refs_renamed(fk: ForeignKey, renames: Renames) -> bool:
    return renames.rules.table_key(fk.ref_table) in renames.tables or bool(renames.column_map(fk.ref_table))


def rename_fk(fk: ForeignKey, col: Callable[[str], str], renames: Renames) -> ForeignKey:
    ref = renames.table(fk.ref_table)
    return replace(
        fk,
        columns=tuple(col(c) for c in fk.columns),
        ref_table=ref,
        ref_columns=tuple(renames.column(ref, c) for c in fk.ref_columns),
    )


def rename_index(index: Index, col: Callable[[str], str], expr: Callable[[str], str]) -> Index:
    elements = tuple(
        replace(e, expr=expr(e.expr)) if e.is_expression else replace(e, expr=col(e.expr)) for e in index.elements
    )
    return replace(
        index,
        elements=elements,
        where=expr(index.where) if index.where else None,
        include=tuple(col(c) for c in index.include),
    )


_T = TypeVar("_T")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


def rename_in_expression(text: str, dialect: str, mapping: Mapping[str, str]) -> str:
    """Rename column references inside an SQL expression (keys of `mapping` are column keys
    under case-insensitive rules). Unchanged text when no renamed name occurs in it."""
    if not mapping:
        return text
    lowered = {k.lower(): v for k, v in mapping.items()}
    if not any(w.lower() in lowered for w in _WORD.findall(text)) and not any(k in text.lower() for k in lowered):
        return text
    tree = parse(text, dialect)
    if tree is None:
        return text

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name.lower() in lowered:
            return exp.column(lowered[node.name.lower()], quoted=True)
        return node

    return tree.transform(swap).sql(dialect=SQLGLOT_DIALECT.get(dialect, dialect))


# ---- evolving one table by its changes ---------------------------------------------------


def evolve(table: Table, changes: Iterable[PlanChange], port: Porter, renames: Renames, dialect: str) -> Table:
    """The table after `changes` (its own; `table` is already renamed): target values are
    ported to the plan's dialect, current values stay as they are."""
    key = renames.rules.column_key
    old = _OldSide(table.name, renames, dialect)
    for change in changes:
        if isinstance(change, ch.AddColumn):
            table = _insert_column(table, port.column(change.to), port.target_table(change.table), key)
        elif isinstance(change, ch.DropColumn):
            gone = key(old.col(change.from_.name))
            table = replace(table, columns=tuple(c for c in table.columns if key(c.name) != gone))
        elif isinstance(change, ch.ModifyColumn):
            table = _modify_column(table, change, port, key)
        elif isinstance(change, (ch.AddPrimaryKey, ch.ModifyPrimaryKey)):
            table = replace(table, primary_key=port.primary_key(change.to))
        elif isinstance(change, ch.DropPrimaryKey):
            table = replace(table, primary_key=None)
        elif isinstance(change, RenameIndex):
            table = replace(
                table, indexes=tuple(replace(i, name=change.to) if i.name == change.from_ else i for i in table.indexes)
            )
        elif isinstance(change, RenameConstraint):
            table = _rename_constraint(table, change)
        elif isinstance(change, ch.ModifyTable):
            if TableChange.COMMENT in change.kinds:
                table = replace(table, comment=change.to.comment)
            if TableChange.OPTIONS in change.kinds:
                table = replace(table, options=change.to.options)
        else:
            table = _evolve_part(table, change, port, old)
    return table


def _rename_constraint(table: Table, change: RenameConstraint) -> Table:
    def named(items: tuple[_T, ...]) -> tuple[_T, ...]:
        return tuple(replace(x, name=change.to) if getattr(x, "name", None) == change.from_ else x for x in items)  # type: ignore[type-var]

    pk = table.primary_key
    if pk is not None and pk.name == change.from_:
        pk = replace(pk, name=change.to)
    return replace(
        table,
        primary_key=pk,
        uniques=named(table.uniques),
        checks=named(table.checks),
        foreign_keys=named(table.foreign_keys),
    )


class _OldSide:
    """Current-side objects named in a change (`from_`), renamed like the state holds them."""

    def __init__(self, table: str, renames: Renames, dialect: str) -> None:
        self.table, self.renames, self.dialect = table, renames, dialect

    def col(self, name: str) -> str:
        return self.renames.column(self.table, name)

    def expr(self, text: str) -> str:
        return rename_in_expression(text, self.dialect, self.renames.column_map(self.table))

    def fk(self, fk: ForeignKey) -> ForeignKey:
        return rename_fk(fk, self.col, self.renames)

    def index(self, index: Index) -> Index:
        return rename_index(index, self.col, self.expr)

    def unique(self, unique: UniqueConstraint) -> UniqueConstraint:
        return replace(unique, columns=tuple(self.col(c) for c in unique.columns))

    def check(self, check: CheckConstraint) -> CheckConstraint:
        return replace(
            check, expression=self.expr(check.expression), column=self.col(check.column) if check.column else None
        )


def _evolve_part(table: Table, change: PlanChange, port: Porter, old: _OldSide) -> Table:
    """Constraints and indexes: the `from_` side is removed, the `to` side added."""
    if isinstance(change, (ch.AddForeignKey, ch.DropForeignKey, ch.ModifyForeignKey)):
        fks = list(table.foreign_keys)
        if not isinstance(change, ch.AddForeignKey):
            fks = _without(fks, old.fk(change.from_))
        if not isinstance(change, ch.DropForeignKey):
            fks.append(port.foreign_key(change.to))
        return replace(table, foreign_keys=tuple(fks))
    if isinstance(change, (ch.AddIndex, ch.DropIndex, ch.ModifyIndex)):
        indexes = list(table.indexes)
        if not isinstance(change, ch.AddIndex):
            indexes = _without(indexes, old.index(change.from_))
        if not isinstance(change, ch.DropIndex):
            indexes.append(port.index(change.to))
        return replace(table, indexes=tuple(indexes))
    if isinstance(change, ch.AddUnique):
        return replace(table, uniques=(*table.uniques, port.unique(change.to)))
    if isinstance(change, ch.DropUnique):
        return replace(table, uniques=tuple(_without(list(table.uniques), old.unique(change.from_))))
    if isinstance(change, ch.AddCheck):
        return replace(table, checks=(*table.checks, port.check(change.to)))
    if isinstance(change, ch.DropCheck):
        return replace(table, checks=tuple(_without(list(table.checks), old.check(change.from_))))
    return table


def _without(items: list[_T], old: _T) -> list[_T]:
    """Remove the item equal to `old` (the state holds renamed copies of current objects)."""
    if old in items:
        items.remove(old)
    return items


def _insert_column(table: Table, col: Column, target: Table | None, key: Callable[[str], str]) -> Table:
    """Place a new column after its predecessor in the target's order (else at the end)."""
    columns = list(table.columns)
    position = len(columns)
    if target is not None:
        order = [key(c.name) for c in target.columns]
        names = [key(c.name) for c in columns]
        at = order.index(key(col.name)) if key(col.name) in order else -1
        for previous in reversed(order[:at] if at >= 0 else []):
            if previous in names:
                position = names.index(previous) + 1
                break
        else:
            if at == 0:
                position = 0
    columns.insert(position, col)
    return replace(table, columns=tuple(columns))


def _modify_column(table: Table, change: ch.ModifyColumn, port: Porter, key: Callable[[str], str]) -> Table:
    wanted = key(change.to.name)
    columns = []
    for c in table.columns:
        if key(c.name) == wanted:
            c = modified_column(c, change, port)
        columns.append(c)
    return replace(table, columns=tuple(columns))


def modified_column(c: Column, change: ch.ModifyColumn, port: Porter) -> Column:
    """Current column `c` with the kinds of `change` taken from the (ported) target."""
    to = port.column(change.to)
    kinds = change.kinds
    if ColumnChange.TYPE in kinds and change.type_relation is not TypeRelation.EQUIVALENT:
        c = replace(c, type=to.type)
    if ColumnChange.NULLABLE in kinds:
        c = replace(c, nullable=to.nullable)
    if ColumnChange.DEFAULT in kinds:
        c = replace(c, default=to.default)
    if ColumnChange.IDENTITY in kinds:
        c = replace(c, identity=to.identity, default=None if to.identity else c.default)
    if ColumnChange.GENERATED in kinds:
        c = replace(c, generated=to.generated, default=None if to.generated else c.default)
    if ColumnChange.COMMENT in kinds:
        c = replace(c, comment=to.comment)
    if ColumnChange.COLLATION in kinds:
        c = replace(c, collation=to.collation)
    if ColumnChange.ON_UPDATE in kinds:
        c = replace(c, on_update=to.on_update)
    return c
