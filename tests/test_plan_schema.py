"""Plans for a PostgreSQL schema other than `public` run where they were made for, from any
connection: `psql -f plan.sql` from a plain connection (the script sets `search_path`), the
plan folder (apply defaults to the plan's schema), and the Alembic revision (`schema=` on
every call). The convergence corpus runs every PostgreSQL pair in its own schema through
all three; this pins the command line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest

from schemaudit.cli import main
from tests.conftest import _psycopg_url
from tests.convergence import judge

CURRENT = [
    "CREATE SCHEMA app",
    "CREATE TYPE app.status AS ENUM ('new', 'done')",
    "CREATE TABLE app.tasks (id integer PRIMARY KEY, s app.status NOT NULL DEFAULT 'new')",
    "INSERT INTO app.tasks VALUES (1, 'done')",
]
TARGET = """
SET search_path TO app;
CREATE TYPE status AS ENUM ('new', 'doing', 'done');
CREATE TABLE owners (id integer PRIMARY KEY, name text);
CREATE TABLE tasks (id integer PRIMARY KEY, s status NOT NULL DEFAULT 'new', owner_id integer REFERENCES owners (id));
CREATE INDEX tasks_owner ON tasks (owner_id);
CREATE TABLE notes (id integer PRIMARY KEY, s status DEFAULT 'doing');
"""


def _setup(url: str, tmp_path: Path) -> Path:
    with psycopg.connect(_psycopg_url(url), autocommit=True) as conn:
        for sql in CURRENT:
            conn.execute(sql)  # type: ignore[arg-type]
        conn.execute("CREATE SCHEMA want")
        conn.execute(TARGET.replace("TO app", "TO want"))  # type: ignore[arg-type]
    ddl = tmp_path / "target.sql"
    ddl.write_text(TARGET.replace("SET search_path TO app;", "CREATE SCHEMA app;\nSET search_path TO app;"))
    return ddl


def _plan(url: str, ddl: Path, *out: str) -> None:
    args = ["plan", "--target", f"ddl:{ddl}", "--target-schema", "app", "--current", url, "--current-schema", "app"]
    assert main([*args, "--date", "2026-02-21", *out]) == 0


def _same_as_target(url: str) -> None:
    dsn = _psycopg_url(url)
    assert judge.diff(judge.postgresql(dsn, "app"), judge.postgresql(dsn, "want")) == []
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT id, s::text FROM app.tasks").fetchall() == [(1, "done")]


@pytest.mark.postgresql
def test_psql_f_runs_the_script_from_a_plain_connection(pg_db: Any, tmp_path: Path) -> None:
    ddl = _setup(pg_db.url, tmp_path)
    _plan(pg_db.url, ddl, "-o", str(tmp_path / "plan.sql"))
    text = (tmp_path / "plan.sql").read_text(encoding="utf-8")
    assert 'SET search_path TO "app";' in text
    done = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", _psycopg_url(pg_db.url), "-f", str(tmp_path / "plan.sql")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    _same_as_target(pg_db.url)


@pytest.mark.postgresql
def test_a_plan_folder_remembers_its_schema_and_apply_uses_it(pg_db: Any, tmp_path: Path) -> None:
    ddl = _setup(pg_db.url, tmp_path)
    _plan(pg_db.url, ddl, "-o", str(tmp_path / "plan"))
    assert json.loads((tmp_path / "plan" / "plan.json").read_text(encoding="utf-8"))["schema"] == "app"
    assert main(["apply", "--plan", str(tmp_path / "plan"), "--db", pg_db.url, "--yes"]) == 0  # no --schema
    _same_as_target(pg_db.url)


@pytest.mark.postgresql
def test_the_alembic_revision_names_the_schema(pg_db: Any, tmp_path: Path) -> None:
    ddl = _setup(pg_db.url, tmp_path)
    _plan(pg_db.url, ddl, "--format", "alembic", "-o", str(tmp_path / "rev.py"))
    text = (tmp_path / "rev.py").read_text(encoding="utf-8")
    assert "schema='app'" in text and "source_schema='app', referent_schema='app'" in text
    assert "set_config('search_path'" in text
    scripts = tmp_path / "alembic"
    (scripts / "versions").mkdir(parents=True)
    from tests.convergence.harness import ALEMBIC_ENV

    (scripts / "env.py").write_text(ALEMBIC_ENV, encoding="utf-8")
    (scripts / "versions" / "rev.py").write_text(text, encoding="utf-8")
    url = pg_db.url.replace("postgresql://", "postgresql+psycopg://", 1)
    ini = tmp_path / "alembic.ini"
    ini.write_text(f"[alembic]\nscript_location = {scripts}\nsqlalchemy.url = {url.replace('%', '%%')}\n")
    for command in (["upgrade", "head"],):
        done = subprocess.run(
            [sys.executable, "-m", "alembic", "-c", str(ini), *command], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    _same_as_target(pg_db.url)
    with psycopg.connect(_psycopg_url(pg_db.url)) as conn:  # the connection's own path is put back
        assert conn.execute("SELECT to_regclass('public.alembic_version') IS NOT NULL").fetchone() == (True,)
