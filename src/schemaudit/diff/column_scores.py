"""Evidence that an unmatched target column is an unmatched current column renamed.

A profile holds what a column looks like to the scorer (neighbours, FK targets, the
constraints it takes part in, with the other members in target-side names), so the evidence
a rename rests on is plain data. Score, each part 0..1:

    0.45 x name + 0.20 x type + 0.20 x position + 0.15 x attributes + 0.25 x role

- name: `names.similarity`, also tried without the table's own words as a prefix
  (`asset_kind` in `assets` is `kind`, `run_mode` in `runs` is `mode`);
- type: 1 equal, 0.8 storage-equivalent, 0.6 narrower/wider, 0 incompatible;
- position: same previous and same next neighbour (0.5 each; first/last count as same);
- attributes: same nullability, same normalized default (0.5 each);
- role: +1 same FK target or same place in a multi-column UNIQUE/index/PK, +0.5 both
  single-column unique/indexed/PK, -1 FKs to different tables.

Without a shared role a pair needs a name likeness of at least 0.4 to be a rename (same type at
the same place alone is a drop plus an add; one abbreviated word in common is not enough:
`reference_number` and `external_ref` are two columns). An incompatible type needs that name likeness
even with a shared role (the type change is then planned and shown on its own). A type that the
storage accepts but that means another kind of value (SQLite `last_used BIGINT` against `used
BOOLEAN`: no type change would be planned) is a rename only when the names are all but the same
(>= 0.8: a plural, a known synonym or abbreviation): otherwise `used` would hold timestamps.
Everything held back this way is still a near miss, shown with the `--rename` hint to accept it:
so is a pair with no name likeness at all that has the same type at the same place (`txt TEXT
NOT NULL` against `body TEXT NOT NULL`), which a person can confirm and a scorer cannot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from schemaudit.diff.changes import TypeRelation
from schemaudit.diff.names import similarity, words
from schemaudit.diff.normalize import CROSS_FAMILY, compare_types, default_key
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Column, Table, TypeFamily

THRESHOLD = 0.6
NEAR_MISS = 0.35
MIN_NAME = 0.4
MIN_NAME_NEW_MEANING = 0.8
# Families that hold the same kind of value under different rules (not a new meaning).
_SAME_MEANING = frozenset({frozenset({TypeFamily.TIMESTAMP, TypeFamily.TIMESTAMPTZ})})
_TYPE_SCORE = {
    TypeRelation.EQUAL: 1.0,
    TypeRelation.EQUIVALENT: 0.8,
    TypeRelation.NARROWER: 0.6,
    TypeRelation.WIDER: 0.6,
    TypeRelation.INCOMPATIBLE: 0.0,
}


@dataclass(frozen=True, slots=True)
class ColumnProfile:
    key: str
    column: Column
    table_words: tuple[str, ...]  # the table name's words, singular: a prefix some names carry
    default: str | None  # canonical default key
    before: str | None  # key of the previous column (own side), None for the first
    after: str | None  # key of the next column (own side), None for the last
    fk_targets: frozenset[str]  # referenced tables, target-side keys
    groups: frozenset[tuple[str, frozenset[str]]]  # ("unique"|"index"|"primary key", other members)


def column_profiles(
    table: Table,
    rules: IdentifierRules,
    dialect: str,
    to_target: Mapping[str, str] | None,
    table_map: Mapping[str, str],
) -> dict[str, ColumnProfile]:
    """Profiles by column key. `to_target` maps this side's column keys to target keys (None on
    the target side); members without a counterpart get a `~` prefix so they never collide."""
    ckey, tkey = rules.column_key, rules.table_key
    keys = [ckey(c.name) for c in table.columns]

    def mapped(name: str) -> str:
        k = ckey(name)
        return k if to_target is None else to_target.get(k, "~" + k)

    fks: dict[str, set[str]] = {}
    for fk in table.foreign_keys:
        ref = tkey(fk.ref_table)
        for fk_col in fk.columns:
            fks.setdefault(ckey(fk_col), set()).add(table_map.get(ref, ref))
    groups: dict[str, set[tuple[str, frozenset[str]]]] = {}
    sets: list[tuple[str, tuple[str, ...]]] = [("unique", u.columns) for u in table.uniques]
    sets.extend(("unique" if i.unique else "index", i.columns) for i in table.indexes if i.columns)
    if table.primary_key is not None:
        sets.append(("primary key", table.primary_key.columns))
    for kind, members in sets:
        for member in members:
            others = frozenset(mapped(m) for m in members if ckey(m) != ckey(member))
            groups.setdefault(ckey(member), set()).add((kind, others))
    out: dict[str, ColumnProfile] = {}
    table_words = words(table.name)
    for i, col in enumerate(table.columns):
        k = keys[i]
        out[k] = ColumnProfile(
            key=k,
            column=col,
            table_words=table_words,
            default=default_key(col.default, dialect, frozenset({col.type.family})),
            before=keys[i - 1] if i > 0 else None,
            after=keys[i + 1] if i + 1 < len(keys) else None,
            fk_targets=frozenset(fks.get(k, ())),
            groups=frozenset(groups.get(k, ())),
        )
    return out


def score_column(
    t: ColumnProfile, c: ColumnProfile, matched: Mapping[str, str], dialects: tuple[str, str]
) -> tuple[float, tuple[str, ...]]:
    """Score of the pair and its evidence; `matched` maps target keys to current keys."""
    reasons: list[str] = []
    name = _name_score(t, c, reasons)
    relation = compare_types(t.column.type, c.column.type, *dialects).relation
    new_meaning = _new_meaning(t.column, c.column, relation, dialects)
    type_score = 0.0 if new_meaning else _TYPE_SCORE[relation]
    if type_score > 0:
        reasons.append("same type" if relation is TypeRelation.EQUAL else f"{relation.value} type")
    elif new_meaning:
        reasons.append(f"type {c.column.type.raw}→{t.column.type.raw} holds another kind of value")
    pos = _position(t, c, matched)
    if pos > 0:
        reasons.append("same position" if pos == 1.0 else "same neighbour")
    attrs = 0.5 * (t.column.nullable == c.column.nullable) + 0.5 * (t.default == c.default)
    role, role_reasons = _role(t, c)
    reasons.extend(role_reasons)
    score = 0.45 * name + 0.2 * type_score + 0.2 * pos + 0.15 * attrs + 0.25 * role
    if role <= 0 and name == 0 and not (relation is TypeRelation.EQUAL and pos == 1.0):
        score = min(score, NEAR_MISS - 0.01)  # nothing specific: not even worth a mention
    elif ((role <= 0 or relation is TypeRelation.INCOMPATIBLE) and name < MIN_NAME) or (
        new_meaning and name < MIN_NAME_NEW_MEANING
    ):
        score = min(score, THRESHOLD - 0.01)  # too little specific evidence for a rename
    return max(0.0, min(1.0, score)), tuple(reasons)


def _new_meaning(t: Column, c: Column, relation: TypeRelation, dialects: tuple[str, str]) -> bool:
    """Whether the current column holds another kind of value that no type change would
    show: within one dialect, a new type family that the storage treats as the same (SQLite's
    `BIGINT` and `BOOLEAN` are both integers; a rename would leave timestamps in a flag). Plain
    text holding a more specific kind (`TEXT` to `UUID`, `JSONB`, an ISO date) is the same value;
    an incompatible type is planned as a type change of its own, so it is not counted here."""
    tf, cf = t.type.family, c.type.family
    if relation is TypeRelation.INCOMPATIBLE or dialects[0] != dialects[1] or tf is cf:
        return False
    if TypeFamily.UNKNOWN in (tf, cf) or frozenset({tf, cf}) in _SAME_MEANING:
        return False
    stored_as_text = cf in (TypeFamily.TEXT, TypeFamily.BLOB) and CROSS_FAMILY.get((tf, cf), (None,))[0] is (
        TypeRelation.EQUIVALENT
    )
    return not stored_as_text


def _strip(name: str, prefix: tuple[str, ...]) -> str | None:
    found = words(name)
    if prefix and len(found) > len(prefix) and found[: len(prefix)] == prefix:
        return "_".join(found[len(prefix) :])
    return None


def _name_score(t: ColumnProfile, c: ColumnProfile, reasons: list[str]) -> float:
    tn, cn = t.column.name, c.column.name
    plain = similarity(tn, cn)
    best = plain.score
    stripped = similarity(_strip(tn, t.table_words) or tn, _strip(cn, c.table_words) or cn)
    if stripped.score > best:
        reasons.append(f"name {cn}→{tn} without the table prefix")
        return stripped.score
    if best > 0:
        reasons.append(plain.reason(cn, tn))
    return best


def _position(t: ColumnProfile, c: ColumnProfile, matched: Mapping[str, str]) -> float:
    before = t.before == c.before if t.before is None or c.before is None else matched.get(t.before) == c.before
    after = t.after == c.after if t.after is None or c.after is None else matched.get(t.after) == c.after
    return 0.5 * before + 0.5 * after


def _role(t: ColumnProfile, c: ColumnProfile) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    if t.fk_targets and c.fk_targets:
        same = t.fk_targets & c.fk_targets
        if same:
            score = 1.0
            reasons.append("same FK target " + ", ".join(sorted(same)))
        else:
            score = -1.0
            reasons.append("different FK targets")
    shared = t.groups & c.groups
    if shared and score >= 0:
        wide = [g for g in shared if g[1]]
        if wide:
            score = 1.0
            kind, others = min(wide, key=lambda g: (g[0], sorted(g[1])))
            reasons.append(f"same place in {kind} ({', '.join(sorted(others))}, ·)")
        else:
            score = max(score, 0.5)
            reasons.append("both " + "/".join(sorted(g[0] for g in shared)))
    return score, reasons
