"""Alembic projects laid out the way real ones are: a flask-migrate ini without
`script_location`, an ini whose `script_location` is relative to the ini, independent
histories in several version locations, base tables made by `create_all` before the first
revision, and PostgreSQL-only DDL replayed on the default SQLite scratch."""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

import pytest

from schemaudit.audit import Severity, audit
from schemaudit.cli import main
from schemaudit.sources import LoadOptions, load
from tests.test_alembic_source import linear, revision


def cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def test_flask_migrate_ini_without_script_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "migrations"
    (folder / "versions").mkdir(parents=True)
    (folder / "env.py").write_text("raise RuntimeError('env.py must not run')\n")
    # what `flask db init` writes: logging sections, no script_location
    (folder / "alembic.ini").write_text(
        "[alembic]\n# template used to generate migration files\n\n[loggers]\nkeys = root\n"
    )
    linear(folder / "versions")
    assert load("alembic:migrations/alembic.ini", LoadOptions()).table_names == ("posts", "users")


def test_script_location_relative_to_the_ini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    versions = project / "db" / "migrations" / "versions"
    versions.mkdir(parents=True)
    (project / "db" / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
    linear(versions)
    monkeypatch.chdir(project)  # not the ini's folder: alembic itself would look for ./migrations
    assert load("alembic:db/alembic.ini", LoadOptions()).table_names == ("posts", "users")


def test_independent_histories_in_several_version_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app, plugin = tmp_path / "migrations" / "versions", tmp_path / "plugin_migrations"
    app.mkdir(parents=True)
    plugin.mkdir()
    (tmp_path / "migrations" / "env.py").write_text("raise RuntimeError('env.py must not run')\n")
    (tmp_path / "alembic.ini").write_text(
        "[alembic]\nscript_location = migrations\n"
        "version_locations = %(here)s/migrations/versions %(here)s/plugin_migrations\n"
    )
    linear(app)
    revision(plugin, "p1", None, 'op.create_table("plugin_state", sa.Column("id", sa.Integer, primary_key=True))')
    revision(plugin, "p2", "p1", 'op.add_column("plugin_state", sa.Column("note", sa.Text))')
    schema = load("alembic:alembic.ini", LoadOptions())
    assert schema.table_names == ("plugin_state", "posts", "users")
    plugin_state = schema.table("plugin_state")
    assert plugin_state is not None and [c.name for c in plugin_state.columns] == ["id", "note"]


MODELS = """\
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class InitialBase(DeclarativeBase):
    pass


class Experiment(InitialBase):
    __tablename__ = "experiments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(256))


class Base(DeclarativeBase):
    pass


class ExperimentNow(Base):
    __tablename__ = "experiments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(256))
    lifecycle_stage: Mapped[str | None] = mapped_column(sa.String(32))
"""


def _create_all_project(tmp_path: Path) -> str:
    """A project whose first revision alters a table that `create_all` of its initial
    models made (the way mlflow's tracking store starts)."""
    name = f"tracking_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{name}.py").write_text(MODELS)
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (tmp_path / "migrations" / "env.py").write_text("raise RuntimeError('env.py must not run')\n")
    revision(versions, "a1", None, 'op.add_column("experiments", sa.Column("lifecycle_stage", sa.String(32)))')
    return name


def test_history_starting_from_create_all_needs_a_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    name = _create_all_project(tmp_path)
    code, err = cli(["inspect", "alembic:migrations"], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "a1_step.py:" in err and "table experiments does not exist before this revision" in err
    assert "--base models:" in err
    options = LoadOptions(base=f"models:{name}:InitialBase")
    schema = load("alembic:migrations", options)
    experiments = schema.table("experiments")
    assert experiments is not None and [c.name for c in experiments.columns] == ["id", "name", "lifecycle_stage"]
    target = load(f"models:{name}:Base", LoadOptions(dialect="sqlite"))
    assert [f for f in audit(target, schema).findings if f.severity.rank > Severity.INFO.rank] == []


@pytest.mark.postgresql
def test_create_all_base_on_a_postgresql_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_alembic_source import _pg_url

    monkeypatch.chdir(tmp_path)
    name = _create_all_project(tmp_path)
    scratch = _pg_url()
    args = ["--target", f"models:{name}:Base", "--current", "alembic:migrations", "--scratch-url", scratch]
    code = main(["audit", *args, "--base", f"models:{name}:InitialBase", "--format", "json", "-o", "out.json"])
    capsys.readouterr()
    assert code == 0
    # a DDL file works as a base too
    (tmp_path / "base.sql").write_text(
        "-- the tables before the first revision\nCREATE TABLE experiments (id SERIAL PRIMARY KEY,"
        " name VARCHAR(256) NOT NULL);\n"
    )
    code = main(["audit", *args, "--base", "ddl:base.sql", "--format", "json", "-o", "out.json"])
    assert code == 0, capsys.readouterr().err


def test_postgresql_only_ddl_on_the_sqlite_scratch_says_to_pass_a_scratch_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    revision(
        versions,
        "a1",
        None,
        textwrap.dedent(
            """
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            """
        ),
    )
    code, err = cli(["inspect", "alembic:migrations"], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "--scratch-url" in err and "a1_step.py:" in err


@pytest.mark.postgresql
def test_revision_with_an_autocommit_block_replays_like_alembic_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """prefect's revisions leave the revision's transaction for CREATE INDEX CONCURRENTLY,
    which PostgreSQL refuses inside a transaction block."""
    from tests.test_alembic_source import _pg_url

    monkeypatch.chdir(tmp_path)
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (tmp_path / "migrations" / "env.py").write_text("raise RuntimeError('env.py must not run')\n")
    revision(
        versions,
        "c1",
        None,
        'op.create_table("event", sa.Column("id", sa.Integer, primary_key=True), sa.Column("occurred", sa.DateTime))',
    )
    revision(
        versions,
        "c2",
        "c1",
        """
        with op.get_context().autocommit_block():
            op.create_index("ix_event__occurred", "event", ["occurred"], postgresql_concurrently=True)
        """,
    )
    revision(versions, "c3", "c2", 'op.add_column("event", sa.Column("note", sa.Text))')
    schema = load("alembic:migrations", LoadOptions(scratch_url=_pg_url()))
    event = schema.table("event")
    assert event is not None
    assert [c.name for c in event.columns] == ["id", "occurred", "note"]
    assert [i.name for i in event.indexes] == ["ix_event__occurred"]


@pytest.mark.postgresql
def test_replay_with_the_async_driver_the_project_migrates_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """prefect migrates with asyncpg; a revision's raw SQL with `%` (format('%I.%I', ...))
    runs as such only there (psycopg and psycopg2 read `%` as a placeholder)."""
    pytest.importorskip("asyncpg", reason="asyncpg is a dev dependency")
    from sqlalchemy.engine import make_url

    from tests.test_alembic_source import _pg_url

    monkeypatch.chdir(tmp_path)
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    revision(versions, "d1", None, 'op.create_table("event", sa.Column("id", sa.Integer, primary_key=True))')
    revision(
        versions,
        "d2",
        "d1",
        """
        with op.get_context().autocommit_block():
            found = op.get_bind().exec_driver_sql(
                "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'event'"
            ).first()
            op.execute(f"CREATE INDEX CONCURRENTLY ix_event_id ON {found[0]} (id)")
        """,
    )
    url = make_url(_pg_url()).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    schema = load("alembic:migrations", LoadOptions(scratch_url=url))
    event = schema.table("event")
    assert event is not None and [i.name for i in event.indexes] == ["ix_event_id"]
