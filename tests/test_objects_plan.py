"""Real schemas with views, routines, triggers, sequences, types and extensions, planned from
an empty PostgreSQL database and applied: judged by the catalog itself (`pg_dump -s` of
both databases, normalized), and a second plan must be empty."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg
import pytest

from schemaudit.apply.run import ApplyOptions, apply
from schemaudit.audit import audit
from schemaudit.plan import PlanOptions, build
from schemaudit.plan import folder as plan_folder
from schemaudit.sources import LoadOptions, load
from schemaudit.sources.ddl.split import split_statements
from tests.conftest import corpus_file


def _pagila_for_this_server(partitions: bool = False) -> list[str]:
    """Pagila as published targets PostgreSQL 18 with pgvector. Kept: every view, routine,
    aggregate, trigger, sequence, domain, enum and an extension. Changed for a PostgreSQL
    15 server without pgvector: the `vector` extension becomes `cube` (column and index
    with it), `uuidv7()` becomes `gen_random_uuid()`, a VIRTUAL generated column STORED.
    Without `partitions`, `payment` is a plain table without its partitions; with them it
    keeps its seven monthly partitions and their own indexes and foreign keys."""
    text = corpus_file("pagila", "pagila-schema.sql").read_text(encoding="utf-8")
    out = []
    for statement in split_statements(text, "postgresql"):
        sql = statement.text
        if not partitions:
            if "payment_p20" in sql:
                continue
            sql = sql.replace("PARTITION BY RANGE (payment_date)", "")
        for old, new in (
            ("public.vector(20)", "public.cube"),
            ("EXTENSION IF NOT EXISTS vector", "EXTENSION IF NOT EXISTS cube"),
            ("COMMENT ON EXTENSION vector", "COMMENT ON EXTENSION cube"),
            ("uuidv7()", "gen_random_uuid()"),
            ("USING hnsw (embedding public.vector_cosine_ops)", "USING gist (embedding)"),
        ):
            sql = sql.replace(old, new)
        out.append(re.sub(r"\) VIRTUAL$", ") STORED", sql, flags=re.MULTILINE))
    return out


def _synapse() -> list[str]:
    text = corpus_file("realworld", "synapse", "72", "full.sql.postgres").read_text(encoding="utf-8")
    return [s.text for s in split_statements(text, "postgresql")]


def _run(url: str, statements: list[str]) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)  # type: ignore[arg-type]


def _dump(url: str) -> str:
    """`pg_dump -s`, without what differs between any two databases (the restrict key,
    comments naming dump positions, the schema's owner and grants) and schemaudit's own
    bookkeeping table."""
    tool = shutil.which("pg_dump")
    if tool is None:
        pytest.skip("pg_dump is not installed")
    text = subprocess.run(
        [tool, "-s", "--no-owner", "--no-privileges", url], check=True, capture_output=True, text=True
    ).stdout
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text)]
    kept = [
        b
        for b in blocks
        if b and not b.startswith(("--", "\\restrict", "\\unrestrict")) and "schemaudit_migrations" not in b
    ]
    return "\n\n".join(kept)


def _converge(target_url: str, current_url: str) -> tuple[int, int]:
    target, current = load(target_url, LoadOptions()), load(current_url, LoadOptions())
    first = audit(target, current)
    plan = build(first.changes, first.target, first.current, PlanOptions("postgresql", allow_drop=True))
    assert not plan.kept, [k.reason for k in plan.kept]
    folder = Path(tempfile.mkdtemp(prefix="schemaudit_plan_"))
    try:
        plan_folder.write(plan, folder)
        result = apply(folder, current_url, ApplyOptions(backup=False))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert result.converged, [c.describe() for c in result.audit.changes.actionable] if result.audit else "no audit"
    again = audit(target, load(current_url, LoadOptions()))
    second = build(again.changes, again.target, again.current, PlanOptions("postgresql", allow_drop=True))
    assert second.steps == ()
    return target.objects.count(), len(plan.steps)


@pytest.fixture
def two_dbs(pg_db: Any) -> Any:
    name = f"{pg_db.name}_b"
    base = pg_db.url.rsplit("/", 1)[0]
    with psycopg.connect(pg_db.url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield pg_db.url, f"{base}/{name}"
    finally:
        with psycopg.connect(pg_db.url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def test_pagila_from_an_empty_database(two_dbs: tuple[str, str]) -> None:
    target_url, current_url = two_dbs
    _run(target_url, _pagila_for_this_server())
    objects, _ = _converge(target_url, current_url)
    assert objects >= 50  # 8 views, 10 routines, 16 triggers, 13 sequences, types, an extension
    dump = _dump(current_url)
    for kind in ("VIEW", "MATERIALIZED VIEW", "AGGREGATE", "TRIGGER", "DOMAIN", "SEQUENCE", "EXTENSION", "FUNCTION"):
        assert f"CREATE {kind}" in dump
    assert dump == _dump(target_url)


def test_pagila_with_its_partitions_from_an_empty_database(two_dbs: tuple[str, str]) -> None:
    """The payment partitions with their own indexes and foreign keys (18 of each, declared
    on each partition, not on payment): created after their partition, the same dump."""
    target_url, current_url = two_dbs
    _run(target_url, _pagila_for_this_server(partitions=True))
    _converge(target_url, current_url)
    dump = _dump(current_url)
    assert "CREATE INDEX idx_fk_payment_p2022_01_customer_id ON public.payment_p2022_01" in dump
    assert "ADD CONSTRAINT payment_p2022_01_customer_id_fkey FOREIGN KEY" in dump
    assert dump == _dump(target_url)


def test_synapse_from_an_empty_database(two_dbs: tuple[str, str]) -> None:
    target_url, current_url = two_dbs
    _run(target_url, _synapse())
    objects, _ = _converge(target_url, current_url)
    assert objects >= 12  # its sequences, a function and a trigger
    assert _dump(current_url) == _dump(target_url)


def test_an_index_on_an_extension_operator_class_from_an_empty_database(two_dbs: tuple[str, str]) -> None:
    """The extension (and the function an index calls) exist before the tables' steps."""
    target_url, current_url = two_dbs
    _run(
        target_url,
        [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE FUNCTION lower_all(text[]) RETURNS text[] LANGUAGE sql IMMUTABLE"
            " AS $$ SELECT array_agg(lower(x)) FROM unnest($1) AS x $$",
            "CREATE TABLE names (name text, tags text[])",
            "CREATE INDEX names_trgm ON names USING gin (name gin_trgm_ops)",
            "CREATE INDEX names_tags ON names (lower_all(tags))",
        ],
    )
    _converge(target_url, current_url)
    assert _dump(current_url) == _dump(target_url)


def test_without_allow_drop_extra_objects_are_kept_even_around_a_retype(two_dbs: tuple[str, str]) -> None:
    """An extra view (like an extra table) stays unless drops are asked for; one that reads
    a column being retyped is dropped for the ALTER and created again as it was."""
    target_url, current_url = two_dbs
    _run(target_url, ["CREATE TABLE users (id integer PRIMARY KEY, age bigint)"])
    _run(
        current_url,
        [
            "CREATE TABLE users (id integer PRIMARY KEY, age integer)",
            "CREATE VIEW ages AS SELECT age FROM users",
            "CREATE FUNCTION helper() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$",
        ],
    )
    target, current = load(target_url, LoadOptions()), load(current_url, LoadOptions())
    first = audit(target, current)
    plan = build(first.changes, first.target, first.current, PlanOptions("postgresql"))
    assert sorted(k.change.describe() for k in plan.kept) == [
        "Function helper() is not in the target.",
        "View ages is not in the target.",
    ]
    folder = Path(tempfile.mkdtemp(prefix="schemaudit_plan_"))
    try:
        plan_folder.write(plan, folder)
        apply(folder, current_url, ApplyOptions(backup=False))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    after = load(current_url, LoadOptions())
    assert [v.name for v in after.objects.views] == ["ages"]
    users = after.table("users")
    assert users is not None and users.columns[1].type.raw == "bigint"
