"""One immutable value per operation on a PostgreSQL partition, like the table changes in
`changes`, and the comparison of two tables' partitions that produces them.

`table` is the partitioned table at the top (target-side name), so code that groups changes
by table finds them there; `parent` is the table or sub-partitioned partition the partition
belongs to directly, the one `ATTACH PARTITION` and `PARTITION OF` name. Partitions are
matched by name; a bound or a sub-partitioning key is compared by meaning
(`partitions.bound_key`, `partitions.partition_key`), never by spelling.

`DetachPartition` and `AttachPartition` are the two halves of a changed bound: the planner
detaches before it creates partitions and attaches after, so ranges that move between
partitions never overlap on the way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from schemaudit.diff.partitions import bound_key, partition_key
from schemaudit.model import Partition


class PartitionChange(str, Enum):
    BOUND = "bound"
    PARTITIONING = "partitioning"  # the partition's own `PARTITION BY` (sub-partitions)


def partition_sql(p: Partition) -> str:
    return f"{p.bound} {p.partitioning}" if p.partitioning else p.bound


@dataclass(frozen=True, slots=True)
class AddPartition:
    rank: ClassVar[int] = 3
    table: str
    parent: str
    to: Partition

    def describe(self) -> str:
        return f"Partition {self.to.name} of {self.parent} ({partition_sql(self.to)}) is missing."


@dataclass(frozen=True, slots=True)
class DropPartition:
    rank: ClassVar[int] = 3
    table: str
    parent: str
    from_: Partition

    def describe(self) -> str:
        return (
            f"Partition {self.from_.name} of {self.parent} ({partition_sql(self.from_)}) is not in the target; "
            "its rows go with it when it is dropped."
        )


@dataclass(frozen=True, slots=True)
class ModifyPartition:
    rank: ClassVar[int] = 3
    table: str
    parent: str
    from_: Partition
    to: Partition
    kinds: frozenset[PartitionChange]

    def describe(self) -> str:
        parts = []
        if PartitionChange.BOUND in self.kinds:
            parts.append(f"bound {self.from_.bound} vs {self.to.bound}")
        if PartitionChange.PARTITIONING in self.kinds:
            parts.append(f"partitioning {self.from_.partitioning or 'none'} vs {self.to.partitioning or 'none'}")
        return f"Partition {self.to.name} of {self.parent} differs (current vs target): {'; '.join(parts)}."


@dataclass(frozen=True, slots=True)
class DetachPartition:
    """The first half of a changed bound (planned before new partitions are created)."""

    rank: ClassVar[int] = 3
    table: str
    parent: str
    from_: Partition

    def describe(self) -> str:
        return f"Partition {self.from_.name} is detached from {self.parent}."


@dataclass(frozen=True, slots=True)
class AttachPartition:
    """The second half of a changed bound: attached again with the target's bound."""

    rank: ClassVar[int] = 3
    table: str
    parent: str
    to: Partition

    def describe(self) -> str:
        return f"Partition {self.to.name} is attached to {self.parent} {self.to.bound}."


PartitionOp = AddPartition | DropPartition | ModifyPartition
PARTITION_CHANGES = (AddPartition, DropPartition, ModifyPartition)


def diff_partitions(
    table: str, targets: tuple[Partition, ...], currents: tuple[Partition, ...], key: Callable[[str], str]
) -> list[PartitionOp]:
    """Drops first, then changed bounds, then additions, sub-partitions after their parent."""
    drops: list[PartitionOp] = []
    mods: list[PartitionOp] = []
    adds: list[PartitionOp] = []
    for change in _walk(table, table, targets, currents, key):
        (drops if isinstance(change, DropPartition) else mods if isinstance(change, ModifyPartition) else adds).append(
            change
        )
    return drops + mods + adds


def _walk(
    table: str, parent: str, targets: tuple[Partition, ...], currents: tuple[Partition, ...], key: Callable[[str], str]
) -> Iterator[PartitionOp]:
    left = {key(p.name): p for p in currents}
    for p in targets:
        old = left.pop(key(p.name), None)
        if old is None:
            yield AddPartition(table, parent, p)
            continue
        kinds = set()
        if bound_key(p.bound) != bound_key(old.bound):
            kinds.add(PartitionChange.BOUND)
        if partition_key(p.partitioning) != partition_key(old.partitioning):
            kinds.add(PartitionChange.PARTITIONING)
        if kinds:
            yield ModifyPartition(table, parent, old, p, frozenset(kinds))
        if PartitionChange.PARTITIONING not in kinds:
            yield from _walk(table, p.name, p.partitions, old.partitions, key)
    for old in left.values():
        yield DropPartition(table, parent, old)


def same_partitions(a: tuple[Partition, ...], b: tuple[Partition, ...]) -> bool:
    """Equal in meaning, origins aside."""
    if a == b:
        return True
    return len(a) == len(b) and all(
        x.name == y.name
        and bound_key(x.bound) == bound_key(y.bound)
        and partition_key(x.partitioning) == partition_key(y.partitioning)
        and same_partitions(x.partitions, y.partitions)
        and not _owns(x)
        and not _owns(y)  # own keys are compared in full (`table_diff.partition_keys`)
        for x, y in zip(a, b, strict=True)
    )


def _owns(p: Partition) -> bool:
    return bool(p.indexes or p.foreign_keys or p.checks)
