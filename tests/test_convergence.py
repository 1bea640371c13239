"""Convergence corpus: every (current, desired) pair is planned, applied on a real database
and proven (see tests/convergence/harness.py); every 4th pair is also migrated through its
Alembic revision with `alembic upgrade head`. One test per dialect runs all of its pairs on
one server connection, prints the pass counts, and lists every failing pair.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from schemaudit.sources import load
from tests.conftest import MYSQL_URL, PG_URL, _psycopg_url, _pymysql_connect, _unavailable, _with_database
from tests.convergence import judge
from tests.convergence.harness import Backend, pairs, run_pair, run_pair_alembic, run_pair_script, statements

MIN_PAIRS = 100
ALEMBIC_EVERY = 4  # every 4th pair is also migrated through its Alembic revision
SCRIPT_EVERY = 3  # PostgreSQL: every 3rd pair (and every pair named for a schema) also through psql -f
# pairs always migrated through Alembic too: its revision once dropped the CHECK that one ALTER
# TABLE added NOT VALID beside a UNIQUE (the validation step seemed to own it)
ALEMBIC_ALWAYS = frozenset({"common/075_named_constraints"})


def _report(
    dialect: str,
    results: list[tuple[str, str | None]],
    seconds: float,
    capsys: pytest.CaptureFixture[str],
    alembic: list[tuple[str, str | None]] | None = None,
    script: list[tuple[str, str | None]] | None = None,
) -> None:
    passed = sum(1 for _, error in results if error is None)
    alembic = alembic or []
    via = sum(1 for _, error in alembic if error is None)
    by_script = f"; {sum(1 for _, e in script if e is None)}/{len(script)} through psql -f" if script else ""
    with capsys.disabled():
        print(
            f"\nconvergence {dialect}: {passed}/{len(results)} pairs converged; "
            f"{via}/{len(alembic)} through alembic upgrade (and downgrade -1){by_script} ({seconds:.1f}s)"
        )
    failures = [f"{name}: {error}" for name, error in results if error is not None]
    failures += [f"{name} (alembic): {error}" for name, error in alembic if error is not None]
    failures += [f"{name} (psql -f): {error}" for name, error in script or [] if error is not None]
    assert not failures, "\n".join(failures)
    if not os.environ.get("SCHEMAUDIT_PAIRS"):
        assert len(results) >= MIN_PAIRS, f"only {len(results)} {dialect} pairs; the corpus needs {MIN_PAIRS}"


# ---- SQLite ---------------------------------------------------------------------------------


def _sqlite_backend() -> Backend:
    def build(path: str, sql: str) -> None:
        with closing(sqlite3.connect(path)) as conn:
            conn.executescript(sql)

    def rows(path: str) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
        with closing(sqlite3.connect(path)) as conn:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    f"AND name <> '{judge.BOOKKEEPING}'"
                )
            ]
            out = {}
            for n in names:
                cur = conn.execute(f'SELECT * FROM "{n.replace(chr(34), chr(34) * 2)}"')
                out[n] = ([d[0] for d in cur.description], cur.fetchall())
            return out

    def fingerprint(path: str) -> judge.Fingerprint:
        with closing(sqlite3.connect(path)) as conn:
            return judge.sqlite(conn)

    def url(path: str) -> str:
        return f"sqlite:///{path}"

    return Backend("sqlite", build, lambda p: load(url(p)), url, lambda p: None, rows, fingerprint, url)


def test_convergence_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backend = _sqlite_backend()
    started = time.monotonic()
    results, alembic = [], []
    for i, pair in enumerate(pairs("sqlite")):
        current, desired = str(tmp_path / f"c{i}.db"), str(tmp_path / f"d{i}.db")
        results.append((pair.name, run_pair(pair, backend, current, desired)))
        if i % ALEMBIC_EVERY == 0:
            current, desired = str(tmp_path / f"ac{i}.db"), str(tmp_path / f"ad{i}.db")
            alembic.append((pair.name, run_pair_alembic(pair, backend, current, desired)))
    _report("sqlite", results, time.monotonic() - started, capsys, alembic)


# ---- PostgreSQL: one database, two schemas per pair -------------------------------------------


@pytest.fixture(scope="module")
def pg_conv() -> Iterator[tuple[str, Any]]:
    import psycopg

    name = f"schemaudit_conv_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(_psycopg_url(PG_URL), autocommit=True, connect_timeout=5)
    except Exception as exc:
        _unavailable("PostgreSQL", exc)
        raise
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    url = _with_database(PG_URL, name)
    conn = psycopg.connect(_psycopg_url(url), autocommit=True)
    try:
        yield url, conn
    finally:
        conn.close()
        with psycopg.connect(_psycopg_url(PG_URL), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def _pg_backend(url: str, conn: Any) -> Backend:
    def build(schema: str, sql: str) -> None:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        conn.execute(f'SET search_path TO "{schema}"')
        for statement in statements(sql):
            conn.execute(statement)

    def rows(schema: str) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                "AND table_type = 'BASE TABLE' AND table_name <> %s",
                (schema, judge.BOOKKEEPING),
            )
        ]
        out = {}
        for n in names:
            quoted = '"' + n.replace('"', '""') + '"'
            cur = conn.execute(f'SELECT * FROM "{schema}".{quoted}')
            out[n] = ([d.name for d in cur.description], cur.fetchall())
        return out

    def read(schema: str) -> Any:
        from schemaudit.sources.live.postgresql import read_schema

        with conn.transaction():  # the held connection (no connect per load), one snapshot
            return read_schema(conn, schema, url)

    def alembic_url(schema: str) -> str:  # the default search path: the revision names its schema
        return url.replace("postgresql://", "postgresql+psycopg://", 1)

    def fingerprint(schema: str) -> judge.Fingerprint:
        return judge.postgresql(_psycopg_url(url), schema)

    def run_script(schema: str, sql: str) -> None:
        """`psql -f plan.sql` from a plain connection: no search path but the server's default."""
        env = {k: v for k, v in os.environ.items() if k != "PGOPTIONS"}
        done = subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", _psycopg_url(url), "-f", "-"],
            input=sql,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(done.stderr)

    return Backend("postgresql", build, read, lambda s: url, lambda s: s, rows, fingerprint, alembic_url, run_script)


@pytest.mark.postgresql
def test_convergence_postgresql(pg_conv: tuple[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    url, conn = pg_conv
    backend = _pg_backend(url, conn)
    started = time.monotonic()
    results, alembic, script = [], [], []
    for i, pair in enumerate(pairs("postgresql")):
        results.append((pair.name, run_pair(pair, backend, f"c{i:03d}", f"d{i:03d}")))
        if i % ALEMBIC_EVERY == 0 or "schema" in pair.name or pair.name in ALEMBIC_ALWAYS:
            alembic.append((pair.name, run_pair_alembic(pair, backend, f"ac{i:03d}", f"ad{i:03d}")))
        if i % SCRIPT_EVERY == 1 or "schema" in pair.name:
            script.append((pair.name, run_pair_script(pair, backend, f"sc{i:03d}", f"sd{i:03d}")))
    _report("postgresql", results, time.monotonic() - started, capsys, alembic, script)


# ---- MariaDB / MySQL: two databases per pair --------------------------------------------------


@pytest.fixture(scope="module")
def mysql_conv() -> Iterator[tuple[str, Any, str]]:
    try:
        admin = _pymysql_connect(MYSQL_URL, database="")
    except Exception as exc:
        _unavailable("MariaDB/MySQL", exc)
        raise
    prefix = f"sa_conv_{uuid.uuid4().hex[:8]}"
    try:
        yield MYSQL_URL, admin, prefix
    finally:
        with admin.cursor() as cur:
            cur.execute(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE %s", (prefix + "%",)
            )
            for (name,) in cur.fetchall():
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


def _mysql_backend(base: str, admin: Any) -> Backend:
    def build(database: str, sql: str) -> None:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{database}`")
            cur.execute(f"USE `{database}`")
            cur.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')")
            for statement in statements(sql):
                cur.execute(statement)
            cur.execute("SET SESSION sql_mode = REPLACE(@@sql_mode, 'ANSI_QUOTES', '')")
            cur.execute("SET SESSION time_zone = DEFAULT")  # a pair's events may set their own

    def rows(database: str) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
        with admin.cursor() as cur:
            cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                "AND table_type = 'BASE TABLE' AND table_name <> %s",
                (database, judge.BOOKKEEPING),
            )
            names = [r[0] for r in cur.fetchall()]
            out = {}
            for n in names:
                cur.execute(f"SELECT * FROM `{database}`.`{n.replace('`', '``')}`")
                out[n] = ([d[0] for d in cur.description], list(cur.fetchall()))
            return out

    def fingerprint(database: str) -> judge.Fingerprint:
        with admin.cursor() as cur:
            return judge.mysql(cur, database)

    def url(database: str) -> str:
        return _with_database(base, database)

    def read(database: str) -> Any:
        from schemaudit.sources.live.mysql import build_schema
        from schemaudit.sources.live.mysql_catalog import read_catalog, read_server

        with admin.cursor() as cur:  # the held connection: no connect (and TLS setup) per load
            server, _ = read_server(cur, database)
            return build_schema(read_catalog(cur, database, server), server, database, url(database))

    return Backend("mysql", build, read, url, lambda d: None, rows, fingerprint, url)


@pytest.mark.mysql
def test_convergence_mysql(mysql_conv: tuple[str, Any, str], capsys: pytest.CaptureFixture[str]) -> None:
    base, admin, prefix = mysql_conv
    backend = _mysql_backend(base, admin)
    started = time.monotonic()
    results, alembic = [], []
    for i, pair in enumerate(pairs("mysql")):
        places = [f"{prefix}_c{i:03d}", f"{prefix}_d{i:03d}"]
        results.append((pair.name, run_pair(pair, backend, *places)))
        if i % ALEMBIC_EVERY == 0:
            places += [f"{prefix}_ac{i:03d}", f"{prefix}_ad{i:03d}"]
            alembic.append((pair.name, run_pair_alembic(pair, backend, places[2], places[3])))
        with admin.cursor() as cur:
            for database in places:
                cur.execute(f"DROP DATABASE IF EXISTS `{database}`")
    _report("mysql", results, time.monotonic() - started, capsys, alembic)
