"""Schemas that drift the way real ones do, with the truth of every rename kept exactly.

A seeded generator builds schemas from 15 domain vocabularies (`rename_vocab`), then mutates a
copy: table and column renames (each filed under a category, see `CATEGORIES`), drops, adds,
type changes, and decoys, the hard negatives: a column replaced by a different column of the
same type at the same place, and a table replaced by a different table that shares a few
common columns (the `(lock, stream_id)` singletons of a real schema). Objects keep a hidden
identity (`uid`) through every mutation, so what is a rename and what is not is known exactly.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from bench.rename_vocab import (
    ATTRIBUTES,
    DOMAINS,
    GEN_ABBREV,
    GEN_SYNONYMS,
    PREFIXES,
    SQLITE_TYPES,
    SUFFIXES,
    TYPE_CHANGES,
    UNRELATED,
    singular,
)
from schemaudit.diff.names import word_match, words
from schemaudit.identifiers import RULES_BY_DIALECT
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    IndexElement,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
)
from schemaudit.types import parse_type

# What a rename looks like; a rename whose column also changed type is "type change" whatever
# its name did, and one whose column also moved is "moved".
CATEGORIES = (
    "words",  # a word added or dropped, plural, camelCase, the table's own word as a prefix
    "abbreviation",  # qty <-> quantity, desc <-> description
    "known synonym",  # a synonym the detector's vocabulary has
    "unknown synonym",  # a synonym it does not have (title -> heading)
    "moved",  # a rename (words, abbreviation, known synonym) of a column that moved, or in a shuffled table
    "unrelated",  # a new name with nothing in common with the old one
    "type change",  # a rename with a type change
)
_WORD_STRATEGIES = frozenset({"prefix", "suffix", "plural", "table_word", "camel", "drop_word"})
_KINDS = (
    ["col_rename"] * 35
    + ["col_rename_moved"] * 6
    + ["col_rename_type"] * 6
    + ["tab_rename"] * 12
    + ["col_drop"] * 15
    + ["col_add"] * 18
    + ["type"] * 12
    + ["tab_drop"] * 4
    + ["tab_add"] * 4
    + ["shuffle"] * 3
    + ["col_decoy"] * 10
    + ["tab_decoy"] * 3
)


@dataclass
class Col:
    uid: int
    name: str
    type: str
    nullable: bool = True


@dataclass
class Tab:
    uid: int
    name: str
    cols: list[Col]
    fks: list[tuple[int, int]] = field(default_factory=list)  # (column uid, referenced table uid)
    uniques: list[tuple[int, ...]] = field(default_factory=list)
    indexes: list[tuple[int, ...]] = field(default_factory=list)
    checks: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    retired: set[str] = field(default_factory=set)  # names renamed away: re-adding one is ambiguous


@dataclass
class Drift:
    """What one `mutate` did that the truth cannot read off the two schemas by uid alone."""

    category: dict[int, str] = field(default_factory=dict)  # renamed uid -> category
    col_decoys: list[tuple[int, int, int]] = field(default_factory=list)  # (table uid, old col uid, new col uid)
    tab_decoys: list[tuple[int, int]] = field(default_factory=list)  # (old table uid, new table uid)
    shuffled: set[int] = field(default_factory=set)  # table uids whose columns were put in a new order


class Generator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.uids = itertools.count(1)
        self.retired: set[str] = set()

    def schema(self, domain: list[str]) -> list[Tab]:
        rng = self.rng
        names = rng.sample(domain, rng.randint(min(3, len(domain)), len(domain)))
        tables: list[Tab] = []
        for name in names:
            tables.append(self.table(name, tables))
        return tables

    def table(self, name: str, existing: list[Tab]) -> Tab:
        rng = self.rng
        cols = [Col(next(self.uids), "id", rng.choice(["bigint", "uuid"]), False)]
        tab = Tab(next(self.uids), name, cols)
        for ref in rng.sample(existing, min(len(existing), rng.randint(0, 2))):
            col = Col(next(self.uids), singular(ref.name) + "_id", ref.cols[0].type, rng.random() < 0.3)
            if all(c.name != col.name for c in cols):
                cols.append(col)
                tab.fks.append((col.uid, ref.uid))
                tab.indexes.append((col.uid,))
        for attr, typ in rng.sample(ATTRIBUTES, rng.randint(3, 10)):
            cols.append(Col(next(self.uids), attr, typ, rng.random() < 0.6))
        cols.append(Col(next(self.uids), "created_at", "timestamptz", False))
        by_name = {c.name: c for c in cols}
        if "slug" in by_name or "code" in by_name:
            tab.uniques.append((by_name.get("slug", by_name.get("code")).uid,))  # type: ignore[union-attr]
        if "status" in by_name:
            tab.checks.append((by_name["status"].uid, ("active", "archived", "draft")))
        return tab

    def mutate(self, tables: list[Tab], count: int, drift: Drift) -> int:
        """Apply `count` random mutations in place, filing renames and decoys in `drift`;
        returns how many were applied."""
        rng, done = self.rng, 0
        for _ in range(count * 3):
            if done == count:
                break
            kind = rng.choice(_KINDS)
            tab = rng.choice(tables)
            if kind.startswith("col_rename"):
                done += self._rename_column(tab, kind, drift)
            elif kind == "tab_rename":
                found = self.new_name(tab.name, None)
                if found and all(t.name != found[0] for t in tables):
                    self.retired.add(tab.name)
                    tab.name, done = found[0], done + 1
                    drift.category[tab.uid] = found[1]
            elif kind == "col_drop" and len(tab.cols) > 4:
                _remove_column(tab, rng.choice(tab.cols[1:]))
                done += 1
            elif kind == "col_add":
                attr, typ = rng.choice(ATTRIBUTES)
                if all(c.name != attr for c in tab.cols) and attr not in tab.retired:
                    tab.cols.insert(rng.randint(1, len(tab.cols)), Col(next(self.uids), attr, typ))
                    done += 1
            elif kind == "type":
                col = rng.choice(tab.cols[1:])
                if col.type in TYPE_CHANGES:
                    col.type, done = TYPE_CHANGES[col.type], done + 1
            elif kind == "tab_drop" and len(tables) > 3:
                _remove_table(tables, tab)
                done += 1
            elif kind == "tab_add":
                tables.append(self.table(rng.choice(self._free_table_names(tables)), tables))
                done += 1
            elif kind == "shuffle" and len(tab.cols) > 3:
                rest = tab.cols[1:]
                rng.shuffle(rest)
                tab.cols[1:] = rest
                drift.shuffled.add(tab.uid)
                done += 1
            elif kind == "col_decoy":
                done += self._column_decoy(tab, drift)
            elif kind == "tab_decoy" and len(tables) > 3:
                done += self._table_decoy(tables, tab, drift)
        return done

    def _rename_column(self, tab: Tab, kind: str, drift: Drift) -> int:
        rng = self.rng
        col = rng.choice(tab.cols[1:])
        if kind == "col_rename_type" and col.type not in TYPE_CHANGES:
            return 0
        found = self.new_name(col.name, singular(tab.name))
        if not found or any(c.name == found[0] for c in tab.cols):
            return 0
        tab.retired.add(col.name)
        col.name = found[0]
        drift.category[col.uid] = found[1]
        if kind == "col_rename_type":
            col.type = TYPE_CHANGES[col.type]
        elif kind == "col_rename_moved" and len(tab.cols) > 3:
            at = tab.cols.index(col)
            tab.cols.remove(col)
            tab.cols.insert(rng.choice([i for i in range(1, len(tab.cols) + 1) if i != at]), col)
            if found[1] in ("words", "abbreviation", "known synonym"):
                drift.category[col.uid] = "moved"  # a name the scorer cannot see stays in its own category
        return 1

    def _column_decoy(self, tab: Tab, drift: Drift) -> int:
        """Replace a column by another attribute of the same type, at the same place."""
        rng = self.rng
        fk_cols = {c for c, _ in tab.fks}
        col = rng.choice(tab.cols[1:])
        names = {c.name for c in tab.cols} | tab.retired
        choices = [a for a, t in ATTRIBUTES if t == col.type and a not in names and col.uid not in fk_cols]
        if not choices:
            return 0
        new = Col(next(self.uids), rng.choice(choices), col.type, col.nullable if rng.random() < 0.5 else True)
        at = tab.cols.index(col)
        _remove_column(tab, col)
        tab.cols.insert(at, new)
        tab.retired.add(col.name)
        drift.col_decoys.append((tab.uid, col.uid, new.uid))
        return 1

    def _table_decoy(self, tables: list[Tab], tab: Tab, drift: Drift) -> int:
        """Replace a table by an unrelated one that shares its id, created_at and two of its
        common columns."""
        rng = self.rng
        attrs = [c for c in tab.cols[1:-1] if c.uid not in {u for u, _ in tab.fks}]
        if len(attrs) < 2:
            return 0
        _remove_table(tables, tab)
        new = self.table(rng.choice(self._free_table_names(tables)), [])
        shared = [Col(next(self.uids), c.name, c.type, c.nullable) for c in rng.sample(attrs, 2)]
        own = [c for c in new.cols[1:-1] if c.name not in {s.name for s in shared}][: rng.randint(0, 3)]
        new.cols = [Col(next(self.uids), "id", tab.cols[0].type, False), *shared, *own, new.cols[-1]]
        live = {c.uid for c in new.cols}
        new.uniques = [u for u in new.uniques if set(u) <= live]
        new.checks = [c for c in new.checks if c[0] in live]
        tables.append(new)
        drift.tab_decoys.append((tab.uid, new.uid))
        return 1

    def _free_table_names(self, tables: list[Tab]) -> list[str]:
        return [
            n for n in itertools.chain(*DOMAINS.values()) if all(t.name != n for t in tables) and n not in self.retired
        ]

    def new_name(self, name: str, table_word: str | None) -> tuple[str, str] | None:
        """A new name and its category, or None when the strategy drawn does not apply."""
        rng = self.rng
        parts = name.split("_")
        strategy = rng.choices(
            ["prefix", "suffix", "abbrev", "synonym", "plural", "table_word", "camel", "drop_word", "unrelated"],
            [18, 14, 16, 16, 8, 10, 5, 8, 5],
        )[0]
        new: str | None = None
        if strategy == "prefix":
            new = rng.choice(PREFIXES) + "_" + name
        elif strategy == "suffix":
            new = name + "_" + rng.choice(SUFFIXES)
        elif strategy == "abbrev":
            back = {v: k for k, v in GEN_ABBREV.items()}
            swapped = [GEN_ABBREV.get(w, back.get(w, w)) for w in parts]
            new = "_".join(swapped) if swapped != parts else None
        elif strategy == "synonym":
            swapped = [GEN_SYNONYMS.get(singular(w), w) for w in parts]
            if swapped != parts:
                known = all(
                    word_match(words(a)[0], words(b)[0]) > 0 for a, b in zip(parts, swapped, strict=True) if a != b
                )
                return "_".join(swapped), "known synonym" if known else "unknown synonym"
        elif strategy == "plural":
            last = parts[-1]
            parts[-1] = singular(last) if singular(last) != last else last + "s"
            new = "_".join(parts)
        elif strategy == "table_word" and table_word:
            new = name[len(table_word) + 1 :] if name.startswith(table_word + "_") else table_word + "_" + name
        elif strategy == "camel" and len(parts) > 1:
            new = parts[0] + "".join(w.title() for w in parts[1:])
        elif strategy == "drop_word" and len(parts) > 2:
            del parts[rng.randrange(len(parts))]
            new = "_".join(parts)
        elif strategy == "unrelated":
            new = rng.choice(UNRELATED) + "_" + rng.choice(UNRELATED)
        if new is None:
            return None
        category = "words" if strategy in _WORD_STRATEGIES else strategy
        return new, {"abbrev": "abbreviation"}.get(category, category)


def _remove_column(tab: Tab, col: Col) -> None:
    tab.cols.remove(col)
    tab.fks = [f for f in tab.fks if f[0] != col.uid]
    tab.uniques = [u for u in tab.uniques if col.uid not in u]
    tab.indexes = [i for i in tab.indexes if col.uid not in i]
    tab.checks = [c for c in tab.checks if c[0] != col.uid]


def _remove_table(tables: list[Tab], tab: Tab) -> None:
    tables.remove(tab)
    for other in tables:
        other.fks = [f for f in other.fks if f[1] != tab.uid]


def build(tables: list[Tab], dialect: str) -> Schema:
    by_uid = {t.uid: t for t in tables}
    out = []
    for tab in tables:
        cname = {c.uid: c.name for c in tab.cols}

        def typ(raw: str) -> str:
            return SQLITE_TYPES.get(raw, raw.upper()) if dialect == "sqlite" else raw

        cols = tuple(Column(c.name, parse_type(typ(c.type), dialect), c.nullable) for c in tab.cols)
        fks = tuple(ForeignKey((cname[c],), by_uid[r].name, ("id",)) for c, r in tab.fks if r in by_uid)
        idx = tuple(
            Index(f"ix_{tab.name}_{i}", tuple(IndexElement(cname[u]) for u in cols_))
            for i, cols_ in enumerate(tab.indexes)
        )
        uniques = tuple(UniqueConstraint(tuple(cname[u] for u in cols_)) for cols_ in tab.uniques)
        checks = tuple(CheckConstraint(f"{cname[c]} IN ({', '.join(repr(v) for v in vals)})") for c, vals in tab.checks)
        out.append(Table(tab.name, cols, PrimaryKey(("id",)), fks, idx, uniques, checks))
    return Schema(tuple(sorted(out, key=lambda t: t.name)), dialect, rules=RULES_BY_DIALECT[dialect])
