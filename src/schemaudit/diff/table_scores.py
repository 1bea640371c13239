"""Evidence that an unmatched target table is an unmatched current table under a new name.

Score = 0.6 x columns + 0.3 x name + 0.1 x foreign-key neighbours, each 0..1; evidence only
adds (a missing signal is no evidence *against*, so a table that lost its FK column while
being renamed is not punished twice).

- columns: Jaccard of column names weighted by inverse document frequency over both schemas
  (`id`, `created_at` are in every table and say little), with renamed-looking columns
  (`created_at` ~ `core_created_at`) counted by their name likeness, times a specificity factor
  that asks for at least ~1.5 rare columns' worth of shared mass;
- name: `names.similarity` of the table names (`users` -> `app_users`);
- neighbours: the same referenced and referencing tables, in target-side names.

Column shape alone is weak evidence when tables are small: many schemas hold several
`(lock, stream_id)` singletons, and renaming one into another moves its rows into an unrelated
table. So a pair whose names are unrelated (likeness below 0.3) and that shares no foreign-key
neighbour is at most a near miss unless it shares at least three columns and a specific
column set (the full specificity factor).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from schemaudit.diff.names import similarity, words
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Schema

MAX_CANDIDATES = 25  # per target table, when the leftovers are too many to score every pair
ALL_PAIRS_LIMIT = 20_000
FUZZY_LIMIT = 400  # unmatched-column pairs looked at per table pair
FUZZY_MIN = 0.5
THRESHOLD = 0.45
NEAR_MISS = 0.3
MIN_NAME = 0.3  # name likeness below this is no name evidence
MIN_SHAPE_COLUMNS = 3  # shared columns a rename needs when the names are unrelated


@dataclass(frozen=True, slots=True)
class TableProfile:
    name: str
    columns: frozenset[str]
    links: frozenset[str]  # "out:<table>" / "in:<table>", in target-side keys


def table_profiles(
    schema: Schema, names: Mapping[str, str], rules: IdentifierRules, rename: Mapping[str, str]
) -> dict[str, TableProfile]:
    """Profiles of the tables in `names` (key -> name); `rename` maps this side's table keys
    to target keys for tables already matched (empty on the target side)."""
    key = rules.table_key
    links: dict[str, set[str]] = defaultdict(set)
    for table in schema.tables:
        own = key(table.name)
        for fk in table.foreign_keys:
            dst = key(fk.ref_table)
            if dst in names:
                links[dst].add("in:" + rename.get(own, own))
            if own in names:
                links[own].add("out:" + rename.get(dst, dst))
    out = {}
    for k, name in names.items():
        found = schema.table(name)
        assert found is not None
        cols = frozenset(rules.column_key(c.name) for c in found.columns)
        out[k] = TableProfile(name, cols, frozenset(links.get(k, ())))
    return out


def column_idf(target: Schema, current: Schema, rules: IdentifierRules) -> tuple[dict[str, float], float]:
    """IDF of every column name over both schemas, and the IDF of a name found in only the
    two tables of one renamed pair (the 'rare' yardstick)."""
    df: Counter[str] = Counter()
    for schema in (target, current):
        for table in schema.tables:
            df.update({rules.column_key(c.name) for c in table.columns})
    n = len(target.tables) + len(current.tables)
    return {k: math.log((n + 1) / v) for k, v in df.items()}, math.log((n + 1) / 2)


def candidate_pairs(
    tp: Mapping[str, TableProfile], cp: Mapping[str, TableProfile], idf: Mapping[str, float], rare: float
) -> Iterable[tuple[str, str]]:
    """Every pair when few; else, per target, the current tables sharing the most rare
    columns or name words (an inverted index, so the work is linear in the leftovers)."""
    if len(tp) * len(cp) <= ALL_PAIRS_LIMIT:
        return [(t, c) for t in tp for c in cp]
    floor = rare / 3  # names shared by more than about a third of all tables do not nominate
    index: dict[str, list[str]] = defaultdict(list)
    for ck, prof in cp.items():
        for feature in _features(prof, idf, floor):
            index[feature].append(ck)
    pairs: list[tuple[str, str]] = []
    for tk, prof in tp.items():
        hits: Counter[str] = Counter()
        for feature in _features(prof, idf, floor):
            hits.update(index.get(feature, ()))
        pairs.extend((tk, ck) for ck, _ in sorted(hits.items(), key=lambda h: (-h[1], h[0]))[:MAX_CANDIDATES])
    return pairs


def _features(prof: TableProfile, idf: Mapping[str, float], floor: float) -> set[str]:
    feats = {"c:" + c for c in prof.columns if idf.get(c, 0.0) >= floor}
    feats.update("w:" + w for w in words(prof.name))
    return feats


def score_table(
    t: TableProfile, c: TableProfile, idf: Mapping[str, float], rare: float
) -> tuple[float, tuple[str, ...]]:
    reasons: list[str] = []
    shared_cols = t.columns & c.columns
    shared = sum(idf.get(x, 0.0) for x in shared_cols)
    union = sum(idf.get(x, 0.0) for x in t.columns | c.columns)
    fuzzy = _fuzzy_pairs(t.columns - c.columns, c.columns - t.columns)
    for a, b, sim in fuzzy:
        weight = min(idf.get(a, 0.0), idf.get(b, 0.0))
        shared += sim * weight
        union -= sim * weight
    specificity = min(1.0, shared / (1.5 * rare)) if rare > 0 else 1.0
    cols = shared / union * specificity if union > 0 else 0.0
    if cols > 0:
        total = len(t.columns | c.columns) - len(fuzzy)
        n_alike = len(shared_cols) + len(fuzzy)
        reasons.append("same column set" if t.columns == c.columns else f"{n_alike} of {total} columns alike")
    name = similarity(t.name, c.name)
    if name.score > 0:
        reasons.append(name.reason(c.name, t.name))
    fk = 0.0
    if t.links and c.links:
        fk = len(t.links & c.links) / len(t.links | c.links)
        if fk > 0:
            neighbours = sorted({x.split(":", 1)[1] for x in t.links & c.links})  # "in:"/"out:" keys
            reasons.append("same foreign-key neighbours " + ", ".join(neighbours))
    score = 0.6 * cols + 0.3 * name.score + 0.1 * fk
    if name.score < MIN_NAME and fk == 0 and (len(shared_cols) < MIN_SHAPE_COLUMNS or specificity < 1.0):
        score = min(score, THRESHOLD - 0.01)  # column shape alone, unrelated names: never a plan
    return score, tuple(reasons)


def _fuzzy_pairs(t_only: frozenset[str], c_only: frozenset[str]) -> list[tuple[str, str, float]]:
    if not t_only or not c_only or len(t_only) * len(c_only) > FUZZY_LIMIT:
        return []
    scored = sorted(
        ((similarity(a, b).score, a, b) for a in t_only for b in c_only),
        key=lambda s: (-s[0], s[1], s[2]),
    )
    used: set[str] = set()
    out = []
    for sim, a, b in scored:
        if sim < FUZZY_MIN:
            break
        if a not in used and b not in used:
            used.update((a, b))
            out.append((a, b, sim))
    return out
