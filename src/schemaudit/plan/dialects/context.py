"""What a dialect may ask about the schema while it spells one change.

`state` is the current schema with every rename applied (the planner runs renames first);
`after` is each table as the plan leaves it. Dialects read both and never the raw current
names, so no statement can name a table by the name it had before a rename step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from schemaudit.model import Column, ForeignKey, Schema, Table
from schemaudit.plan.model import Hazard, PlanOptions, Statement
from schemaudit.plan.porter import Porter
from schemaudit.plan.state import Renames


class Unsupported(Exception):
    """The dialect cannot carry out a change; the plan keeps it and says why."""


@dataclass(frozen=True, slots=True)
class Clause:
    """One action of an `ALTER TABLE` (`ADD COLUMN ...`): dialects that accept several
    actions in one statement get them combined, atomically (MySQL: one implicit commit)."""

    table: str
    sql: str
    hazards: tuple[Hazard, ...] = ()
    # drops a constraint: written before the other actions of its ALTER TABLE, since they may
    # depend on it being gone (PostgreSQL: DROP NOT NULL of a primary key column)
    drops_constraint: bool = False


Op = Statement | Clause


@dataclass(frozen=True, slots=True)
class PlanContext:
    target: Schema
    current: Schema
    state: Schema
    renames: Renames
    port: Porter
    options: PlanOptions
    after_tables: Mapping[str, Table] = field(default_factory=dict)  # table key -> evolved table
    deferred_fks: Mapping[str, tuple[ForeignKey, ...]] = field(default_factory=dict)
    # (table key, column key) of an added column that may be a dropped one renamed -> its hint
    near_renames: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def key(self, name: str) -> str:
        return self.renames.rules.table_key(name)

    def before(self, name: str) -> Table | None:
        """The table as it stands after renames, before its other changes."""
        return self.state.table(name)

    def after(self, name: str) -> Table | None:
        """The table as the plan leaves it (new tables: the ported target table)."""
        found = self.after_tables.get(self.key(name))
        if found is not None:
            return found
        return self.before(name)

    def referencing(self, name: str) -> tuple[tuple[str, ForeignKey], ...]:
        """Foreign keys of other tables (as they stand after renames) that point at `name`."""
        wanted = self.key(name)
        return tuple(
            (t.name, fk)
            for t in self.state.tables
            for fk in t.foreign_keys
            if self.key(fk.ref_table) == wanted and self.key(t.name) != wanted
        )


def fill_for(ctx: PlanContext, table: str, column: str) -> str | None:
    """The `--fill TABLE.COLUMN=EXPR` expression for a column (target names), if given."""
    rules = ctx.renames.rules
    for t, c, expr in ctx.options.fills:
        if rules.table_key(t) == rules.table_key(table) and rules.column_key(c) == rules.column_key(column):
            return expr
    return None


def needs_values(col: Column) -> bool:
    """A NOT NULL column nothing fills: existing rows have no value for it."""
    return not col.nullable and col.default is None and col.identity is None and col.generated is None
