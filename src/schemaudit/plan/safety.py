"""What keeps a plan from breaking a database beyond the SQL of each change.

- A kept extra NOT NULL column (drops need --allow-drop) loses its NOT NULL, losslessly, so
  rows written for the target fit (`relaxed`).
- Without transactional DDL (MariaDB/MySQL) a failed step cannot be undone, so steps that
  only drop constraints go after every step that creates something (`destructive_last`).
- A `--fill` must name a column the plan makes NOT NULL (`check_fills`): a misspelt one would
  be ignored and the step would fail on the data after all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import Change, ColumnChange
from schemaudit.errors import SchemauditError
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Schema
from schemaudit.plan.draft import Draft
from schemaudit.plan.model import PlanChange, PlanOptions, StepKind


def relaxed(change: Change, current: Schema, rules: IdentifierRules) -> ch.ModifyColumn | None:
    """A kept extra column that is NOT NULL with nothing to fill it would make every insert
    written for the target fail: it loses its NOT NULL (lossless) instead."""
    if not isinstance(change, ch.DropColumn):
        return None
    col = change.from_
    table = current.table(change.table)
    in_pk = (
        table is not None
        and table.primary_key is not None
        and any(rules.column_key(c) == rules.column_key(col.name) for c in table.primary_key.columns)
    )
    if col.nullable or col.default is not None or col.identity is not None or col.generated is not None or in_pk:
        return None
    return ch.ModifyColumn(change.table, col, replace(col, nullable=True), frozenset({ColumnChange.NULLABLE}))


def destructive_last(drafts: list[Draft], rules: IdentifierRules) -> list[Draft]:
    """Without transactional DDL a failed step cannot be undone, so a step that only drops
    constraints goes after every step that creates something, where nothing needs it gone
    earlier: its table has no alteration, rebuild or index drop, no later step re-creates a name it drops,
    and no table its foreign keys reference is altered. A failure then leaves nothing missing."""
    altered = {rules.table_key(d.table) for d in drafts if d.kind in (StepKind.ALTERATIONS, StepKind.REBUILD)}
    # an index dropped beside the adds may be the one a dropped foreign key needed
    altered |= {
        rules.table_key(d.table)
        for d in drafts
        if not d.slug.endswith("_drop_constraints")
        and any(isinstance(c, (ch.DropIndex, ch.ModifyIndex, ch.DropUnique)) for c in d.parts)
    }
    added = {
        (rules.table_key(d.table), name.lower())
        for d in drafts
        for c in d.parts
        if isinstance(c, (ch.AddForeignKey, ch.AddCheck, ch.AddUnique, ch.AddIndex)) and (name := c.to.name)
    }
    # a foreign key added on the columns of one dropped may take its name (MySQL's dialect
    # gives an unnamed replacement the old `t_ibfk_1`): the old one goes first
    replaced = {
        (rules.table_key(d.table), tuple(rules.column_key(x) for x in c.to.columns))
        for d in drafts
        for c in d.parts
        if isinstance(c, ch.AddForeignKey)
    }

    def movable(d: Draft) -> bool:
        if not d.slug.endswith("_drop_constraints") or rules.table_key(d.table) in altered:
            return False
        for c in d.parts:
            if not isinstance(c, (ch.DropForeignKey, ch.DropCheck, ch.DropUnique)):
                return False
            if c.from_.name and (rules.table_key(d.table), c.from_.name.lower()) in added:
                return False
            if isinstance(c, ch.DropForeignKey) and rules.table_key(c.from_.ref_table) in altered:
                return False
            if isinstance(c, ch.DropForeignKey) and (
                (rules.table_key(d.table), tuple(rules.column_key(x) for x in c.from_.columns)) in replaced
            ):
                return False
        return True

    late = [d for d in drafts if movable(d)]
    return [d for d in drafts if not movable(d)] + late


def check_fills(options: PlanOptions, work: Sequence[PlanChange], rules: IdentifierRules) -> None:
    """A `--fill` must name a column the plan adds or makes NOT NULL: a misspelt one would
    otherwise be ignored and the step would fail on the data after all."""
    wanted = {
        (rules.table_key(c.table), rules.column_key(c.to.name))
        for c in work
        if (isinstance(c, ch.AddColumn) and not c.to.nullable)
        or (isinstance(c, ch.ModifyColumn) and ColumnChange.NULLABLE in c.kinds and not c.to.nullable)
    }
    for table, column, _ in options.fills:
        if (rules.table_key(table), rules.column_key(column)) not in wanted:
            raise SchemauditError(
                f"--fill {table}.{column}: the plan neither adds {table}.{column} as NOT NULL nor makes it NOT NULL"
            )
