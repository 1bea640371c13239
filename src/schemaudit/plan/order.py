"""Orders that depend on foreign keys: which new table to create first, which table to drop
first, and which foreign keys must wait until their tables exist.

Deterministic by construction: ties are broken by table key, and a cycle is broken at the
table with the smallest key, so the same schemas always give the same plan.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from schemaudit.model import ForeignKey, Table


@dataclass(frozen=True, slots=True)
class CreateOrder:
    """New tables in creation order, and the foreign keys left out of their CREATE TABLE
    (added once every table exists), by table key."""

    tables: tuple[Table, ...]
    deferred: Mapping[str, tuple[ForeignKey, ...]]


def create_order(tables: Sequence[Table], key: Callable[[str], str], forward_references: bool) -> CreateOrder:
    """Parents before children. With `forward_references` (SQLite, which checks a reference
    only when rows are written) any order works and nothing is deferred; elsewhere a cycle
    is broken by creating one table without its references to tables not yet created."""
    by_key = {key(t.name): t for t in tables}
    if forward_references:
        return CreateOrder(tuple(by_key[k] for k in sorted(by_key)), {})
    parents = {
        k: {key(fk.ref_table) for fk in t.foreign_keys if key(fk.ref_table) in by_key and key(fk.ref_table) != k}
        for k, t in by_key.items()
    }
    done: list[str] = []
    deferred: dict[str, tuple[ForeignKey, ...]] = {}
    remaining = set(by_key)
    while remaining:
        ready = sorted(k for k in remaining if not (parents[k] & remaining))
        if not ready:  # a cycle: create the smallest-keyed table first, its forward FKs later
            k = min(remaining)
            waiting = tuple(
                fk for fk in by_key[k].foreign_keys if key(fk.ref_table) in remaining and key(fk.ref_table) != k
            )
            deferred[k] = waiting
            ready = [k]
        k = ready[0]
        done.append(k)
        remaining.discard(k)
    return CreateOrder(tuple(by_key[k] for k in done), deferred)


def drop_order(tables: Sequence[Table], key: Callable[[str], str]) -> tuple[Table, ...]:
    """Children before parents (the reverse of creation order, cycles included)."""
    order = create_order(tables, key, forward_references=False)
    return tuple(reversed(order.tables))
