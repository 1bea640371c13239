"""`schemaudit.apply.run` on PostgreSQL and MariaDB: converge, do nothing the second time, stop at a
failing step with the database as it was before it, and treat hostile names as names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from schemaudit.apply.db import ApplyError
from schemaudit.apply.preflight import DataProblem
from schemaudit.apply.run import ApplyOptions, apply
from schemaudit.audit import audit
from schemaudit.plan import PlanOptions, build
from schemaudit.plan import folder as plan_folder
from schemaudit.sources import LoadOptions, load
from tests.conftest import ScratchDb

HOSTILE = 'a"; DROP TABLE x; --'


def q(name: str, dialect: str) -> str:
    if dialect == "mysql":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def pair_sql(dialect: str) -> tuple[list[str], list[str]]:
    t = q(HOSTILE, dialect)
    text = "varchar(40)"
    current = [
        "CREATE TABLE x (id integer PRIMARY KEY)",
        "INSERT INTO x VALUES (1)",
        f"CREATE TABLE {t} (id integer PRIMARY KEY, v {text})",
        f"INSERT INTO {t} VALUES (1, 'one'), (2, NULL)",
        "CREATE TABLE notes (id integer PRIMARY KEY, body varchar(40))",
        "INSERT INTO notes VALUES (1, 'n')",
    ]
    desired = [
        "CREATE TABLE x (id integer PRIMARY KEY)",
        f"CREATE TABLE {t} (id integer PRIMARY KEY, v {text} NOT NULL, {q('we' + chr(39) + 'ird', dialect)} integer)",
        f"CREATE INDEX {q('i; DROP TABLE x', dialect)} ON {t} (v)",
        "CREATE TABLE notes (id integer PRIMARY KEY, body varchar(40), n integer DEFAULT 0)",
    ]
    return current, desired


def run(places: dict[str, Any], dialect: str, tmp_path: Path) -> tuple[Path, Any]:
    current, target = places["load"]("current"), places["load"]("desired")
    result = audit(target, current)
    plan = build(result.changes, result.target, result.current, PlanOptions(dialect, date=dt.date(2026, 2, 21)))
    plan_folder.write(plan, tmp_path / "plan")
    return tmp_path / "plan", plan


def check_hostile_run(places: dict[str, Any], dialect: str, tmp_path: Path) -> None:
    folder, plan = run(places, dialect, tmp_path)
    url, schema = places["url"], places["schema"]
    # the data check counts the NULL first and stops before any change
    with pytest.raises(DataProblem, match=r"^the data stops this plan \(nothing was changed\): .*\.v: 1 row\(s\)"):
        apply(folder, url, ApplyOptions(schema=schema))
    assert places["tables"]() == {"x", HOSTILE, "notes"} and places["columns"]("notes") == {"id", "body"}
    # without it, the step itself fails
    with pytest.raises(ApplyError) as failure:
        apply(folder, url, ApplyOptions(schema=schema, check_data=False))
    message = str(failure.value)
    failed = next(s.id for s in plan.steps if s.id in message)
    assert f"step {failed} (" in message and "(nullable)) failed: " in message
    # the failing step (v NOT NULL over a NULL) changed nothing
    assert places["nullable"](HOSTILE, "v")
    if dialect == "postgresql":  # one transaction: the steps before it are undone as well
        assert "the whole plan was rolled back" in message
        assert places["tables"]() == {"x", HOSTILE, "notes"}
        assert places["columns"]("notes") == {"id", "body"}
    else:  # implicit commits: the steps before it are recorded, and a second apply resumes
        assert places["tables"]() == {"x", HOSTILE, "notes", "schemaudit_migrations"}
    places["exec"](f"UPDATE {q(HOSTILE, dialect)} SET v = 'two' WHERE v IS NULL")
    done = apply(folder, url, ApplyOptions(schema=schema))
    assert done.converged and bool(done.skipped) is (dialect == "mysql")
    assert places["tables"]() == {"x", HOSTILE, "notes", "schemaudit_migrations"}  # nothing else happened
    assert places["count"]("x") == 1 and places["count"](HOSTILE) == 2 and places["count"]("notes") == 1
    again = apply(folder, url, ApplyOptions(schema=schema))
    assert again.applied == () and again.converged


@pytest.mark.postgresql
def test_postgresql_apply_stops_cleanly_then_converges(pg_db: ScratchDb, tmp_path: Path) -> None:
    import psycopg

    from tests.conftest import _psycopg_url

    current, desired = pair_sql("postgresql")
    pg_db.execute(["CREATE SCHEMA current", "CREATE SCHEMA desired"])
    pg_db.execute(["SET search_path TO current; " + ";".join(current)])
    pg_db.execute(["SET search_path TO desired; " + ";".join(desired)])

    def fetch(sql: str, *params: object) -> list[tuple[Any, ...]]:
        with psycopg.connect(_psycopg_url(pg_db.url), autocommit=True) as conn:
            return conn.execute(sql, params or None).fetchall()  # type: ignore[call-overload,no-any-return]

    places = {
        "load": lambda s: load(pg_db.url, LoadOptions(schema=s)),
        "url": pg_db.url,
        "schema": "current",
        "tables": lambda: {
            r[0] for r in fetch("SELECT table_name FROM information_schema.tables WHERE table_schema = 'current'")
        },
        "nullable": lambda t, c: (
            fetch(
                "SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'current' AND table_name = %s AND column_name = %s",  # noqa: E501
                t,
                c,
            )
            == [("YES",)]
        ),
        "count": lambda t: fetch(f"SELECT COUNT(*) FROM current.{q(t, 'postgresql')}")[0][0],
        "columns": lambda t: {
            r[0]
            for r in fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'current' AND table_name = %s",
                t,
            )
        },
        "exec": lambda sql: pg_db.execute([f"SET search_path TO current; {sql}"]),
    }
    check_hostile_run(places, "postgresql", tmp_path)


@pytest.mark.mysql
def test_mysql_apply_stops_cleanly_then_converges(mysql_db: ScratchDb, tmp_path: Path) -> None:
    from tests.conftest import _pymysql_connect, _with_database

    desired_db = mysql_db.name + "_d"
    current, desired = pair_sql("mysql")
    mysql_db.execute([*current, f"CREATE DATABASE `{desired_db}`"])
    desired_url = _with_database(mysql_db.url, desired_db)

    def fetch(sql: str, *params: object) -> list[tuple[Any, ...]]:
        conn = _pymysql_connect(mysql_db.url)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params or None)
                return list(cur.fetchall())
        finally:
            conn.close()

    try:
        conn = _pymysql_connect(desired_url)
        with conn.cursor() as cur:
            for statement in desired:
                cur.execute(statement)
        conn.close()
        places = {
            "load": lambda s: load(mysql_db.url if s == "current" else desired_url),
            "url": mysql_db.url,
            "schema": None,
            "tables": lambda: {
                r[0] for r in fetch("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")
            },
            "nullable": lambda t, c: (
                fetch(
                    "SELECT is_nullable FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = %s AND column_name = %s",  # noqa: E501
                    t,
                    c,
                )
                == [("YES",)]
            ),
            "count": lambda t: fetch(f"SELECT COUNT(*) FROM {q(t, 'mysql')}")[0][0],
            "columns": lambda t: {
                r[0]
                for r in fetch(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() "
                    "AND table_name = %s",
                    t,
                )
            },
            "exec": lambda sql: mysql_db.execute([sql]),
        }
        check_hostile_run(places, "mysql", tmp_path)
    finally:
        mysql_db.execute([f"DROP DATABASE IF EXISTS `{desired_db}`"])


@pytest.mark.mysql
def test_mysql_a_failure_leaves_no_constraint_missing(mysql_db: ScratchDb, tmp_path: Path) -> None:
    """DDL commits implicitly on MariaDB: the check the target drops goes after the unique
    index it adds, so when that index fails on duplicates the check is still there."""
    from tests.conftest import _pymysql_connect, _with_database

    desired_db = mysql_db.name + "_d"
    mysql_db.execute(
        [
            "CREATE TABLE a (id int PRIMARY KEY, n int, CONSTRAINT a_n_positive CHECK (n > 0))",
            "CREATE TABLE b (id int PRIMARY KEY, email varchar(40))",
            "INSERT INTO a VALUES (1, 1)",
            "INSERT INTO b VALUES (1, 'x'), (2, 'x')",
            f"CREATE DATABASE `{desired_db}`",
            f"USE `{desired_db}`",
            "CREATE TABLE a (id int PRIMARY KEY, n int)",
            "CREATE TABLE b (id int PRIMARY KEY, email varchar(40), UNIQUE KEY b_email (email))",
        ]
    )
    try:
        target, current = load(_with_database(mysql_db.url, desired_db)), load(mysql_db.url)
        result = audit(target, current)
        plan = build(result.changes, result.target, result.current, PlanOptions("mysql", date=dt.date(2026, 2, 21)))
        kinds = [s.id.split("_", 2)[2] for s in plan.steps]
        assert kinds.index("b_constraints") < kinds.index("a_drop_constraints")
        plan_folder.write(plan, tmp_path / "plan")
        with pytest.raises(DataProblem, match=r"b.email: 1 value\(s\) of b\(email\) occur more than once"):
            apply(tmp_path / "plan", mysql_db.url)
        with pytest.raises(ApplyError, match="Duplicate entry"):
            apply(tmp_path / "plan", mysql_db.url, ApplyOptions(check_data=False))
        conn = _pymysql_connect(mysql_db.url)
        try:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT constraint_name FROM information_schema.check_constraints "
                    "WHERE constraint_schema = DATABASE()"
                )
                assert [r[0] for r in cur.fetchall()] == ["a_n_positive"]
        finally:
            conn.close()
    finally:
        mysql_db.execute([f"DROP DATABASE IF EXISTS `{desired_db}`"])
