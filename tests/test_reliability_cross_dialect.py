"""Reliability: a SQLite schema planned onto PostgreSQL and MariaDB converges like any other
plan. SQLite keeps every integer in up to 8 bytes, so `INTEGER` becomes `BIGINT` there (an
`INT` would reject values the target accepts and the re-audit flagged every such column);
`BOOLEAN DEFAULT 0` becomes `DEFAULT false` on PostgreSQL, which refuses an integer default
for a boolean; `BLOB` becomes MariaDB's unbounded `LONGBLOB`. Judged by the catalog: the
columns' types and defaults as the server reports them, and a second plan with nothing in it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemaudit.cli import main
from tests.conftest import ScratchDb, _psycopg_url, _pymysql_connect

pytestmark = pytest.mark.reliability

SQLITE_DDL = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    age INTEGER,
    small SMALLINT,
    score REAL,
    created TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    flag BOOLEAN DEFAULT 0,
    photo BLOB,
    price NUMERIC(10,2),
    nick VARCHAR(20),
    level INTEGER DEFAULT 5
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body TEXT,
    n BIGINT
);
CREATE INDEX ix_posts_user ON posts(user_id);
"""

INTEGERS = {("users", "id"), ("users", "age"), ("users", "small"), ("users", "level"), ("posts", "id"),
            ("posts", "user_id"), ("posts", "n")}  # fmt: skip


def _catalog(db: ScratchDb) -> dict[tuple[str, str], tuple[Any, ...]]:
    query = (
        "SELECT table_name, column_name, data_type, column_default, is_nullable FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name IN ('users', 'posts')"
    )
    if db.dialect == "postgresql":
        import psycopg

        with psycopg.connect(_psycopg_url(db.url), autocommit=True) as conn:
            rows = conn.execute(query, ("public",)).fetchall()
    else:
        conn = _pymysql_connect(db.url)
        try:
            with conn.cursor() as cur:
                cur.execute(query, (db.name,))
                rows = list(cur.fetchall())
        finally:
            conn.close()
    return {(str(r[0]), str(r[1])): (str(r[2]).lower(), r[3], r[4]) for r in rows}


@pytest.mark.parametrize("server", ["postgresql", "mysql"])
def test_a_sqlite_target_planned_onto_another_server_converges(
    server: str, request: pytest.FixtureRequest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db: ScratchDb = request.getfixturevalue("pg_db" if server == "postgresql" else "mysql_db")
    (tmp_path / "target.sql").write_text(SQLITE_DDL)
    target = f"ddl:{tmp_path / 'target.sql'}?dialect=sqlite"
    plan = tmp_path / "plan"
    assert main(["plan", "--target", target, "--current", db.url, "--dialect", server, "-o", str(plan)]) == 0
    assert main(["apply", "--plan", str(plan), "--db", db.url]) == 0
    assert "converged: the database matches the plan's target" in capsys.readouterr().out
    catalog = _catalog(db)
    assert {key for key, (kind, _d, _n) in catalog.items() if kind == "bigint"} == INTEGERS, catalog
    if server == "postgresql":
        assert catalog[("users", "flag")][:2] == ("boolean", "false")
        assert catalog[("users", "photo")][0] == "bytea"
    else:
        assert catalog[("users", "flag")][:2] == ("tinyint", "0")
        assert catalog[("users", "photo")][0] == "longblob"
    assert str(catalog[("users", "level")][1]).startswith("5")
    # the database now audits clean against the SQLite target, at every severity but notes
    capsys.readouterr()
    argv = ["audit", "--target", target, "--current", db.url, "--format", "json", "--fail-on", "warning"]
    assert main(argv) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f for f in findings if f["severity"] != "info"] == []
    assert all(f["code"] == "SA124" for f in findings), findings  # storage-equivalent notes only
    # and a second plan has nothing to do
    again = tmp_path / "again"
    assert main(["plan", "--target", target, "--current", db.url, "--dialect", server, "-o", str(again)]) == 0
    assert list(again.glob("2*.sql")) == []
