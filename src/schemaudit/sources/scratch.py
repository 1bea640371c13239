"""The scratch database a source builds a schema on (Alembic replays, DDL files normalized by
the server): created for one load, always dropped.

By default a temporary SQLite file in its own temporary folder. With a server URL
(`postgresql://user@host/postgres`, `mysql+pymysql://root@host/`), a database with a unique
name (`schemaudit_scratch_<pid>_<random>`) is created on that server and dropped afterwards,
whatever happened in between: a failing revision, a crashed child process, an interrupt.
The server's own database named in the URL is only used to connect; nothing is written
there. Names carry the process id so a test can check that none of its scratch databases
survived, even while other runs use the same server.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemaudit.errors import SourceError, mask_secrets
from schemaudit.sources.urls import normalized_url, parse_db_url, timeouts

PREFIX = "schemaudit_scratch_"
_DEFAULT_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql"}


@dataclass(frozen=True, slots=True)
class Scratch:
    """`url` for SQLAlchemy in the child (driver included, password in it), `live_spec` for
    our live source, `name` of the database or file, `dialect` of the server."""

    url: str = field(repr=False)
    live_spec: str = field(repr=False)
    name: str
    dialect: str
    password: str | None = field(default=None, repr=False)


def scratch_prefix() -> str:
    """Name prefix of this process's scratch databases (and SQLite scratch folders): the
    process id and a tag of this machine, so a later run can tell a leftover of a process
    that is gone (on this machine) from one still in use."""
    return f"{PREFIX}{os.getpid()}_{_HOST}_"


_HOST = hashlib.sha1(socket.gethostname().encode("utf-8")).hexdigest()[:6]
_OWNED = re.compile(rf"^{PREFIX}(\d+)_([0-9a-f]{{6}})_")


def _abandoned(name: str) -> bool:
    """A scratch database of a process of this machine that no longer runs (killed -9)."""
    m = _OWNED.match(name)
    if m is None or m.group(2) != _HOST or int(m.group(1)) == os.getpid():
        return False
    try:
        os.kill(int(m.group(1)), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def is_sqlite(server_url: str | None) -> bool:
    return server_url is None or server_url.strip().lower() in ("", "sqlite", "sqlite:", "sqlite://", "sqlite:///")


@contextmanager
def scratch_database(server_url: str | None) -> Iterator[Scratch]:
    """A fresh, empty scratch database; dropped when the block ends, however it ends."""
    if is_sqlite(server_url):
        with _sqlite() as scratch:
            yield scratch
        return
    assert server_url is not None
    server_url = _resolved(server_url)
    url = parse_db_url(server_url)
    if url.backend not in _DEFAULT_DRIVERS:
        raise SourceError(f"scratch URL {url.masked()} is not a PostgreSQL or MySQL server (or 'sqlite')")
    name = f"{scratch_prefix()}{uuid.uuid4().hex[:10]}"
    admin = _PostgresAdmin(server_url) if url.backend == "postgresql" else _MysqlAdmin(server_url)
    for stale in [n for n in admin.names() if _abandoned(n)]:  # left by a run killed with -9
        with suppress(SourceError):
            admin.drop(stale)
    admin.create(name)
    try:
        yield Scratch(_child_url(server_url, name), _live_url(server_url, name), name, url.backend, url.password)
    finally:
        admin.drop(name)


def is_mariadb(server_url: str) -> bool:
    """Whether a MySQL-protocol scratch server is MariaDB (its DDL differs: a generated
    column takes no NOT NULL there, and SQLAlchemy writes it for the one it is told of)."""
    version = _MysqlAdmin(_resolved(server_url))._run("SELECT VERSION()", "read the server version")
    return "mariadb" in (version[0] if version else "").lower()


def _resolved(server_url: str) -> str:
    """`${VAR}` expanded, MySQL option-file credentials filled in: the child gets the URL on
    its stdin, never in its argv."""
    from sqlalchemy.exc import ArgumentError

    from schemaudit.sources.credentials import resolve_url

    try:
        return resolve_url(server_url)
    except (ArgumentError, ValueError):
        return server_url  # parse_db_url names the problem


@contextmanager
def _sqlite() -> Iterator[Scratch]:
    folder = tempfile.mkdtemp(prefix=scratch_prefix())
    try:
        path = Path(folder) / "scratch.db"
        yield Scratch(f"sqlite:///{path}", str(path), str(path), "sqlite")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _child_url(server_url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(normalized_url(server_url))
    backend, _, driver = url.drivername.partition("+")
    backend = "postgresql" if backend in ("postgres", "postgresql") else "mysql"
    url = url.set(drivername=f"{backend}+{driver or _DEFAULT_DRIVERS[backend]}", database=database)
    return url.render_as_string(hide_password=False)


def _live_url(server_url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(normalized_url(server_url)).set(database=database).render_as_string(hide_password=False)


class _PostgresAdmin:
    """CREATE / DROP DATABASE through the database the URL names (default `postgres`)."""

    def __init__(self, server_url: str) -> None:
        from sqlalchemy.engine import make_url

        url = make_url(normalized_url(server_url))
        self.masked = parse_db_url(server_url).masked()
        self.timeout = timeouts(parse_db_url(server_url))[0]
        self.password = url.password
        self.conninfo = url.set(drivername="postgresql", database=url.database or "postgres").render_as_string(
            hide_password=False
        )

    def _run(self, statement: str, name: str | None, doing: str) -> list[str]:
        try:
            import psycopg
            from psycopg import sql
        except ImportError:
            raise SourceError("PostgreSQL driver psycopg is not installed: pip install 'psycopg[binary]'") from None
        try:
            with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=self.timeout) as conn:
                query = sql.SQL(statement).format(sql.Identifier(name)) if name is not None else statement
                cur = conn.execute(query)
                return [str(r[0]) for r in cur.fetchall()] if cur.description else []
        except psycopg.Error as exc:
            text = str(exc).strip()
            reason = mask_secrets(text.splitlines()[0] if text else type(exc).__name__, self.password)
            raise SourceError(f"cannot {doing} on scratch server {self.masked}: {reason}") from None

    def names(self) -> list[str]:
        return self._run(
            f"SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'", None, "list scratch databases"
        )

    def create(self, name: str) -> None:
        self._run("CREATE DATABASE {}", name, "create a scratch database")

    def drop(self, name: str) -> None:
        self._run("DROP DATABASE IF EXISTS {} WITH (FORCE)", name, f"drop scratch database {name}")


class _MysqlAdmin:
    def __init__(self, server_url: str) -> None:
        self.url = parse_db_url(server_url)

    def names(self) -> list[str]:
        return self._run(f"SHOW DATABASES LIKE '{PREFIX}%'", "list scratch databases")

    def _run(self, sql: str, doing: str) -> list[str]:
        try:
            import pymysql
        except ImportError:
            raise SourceError("MySQL driver PyMySQL is not installed: pip install PyMySQL") from None
        url = self.url
        kwargs: dict[str, Any] = {
            "host": url.host or "127.0.0.1",
            "port": url.port or 3306,
            "user": url.username or "root",
            "password": url.password or "",
            "connect_timeout": timeouts(url)[0],
            "read_timeout": timeouts(url)[1],
            "autocommit": True,
        }
        try:
            conn = pymysql.connect(**kwargs)
            try:
                with conn.cursor() as cur:
                    cur.execute(sql)
                    return [str(r[0]) for r in cur.fetchall() or ()]
            finally:
                conn.close()
        except pymysql.MySQLError as exc:
            reason = mask_secrets(" ".join(str(a) for a in exc.args) or type(exc).__name__, url.password)
            raise SourceError(f"cannot {doing} on scratch server {url.masked()}: {reason}") from None

    def create(self, name: str) -> None:
        self._run(f"CREATE DATABASE `{name}`", "create a scratch database")

    def drop(self, name: str) -> None:
        self._run(f"DROP DATABASE IF EXISTS `{name}`", f"drop scratch database {name}")
