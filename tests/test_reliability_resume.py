"""Reliability: `apply` killed (SIGKILL) during a step that cannot run in a transaction.

The server finishes a statement it was sent even when the client is gone. The step is then
done but was never recorded as ended; the next `apply` used to fail on every run with
"already exists; the database is as it was before this step" (untrue). Now the step is
recorded as started before it runs, and the next run finds in the catalog that the server
finished it, says so, records it and goes on.

Each kill is aimed: another session holds a lock that makes the step wait (PostgreSQL:
`CREATE INDEX CONCURRENTLY` waits for a SHARE ROW EXCLUSIVE lock; MariaDB: `ALTER TABLE`
waits for the metadata lock of an open transaction), apply is killed while it waits, the lock
is released, the server completes the step, and apply runs again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from schemaudit.cli import main
from tests.conftest import ScratchDb, _psycopg_url, _pymysql_connect

pytestmark = pytest.mark.reliability


def _apply(plan: Path, db: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "schemaudit.cli", "apply", "--plan", str(plan), "--db", db, "--no-backup"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _until(what: str, check: Any, proc: subprocess.Popen[str] | None = None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None:
            assert proc.poll() is None, proc.communicate()
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting until {what}")


def _rerun(plan: Path, db: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["apply", "--plan", str(plan), "--db", db, "--no-backup"]) == 0, capsys.readouterr().err
    captured = capsys.readouterr()
    return captured.out + captured.err


@pytest.mark.postgresql
def test_postgresql_a_concurrent_index_finished_after_a_kill_is_recorded(
    pg_db: ScratchDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import psycopg

    pg_db.execute(
        [
            "CREATE TABLE t (id integer PRIMARY KEY, v text)",
            "INSERT INTO t SELECT x, 'v' || x FROM generate_series(1, 1000) x",
        ]
    )
    (tmp_path / "target.sql").write_text(
        "CREATE TABLE t (id integer PRIMARY KEY, v text);\nCREATE INDEX t_v_idx ON t (v);"
    )
    plan = tmp_path / "plan"
    argv = ["plan", "--target", str(tmp_path / "target.sql"), "--current", pg_db.url, "-o", str(plan)]
    assert main([*argv, "--concurrent-indexes"]) == 0
    assert "CREATE INDEX CONCURRENTLY" in "".join(p.read_text() for p in plan.glob("2*.sql"))

    def connect() -> Any:
        return psycopg.connect(_psycopg_url(pg_db.url), autocommit=True)

    def waiting() -> bool:
        with connect() as watcher:
            query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
            return bool(watcher.execute(query, (pg_db.name,)).fetchone()[0])

    with connect() as locker:
        locker.execute("BEGIN")
        locker.execute("LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE")
        proc = _apply(plan, pg_db.url)
        try:
            _until("the index build waits for the lock", waiting, proc)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        locker.execute("COMMIT")

    def finished() -> bool:
        with connect() as conn:
            others = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (pg_db.name,)
            ).fetchone()[0]
            return not others

    _until("the server has finished the killed apply's statement", finished)
    with connect() as conn:
        valid = conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_v_idx'::regclass").fetchone()
        records = {r[0] for r in conn.execute("SELECT id FROM schemaudit_migrations").fetchall()}
    assert valid == (True,)  # the server built it after the client was gone
    index_step = next(p.stem for p in plan.glob("2*.sql") if "index" in p.stem)
    assert index_step + "~started" in records and index_step not in records
    out = _rerun(plan, pg_db.url, capsys)
    assert f"step {index_step}" in out and "the server did: index t_v_idx exists" in out
    assert "converged: the database matches the plan's target" in out
    assert "already exists" not in out
    with connect() as conn:
        records = {r[0] for r in conn.execute("SELECT id FROM schemaudit_migrations").fetchall()}
    assert index_step in records and not any(r.endswith("~started") for r in records)
    assert "nothing to apply" in _rerun(plan, pg_db.url, capsys)


@pytest.mark.mysql
def test_mariadb_a_step_finished_after_a_kill_is_recorded(
    mysql_db: ScratchDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mysql_db.execute(["CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO t VALUES (1, 'a'), (2, 'b')"])
    (tmp_path / "target.sql").write_text(
        "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20), n INT);\nCREATE TABLE u (id INT PRIMARY KEY);"
    )
    plan = tmp_path / "plan"
    target = f"ddl:{tmp_path / 'target.sql'}?dialect=mysql"
    assert main(["plan", "--target", target, "--current", mysql_db.url, "-o", str(plan)]) == 0
    add_step = next(p.stem for p in plan.glob("2*.sql") if "add" in p.stem)

    def processes() -> list[tuple[Any, ...]]:
        conn = _pymysql_connect(mysql_db.url)
        try:
            with conn.cursor() as cur:
                query = "SELECT id, state FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()"
                cur.execute(query, (mysql_db.name,))
                return list(cur.fetchall())
        finally:
            conn.close()

    locker = _pymysql_connect(mysql_db.url)
    try:
        with locker.cursor() as cur:
            locker.begin()
            cur.execute("SELECT * FROM t")  # holds the table's metadata lock until the commit
            proc = _apply(plan, mysql_db.url)
            try:
                _until(
                    "the ALTER waits for the metadata lock",
                    lambda: any("metadata lock" in str(p[1]) for p in processes()),
                    proc,
                )
            finally:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
            locker.commit()
    finally:
        locker.close()
    _until("the server has finished the killed apply's statement", lambda: len(processes()) == 0)
    conn = _pymysql_connect(mysql_db.url)
    try:
        with conn.cursor() as cur:
            query = "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = 't'"
            cur.execute(query, (mysql_db.name,))
            columns = {r[0] for r in cur.fetchall()}
            cur.execute("SELECT id FROM schemaudit_migrations")
            records = {r[0] for r in cur.fetchall()}
    finally:
        conn.close()
    assert "n" in columns  # the server added the column after the client was gone
    assert add_step + "~started" in records and add_step not in records
    out = _rerun(plan, mysql_db.url, capsys)
    assert f"step {add_step}" in out and "the server did: column t.n exists" in out, out
    assert "converged: the database matches the plan's target" in out
    assert "as it was before this step" not in out
    conn = _pymysql_connect(mysql_db.url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM t")
            assert cur.fetchone()[0] == 2
    finally:
        conn.close()
