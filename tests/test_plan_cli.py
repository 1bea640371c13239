"""`schemaudit plan` and `schemaudit apply` from the command line: outputs, exit codes, and
one-line errors for bad input."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from schemaudit.cli import main

CURRENT = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), total INTEGER);
CREATE TRIGGER orders_touch AFTER INSERT ON orders BEGIN UPDATE users SET name = name WHERE id = NEW.user_id; END;
INSERT INTO users VALUES (1, 'ann');
INSERT INTO orders VALUES (1, 1, 5);
"""
TARGET = """
CREATE TABLE app_users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES app_users (id),
    total INTEGER NOT NULL DEFAULT 0, CHECK (total >= 0));
CREATE TRIGGER orders_touch AFTER INSERT ON orders BEGIN UPDATE app_users SET name = name WHERE id = NEW.user_id; END;
"""


def db(path: Path, sql: str) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)
    return path


@pytest.fixture
def dbs(tmp_path: Path) -> tuple[Path, Path]:
    return db(tmp_path / "current.db", CURRENT), db(tmp_path / "target.db", TARGET)


def args(dbs: tuple[Path, Path], *extra: str) -> list[str]:
    current, target = dbs
    return [
        "plan",
        "--target",
        str(target),
        "--current",
        str(current),
        "--rename",
        "users=app_users",
        "--date",
        "2026-02-21",
        *extra,
    ]


def test_plan_to_stdout_names_steps_and_recreates_the_trigger(
    dbs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args(dbs, "--dialect", "sqlite")) == 0
    out = capsys.readouterr().out
    assert "-- 20260221_0001_drop_dependent_objects" in out  # the trigger changes: dropped first
    assert "-- 20260221_0002_rename_users_to_app_users" in out
    assert 'ALTER TABLE "users" RENAME TO "app_users";' in out
    assert "CREATE TRIGGER orders_touch AFTER INSERT ON orders BEGIN UPDATE app_users" in out  # the target's
    assert "trigger_lost" not in out


def test_plan_writes_a_file_a_folder_and_an_alembic_revision(
    dbs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args(dbs, "-o", str(tmp_path / "plan.sql"))) == 0
    assert (tmp_path / "plan.sql").read_text().startswith("-- schemaudit migration plan for sqlite (20260221)")
    assert main(args(dbs, "-o", str(tmp_path / "plan"))) == 0
    names = sorted(p.name for p in (tmp_path / "plan").iterdir())
    assert names[0].startswith("20260221_0001_") and {"plan.json", "target.json", "README.sql"} <= set(names)
    assert main(args(dbs, "--format", "alembic", "-o", str(tmp_path / "versions"))) == 0
    (revision,) = (tmp_path / "versions").glob("*.py")
    assert "op.rename_table('users', 'app_users')" in revision.read_text()
    out = capsys.readouterr().out
    assert "written to" in out and "highest risk medium" in out


def test_apply_command_converges_then_does_nothing(
    dbs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current, _ = dbs
    assert main(args(dbs, "-o", str(tmp_path / "plan"))) == 0
    capsys.readouterr()
    assert main(["apply", "--plan", str(tmp_path / "plan"), "--db", f"sqlite:///{current}", "--dry-run"]) == 0
    assert "dry run: 5 step(s) to apply" in capsys.readouterr().out
    assert main(["apply", "--plan", str(tmp_path / "plan"), "--db", f"sqlite:///{current}"]) == 0
    out = capsys.readouterr().out
    assert "backed up" in out and "converged" in out
    with closing(sqlite3.connect(current)) as conn:
        assert conn.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'").fetchall() == [("orders_touch",)]
    assert main(["apply", "--plan", str(tmp_path / "plan"), "--db", str(current)]) == 0
    assert "nothing to apply: all 5 step(s) already applied" in capsys.readouterr().out


def test_apply_reports_remaining_findings_by_the_audit_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current = db(tmp_path / "c.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, old TEXT);")
    target = db(tmp_path / "t.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, new INTEGER);")
    assert main(["plan", "--target", str(target), "--current", str(current), "-o", str(tmp_path / "p")]) == 0
    assert main(["apply", "--plan", str(tmp_path / "p"), "--db", str(current)]) == 0  # an INFO extra column
    out = capsys.readouterr().out
    assert "converged up to --fail-on critical: 1 change(s) remain below it" in out and "t.old" in out
    assert main(["apply", "--plan", str(tmp_path / "p"), "--db", str(current), "--fail-on", "info"]) == 1
    assert "not converged: 1 change(s) remain" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--dialect", "oracle"], "unknown dialect 'oracle'"),
        (["--dialect", "postgresql"], "the current schema is sqlite, so a postgresql plan could not run on it"),
        (["--sqlite-version", "3.x"], "--sqlite-version: not a SQLite version"),
        (["--date", "21/02/2026"], "is not a date like 2026-02-21"),
    ],
)
def test_plan_bad_input_is_one_line_and_exit_2(
    dbs: tuple[Path, Path], extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args(dbs, *extra)) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_apply_bad_input_is_one_line_and_exit_2(
    dbs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["apply", "--plan", str(tmp_path / "none"), "--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and err.count("\n") == 1
    assert main(args(dbs, "-o", str(tmp_path / "plan"))) == 0
    assert main(["apply", "--plan", str(tmp_path / "plan"), "--db", "postgresql://u:secret@127.0.0.1:1/db"]) == 2
    err = capsys.readouterr().err
    assert "cannot connect" in err and "secret" not in err and err.count("\n") == 1


def test_plan_refuses_to_overwrite_a_folder_that_is_not_a_plan(
    dbs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "keep.txt").write_text("mine")
    assert main(args(dbs, "-o", str(tmp_path / "docs"))) == 2
    assert "holds no plan" in capsys.readouterr().err
    assert (tmp_path / "docs" / "keep.txt").read_text() == "mine"
