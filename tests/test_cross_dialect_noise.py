"""One schema written for PostgreSQL and for SQLite, as Synapse ships it (issue 15 items 17,
19): every finding is a real difference. A table that SQLite keeps as an FTS virtual table is
not "missing"; SQLite's `INTEGER PRIMARY KEY` is never NULL and serves a unique index on the
same column; storage-equivalent notes name their table."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import ScratchDb
from tests.test_cli import run

POSTGRES = """
CREATE TABLE events (
    stream_ordering bigint,
    event_id text NOT NULL,
    room_id text NOT NULL,
    id uuid
);
CREATE UNIQUE INDEX events_stream_ordering ON events USING btree (stream_ordering);
CREATE TABLE event_search (
    event_id text,
    room_id text,
    vector tsvector
);
CREATE TABLE counters (n integer NOT NULL, small smallint);
"""
SQLITE = """
CREATE TABLE events( stream_ordering INTEGER PRIMARY KEY, event_id TEXT NOT NULL, room_id TEXT NOT NULL, id TEXT );
CREATE VIRTUAL TABLE event_search USING fts4 ( event_id, room_id, key, value );
CREATE TABLE counters (n INT NOT NULL, small SMALLINT);
"""


@pytest.mark.postgresql
def test_postgresql_against_sqlite_reports_only_real_differences(pg_db: ScratchDb, tmp_path: Path) -> None:
    pg_db.execute(POSTGRES)
    db = tmp_path / "app.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(SQLITE)
    result = run("audit", "--target", pg_db.url, "--current", f"sqlite:///{db}", "--format", "json",
                 "--fail-on", "info")  # fmt: skip
    report = json.loads(result.stdout)
    codes = sorted((f["code"], f["table"], f["column"]) for f in report["findings"])
    assert codes == [
        ("SA107", "event_search", None),  # a virtual table there, not a missing table
        ("SA124", "events", None),  # uuid kept as TEXT: a note, naming its table
        ("SA146", "events", None),  # SQLite has a primary key PostgreSQL lacks: real
        ("SA172", "events", "stream_ordering"),  # the unique index is served by that key
    ], report["findings"]
    virtual = next(f for f in report["findings"] if f["code"] == "SA107")
    assert "is a virtual table in the current schema" in virtual["message"]
    assert all(f["severity"] != "critical" for f in report["findings"])
    # the virtual table is never planned over
    plan = tmp_path / "plan"
    made = run("plan", "--target", pg_db.url, "--current", f"sqlite:///{db}", "-o", str(plan))
    assert made.returncode == 0, made.stderr
    assert 'CREATE TABLE "event_search"' not in "".join(p.read_text() for p in plan.glob("*.sql"))
