"""How long `compare()` takes on two 5,000-table schemas that differ in 1% of columns.

Run as a script for the figure (timing is not asserted: machines differ):

    .venv/bin/python tests/test_diff_perf.py [tables] [repeat] [--origins]

The two schemas are built independently (no shared objects, as two loads would produce), with
about 12 columns, an FK, two indexes, a unique and a check per table; 1% of the columns are
changed: renamed, retyped, made nullable, dropped, or joined by a new column. The pytest test
runs a 300-table version and checks the changes found, so the script cannot rot.
"""

from __future__ import annotations

import random
import sys
import time

from schemaudit.diff import AddColumn, DropColumn, ModifyColumn, RenameColumn, compare
from schemaudit.identifiers import RULES_BY_DIALECT
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    IndexElement,
    Origin,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
)
from schemaudit.types import parse_type

TYPES = ["bigint", "integer", "text", "varchar(255)", "timestamptz", "boolean", "numeric(12,2)", "jsonb", "uuid"]
WORDS = ["name", "status", "amount", "code", "title", "notes", "score", "email", "ref", "kind", "total", "label"]


def _spec(n_tables: int, rng: random.Random) -> list[tuple[str, list[list[object]]]]:
    tables = []
    for i in range(n_tables):
        cols: list[list[object]] = [["id", "bigint", False]]
        if i:
            cols.append([f"parent{rng.randrange(i)}_id", "bigint", True])
        for j in range(rng.randint(6, 14)):
            cols.append([f"{rng.choice(WORDS)}_{j}", rng.choice(TYPES), rng.random() < 0.5])
        cols.append(["created_at", "timestamptz", False])
        tables.append((f"table_{i:05d}", cols))
    return tables


def _mutate(spec: list[tuple[str, list[list[object]]]], rng: random.Random, share: float) -> dict[str, int]:
    counts = {"rename": 0, "type": 0, "nullable": 0, "drop": 0, "add": 0}
    columns = [(t, c) for t, (_, cols) in enumerate(spec) for c in range(2, len(cols) - 1)]
    for t, c in rng.sample(columns, int(len(columns) * share)):
        cols = spec[t][1]
        if c >= len(cols) - 1:
            continue
        kind = rng.choice(list(counts))
        if kind == "rename":
            cols[c][0] = f"renamed_{cols[c][0]}"
        elif kind == "type":
            cols[c][1] = "varchar(100)" if cols[c][1] != "varchar(100)" else "text"
        elif kind == "nullable":
            cols[c][2] = not cols[c][2]
        elif kind == "drop":
            del cols[c]
        else:
            cols.insert(c, [f"added_{c}", "text", True])
        counts[kind] += 1
    return counts


def _build(spec: list[tuple[str, list[list[object]]]], origin: str | None = None) -> Schema:
    tables = []
    for name, cols in spec:
        where = Origin(origin, len(tables)) if origin else None
        columns = tuple(Column(str(n), parse_type(str(t), "postgresql"), bool(nl), origin=where) for n, t, nl in cols)
        names = [c.name for c in columns]
        fks = tuple(
            ForeignKey((n,), f"table_{int(n[6:-3]):05d}", ("id",), on_delete="CASCADE")
            for n in names
            if n.startswith("parent")
        )
        idx = tuple(Index(f"ix_{name}_{n}", (IndexElement(n),)) for n in names[1:3])
        uniq = (UniqueConstraint((names[-2],), f"uq_{name}"),)
        checks = (CheckConstraint(f"({names[-2]} IS NOT NULL)", f"ck_{name}"),)
        tables.append(Table(name, columns, PrimaryKey(("id",)), fks, idx, uniq, checks, origin=where))
    return Schema(tuple(tables), "postgresql", rules=RULES_BY_DIALECT["postgresql"])


def build_pair(
    n_tables: int, seed: int = 7, share: float = 0.01, origins: bool = False
) -> tuple[Schema, Schema, dict[str, int]]:
    """(target, current, mutation counts). With `origins` the target carries file:line origins
    (a DDL file against a live database), so no table is equal to its counterpart by value."""
    base = _spec(n_tables, random.Random(seed))
    changed = _spec(n_tables, random.Random(seed))
    counts = _mutate(changed, random.Random(seed + 1), share)
    return _build(changed, "schema.sql" if origins else None), _build(base), counts


def test_compare_scaled_down_finds_each_change() -> None:
    target, current, counts = build_pair(300)
    changes = compare(target, current)
    kinds = {
        k: len(changes.of_type(t))
        for k, t in [("rename", RenameColumn), ("add", AddColumn), ("drop", DropColumn), ("modify", ModifyColumn)]
    }
    assert kinds["rename"] == counts["rename"], (kinds, counts)
    assert kinds["add"] == counts["add"] and kinds["drop"] == counts["drop"], (kinds, counts)
    assert kinds["modify"] >= counts["type"] + counts["nullable"] - 2, (kinds, counts)  # some hit the same column


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    n_tables = int(args[0]) if args else 5000
    repeat = int(args[1]) if len(args) > 1 else 5
    origins = "--origins" in sys.argv
    target, current, counts = build_pair(n_tables, origins=origins)
    n_cols = sum(len(t.columns) for t in current.tables)
    start = time.perf_counter()
    compare(target, current)  # cold: the parse caches start empty
    print(f"compare() first run (cold caches): {time.perf_counter() - start:.3f} s")
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        changes = compare(target, current)
        timings.append(time.perf_counter() - start)
    kind = "target with file origins (no table equal by value)" if origins else "both without origins"
    print(f"{n_tables} tables, {n_cols} columns, {kind}, changed {counts}: {len(changes)} changes")
    print(f"compare(): best {min(timings):.3f} s, median {sorted(timings)[len(timings) // 2]:.3f} s over {repeat} runs")


if __name__ == "__main__":
    main()
