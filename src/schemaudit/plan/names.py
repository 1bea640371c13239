"""Index and constraint renames: same object, another name.

The differ matches indexes and constraints by content and reports no name-only difference
(generated names differ between sources, and such drift needs no finding). But when both
schemas come from the same dialect and both name an object explicitly, the target's name is
part of what was meant (`ix_assets_project` in the code, in monitoring, in hints), so the
plan renames it: cheap, metadata-only work. Names another change drops, adds or replaces are
left to that change. A target name that is only the default a database (or a source reading
unnamed objects) gives (`t_pkey`, `t_a_b_idx`, `t_ibfk_1`, `PRIMARY`) was not chosen by
anyone: an object someone named (`assessments_pk`) keeps its name; one that carries a default
name itself (`users_pkey` after `users` became `app_users`) follows the database's naming, so
the migrated catalog is the one a fresh build of the target has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from schemaudit.diff import changes as ch
from schemaudit.diff.expressions import expression_key
from schemaudit.diff.index_key import index_key
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import CheckConstraint, ForeignKey, Index, PrimaryKey, Schema, Table, UniqueConstraint


@dataclass(frozen=True, slots=True)
class RenameIndex:
    rank: ClassVar[int] = 12
    table: str
    from_: str
    to: str

    def describe(self) -> str:
        return f"Index {self.from_} on {self.table} is named {self.to} in the target."


@dataclass(frozen=True, slots=True)
class RenameConstraint:
    rank: ClassVar[int] = 9
    table: str
    from_: str
    to: str
    kind: str  # "primary key", "unique", "check", "foreign key"

    def describe(self) -> str:
        return f"The {self.kind} constraint {self.from_} on {self.table} is named {self.to} in the target."


NameChange = RenameIndex | RenameConstraint


def name_changes(target: Schema, state: Schema, work: Iterable[ch.Change], rules: IdentifierRules) -> list[NameChange]:
    """Renames for objects equal in content on both sides (current side after renames)."""
    if target.dialect != state.dialect:
        return []
    work = list(work)
    busy = _busy_names(work, rules)
    old_columns: dict[str, set[str]] = {}  # MySQL names a key after its first column's old name
    for change in work:
        if isinstance(change, ch.RenameColumn):
            old_columns.setdefault(rules.table_key(change.table), set()).add(change.from_.lower())
    out: list[NameChange] = []
    taken = {rules.table_key(i.name) for t in state.tables for i in t.indexes}
    taken |= {rules.table_key(n) for t in state.tables for n in _constraint_names(t)}
    for t in target.tables:
        c = state.table(t.name)
        if c is None or _same_named_objects(t, c):
            continue
        key = _Keys(rules, target.dialect)
        olds = old_columns.get(rules.table_key(t.name), set())
        indexes = _pairs(list(t.indexes), list(c.indexes), key.index, _follows(t.name, olds))
        out.extend(RenameIndex(t.name, old, new) for old, new in indexes)
        groups: list[tuple[str, list[object], list[object], Callable[[object], object]]] = [
            ("unique", list(t.uniques), list(c.uniques), key.unique),
            ("check", list(t.checks), list(c.checks), key.check),
            ("foreign key", list(t.foreign_keys), list(c.foreign_keys), key.fk),
        ]
        if t.primary_key is not None and c.primary_key is not None:
            groups.append(("primary key", [t.primary_key], [c.primary_key], key.pk))
        for kind, wanted, have, content in groups:
            for old, new in _pairs(wanted, have, content, _follows(t.name, olds)):
                out.append(RenameConstraint(t.name, old, new, kind))
    free = [r for r in out if rules.table_key(r.to) not in taken]
    return [r for r in free if rules.table_key(r.from_) not in busy and rules.table_key(r.to) not in busy]


def _same_named_objects(t: Table, c: Table) -> bool:
    """Every index and constraint equal, names included: nothing to rename (most tables of
    a large schema), known without working out each object's content key."""
    return (
        t.indexes == c.indexes
        and t.uniques == c.uniques
        and t.checks == c.checks
        and t.foreign_keys == c.foreign_keys
        and t.primary_key == c.primary_key
    )


def _pairs(
    wanted: Iterable[object],
    have: Iterable[object],
    content: Callable[[object], object],
    follows: Callable[[object, object], bool],
) -> list[tuple[str, str]]:
    by_content: dict[object, list[object]] = {}
    for item in have:
        by_content.setdefault(content(item), []).append(item)
    out = []
    for item in wanted:
        matches = by_content.get(content(item), [])
        if len(matches) != 1:
            continue
        new, old = getattr(item, "name", None), getattr(matches[0], "name", None)
        if isinstance(new, str) and isinstance(old, str) and new and old and new != old and follows(item, matches[0]):
            out.append((old, new))
    return out


_SUFFIX = {PrimaryKey: "_pkey", UniqueConstraint: "_key", ForeignKey: "_fkey", CheckConstraint: "_check", Index: "_idx"}


def _follows(table: str, old_columns: set[str]) -> Callable[[object, object], bool]:
    """Whether the current object takes the target's name: the target chose it, or both
    names are the database's defaults (the current one for its old table or columns)."""

    def follows(wanted: object, have: object) -> bool:
        new, old = str(getattr(wanted, "name", "")), str(getattr(have, "name", ""))
        if not is_default_name(table, wanted, new):
            return True
        if is_default_name(table, have, old) or re.sub(r"_\d+$", "", old.lower()) in old_columns:
            return True
        suffix = _SUFFIX.get(type(have), "")
        return bool(suffix) and re.fullmatch(rf".+{suffix}\d*", old.lower()) is not None

    return follows


def is_default_name(table: str, obj: object, name: str) -> bool:
    """Whether `name` is what PostgreSQL, MySQL/MariaDB or SQLite (or a source reading an
    unnamed object) calls the object when its DDL gives no name."""
    columns = [c for c in getattr(obj, "columns", ()) if isinstance(c, str)]
    text = name.lower()
    if isinstance(obj, PrimaryKey):
        return text in (f"{table}_pkey".lower()[:63], "primary") or text.startswith("sqlite_autoindex_")
    suffixes = {UniqueConstraint: ("key",), ForeignKey: ("fkey",), CheckConstraint: ("check",), Index: ("idx", "key")}
    bases = [table] + ([f"{table}_{'_'.join(columns)}"] if columns else [])
    if isinstance(obj, CheckConstraint) and obj.column:
        bases.append(f"{table}_{obj.column}")
    for suffix in suffixes.get(type(obj), ()):
        for base in bases:
            stem = f"{base[: 63 - len(suffix) - 1]}_{suffix}".lower()
            if re.fullmatch(re.escape(stem) + r"\d*", text):
                return True
    mysql = [rf"{re.escape(table.lower())}_ibfk_\d+", rf"{re.escape(table.lower())}_chk_\d+", r"constraint_\d+"]
    if columns and isinstance(obj, (Index, UniqueConstraint)):
        mysql.append(re.escape(columns[0].lower()) + r"(_\d+)?")
    return text.startswith("sqlite_autoindex_") or any(re.fullmatch(p, text) for p in mysql)


class _Keys:
    def __init__(self, rules: IdentifierRules, dialect: str) -> None:
        self.col, self.table, self.dialect = rules.column_key, rules.table_key, dialect

    def index(self, i: object) -> object:
        assert isinstance(i, Index)
        return index_key(i, self.col, self.dialect)

    def pk(self, p: object) -> object:
        assert isinstance(p, PrimaryKey)
        return tuple(self.col(c) for c in p.columns)

    def unique(self, u: object) -> object:
        assert isinstance(u, UniqueConstraint)
        return tuple(sorted(self.col(c) for c in u.columns))

    def check(self, c: object) -> object:
        assert isinstance(c, CheckConstraint)
        return expression_key(c.expression, self.dialect)

    def fk(self, f: object) -> object:
        assert isinstance(f, ForeignKey)
        return (
            tuple(self.col(c) for c in f.columns),
            self.table(f.ref_table),
            tuple(self.col(c) for c in f.ref_columns),
            f.on_delete,
            f.on_update,
        )


def _constraint_names(table: Table) -> list[str]:
    names = [u.name for u in table.uniques] + [c.name for c in table.checks] + [f.name for f in table.foreign_keys]
    if table.primary_key is not None:
        names.append(table.primary_key.name)
    return [n for n in names if n]


_NAMED = (Index, UniqueConstraint, CheckConstraint, ForeignKey, PrimaryKey)


def _busy_names(work: Iterable[ch.Change], rules: IdentifierRules) -> set[str]:
    """Names of indexes and constraints other changes drop, add or replace: left to them."""
    names: set[str] = set()
    for c in work:
        for side in ("from_", "to"):
            value = getattr(c, side, None)
            name = getattr(value, "name", None)
            if isinstance(value, _NAMED) and isinstance(name, str) and name:
                names.add(rules.table_key(name))
    return names
