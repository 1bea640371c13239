"""PostgreSQL objects a pg_dump holds beyond tables (issue 15 item 16): UNLOGGED tables are
modelled, compared and planned; operators, operator classes and families, collations, text
search configurations, composite and range types are listed as not audited, by the same
names from the file and from the database built from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemaudit.diff import compare
from schemaudit.model import SchemaObject
from schemaudit.sources import load
from tests.conftest import ScratchDb
from tests.test_cli import run

DUMP = """
CREATE COLLATION public.german (provider = icu, locale = 'de-DE');
CREATE TEXT SEARCH CONFIGURATION public.my_english (
    PARSER = pg_catalog."default" );
CREATE TYPE public.pair AS (
	a integer,
	b text
);
CREATE TYPE public.floatrange AS RANGE (
    subtype = double precision,
    subtype_diff = float8mi
);
CREATE OPERATOR public.=== (
    FUNCTION = int4eq,
    LEFTARG = integer,
    RIGHTARG = integer
);
CREATE OPERATOR public.!! (
    FUNCTION = int8um,
    RIGHTARG = bigint
);
CREATE OPERATOR FAMILY public.my_int_ops USING btree;
CREATE OPERATOR CLASS public.my_int_ops
    FOR TYPE integer USING btree FAMILY public.my_int_ops AS
    OPERATOR 1 <(integer,integer) ,
    OPERATOR 3 =(integer,integer) ,
    FUNCTION 1 (integer, integer) btint4cmp(integer,integer);
CREATE UNLOGGED TABLE public.cache (
    k text NOT NULL,
    v text
);
ALTER TABLE ONLY public.cache
    ADD CONSTRAINT cache_pkey PRIMARY KEY (k);
"""
NOT_AUDITED = {
    SchemaObject("collation", "german"),
    SchemaObject("text search configuration", "my_english"),
    SchemaObject("composite type", "pair"),
    SchemaObject("range type", "floatrange"),
    SchemaObject("operator", "===(integer,integer)"),
    SchemaObject("operator", "!!(NONE,bigint)"),
    SchemaObject("operator family", "my_int_ops"),
    SchemaObject("operator class", "my_int_ops"),
}


@pytest.mark.postgresql
def test_dump_objects_listed_and_unlogged_read_alike(pg_db: ScratchDb, tmp_path: Path) -> None:
    pg_db.execute(DUMP)
    path = tmp_path / "dump.sql"
    path.write_text(DUMP)
    ddl, live = load(f"ddl:{path}?dialect=postgresql"), load(pg_db.url)
    assert set(ddl.not_audited) >= NOT_AUDITED
    assert set(live.not_audited) >= NOT_AUDITED
    assert ddl.table("cache").options.unlogged and live.table("cache").options.unlogged  # type: ignore[union-attr]
    assert [c.describe() for c in compare(ddl, live)] == []
    result = run("audit", "--target", f"ddl:{path}?dialect=postgresql", "--current", pg_db.url, "--fail-on", "info")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.postgresql
def test_unlogged_difference_is_found_and_planned(pg_db: ScratchDb, tmp_path: Path) -> None:
    pg_db.execute("CREATE TABLE cache (k text PRIMARY KEY, v text)")
    path = tmp_path / "schema.sql"
    path.write_text("CREATE UNLOGGED TABLE public.cache (k text PRIMARY KEY, v text);")
    audit = run("audit", "--target", f"ddl:{path}?dialect=postgresql", "--current", pg_db.url, "--fail-on", "warning")
    assert audit.returncode == 1
    assert "Table cache options are the default options, target UNLOGGED." in audit.stdout
    plan = tmp_path / "plan"
    assert run("plan", "--target", f"ddl:{path}", "--current", pg_db.url, "-o", str(plan)).returncode == 0
    assert 'ALTER TABLE "cache" SET UNLOGGED' in "".join(p.read_text() for p in plan.glob("2*.sql"))
    applied = run("apply", "--plan", str(plan), "--db", pg_db.url)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert load(pg_db.url).table("cache").options.unlogged  # type: ignore[union-attr]
