"""Regression tests for a fix in diff/indexes.py found by the convergence corpus.

`implicit_index_for` let a target *unique index* be "served" by itself, and a target index
be served by a current UNIQUE constraint that the same compare drops. Both made real work
look like intent-only notes: the plan then dropped the old index and never created the new
one, and a re-audit still called the result consistent.
"""

from __future__ import annotations

from schemaudit.diff import AddIndex, DropUnique, ModifyIndex, compare, is_actionable
from schemaudit.identifiers import RULES_BY_DIALECT
from schemaudit.model import Column, Index, IndexElement, PrimaryKey, Schema, Table, UniqueConstraint
from schemaudit.types import parse_type

D = "sqlite"


def users(*, indexes: tuple[Index, ...] = (), uniques: tuple[UniqueConstraint, ...] = ()) -> Schema:
    cols = (Column("id", parse_type("INTEGER", D), False), Column("email", parse_type("TEXT", D)))
    table = Table("users", cols, PrimaryKey(("id",)), indexes=indexes, uniques=uniques)
    return Schema((table,), D, rules=RULES_BY_DIALECT[D])


def ix(unique: bool = False) -> Index:
    return Index("ix_users_email", (IndexElement("email"),), unique=unique)


def test_a_plain_index_becoming_unique_is_work() -> None:
    changes = compare(users(indexes=(ix(unique=True),)), users(indexes=(ix(),)))
    assert [type(c) for c in changes.actionable] == [ModifyIndex]


def test_a_new_unique_index_is_not_served_by_itself() -> None:
    changes = compare(users(indexes=(ix(unique=True),)), users())
    (add,) = changes.changes
    assert isinstance(add, AddIndex) and add.satisfied_by_unique is None and is_actionable(add)


def test_a_unique_constraint_being_dropped_serves_no_index() -> None:
    changes = compare(users(indexes=(ix(),)), users(uniques=(UniqueConstraint(("email",)),)))
    assert sorted(type(c).__name__ for c in changes.actionable) == ["AddIndex", "DropUnique"]
    assert any(isinstance(c, DropUnique) for c in changes.actionable)


def test_a_kept_unique_still_serves_the_index() -> None:
    both = users(indexes=(ix(),), uniques=(UniqueConstraint(("email",)),))
    changes = compare(both, users(uniques=(UniqueConstraint(("email",)),)))
    (add,) = changes.changes
    assert isinstance(add, AddIndex) and add.satisfied_by_unique == "UNIQUE (email)" and not is_actionable(add)
