"""`python -m bench.rename_quality`: precision and recall of rename detection, per category.

Runs `compare()` on generated schema pairs (`rename_gen`; a third of them cross-dialect, a
PostgreSQL target against a SQLite current with SQLite spellings) and scores what it planned
against the known truth: per category of rename, how many were planned (recall) and how many of
the rest were at least shown as near misses with the `--rename` hint; per kind of decoy, how many
became false renames. Prints the markdown table that docs/RENAMES.md shows;
tests/test_rename_quality.py asserts the targets on the same numbers.
"""

from __future__ import annotations

import argparse
import copy
import random
from dataclasses import dataclass, field

from bench.rename_gen import CATEGORIES, Drift, Generator, Tab, build
from bench.rename_vocab import DOMAINS
from schemaudit.diff import compare

SEED = 20260221
CASES = 400
_Key = tuple[object, ...]  # (case, "table"|"column", table, current name, target name)


@dataclass
class Quality:
    """Counts over all cases; the properties are the published figures."""

    cases: int = 0
    mutations: int = 0
    true: dict[_Key, str] = field(default_factory=dict)  # rename -> category
    decoys: dict[_Key, str] = field(default_factory=dict)  # decoy pair -> "column decoy"/"table decoy"
    planned: set[_Key] = field(default_factory=set)
    near: set[_Key] = field(default_factory=set)

    def rows(self) -> list[tuple[str, str, int, int, int]]:
        """(kind, category, renames, planned, near misses among the rest)."""
        out = []
        for kind in ("column", "table"):
            for cat in CATEGORIES:
                keys = [k for k, c in self.true.items() if c == cat and k[1] == kind]
                if keys:
                    planned = sum(k in self.planned for k in keys)
                    near = sum(k in self.near and k not in self.planned for k in keys)
                    out.append((kind, cat, len(keys), planned, near))
        return out

    def decoy_rows(self) -> list[tuple[str, int, int, int]]:
        """(kind of decoy, decoys, false renames, near misses)."""
        out = []
        for kind in ("column decoy", "table decoy"):
            keys = [k for k, c in self.decoys.items() if c == kind]
            out.append((kind, len(keys), sum(k in self.planned for k in keys), sum(k in self.near for k in keys)))
        return out

    @property
    def precision(self) -> float:
        return len(self.planned & self.true.keys()) / len(self.planned) if self.planned else 1.0

    def recall(self, categories: frozenset[str]) -> tuple[int, int]:
        keys = [k for k, c in self.true.items() if c in categories]
        return sum(k in self.planned for k in keys), len(keys)

    @property
    def keep_type(self) -> frozenset[str]:
        return frozenset(CATEGORIES) - {"type change"}

    @property
    def false_renames(self) -> int:
        return len(self.planned - self.true.keys())


def measure(cases: int = CASES, seed: int = SEED) -> Quality:
    rng = random.Random(seed)
    gen = Generator(rng)
    q = Quality(cases=cases)
    domains = list(DOMAINS.values())
    for case in range(cases):
        base = gen.schema(domains[case % len(domains)])
        mutated = copy.deepcopy(base)
        gen.retired = set()
        drift = Drift()
        q.mutations += gen.mutate(mutated, rng.randint(3, 10), drift)
        changes = compare(build(mutated, "postgresql"), build(base, "sqlite" if case % 3 == 2 else "postgresql"))
        _truth(q, case, base, mutated, drift)
        q.planned.update((case, "table", None, m.current, m.target) for m in changes.tables if m.renamed)
        q.planned.update((case, "column", m.table, m.current, m.target) for m in changes.columns)
        q.near.update(
            (case, n.kind, n.table if n.kind == "column" else None, n.current, n.target) for n in changes.near_misses
        )
    return q


def _truth(q: Quality, case: int, before: list[Tab], after: list[Tab], drift: Drift) -> None:
    old = {t.uid: t for t in before}
    new = {t.uid: t for t in after}
    for tab in after:
        was = old.get(tab.uid)
        if was is None:
            continue
        if was.name != tab.name:
            q.true[(case, "table", None, was.name, tab.name)] = drift.category.get(tab.uid, "words")
        old_cols = {c.uid: c for c in was.cols}
        for col in tab.cols:
            prev = old_cols.get(col.uid)
            if prev is not None and prev.name != col.name:
                cat = "type change" if prev.type != col.type else drift.category.get(col.uid, "words")
                if tab.uid in drift.shuffled and cat in ("words", "abbreviation", "known synonym"):
                    cat = "moved"
                q.true[(case, "column", tab.name, prev.name, col.name)] = cat
    for tab_uid, old_uid, new_uid in drift.col_decoys:
        was, tab = old.get(tab_uid), new.get(tab_uid)
        gone = {c.uid: c.name for c in was.cols} if was else {}
        came = {c.uid: c.name for c in tab.cols} if tab else {}
        if tab is not None and old_uid in gone and new_uid in came and old_uid not in came:
            q.decoys[(case, "column", tab.name, gone[old_uid], came[new_uid])] = "column decoy"
    for old_uid, new_uid in drift.tab_decoys:
        if old_uid in old and new_uid in new and old_uid not in new:
            q.decoys[(case, "table", None, old[old_uid].name, new[new_uid].name)] = "table decoy"


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "—"


def markdown(q: Quality) -> str:
    planned_true = len(q.planned & q.true.keys())
    hit, total = q.recall(q.keep_type)
    named = q.keep_type - {"unrelated", "unknown synonym"}
    hit_n, total_n = q.recall(named)
    lines = [
        f"{q.cases} schema pairs, {q.mutations} mutations, {len(q.true)} true renames, {len(q.decoys)} decoys.",
        "",
        f"- **Precision** (decoys included): {planned_true} of {len(q.planned)} planned renames are real: "
        f"**{q.precision:.3f}** ({q.false_renames} false).",
        f"- **Recall on renames that keep the type**: {hit} of {total}: **{_pct(hit, total)}** "
        f"(with name evidence: {hit_n} of {total_n}: {_pct(hit_n, total_n)}).",
        "",
        "| object | category | renames | planned | recall | near miss (of the rest) | missed |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for kind, cat, n, planned, near in q.rows():
        lines.append(f"| {kind} | {cat} | {n} | {planned} | {_pct(planned, n)} | {near} | {n - planned - near} |")
    lines += [
        "",
        "| decoy | count | false renames | rate | near miss |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, n, false, near in q.decoy_rows():
        lines.append(f"| {kind} | {n} | {false} | {_pct(false, n)} | {near} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.rename_quality", description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=CASES, help="schema pairs (default: %(default)s)")
    p.add_argument("--seed", type=int, default=SEED, help="generator seed (default: %(default)s)")
    args = p.parse_args(argv)
    print(markdown(measure(args.cases, args.seed)), end="")


if __name__ == "__main__":
    main()
