"""Objects beyond tables are compared and audited: each kind's drift gets its own finding
code, built on a real PostgreSQL server (target and current as two schemas of one database,
which also proves that the schema's own name does not count as drift)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from schemaudit.audit import audit
from schemaudit.diff import AddObject, DropObject, ModifyObject, RenameObject, compare
from schemaudit.model import Schema
from schemaudit.model_objects import Objects
from schemaudit.report import render
from schemaudit.sources import LoadOptions, load

BASE = [
    "CREATE EXTENSION IF NOT EXISTS citext",
    "CREATE TYPE {s}.mood AS ENUM ('sad', 'ok', 'happy')",
    "CREATE DOMAIN {s}.positive AS integer CHECK (VALUE > 0)",
    "CREATE SEQUENCE {s}.tickets START 100",
    "CREATE TABLE {s}.users (id integer PRIMARY KEY, age {s}.positive, m {s}.mood, touched timestamptz)",
    "CREATE FUNCTION {s}.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$",
    "CREATE TRIGGER users_touch BEFORE UPDATE ON {s}.users FOR EACH ROW EXECUTE FUNCTION {s}.touch()",
    "CREATE VIEW {s}.adults AS SELECT id, age FROM {s}.users WHERE age >= 18",
    "CREATE POLICY own ON {s}.users USING (id > 0)",
    "ALTER TABLE {s}.users ENABLE ROW LEVEL SECURITY",
]


def _pair(pg_db: Any, target_extra: list[str], current_extra: list[str]) -> tuple[Schema, Schema]:
    statements = []
    for schema, extra in (("t", target_extra), ("c", current_extra)):
        statements.append(f"CREATE SCHEMA {schema}")
        statements += [s.format(s=schema) for s in BASE + extra]
    pg_db.execute(statements)
    return load(pg_db.url, LoadOptions(schema="t")), load(pg_db.url, LoadOptions(schema="c"))


def _codes(target: Schema, current: Schema) -> list[str]:
    return sorted(f.code for f in audit(target, current).findings)


def test_equal_objects_in_schemas_of_other_names_are_no_drift(pg_db: Any) -> None:
    target, current = _pair(pg_db, [], [])
    assert target.objects.count() > 0
    assert [c for c in compare(target, current).changes] == []


@pytest.mark.parametrize(
    ("target_extra", "current_extra", "codes"),
    [
        (["DROP TRIGGER users_touch ON {s}.users"], [], ["SA202"]),
        ([], ["DROP TRIGGER users_touch ON {s}.users"], ["SA201"]),
        ([], ["ALTER TABLE {s}.users DISABLE TRIGGER users_touch"], ["SA203"]),
        (["CREATE OR REPLACE VIEW {s}.adults AS SELECT id, age FROM {s}.users WHERE age >= 21"], [], ["SA213"]),
        ([], ["ALTER VIEW {s}.adults RENAME TO grown_ups"], ["SA214"]),
        ([], ["DROP VIEW {s}.adults"], ["SA211"]),
        (["CREATE VIEW {s}.kids AS SELECT id FROM {s}.users WHERE age < 18"], [], ["SA211"]),
        (
            [],
            ["CREATE OR REPLACE FUNCTION {s}.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"],
            ["SA223"],
        ),
        ([], ["ALTER SEQUENCE {s}.tickets INCREMENT BY 5"], ["SA233"]),
        ([], ["DROP SEQUENCE {s}.tickets"], ["SA231"]),
        # the column of that type is narrower / wider too
        (["ALTER TYPE {s}.mood ADD VALUE 'great'"], [], ["SA122", "SA245"]),
        ([], ["ALTER TYPE {s}.mood ADD VALUE 'great'"], ["SA123", "SA243"]),
        ([], ["ALTER DOMAIN {s}.positive SET NOT NULL"], ["SA243"]),
        ([], ["DROP POLICY own ON {s}.users"], ["SA261"]),
        (
            [],
            ["ALTER TABLE {s}.users DISABLE ROW LEVEL SECURITY"],
            ["SA264"],
        ),
        (["COMMENT ON VIEW {s}.adults IS 'grown-ups'"], [], ["SA291"]),
    ],
)
def test_each_kind_of_drift_has_its_code(
    pg_db: Any, target_extra: list[str], current_extra: list[str], codes: list[str]
) -> None:
    target, current = _pair(pg_db, target_extra, current_extra)
    assert _codes(target, current) == codes


def test_a_missing_trigger_is_critical_and_shown_with_its_table(pg_db: Any) -> None:
    target, current = _pair(pg_db, [], ["DROP TRIGGER users_touch ON {s}.users"])
    result = audit(target, current)
    (finding,) = result.findings
    assert (finding.code, finding.severity.value, finding.table) == ("SA201", "critical", "users")
    assert "CREATE TRIGGER users_touch BEFORE UPDATE ON users" in (finding.recommendation or "")
    markdown = render(result, "md")
    assert "**Triggers and policies:**" in markdown
    assert "| `users_touch` | trigger | — | `BEFORE UPDATE → touch` | ❌ missing |" in markdown
    assert "Views, routines, triggers and other objects" in markdown
    data = json.loads(render(result, "json"))
    assert any(o["name"] == "adults" and o["gap"] == "matches" for o in data["objects"])
    assert any(o["name"] == "users_touch" and o["gap"] == "missing" for o in data["objects"])


def test_renamed_view_and_trigger_changes(pg_db: Any) -> None:
    target, current = _pair(pg_db, [], ["ALTER VIEW {s}.adults RENAME TO grown_ups"])
    (change,) = compare(target, current).changes
    assert isinstance(change, RenameObject) and change.kind == "view" and change.name == "adults"


def test_kinds_a_source_cannot_read_are_not_compared(pg_db: Any) -> None:
    """A side that read no objects (a DDL file, models) makes none of the other's extra."""
    target, current = _pair(pg_db, [], [])
    blind = replace(current, objects=Objects())
    assert not [c for c in compare(target, blind).changes if isinstance(c, (AddObject, DropObject, ModifyObject))]
