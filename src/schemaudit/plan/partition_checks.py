"""Rows a partition step would refuse, counted read-only before the plan changes anything.

A bound is turned into the condition PostgreSQL checks for it (`pg_get_partition_constraintdef`
exists only for partitions already attached): `k >= '2024-01-01' AND k < '2025-01-01'` for a
range on one column, `ROW(a, b) >= ROW(1, 2) AND ...` on several, `k IN (...)` (and `k IS
NULL` where the list holds NULL) for a list. A key or bound this cannot spell (an expression
with an operator class, MINVALUE in a multi-column range, a hash bound of a table that is not
partitioned yet) gives no check: the step itself still refuses such rows, and its transaction
leaves the database as it was.

- a partition whose bound changes: its rows outside the new bound;
- a partition added beside a default partition: the default's rows that belong in it;
- a partition partitioned anew: its rows that none of its new partitions takes;
- a table partitioned anew: its rows that no partition of the target takes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from schemaudit.diff import partition_changes as pc
from schemaudit.diff.partitions import top_level as _top_level
from schemaudit.model import Partition, Schema
from schemaudit.plan.model import DataCheck

_KEY = re.compile(r"^\s*PARTITION\s+BY\s+(RANGE|LIST|HASH)\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_SIMPLE = re.compile(r'^\s*("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s*$')


def key_columns(partitioning: str | None) -> tuple[str, list[str]] | None:
    """(strategy, key expressions) of `PARTITION BY RANGE (a, b)`; None if not plain columns."""
    m = _KEY.match(partitioning or "")
    if m is None:
        return None
    columns = [c.strip() for c in _top_level(m.group(2))]
    if not all(_SIMPLE.match(c) for c in columns):
        return None
    return m.group(1).upper(), columns


def holds(partitioning: str | None, bound: str) -> str | None:
    """The condition a row meets when the bound takes it, or None when it cannot be spelled
    (`TRUE` for a default partition: it takes whatever the others do not)."""
    if bound.strip().upper() == "DEFAULT":
        return "TRUE"
    key = key_columns(partitioning)
    if key is None:
        return None
    strategy, columns = key
    m = re.match(r"(?is)^\s*FOR\s+VALUES\s+(?:FROM\s*\((.*?)\)\s*TO\s*\((.*)\)|(IN|WITH)\s*\((.*)\))\s*$", bound)
    if m is None:
        return None
    if m.group(1) is not None:
        word, first, second = "FROM", _top_level(m.group(1)), m.group(2)
    else:
        word, first, second = m.group(3).upper(), _top_level(m.group(4)), None
    if strategy == "LIST" and word == "IN" and len(columns) == 1:
        values = [v.strip() for v in first]
        listed = [v for v in values if v.upper() != "NULL"]
        parts = [f"{columns[0]} IN ({', '.join(listed)})"] if listed else []
        parts += [f"{columns[0]} IS NULL"] if len(listed) < len(values) else []
        return "(" + " OR ".join(parts) + ")" if parts else "FALSE"
    if strategy == "RANGE" and word == "FROM" and second is not None:
        low, high = [v.strip() for v in first], [v.strip() for v in _top_level(second)]
        return _range(columns, low, high)
    return None


def _range(columns: list[str], low: list[str], high: list[str]) -> str | None:
    if len(columns) == 1:
        parts = [f"{columns[0]} >= {low[0]}"] if low[0].upper() != "MINVALUE" else []
        parts += [f"{columns[0]} < {high[0]}"] if high[0].upper() != "MAXVALUE" else []
        return "(" + " AND ".join(parts) + ")" if parts else f"({columns[0]} IS NOT NULL)"
    if any(v.upper() in ("MINVALUE", "MAXVALUE") for v in low + high):
        return None
    row = f"ROW({', '.join(columns)})"
    return f"({row} >= ROW({', '.join(low)}) AND {row} < ROW({', '.join(high)}))"


def takes(partitioning: str | None, partitions: tuple[Partition, ...]) -> str | None:
    """The condition a row meets when some partition takes it (sub-partitions included)."""
    if not partitions:
        return "FALSE"
    parts = []
    for p in partitions:
        own = holds(partitioning, p.bound)
        below = takes(p.partitioning, p.partitions) if p.partitioning else "TRUE"
        if own is None or below is None:
            return None
        parts.append(own if below == "TRUE" else f"({own} AND {below})")
    return "(" + " OR ".join(parts) + ")"


def key_of(schema: Schema, table: str, parent: str) -> str | None:
    """The `PARTITION BY` of `parent`: the table itself or one of its partitions."""
    found = schema.table(table)
    if found is None:
        return None
    key = schema.rules.table_key
    if key(parent) == key(table):
        return found.options.partitioning
    stack = list(found.partitions)
    while stack:
        p = stack.pop()
        if key(p.name) == key(parent):
            return p.partitioning
        stack.extend(p.partitions)
    return None


def _default(schema: Schema, table: str, parent: str) -> Partition | None:
    found = schema.table(table)
    if found is None:
        return None
    key = schema.rules.table_key
    level = found.partitions if key(parent) == key(table) else ()
    stack = list(found.partitions)
    while stack and not level:
        p = stack.pop()
        level = p.partitions if key(p.name) == key(parent) else ()
        stack.extend(p.partitions)
    return next((p for p in level if p.bound.strip().upper() == "DEFAULT"), None)


def checks(change: object, current: Schema, target: Schema, q: Callable[[str], str]) -> list[DataCheck]:
    if isinstance(change, pc.AttachPartition):
        cond = holds(key_of(target, change.table, change.parent), change.to.bound)
        if cond is None or cond == "TRUE":
            return []
        return [
            DataCheck(
                f"SELECT COUNT(*) FROM {q(change.to.name)} WHERE {cond} IS NOT TRUE",
                change.table,
                "",
                f"{{n}} row(s) of partition {change.to.name} of {change.parent} fall outside its new bound "
                f"{change.to.bound}",
                "move those rows to the partition that will hold them (a data migration) or widen the bound "
                "in the target, then plan again",
            )
        ]
    if isinstance(change, pc.ModifyPartition) and pc.PartitionChange.PARTITIONING in change.kinds:
        own = holds(key_of(target, change.table, change.parent), change.to.bound)
        below = takes(change.to.partitioning, change.to.partitions) if change.to.partitioning else "TRUE"
        if own is None or below is None:
            return []
        return [
            DataCheck(
                f"SELECT COUNT(*) FROM {q(change.from_.name)} WHERE ({own} AND {below}) IS NOT TRUE",
                change.table,
                "",
                f"{{n}} row(s) of partition {change.to.name} of {change.parent} fall in none of the partitions "
                "the target gives it",
                "add a partition for them (or a DEFAULT partition) to the target, or move them, then plan again",
            )
        ]
    if isinstance(change, pc.AddPartition):
        default = _default(current, change.table, change.parent)
        cond = holds(key_of(target, change.table, change.parent), change.to.bound) if default else None
        if default is None or cond is None or cond == "TRUE":
            return []
        return [
            DataCheck(
                f"SELECT COUNT(*) FROM {q(default.name)} WHERE {cond}",
                change.table,
                "",
                f"{{n}} row(s) of the default partition {default.name} of {change.parent} belong in the new "
                f"partition {change.to.name}, which PostgreSQL will not create while they are there",
                f"move them out of {default.name} first (a data migration: detach it, create {change.to.name}, "
                "copy the rows in and attach the default again), then plan again",
            )
        ]
    return []


def unplaced_rows(table: str, name_now: str, target: Schema, q: Callable[[str], str]) -> list[DataCheck]:
    """A table partitioned anew: its rows that no partition of the target takes."""
    wanted = target.table(table)
    if wanted is None or not wanted.options.partitioned:
        return []
    cond = takes(wanted.options.partitioning, wanted.partitions)
    if cond is None:
        return []
    return [
        DataCheck(
            f"SELECT COUNT(*) FROM {q(name_now)} WHERE {cond} IS NOT TRUE",
            table,
            "",
            f"{{n}} row(s) of {table} fall in no partition the target defines for it",
            "add a partition for them (or a DEFAULT partition) to the target, or delete them, then plan again",
        )
    ]
