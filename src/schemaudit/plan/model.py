"""The values a migration plan is made of: steps of statements, each with its risk.

A plan is data before it is text: the SQL file, the folder of numbered files, the Alembic
revision and `apply` all read the same `Plan`. Every statement remembers the change it came
from and carries its hazards, so a reviewer (or a CI gate) can ask "what in this plan can
lose data?" without parsing SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from schemaudit.diff.changes import Change
from schemaudit.diff.partition_changes import AttachPartition, DetachPartition
from schemaudit.model import Schema, Table
from schemaudit.plan.names import RenameConstraint, RenameIndex

# What a step can carry out: a change found by compare(), or a rename of an index or
# constraint that compare() does not report (see `names`), or half of a changed partition bound.
PlanChange = Change | RenameIndex | RenameConstraint | DetachPartition | AttachPartition


class RiskLevel(str, Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return ("low", "medium", "high").index(self.value)


class StepKind(str, Enum):
    """What a step does, in the words of a migration plan (the seed's "Type" column)."""

    OBJECT_DROPS = "Object drops"
    TYPES = "Type definitions"
    TABLE_RENAME = "Table rename"
    COLUMN_RENAME = "Column rename"
    OBJECT_RENAME = "Index and constraint renames"
    NEW_TABLE = "New table"
    NEW_COLUMNS = "New columns"
    ALTERATIONS = "Column and table alterations"
    REBUILD = "Table rebuild"
    CONSTRAINTS = "Constraints and indexes"
    VALIDATION = "Constraint validation"
    CONCURRENT_INDEX = "Index built concurrently"
    ROUTINES = "Functions and procedures"
    VIEWS = "Views"
    TRIGGERS = "Triggers and policies"
    DROP_COLUMNS = "Column drops"
    DROP_TABLE = "Table drop"


# steps an Alembic revision runs as the plan's own SQL (objects beyond tables included)
SQL_ONLY_STEPS = frozenset(
    {
        StepKind.TYPES,
        StepKind.VALIDATION,
        StepKind.CONCURRENT_INDEX,
        StepKind.OBJECT_DROPS,
        StepKind.ROUTINES,
        StepKind.VIEWS,
        StepKind.TRIGGERS,
    }
)


@dataclass(frozen=True, slots=True)
class Hazard:
    """Something a statement may do that a reviewer must know (`code` is stable, for gates).
    `level`, where the dialect knows it, raises the step's risk (a rewrite of the whole
    table under an exclusive lock is high risk whatever the type relation says)."""

    code: str
    message: str
    level: RiskLevel | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement and where it came from.

    transactional: may run inside the step's transaction (False: `CREATE INDEX CONCURRENTLY`).
    separate: must run in a later transaction of its own (`VALIDATE CONSTRAINT` after
    `NOT VALID`, so the long scan does not hold the ALTER's lock).
    check: a query whose rows are violations (`PRAGMA foreign_key_check`): any row fails the step.
    """

    sql: str
    change: PlanChange | None = None
    hazards: tuple[Hazard, ...] = ()
    transactional: bool = True
    separate: bool = False
    check: bool = False


@dataclass(frozen=True, slots=True)
class Risk:
    level: RiskLevel
    reasons: tuple[str, ...] = ()

    def __str__(self) -> str:
        head = self.level.value.capitalize()
        return f"{head} — {'; '.join(self.reasons)}" if self.reasons else head


@dataclass(frozen=True, slots=True)
class RowCheck:
    """A table whose row count must be the same after the step (`before` name, `after` name)."""

    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Rebuild:
    """What a table rebuild creates: the new table, which old column fills each new one
    (new name, old name), and the triggers created again (renderers other than SQL need it)."""

    table: Table
    copied: tuple[tuple[str, str], ...]
    triggers: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()  # tables whose foreign keys are checked afterwards
    autoincrement: bool = False  # SQLite: the AUTOINCREMENT counter is carried over (sqlite_sequence)


@dataclass(frozen=True, slots=True)
class DataCheck:
    """Rows that would make a step fail, counted read-only before the plan changes anything.

    `sql` is one `SELECT COUNT(*)` on the database as it is before the plan (current names);
    `problem` holds `{n}` for the count; `remedy` is the way forward (a `--fill`, a data
    migration the user writes)."""

    sql: str
    table: str
    column: str
    problem: str
    remedy: str


@dataclass(frozen=True, slots=True)
class TableShape:
    """What a step expects of one table. `columns` None: the table must not exist yet.
    `keeps`: for a rebuild, the indexes and triggers it knows (any other would be lost).
    `indexes`: the named indexes it has then (how `apply` tells, after a kill, whether a step
    that cannot run in a transaction took effect)."""

    table: str
    columns: tuple[str, ...] | None
    keeps: tuple[str, ...] | None = None
    indexes: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One unit of migration: applied in one transaction where the dialect allows.

    foreign_keys: SQLite's `PRAGMA foreign_keys` to set around the step ("off" for a table
    rebuild, "on" where an old SQLite rewrites references only with it on), else None.
    """

    id: str
    kind: StepKind
    description: str
    risk: Risk
    changes: tuple[PlanChange, ...]
    statements: tuple[Statement, ...]
    notes: tuple[str, ...] = ()
    transactional: bool = True
    foreign_keys: str | None = None
    row_checks: tuple[RowCheck, ...] = ()
    rebuild: Rebuild | None = None
    data_checks: tuple[DataCheck, ...] = ()
    expects: tuple[TableShape, ...] = ()  # the tables it touches, as they are just before it
    leaves: tuple[TableShape, ...] = ()  # the same tables just after it (columns None: gone)

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        seen: dict[Hazard, None] = {}
        for statement in self.statements:
            seen.update(dict.fromkeys(statement.hazards))
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Kept:
    """A change the plan does not carry out, and why (drops without --allow-drop, things the
    dialect cannot express)."""

    change: PlanChange
    reason: str


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """How to plan. `date` makes step ids deterministic (golden files); `sqlite_version`
    is the SQLite the plan will run on (default: the running library's)."""

    dialect: str
    allow_drop: bool = False
    date: date | None = None
    sqlite_version: tuple[int, int, int] | None = None
    concurrent_indexes: bool = False
    # SQL of triggers and views by table key, where the planner could read it (SQLite: a
    # rebuild drops a table's triggers, which must be created again)
    dependent_sql: tuple[tuple[str, str, str, str], ...] = ()  # (kind, name, table, sql)
    # values for columns that become NOT NULL: (table, column, SQL expression), target names
    fills: tuple[tuple[str, str, str], ...] = ()
    # PostgreSQL: the schema the plan runs in, when not `public`; every output says so (the
    # SQL script sets `search_path`, the Alembic revision passes `schema=`, apply defaults to it)
    schema: str | None = None
    # PostgreSQL: the TimeZone a session on the current database starts with, where the plan
    # could read it (a timestamp becoming timestamptz is read in that zone)
    time_zone: str | None = None
    # PostgreSQL: the current server's `server_version_num` (150004 for 15.4), where the plan
    # could read it; before 12 (120000) `ALTER TYPE ... ADD VALUE` cannot run in a transaction
    server_version: int | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    dialect: str
    steps: tuple[Step, ...]
    kept: tuple[Kept, ...] = ()
    notes: tuple[str, ...] = ()
    target: Schema | None = field(default=None, compare=False, repr=False)
    date: str = ""
    schema: str | None = None  # PostgreSQL: the schema it runs in (None: the connection's)

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def risk(self) -> RiskLevel:
        return max((s.risk.level for s in self.steps), key=lambda r: r.rank, default=RiskLevel.LOW)
