"""Data checks and `--fill` on real databases: a plan whose steps would fail on the rows stops
before changing anything (naming table, column and count); with the values given, it converges
and the rows hold them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from schemaudit.cli import main
from tests.conftest import ScratchDb, _psycopg_url, _pymysql_connect, _with_database

CURRENT = [
    "CREATE TABLE users (id integer PRIMARY KEY, name varchar(20), email varchar(40))",
    "INSERT INTO users VALUES (1, 'ann', 'a@x'), (2, NULL, 'b@x'), (3, NULL, 'a@x')",
]
TARGET = [
    "CREATE TABLE users (id integer PRIMARY KEY, name varchar(20) NOT NULL, email varchar(40), score integer NOT NULL)",
]


def check(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    pair: list[str],
    apply_args: list[str],
    rows: Callable[[], list[tuple[Any, ...]]],
) -> None:
    assert main(["plan", *pair]) == 2
    err = capsys.readouterr().err
    assert "2 data problems stop this plan (no plan written)" in err
    assert "users.score: 3 existing row(s) of users would have no value for the new NOT NULL column score" in err
    assert "users.name: 2 row(s) of users hold NULL in name, which becomes NOT NULL" in err
    assert len(err.strip().splitlines()) == 1
    fills = ["--fill", "users.name='unknown'", "--fill", "users.score=id * 10"]
    assert main(["plan", *pair, *fills, "-o", str(tmp_path / "plan")]) == 0
    assert main(["apply", "--plan", str(tmp_path / "plan"), *apply_args]) == 0
    assert rows() == [(1, "ann", 10), (2, "unknown", 20), (3, "unknown", 30)]
    assert main(["plan", *pair, "--fill", "users.nope=1"]) == 2
    assert "--fill users.nope: the plan neither adds" in capsys.readouterr().err


def test_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, sql in (("current.db", CURRENT), ("target.db", TARGET)):
        with closing(sqlite3.connect(tmp_path / name)) as conn:
            conn.executescript(";".join(sql) + ";")
            conn.commit()
    db = f"sqlite:///{tmp_path / 'current.db'}"
    pair = ["--target", f"sqlite:///{tmp_path / 'target.db'}", "--current", db]

    def rows() -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(tmp_path / "current.db")) as conn:
            return conn.execute("SELECT id, name, score FROM users ORDER BY id").fetchall()

    check(capsys, tmp_path, pair, ["--db", db, "--no-backup"], rows)


@pytest.mark.postgresql
def test_postgresql(pg_db: ScratchDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import psycopg

    pg_db.execute([";".join(CURRENT), "CREATE SCHEMA t", "SET search_path TO t; " + ";".join(TARGET)])
    pair = ["--target", pg_db.url, "--target-schema", "t", "--current", pg_db.url]

    def rows() -> list[tuple[Any, ...]]:
        with psycopg.connect(_psycopg_url(pg_db.url)) as conn:
            return conn.execute("SELECT id, name, score FROM public.users ORDER BY id").fetchall()

    check(capsys, tmp_path, pair, ["--db", pg_db.url], rows)


@pytest.mark.mysql
def test_mysql(mysql_db: ScratchDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target_db = mysql_db.name + "_t"
    mysql_db.execute([*CURRENT, f"CREATE DATABASE `{target_db}`", f"USE `{target_db}`", *TARGET])
    try:
        pair = ["--target", _with_database(mysql_db.url, target_db), "--current", mysql_db.url]

        def rows() -> list[tuple[Any, ...]]:
            conn = _pymysql_connect(mysql_db.url)
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT id, name, score FROM users ORDER BY id")
                    return list(cur.fetchall())
            finally:
                conn.close()

        check(capsys, tmp_path, pair, ["--db", mysql_db.url], rows)
    finally:
        mysql_db.execute([f"DROP DATABASE IF EXISTS `{target_db}`"])
