"""SQLite DDL run in small databases (`ddl.sqlite_shards`) must read exactly as the same
file run in one database: the same tables, columns, keys, indexes, views, triggers and
origins, and the same refusals. Shards of two rows put nearly every table in its own
database, so every statement below that names another object crosses shards."""

from __future__ import annotations

import pytest

from schemaudit.sources.ddl.source import read_ddl
from schemaudit.sources.ddl.split import split_statements
from schemaudit.sources.ddl.sqlite import build, build_in_one, build_in_shards
from tests.conftest import corpus_file

SPREAD = """
CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT UNIQUE);
CREATE TABLE "Mixed Case" (a INTEGER, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE child (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id INTEGER REFERENCES parent,
    pair_a INTEGER, pair_b TEXT,
    FOREIGN KEY (pair_a, pair_b) REFERENCES "mixed case" ON DELETE CASCADE
);
CREATE TABLE [odd name] (x TEXT COLLATE NOCASE CHECK (length(x) > 1));
CREATE TABLE 'quoted' (y);
CREATE INDEX ix_parent_code ON parent (code DESC);
CREATE UNIQUE INDEX main.ix_child ON child (parent_id, pair_a) WHERE pair_a > 0;
ALTER TABLE parent ADD COLUMN note TEXT DEFAULT 'n';
CREATE VIEW v_children AS SELECT c.id, p.code FROM child c JOIN parent p ON p.id = c.parent_id;
CREATE TRIGGER trg_parent AFTER UPDATE OF code ON parent BEGIN UPDATE child SET pair_a = 0; END;
CREATE TABLE IF NOT EXISTS parent (other INTEGER);
CREATE INDEX IF NOT EXISTS ix_parent_code ON parent (note);
CREATE VIRTUAL TABLE search USING fts4 (body);
CREATE TABLE gone (z);
CREATE INDEX ix_gone ON gone (z);
DROP TABLE gone;
CREATE TABLE gone (z, w);
DROP INDEX IF EXISTS ix_never;
DROP VIEW IF EXISTS v_never;
INSERT INTO parent (code) VALUES ('a');
CREATE TABLE last (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));
"""


def _both(text: str, rows_per_shard: int = 2) -> tuple[object, object]:
    statements = split_statements(text, "sqlite")
    return build(statements, "f.sql", rows_per_shard), build_in_one(statements, "f.sql")


def test_a_file_spread_over_shards_reads_as_one_database() -> None:
    statements = split_statements(SPREAD, "sqlite")
    sharded = build_in_shards([s for s in statements if not s.text.startswith("INSERT")], "f.sql", 2)
    assert sharded is not None, "every statement of this file can run in a shard"
    one, problems = build_in_one(statements, "f.sql")
    assert problems == []
    assert sharded == one
    child = next(t for t in one.tables if t.name == "child")
    # `REFERENCES parent` without columns: the parent's key, read from another shard
    assert {fk.ref_table: fk.ref_columns for fk in child.foreign_keys} == {"parent": ("id",), "mixed case": ("a", "b")}
    assert [t.name for t in one.tables] == ["Mixed Case", "child", "gone", "last", "odd name", "parent", "quoted"]
    assert [v.name for v in one.objects.virtual_tables] == ["search"]
    assert [c.name for c in next(t for t in one.tables if t.name == "gone").columns] == ["z", "w"]
    assert [v.name for v in one.objects.views] == ["v_children"]
    assert [t.name for t in one.objects.triggers] == ["trg_parent"]


@pytest.mark.parametrize(
    "text",
    [
        # a name taken in another shard: by an index, a table, a shadow table, a view
        "CREATE TABLE a (x);\nCREATE INDEX dup ON a (x);\nCREATE TABLE b (y);\nCREATE TABLE c (z);\n"
        "CREATE TABLE DUP (w);",
        "CREATE TABLE a (x);\nCREATE TABLE b (y);\nCREATE TABLE c (z);\nCREATE INDEX A ON c (z);",
        "CREATE VIRTUAL TABLE s USING fts4 (body);\nCREATE TABLE b (y);\nCREATE TABLE c (z);\n"
        "CREATE TABLE s_content (q);",
        "CREATE TABLE a (x);\nCREATE INDEX i ON a (x);\nCREATE TABLE b (y);\nCREATE INDEX IF NOT EXISTS i ON b (y);",
        "CREATE TABLE a (x);\nCREATE VIEW v AS SELECT 1;\nCREATE TABLE b (y);\nCREATE TABLE c (z);\n"
        "CREATE INDEX v ON c (z);",
        # a trigger name taken on another table's shard
        "CREATE TABLE a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;\nCREATE TABLE b (y);\n"
        "CREATE TABLE c (z);\nCREATE TRIGGER t AFTER INSERT ON c BEGIN SELECT 1; END;",
        # statements that reach every object, or another schema
        "CREATE TABLE a (x);\nCREATE TABLE b (y REFERENCES a (x));\nCREATE VIEW v AS SELECT x FROM a;\n"
        "ALTER TABLE a RENAME TO a2;\nALTER TABLE a2 RENAME COLUMN x TO x2;",
        "CREATE TABLE a (x);\nCREATE TABLE b AS SELECT x FROM a;",
        "CREATE TEMP TABLE t (x);\nCREATE TABLE a (x);\nCREATE INDEX ix ON a (x);",
        "CREATE TABLE other.a (x);\nCREATE TABLE a (x);",
        # refusals: the same messages, from one database
        "CREATE TABLE a (x);\nCREATE INDEX ix ON missing (x);\nCREATE TABLE a (y);\nCREATE TABLE b (x x x x);",
        "CREATE TABLE a (x);\nDROP TABLE nowhere;\nALTER TABLE nowhere ADD COLUMN y;\nALTER TABLE a ADD COLUMN x;",
    ],
)
def test_what_needs_one_database_gets_one(text: str) -> None:
    (sharded, sharded_problems), (one, one_problems) = _both(text)
    assert build_in_shards(split_statements(text, "sqlite"), "f.sql", 2) is None
    assert sharded == one
    assert sharded_problems == one_problems


def test_refusals_are_reported_as_one_database_reports_them() -> None:
    text = "CREATE TABLE a (x);\nCREATE TABLE b (y);\nCREATE TABLE c (z);\nCREATE INDEX a ON c (z);"
    (_, problems), _ = _both(text)
    assert [(p.line, p.reason) for p in problems] == [(4, "there is already a table named a")]


@pytest.mark.parametrize("version", ["54", "72"])
def test_synapse_schema_reads_the_same_in_shards(version: str) -> None:
    text = corpus_file(f"realworld/synapse/{version}/full.sql.sqlite").read_text(encoding="utf-8")
    statements = split_statements(text, "sqlite")
    runnable = [s for s in statements if s.head(1)[0] not in ("INSERT", "BEGIN", "COMMIT", "PRAGMA")]
    sharded = build_in_shards(runnable, "full.sql", 16)
    assert sharded is not None
    one, problems = build_in_one(runnable, "full.sql")
    assert problems == []
    assert sharded == one
    assert len(sharded.tables) > 100
    assert read_ddl(text, "sqlite", "full.sql") == one
