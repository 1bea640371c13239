"""Constructs of real projects (prefect, mlflow, Flask apps) that raised false alarms or hid
a real difference, audited against real databases built the way those projects build them:
an index declared twice under one name, an Interval server default, indexes for one dialect
only (`.ddl_if`), operator classes, non-native Enums, index collations, and Flask-SQLAlchemy's
`db` as the models target."""

from __future__ import annotations

import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from schemaudit.audit import Audit, Severity, audit
from schemaudit.diff.intervals import interval_key
from schemaudit.sources import LoadOptions, load
from tests.conftest import ScratchDb
from tests.test_models_real_constructs import alarms, audit_models, create_all, write_models

# prefect's Base: a naming convention that names `index=True` indexes ix_<table>__<column>
PREFECT_ARTIFACT = """
Base.metadata.naming_convention = {"ix": "ix_%(table_name)s__%(column_0_N_name)s"}


class Artifact(Base):
    __tablename__ = "artifact"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(sa.String, index=True)
    flow_run_id: Mapped[int | None] = mapped_column(index=True)

    __table_args__ = (sa.Index("ix_artifact__key", "key"),)
"""

# what prefect's migration runs: the index once
PREFECT_ARTIFACT_MIGRATION = [
    "CREATE TABLE artifact (id SERIAL PRIMARY KEY, key VARCHAR, flow_run_id INTEGER)",
    "CREATE INDEX ix_artifact__key ON artifact (key)",
    "CREATE INDEX ix_artifact__flow_run_id ON artifact (flow_run_id)",
]


@pytest.mark.postgresql
def test_index_true_and_an_explicit_index_of_the_same_name_are_one_index(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, PREFECT_ARTIFACT)
    pg_db.execute(PREFECT_ARTIFACT_MIGRATION)
    result = audit_models(tmp_path, name, pg_db.url, "postgresql")
    assert alarms(result) == []
    table = result.target.table("artifact")
    assert table is not None and [i.name for i in table.indexes] == ["ix_artifact__flow_run_id", "ix_artifact__key"]


TWO_NAMES = """
class Artifact(Base):
    __tablename__ = "artifact"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(sa.String, index=True)

    __table_args__ = (sa.Index("ix_artifact_key_explicit", "key"),)
"""


@pytest.mark.postgresql
def test_index_true_and_an_explicit_index_of_another_name_are_two(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, TWO_NAMES)
    create_all(tmp_path, name, pg_db.url)  # makes both
    assert audit_models(tmp_path, name, pg_db.url, "postgresql").findings == ()
    pg_db.execute("DROP INDEX ix_artifact_key_explicit")
    assert [f.code for f in audit_models(tmp_path, name, pg_db.url, "postgresql").findings] == ["SA171"]


INTERVAL = """
import datetime


class TaskRun(Base):
    __tablename__ = "task_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    total_run_time: Mapped[datetime.timedelta] = mapped_column(sa.Interval, server_default="0")
    timeout: Mapped[datetime.timedelta] = mapped_column(sa.Interval, server_default="1 hour")
"""


@pytest.mark.postgresql
def test_interval_server_default_as_postgresql_prints_it(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, INTERVAL)
    create_all(tmp_path, name, pg_db.url)  # PostgreSQL keeps '00:00:00'::interval, '01:00:00'::interval
    assert audit_models(tmp_path, name, pg_db.url, "postgresql").findings == ()
    pg_db.execute("ALTER TABLE task_run ALTER COLUMN timeout SET DEFAULT '1 day'")
    found = audit_models(tmp_path, name, pg_db.url, "postgresql").findings
    assert [(f.code, f.column) for f in found] == [("SA133", "timeout")]


@pytest.mark.postgresql
def test_interval_keys_agree_with_the_server(pg_db: ScratchDb) -> None:
    """Each spelling and the text the server prints for it have one key; different
    values have different keys."""
    import psycopg

    from tests.conftest import _psycopg_url

    spellings = [
        "0",
        "5",
        "1 hour",
        "01:00:00",
        "1 day",
        "24:00:00",
        "1.5 days",
        "3 mons",
        "1 year 2 mons",
        "@ 1 day 2 hours ago",
        "-1 day +02:03:00",
        "P1DT2H",
        "90 minutes",
        "1 week",
        "250 ms",
    ]
    with psycopg.connect(_psycopg_url(pg_db.url)) as conn:
        printed = [conn.execute(f"SELECT '{s}'::interval::text").fetchone()[0] for s in spellings]  # type: ignore[index]
    keys = [interval_key(s) for s in spellings]
    assert None not in keys
    assert keys == [interval_key(p) for p in printed]
    assert len(set(keys)) == len(set(printed))


DDL_IF = """
class Flow(Base):
    __tablename__ = "flow"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))

    __table_args__ = (
        sa.Index("hash_ix_flow_name", "name", postgresql_using="hash").ddl_if(dialect="postgresql"),
        sa.Index("ix_flow_name_pattern", "name", postgresql_ops={"name": "varchar_pattern_ops"}),
        sa.Index("ix_flow_name_nocase", sa.text("name COLLATE NOCASE")).ddl_if(dialect="sqlite"),
    )
"""


def test_indexes_for_another_dialect_are_not_expected_sqlite(tmp_path: Path) -> None:
    name = write_models(tmp_path, DDL_IF)
    url = f"sqlite:///{tmp_path / 'app.db'}"
    create_all(tmp_path, name, url)
    result = audit_models(tmp_path, name, url, "sqlite")
    assert result.findings == ()
    table = result.target.table("flow")
    assert table is not None and [i.name for i in table.indexes] == ["ix_flow_name_nocase", "ix_flow_name_pattern"]


@pytest.mark.postgresql
def test_indexes_for_another_dialect_are_not_expected_postgresql(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, DDL_IF)
    create_all(tmp_path, name, pg_db.url)
    assert audit_models(tmp_path, name, pg_db.url, "postgresql").findings == ()
    # the operator class is compared: the index without it is another index
    pg_db.execute(["DROP INDEX ix_flow_name_pattern", "CREATE INDEX ix_flow_name_pattern ON flow (name)"])
    found = audit_models(tmp_path, name, pg_db.url, "postgresql").findings
    assert [(f.code, f.table) for f in found] == [("SA173", "flow")]


NON_NATIVE_ENUM = """
class Run(Base):
    __tablename__ = "run"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(
        sa.Enum("RUNNING", "FINISHED", "FAILED", name="status", native_enum=False, length=20)
    )
"""


@pytest.mark.postgresql
def test_non_native_enum_without_check_on_both_sides_is_no_finding(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, NON_NATIVE_ENUM)
    create_all(tmp_path, name, pg_db.url)  # VARCHAR(20), no CHECK: what the model asks for
    assert audit_models(tmp_path, name, pg_db.url, "postgresql").findings == ()


def test_non_native_enum_with_a_declared_check_still_reports_the_missing_check(tmp_path: Path) -> None:
    body = NON_NATIVE_ENUM.replace("length=20)", "length=20, create_constraint=True)")
    name = write_models(tmp_path, body)
    url = f"sqlite:///{tmp_path / 'app.db'}"
    import sqlite3

    with sqlite3.connect(tmp_path / "app.db") as conn:
        conn.execute("CREATE TABLE run (id INTEGER NOT NULL PRIMARY KEY, status VARCHAR(20) NOT NULL)")
    codes = sorted(f.code for f in audit_models(tmp_path, name, url, "sqlite").findings)
    assert codes == ["SA161"]


COLLATED = """
class Person(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    email: Mapped[str] = mapped_column(sa.String(100))

    __table_args__ = (
        sa.Index("ix_person_email", sa.text("email COLLATE NOCASE")),
        sa.Index("ix_person_name", sa.collate(sa.column("name"), "NOCASE")),
    )
"""


def _sqlite(tmp_path: Path, *statements: str) -> str:
    import sqlite3

    path = tmp_path / f"{uuid.uuid4().hex[:8]}.db"
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    return f"sqlite:///{path}"


def test_sqlite_index_collation_is_compared_per_element(tmp_path: Path) -> None:
    name = write_models(tmp_path, COLLATED)
    made = f"sqlite:///{tmp_path / 'made.db'}"
    create_all(tmp_path, name, made)
    assert audit_models(tmp_path, name, made, "sqlite").findings == ()
    table = "CREATE TABLE person (id INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, email VARCHAR(100) NOT NULL)"
    plain = _sqlite(
        tmp_path,
        table,
        "CREATE INDEX ix_person_email ON person (email)",
        "CREATE INDEX ix_person_name ON person (name COLLATE NOCASE)",
    )
    found = audit_models(tmp_path, name, plain, "sqlite").findings
    assert [(f.code, f.column) for f in found] == [("SA173", "email")]
    # and between two databases, each way
    other = _sqlite(
        tmp_path,
        table,
        "CREATE INDEX ix_person_email ON person (email COLLATE RTRIM)",
        "CREATE INDEX ix_person_name ON person (name COLLATE NOCASE)",
    )
    assert [f.code for f in audit(load(other), load(plain)).findings] == ["SA173"]
    assert [f.code for f in audit(load(plain), load(other)).findings] == ["SA173"]


FLASK_APP = """
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Project(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(64), nullable=False, unique=True)
"""


def test_flask_sqlalchemy_db_is_a_models_target(tmp_path: Path) -> None:
    pytest.importorskip("flask_sqlalchemy", reason="Flask-SQLAlchemy is a dev dependency")
    module = f"flaskapp_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module}.py").write_text(textwrap.dedent(FLASK_APP), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'app.db'}"
    sys.path.insert(0, str(tmp_path))
    try:
        from flask import Flask

        imported = __import__(module)
        app = Flask(module)
        app.config["SQLALCHEMY_DATABASE_URI"] = url
        imported.db.init_app(app)
        with app.app_context():
            imported.db.create_all()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(module, None)
    target = load(f"models:{module}:db", LoadOptions(dialect="sqlite", path=(str(tmp_path),)))
    assert target.table_names == ("project",)
    assert audit(target, load(url)).findings == ()


def test_a_module_that_needs_a_flask_app_context_says_what_to_pass(tmp_path: Path) -> None:
    pytest.importorskip("flask_sqlalchemy", reason="Flask-SQLAlchemy is a dev dependency")
    module = f"flaskviews_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module}.py").write_text("from flask import current_app\nDEBUG = current_app.config['DEBUG']\n")
    from schemaudit.errors import SourceError

    with pytest.raises(SourceError) as raised:
        load(f"models:{module}:db", LoadOptions(path=(str(tmp_path),)))
    message = str(raised.value)
    assert "\n" not in message and "application context" in message and "models:package.models:db" in message


def _alarms(result: Audit) -> list[str]:
    return [f.code for f in result.findings if f.severity.rank > Severity.INFO.rank]


UNIQUE_AND_HASH = """
class Flow(Base):
    __tablename__ = "flow"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)

    __table_args__ = (sa.Index("hash_ix_flow_name", "name", postgresql_using="hash"),)
"""


@pytest.mark.postgresql
def test_a_unique_constraint_does_not_serve_a_hash_or_gin_index(tmp_path: Path, pg_db: ScratchDb) -> None:
    """prefect's flow: UNIQUE (name) and a trigram gin index on name. The unique btree
    serves neither a gin nor a hash index: one that is missing is missing (SA171)."""
    name = write_models(tmp_path, UNIQUE_AND_HASH)
    create_all(tmp_path, name, pg_db.url)
    assert audit_models(tmp_path, name, pg_db.url, "postgresql").findings == ()
    pg_db.execute("DROP INDEX hash_ix_flow_name")
    found = audit_models(tmp_path, name, pg_db.url, "postgresql").findings
    assert [(f.code, f.severity) for f in found] == [("SA171", Severity.WARNING)]


PG_COLLATED = """
class Tag(Base):
    __tablename__ = "tag"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))

    __table_args__ = (
        sa.Index("ix_tag_name_c", sa.collate(sa.column("name"), "C")),
        sa.Index("ix_tag_lower_c", sa.text('lower(name) COLLATE "C" DESC')),
    )
"""


@pytest.mark.postgresql
def test_postgresql_index_collation_is_compared_per_element(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, PG_COLLATED)
    create_all(tmp_path, name, pg_db.url)
    assert audit_models(tmp_path, name, pg_db.url, "postgresql").findings == ()
    pg_db.execute(["DROP INDEX ix_tag_name_c", "CREATE INDEX ix_tag_name_c ON tag (name)"])
    found = audit_models(tmp_path, name, pg_db.url, "postgresql").findings
    assert [(f.code, f.column) for f in found] == [("SA173", "name")]
