"""Live PostgreSQL: views, routines, triggers, sequences, types, extensions and policies are
read into `Schema.objects` in one bulk query, with the server's own printed definitions."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from schemaudit import snapshot
from schemaudit.model_objects import Domain, DomainCheck, EnumType, Policy, RowSecurity, Sequence
from schemaudit.sources import LoadOptions, load

DDL = [
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
    "COMMENT ON TYPE mood IS 'how it went'",
    "CREATE DOMAIN positive_int AS integer NOT NULL DEFAULT 1 CONSTRAINT positive CHECK (VALUE > 0)",
    "CREATE SEQUENCE invoice_numbers AS integer START 1000 INCREMENT 5 CACHE 10",
    "CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT x * 2 $$",
    "CREATE TABLE users (id serial PRIMARY KEY, age integer, score integer DEFAULT twice(3), m mood)",
    "CREATE SEQUENCE users_extra_seq OWNED BY users.age",
    "CREATE TABLE orders (id integer PRIMARY KEY, user_id integer, total numeric)",
    "CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18",
    "CREATE VIEW old_adults WITH (security_barrier = true) AS SELECT id FROM adults WHERE age > 60",
    "COMMENT ON VIEW adults IS 'grown-ups'",
    "CREATE MATERIALIZED VIEW totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id",
    "CREATE UNIQUE INDEX totals_user ON totals (user_id)",
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN RETURN NEW; END $$",
    "CREATE PROCEDURE noop(n integer) LANGUAGE sql AS $$ SELECT 1 $$",
    "CREATE FUNCTION newest() RETURNS SETOF orders LANGUAGE sql STABLE AS $$ SELECT * FROM orders $$",
    "CREATE TRIGGER users_touch BEFORE INSERT OR UPDATE ON users FOR EACH ROW"
    " WHEN (NEW.age IS NOT NULL) EXECUTE FUNCTION touch()",
    "ALTER TABLE users DISABLE TRIGGER users_touch",
    "ALTER TABLE orders ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE orders FORCE ROW LEVEL SECURITY",
    "CREATE POLICY own_orders ON orders FOR SELECT USING (user_id > 0)",
    "CREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq)",
]


@pytest.fixture
def objects_db(pg_db: Any) -> Any:
    pg_db.execute(DDL)
    return pg_db


def test_every_modelled_kind_is_read(objects_db: Any) -> None:
    schema = load(objects_db.url, LoadOptions())
    o = schema.objects
    assert o.enums == (EnumType("mood", ("sad", "ok", "happy"), "how it went"),)
    assert o.domains == (
        Domain("positive_int", "integer", False, "1", (DomainCheck("positive", "CHECK ((VALUE > 0))"),)),
    )
    # users_id_seq is the serial column's own (on its Identity), not an object of its own
    assert o.sequences == (
        Sequence("invoice_numbers", "integer", 1000, 5, cache=10),
        Sequence("users_extra_seq", owned_by="users.age"),
    )
    views = {v.name: v for v in o.views}
    assert set(views) == {"adults", "old_adults", "totals"}
    adults = " ".join(views["adults"].definition.split())
    assert adults == "SELECT users.id, users.age FROM users WHERE (users.age >= 18);"
    assert views["adults"].columns == ("id", "age") and views["adults"].comment == "grown-ups"
    assert views["old_adults"].depends_on == ("adults",)
    assert views["old_adults"].options == ("security_barrier=true",)
    assert views["totals"].materialized
    assert views["totals"].indexes == (
        "CREATE UNIQUE INDEX totals_user ON totals USING btree (user_id)",
    )  # schema left out
    routines = {r.name: r for r in o.routines}
    assert set(routines) == {"twice(integer)", "touch()", "noop(integer)", "newest()"}
    twice = routines["twice(integer)"]
    assert (twice.kind, twice.language, twice.volatility, twice.strict, twice.used_by_tables) == (
        "function",
        "sql",
        "immutable",
        True,
        True,
    )
    assert twice.definition.startswith("CREATE OR REPLACE FUNCTION twice(x integer)")  # schema left out
    assert routines["touch()"].security_definer and not routines["touch()"].used_by_tables
    assert routines["noop(integer)"].kind == "procedure"
    assert routines["newest()"].depends_on == ("orders",)  # its row type: created after the table
    (trigger,) = o.triggers
    assert (trigger.name, trigger.table, trigger.function, trigger.timing) == (
        "users_touch",
        "users",
        "touch",
        "BEFORE",
    )
    assert trigger.events == ("INSERT", "UPDATE") and trigger.for_each_row and trigger.enabled == "D"
    assert trigger.definition.startswith("CREATE TRIGGER users_touch BEFORE INSERT OR UPDATE ON users ")
    assert o.policies == (Policy("own_orders", "orders", "SELECT", True, ("public",), "(user_id > 0)"),)
    assert o.row_security == (RowSecurity("orders", forced=True),)
    # kinds the model does not hold are still listed
    assert [(n.kind, n.name) for n in schema.not_audited] == [("operator", "===(integer,integer)")]


def test_objects_survive_a_snapshot(objects_db: Any) -> None:
    schema = load(objects_db.url, LoadOptions())
    assert snapshot.loads(snapshot.dumps(schema)) == schema


def test_aggregates_get_a_definition_that_recreates_them(objects_db: Any) -> None:
    objects_db.execute(
        [
            "CREATE FUNCTION cat(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT $1 || $2 $$",
            "CREATE AGGREGATE cat_all(text) (SFUNC = cat, STYPE = text, INITCOND = '')",
        ]
    )
    schema = load(objects_db.url, LoadOptions())
    (agg,) = [r for r in schema.objects.routines if r.kind == "aggregate"]
    assert agg.name == "cat_all(text)" and agg.depends_on == ("cat(text,text)",)
    with psycopg.connect(objects_db.url) as conn:  # the printed statement runs
        conn.execute("DROP AGGREGATE cat_all(text)")
        conn.execute(agg.definition)
    again = load(objects_db.url, LoadOptions())
    assert [r for r in again.objects.routines if r.kind == "aggregate"] == [agg]
