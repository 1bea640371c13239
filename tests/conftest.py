"""Shared fixtures: real scratch databases on the PostgreSQL and MariaDB servers.

Each fixture creates a uniquely named database and drops it afterwards. Without a server the
tests skip with the reason, unless SCHEMAUDIT_REQUIRE_SERVERS=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# reports carry their date: one fixed day (2026-01-01) keeps golden reports and plan step ids
# byte-identical from run to run (child processes such as `make demo` inherit it)
os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
# pytest imports readline (its capture workaround), and GNU readline exports COLUMNS=80 and
# LINES to every child process behind os.environ's back; the reports' width (COLUMNS, else
# the terminal's, else 120) must not depend on the test runner
for _name in ("COLUMNS", "LINES"):
    if _name not in os.environ:
        os.unsetenv(_name)

PG_URL = os.environ.get("SCHEMAUDIT_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
MYSQL_URL = os.environ.get("SCHEMAUDIT_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
REQUIRE_SERVERS = os.environ.get("SCHEMAUDIT_REQUIRE_SERVERS") == "1"


# The shared corpus of real schemas sits beside the repository (`<repo>/../shared/corpus`).
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def corpus_file(*parts: str) -> Path:
    """A file of the shared corpus; skips when it is absent, fails under REQUIRE_SERVERS=1."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        reason = f"the shared corpus is not here ({path} missing)"
        if REQUIRE_SERVERS:
            pytest.fail(f"SCHEMAUDIT_REQUIRE_SERVERS=1 but {reason}")
        pytest.skip(reason)
    return path


def _unavailable(what: str, exc: Exception) -> None:
    reason = f"{what} not reachable ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
    if REQUIRE_SERVERS:
        pytest.fail(f"SCHEMAUDIT_REQUIRE_SERVERS=1 but {reason}")
    pytest.skip(reason)


def _with_database(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


@dataclass(frozen=True)
class ScratchDb:
    """A throw-away database: `url` for schemaudit, `execute` to run setup DDL."""

    url: str
    name: str
    dialect: str

    def execute(self, sql: str | list[str]) -> None:
        statements = [sql] if isinstance(sql, str) else sql
        if self.dialect == "postgresql":
            import psycopg

            with psycopg.connect(_psycopg_url(self.url), autocommit=True) as conn:
                for statement in statements:
                    conn.execute(statement)  # type: ignore[call-overload]
        else:
            conn = _pymysql_connect(self.url)
            try:
                with conn.cursor() as cur:
                    for statement in statements:
                        cur.execute(statement)
                conn.commit()
            finally:
                conn.close()


def _psycopg_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


def _pymysql_connect(url: str, database: str | None = None):  # type: ignore[no-untyped-def]
    import pymysql
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return pymysql.connect(
        host=u.host or "127.0.0.1",
        port=u.port or 3306,
        user=u.username or "root",
        password=u.password or "",
        database=database if database is not None else u.database,
        autocommit=True,
        client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS,  # as the source's own session
    )


@pytest.fixture
def pg_db() -> Iterator[ScratchDb]:
    """A fresh PostgreSQL database, dropped afterwards."""
    import psycopg

    name = f"schemaudit_t_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(_psycopg_url(PG_URL), autocommit=True, connect_timeout=5)
    except Exception as exc:  # server down, bad URL: skip or fail per REQUIRE_SERVERS
        _unavailable("PostgreSQL", exc)
        raise
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield ScratchDb(_with_database(PG_URL, name), name, "postgresql")
    finally:
        with psycopg.connect(_psycopg_url(PG_URL), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


@pytest.fixture
def mysql_db() -> Iterator[ScratchDb]:
    """A fresh MariaDB/MySQL database, dropped afterwards."""
    name = f"schemaudit_t_{uuid.uuid4().hex[:12]}"
    try:
        admin = _pymysql_connect(MYSQL_URL, database="")
    except Exception as exc:
        _unavailable("MariaDB/MySQL", exc)
        raise
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}`")
        yield ScratchDb(_with_database(MYSQL_URL, name), name, "mysql")
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()
