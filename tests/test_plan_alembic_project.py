"""`schemaudit plan --format alembic` for an Alembic project, run by Alembic on PostgreSQL.

A small project (alembic.ini, env.py, two revisions written for PostgreSQL) and a target in
DDL: the revision is written into the project's versions folder, `alembic upgrade head`
runs it, `alembic heads` must show one head, and the independent judge compares the
migrated catalog with one built from the target DDL; `alembic downgrade -1` must then give
back the catalog of the previous head. Without a PostgreSQL scratch server, the plan is
refused rather than written for SQLite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import _psycopg_url
from tests.convergence import judge

ENV_PY = """
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
section = config.get_section(config.config_ini_section, {})
connectable = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""

FIRST = '''
"""create users and posts"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("settings", postgresql.JSONB, nullable=True),
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("author_id", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
    )


def downgrade():
    op.drop_table("posts")
    op.drop_table("users")
'''

SECOND = '''
"""posts get a score"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    op.add_column("posts", sa.Column("score", sa.Integer, nullable=True))
    op.create_index("ix_posts_title", "posts", ["title"])


def downgrade():
    op.drop_index("ix_posts_title", table_name="posts")
    op.drop_column("posts", "score")
'''

TARGET = """
CREATE TABLE users (
    id serial PRIMARY KEY,
    email varchar(320) NOT NULL UNIQUE,
    settings jsonb,
    created_at timestamptz DEFAULT now()
);
CREATE TABLE posts (
    id serial PRIMARY KEY,
    author_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL,
    score integer DEFAULT 0 CHECK (score >= 0)
);
CREATE INDEX ix_posts_title ON posts (title);
CREATE INDEX ix_posts_author ON posts (author_id);
CREATE TABLE tags (
    id integer PRIMARY KEY,
    post_id integer REFERENCES posts (id),
    name text NOT NULL
);
"""


def _project(root: Path, url: str) -> Path:
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(ENV_PY, encoding="utf-8")
    (root / "migrations" / "versions" / "0001_create.py").write_text(FIRST, encoding="utf-8")
    (root / "migrations" / "versions" / "0002_score.py").write_text(SECOND, encoding="utf-8")
    ini = root / "alembic.ini"
    alembic_url = url.replace("postgresql://", "postgresql+psycopg://", 1).replace("%", "%%")
    ini.write_text(
        textwrap.dedent(
            f"""\
            [alembic]
            script_location = %(here)s/migrations
            sqlalchemy.url = {alembic_url}
            """
        ),
        encoding="utf-8",
    )
    (root / "target.sql").write_text(TARGET, encoding="utf-8")
    return ini


def _schemaudit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "schemaudit"), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def _alembic(ini: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ini), *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _catalog(url: str) -> judge.Fingerprint:
    found = judge.postgresql(_psycopg_url(url), "public")
    return {k: v for k, v in found.items() if "alembic_version" not in k}


@pytest.mark.postgresql
def test_a_revision_for_an_alembic_project_follows_its_head_runs_and_comes_back(pg_db: Any, tmp_path: Path) -> None:
    ini = _project(tmp_path, pg_db.url)
    scratch = pg_db.url.rsplit("/", 1)[0] + "/postgres"
    spec = ["--target", "ddl:target.sql", "--current", f"alembic:{ini}", "--format", "alembic"]

    refused = _schemaudit("plan", *spec, cwd=tmp_path)  # replayed on SQLite: the wrong database
    assert refused.returncode == 2, refused.stderr
    assert "runs on postgresql" in refused.stderr and "--scratch-url" in refused.stderr
    assert "Traceback" not in refused.stderr

    written = _schemaudit(
        "plan", *spec, "--scratch-url", scratch, "-o", str(tmp_path / "migrations" / "versions"), cwd=tmp_path
    )
    assert written.returncode == 0, written.stderr
    (revision,) = [p for p in (tmp_path / "migrations" / "versions").glob("*_schemaudit_plan.py")]
    text = revision.read_text(encoding="utf-8")
    assert "down_revision = '0002'" in text
    assert "PRAGMA" not in text
    assert "op.create_foreign_key(op.f('posts_author_id_fkey'), 'posts', 'users'" in text
    assert "postgresql_not_valid=True" in text and "autocommit_block()" in text
    assert "op.create_check_constraint(" in text and "op.create_index(op.f('ix_posts_author')" in text
    assert "Alembic runs this revision in one transaction" in text
    assert "raise NotImplementedError" not in text and "# Not undone" not in text

    _alembic(ini, "upgrade", "0002")
    previous = _catalog(pg_db.url)
    with psycopg.connect(_psycopg_url(pg_db.url), autocommit=True) as conn:
        conn.execute("INSERT INTO users (id, email) VALUES (1, 'a@example.org')")
        conn.execute("INSERT INTO posts (id, author_id, title, score) VALUES (1, 1, 'hello', 3)")
    _alembic(ini, "upgrade", "head")
    heads = _alembic(ini, "heads").split()
    assert heads == [revision.name.split("_schemaudit_plan")[0], "(head)"]

    built = f"{pg_db.name}_target_{uuid.uuid4().hex[:6]}"
    base = pg_db.url.rsplit("/", 1)[0]
    with psycopg.connect(_psycopg_url(pg_db.url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{built}"')  # type: ignore[arg-type]
    try:
        with psycopg.connect(_psycopg_url(f"{base}/{built}"), autocommit=True) as conn:
            conn.execute(TARGET)  # type: ignore[arg-type]
        assert judge.diff(_catalog(pg_db.url), _catalog(f"{base}/{built}")) == []
    finally:
        with psycopg.connect(_psycopg_url(pg_db.url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{built}" WITH (FORCE)')  # type: ignore[arg-type]
    with psycopg.connect(_psycopg_url(pg_db.url)) as conn:
        assert conn.execute("SELECT id, author_id, title, score FROM posts").fetchall() == [(1, 1, "hello", 3)]

    _alembic(ini, "downgrade", "-1")
    assert judge.diff(_catalog(pg_db.url), previous) == []
    assert _alembic(ini, "current").split()[0] == "0002"


@pytest.mark.postgresql
def test_the_anime_example_gets_a_revision_on_its_head_that_converges_and_downgrades(
    pg_db: Any, tmp_path: Path
) -> None:
    """A real project layout: env.py needs the app's settings and names target_metadata with a
    naming convention (names are written with op.f(), so the convention does not rename them)."""
    import os
    import shutil

    project = tmp_path / "anime"
    shutil.copytree(
        Path(__file__).parent.parent / "examples" / "anime-catalog",
        project,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    scratch = pg_db.url.rsplit("/", 1)[0] + "/postgres"
    models = "models:app.models:Base"
    written = _schemaudit(
        "plan", "--target", models, "--current", "alembic:alembic.ini", "--scratch-url", scratch, "--path", ".",
        "--format", "alembic", "-o", "alembic/versions", cwd=project,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    (revision,) = list((project / "alembic" / "versions").glob("*_schemaudit_plan.py"))
    assert "down_revision = '0013'" in revision.read_text(encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": pg_db.url.replace("postgresql://", "postgresql+psycopg://", 1)}
    env["PYTHONPATH"] = str(project)

    def alembic(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "alembic", *args], cwd=project, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    alembic("upgrade", "head")
    assert alembic("heads").split() == [revision.name.split("_schemaudit_plan")[0], "(head)"]
    after = _schemaudit(
        "audit", "--target", models, "--current", pg_db.url, "--path", ".", "--format", "json", cwd=project
    )
    assert json.loads(after.stdout)["verdict"] == "CONSISTENT", after.stdout[-2000:]
    alembic("downgrade", "-1")
    assert alembic("current").split()[0] == "0013"
