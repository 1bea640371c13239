"""SQLite virtual tables (FTS) are modelled, compared and planned: from an empty database the
plan creates the virtual table and never its shadow tables (the module makes those), and
Synapse's SQLite schema, with its two fts4 tables, converges judged by `sqlite_master`. Also
what SQLite keeps beside a table: a rebuild keeps its AUTOINCREMENT counter."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from schemaudit.apply.run import ApplyOptions, apply
from schemaudit.audit import audit
from schemaudit.plan import PlanOptions, build
from schemaudit.plan import folder as plan_folder
from schemaudit.sources import LoadOptions, load
from tests.conftest import corpus_file
from tests.convergence import judge


def _db(path: Path, sql: str) -> str:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)
    return f"sqlite:///{path}"


def _fingerprint(path: Path) -> judge.Fingerprint:
    with closing(sqlite3.connect(path)) as conn:
        return judge.sqlite(conn)


def _plan(target_url: str, current_url: str) -> list[str]:
    first = audit(load(target_url, LoadOptions()), load(current_url, LoadOptions()))
    plan = build(first.changes, first.target, first.current, PlanOptions("sqlite", allow_drop=True))
    assert not plan.kept, [k.reason for k in plan.kept]
    folder = Path(tempfile.mkdtemp(prefix="schemaudit_plan_"))
    try:
        plan_folder.write(plan, folder)
        assert apply(folder, current_url, ApplyOptions(backup=False)).converged
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return [s.sql for step in plan.steps for s in step.statements]


def test_a_virtual_table_is_modelled_not_its_shadow_tables(tmp_path: Path) -> None:
    url = _db(tmp_path / "a.db", "CREATE VIRTUAL TABLE search USING fts5 (title, body);")
    schema = load(url, LoadOptions())
    assert [t.name for t in schema.tables] == []
    (vt,) = schema.objects.virtual_tables
    assert (vt.name, vt.module) == ("search", "fts5")
    assert not [o for o in schema.not_audited if o.kind == "virtual table"]


def test_from_empty_creates_the_virtual_table_only(tmp_path: Path) -> None:
    target = tmp_path / "target.db"
    sql = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\nCREATE VIRTUAL TABLE notes_fts USING fts4 (body);\n"
    target_url, current = _db(target, sql), tmp_path / "current.db"
    statements = _plan(target_url, _db(current, ""))
    assert [s for s in statements if "notes_fts" in s] == ["CREATE VIRTUAL TABLE notes_fts USING fts4 (body)"]
    assert _fingerprint(current) == _fingerprint(target)
    again = audit(load(target_url, LoadOptions()), load(f"sqlite:///{current}", LoadOptions()))
    assert not again.changes.actionable


def test_a_changed_virtual_table_is_kept_with_a_reason(tmp_path: Path) -> None:
    target_url = _db(tmp_path / "t.db", "CREATE VIRTUAL TABLE s USING fts4 (a, b);")
    current_url = _db(tmp_path / "c.db", "CREATE VIRTUAL TABLE s USING fts4 (a);")
    found = audit(load(target_url, LoadOptions()), load(current_url, LoadOptions()))
    assert [f.code for f in found.findings] == ["SA283"]
    plan = build(found.changes, found.target, found.current, PlanOptions("sqlite", allow_drop=True))
    (kept,) = plan.kept
    assert "empties it" in kept.reason and not plan.steps


def test_synapse_sqlite_from_an_empty_database(tmp_path: Path) -> None:
    target = tmp_path / "synapse.db"
    text = corpus_file("realworld", "synapse", "72", "full.sql.sqlite").read_text(encoding="utf-8")
    target_url, current = _db(target, text), tmp_path / "empty.db"
    statements = _plan(target_url, _db(current, ""))
    assert sum(1 for s in statements if s.startswith("CREATE VIRTUAL TABLE")) == 2
    assert not [s for s in statements if "event_search_" in s or "user_directory_search_" in s]
    assert _fingerprint(current) == _fingerprint(target)
    again = audit(load(target_url, LoadOptions()), load(f"sqlite:///{current}", LoadOptions()))
    assert not again.changes.actionable


def test_a_rebuild_keeps_the_autoincrement_counter(tmp_path: Path) -> None:
    """AUTOINCREMENT never reuses an id, even a deleted row's: the rebuilt table's counter
    stays at 5, not at the highest id left (2)."""
    current = tmp_path / "c.db"
    current_url = _db(
        current,
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER);"
        "INSERT INTO t (v) VALUES (1), (2), (3), (4), (5); DELETE FROM t WHERE id > 2;",
    )
    target_url = _db(
        tmp_path / "t.db", "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER NOT NULL CHECK (v >= 0));"
    )
    statements = _plan(target_url, current_url)
    assert any(s.startswith("UPDATE sqlite_sequence") for s in statements)
    with closing(sqlite3.connect(current)) as conn:
        assert conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 't'").fetchall() == [(5,)]
        conn.execute("INSERT INTO t (v) VALUES (9)")
        assert conn.execute("SELECT max(id) FROM t").fetchone() == (6,)


def test_an_alembic_rebuild_keeps_the_autoincrement_counter(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from schemaudit.plan.alembic_script import file_name, render
    from tests.convergence.harness import ALEMBIC_ENV

    current = tmp_path / "c.db"
    current_url = _db(
        current,
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER);"
        "INSERT INTO t (v) VALUES (1), (2), (3), (4), (5); DELETE FROM t WHERE id > 2;",
    )
    target_url = _db(
        tmp_path / "t.db", "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER NOT NULL CHECK (v >= 0));"
    )
    found = audit(load(target_url, LoadOptions()), load(current_url, LoadOptions()))
    plan = build(found.changes, found.target, found.current, PlanOptions("sqlite"))
    scripts = tmp_path / "alembic"
    (scripts / "versions").mkdir(parents=True)
    (scripts / "env.py").write_text(ALEMBIC_ENV, encoding="utf-8")
    (scripts / "versions" / file_name(plan)).write_text(render(plan), encoding="utf-8")
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts))
    cfg.set_main_option("sqlalchemy.url", current_url)
    command.upgrade(cfg, "head")
    with closing(sqlite3.connect(current)) as conn:
        assert conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 't'").fetchall() == [(5,)]
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (2,)
