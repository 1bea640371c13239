"""Reliability: `apply` refuses a database that changed after the plan was written (a table
rebuild would otherwise copy only the columns the plan knew), and runs only the statements
the reviewed files show (never statements hidden in comments)."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from schemaudit.apply.db import ApplyError
from schemaudit.apply.run import ApplyOptions, apply
from schemaudit.audit import audit
from schemaudit.cli import main
from schemaudit.errors import SchemauditError
from schemaudit.plan import PlanOptions, build
from schemaudit.plan import folder as plan_folder
from schemaudit.plan.folder import checksum
from schemaudit.sources import LoadOptions, load
from tests.conftest import ScratchDb

pytestmark = pytest.mark.reliability

CURRENT = """
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age TEXT);
INSERT INTO people VALUES (1, 'ann', '31'), (2, 'bob', '42');
"""
TARGET = "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER NOT NULL);"


def make_db(path: Path, sql: str) -> str:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)
    return f"sqlite:///{path}"


def sqlite_plan(tmp_path: Path) -> tuple[str, Path]:
    current = make_db(tmp_path / "app.db", CURRENT)
    target = make_db(tmp_path / "target.db", TARGET)
    result = audit(load(target), load(current))
    plan = build(result.changes, result.target, result.current, PlanOptions("sqlite", date=dt.date(2026, 2, 21)))
    assert [s.kind.name for s in plan.steps] == ["REBUILD"]
    plan_folder.write(plan, tmp_path / "plan")
    return current, tmp_path / "plan"


def dump(db: str) -> list[object]:
    with closing(sqlite3.connect(db.removeprefix("sqlite:///"))) as conn:
        schema = conn.execute("SELECT type, name, sql FROM sqlite_schema ORDER BY name").fetchall()
        return [schema, conn.execute("SELECT * FROM people ORDER BY id").fetchall()]


@pytest.mark.parametrize(
    "drift",
    [
        "ALTER TABLE people ADD COLUMN email TEXT; UPDATE people SET email = name || '@x';"
        "CREATE INDEX ix_people_email ON people (email);"
        "CREATE TRIGGER people_touch AFTER UPDATE ON people BEGIN UPDATE people SET email = 'z' WHERE 0; END;",
        "CREATE INDEX ix_people_name ON people (name);",
        "CREATE TRIGGER people_audit AFTER INSERT ON people BEGIN SELECT 1; END;",
        "ALTER TABLE people DROP COLUMN age;",
    ],
    ids=["column-with-data-index-trigger", "index", "trigger", "dropped-column"],
)
def test_a_rebuild_refuses_a_table_that_changed_after_planning(
    tmp_path: Path, drift: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db, plan = sqlite_plan(tmp_path)
    with closing(sqlite3.connect(db.removeprefix("sqlite:///"))) as conn:
        conn.executescript(drift)
    before = dump(db)
    code = main(["apply", "--plan", str(plan), "--db", db, "--no-backup"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and "changed after the plan was written" in lines[0] and "people" in lines[0]
    assert dump(db) == before
    assert list(tmp_path.glob("app.db.schemaudit-backup-*")) == []


def test_an_unchanged_database_still_converges(tmp_path: Path) -> None:
    db, plan = sqlite_plan(tmp_path)
    assert apply(plan, db, ApplyOptions(backup=False)).converged
    assert dump(db)[1] == [(1, "ann", 31), (2, "bob", 42)]


def _hide_in_comment(plan: Path, sql: str) -> None:
    """Add a statement to the manifest and the same text inside a comment of the file, with
    the checksum updated: a reviewer reading the file sees only a comment."""
    manifest = json.loads((plan / "plan.json").read_text())
    step = manifest["steps"][0]
    path = plan / step["file"]
    text = path.read_text() + f"-- note: {sql};\n"
    path.write_text(text)
    step["statements"].append({"sql": sql})
    step["checksum"] = checksum(text)
    (plan / "plan.json").write_text(json.dumps(manifest))


def test_a_statement_hidden_in_a_comment_never_runs(tmp_path: Path) -> None:
    db, plan = sqlite_plan(tmp_path)
    make_db(tmp_path / "keep.db", "")
    with closing(sqlite3.connect(db.removeprefix("sqlite:///"))) as conn:
        conn.execute("CREATE TABLE precious (v TEXT)")
    _hide_in_comment(plan, "DROP TABLE precious")
    with pytest.raises(SchemauditError, match="are not the code its file"):
        apply(plan, db, ApplyOptions(backup=False))
    assert "precious" in {r[1] for r in dump(db)[0]}  # type: ignore[index]


def test_crlf_line_ends_and_carriage_returns_in_names_round_trip(tmp_path: Path) -> None:
    current = make_db(tmp_path / "app.db", 'CREATE TABLE "odd\rname" (id INTEGER PRIMARY KEY);')
    target = make_db(
        tmp_path / "target.db",
        "CREATE TABLE \"odd\rname\" (id INTEGER PRIMARY KEY,\r\n  note TEXT DEFAULT 'a\r\nb');",
    )
    result = audit(load(target), load(current))
    plan = build(result.changes, result.target, result.current, PlanOptions("sqlite", date=dt.date(2026, 2, 21)))
    plan_folder.write(plan, tmp_path / "plan")
    assert apply(tmp_path / "plan", current, ApplyOptions(backup=False)).converged
    # a checkout that turned every LF into CRLF changes no checksum
    tmp2 = tmp_path / "copy"
    plan_folder.write(plan, tmp2)
    for f in tmp2.glob("2026*.sql"):
        f.write_bytes(re.sub(rb"(?<!\r)\n", b"\r\n", f.read_bytes()))
    assert plan_folder.read(tmp2).steps


@pytest.mark.postgresql
def test_postgresql_drift_is_found_before_the_first_step(pg_db: ScratchDb, tmp_path: Path) -> None:
    pg_db.execute(
        [
            "CREATE TABLE a (id integer PRIMARY KEY)",
            "CREATE TABLE b (id integer PRIMARY KEY, v text)",
            "INSERT INTO b VALUES (1, 'x')",
        ]
    )
    target = load(
        make_db(
            tmp_path / "t.db",
            "CREATE TABLE a (id INTEGER PRIMARY KEY, n INTEGER);"
            "CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT, w TEXT);"
            "CREATE TABLE c (id INTEGER PRIMARY KEY);",
        )
    )
    current = load(pg_db.url)
    result = audit(target, current)
    plan = build(result.changes, result.target, result.current, PlanOptions("postgresql", date=dt.date(2026, 2, 21)))
    plan_folder.write(plan, tmp_path / "plan")
    pg_db.execute("ALTER TABLE b DROP COLUMN v")
    with pytest.raises(ApplyError, match=r"table b is not as planned \(missing column\(s\) v\)"):
        apply(tmp_path / "plan", pg_db.url)
    assert {r for r in _pg_tables(pg_db)} == {"a", "b"}
    assert load(pg_db.url, LoadOptions()).table("a").column("n") is None  # type: ignore[union-attr]


def _pg_tables(db: ScratchDb) -> set[str]:
    import psycopg

    from tests.conftest import _psycopg_url

    with psycopg.connect(_psycopg_url(db.url)) as conn:
        rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").fetchall()
    return {r[0] for r in rows}
