"""The `python:` source: a schema-building function run in a child process on a scratch
SQLite file. Each test writes a small module the way projects write them and runs it for
real (no mocks: the child process, SQLite and SQLAlchemy are the real ones)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from schemaudit.errors import SourceError
from schemaudit.model import Origin
from schemaudit.sources import load
from tests.test_cli import assert_one_line_error, run

CONNECTION_MODULE = '''\
import sqlite3

DB_PATH = "var/production.db"  # never opened: the function is handed the scratch database
print("imported!")  # output of the user's code is not ours to show

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE
);
"""


def ensure_column(conn, table, column, definition):
    names = {row["name"] for row in conn.execute(f"PRAGMA table_info({table})")}
    if column not in names:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")


def init_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)
    ensure_column(conn, "users", "last_seen", "TEXT")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_users_seen ON users (last_seen)")


if __name__ == "__main__":
    raise SystemExit("the main block must not run")
'''


def module(tmp_path: Path, source: str, name: str = "backend.py") -> Path:
    path = tmp_path / "scripts" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return path


def test_connection_function_with_rows_by_name_and_origins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    module(tmp_path, CONNECTION_MODULE)
    schema = load("python:scripts/backend.py:init_schema")
    assert schema.dialect == "sqlite" and schema.origin == "python:scripts/backend.py:init_schema"
    (users,) = schema.tables
    assert [c.name for c in users.columns] == ["id", "email", "last_seen"]
    file = "scripts/backend.py"
    assert users.origin == Origin(file, 7)  # where the CREATE TABLE is written
    # columns of the CREATE TABLE at their lines; the one added by a statement built at run
    # time where its name and definition are written (the call of ensure_column)
    assert [c.origin for c in users.columns] == [Origin(file, 8), Origin(file, 9), Origin(file, 22)]
    assert users.indexes[0].origin == Origin(file, 23)
    assert not (tmp_path / "var").exists()
    assert not (tmp_path / "scripts" / "__pycache__").exists()


def test_column_added_by_a_helper_points_at_its_caller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name the helper is handed, not written next to its definition: the origin is the
    line that called the helper, not the helper's ALTER line (the same for every column)."""
    monkeypatch.chdir(tmp_path)
    module(
        tmp_path,
        "def ensure_column(conn, table, column, definition):\n"
        "    conn.execute(f'ALTER TABLE {table} ADD COLUMN {column} {definition}')\n"
        "NAMES = ('seen_at', 'seen_by')\n"
        "def init_schema(conn):\n"
        "    conn.execute('CREATE TABLE users (id INTEGER PRIMARY KEY)')\n"
        "    for name in NAMES:\n"
        "        ensure_column(conn, 'users', name, 'TEXT')\n",
    )
    (users,) = load("python:scripts/backend.py:init_schema").tables
    assert [c.origin for c in users.columns[1:]] == [Origin("scripts/backend.py", 7)] * 2


def test_path_and_engine_functions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    module(
        tmp_path,
        "import sqlite3\n"
        "def make(db_path):\n"
        "    with sqlite3.connect(db_path) as conn:\n"
        "        conn.execute('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)')\n",
        "by_path.py",
    )
    module(
        tmp_path,
        "from sqlalchemy import Column, Integer, MetaData, String, Table\n"
        "from sqlalchemy.engine import Engine\n"
        "metadata = MetaData()\n"
        "Table('tags', metadata, Column('id', Integer, primary_key=True), Column('label', String(40), unique=True))\n"
        "def create(engine: Engine) -> None:\n"
        "    metadata.create_all(engine)\n",
        "by_engine.py",
    )
    assert load("python:scripts/by_path.py:make").table_names == ("notes",)
    tags = load("python:scripts/by_engine.py:create").tables[0]
    assert tags.name == "tags" and [c.type.raw for c in tags.columns] == ["INTEGER", "VARCHAR(40)"]
    assert [u.columns for u in tags.uniques] == [("label",)]


@pytest.mark.parametrize(
    ("source", "fragments"),
    [
        ("import not_installed_pkg\ndef f(conn): pass\n", ("needs module 'not_installed_pkg'",)),
        ("def f(conn):\n    raise ValueError('boom')\n", ("f() raised ValueError: boom (at scripts/m.py:2)",)),
        ("def f():\n    pass\n", ("f() takes no parameters",)),
        ("def f(conn, app_config):\n    pass\n", ("f() also requires app_config",)),
        ("x = 1\n", ("has no function 'f'",)),
        ("def f(conn):\n    conn.execute('SELECT 1')\n", ("f() in scripts/m.py created no tables",)),
        (
            "1/0\ndef f(conn): pass\n",
            ("cannot import scripts/m.py: ZeroDivisionError: division by zero (at scripts/m.py:1)",),
        ),
    ],
)
def test_failures_are_one_line_and_exit_2(source: str, fragments: tuple[str, ...], tmp_path: Path) -> None:
    module(tmp_path, source, "m.py")
    assert_one_line_error(run("inspect", "python:scripts/m.py:f", cwd=tmp_path), *fragments)


def test_the_function_cannot_open_another_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    module(
        tmp_path,
        "import sqlite3\ndef f(conn):\n    conn.execute('CREATE TABLE t (a)')\n    sqlite3.connect('real.db')\n",
        "m.py",
    )
    with pytest.raises(SourceError, match=r"tried to open the SQLite database 'real.db'"):
        load("python:scripts/m.py:f")
    assert not (tmp_path / "real.db").exists()
    module(tmp_path, "import sqlite3\nDB = sqlite3.connect('on_import.db')\ndef f(conn):\n    pass\n", "n.py")
    with pytest.raises(
        SourceError, match=r"importing scripts/n.py: the code under audit tried to open .*'on_import.db'"
    ):
        load("python:scripts/n.py:f")
    assert not (tmp_path / "on_import.db").exists()


def test_timeout_stops_the_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    module(tmp_path, "import time\ndef f(conn):\n    time.sleep(60)\n", "slow.py")
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"did not finish within 1 s .*\?timeout=SECONDS"):
        load("python:scripts/slow.py:f?timeout=1")
    assert time.monotonic() - started < 15


def test_users_output_stays_out_of_ours(tmp_path: Path) -> None:
    module(tmp_path, CONNECTION_MODULE)
    result = run("inspect", "python:scripts/backend.py:init_schema", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["schema"]["tables"][0]["name"] == "users"
    assert "imported!" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("python:scripts/none.py:f", "Python file scripts/none.py does not exist"),
        ("python:scripts/backend.py", "should name a file and a function"),
        ("python:scripts/backend.py:init_schema?timeout=abc", "timeout must be a positive number"),
    ],
)
def test_bad_specs(spec: str, fragment: str, tmp_path: Path) -> None:
    module(tmp_path, CONNECTION_MODULE)
    assert_one_line_error(run("inspect", spec, cwd=tmp_path), fragment)
