"""Golden plans: representative (current, desired) pairs per dialect, built on real databases,
planned, and compared exactly with the expected SQL script and Alembic revision. Each plan
is also run both ways — `schemaudit apply` on one copy of the current schema, `alembic upgrade
head` on another — and both must converge to the desired schema.

Regenerate after a deliberate change: SCHEMAUDIT_UPDATE_GOLDEN=1 pytest tests/test_plan_golden.py
and review the diff (it is the behaviour change).
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from schemaudit.apply.run import ApplyOptions, apply
from schemaudit.audit import Audit, Config, audit
from schemaudit.commands.plan import _dependents
from schemaudit.model import Schema
from schemaudit.plan import Plan, PlanOptions, build
from schemaudit.plan import folder as plan_folder
from schemaudit.plan.alembic_script import file_name, render
from schemaudit.plan.dialects.sqlite import parse_version
from schemaudit.plan.render_sql import script
from schemaudit.sources import LoadOptions, load
from tests.conftest import ScratchDb
from tests.convergence.harness import DATE, Pair, read_pair, statements

GOLDEN = Path(__file__).parent / "golden_plans"
UPDATE = os.environ.get("SCHEMAUDIT_UPDATE_GOLDEN") == "1"
ALEMBIC_ENV = """
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
section = config.get_section(config.config_ini_section)
engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""


def cases(dialect: str) -> list[str]:
    return sorted(p.name.removesuffix(".pair.sql") for p in (GOLDEN / dialect).glob("*.pair.sql"))


def check_or_update(path: Path, actual: str) -> None:
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist and was written; review it and run again")
        return
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs (SCHEMAUDIT_UPDATE_GOLDEN=1 to regenerate)"


@dataclass
class Places:
    """Where one case lives: build(name, sql), load(name), the apply URL and schema, the
    SQLAlchemy URL for Alembic."""

    dialect: str
    build: Callable[[str, str], None]
    load: Callable[[str], Schema]
    url: Callable[[str], str]
    schema: Callable[[str], str | None]
    alembic_url: Callable[[str], str]
    dependents: Callable[[str], tuple[tuple[str, str, str, str], ...]] = lambda _: ()


def plan_for(pair: Pair, places: Places) -> tuple[Plan, Audit, Config]:
    for name, sql in (
        ("current", pair.current),
        ("apply_copy", pair.current),
        ("alembic_copy", pair.current),
        ("desired", pair.desired),
    ):
        places.build(name, sql)
    target = replace(places.load("desired"), origin="desired")
    current = replace(places.load("current"), origin="current")
    config = Config(hints=pair.hints)
    result = audit(target, current, config)
    version = pair.options.get("sqlite_version")
    options = PlanOptions(
        places.dialect,
        allow_drop=True,
        date=DATE,
        sqlite_version=parse_version(version) if version else None,
        concurrent_indexes=pair.options.get("concurrent") == "yes",
        dependent_sql=places.dependents("current"),
    )
    return build(result.changes, result.target, result.current, options), result, config


def run_case(dialect: str, case: str, places: Places, tmp_path: Path) -> None:
    pair = read_pair(GOLDEN / dialect / f"{case}.pair.sql", case)
    plan, first, config = plan_for(pair, places)
    check_or_update(GOLDEN / dialect / f"{case}.plan.sql", script(plan))
    revision = render(plan)
    check_or_update(GOLDEN / dialect / f"{case}.alembic.py", revision)
    # the SQL plan, through schemaudit apply
    plan_folder.write(plan, tmp_path / "plan")
    applied = apply(
        tmp_path / "plan",
        places.url("apply_copy"),
        ApplyOptions(schema=places.schema("apply_copy"), config=config, backup=False),
    )
    assert applied.audit is not None and not applied.audit.changes.actionable, [
        c.describe() for c in applied.audit.changes.actionable
    ]
    # the Alembic revision, through `alembic upgrade head`, as written
    from alembic import command
    from alembic.config import Config as AlembicConfig

    scripts = tmp_path / "alembic"
    (scripts / "versions").mkdir(parents=True)
    (scripts / "env.py").write_text(ALEMBIC_ENV, encoding="utf-8")
    (scripts / "versions" / file_name(plan)).write_text(revision, encoding="utf-8")
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(scripts))
    cfg.set_main_option("sqlalchemy.url", places.alembic_url("alembic_copy").replace("%", "%%"))
    command.upgrade(cfg, "head")
    after = audit(first.target, places.load("alembic_copy"), config)
    assert not after.changes.actionable, [c.describe() for c in after.changes.actionable]


# ---- SQLite -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases("sqlite"))
def test_golden_plan_sqlite(case: str, tmp_path: Path) -> None:
    def path(name: str) -> str:
        return str(tmp_path / f"{name}.db")

    def build_db(name: str, sql: str) -> None:
        with closing(sqlite3.connect(path(name))) as conn:
            conn.executescript(sql)

    places = Places(
        "sqlite",
        build_db,
        lambda n: load(f"sqlite:///{path(n)}"),
        lambda n: f"sqlite:///{path(n)}",
        lambda n: None,
        lambda n: f"sqlite:///{path(n)}",
        lambda n: _dependents(f"sqlite:///{path(n)}", "sqlite"),
    )
    run_case("sqlite", case, places, tmp_path)


# ---- PostgreSQL: one scratch database, a schema per copy ----------------------------------------


@pytest.mark.postgresql
@pytest.mark.parametrize("case", cases("postgresql"))
def test_golden_plan_postgresql(case: str, pg_db: ScratchDb, tmp_path: Path) -> None:
    def build_schema(name: str, sql: str) -> None:
        pg_db.execute([f'CREATE SCHEMA "{name}"', f'SET search_path TO "{name}"; ' + ";\n".join(statements(sql))])

    places = Places(
        "postgresql",
        build_schema,
        lambda n: load(pg_db.url, LoadOptions(schema=n)),
        lambda n: pg_db.url,
        lambda n: n,
        lambda n: pg_db.url.replace("postgresql://", "postgresql+psycopg://", 1) + f"?options=-csearch_path%3D{n}",
    )
    run_case("postgresql", case, places, tmp_path)


# ---- MariaDB / MySQL: a database per copy -----------------------------------------------------


@pytest.fixture
def mysql_places(mysql_db: ScratchDb) -> Iterator[Places]:
    from tests.conftest import _pymysql_connect, _with_database

    prefix = f"{mysql_db.name}_{uuid.uuid4().hex[:4]}"
    admin: Any = _pymysql_connect(mysql_db.url, database="")

    def db(name: str) -> str:
        return f"{prefix}_{name}"

    def build_db(name: str, sql: str) -> None:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{db(name)}`")
            cur.execute(f"USE `{db(name)}`")
            cur.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')")
            for statement in statements(sql):
                cur.execute(statement)
            cur.execute("SET SESSION sql_mode = REPLACE(@@sql_mode, 'ANSI_QUOTES', '')")

    def url(name: str) -> str:
        return _with_database(mysql_db.url, db(name))

    try:
        yield Places("mysql", build_db, lambda n: load(url(n)), url, lambda n: None, url)
    finally:
        with admin.cursor() as cur:
            for name in ("current", "apply_copy", "alembic_copy", "desired"):
                cur.execute(f"DROP DATABASE IF EXISTS `{db(name)}`")
        admin.close()


@pytest.mark.mysql
@pytest.mark.parametrize("case", cases("mysql"))
def test_golden_plan_mysql(case: str, mysql_places: Places, tmp_path: Path) -> None:
    run_case("mysql", case, mysql_places, tmp_path)
