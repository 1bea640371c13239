"""The partitions of a schema's partitioned tables, from the rows of `PARTITIONS`.

One query returns every partition below the schema's partitioned tables, sub-partitions
too, each with its parent's oid; here they are nested into `Partition` values, so each
table holds its own tree. A partition in another schema than the audited one is named
`schema.name`, as it would have to be written beside the audited schema's DDL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from schemaudit.model import CheckConstraint, ForeignKey, Index, Partition

# A partition's own (indexes, foreign keys, checks) by its oid, as the loader collected them.
Own = Callable[[int], tuple[tuple[Index, ...], tuple[ForeignKey, ...], tuple[CheckConstraint, ...]]]


def _nothing(oid: int) -> tuple[tuple[Index, ...], tuple[ForeignKey, ...], tuple[CheckConstraint, ...]]:
    return (), (), ()


def partitioning(keydef: str | None) -> str | None:
    """`pg_get_partkeydef` (`RANGE (created_at)`) as the clause a CREATE TABLE writes."""
    return f"PARTITION BY {keydef}" if keydef else None


def partitions_by_parent(
    rows: Iterable[tuple[Any, ...]], schema: str, own: Own = _nothing
) -> dict[int, tuple[Partition, ...]]:
    """Partition trees by the oid of the table they belong to (rows sorted by name), each
    partition with what `own` says it has of its own."""
    children: defaultdict[int, list[tuple[int, str, str, str | None]]] = defaultdict(list)
    for parent, oid, name, namespace, bound, keydef in rows:
        shown = name if namespace == schema else f"{namespace}.{name}"
        children[parent].append((oid, shown, bound, keydef))

    def tree(parent: int, seen: frozenset[int]) -> tuple[Partition, ...]:
        return tuple(
            Partition(
                name, bound, partitioning(keydef), tree(oid, seen | {oid}) if oid not in seen else (), None, *own(oid)
            )
            for oid, name, bound, keydef in children.get(parent, ())
        )

    return {parent: tree(parent, frozenset({parent})) for parent in children}
