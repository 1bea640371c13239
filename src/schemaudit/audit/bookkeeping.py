"""Tables that migration tools keep for themselves, and other audited facts that are not changes.

A migration tool's version table is in every migrated database and in no model, so without
this list every audit would report it as an extra table. It is recognized by name and
reported once as bookkeeping, never as drift, whichever side it is on. A plan never alters,
drops or writes to one; one that only the target has is created as the target has it (empty:
which migrations ran is its tool's to record), so a database built from a `structure.sql`
has the tables its tool expects.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemaudit.model import Schema, Table

# table name (lower case) -> the tool that owns it
BOOKKEEPING_TABLES: dict[str, str] = {
    "alembic_version": "Alembic",
    "schema_migrations": "Rails / golang-migrate / dbmate",
    "ar_internal_metadata": "Rails",
    "django_migrations": "Django",
    "flyway_schema_history": "Flyway",
    "databasechangelog": "Liquibase",
    "databasechangeloglock": "Liquibase",
    "knex_migrations": "Knex",
    "knex_migrations_lock": "Knex",
    "_prisma_migrations": "Prisma",
    "__efmigrationshistory": "Entity Framework",
    "goose_db_version": "goose",
    "schemaudit_migrations": "schemaudit",
}


def bookkeeping_system(table: str) -> str | None:
    """The migration tool that owns a table of this name, or None."""
    return BOOKKEEPING_TABLES.get(table.lower())


@dataclass(frozen=True, slots=True)
class Bookkeeping:
    """A migration bookkeeping table and which side(s) hold it."""

    table: str
    system: str
    where: str  # "both schemas", "current schema only", "target schema only"


@dataclass(frozen=True, slots=True)
class UnusedHint:
    """A rename hint that matched no table or column: a typo, or a rename already applied."""

    hint: str


def find_bookkeeping(target: Schema, current: Schema) -> tuple[Bookkeeping, ...]:
    """Bookkeeping tables on either side, by name, each reported once."""
    sides: dict[str, tuple[str, set[str]]] = {}
    for side, schema in (("target", target), ("current", current)):
        for table in schema.tables:
            system = bookkeeping_system(table.name)
            if system is not None:
                sides.setdefault(table.name.lower(), (table.name, set()))[1].add(side)
    out = []
    for _, (name, where) in sorted(sides.items()):
        text = "both schemas" if len(where) == 2 else f"{next(iter(where))} schema only"
        out.append(Bookkeeping(name, bookkeeping_system(name) or "", text))
    return tuple(out)


# tables whose tool creates them before it runs anything: schemaudit's own (`apply`), and
# Alembic's, which a plan written as an Alembic revision would collide with
_CREATED_BY_THEIR_TOOL = frozenset({"schemaudit_migrations", "alembic_version"})


def bookkeeping_to_create(target: Schema, current: Schema) -> tuple[Table, ...]:
    """The target's bookkeeping tables that the current schema lacks (see the module's text)."""
    return tuple(
        table
        for table in target.tables
        if bookkeeping_system(table.name) is not None
        and table.name.lower() not in _CREATED_BY_THEIR_TOOL
        and current.table(table.name) is None
    )
