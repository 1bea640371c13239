"""Writable database sessions for `apply`: one class per backend, the same small interface.

These are the only connections in schemaudit that write. Each opens the database the URL
names (a SQLite file must exist: apply never creates a database), runs statements one at a
time, manages transactions explicitly and keeps schemaudit's own bookkeeping table
(`schemaudit_migrations` unless configured otherwise: never another tool's `schema_migrations`).
Driver errors become one-line `ApplyError`s with the password masked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from abc import ABC, abstractmethod
from typing import Any

from schemaudit.audit.bookkeeping import bookkeeping_system
from schemaudit.errors import SchemauditError, mask_secrets
from schemaudit.identifiers import quote
from schemaudit.sources.urls import DbUrl, mysql_charset, parse_db_url, timeouts

MIGRATIONS = "schemaudit_migrations"
# A step that cannot run in a transaction is recorded before it starts, under its id with this
# suffix, and that record is replaced by the step's own when it ends: a run killed in between
# leaves the intent, and the next run looks in the catalog for what the server went on to do.
STARTED = "~started"
_DDL = {
    "sqlite": "CREATE TABLE IF NOT EXISTS {t} (id TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
    "postgresql": (
        "CREATE TABLE IF NOT EXISTS {t} (id varchar(255) PRIMARY KEY, checksum varchar(64) NOT NULL, "
        "applied_at timestamptz NOT NULL)"
    ),
    "mysql": (
        "CREATE TABLE IF NOT EXISTS {t} (id VARCHAR(255) PRIMARY KEY, checksum VARCHAR(64) NOT NULL, "
        "applied_at DATETIME(6) NOT NULL)"
    ),
}


_STRICT = ("STRICT_ALL_TABLES", "NO_ZERO_DATE", "NO_ZERO_IN_DATE", "ERROR_FOR_DIVISION_BY_ZERO")


BUSY_TIMEOUT = 30.0  # seconds apply waits for another SQLite writer to commit


class ApplyError(SchemauditError):
    """A step (or the bookkeeping around it) failed; the message names the step."""


class Session(ABC):
    """A writable connection. Subclasses bind a driver; the bookkeeping is shared."""

    dialect = ""
    placeholder = "%s"

    def __init__(self, url: DbUrl) -> None:
        self.url = url
        self.migrations = MIGRATIONS

    # driver-specific -----------------------------------------------------------------------
    @abstractmethod
    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one statement; the rows it returns (none for DDL)."""

    @abstractmethod
    def tables(self) -> set[str]:
        """The names of the tables that exist now."""

    @abstractmethod
    def columns_of(self, table: str) -> set[str]:
        """The column names of `table`."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def dependents(self, table: str) -> set[str]:
        """Names of the indexes and triggers a table rebuild would have to create again
        (only SQLite rebuilds tables)."""
        return set()

    @abstractmethod
    def indexes_of(self, table: str) -> dict[str, bool]:
        """The names of `table`'s indexes, each with whether it is usable (PostgreSQL marks
        an index that an interrupted CREATE INDEX CONCURRENTLY left behind INVALID)."""

    def busy_with(self, index: str) -> int | None:
        """The server process still building `index`, if any (PostgreSQL)."""
        return None

    # shared ----------------------------------------------------------------------------------
    def q(self, name: str) -> str:
        return quote(name, self.dialect)

    def begin(self) -> None:
        self.execute("BEGIN")

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback(self) -> None:
        with contextlib.suppress(ApplyError):  # nothing was open
            self.execute("ROLLBACK")

    def count(self, table: str) -> int:
        rows = self.execute(f"SELECT COUNT(*) FROM {self.q(table)}")
        return int(rows[0][0])

    def applied(self) -> dict[str, str]:
        """Step id -> checksum of the steps recorded as applied (empty when no table yet).

        The table must be ours, with exactly our columns: a table of that name written by
        anything else (another tool, the application) is refused, never written to."""
        table = self.migrations
        if bookkeeping_system(table) not in (None, "schemaudit"):
            raise ApplyError(
                f"{table} belongs to {bookkeeping_system(table)}; schemaudit keeps its records in its own table"
            )
        if table not in self.tables():
            return {}
        columns = {c.lower() for c in self.columns_of(table)}
        if columns != {"id", "checksum", "applied_at"}:
            raise ApplyError(
                f"{table} exists but is not schemaudit's (columns {', '.join(sorted(columns))}); "
                "another tool or the application owns it: choose another table with --migrations-table"
            )
        rows = self.execute(f"SELECT id, checksum FROM {self.q(table)}")
        return {str(i): str(c or "") for i, c in rows if not str(i).endswith(STARTED)}

    def started(self) -> dict[str, str]:
        """Step id -> checksum of the steps recorded as started and never as ended."""
        if self.migrations not in self.tables():
            return {}
        rows = self.execute(f"SELECT id, checksum FROM {self.q(self.migrations)}")
        return {str(i).removesuffix(STARTED): str(c or "") for i, c in rows if str(i).endswith(STARTED)}

    def record_start(self, step_id: str, checksum: str) -> None:
        """Before a step that cannot be rolled back: its intent, committed at once."""
        self.forget_start(step_id)
        self.record(step_id + STARTED, checksum)

    def forget_start(self, step_id: str) -> None:
        p = self.placeholder
        self.execute(f"DELETE FROM {self.q(self.migrations)} WHERE id = {p}", (step_id + STARTED,))

    def ensure_migrations_table(self) -> None:
        self.execute(_DDL[self.dialect].format(t=self.q(self.migrations)))

    def record(self, step_id: str, checksum: str) -> None:
        p = self.placeholder
        now = dt.datetime.now(dt.timezone.utc)
        value: Any = now.isoformat() if self.dialect == "sqlite" else now.replace(tzinfo=None)
        if self.dialect == "postgresql":
            value = now
        self.execute(
            f"INSERT INTO {self.q(self.migrations)} (id, checksum, applied_at) VALUES ({p}, {p}, {p})",
            (step_id, checksum, value),
        )


class SqliteSession(Session):
    dialect = "sqlite"
    placeholder = "?"

    def __init__(self, url: DbUrl, path: str, read_only: bool = False) -> None:
        super().__init__(url)
        if not os.path.isfile(path):
            raise ApplyError(f"SQLite database {path!r} does not exist (apply never creates one)")
        self.path = path
        try:
            if read_only:  # plan's data checks: no write, and no -wal/-shm left behind
                from schemaudit.sources.live.sqlite import open_reading

                self.conn = open_reading(path)
                self.conn.isolation_level = None
            else:  # a busy writer is waited for (BEGIN IMMEDIATE below), not failed on at once
                self.conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT)
            self.conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise ApplyError(f"cannot open SQLite database {path!r}: {exc}") from None

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise ApplyError(_one_line(str(exc))) from None

    def tables(self) -> set[str]:
        return {r[0] for r in self.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}

    def columns_of(self, table: str) -> set[str]:
        return {r[1] for r in self.execute(f"PRAGMA table_info({self.q(table)})")}

    def begin(self) -> None:
        """Take the write lock at once (waiting up to BUSY_TIMEOUT for other writers), so a
        step never fails half-way on "database is locked"."""
        self.execute("BEGIN IMMEDIATE")

    def indexes_of(self, table: str) -> dict[str, bool]:
        rows = self.execute("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?", (table,))
        return {str(r[0]): True for r in rows}

    def dependents(self, table: str) -> set[str]:
        rows = self.execute(
            "SELECT name FROM sqlite_schema WHERE type IN ('index', 'trigger') AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        )
        return {str(r[0]) for r in rows}

    def backup(self, destination: str) -> None:
        """A consistent copy of the whole file (SQLite's online backup), before any change.

        Written under a temporary name and renamed when complete: a backup that exists is
        whole (a kill during the copy leaves only a `.partial` file, never an empty database
        named like a backup)."""
        partial = f"{destination}.partial"
        try:
            target = sqlite3.connect(partial)
            try:
                self.conn.backup(target)
            finally:
                target.close()
            with open(partial, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, destination)
        except (sqlite3.Error, OSError) as exc:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            raise ApplyError(f"cannot back up {self.path!r} to {destination!r}: {exc}; nothing was changed") from None

    def close(self) -> None:
        self.conn.close()


class PostgresSession(Session):
    dialect = "postgresql"

    def __init__(self, url: DbUrl, schema: str | None) -> None:
        super().__init__(url)
        import psycopg

        self._error = psycopg.Error
        args: dict[str, Any] = dict(url.query)
        args.pop("read_timeout", None)
        args["connect_timeout"] = timeouts(url)[0]
        for key, value in (("host", url.host), ("port", url.port), ("user", url.username), ("password", url.password)):
            if value is not None:
                args[key] = value
        if url.database:
            args["dbname"] = url.database
        try:
            self.conn = psycopg.connect(autocommit=True, **args)
        except psycopg.Error as exc:
            raise ApplyError(
                mask_secrets(f"cannot connect to {url.masked()}: {_one_line(str(exc))}", url.password)
            ) from None
        self.schema = schema or "public"
        if not self.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.schema,)):
            self.conn.close()
            raise ApplyError(f"schema {self.schema!r} does not exist in {url.masked()} (see --schema)")
        self.execute(f"SET search_path TO {self.q(self.schema)}")

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            cur = self.conn.execute(sql, params or None)
            return list(cur.fetchall()) if cur.description else []
        except self._error as exc:
            raise ApplyError(mask_secrets(_one_line(str(exc)), self.url.password)) from None

    def tables(self) -> set[str]:
        rows = self.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_type = 'BASE TABLE'",
            (self.schema,),
        )
        return {r[0] for r in rows}

    def columns_of(self, table: str) -> set[str]:
        rows = self.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
            (self.schema, table),
        )
        return {r[0] for r in rows}

    def indexes_of(self, table: str) -> dict[str, bool]:
        rows = self.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE n.nspname = %s AND t.relname = %s",
            (self.schema, table),
        )
        return {str(r[0]): bool(r[1]) for r in rows}

    def busy_with(self, index: str) -> int | None:
        rows = self.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state = 'active' AND query ILIKE '%%CREATE%%INDEX%%' AND strpos(query, %s) > 0",
            (self.q(index),),
        )
        return int(rows[0][0]) if rows else None

    def close(self) -> None:
        self.conn.close()


class MySqlSession(Session):
    dialect = "mysql"

    def __init__(self, url: DbUrl, database: str | None) -> None:
        super().__init__(url)
        import pymysql

        self._error = pymysql.MySQLError
        self.database = database or url.database
        if not self.database:
            raise ApplyError(f"no database given in {url.masked()}")
        try:
            self.conn = pymysql.connect(
                host=url.host or "localhost",
                port=url.port or 3306,
                user=url.username,
                password=url.password or "",
                database=self.database,
                charset=mysql_charset(url),
                connect_timeout=timeouts(url)[0],
                read_timeout=timeouts(url)[1],
                write_timeout=timeouts(url)[1],
                autocommit=True,
            )
        except (pymysql.MySQLError, OSError) as exc:
            raise ApplyError(
                mask_secrets(f"cannot connect to {url.masked()}: {_one_line(str(exc))}", url.password)
            ) from None
        mode = str(self.execute("SELECT @@SESSION.sql_mode")[0][0] or "")
        self.execute("SET SESSION sql_mode = %s", (strict_mode(mode),))

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self.conn.cursor() as cur:
                cur.execute(sql, params or None)
                return list(cur.fetchall() or [])
        except self._error as exc:
            args = exc.args
            text = str(args[1]) if len(args) > 1 else str(exc)
            raise ApplyError(mask_secrets(_one_line(text), self.url.password)) from None

    def begin(self) -> None:  # DDL commits implicitly: there is no transaction to open
        return

    def commit(self) -> None:
        return

    def rollback(self) -> None:
        return

    def tables(self) -> set[str]:
        rows = self.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_type = 'BASE TABLE'",
            (self.database,),
        )
        return {r[0] for r in rows}

    def columns_of(self, table: str) -> set[str]:
        rows = self.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
            (self.database, table),
        )
        return {r[0] for r in rows}

    def indexes_of(self, table: str) -> dict[str, bool]:
        rows = self.execute(
            "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = %s AND table_name = %s",
            (self.database, table),
        )
        return {str(r[0]): True for r in rows}

    def close(self) -> None:
        self.conn.close()


def open_session(spec: str, schema: str | None = None, read_only: bool = False) -> Session:
    """A writable session on the database a URL (or bare SQLite path) names; `read_only`
    for `plan`'s data checks, which must not write (nor leave a SQLite `-wal` behind)."""
    if "://" not in spec and ":" not in spec.split("/")[0]:
        spec = f"sqlite:///{spec}"
    url = parse_db_url(spec)
    if url.backend == "sqlite":
        from schemaudit.sources.live.sqlite import sqlite_path

        return SqliteSession(url, sqlite_path(spec), read_only)
    session: Session
    if url.backend == "postgresql":
        session = PostgresSession(url, schema)
        if read_only:
            session.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        return session
    if url.backend == "mysql":
        session = MySqlSession(url, schema)
        if read_only:
            session.execute("SET SESSION TRANSACTION READ ONLY")
        return session
    raise ApplyError(f"cannot apply to {url.masked()}: unknown database kind {url.backend!r}")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def strict_mode(mode: str) -> str:
    """The session's sql_mode made strict. Without it (the old default, still common) MariaDB
    and MySQL turn 'abc' into 0 and NULL into '' when a column changes type or becomes NOT
    NULL, and the step "succeeds" having changed the data; strict, the statement fails."""
    flags = [f for f in mode.split(",") if f]
    for flag in _STRICT:
        if flag not in flags:
            flags.append(flag)
    return ",".join(flags)
