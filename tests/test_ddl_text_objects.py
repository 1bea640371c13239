"""A PostgreSQL DDL file's functions, triggers, sequences, enum types and extensions, read
from its text when no scratch server is given, compare with the database built from it on
the facts the text states exactly; a change of any of them on the database is found. Views,
a trigger's WHEN and SQL-standard bodies stay listed as not audited, with the hint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemaudit.audit import audit
from schemaudit.pg_words import trigger_call, words
from schemaudit.sources import load
from tests.conftest import ScratchDb
from tests.test_cli import run
from tests.test_ddl_source import pg_run, write

DDL = """
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;
COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';
CREATE TYPE public.mood AS ENUM ('sad', 'ok');
CREATE TABLE public.users (id integer PRIMARY KEY, age integer, touched timestamptz, m public.mood, doc tsvector);
-- pg_dump's layout
CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.touched := now();  -- spelled by hand
    RETURN NEW;
END $$;
COMMENT ON FUNCTION public.touch() IS 'keeps touched';
-- written by hand: clauses after the body, a quoted language, a '' in a quoted body
CREATE OR REPLACE FUNCTION add1(a int) RETURNS int AS 'select a + 1 -- it''s one' LANGUAGE 'sql' IMMUTABLE STRICT;
CREATE FUNCTION secret(OUT n bigint) SECURITY DEFINER STABLE LANGUAGE sql AS $body$ select 1::bigint $body$;
CREATE FUNCTION add2(a integer) RETURNS integer LANGUAGE sql RETURN a + 2;
CREATE TRIGGER users_touch BEFORE UPDATE OR INSERT ON public.users FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TRIGGER users_doc BEFORE INSERT ON users FOR EACH ROW
    EXECUTE PROCEDURE tsvector_update_trigger(doc, 'pg_catalog.english', age);
CREATE TRIGGER users_count AFTER DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION touch();
CREATE TRIGGER users_when BEFORE UPDATE ON users FOR EACH ROW WHEN (OLD.age IS DISTINCT FROM NEW.age)
    EXECUTE FUNCTION touch();
ALTER TABLE users DISABLE TRIGGER users_count;
COMMENT ON TRIGGER users_touch ON public.users IS 'touch on write';
CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18;
CREATE SEQUENCE public.tickets START WITH 100 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE down AS integer INCREMENT -1 CACHE 5 CYCLE;
CREATE SEQUENCE owned MINVALUE 10;
ALTER SEQUENCE owned OWNED BY users.age;
COMMENT ON SEQUENCE tickets IS 'ticket numbers';
"""


def test_a_dollar_quoted_body_is_its_text_between_the_delimiters() -> None:
    body = [w for w in words("CREATE FUNCTION f() AS $x$\n  a $$ b\n$x$ LANGUAGE sql") if w.kind == "string"]
    assert [w.text for w in body] == ["\n  a $$ b\n"]
    assert trigger_call("... EXECUTE FUNCTION public.f(x, 'a''b', 3)", "public") == ("f", ("x", "a'b", "3"))
    assert trigger_call('... EXECUTE FUNCTION other."F"()', "public") == ('other."F"', ())


def test_block_comments_nest_as_postgresql_nests_them() -> None:
    """`/* a /* b */ c */` is one comment: the words after its first `*/` are comment too."""
    assert [w.text for w in words("SELECT /* a /* b */ c */ 1 /* open /* */")] == ["SELECT", "1"]
    call = "... EXECUTE FUNCTION f(/* x /* 'not' */ y */ 'kept')"
    assert trigger_call(call, "public") == ("f", ("kept",))


@pytest.mark.postgresql
def test_text_objects_match_the_database_built_from_the_file(pg_db: ScratchDb, tmp_path: Path) -> None:
    pg_run(pg_db, DDL)
    target = load(f"ddl:{write(tmp_path, 'schema.sql', DDL)}?dialect=postgresql")
    objects = target.objects
    assert [r.name for r in objects.routines] == ["add1(integer)", "secret()", "touch()"]
    assert [t.name for t in objects.triggers] == ["users_count", "users_doc", "users_touch"]
    assert [(s.name, s.start, s.owned_by) for s in objects.sequences] == [
        ("down", -1, None),
        ("owned", 10, "users.age"),
        ("tickets", 100, None),
    ]
    assert [(o.kind, o.name, o.table) for o in target.not_audited] == [
        ("function", "add2(integer)", None),
        ("trigger", "users_when", "users"),
        ("view", "adults", None),
    ]
    assert all(o.reason and "--scratch-url" in o.reason for o in target.not_audited)
    assert audit(target, load(pg_db.url)).findings == ()


# (statement run on the database, the finding's code and the facts it names)
MUTATIONS = [
    (
        "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    RETURN NEW;\nEND $$",
        "SA223",
        "body",
    ),
    ("ALTER FUNCTION add1(integer) VOLATILE", "SA223", "volatility"),
    ("ALTER FUNCTION secret() SECURITY INVOKER", "SA223", "security_definer"),
    ("DROP TRIGGER users_touch ON users", "SA201", ""),
    ("ALTER TABLE users ENABLE TRIGGER users_count", "SA203", "enabled"),
    (
        "DROP TRIGGER users_doc ON users; CREATE TRIGGER users_doc BEFORE INSERT ON users FOR EACH ROW "
        "EXECUTE FUNCTION tsvector_update_trigger(doc, 'pg_catalog.simple', age)",
        "SA203",
        "function",
    ),
    ("ALTER SEQUENCE tickets INCREMENT 2", "SA233", "increment"),
    ("ALTER SEQUENCE owned OWNED BY NONE", "SA233", "owned_by"),
    ("ALTER TYPE mood ADD VALUE 'glad'", "SA243 SA123", "values"),  # and its column, as between two databases
    ("CREATE FUNCTION extra() RETURNS int LANGUAGE sql AS 'select 1'", "SA222", ""),
]


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("sql", "code", "fact"), MUTATIONS, ids=[m[1].split()[0] + "-" + (m[2] or "add-drop") for m in MUTATIONS]
)
def test_a_change_on_the_database_is_found(pg_db: ScratchDb, tmp_path: Path, sql: str, code: str, fact: str) -> None:
    pg_run(pg_db, DDL)
    pg_run(pg_db, sql)
    target = load(f"ddl:{write(tmp_path, 'schema.sql', DDL)}?dialect=postgresql")
    findings = [f for f in audit(target, load(pg_db.url)).findings if not f.code.startswith("SA29")]  # comments
    assert [f.code for f in findings] == code.split(), [f.message for f in findings]
    assert fact in findings[0].message


@pytest.mark.postgresql
def test_a_plan_from_an_empty_database_creates_them_and_converges(pg_db: ScratchDb, tmp_path: Path) -> None:
    file = write(
        tmp_path, "schema.sql", DDL.replace("CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18;", "")
    )
    spec = f"ddl:{file}?dialect=postgresql"
    plan = tmp_path / "plan"
    assert run("plan", "--target", spec, "--current", pg_db.url, "-o", str(plan)).returncode == 0
    applied = run("apply", "--plan", str(plan), "--db", pg_db.url)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    done = run("audit", "--target", spec, "--current", pg_db.url, "--format", "json", "--fail-on", "info")
    report = json.loads(done.stdout)
    # add2 and users_when are only listed: not planned, and no finding on either side
    assert [f["code"] for f in report["findings"]] == [], report["findings"]


def test_a_later_drop_removes_and_a_clean_dump_creates_again(tmp_path: Path) -> None:
    """pg_dump --clean drops each object before it creates it; a DROP after a CREATE removes it."""
    text = (
        "CREATE TABLE t (id integer PRIMARY KEY);\n"
        "DROP TRIGGER IF EXISTS t_touch ON public.t;\nDROP FUNCTION IF EXISTS public.touch();\n"
        "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
        "CREATE TRIGGER t_touch BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch();\n"
        "CREATE FUNCTION gone(a integer) RETURNS integer LANGUAGE sql AS 'select a';\n"
        "DROP FUNCTION gone(integer);\n"
    )
    schema = load(f"ddl:{write(tmp_path, 'clean.sql', text)}?dialect=postgresql")
    assert [r.name for r in schema.objects.routines] == ["touch()"]
    assert [t.name for t in schema.objects.triggers] == ["t_touch"]
    assert not any(o.name.startswith("gone") for o in schema.not_audited)
