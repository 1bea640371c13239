"""Objects beyond tables in SQLAlchemy models: what `create_all` makes through DDL listeners,
sequences and view recipes (tests/data/models_ddl/shop_models.py) is listed as not audited
with the reason, and with a scratch server read back and compared like a live database's."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import psycopg
import pytest
import sqlalchemy as sa

from schemaudit.audit import audit
from schemaudit.errors import SourceError
from schemaudit.sources import LoadOptions, load
from schemaudit.sources.models.listed import NOT_AUDITED
from tests.conftest import MYSQL_URL, PG_URL, ScratchDb

DATA = Path(__file__).parent / "data" / "models_ddl"
SPEC = "models:shop_models:Base"
PG_SERVER = PG_URL.rsplit("/", 1)[0] + "/postgres"
MYSQL_SERVER = MYSQL_URL.rsplit("/", 1)[0] + "/mysql"


@pytest.fixture
def shop(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    monkeypatch.syspath_prepend(str(DATA))
    yield importlib.import_module("shop_models")
    sys.modules.pop("shop_models", None)


def _built(module: ModuleType, url: str, driver: str) -> None:
    """The database the models' `create_all` builds, plus the view a migration would add."""
    engine = sa.create_engine(url.replace(url.split("://", 1)[0], driver, 1))
    tables = [t for t in module.Base.metadata.sorted_tables if not t.info.get("is_view")]
    try:
        module.Base.metadata.create_all(engine, tables=tables)
        with engine.begin() as conn:
            view = "CREATE VIEW order_totals AS SELECT status, sum(total) AS revenue FROM orders GROUP BY status"
            conn.execute(sa.text(view))
    finally:
        engine.dispose()


def test_without_a_server_each_object_is_listed_with_its_reason() -> None:
    schema = load(SPEC, LoadOptions(path=(str(DATA),), dialect="postgresql"))
    assert schema.objects.kinds == ()
    listed = {(o.kind, o.name, o.table, o.reason) for o in schema.not_audited}
    assert listed == {
        ("function", "touch", None, NOT_AUDITED),
        ("trigger", "orders_touch", "orders", NOT_AUDITED),
        ("sequence", "invoice_number_seq", None, NOT_AUDITED),
        ("view", "open_orders", None, NOT_AUDITED),
        ("view", "order_totals", None, "a Table marked info={'is_view': True}"),
    }
    assert schema.table_names == ("orders",)  # the view-table is not a table to create
    mysql = load(SPEC, LoadOptions(path=(str(DATA),), dialect="mysql"))
    assert {(o.kind, o.name) for o in mysql.not_audited} == {
        ("trigger", "orders_touch"),  # the PostgreSQL function and trigger are execute_if(dialect="postgresql")
        ("view", "open_orders"),
        ("view", "order_totals"),
    }


@pytest.mark.postgresql
def test_postgresql_objects_read_on_a_scratch_server_match_the_built_database(
    shop: ModuleType, pg_db: ScratchDb
) -> None:
    _built(shop, pg_db.url, "postgresql+psycopg")
    target = load(SPEC, LoadOptions(path=(str(DATA),), dialect="postgresql", scratch_url=PG_SERVER))
    assert [t.name for t in target.objects.triggers] == ["orders_touch"]
    assert [r.name for r in target.objects.routines] == ["touch()"]
    assert [(s.name, s.start, s.increment) for s in target.objects.sequences] == [("invoice_number_seq", 1000, 10)]
    assert [v.name for v in target.objects.views] == ["open_orders"]
    assert [e.values for e in target.objects.enums] == [("open", "shipped")]
    assert {(o.kind, o.name) for o in target.not_audited} == {("view", "order_totals")}
    assert audit(target, load(pg_db.url)).findings == ()
    with psycopg.connect(pg_db.url, autocommit=True) as conn:
        conn.execute("DROP TRIGGER orders_touch ON orders")
        conn.execute(
            "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END$$"
        )
    found = audit(target, load(pg_db.url)).findings
    assert len(found) == 2, [f.message for f in found]  # the trigger is missing, the function changed
    assert "SA201" in {f.code for f in found}


@pytest.mark.mysql
def test_mysql_trigger_read_on_a_scratch_server_matches_the_built_database(
    shop: ModuleType, mysql_db: ScratchDb
) -> None:
    _built(shop, mysql_db.url, "mysql+pymysql")
    target = load(SPEC, LoadOptions(path=(str(DATA),), dialect="mysql", scratch_url=MYSQL_SERVER))
    assert [t.name for t in target.objects.triggers] == ["orders_touch"]
    assert audit(target, load(mysql_db.url)).findings == ()
    mysql_db.execute("DROP TRIGGER orders_touch")
    assert [f.code for f in audit(target, load(mysql_db.url)).findings] == ["SA201"]


def test_a_scratch_server_of_another_dialect_is_one_clear_error() -> None:
    with pytest.raises(SourceError, match="read for mysql but the scratch server is not mysql"):
        load(SPEC, LoadOptions(path=(str(DATA),), dialect="mysql", scratch_url=PG_SERVER))


def test_a_listener_statement_is_cut_as_the_server_would() -> None:
    """A listener's DDL with comments and several statements (as postgresql-audit writes its
    functions and operator), and a query it runs with its value written in."""
    from schemaudit.model import SchemaObject
    from schemaudit.sources.models.listed import objects_of

    statements = [
        "-- http://example.org/jsonb-minus\nDROP FUNCTION IF EXISTS jsonb_subtract(jsonb, jsonb);\n"
        "CREATE OR REPLACE FUNCTION jsonb_subtract(a jsonb, b jsonb) RETURNS jsonb AS $$ SELECT a; $$ LANGUAGE sql;\n"
        "CREATE OPERATOR - (LEFTARG = jsonb, RIGHTARG = jsonb, PROCEDURE = jsonb_subtract);",
        "\0CREATE TABLE article (id INTEGER NOT NULL)",
        "SELECT audit_table('article') AS audit_table_1",
    ]
    assert objects_of(statements, "postgresql") == [
        SchemaObject("DDL statement", "SELECT audit_table('article') AS audit_table_1", None, NOT_AUDITED),
        SchemaObject("function", "jsonb_subtract", None, NOT_AUDITED),
        SchemaObject("operator", "-", None, NOT_AUDITED),
    ]
