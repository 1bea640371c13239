"""The catalog queries of the MySQL/MariaDB source, and the server facts that shape them.

Every query reads one `information_schema` view for the whole database at once
(`WHERE TABLE_SCHEMA = %s`), so the number of round trips is fixed whatever the number of
tables: information_schema views are slow per call (MariaDB opens table definitions to fill
them) but cheap per row. Joins are done in Python, not SQL: MariaDB materializes
information_schema views without indexes, so joining two of them in SQL can cost far more
than reading each once. `live.mysql` turns the rows into the model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from schemaudit.model_objects import Objects
from schemaudit.sources.live.mysql_declared import read_create_statements
from schemaudit.sources.live.mysql_objects import read_objects
from schemaudit.sources.live.mysql_partitions import PARTITIONS_SQL

Row = tuple[Any, ...]


class Cursor(Protocol):
    """The slice of a DB-API cursor we use (PyMySQL ships no type hints)."""

    def execute(self, query: str, args: Sequence[object] | None = None) -> int: ...

    def fetchall(self) -> Sequence[Row]: ...


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """What the server is, and which catalog columns it has (they differ by flavour)."""

    version: str
    lower_case_table_names: int
    check_columns: frozenset[str] = frozenset()  # columns of information_schema.CHECK_CONSTRAINTS
    statistics_columns: frozenset[str] = frozenset()  # columns of information_schema.STATISTICS

    @property
    def is_mariadb(self) -> bool:
        return "mariadb" in self.version.lower()

    @property
    def quoted_defaults(self) -> bool:
        """MariaDB >= 10.2.7 reports COLUMN_DEFAULT as SQL (literals quoted); MySQL does not."""
        return self.is_mariadb and _version_tuple(self.version) >= (10, 2, 7)


def _version_tuple(version: str) -> tuple[int, ...]:
    match = re.match(r"(\d+)\.(\d+)\.(\d+)", version)
    return tuple(int(part) for part in match.groups()) if match else (0, 0, 0)


@dataclass(frozen=True, slots=True)
class Catalog:
    """Raw rows of every catalog query, in the column order of the SQL below."""

    tables: Sequence[Row]
    columns: Sequence[Row]
    statistics: Sequence[Row]
    fk_columns: Sequence[Row]
    fk_rules: Sequence[Row]
    checks: Sequence[Row]  # (table, name, clause, level or None)
    triggers: Sequence[Row]
    routines: Sequence[Row]
    events: Sequence[Row]
    partitions: Sequence[Row] = ()  # see mysql_partitions
    creates: Sequence[tuple[str, str]] = ()  # (table, SHOW CREATE TABLE), see mysql_declared
    objects: Objects = Objects()  # views, triggers, routines, events, see mysql_objects


SERVER_SQL = (
    "SELECT VERSION(), @@lower_case_table_names, "
    "(SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s)"
)
# Which optional catalog columns exist: CHECK_CONSTRAINTS.TABLE_NAME/LEVEL (MariaDB),
# STATISTICS.EXPRESSION (MySQL 8 functional indexes). Cheaper and surer than version tables.
PROBE_SQL = (
    "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS "
    "WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME IN ('CHECK_CONSTRAINTS', 'STATISTICS')"
)
# The table's default charset is its collation's (COLLATIONS), joined here: no query per table.
TABLES_SQL = (
    "SELECT t.TABLE_NAME, t.TABLE_TYPE, t.ENGINE, t.TABLE_COMMENT, t.TABLE_COLLATION, t.CREATE_OPTIONS, "
    "c.CHARACTER_SET_NAME FROM information_schema.TABLES t "
    "LEFT JOIN information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION "
    "WHERE t.TABLE_SCHEMA = %s"
)
COLUMNS_SQL = (
    "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, "
    "EXTRA, GENERATION_EXPRESSION, COLUMN_COMMENT, COLLATION_NAME "
    "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s"
)
STATISTICS_SQL = (
    "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, COLLATION, SUB_PART, "
    "INDEX_TYPE, {expression}, INDEX_COMMENT FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s"
)
FK_COLUMNS_SQL = (
    "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION, REFERENCED_TABLE_SCHEMA, "
    "REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
    "WHERE TABLE_SCHEMA = %s AND REFERENCED_TABLE_NAME IS NOT NULL"
)
FK_RULES_SQL = (
    "SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE "
    "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = %s"
)
# MariaDB: checks carry their table (and LEVEL = 'Column' / 'Table' since 10.5.10).
CHECKS_MARIADB_SQL = (
    "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, {level} "
    "FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = %s"
)
# MySQL 8: checks are named per schema; their table comes from TABLE_CONSTRAINTS.
CHECKS_MYSQL_SQL = (
    "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = %s"
)
CHECK_TABLES_MYSQL_SQL = (
    "SELECT CONSTRAINT_NAME, TABLE_NAME FROM information_schema.TABLE_CONSTRAINTS "
    "WHERE TABLE_SCHEMA = %s AND CONSTRAINT_TYPE = 'CHECK'"
)
TRIGGERS_SQL = (
    "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION "
    "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = %s"
)
ROUTINES_SQL = "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = %s"
EVENTS_SQL = "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = %s"


def _all(cur: Cursor, sql: str, args: Sequence[object] | None = None) -> Sequence[Row]:
    cur.execute(sql, args)
    return cur.fetchall()


def read_server(cur: Cursor, database: str) -> tuple[ServerInfo, bool]:
    """Server version, name rules and optional catalog columns; and whether `database` exists."""
    version, lctn, found = _all(cur, SERVER_SQL, (database,))[0]
    probed: dict[str, set[str]] = {"CHECK_CONSTRAINTS": set(), "STATISTICS": set()}
    for table, column in _all(cur, PROBE_SQL):
        probed[str(table).upper()].add(str(column).upper())
    info = ServerInfo(
        version=str(version),
        lower_case_table_names=int(lctn),
        check_columns=frozenset(probed["CHECK_CONSTRAINTS"]),
        statistics_columns=frozenset(probed["STATISTICS"]),
    )
    return info, bool(found)


def read_catalog(cur: Cursor, database: str, server: ServerInfo) -> Catalog:
    """Run every catalog query once for `database`; a fixed count whatever its size."""
    args = (database,)
    expression = "EXPRESSION" if "EXPRESSION" in server.statistics_columns else "NULL"
    tables = _all(cur, TABLES_SQL, args)
    base = [str(row[0]) for row in tables if row[1] in ("BASE TABLE", "SYSTEM VERSIONED")]
    triggers = _all(cur, TRIGGERS_SQL, args)
    routines = _all(cur, ROUTINES_SQL, args)
    events = _all(cur, EVENTS_SQL, args)
    return Catalog(
        tables=tables,
        columns=_all(cur, COLUMNS_SQL, args),
        statistics=_all(cur, STATISTICS_SQL.format(expression=expression), args),
        fk_columns=_all(cur, FK_COLUMNS_SQL, args),
        fk_rules=_all(cur, FK_RULES_SQL, args),
        checks=_read_checks(cur, database, server),
        triggers=triggers,
        routines=routines,
        events=events,
        partitions=_all(cur, PARTITIONS_SQL, args),
        creates=read_create_statements(cur, database, base),
        objects=read_objects(cur, database, [(str(r[0]), str(r[1])) for r in tables], triggers, routines, events),
    )


def _read_checks(cur: Cursor, database: str, server: ServerInfo) -> Sequence[Row]:
    """Check constraints as (table, name, clause, level), whichever way the server files them."""
    columns = server.check_columns
    if not columns:  # MySQL < 8.0.16, MariaDB < 10.2: no CHECK_CONSTRAINTS view at all
        return []
    if "TABLE_NAME" in columns:
        level = "LEVEL" if "LEVEL" in columns else "NULL"
        return _all(cur, CHECKS_MARIADB_SQL.format(level=level), (database,))
    owners: dict[str, str] = dict(_all(cur, CHECK_TABLES_MYSQL_SQL, (database,)))
    return [
        (owners[name], name, clause, None)
        for name, clause in _all(cur, CHECKS_MYSQL_SQL, (database,))
        if name in owners
    ]
