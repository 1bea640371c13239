"""`schemaudit.apply.run` on SQLite files: bookkeeping, backup, dry run, failure in the middle,
row-count protection, edited plans, and a second apply that does nothing."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from schemaudit.apply.db import ApplyError
from schemaudit.apply.preflight import DataProblem
from schemaudit.apply.run import ApplyOptions, apply
from schemaudit.audit import audit
from schemaudit.errors import SchemauditError
from schemaudit.plan import Plan, PlanOptions, Risk, RiskLevel, RowCheck, Statement, Step, StepKind, build
from schemaudit.plan import folder as plan_folder
from schemaudit.sources import load

CURRENT = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE, body TEXT);
INSERT INTO users VALUES (1, 'ann', 'a@x'), (2, 'bob', NULL);
INSERT INTO posts VALUES (1, 1, 'hi'), (2, 2, 'yo');
"""
TARGET = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, joined TEXT DEFAULT 'never');
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    body TEXT NOT NULL);
CREATE INDEX ix_posts_user ON posts (user_id);
CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE);
"""


def make_db(path: Path, sql: str) -> str:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)
    return f"sqlite:///{path}"


def write_plan(
    tmp_path: Path, current_sql: str = CURRENT, target_sql: str = TARGET, **opts: object
) -> tuple[str, Path]:
    current = make_db(tmp_path / "current.db", current_sql)
    target = make_db(tmp_path / "target.db", target_sql)
    result = audit(load(target), load(current))
    options = PlanOptions("sqlite", date=dt.date(2026, 2, 21), **opts)  # type: ignore[arg-type]
    plan = build(result.changes, result.target, result.current, options)
    plan_folder.write(plan, tmp_path / "plan")
    return current, tmp_path / "plan"


def rows(db: str, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db.removeprefix("sqlite:///"))) as conn:
        return conn.execute(sql).fetchall()


def test_apply_converges_records_steps_and_a_second_apply_does_nothing(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path)
    seen: list[str] = []
    first = apply(plan, db, progress=seen.append)
    assert first.converged and first.applied and not first.skipped
    assert first.backup is not None and Path(first.backup).is_file()
    assert rows(first.backup and f"sqlite:///{first.backup}", "SELECT COUNT(*) FROM users") == [(2,)]
    assert rows(db, "SELECT id, checksum FROM schemaudit_migrations ORDER BY id") == [
        (s["id"], s["checksum"]) for s in json.loads((plan / "plan.json").read_text())["steps"]
    ]
    assert rows(db, "SELECT COUNT(*) FROM users") == [(2,)] and rows(db, "SELECT COUNT(*) FROM posts") == [(2,)]
    assert any(line.startswith("applied 20260221_0001_") for line in seen)
    before = Path(db.removeprefix("sqlite:///")).read_bytes()
    second = apply(plan, db, ApplyOptions(backup=False))
    assert second.converged and second.applied == () and second.skipped == first.applied
    assert Path(db.removeprefix("sqlite:///")).read_bytes() == before


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path)
    path = Path(db.removeprefix("sqlite:///"))
    before = path.read_bytes()
    result = apply(plan, db, ApplyOptions(dry_run=True))
    assert result.pending and result.applied == () and result.audit is None
    assert path.read_bytes() == before
    assert list(tmp_path.glob("current.db.schemaudit-backup-*")) == []


def test_rows_that_would_fail_a_step_stop_apply_before_any_change(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path, CURRENT + "INSERT INTO posts VALUES (3, 1, NULL);")
    path = Path(db.removeprefix("sqlite:///"))
    before = path.read_bytes()
    with pytest.raises(DataProblem) as failure:
        apply(plan, db)
    assert str(failure.value) == (
        "the data stops this plan (nothing was changed): posts.body: 1 row(s) of posts hold NULL in body, which "
        "becomes NOT NULL; give the values with --fill posts.body=SQL_EXPR, or update those rows first"
    )
    assert path.read_bytes() == before and list(tmp_path.glob("current.db.schemaudit-backup-*")) == []
    seen: list[str] = []
    apply(plan, db, ApplyOptions(dry_run=True), progress=seen.append)
    assert any(line.startswith("data problem: posts.body: 1 row(s)") for line in seen)


def test_failed_step_is_named_and_the_whole_plan_rolled_back(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path, CURRENT + "INSERT INTO posts VALUES (3, 1, NULL);")
    with pytest.raises(ApplyError) as failure:
        apply(plan, db, ApplyOptions(backup=False, check_data=False))
    message = str(failure.value)
    assert "posts_rebuild (" in message and "NOT NULL constraint failed: _schemaudit_new_posts.body" in message
    assert "the whole plan was rolled back: the database is as it was before apply" in message
    assert "step(s) before it were undone too" in message
    # all or nothing: the steps before the failing one are undone, no temp table, no bookkeeping
    assert rows(db, "SELECT COUNT(*) FROM posts") == [(3,)]
    assert rows(db, "SELECT name FROM sqlite_schema WHERE name LIKE '_schemaudit_new_%'") == []
    assert rows(db, "SELECT name FROM sqlite_schema WHERE name IN ('tags', 'schemaudit_migrations')") == []
    assert [r[1] for r in rows(db, "PRAGMA table_info(users)")] == ["id", "name", "email"]
    with closing(sqlite3.connect(db.removeprefix("sqlite:///"))) as conn:
        conn.execute("UPDATE posts SET body = '' WHERE body IS NULL")
        conn.commit()
    resumed = apply(plan, db, ApplyOptions(backup=False))
    assert resumed.converged and resumed.skipped == ()


def test_rebuild_keeps_children_and_their_cascade(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path)
    assert apply(plan, db, ApplyOptions(backup=False)).converged
    with closing(sqlite3.connect(db.removeprefix("sqlite:///"))) as conn:
        assert conn.execute("PRAGMA foreign_key_list(posts)").fetchall()[0][2] == "users"
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM users WHERE id = 1")
        assert conn.execute("SELECT id FROM posts").fetchall() == [(2,)]


def _synthetic_plan(tmp_path: Path, statements: list[str], row_checks: tuple[RowCheck, ...]) -> Path:
    target = load(make_db(tmp_path / "t.db", "CREATE TABLE t (id INTEGER PRIMARY KEY);"))
    step = Step(
        "20260221_0001_delete_rows",
        StepKind.ALTERATIONS,
        "A step that loses rows",
        Risk(RiskLevel.LOW),
        (),
        tuple(Statement(s) for s in statements),
        row_checks=row_checks,
    )
    plan_folder.write(Plan("sqlite", (step,), target=target, date="20260221"), tmp_path / "plan")
    return tmp_path / "plan"


def test_a_step_that_changes_row_counts_is_rolled_back(tmp_path: Path) -> None:
    db = make_db(tmp_path / "db.db", "CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2);")
    plan = _synthetic_plan(tmp_path, ["DELETE FROM t WHERE id = 2"], (RowCheck("t", "t"),))
    with pytest.raises(
        ApplyError,
        match=r"step 20260221_0001_delete_rows \(A step that loses rows\) failed: the row count of t changed from 2 to 1",  # noqa: E501
    ):
        apply(plan, db, ApplyOptions(backup=False))
    assert rows(db, "SELECT COUNT(*) FROM t") == [(2,)]
    assert rows(db, "SELECT name FROM sqlite_schema WHERE name = 'schemaudit_migrations'") == []


def test_edited_plans_are_refused(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path)
    first = sorted(plan.glob("2026*.sql"))[0]
    first.write_text(first.read_text() + "DROP TABLE users;\n")
    with pytest.raises(SchemauditError, match="was edited after the plan was written"):
        apply(plan, db)
    (tmp_path / "again").mkdir()
    db, plan = write_plan(tmp_path / "again")
    manifest = json.loads((plan / "plan.json").read_text())
    manifest["steps"][0]["statements"].append({"sql": "DROP TABLE users"})
    (plan / "plan.json").write_text(json.dumps(manifest))
    with pytest.raises(SchemauditError, match="are not the code its file"):
        apply(plan, db)
    assert rows(db, "SELECT COUNT(*) FROM users") == [(2,)]


def test_a_step_applied_from_another_plan_is_refused(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path)
    apply(plan, db, ApplyOptions(backup=False))
    with closing(sqlite3.connect(db.removeprefix("sqlite:///"))) as conn:
        conn.execute("UPDATE schemaudit_migrations SET checksum = 'abc' WHERE id LIKE '%_0001_%'")
        conn.commit()
    with pytest.raises(SchemauditError, match="was applied from a different plan"):
        apply(plan, db)


@pytest.mark.parametrize(
    "theirs",
    [
        "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY);",  # Rails, dbmate
        "CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL);",  # the application's
    ],
)
def test_another_tools_schema_migrations_is_never_written(tmp_path: Path, theirs: str) -> None:
    db, plan = write_plan(
        tmp_path,
        CURRENT
        + theirs
        + "INSERT INTO schema_migrations VALUES ('v3'"
        + (", '2026-01-01');" if "applied_at" in theirs else ");"),
    )
    before = rows(db, "SELECT sql FROM sqlite_schema WHERE name = 'schema_migrations'")
    assert apply(plan, db, ApplyOptions(backup=False)).converged
    assert rows(db, "SELECT sql FROM sqlite_schema WHERE name = 'schema_migrations'") == before
    assert [r[0] for r in rows(db, "SELECT * FROM schema_migrations")] == ["v3"]
    assert len(rows(db, "SELECT id FROM schemaudit_migrations")) == len(
        json.loads((plan / "plan.json").read_text())["steps"]
    )
    again = apply(plan, db, ApplyOptions(backup=False))
    assert again.applied == () and again.converged  # our own table is bookkeeping, not drift


def test_a_foreign_table_under_our_bookkeeping_name_is_refused(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path, CURRENT + "CREATE TABLE schemaudit_migrations (version TEXT);")
    with pytest.raises(ApplyError, match="schemaudit_migrations exists but is not schemaudit's"):
        apply(plan, db)
    with pytest.raises(ApplyError, match="schema_migrations belongs to Rails"):
        apply(plan, db, ApplyOptions(migrations_table="schema_migrations"))
    assert rows(db, "SELECT COUNT(*) FROM users") == [(2,)]


def test_kept_drops_are_reported_not_converged(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path, CURRENT + "CREATE TABLE legacy (id INTEGER PRIMARY KEY);")
    result = apply(plan, db, ApplyOptions(backup=False))
    assert not result.converged
    assert [type(c).__name__ for c in result.audit.changes.actionable] == ["DropTable"]  # type: ignore[union-attr]
    assert "legacy" in {r[0] for r in rows(db, "SELECT name FROM sqlite_schema WHERE type = 'table'")}


def test_missing_database_and_plan_folder_are_clear_errors(tmp_path: Path) -> None:
    _, plan = write_plan(tmp_path)
    with pytest.raises(ApplyError, match="does not exist"):
        apply(plan, str(tmp_path / "nope.db"))
    with pytest.raises(SchemauditError, match="does not exist"):
        apply(tmp_path / "no-plan", f"sqlite:///{tmp_path / 'current.db'}")
    assert not (tmp_path / "nope.db").exists()


def test_plan_for_another_dialect_is_refused(tmp_path: Path) -> None:
    _, plan = write_plan(tmp_path)
    manifest = json.loads((plan / "plan.json").read_text())
    manifest["dialect"] = "postgresql"
    (plan / "plan.json").write_text(json.dumps(manifest))
    with pytest.raises(SchemauditError, match="the plan is for postgresql"):
        apply(plan, f"sqlite:///{tmp_path / 'current.db'}")


ORPHANS = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER, body TEXT);
INSERT INTO users VALUES (1, 'ann');
INSERT INTO posts VALUES (1, 1, 'ok'), (2, 7, 'orphan'), (3, NULL, 'none');
"""
WITH_FK = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, bio TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), body TEXT);
"""


def test_orphans_are_counted_before_the_foreign_key_is_added(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path, ORPHANS, WITH_FK)
    with pytest.raises(DataProblem, match=r"posts.user_id: 1 row\(s\) of posts\(user_id\) reference users rows"):
        apply(plan, db)
    assert [r[1] for r in rows(db, "PRAGMA table_info(users)")] == ["id", "name"]


def test_foreign_key_check_violations_roll_the_whole_plan_back(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path, ORPHANS, WITH_FK)
    steps = json.loads((plan / "plan.json").read_text())["steps"]
    assert len(steps) >= 2 and "users" in steps[0]["description"]  # a step runs before the rebuild
    with pytest.raises(ApplyError) as failure:
        apply(plan, db, ApplyOptions(backup=False, check_data=False))
    message = str(failure.value)
    assert "foreign key check failed: 1 row(s) of posts reference a missing users row (rowid 2)" in message
    assert "the whole plan was rolled back" in message
    assert [r[1] for r in rows(db, "PRAGMA table_info(users)")] == ["id", "name"]  # the earlier step is undone
    assert rows(db, "PRAGMA foreign_key_list(posts)") == []
    assert rows(db, "SELECT id, user_id FROM posts ORDER BY id") == [(1, 1), (2, 7), (3, None)]


def test_a_failed_backup_changes_nothing(tmp_path: Path) -> None:
    db, plan = write_plan(tmp_path)
    path = Path(db.removeprefix("sqlite:///"))
    before = path.read_bytes()
    (tmp_path / "a-directory").mkdir()
    with pytest.raises(ApplyError, match=r"cannot back up .* nothing was changed"):
        apply(plan, db, ApplyOptions(backup_to=str(tmp_path / "a-directory")))
    assert path.read_bytes() == before
    done = apply(plan, db, ApplyOptions(backup_to=str(tmp_path / "copy.db")))
    assert done.converged and done.backup == str(tmp_path / "copy.db")
    assert rows(f"sqlite:///{tmp_path / 'copy.db'}", "SELECT COUNT(*) FROM posts") == [(2,)]


def test_a_kept_not_null_extra_column_is_relaxed_and_plan_apply_audit_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from schemaudit.cli import main

    current = make_db(
        tmp_path / "current.db",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, legacy_code TEXT NOT NULL);"
        "INSERT INTO users VALUES (1, 'ann', 'A1');",
    )
    target = make_db(tmp_path / "target.db", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);")
    pair = ["--target", target, "--current", current]
    assert main(["audit", *pair]) == 1  # CRITICAL: inserts written for the target fail
    assert main(["plan", *pair, "-o", str(tmp_path / "plan")]) == 0
    capsys.readouterr()
    assert main(["apply", "--plan", str(tmp_path / "plan"), "--db", current, "--no-backup"]) == 0
    out = capsys.readouterr().out
    assert "converged up to --fail-on critical: 1 change(s) remain below it" in out and "CRITICAL" not in out
    with closing(sqlite3.connect(tmp_path / "current.db")) as conn:
        conn.execute("INSERT INTO users (id, name) VALUES (2, 'bob')")  # written for the target: it fits
        assert conn.execute("SELECT id, legacy_code FROM users ORDER BY id").fetchall() == [(1, "A1"), (2, None)]
        conn.commit()
    assert main(["audit", *pair]) == 0 and main(["audit", *pair, "--fail-on", "info"]) == 1
    assert main(["plan", *pair]) == 0
    second = capsys.readouterr().out
    assert "Nothing to do" not in second and "No step to run, but 1 change(s) are kept" in second
    assert main(["apply", "--plan", str(tmp_path / "plan"), "--db", current, "--fail-on", "info"]) == 1
