"""Renames need evidence a person would accept; what falls short is a near miss, never a plan.

Each case is built the way a real project has it, in a real database: Synapse's `access_tokens`
whose `last_used BIGINT` timestamp went away while a `used BOOLEAN` flag arrived (on SQLite both
store integers, so no type change would ever show the timestamps left in a flag); Synapse's
`(lock, stream_id)` singleton tables, one dropped and an unrelated one added; a `txt` column
replaced by `body`, the only unmatched pair in its table; and the Synapse 54 -> 72 schemas
of the shared corpus end to end.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from schemaudit.audit import audit
from schemaudit.audit.config import from_mapping
from schemaudit.diff import RenameColumn, RenameTable, compare
from schemaudit.plan import PlanOptions, build
from schemaudit.report import render
from schemaudit.sources import load
from tests.conftest import ScratchDb, corpus_file

SINGLETON = "CREATE TABLE {name} (lock char(1) DEFAULT 'X' NOT NULL, stream_id bigint, CHECK (lock = 'X'))"


def _sqlite(path: Path, *statements: str) -> str:
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()
    return f"sqlite:///{path}"


def _ddl(path: Path, sql: str, dialect: str) -> str:
    path.write_text(sql, encoding="utf-8")
    return f"ddl:{path}?dialect={dialect}"


def test_an_integer_timestamp_is_not_renamed_into_a_boolean_flag(tmp_path: Path) -> None:
    # Synapse's own SQLite DDL, schema 54 and 72 (the refresh_tokens reference left out)
    current = _sqlite(
        tmp_path / "synapse.db",
        "CREATE TABLE access_tokens( id BIGINT PRIMARY KEY, user_id TEXT NOT NULL, device_id TEXT, "
        "token TEXT NOT NULL, last_used BIGINT, UNIQUE(token) )",
        "INSERT INTO access_tokens VALUES (1, '@a:hs', 'D', 'tok', 1650000000000)",
    )
    target = _ddl(
        tmp_path / "72.sql",
        'CREATE TABLE IF NOT EXISTS "access_tokens" ( id BIGINT PRIMARY KEY, user_id TEXT NOT NULL, '
        "device_id TEXT, token TEXT NOT NULL, valid_until_ms BIGINT, puppets_user_id TEXT, "
        "last_validated BIGINT, refresh_token_id BIGINT, used BOOLEAN, UNIQUE(token) );",
        "sqlite",
    )
    result = audit(load(target), load(current))
    assert not result.changes.of_type(RenameColumn)
    near = {(n.target, n.current) for n in result.changes.near_misses}
    assert ("used", "last_used") in near or ("last_validated", "last_used") in near
    hints = [f.recommendation for f in result.findings if f.code == "SA104"]
    assert any("--rename access_tokens.last_used=" in (h or "") for h in hints), hints


def test_singleton_tables_of_the_same_shape_are_not_renamed(pg_db: ScratchDb, tmp_path: Path) -> None:
    pg_db.execute(
        [
            SINGLETON.format(name="account_data_max_stream_id"),
            "INSERT INTO account_data_max_stream_id (stream_id) VALUES (7)",
            "CREATE TABLE events (stream_ordering bigint PRIMARY KEY, event_id text NOT NULL)",
        ]
    )
    target = _ddl(
        tmp_path / "72.sql",
        SINGLETON.format(name="event_push_summary_last_receipt_stream_id")
        + ";\nCREATE TABLE events (stream_ordering bigint PRIMARY KEY, event_id text NOT NULL);\n",
        "postgresql",
    )
    result = audit(load(target), load(pg_db.url))
    assert not result.changes.of_type(RenameTable)
    assert [(n.kind, n.current, n.target) for n in result.changes.near_misses] == [
        ("table", "account_data_max_stream_id", "event_push_summary_last_receipt_stream_id")
    ]
    assert any(
        "--rename account_data_max_stream_id=event_push_summary_last_receipt_stream_id" in (f.recommendation or "")
        for f in result.findings
    )


def test_the_only_unmatched_pair_is_a_near_miss_and_a_drop_says_it_loses_data(tmp_path: Path) -> None:
    current = _sqlite(
        tmp_path / "app.db",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, txt TEXT NOT NULL, created_at TEXT)",
        "INSERT INTO notes VALUES (1, 'hello', '2024-01-01')",
    )
    target = _ddl(
        tmp_path / "schema.sql",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at TEXT);",
        "sqlite",
    )
    result = audit(load(target), load(current))
    assert not result.changes.of_type(RenameColumn)
    assert [(n.current, n.target) for n in result.changes.near_misses] == [("txt", "body")]
    report = render(result, "md")
    assert "--rename notes.txt=body" in report
    for line in report.splitlines():
        if "DROP COLUMN" in line:
            assert "data" in line or "data loss" in report.split(line, 1)[1].split("\n", 2)[1], line
    hinted = audit(load(target), load(current), from_mapping({"renames": {"column": {"notes.txt": "body"}}}))
    assert [(c.from_, c.to) for c in hinted.changes.of_type(RenameColumn)] == [("txt", "body")]


def test_a_plan_says_which_add_may_be_a_rename(tmp_path: Path) -> None:
    current = load(
        _sqlite(
            tmp_path / "app.db",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, txt TEXT NOT NULL, created_at TEXT)",
            "INSERT INTO notes VALUES (1, 'hello', '2024-01-01')",
        )
    )
    target = load(
        _ddl(
            tmp_path / "schema.sql",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at TEXT);",
            "sqlite",
        )
    )
    plan = build(compare(target, current), target, current, PlanOptions("sqlite"))
    assert any("--rename notes.txt=body" in n and "losing its data" in n for n in plan.notes), plan.notes
    way_forward = [c.remedy for step in plan.steps for c in step.data_checks]
    assert any("--rename notes.txt=body" in w for w in way_forward), way_forward


def test_synapse_54_to_72_renames_only_what_names_and_columns_support() -> None:
    for dialect, suffix in (("postgresql", "postgres"), ("sqlite", "sqlite")):
        old = corpus_file("realworld", "synapse", "54", f"full.sql.{suffix}")
        new = corpus_file("realworld", "synapse", "72", f"full.sql.{suffix}")
        result = audit(load(f"ddl:{new}?dialect={dialect}"), load(f"ddl:{old}?dialect={dialect}"))
        tables = {(m.current, m.target) for m in result.changes.tables if m.renamed}
        assert ("account_data_max_stream_id", "event_push_summary_last_receipt_stream_id") not in tables
        assert {("room_state", "room_stats_state"), ("stats_stream_pos", "stats_incremental_position")} <= tables
        assert not result.changes.of_type(RenameColumn), dialect
        near = {(n.current, n.target) for n in result.changes.near_misses}
        assert ("account_data_max_stream_id", "event_push_summary_last_receipt_stream_id") in near
