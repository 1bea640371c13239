"""PostgreSQL hazards as the server behaves: each type change is planned from schemas built on
the real server, and the plan's hazards and risk are asserted. What the server does is
checked too: a change the plan calls catalog-only must keep the table's file (no rewrite),
one it calls a rewrite must give the table a new one.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from schemaudit.audit import audit
from schemaudit.plan import Plan, PlanOptions, RiskLevel, build
from schemaudit.sources import LoadOptions, load


def _plan(url: str, current: list[str], target: list[str], allow_drop: bool = False) -> Plan:
    with psycopg.connect(url, autocommit=True) as conn:
        for schema, statements in (("cur", current), ("tgt", target)):
            conn.execute(f"CREATE SCHEMA {schema}")  # type: ignore[arg-type]
            conn.execute(f"SET search_path TO {schema}")  # type: ignore[arg-type]
            for sql in statements:
                conn.execute(sql)  # type: ignore[arg-type]
    result = audit(load(url, LoadOptions(schema="tgt")), load(url, LoadOptions(schema="cur")))
    return build(result.changes, result.target, result.current, PlanOptions("postgresql", allow_drop=allow_drop))


def _hazards(plan: Plan) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for step in plan.steps:
        for h in step.hazards:
            out.setdefault(h.code, []).append(h)
    return out


def _filenode(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT relfilenode FROM pg_class WHERE oid = 'cur.t'::regclass").fetchone()
        assert row is not None
        return int(row[0])


def _run(url: str, plan: Plan) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET search_path TO cur")
        conn.execute("SET TimeZone TO 'UTC'")
        for step in plan.steps:
            for s in step.statements:
                conn.execute(s.sql)  # type: ignore[arg-type]


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("before", "after"),
    [("varchar(255)", "varchar(320)"), ("numeric(10,2)", "numeric(12,2)"), ("varchar(40)", "text")],
)
def test_widening_varchar_or_numeric_precision_is_catalog_only(pg_db: Any, before: str, after: str) -> None:
    plan = _plan(
        pg_db.url,
        [f"CREATE TABLE t (id integer PRIMARY KEY, v {before})", "INSERT INTO t VALUES (1, '12.5')"],
        [f"CREATE TABLE t (id integer PRIMARY KEY, v {after})"],
    )
    hazards = _hazards(plan)
    assert list(hazards) == ["catalog_only"], hazards
    assert "no table rewrite" in hazards["catalog_only"][0].message
    assert plan.risk is RiskLevel.LOW
    node = _filenode(pg_db.url)
    _run(pg_db.url, plan)
    assert _filenode(pg_db.url) == node  # the server did not rewrite the table


@pytest.mark.postgresql
def test_integer_to_bigint_is_a_full_rewrite_under_access_exclusive_and_high_risk(pg_db: Any) -> None:
    plan = _plan(
        pg_db.url,
        ["CREATE TABLE t (id integer PRIMARY KEY, n integer)", "INSERT INTO t VALUES (1, 2)"],
        ["CREATE TABLE t (id integer PRIMARY KEY, n bigint)"],
    )
    (rewrite,) = _hazards(plan)["rewrite"]
    assert "ACCESS EXCLUSIVE" in rewrite.message and "rewrites the whole table" in rewrite.message
    assert plan.risk is RiskLevel.HIGH
    (step,) = plan.steps
    assert "integer -> bigint" in str(step.risk)
    node = _filenode(pg_db.url)
    _run(pg_db.url, plan)
    assert _filenode(pg_db.url) != node  # rewritten, as the plan said


@pytest.mark.postgresql
def test_timestamp_to_timestamptz_names_the_session_time_zone(pg_db: Any) -> None:
    plan = _plan(
        pg_db.url,
        ["CREATE TABLE t (id integer PRIMARY KEY, at timestamp)"],
        ["CREATE TABLE t (id integer PRIMARY KEY, at timestamptz)"],
    )
    (zone,) = _hazards(plan)["time_zone"]
    assert "TimeZone of the session" in zone.message and "SET TimeZone = 'UTC'" in zone.message
    assert plan.risk is RiskLevel.MEDIUM


@pytest.mark.postgresql
def test_an_enum_label_is_added_by_name_without_touching_the_column(pg_db: Any) -> None:
    plan = _plan(
        pg_db.url,
        ["CREATE TYPE mood AS ENUM ('ok', 'bad')", "CREATE TABLE t (id integer PRIMARY KEY, m mood)"],
        ["CREATE TYPE mood AS ENUM ('ok', 'meh', 'bad')", "CREATE TABLE t (id integer PRIMARY KEY, m mood)"],
    )
    (step,) = plan.steps
    assert step.description == "Add value 'meh' to enum type mood"
    assert [s.sql for s in step.statements] == ["""ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'meh' AFTER 'ok'"""]
    (added,) = _hazards(plan)["enum_value"]
    assert "ADD VALUE 'meh'" in added.message
    assert plan.risk is RiskLevel.LOW


@pytest.mark.postgresql
def test_an_enum_the_plan_leaves_unused_is_dropped_without_allow_drop(pg_db: Any) -> None:
    plan = _plan(
        pg_db.url,
        [
            "CREATE TYPE mood AS ENUM ('ok', 'bad')",
            "CREATE TYPE spare AS ENUM ('x')",  # unused before the plan: extra, kept
            "CREATE TABLE t (id integer PRIMARY KEY, m mood)",
        ],
        ["CREATE TABLE t (id integer PRIMARY KEY, m text)"],
    )
    sql = [s.sql for step in plan.steps for s in step.statements]
    assert sql[-1] == 'DROP TYPE "mood"'
    assert [k.change.describe() for k in plan.kept] == ["Enum type spare is not in the target."]


@pytest.mark.postgresql
def test_the_plan_command_names_the_current_databases_time_zone(pg_db: Any, capsys: Any) -> None:
    from schemaudit.cli import main

    _plan(pg_db.url, ["CREATE TABLE t (at timestamp)"], ["CREATE TABLE t (at timestamptz)"])
    with psycopg.connect(pg_db.url) as conn:
        row = conn.execute("SHOW TimeZone").fetchone()
        assert row is not None
    args = ["plan", "--target", pg_db.url, "--target-schema", "tgt", "--current", pg_db.url, "--current-schema", "cur"]
    assert main(args) == 0
    assert f"({row[0]} on the current database unless the connection sets another)" in capsys.readouterr().out
