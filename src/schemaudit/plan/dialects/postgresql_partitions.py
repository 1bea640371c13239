"""PostgreSQL declarative partitions: created with their table, added, dropped, re-bounded.

- A partitioned table is created with its `PARTITION BY` key, then each partition with
  `CREATE TABLE p PARTITION OF t <bound>` (a sub-partitioned one with its own key, then its
  partitions). Indexes and keys declared on the table are built on every partition by
  PostgreSQL itself, so partitions carry no DDL of their own.
- A partition is added the same way; dropped (`DROP TABLE`, with its rows) only with
  `--allow-drop`.
- A changed bound keeps the rows: `DETACH PARTITION`, then `ATTACH PARTITION ... <new bound>`,
  which checks every row of the partition against the new bound. The planner detaches before
  it creates partitions and attaches after, so ranges moving between partitions never overlap
  on the way, and `apply` counts first the rows the new bound would not hold.
- A partition whose own partitioning changes is built anew with its rows: set aside in a
  temporary table, the partition dropped and created again with its new key and partitions,
  the rows put back (`apply` counts first the rows its new partitions would not hold).
"""

from __future__ import annotations

from typing import Protocol

from schemaudit.diff import partition_changes as pc
from schemaudit.model import Partition
from schemaudit.plan.dialects.base import hazard
from schemaudit.plan.dialects.context import Op, Unsupported
from schemaudit.plan.model import Statement


class _Quoting(Protocol):
    def q(self, name: str) -> str: ...


def relation(d: _Quoting, name: str) -> str:
    """A partition's name, `schema.name` when it lives in another schema than its table's."""
    schema, dot, rest = name.partition(".")
    return f"{d.q(schema)}.{d.q(rest)}" if dot and schema and rest else d.q(name)


def create(d: _Quoting, parent: str, p: Partition) -> list[str]:
    """`CREATE TABLE ... PARTITION OF` for a partition and, below it, its own partitions."""
    text = f"CREATE TABLE {relation(d, p.name)} PARTITION OF {relation(d, parent)} {p.bound}"
    if p.partitioning:
        text += f" {p.partitioning}"
    out = [text]
    for child in p.partitions:
        out.extend(create(d, p.name, child))
    return out


def add(d: _Quoting, change: pc.AddPartition) -> list[Op]:
    default = hazard(
        "partition_default_rows",
        f"rows of a default partition of {change.parent} that belong in {change.to.name} stop the step",
    )
    return [Statement(sql, hazards=(default,)) for sql in create(d, change.parent, change.to)]


def drop(d: _Quoting, change: pc.DropPartition) -> list[Op]:
    lost = hazard("data_loss", f"drops partition {change.from_.name} of {change.parent} and every row in it")
    return [Statement(f"DROP TABLE {relation(d, change.from_.name)}", hazards=(lost,))]


def modify(d: _Quoting, change: pc.ModifyPartition, columns: list[str]) -> list[Op]:
    """A changed bound: detached and attached again. A partition partitioned anew (another
    sub-partitioning key, or in or out of sub-partitioning): its rows are set aside in a
    temporary table, the partition (with its own partitions and indexes, whose names the new
    ones take) dropped and created anew, and the rows put back through it."""
    if pc.PartitionChange.PARTITIONING not in change.kinds:
        return [
            *detach(d, pc.DetachPartition(change.table, change.parent, change.from_)),
            *attach(d, pc.AttachPartition(change.table, change.parent, change.to)),
        ]
    if not columns:
        raise Unsupported(f"the columns of {change.table} are not known: partition {change.to.name} by hand")
    name, aside = relation(d, change.to.name), d.q(("_schemaudit_rows_" + change.to.name)[:63])
    listed = ", ".join(d.q(c) for c in columns)
    moved = hazard("table_rebuild", f"rebuilds partition {change.to.name}: its rows are copied out and back")
    return [
        Statement(f"CREATE TEMPORARY TABLE {aside} AS SELECT {listed} FROM {name}", hazards=(moved,)),
        Statement(f"DROP TABLE {relation(d, change.from_.name)}"),
        *(Statement(sql) for sql in create(d, change.parent, change.to)),
        Statement(f"INSERT INTO {name} ({listed}) SELECT {listed} FROM {aside}"),
        Statement(f"DROP TABLE {aside}"),
    ]


def detach(d: _Quoting, change: pc.DetachPartition) -> list[Op]:
    return [Statement(f"ALTER TABLE {relation(d, change.parent)} DETACH PARTITION {relation(d, change.from_.name)}")]


def attach(d: _Quoting, change: pc.AttachPartition) -> list[Op]:
    scan = hazard(
        "partition_bound_check",
        f"ATTACH PARTITION reads every row of {change.to.name} to check it fits {change.to.bound}",
    )
    sql = f"ALTER TABLE {relation(d, change.parent)} ATTACH PARTITION {relation(d, change.to.name)} {change.to.bound}"
    return [Statement(sql, hazards=(scan,))]
