"""Matching: which target table/column is which current one, including under a new name.

Hints first, then exact names (under the combined identifier rules), each one dictionary
look-up; only the leftovers are scored (`table_scores`, `column_scores`), so a 5,000-table
schema with a handful of renames scores a handful of pairs. The best one-to-one assignment
above a threshold is taken greedily, best score first, ties broken by name so the output is
deterministic. Greedy suffices because real scores are sharply separated (a rename scores
0.7-1.0, an unrelated pair below 0.4) and the leftovers are few; tests/test_rename_quality.py
measures precision and recall on generated drift. Matching runs in rounds: a rename found in
round one makes its neighbours' evidence (FK neighbours, adjacent columns, constraint
partners) visible in round two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from schemaudit.diff import column_scores, table_scores
from schemaudit.diff.changes import RenameEvidence
from schemaudit.diff.result import RenameCandidate
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Schema, Table

TABLE_THRESHOLD = table_scores.THRESHOLD
TABLE_NEAR_MISS = table_scores.NEAR_MISS
ROUNDS = 3
HINTED = RenameEvidence(1.0, ("hint",), hinted=True)


@dataclass(frozen=True, slots=True)
class Scored:
    score: float
    target: str  # key
    current: str  # key
    reasons: tuple[str, ...]


def _scored(result: tuple[float, tuple[str, ...]], target: str, current: str) -> Scored:
    return Scored(result[0], target, current, result[1])


def assign(scored: Iterable[Scored], threshold: float, near_miss: float) -> tuple[list[Scored], list[Scored]]:
    """Greedy one-to-one assignment, best first; also the best rejected pair per target
    (at least `near_miss`, both sides left unmatched)."""
    ordered = sorted(scored, key=lambda s: (-s.score, s.target, s.current))
    used_t: set[str] = set()
    used_c: set[str] = set()
    chosen: list[Scored] = []
    for s in ordered:
        if s.score >= threshold and s.target not in used_t and s.current not in used_c:
            chosen.append(s)
            used_t.add(s.target)
            used_c.add(s.current)
    near: dict[str, Scored] = {}
    for s in ordered:
        if s.score >= near_miss and s.target not in used_t and s.current not in used_c and s.target not in near:
            near[s.target] = s
    return chosen, list(near.values())


@dataclass(slots=True)
class Matching:
    """Pairs (target, current, evidence or None for same name) and what is left on each side."""

    pairs: list[tuple[str, str, RenameEvidence | None]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # target names
    dropped: list[str] = field(default_factory=list)  # current names
    near_misses: list[RenameCandidate] = field(default_factory=list)
    unused_hints: list[str] = field(default_factory=list)


def _pair_up(
    t_names: Iterable[str],
    c_names: Iterable[str],
    key: Callable[[str], str],
    hints: Iterable[tuple[str, str]],
    what: str,
) -> tuple[Matching, dict[str, str], dict[str, str]]:
    """Hints, then exact names. Returns the matching so far and the leftovers by key."""
    t_by = {key(n): n for n in t_names}
    c_by = {key(n): n for n in c_names}
    out = Matching()
    used_t: set[str] = set()
    used_c: set[str] = set()
    for old, new in hints:
        ck, tk = key(old), key(new)
        if ck in c_by and tk in t_by and ck not in used_c and tk not in used_t:
            out.pairs.append((t_by[tk], c_by[ck], HINTED))
            used_t.add(tk)
            used_c.add(ck)
        else:
            out.unused_hints.append(f"{what} {old}={new}")
    for tk, name in t_by.items():
        if tk not in used_t and tk in c_by and tk not in used_c:
            out.pairs.append((name, c_by[tk], None))
            used_t.add(tk)
            used_c.add(tk)
    left_t = {k: n for k, n in t_by.items() if k not in used_t}
    left_c = {k: n for k, n in c_by.items() if k not in used_c}
    return out, left_t, left_c


def _take(out: Matching, chosen: list[Scored], left_t: dict[str, str], left_c: dict[str, str]) -> None:
    for s in chosen:
        out.pairs.append((left_t.pop(s.target), left_c.pop(s.current), RenameEvidence(round(s.score, 3), s.reasons)))


def _near(
    out: Matching, near: list[Scored], left_t: dict[str, str], left_c: dict[str, str], kind: str, table: str | None
) -> None:
    for s in near:
        if s.target in left_t and s.current in left_c:
            evidence = RenameEvidence(round(s.score, 3), s.reasons)
            out.near_misses.append(RenameCandidate(kind, table, left_t[s.target], left_c[s.current], evidence))


def match_tables(target: Schema, current: Schema, rules: IdentifierRules, hints: Iterable[tuple[str, str]]) -> Matching:
    key = rules.table_key
    out, left_t, left_c = _pair_up(target.table_names, current.table_names, key, hints, "table")
    if left_t and left_c:
        idf, rare = table_scores.column_idf(target, current, rules)
        near: list[Scored] = []
        for _ in range(ROUNDS):
            c_to_t = {key(c): key(t) for t, c, _ in out.pairs}
            tp = table_scores.table_profiles(target, left_t, rules, {})
            cp = table_scores.table_profiles(current, left_c, rules, c_to_t)
            scored = [
                _scored(table_scores.score_table(tp[t], cp[c], idf, rare), t, c)
                for t, c in table_scores.candidate_pairs(tp, cp, idf, rare)
            ]
            chosen, near = assign(scored, TABLE_THRESHOLD, TABLE_NEAR_MISS)
            _take(out, chosen, left_t, left_c)
            if not chosen or not (left_t and left_c):
                break
        _near(out, near, left_t, left_c, "table", None)
    out.added = sorted(left_t.values())
    out.dropped = sorted(left_c.values())
    return out


def match_columns(
    t: Table,
    c: Table,
    rules: IdentifierRules,
    dialects: tuple[str, str],
    table_map: Mapping[str, str],
    hints: Iterable[tuple[str, str]],
) -> Matching:
    """Columns of a matched table pair; `table_map` maps current table keys to target keys."""
    key = rules.column_key
    out, left_t, left_c = _pair_up((x.name for x in t.columns), (x.name for x in c.columns), key, hints, "column")
    if left_t and left_c:
        matched = {key(tn): key(cn) for tn, cn, _ in out.pairs}
        near: list[Scored] = []
        for _ in range(ROUNDS):
            tprof = column_scores.column_profiles(t, rules, dialects[0], None, {})
            cprof = column_scores.column_profiles(c, rules, dialects[1], {v: k for k, v in matched.items()}, table_map)
            scored = [
                _scored(column_scores.score_column(tprof[tk], cprof[ck], matched, dialects), tk, ck)
                for tk in left_t
                for ck in left_c
            ]
            chosen, near = assign(scored, column_scores.THRESHOLD, column_scores.NEAR_MISS)
            matched.update({s.target: s.current for s in chosen})
            _take(out, chosen, left_t, left_c)
            if not chosen or not (left_t and left_c):
                break
        _near(out, near, left_t, left_c, "column", t.name)
    out.added = [x.name for x in t.columns if key(x.name) in left_t]
    out.dropped = [x.name for x in c.columns if key(x.name) in left_c]
    return out
