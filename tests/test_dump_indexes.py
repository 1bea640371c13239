"""pg_dump's index spellings (issue 15 item 13): schema-qualified functions and operator
classes, collations and NULLS ordering per element, read from a dump exactly as the catalog
of the database built from it reports them; differences in any of them found; plans that
rebuild such indexes valid SQL that converges."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemaudit.diff import compare
from schemaudit.model import IndexElement, Schema
from schemaudit.sources import load
from tests.conftest import ScratchDb
from tests.test_cli import run

# What pg_dump prints (PostgreSQL 15) for a schema with pg_trgm and an expression index on a
# function of its own: every name qualified with `public.`, opclasses after the element.
PREAMBLE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE FUNCTION public.initials(text[]) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$ SELECT array_to_string($1, '') $_$;
"""
DUMP = (
    PREAMBLE
    + """
CREATE TABLE public.people (
    id integer NOT NULL,
    names text,
    words character varying[],
    created timestamp with time zone,
    title text
);
ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_pkey PRIMARY KEY (id);
CREATE INDEX people_coll ON public.people USING btree (title COLLATE "C" text_pattern_ops DESC NULLS LAST);
CREATE INDEX people_init ON public.people USING gin (public.initials((words)::text[]) public.gin_trgm_ops);
CREATE INDEX people_lower ON public.people USING btree (public.initials(ARRAY[names]));
CREATE INDEX people_nf ON public.people USING btree (created NULLS FIRST, id DESC NULLS LAST);
CREATE INDEX people_pat ON public.people USING btree (lower(title) text_pattern_ops);
CREATE INDEX people_trgm ON public.people USING gin (names public.gin_trgm_ops);
CREATE INDEX people_qual_coll ON public.people USING btree (title COLLATE pg_catalog."POSIX");
CREATE INDEX people_dflt ON public.people USING btree (names text_ops);
"""
)


def _dump(tmp_path: Path) -> Path:
    path = tmp_path / "dump.sql"
    path.write_text(DUMP)
    return path


@pytest.mark.postgresql
def test_dump_index_elements_read_as_the_catalog_has_them(pg_db: ScratchDb, tmp_path: Path) -> None:
    pg_db.execute(DUMP)
    ddl = load(f"ddl:{_dump(tmp_path)}?dialect=postgresql")
    live = load(pg_db.url)
    assert [c.describe() for c in compare(ddl, live)] == []
    assert [c.describe() for c in compare(live, ddl)] == []
    people = ddl.table("people")
    assert people is not None
    by_name = {i.name: i.elements for i in people.indexes}
    # the function call and its operator class are two things, not one glued expression
    assert by_name["people_init"] == (
        IndexElement("public.initials((words)::text[])", True, opclass="public.gin_trgm_ops"),
    )
    assert by_name["people_coll"] == (IndexElement("title", False, True, "LAST", "C", "text_pattern_ops"),)
    assert by_name["people_qual_coll"] == (IndexElement("title", collation="POSIX"),)
    assert by_name["people_nf"] == (
        IndexElement("created", nulls="FIRST"),
        IndexElement("id", descending=True, nulls="LAST"),
    )
    result = run("audit", "--target", f"ddl:{_dump(tmp_path)}?dialect=postgresql", "--current", pg_db.url,
                 "--fail-on", "info", "--format", "json")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.postgresql
def test_operator_class_collation_and_nulls_differences_are_found(pg_db: ScratchDb, tmp_path: Path) -> None:
    pg_db.execute(DUMP)
    pg_db.execute(
        [
            "DROP INDEX people_pat, people_coll, people_nf, people_init",
            "CREATE INDEX people_pat ON people (lower(title))",
            'CREATE INDEX people_coll ON people (title COLLATE "POSIX" text_pattern_ops DESC NULLS LAST)',
            "CREATE INDEX people_nf ON people (created, id DESC)",
            "CREATE INDEX people_init ON people USING gin (initials(words::text[]) gin_trgm_ops) WHERE id > 0",
        ]
    )
    ddl = load(f"ddl:{_dump(tmp_path)}?dialect=postgresql")
    found = sorted(c.describe() for c in compare(ddl, load(pg_db.url)))
    assert len(found) == 4, found
    assert any("text_pattern_ops" in f and "people_pat" in f for f in found)
    assert any("COLLATE POSIX" in f and "COLLATE C" in f for f in found)
    assert any("NULLS FIRST" in f for f in found)
    # the plan rebuilds each from its parsed elements: valid SQL that converges
    plan = tmp_path / "plan"
    made = run("plan", "--target", f"ddl:{_dump(tmp_path)}?dialect=postgresql", "--current", pg_db.url, "-o", str(plan))
    assert made.returncode == 0, made.stderr
    applied = run("apply", "--plan", str(plan), "--db", pg_db.url)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert _drift(ddl, pg_db) == []


@pytest.mark.postgresql
def test_plan_from_a_dump_creates_valid_indexes(pg_db: ScratchDb, tmp_path: Path) -> None:
    """`(public.initials(...) public.gin_trgm_ops)` must never reach the database."""
    pg_db.execute(PREAMBLE)
    plan = tmp_path / "plan"
    made = run("plan", "--target", f"ddl:{_dump(tmp_path)}?dialect=postgresql", "--current", pg_db.url, "-o", str(plan))
    assert made.returncode == 0, made.stderr
    sql = "\n".join(p.read_text() for p in sorted(plan.glob("2*.sql")))
    assert "USING gin ((public.initials((words)::text[])) public.gin_trgm_ops)" in sql
    applied = run("apply", "--plan", str(plan), "--db", pg_db.url)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert _drift(load(f"ddl:{_dump(tmp_path)}?dialect=postgresql"), pg_db) == []


def _drift(target: Schema, db: ScratchDb) -> list[str]:
    """What still differs after apply, less the table apply keeps its own records in."""
    return [c.describe() for c in compare(target, load(db.url)) if "migrations" not in c.describe()]


def test_default_schema_qualification_is_no_difference() -> None:
    from schemaudit.diff.expressions import expression_key

    pairs = [
        ("public.lower(names)", "lower(names)"),
        ("public.initials((words)::text[])", "initials(words::text[])"),
        ("status::public.mood", "status::mood"),
        ("pg_catalog.lower(x) > 'a'", "lower(x) > 'a'"),
    ]
    for qualified, bare in pairs:
        assert expression_key(qualified, "postgresql") == expression_key(bare, "postgresql")
    assert expression_key("other.f(x)", "postgresql") != expression_key("f(x)", "postgresql")
