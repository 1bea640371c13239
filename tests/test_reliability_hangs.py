"""Reliability: nothing waits forever. A server that accepts and never speaks times out with
a line naming the host; user code that hangs or leaves a daemon behind is given up on after
`?timeout=` (models/python/alembic) and its whole process group is killed."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from schemaudit.cli import main

pytestmark = pytest.mark.reliability


@pytest.fixture
def silent_port() -> Iterator[int]:
    with socket.socket() as silent:  # accepts TCP connections, never speaks
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        yield silent.getsockname()[1]


@pytest.mark.parametrize(
    "template",
    [
        "mysql+pymysql://root@127.0.0.1:{port}/db?connect_timeout=1&read_timeout=1",
        "postgresql://postgres@127.0.0.1:{port}/db?connect_timeout=2",
    ],
    ids=["mysql", "postgresql"],
)
@pytest.mark.parametrize("command", ["inspect", "apply"])
def test_a_silent_server_times_out_naming_the_host(
    silent_port: int, template: str, command: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = template.format(port=silent_port)
    argv = ["inspect", url] if command == "inspect" else ["apply", "--plan", str(tmp_path / "plan"), "--db", url]
    if command == "apply":  # a real plan folder: apply reads it, then connects
        for name, sql in (("a.db", "CREATE TABLE t (id INTEGER PRIMARY KEY)"), ("b.db", "CREATE TABLE u (id INTEGER)")):
            with closing(sqlite3.connect(tmp_path / name)) as conn:
                conn.execute(sql)
        plan = ["plan", "--target", str(tmp_path / "b.db"), "--current", str(tmp_path / "a.db")]
        assert main([*plan, "-o", str(tmp_path / "plan")]) == 0
        capsys.readouterr()
    started = time.monotonic()
    code = main(argv)
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 1, err
    assert elapsed < 8, elapsed
    assert f"127.0.0.1:{silent_port}" in err[0]


def test_a_bad_timeout_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "mysql+pymysql://root@127.0.0.1:1/db?read_timeout=soon"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "read_timeout='soon'" in err[0]


DAEMON = """
import os, time
from sqlalchemy import Column, Integer
from sqlalchemy.orm import DeclarativeBase

pid = os.fork()
if pid == 0:  # a daemon that keeps stdout and stderr open and outlives the import
    time.sleep(300)
    os._exit(0)
open({pids!r}, "a").write(f"{{pid}}\\n")

class Base(DeclarativeBase):
    pass

class Thing(Base):
    __tablename__ = "things"
    id = Column(Integer, primary_key=True)
"""

HANG = """
import os, subprocess, sys, time
worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
open({pids!r}, "a").write(f"{{os.getpid()}}\\n{{worker.pid}}\\n")
time.sleep(300)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting to be reaped is gone for our purposes
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _project(tmp_path: Path, name: str, text: str) -> Path:
    pids = tmp_path / "pids.txt"
    (tmp_path / f"{name}.py").write_text(text.format(pids=str(pids)))
    return pids


def _pids(path: Path) -> list[int]:
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _wait_dead(pids: list[int], seconds: float = 5) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


def test_a_daemon_forked_by_a_models_module_neither_holds_us_nor_survives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pids = _project(tmp_path, "daemonic", DAEMON)
    started = time.monotonic()
    assert main(["inspect", "--path", str(tmp_path), "models:daemonic:Base"]) == 0
    assert time.monotonic() - started < 60
    assert "things" in capsys.readouterr().out
    assert _pids(pids) and _wait_dead(_pids(pids)) == []


def test_a_hanging_module_is_stopped_after_timeout_with_its_children(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pids = _project(tmp_path, "hangs", HANG)
    started = time.monotonic()
    assert main(["inspect", "--path", str(tmp_path), "models:hangs:Base", "--timeout", "10"]) == 2
    assert time.monotonic() - started < 40
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "gave up after 10 s" in err[0] and "--timeout" in err[0]
    assert len(_pids(pids)) == 2 and _wait_dead(_pids(pids)) == []


def test_sigterm_kills_the_child_and_its_workers(tmp_path: Path) -> None:
    pids = _project(tmp_path, "hangs", HANG)
    proc = subprocess.Popen(
        [sys.executable, "-m", "schemaudit.cli", "inspect", "--path", str(tmp_path), "models:hangs:Base"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(_pids(pids)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_pids(pids)) == 2
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and err.strip() == "schemaudit: interrupted"
    assert _wait_dead(_pids(pids)) == []


SLOW_REVISION = """
revision = "a1"
down_revision = None
import time
from alembic import op
import sqlalchemy as sa

def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
    open({marker!r}, "w").write("started")
    time.sleep(300)
"""


def _pg_scratch_names() -> list[str]:
    import psycopg

    from tests.conftest import PG_URL, _psycopg_url

    try:
        with psycopg.connect(_psycopg_url(PG_URL), autocommit=True, connect_timeout=3) as conn:
            rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'schemaudit_scratch_%'")
            return [r[0] for r in rows]
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable: {exc}")


@pytest.mark.postgresql
def test_sigterm_drops_the_scratch_database_and_a_later_run_drops_abandoned_ones(tmp_path: Path) -> None:
    import psycopg

    from schemaudit.sources.scratch import scratch_prefix
    from tests.conftest import PG_URL, _psycopg_url

    before = set(_pg_scratch_names())
    # a leftover of a run killed with -9 on this machine: a process id that is not running
    dead = 2**22 + 12345
    while _alive(dead):
        dead += 1
    abandoned = scratch_prefix().replace(f"_{os.getpid()}_", f"_{dead}_") + "left0ver00"
    with psycopg.connect(_psycopg_url(PG_URL), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{abandoned}"')  # type: ignore[arg-type]
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    marker = tmp_path / "started"
    (versions / "a1_slow.py").write_text(SLOW_REVISION.format(marker=str(marker)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "schemaudit.cli", "inspect", f"alembic:{versions}", "--scratch-url", PG_URL],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists()
    assert abandoned not in _pg_scratch_names()  # cleaned up when this run created its own
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    # only the killed run's own databases: other runs on the same server come and go meanwhile
    own = scratch_prefix().replace(f"_{os.getpid()}_", f"_{proc.pid}_")
    assert [name for name in set(_pg_scratch_names()) - before if name.startswith(own)] == []
