"""The plan does no more than the audit reports: an extra index the audit calls safe to keep
stays without --allow-drop, and names the target did not choose never rename anything."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from schemaudit.apply.run import ApplyOptions, apply
from schemaudit.audit import audit
from schemaudit.plan import PlanOptions, build
from schemaudit.plan import folder as plan_folder
from schemaudit.sources import LoadOptions, load
from tests.conftest import ScratchDb

CURRENT = [
    "CREATE TABLE assessments (id integer CONSTRAINT assessments_pk PRIMARY KEY, score integer, "
    "taken_at date, label text)",
    "CREATE INDEX idx_assessments_score ON assessments (score)",
    "CREATE INDEX idx_assessments_label ON assessments (label)",
    "INSERT INTO assessments VALUES (1, 5, '2026-01-01', 'a')",
]
# the target names nothing: its primary key and index carry the database's default names
TARGET = [
    "CREATE TABLE assessments (id integer PRIMARY KEY, score integer, taken_at date, label text)",
    "CREATE INDEX ON assessments (score)",
    "CREATE INDEX ON assessments (taken_at)",
]


@pytest.mark.postgresql
def test_plan_touches_only_what_the_audit_reports(pg_db: ScratchDb, tmp_path: Path) -> None:
    pg_db.execute([";".join(CURRENT), "CREATE SCHEMA t", "SET search_path TO t; " + ";".join(TARGET)])
    target, current = load(pg_db.url, LoadOptions(schema="t")), load(pg_db.url)
    assert {i.name for i in target.tables[0].indexes} == {"assessments_score_idx", "assessments_taken_at_idx"}
    result = audit(target, current)
    plan = build(result.changes, result.target, result.current, PlanOptions("postgresql", date=dt.date(2026, 2, 21)))
    sql = "\n".join(s.sql for step in plan.steps for s in step.statements)
    assert "RENAME" not in sql and "DROP" not in sql, sql
    assert [k.change.describe() for k in plan.kept] == [
        c.describe() for c in result.changes.actionable if type(c).__name__ == "DropIndex"
    ]
    assert "safe to keep" in plan.kept[0].reason
    plan_folder.write(plan, tmp_path / "plan")
    apply(tmp_path / "plan", pg_db.url, ApplyOptions())
    after = load(pg_db.url)
    table = after.tables[0] if after.tables[0].name == "assessments" else after.tables[1]
    assert table.primary_key is not None and table.primary_key.name == "assessments_pk"
    assert {i.name for i in table.indexes} == {
        "idx_assessments_score",
        "idx_assessments_label",
        "assessments_taken_at_idx",
    }
    dropping = build(result.changes, result.target, result.current, PlanOptions("postgresql", allow_drop=True))
    assert any('DROP INDEX "idx_assessments_label"' in s.sql for step in dropping.steps for s in step.statements)
