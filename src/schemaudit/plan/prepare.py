"""What the planner works out before it orders anything: which foreign keys must wait, which
must step aside for a type change, and which index and constraint names to carry over.

Plain functions over the plan context; each answers one question the planner asks once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import Change, ColumnChange, TypeRelation
from schemaudit.diff.normalize import storage
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Column, ForeignKey, Partition, Schema, Table
from schemaudit.plan.dialects.base import Dialect, same_enum_type
from schemaudit.plan.dialects.context import PlanContext
from schemaudit.plan.model import PlanChange
from schemaudit.plan.names import RenameConstraint, RenameIndex, name_changes
from schemaudit.plan.porter import Porter


def waits_for_parent_key(
    fk: ForeignKey, state: Schema, after: Mapping[str, Table], new_tables: set[str], rules: IdentifierRules
) -> bool:
    """A new table's reference to an existing table whose referenced key this plan adds:
    it is added once the key exists (PostgreSQL and MySQL check the key at once)."""
    key = rules.table_key(fk.ref_table)
    if key in new_tables:
        return False
    parent = state.table(fk.ref_table)
    if parent is None:
        return key in after
    ckey = rules.column_key
    wanted = sorted(ckey(c) for c in fk.ref_columns)
    keys = [u.columns for u in parent.uniques] + [i.columns for i in parent.indexes if i.unique and not i.where]
    if parent.primary_key is not None:
        keys.append(parent.primary_key.columns)
    return not any(sorted(ckey(c) for c in cols) == wanted for cols in keys)


def unblock_retypes(work: Sequence[Change], ctx: PlanContext, rules: IdentifierRules) -> dict[str, list[PlanChange]]:
    """Where a column's type cannot change under a foreign key (MySQL): the keys on such
    columns, as extra drop-and-add changes by table key (dropped before the alteration,
    added again after it). Keys other changes already replace are left to them."""
    key, ckey = rules.table_key, rules.column_key
    retyped = {
        (key(c.table), ckey(c.to.name))
        for c in work
        if isinstance(c, ch.ModifyColumn)
        and ColumnChange.TYPE in c.kinds
        and c.type_relation is not TypeRelation.EQUIVALENT
    }
    handled = {
        (key(c.table), tuple(ckey(x) for x in c.to.columns))
        for c in work
        if isinstance(c, (ch.AddForeignKey, ch.ModifyForeignKey))
    }
    extra: dict[str, list[PlanChange]] = {}
    if not retyped:
        return extra
    for table in ctx.state.tables:
        after = ctx.after(table.name)
        for fk in table.foreign_keys if after is not None else ():
            cols = tuple(ckey(x) for x in fk.columns)
            touched = any((key(table.name), x) in retyped for x in cols) or any(
                (key(fk.ref_table), ckey(x)) in retyped for x in fk.ref_columns
            )
            assert after is not None
            kept = next(
                (
                    f
                    for f in after.foreign_keys
                    if tuple(ckey(x) for x in f.columns) == cols and key(f.ref_table) == key(fk.ref_table)
                ),
                None,
            )
            if touched and kept is not None and (key(table.name), cols) not in handled:
                extra.setdefault(key(table.name), []).extend(
                    [ch.DropForeignKey(table.name, fk), ch.AddForeignKey(table.name, kept)]
                )
    return extra


def object_renames(
    target: Schema, state: Schema, work: Sequence[Change], rules: IdentifierRules, dialect: Dialect
) -> list[RenameIndex | RenameConstraint]:
    """Index and constraint renames the dialect can make in place (see `names`)."""
    found: list[RenameIndex | RenameConstraint] = []
    for n in name_changes(target, state, work, rules):
        if storage(dialect.name).fk_needs_index and _backs_fk(target, n, rules):
            continue  # the server names the index it creates for a foreign key
        if isinstance(n, RenameConstraint) and n.kind == "unique" and dialect.unique_is_index:
            found.append(RenameIndex(n.table, n.from_, n.to))
        elif isinstance(n, RenameIndex) or dialect.renames_constraints:
            found.append(n)
    return found


def _backs_fk(target: Schema, change: RenameIndex | RenameConstraint, rules: IdentifierRules) -> bool:
    table = target.table(change.table)
    if table is None or not isinstance(change, RenameIndex):
        return False
    index = next((i for i in table.indexes if i.name == change.to), None)
    if index is None:
        return False
    key = rules.column_key
    lead = [key(c) for c in index.columns]
    return any(lead[: len(fk.columns)] == [key(c) for c in fk.columns] for fk in table.foreign_keys)


def labels_only(change: Change, current: Schema) -> bool:
    """A column whose enum type only gains labels (`ALTER TYPE ... ADD VALUE`): no ALTER
    COLUMN, which would be a no-op at best and a rewrite hazard in the plan at worst."""
    return (
        isinstance(change, ch.ModifyColumn)
        and set(change.kinds) == {ch.ColumnChange.TYPE}
        and same_enum_type(change.from_, change.to, current)
    )


def partition_tables(target: Schema, rules: IdentifierRules, port: Porter) -> dict[str, Table]:
    """Every partition of the target as a table: its table's columns, its own indexes,
    foreign keys and checks (what the plan adds to a partition, see `table_diff.partition_keys`)."""
    out: dict[str, Table] = {}

    def walk(columns: tuple[Column, ...], partitions: tuple[Partition, ...]) -> None:
        for p in partitions:
            own = Table(p.name, columns, indexes=p.indexes, foreign_keys=p.foreign_keys, checks=p.checks)
            out[rules.table_key(p.name)] = port.table(own)
            walk(columns, p.partitions)

    for table in target.tables:
        if table.partitions:
            walk(table.columns, table.partitions)
    return out
