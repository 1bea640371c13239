"""Schema objects beyond tables: extensions, types, sequences, views, routines, triggers,
row-level security, each a frozen value like a table, so they can be compared and planned.

Definitions are kept as the text the database's own printer gives (`pg_get_viewdef`,
`pg_get_functiondef`, `pg_get_triggerdef`, `SHOW CREATE ...`, `sqlite_master.sql`): two
databases built from the same DDL print the same text, which is what comparing needs, and
the text is what a plan runs to recreate the object. The structured facts beside it
(a trigger's table and function, a view's dependencies) are what ordering and reports read.

`Objects.kinds` names the kinds a source filled: a kind a source cannot read (a DDL file
without a server to print it, SQLAlchemy models) is absent there, and comparing skips it
instead of calling every such object missing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Extension:
    name: str
    schema: str | None = None  # None: the audited schema
    version: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class EnumType:
    name: str
    values: tuple[str, ...]
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class DomainCheck:
    name: str
    expression: str  # `CHECK (...)` as pg_get_constraintdef prints it


@dataclass(frozen=True, slots=True)
class Domain:
    name: str
    base: str  # format_type of the base type
    nullable: bool = True
    default: str | None = None
    checks: tuple[DomainCheck, ...] = ()
    collation: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Sequence:
    """A sequence that is not a column's own (serial and identity sequences live on the
    column's `Identity`); `owned_by` is `table.column` when OWNED BY ties it to one."""

    name: str
    data_type: str = "bigint"
    start: int = 1
    increment: int = 1
    min_value: int | None = None
    max_value: int | None = None
    cache: int = 1
    cycle: bool = False
    owned_by: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class View:
    """A view or materialized view. `definition` is the query as the server prints it;
    `depends_on` names the relations (tables, views) of the schema it reads, for ordering;
    `indexes` are a materialized view's index definitions."""

    name: str
    definition: str
    materialized: bool = False
    columns: tuple[str, ...] = ()
    options: tuple[str, ...] = ()  # `security_barrier=true`, `check_option=local`, MySQL algorithm...
    depends_on: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ()
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Routine:
    """A function, procedure or aggregate. `name` is its identity as the catalog prints it,
    with input argument types on PostgreSQL (`film_in_stock(integer,integer)`), since
    overloads are distinct objects; `definition` is the full CREATE statement."""

    name: str
    kind: str  # "function", "procedure", "aggregate"
    definition: str
    language: str | None = None
    returns: str | None = None
    volatility: str | None = None  # "immutable", "stable", "volatile"
    strict: bool = False
    security_definer: bool = False
    depends_on: tuple[str, ...] = ()  # routines and relations of the schema it needs first
    used_by_tables: bool = False  # a default, check or index calls it: create before tables
    comment: str | None = None
    sql_mode: str | None = None  # MySQL: the sql_mode the body runs under, fixed at creation
    # PostgreSQL: the body as the server keeps it (`prosrc`, verbatim from the CREATE
    # statement's string); None for an SQL-standard body or a C function
    body: str | None = None

    @property
    def base_name(self) -> str:
        return self.name.split("(", 1)[0]


@dataclass(frozen=True, slots=True)
class Trigger:
    name: str
    table: str
    definition: str  # the CREATE TRIGGER statement as the server prints it
    function: str | None = None  # the function it calls (PostgreSQL)
    timing: str | None = None  # BEFORE, AFTER, INSTEAD OF
    events: tuple[str, ...] = ()
    for_each_row: bool = True
    enabled: str = "O"  # PostgreSQL tgenabled: O origin, D disabled, R replica, A always
    comment: str | None = None
    sql_mode: str | None = None  # MySQL: the sql_mode the body runs under, fixed at creation


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    table: str
    command: str = "ALL"
    permissive: bool = True
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class RowSecurity:
    """A table with row-level security switched on (`forced` also for the owner)."""

    table: str
    forced: bool = False


@dataclass(frozen=True, slots=True)
class VirtualTable:
    """A SQLite virtual table (`CREATE VIRTUAL TABLE ... USING fts5 (...)`). The module
    creates and owns its shadow tables (`name_content`, `name_segdir`...), so they are not
    tables of the schema: creating the virtual table makes them, dropping it drops them."""

    name: str
    definition: str  # the CREATE VIRTUAL TABLE statement SQLite stored
    module: str = ""  # fts4, fts5, rtree...


@dataclass(frozen=True, slots=True)
class Event:
    """A MySQL/MariaDB scheduled event. `definition` prints its STARTS, ENDS and AT times in
    the event's own `time_zone` (the session's when it was created), so the same text under
    another time zone is another instant: the zone is part of the schedule."""

    name: str
    definition: str
    comment: str | None = None
    sql_mode: str | None = None  # the sql_mode the body runs under, fixed at creation
    time_zone: str | None = None  # SHOW CREATE EVENT's time_zone (SYSTEM, +02:00, Europe/Paris)


KINDS = (
    "extension",
    "enum",
    "domain",
    "sequence",
    "view",
    "routine",
    "trigger",
    "policy",
    "event",
    "virtual table",
)


@dataclass(frozen=True, slots=True)
class Objects:
    """Every modelled object of a schema, each tuple sorted by name (then table)."""

    kinds: tuple[str, ...] = ()  # the kinds the source read (see the module docstring)
    # the kinds read from a file's text, not printed by a server: compared on the facts the
    # text states exactly (a function's body, a trigger's timing...), not on the definition
    textual: tuple[str, ...] = ()
    extensions: tuple[Extension, ...] = ()
    enums: tuple[EnumType, ...] = ()
    domains: tuple[Domain, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    views: tuple[View, ...] = ()
    routines: tuple[Routine, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    policies: tuple[Policy, ...] = ()
    row_security: tuple[RowSecurity, ...] = ()
    events: tuple[Event, ...] = ()
    virtual_tables: tuple[VirtualTable, ...] = ()

    def reads(self, kind: str) -> bool:
        return kind in self.kinds

    def count(self) -> int:
        return sum(
            len(group)
            for group in (
                self.extensions,
                self.enums,
                self.domains,
                self.sequences,
                self.views,
                self.routines,
                self.triggers,
                self.policies,
                self.events,
                self.virtual_tables,
            )
        )

    def triggers_of(self, table: str) -> tuple[Trigger, ...]:
        return tuple(t for t in self.triggers if t.table == table)


AnyObject = (
    Extension | EnumType | Domain | Sequence | View | Routine | Trigger | Policy | RowSecurity | Event | VirtualTable
)

# kind -> the `Objects` field holding it, in creation order; the gate is the kind whose
# `Objects.kinds` entry says a source read them (row security comes with policies)
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("extension", "extensions", "extension"),
    ("enum", "enums", "enum"),
    ("domain", "domains", "domain"),
    ("sequence", "sequences", "sequence"),
    ("virtual table", "virtual_tables", "virtual table"),
    ("routine", "routines", "routine"),
    ("view", "views", "view"),
    ("trigger", "triggers", "trigger"),
    ("policy", "policies", "policy"),
    ("row security", "row_security", "policy"),
    ("event", "events", "event"),
)


def object_name(obj: AnyObject) -> str:
    return obj.table if isinstance(obj, RowSecurity) else obj.name


def object_table(obj: AnyObject) -> str | None:
    """The table an object belongs to (triggers, policies, row security), else None."""
    return obj.table if isinstance(obj, (Trigger, Policy, RowSecurity)) else None


def kind_label(obj: AnyObject) -> str:
    """What a person calls it: `materialized view`, `procedure`, `enum type`..."""
    if isinstance(obj, View):
        return "materialized view" if obj.materialized else "view"
    if isinstance(obj, Routine):
        return obj.kind
    labels = {EnumType: "enum type", RowSecurity: "row-level security", Domain: "domain", VirtualTable: "virtual table"}
    return labels.get(type(obj), type(obj).__name__.lower())


def listing(objects: Objects) -> list[tuple[str, str, str | None, str]]:
    """(kind, name, table, one-line detail) for every object, in a stable order: what
    `inspect` and the reports show."""
    return [
        (kind_label(obj), object_name(obj), object_table(obj), detail(obj))
        for _, field, _ in GROUPS
        for obj in getattr(objects, field)
    ]


def detail(obj: AnyObject) -> str:
    """One line that tells a person what the object is, for listings and report cells."""
    if isinstance(obj, Extension):
        return f"version {obj.version}" if obj.version else ""
    if isinstance(obj, EnumType):
        return ", ".join(obj.values)
    if isinstance(obj, Domain):
        text = obj.base + ("" if obj.nullable else " NOT NULL") + (f" DEFAULT {obj.default}" if obj.default else "")
        return " ".join([text, *(c.expression for c in obj.checks)])
    if isinstance(obj, Sequence):
        owned = f", owned by {obj.owned_by}" if obj.owned_by else ""
        return f"{obj.data_type} start {obj.start} increment {obj.increment}{owned}"
    if isinstance(obj, View):
        return f"reads {', '.join(obj.depends_on)}" if obj.depends_on else ""
    if isinstance(obj, Routine):
        return " ".join(filter(None, (obj.language, obj.volatility)))
    if isinstance(obj, Trigger):
        enabled = "" if obj.enabled == "O" else " (disabled)" if obj.enabled == "D" else f" (enabled {obj.enabled})"
        what = " ".join(filter(None, (obj.timing, " OR ".join(obj.events))))
        return f"{what} → {obj.function}{enabled}" if obj.function else what + enabled
    if isinstance(obj, Policy):
        return f"{obj.command} to {', '.join(obj.roles)}"
    if isinstance(obj, RowSecurity):
        return "forced" if obj.forced else "enabled"
    if isinstance(obj, VirtualTable):
        return f"using {obj.module}" if obj.module else ""
    return ""
