"""Reliability: outputs are whole or absent (a full disk, simulated with a file-size limit,
leaves the previous report intact and no half plan folder or backup), no output may be one
of the command's inputs, and MariaDB steps run in a strict session."""

from __future__ import annotations

import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from schemaudit.cli import main
from tests.conftest import ScratchDb

pytestmark = pytest.mark.reliability

CURRENT = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a');"
TARGET = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, extra TEXT DEFAULT 'x');"


def make_db(path: Path, sql: str) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)
    return path


def _limit(size: int) -> Callable[[], None]:
    def apply_limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply_limit


def run_limited(args: list[str], cwd: Path, size: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        preexec_fn=_limit(size),
        timeout=120,
        check=False,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in result.stderr, result.stderr


def test_a_full_disk_keeps_the_complete_report_that_was_there(tmp_path: Path) -> None:
    make_db(tmp_path / "app.db", CURRENT)
    make_db(tmp_path / "target.db", TARGET)
    args = ["audit", "--target", "target.db", "--current", "app.db", "-o", "report.md", "--fail-on", "never", "-q"]
    ok = subprocess.run([sys.executable, "-m", "schemaudit.cli", *args], cwd=tmp_path, capture_output=True, check=False)
    assert ok.returncode == 0, ok.stderr
    complete = (tmp_path / "report.md").read_bytes()
    assert len(complete) > 600
    result = run_limited(["audit", "--target", "target.db", "--current", "app.db", "-o", "report.md"], tmp_path, 500)
    assert_one_line(result, "cannot write report.md")
    assert (tmp_path / "report.md").read_bytes() == complete
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db", "report.md", "target.db"]


def test_a_full_disk_leaves_no_half_plan_folder(tmp_path: Path) -> None:
    make_db(tmp_path / "app.db", CURRENT)
    make_db(tmp_path / "target.db", TARGET)
    result = run_limited(["plan", "--target", "target.db", "--current", "app.db", "-o", "plan"], tmp_path, 1500)
    assert_one_line(result, "plan")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db", "target.db"]


def test_a_failed_backup_leaves_nothing_named_like_a_backup(tmp_path: Path) -> None:
    make_db(
        tmp_path / "app.db",
        CURRENT + "CREATE TABLE big (v TEXT);" + "INSERT INTO big VALUES (hex(randomblob(4000)));" * 20,
    )
    make_db(tmp_path / "target.db", TARGET + "CREATE TABLE big (v TEXT);")
    assert (
        main(
            [
                "plan",
                "--target",
                str(tmp_path / "target.db"),
                "--current",
                str(tmp_path / "app.db"),
                "-o",
                str(tmp_path / "plan"),
            ]
        )
        == 0
    )
    before = (tmp_path / "app.db").read_bytes()
    result = run_limited(["apply", "--plan", "plan", "--db", "app.db"], tmp_path, 40_000)
    assert_one_line(result, "cannot back up")
    assert (tmp_path / "app.db").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if "backup" in p.name] == []


@pytest.mark.parametrize(
    "command",
    [
        ["inspect", "app.db", "-o", "app.db"],
        ["inspect", "sqlite:///app.db", "-o", "link.db"],
        ["inspect", "snapshot:snap.json", "-o", "snap.json"],
        ["audit", "--target", "target.db", "--current", "app.db", "-o", "app.db"],
        ["audit", "--target", "snap.json", "--current", "app.db", "-o", "snap.json"],
        ["audit", "--target", "target.db", "--current", "app.db", "--baseline", "snap.json", "-o", "snap.json"],
        ["plan", "--target", "schema.sql", "--current", "app.db", "-o", "schema.sql"],
        ["plan", "--target", "target.db", "--current", "app.db", "-o", "target.db"],
    ],
)
def test_an_output_that_is_an_input_is_refused(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make_db(tmp_path / "app.db", CURRENT)
    make_db(tmp_path / "target.db", TARGET)
    (tmp_path / "link.db").symlink_to(tmp_path / "app.db")
    (tmp_path / "schema.sql").write_text(TARGET)
    assert main(["inspect", "target.db", "-o", "snap.json"]) == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    capsys.readouterr()
    assert main(command) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "is one of the inputs" in err[0]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


@pytest.mark.mysql
def test_mariadb_steps_run_in_a_strict_session(mysql_db: ScratchDb) -> None:
    from schemaudit.apply.db import open_session, strict_mode

    assert strict_mode("") == "STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO"
    assert strict_mode("ANSI_QUOTES,STRICT_ALL_TABLES").startswith("ANSI_QUOTES,STRICT_ALL_TABLES,NO_ZERO_DATE")
    session = open_session(mysql_db.url)
    try:
        mode = str(session.execute("SELECT @@SESSION.sql_mode")[0][0]).split(",")
    finally:
        session.close()
    assert {"STRICT_ALL_TABLES", "NO_ZERO_DATE", "NO_ZERO_IN_DATE"} <= set(mode)
