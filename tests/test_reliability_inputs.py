"""Reliability: inputs that used to be half-read or misread, and audited files that used to
be touched. An unreadable spec row stops the read (or, with --lenient, stops the plan from
dropping what it could describe); a WAL-mode file keeps no -wal/-shm after `plan`; a busy
SQLite writer is waited for; stdout closed or full is one line; a BOM is accepted."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from schemaudit.cli import main
from tests.conftest import ScratchDb

pytestmark = pytest.mark.reliability

SPEC = """# Spec

### users

| Column | Type |
|---|---|
| id | integer |
| name | text |
| email varchar( | |
"""


def make_db(path: Path, sql: str) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)
    return path


def test_an_unreadable_spec_row_stops_the_read_naming_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "spec.md").write_text(SPEC)
    assert main(["inspect", f"spec:{tmp_path / 'spec.md'}"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "spec.md:9: email varchar(" in err[0] and "--lenient" in err[0]


def test_lenient_lists_it_and_plans_no_drop_it_could_describe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "spec.md").write_text(SPEC)
    db = make_db(tmp_path / "app.db", "CREATE TABLE users (id integer PRIMARY KEY, name text, email varchar(80));")
    argv = ["plan", "--target", f"spec:{tmp_path / 'spec.md'}?dialect=sqlite", "--current", str(db)]
    assert main([*argv, "--allow-drop", "--lenient"]) == 0
    out = capsys.readouterr().out
    assert "DROP COLUMN" not in out and "email" not in out.split("-- Kept, not planned:")[0].split("\n", 2)[-1]
    assert "not dropped: the target could not be read whole" in out


def test_plan_on_a_wal_mode_file_leaves_no_trace(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)")
        conn.execute("INSERT INTO t VALUES (1, NULL)")
        conn.commit()
    make_db(tmp_path / "t.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT '', b INTEGER);")
    before = sorted(p.name for p in tmp_path.iterdir())
    bytes_before = db.read_bytes()
    assert main(["plan", "--target", str(tmp_path / "t.db"), "--current", str(db)]) == 2  # the data check ran
    assert main(["audit", "--target", str(tmp_path / "t.db"), "--current", str(db), "--fail-on", "never"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == before and db.read_bytes() == bytes_before


def test_apply_waits_for_a_busy_writer(tmp_path: Path) -> None:
    db = make_db(tmp_path / "app.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE TABLE log (v INTEGER);")
    make_db(
        tmp_path / "t.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER); CREATE TABLE log (v INTEGER);"
    )
    assert main(["plan", "--target", str(tmp_path / "t.db"), "--current", str(db), "-o", str(tmp_path / "plan")]) == 0
    stop = threading.Event()

    def writer() -> None:
        with closing(sqlite3.connect(db, timeout=30)) as conn:
            n = 0
            while not stop.is_set():
                conn.execute("INSERT INTO log VALUES (?)", (n,))
                conn.commit()
                n += 1
                time.sleep(0.005)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.1)
        assert main(["apply", "--plan", str(tmp_path / "plan"), "--db", str(db), "--no-backup"]) == 0
    finally:
        stop.set()
        thread.join()


@pytest.mark.postgresql
def test_apply_to_a_missing_schema_is_one_line_also_in_a_dry_run(
    pg_db: ScratchDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pg_db.execute("CREATE TABLE t (id integer PRIMARY KEY)")
    (tmp_path / "t.sql").write_text("CREATE TABLE t (id integer PRIMARY KEY, n integer);")
    assert main(["plan", "--target", str(tmp_path / "t.sql"), "--current", pg_db.url, "-o", str(tmp_path / "p")]) == 0
    for extra in ([], ["--dry-run"]):
        capsys.readouterr()
        assert main(["apply", "--plan", str(tmp_path / "p"), "--db", pg_db.url, "--schema", "nope", *extra]) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and "schema 'nope' does not exist" in err[0]


@pytest.mark.parametrize("stdout", ["closed", "full"])
def test_stdout_closed_or_full_is_one_line(tmp_path: Path, stdout: str) -> None:
    db = make_db(tmp_path / "app.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);")
    command = [sys.executable, "-m", "schemaudit.cli", "inspect", str(db)]
    if stdout == "closed":
        done = subprocess.run(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            preexec_fn=lambda: __import__("os").close(1),
        )
    else:
        with open("/dev/full", "w") as full:
            done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and "standard output" in lines[0], done.stderr


def test_a_snapshot_with_a_byte_order_mark_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = make_db(tmp_path / "app.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);")
    assert main(["inspect", str(db), "-o", str(tmp_path / "s.json")]) == 0
    text = (tmp_path / "s.json").read_text()
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + text.encode())
    capsys.readouterr()
    assert main(["inspect", f"snapshot:{tmp_path / 'bom.json'}"]) == 0
    assert "t" in capsys.readouterr().out


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_a_name_longer_than_the_dialect_allows_is_refused_before_anything_runs(
    tmp_path: Path, dialect: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from schemaudit.plan.limits import check_names
    from schemaudit.sources import load

    long = "t" + "x" * 69
    (tmp_path / "t.sql").write_text(f"CREATE TABLE {long} (id integer PRIMARY KEY);\nCREATE TABLE ok (id integer);")
    target = load(f"ddl:{tmp_path / 't.sql'}?dialect={dialect}")
    with pytest.raises(Exception, match=f"table {long[:40]}... is 70 .* long; {dialect} allows 6[34]"):
        check_names(target, dialect)
    (tmp_path / "c.sql").write_text("CREATE TABLE ok (id integer);")
    argv = ["plan", "--target", str(tmp_path / "t.sql"), "--current", f"ddl:{tmp_path / 'c.sql'}?dialect={dialect}"]
    assert main([*argv, "--dialect", dialect]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "shorten it in the target" in err[0]


def test_a_name_too_long_in_bytes_but_not_in_characters_is_refused_on_postgresql(tmp_path: Path) -> None:
    """PostgreSQL counts bytes: 32 two-byte characters (64 bytes) are one too many, though
    well under 63 characters; 63 one-byte ones are not. MySQL counts characters."""
    from schemaudit.plan.limits import check_names
    from schemaudit.sources import load

    wide, ascii_name = "é" * 32, "c" * 63
    (tmp_path / "t.sql").write_text(f'CREATE TABLE t (id integer PRIMARY KEY, "{wide}" integer, {ascii_name} integer);')
    target = load(f"ddl:{tmp_path / 't.sql'}?dialect=postgresql")
    with pytest.raises(Exception, match=f"column t. {wide}... is 64 bytes long; postgresql allows 63"):
        check_names(target, "postgresql")
    check_names(target, "mysql")  # 32 and 63 characters: within MySQL's 64
