"""Reliability: `apply` killed with SIGKILL at every point of a 30-step plan.

After each kill the database must equal the state before the plan or a state the plan's
records (`schemaudit_migrations`) account for, and a rerun must converge with every row and
value kept. On PostgreSQL each kill is aimed at a step: another session locks the table the
step alters, apply runs the steps before it and waits, and is killed there. On SQLite, whose
locks cover the whole file, the kills are spread over the run's duration instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from schemaudit.cli import main
from tests.conftest import ScratchDb

pytestmark = pytest.mark.reliability

STEPS = 30
ROWS = 200


def _apply(plan: Path, db: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "schemaudit.cli", "apply", "--plan", str(plan), "--db", db, "--no-backup"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_pair(tmp_path: Path) -> tuple[Path, Path]:
    current, target = [], []
    for i in range(STEPS):  # a type change per table: 30 table rebuilds
        current.append(f"CREATE TABLE t{i:02d} (id INTEGER PRIMARY KEY, v TEXT, n TEXT);")
        current.append(
            f"WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < {ROWS}) "
            f"INSERT INTO t{i:02d} SELECT x, 'value ' || x, x * 7 FROM r;"
        )
        target.append(f"CREATE TABLE t{i:02d} (id INTEGER PRIMARY KEY, v TEXT NOT NULL, n INTEGER);")
    db, goal = tmp_path / "before.db", tmp_path / "target.db"
    for path, sql in ((db, current), (goal, target)):
        with closing(sqlite3.connect(path)) as conn:
            conn.executescript("\n".join(sql))
    return db, goal


def _sqlite_state(path: Path) -> tuple[list[Any], list[Any], list[Any]]:
    with closing(sqlite3.connect(path)) as conn:
        query = "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'schemaudit%' ORDER BY name"
        tables = conn.execute(query).fetchall()
        rows = [
            conn.execute(f"SELECT id, v, CAST(n AS TEXT) FROM t{i:02d} ORDER BY id").fetchall() for i in range(STEPS)
        ]
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        records = (
            conn.execute("SELECT id FROM schemaudit_migrations ORDER BY id").fetchall()
            if "schemaudit_migrations" in names
            else []
        )
    return tables, rows, records


def test_sqlite_kill_at_every_point_of_a_30_step_plan(tmp_path: Path) -> None:
    before, target = _sqlite_pair(tmp_path)
    plan = tmp_path / "plan"
    assert main(["plan", "--target", str(target), "--current", str(before), "-o", str(plan)]) == 0
    assert len(list(plan.glob("2*.sql"))) == STEPS
    start = _sqlite_state(before)
    done = tmp_path / "done.db"
    shutil.copy(before, done)
    started = time.monotonic()
    proc = _apply(plan, str(done))
    proc.communicate(timeout=120)
    duration = time.monotonic() - started
    assert proc.returncode == 0
    finish = _sqlite_state(done)
    assert len(finish[2]) == STEPS and finish[1] == start[1]  # every value kept (n compared as text)
    seen = {"before": 0, "after": 0}
    for k in range(STEPS):
        db = tmp_path / f"kill{k}.db"
        shutil.copy(before, db)
        proc = _apply(plan, str(db))
        time.sleep(duration * (k + 0.5) / STEPS)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        state = _sqlite_state(db)  # opening it rolls a hot journal back, as any reader would
        if state[2]:
            assert state == finish, f"kill {k}: records {len(state[2])} but not the state they say"
            seen["after"] += 1
        else:
            assert state[:2] == start[:2], f"kill {k}: no record but the database changed"
            seen["before"] += 1
        again = _apply(plan, str(db))
        _out, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        assert _sqlite_state(db) == finish
        db.unlink()
    assert seen["before"] > 0


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg(db: ScratchDb) -> Any:
    import psycopg

    from tests.conftest import _psycopg_url

    return psycopg.connect(_psycopg_url(db.url), autocommit=True)


def _pg_state(db: ScratchDb) -> tuple[list[Any], list[Any], list[Any]]:
    with _pg(db) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name LIKE 't%' ORDER BY 1, 2"
        ).fetchall()
        rows = [conn.execute(f"SELECT id, v FROM t{i:02d} ORDER BY id").fetchall() for i in range(STEPS)]
        has = conn.execute("SELECT to_regclass('public.schemaudit_migrations') IS NOT NULL").fetchone()[0]
        records = conn.execute("SELECT id FROM schemaudit_migrations ORDER BY id").fetchall() if has else []
    return columns, rows, records


@pytest.mark.postgresql
def test_postgresql_kill_at_every_step_of_a_30_step_plan(pg_db: ScratchDb, tmp_path: Path) -> None:
    setup = []
    target = []
    for i in range(STEPS):
        setup.append(f"CREATE TABLE t{i:02d} (id integer PRIMARY KEY, v text)")
        setup.append(f"INSERT INTO t{i:02d} SELECT x, 'value ' || x FROM generate_series(1, {ROWS}) x")
        target.append(f"CREATE TABLE t{i:02d} (id integer PRIMARY KEY, v text, added integer DEFAULT 0);")
    pg_db.execute(setup)
    (tmp_path / "target.sql").write_text("\n".join(target))
    plan = tmp_path / "plan"
    assert main(["plan", "--target", str(tmp_path / "target.sql"), "--current", pg_db.url, "-o", str(plan)]) == 0
    steps = sorted(plan.glob("2*.sql"))
    assert len(steps) == STEPS
    start = _pg_state(pg_db)
    for k, step in enumerate(steps):
        table = f"t{k:02d}"
        assert table in step.name
        with _pg(pg_db) as locker:
            locker.execute("BEGIN")
            locker.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            proc = _apply(plan, pg_db.url)
            try:
                _wait_blocked(pg_db, proc)
            finally:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
                locker.execute("ROLLBACK")
        _wait_gone(pg_db)
        state = _pg_state(pg_db)
        assert state == start, f"kill at step {k + 1}: the database is not as it was (records {state[2]})"
    again = _apply(plan, pg_db.url)
    _out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    final = _pg_state(pg_db)
    assert final[1] == start[1] and len(final[2]) == STEPS  # every row and value kept, every step recorded
    assert {c[1] for c in final[0]} == {"id", "v", "added"}


def _wait_blocked(db: ScratchDb, proc: subprocess.Popen[str]) -> None:
    """Until apply's session waits on the lock (the steps before the locked one have run).
    Watched from a session of its own: pg_stat_activity is a snapshot per transaction."""
    with _pg(db) as watcher:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", (db.name,)
            ).fetchone()[0]
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("apply never reached the locked step")


def _wait_gone(db: ScratchDb) -> None:
    with _pg(db) as conn:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            others = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (db.name,)
            ).fetchone()[0]
            if not others:
                return
            time.sleep(0.05)
    raise AssertionError("the killed apply's session never ended")
