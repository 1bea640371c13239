"""Enum labels on PostgreSQL, planned and applied on the real server: labels added with
ADD VALUE (outside a transaction when the current server is older than 12, decided from its
`server_version_num`) and labels removed by the documented type swap, refused with one line
while rows still hold a removed label."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from schemaudit.apply.run import ApplyOptions, apply
from schemaudit.audit import audit
from schemaudit.plan import PlanOptions, build
from schemaudit.plan import folder as plan_folder
from schemaudit.plan.model import Plan
from schemaudit.sources import LoadOptions, load


@pytest.fixture
def two_dbs(pg_db: Any) -> Iterator[tuple[str, str]]:
    name = f"{pg_db.name}_b"
    base = pg_db.url.rsplit("/", 1)[0]
    with psycopg.connect(pg_db.url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield pg_db.url, f"{base}/{name}"
    finally:
        with psycopg.connect(pg_db.url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def _run(url: str, *statements: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)  # type: ignore[arg-type]


def _plan(target_url: str, current_url: str, **options: Any) -> Plan:
    found = audit(load(target_url, LoadOptions()), load(current_url, LoadOptions()))
    return build(found.changes, found.target, found.current, PlanOptions("postgresql", **options))


def _apply(plan: Plan, url: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="schemaudit_plan_"))
    try:
        plan_folder.write(plan, folder)
        result = apply(folder, url, ApplyOptions(backup=False))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert result.converged


def _labels(url: str, name: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT enumlabel FROM pg_enum WHERE enumtypid = %s::regtype ORDER BY enumsortorder", (name,)
        ).fetchall()
    return [r[0] for r in rows]


def _adding(target_url: str, current_url: str) -> None:
    _run(target_url, "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')", "CREATE TABLE t (id int, m mood)")
    _run(current_url, "CREATE TYPE mood AS ENUM ('sad', 'happy')", "CREATE TABLE t (id int, m mood)")
    _run(current_url, "INSERT INTO t VALUES (1, 'happy')")


@pytest.mark.postgresql
def test_add_value_runs_outside_a_transaction_before_postgresql_12(two_dbs: tuple[str, str]) -> None:
    target_url, current_url = two_dbs
    _adding(target_url, current_url)
    old = _plan(target_url, current_url, server_version=110022)
    (step,) = [s for s in old.steps if any(" ADD VALUE " in x.sql for x in s.statements)]
    assert not step.transactional and [x.sql for x in step.statements] == [
        "ALTER TYPE \"mood\" ADD VALUE IF NOT EXISTS 'ok' AFTER 'sad'"
    ]
    for version in (None, 120000, 150004):  # unknown, or a server that runs it in a transaction
        (same,) = [s for s in _plan(target_url, current_url, server_version=version).steps]
        assert same.transactional and any(" ADD VALUE " in x.sql for x in same.statements)
    _apply(old, current_url)  # PostgreSQL 15 also runs it outside a transaction
    assert _labels(current_url, "mood") == ["sad", "ok", "happy"]
    assert _plan(target_url, current_url).steps == ()


def _removing(target_url: str, current_url: str) -> None:
    for url, labels in ((target_url, "'sad', 'happy'"), (current_url, "'sad', 'ok', 'happy'")):
        _run(
            url,
            f"CREATE TYPE mood AS ENUM ({labels})",
            "CREATE TABLE t (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'sad', ms mood[])",
            "CREATE INDEX t_m ON t (m)",
            "CREATE VIEW happy_t AS SELECT id, m FROM t WHERE m = 'happy'",
        )


@pytest.mark.postgresql
def test_a_removed_label_swaps_the_type_and_keeps_the_rows(two_dbs: tuple[str, str]) -> None:
    target_url, current_url = two_dbs
    _removing(target_url, current_url)
    _run(current_url, "INSERT INTO t VALUES (1, 'happy', '{sad,happy}'), (2, 'sad', NULL)")
    plan = _plan(target_url, current_url, allow_drop=True)
    assert not plan.kept, [k.reason for k in plan.kept]
    sqls = [x.sql for s in plan.steps for x in s.statements]
    assert 'ALTER TYPE "mood__schemaudit_new" RENAME TO "mood"' in sqls
    checks = [c for s in plan.steps for c in s.data_checks]
    assert {(c.table, c.column) for c in checks} == {("t", "m"), ("t", "ms")}
    _apply(plan, current_url)
    assert _labels(current_url, "mood") == ["sad", "happy"]
    with psycopg.connect(current_url) as conn:
        rows = conn.execute("SELECT id, m::text, ms::text FROM t ORDER BY id").fetchall()
        assert rows == [(1, "happy", "{sad,happy}"), (2, "sad", None)]
        assert conn.execute("SELECT count(*) FROM happy_t").fetchone() == (1,)
    assert _plan(target_url, current_url, allow_drop=True).steps == ()


@pytest.mark.postgresql
def test_rows_holding_a_removed_label_stop_the_plan_with_one_line(
    two_dbs: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from schemaudit.cli import main

    target_url, current_url = two_dbs
    _removing(target_url, current_url)
    _run(current_url, "INSERT INTO t VALUES (1, 'ok', NULL), (2, 'ok', '{ok}'), (3, 'sad', NULL)")
    code = main(["plan", "--target", target_url, "--current", current_url, "-o", str(tmp_path / "p")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and not (tmp_path / "p").exists()
    assert "2 row(s) of t.m hold 'ok', which enum type mood no longer has" in err
    assert "1 row(s) of t.ms hold 'ok'" in err
    assert _labels(current_url, "mood") == ["sad", "ok", "happy"]
