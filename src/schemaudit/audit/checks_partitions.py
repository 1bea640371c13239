"""Rules on PostgreSQL partitions and partition keys (see `diff.partition_changes`).

A missing partition breaks inserts: a row whose key falls in its range finds no partition
("no partition of relation found for row") unless a default partition takes it, in which
case the rows land there and nothing fails (a warning: the default partition grows, and
the partition cannot be created later while the default holds rows of its range).
"""

from __future__ import annotations

from collections.abc import Iterator

from schemaudit.audit.draft import Context, Draft, origin_text
from schemaudit.audit.wording import spelled
from schemaudit.diff.changes import ModifyTable, TableChange
from schemaudit.diff.partition_changes import AddPartition, DropPartition, ModifyPartition, PartitionChange
from schemaudit.diff.partitions import partition_key
from schemaudit.model import Partition, Schema


def _siblings(schema: Schema, table: str, parent: str) -> tuple[Partition, ...]:
    """The partitions `parent` has in `schema` (the table itself or one of its partitions)."""
    found = schema.table(table)
    if found is None:
        return ()
    if schema.rules.table_key(parent) == schema.rules.table_key(table):
        return found.partitions
    stack = list(found.partitions)
    while stack:
        p = stack.pop()
        if schema.rules.table_key(p.name) == schema.rules.table_key(parent):
            return p.partitions
        stack.extend(p.partitions)
    return ()


def _default_of(ctx: Context, c: AddPartition) -> str | None:
    return next((p.name for p in _siblings(ctx.current, c.table, c.parent) if p.bound.upper() == "DEFAULT"), None)


def _create(ctx: Context, c: AddPartition) -> str:
    f = ctx.fixes
    key = f" {c.to.partitioning}" if c.to.partitioning else ""
    return f"CREATE TABLE {f.name(c.to.name)} PARTITION OF {f.name(c.parent)} {c.to.bound}{key};"


def missing_partition(c: AddPartition, ctx: Context) -> Iterator[Draft]:
    if _default_of(ctx, c) is None:
        yield Draft(
            c.table,
            None,
            f"Partition {c.to.name} of {c.parent} ({c.to.bound}) is missing: rows in its range find no partition "
            "and their inserts fail.",
            recommendation=_create(ctx, c),
            origin=origin_text(c.to.origin),
        )


def missing_partition_default_holds(c: AddPartition, ctx: Context) -> Iterator[Draft]:
    default = _default_of(ctx, c)
    if default is not None:
        yield Draft(
            c.table,
            None,
            f"Partition {c.to.name} of {c.parent} ({c.to.bound}) is missing: its rows go to the default "
            f"partition {default}.",
            recommendation=f"{_create(ctx, c)} (rows of its range in {default} must move first)",
            origin=origin_text(c.to.origin),
        )


def extra_partition(c: DropPartition, ctx: Context) -> Iterator[Draft]:
    yield Draft(
        c.table,
        None,
        f"Partition {c.from_.name} of {c.parent} ({c.from_.bound}) is not in the target; it holds rows the target "
        "would route elsewhere or refuse. Safe to keep.",
        recommendation=f"Keep it; to remove it with its rows: DROP TABLE {ctx.fixes.name(c.from_.name)};",
    )


def partition_bound_differs(c: ModifyPartition, ctx: Context) -> Iterator[Draft]:
    if PartitionChange.BOUND in c.kinds:
        f = ctx.fixes
        parent, name = f.name(c.parent), f.name(c.to.name)
        yield Draft(
            c.table,
            None,
            f"Partition {c.to.name} of {c.parent} holds {c.from_.bound}, target {c.to.bound}.",
            recommendation=f"ALTER TABLE {parent} DETACH PARTITION {name}; "
            f"ALTER TABLE {parent} ATTACH PARTITION {name} {c.to.bound};",
            origin=origin_text(c.to.origin),
        )


def sub_partitioning_differs(c: ModifyPartition, ctx: Context) -> Iterator[Draft]:
    if PartitionChange.PARTITIONING in c.kinds:
        yield Draft(
            c.table,
            None,
            f"Partition {c.to.name} of {c.parent} is {c.from_.partitioning or 'not partitioned'}, "
            f"target {c.to.partitioning or 'not partitioned'}.",
            recommendation="Create the partition anew with the target's partitioning and copy its rows.",
            origin=origin_text(c.to.origin),
        )


def key_changes(c: ModifyTable) -> bool:
    """Both tables are partitioned, on different keys (what SA109 says, and SA105 leaves out)."""
    to, now = c.to.options, c.from_.options
    return (
        TableChange.OPTIONS in c.kinds
        and to.partitioned
        and now.partitioned
        and bool(to.partitioning and now.partitioning)
        and partition_key(to.partitioning) != partition_key(now.partitioning)
    )


def partition_key_differs(c: ModifyTable, ctx: Context) -> Iterator[Draft]:
    if key_changes(c):
        yield Draft(
            c.table,
            None,
            f"Table {c.table} is {spelled(c.from_.options.partitioning)}, target {spelled(c.to.options.partitioning)}: "
            "rows are routed to partitions by another key.",
            recommendation=ctx.fixes.rebuild(c.table, "partition it by the target's key and copy the rows"),
            origin=origin_text(c.to.origin),
        )
