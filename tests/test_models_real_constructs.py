"""Model constructs as real projects write them, audited against real databases.

Each test writes a models module the way open-source projects with Alembic histories write
theirs (partial indexes with `postgresql_where=text(...)`, an FK declared on the column and
again in `__table_args__`, `text("major DESC")` index elements, `Sequence` primary keys), builds
the database the way the project does (`create_all`, or the DDL its migration runs), and
checks that an audit of the pair raises no false alarm, and that a real difference is still
found and planned with SQL the database accepts.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from schemaudit.audit import Audit, Severity, audit
from schemaudit.cli import main
from schemaudit.sources import LoadOptions, load
from tests.conftest import ScratchDb

HEAD = """\
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass
"""


def write_models(root: Path, body: str) -> str:
    """A models module under `root` (unique name: tests also import it here); its name."""
    name = f"models_{uuid.uuid4().hex[:10]}"
    (root / f"{name}.py").write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return name


def create_all(root: Path, name: str, url: str) -> None:
    import sqlalchemy as sa

    sys.path.insert(0, str(root))
    try:
        module = importlib.import_module(name)
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        try:
            module.Base.metadata.create_all(engine)
        finally:
            engine.dispose()
    finally:
        sys.path.remove(str(root))
        sys.modules.pop(name, None)


def audit_models(root: Path, name: str, url: str, dialect: str) -> Audit:
    target = load(f"models:{name}:Base", LoadOptions(dialect=dialect, path=(str(root),)))
    return audit(target, load(url))


def alarms(result: Audit) -> list[str]:
    return [f"{f.code} {f.message}" for f in result.findings if f.severity.rank > Severity.INFO.rank]


PARTIAL = """
class Job(Base):
    __tablename__ = "job"
    __table_args__ = (
        sa.Index("ix_job_active", "status", postgresql_where=sa.text("status = 'active'"),
                 sqlite_where=sa.text("status = 'active'")),
        sa.Index("ix_job_done", "status", postgresql_where=sa.column("status") == "done",
                 sqlite_where=sa.column("status") == "done"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20))
"""


@pytest.mark.postgresql
def test_partial_index_where_given_as_text_or_expression_postgresql(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, PARTIAL)
    create_all(tmp_path, name, pg_db.url)
    result = audit_models(tmp_path, name, pg_db.url, "postgresql")
    assert result.findings == ()
    job = result.target.table("job")
    assert job is not None
    assert {i.name: i.where for i in job.indexes} == {
        "ix_job_active": "status = 'active'",
        "ix_job_done": "status = 'done'",
    }


def test_partial_index_where_given_as_text_or_expression_sqlite(tmp_path: Path) -> None:
    name = write_models(tmp_path, PARTIAL)
    url = f"sqlite:///{tmp_path / 'app.db'}"
    create_all(tmp_path, name, url)
    assert audit_models(tmp_path, name, url, "sqlite").findings == ()


FK_TWICE = """
class Parent(Base):
    __tablename__ = "parent"
    id: Mapped[int] = mapped_column(primary_key=True)


class Child(Base):
    __tablename__ = "child"
    __table_args__ = (
        sa.ForeignKeyConstraint(["parent_id"], ["parent.id"], name="fk_child_parent", ondelete="CASCADE"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(sa.ForeignKey("parent.id", ondelete="CASCADE"))
"""

# what the project's migration runs: the key once, under its name
FK_MIGRATION = [
    "CREATE TABLE parent (id SERIAL NOT NULL, PRIMARY KEY (id))",
    "CREATE TABLE child (id SERIAL NOT NULL, parent_id INTEGER NOT NULL, PRIMARY KEY (id),"
    " CONSTRAINT fk_child_parent FOREIGN KEY(parent_id) REFERENCES parent (id) ON DELETE CASCADE)",
]


@pytest.mark.postgresql
def test_foreign_key_on_the_column_and_in_table_args_is_one_constraint(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, FK_TWICE)
    pg_db.execute(FK_MIGRATION)
    assert audit_models(tmp_path, name, pg_db.url, "postgresql").findings == ()
    # the database without the key: one key missing, planned once, under its name
    pg_db.execute("ALTER TABLE child DROP CONSTRAINT fk_child_parent")
    result = audit_models(tmp_path, name, pg_db.url, "postgresql")
    assert [f.code for f in result.findings] == ["SA141"]
    assert "fk_child_parent" in (result.findings[0].recommendation or "")


@pytest.mark.postgresql
def test_foreign_key_twice_against_create_all_which_makes_both(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, FK_TWICE)
    create_all(tmp_path, name, pg_db.url)
    assert audit_models(tmp_path, name, pg_db.url, "postgresql").findings == ()


TEXT_ELEMENTS = """
class Release(Base):
    __tablename__ = "release"
    __table_args__ = (
        sa.Index("ix_release_version", sa.text("major DESC"), sa.text("minor desc"), "patch"),
        sa.Index("ix_release_name", sa.text("lower(name) DESC")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    major: Mapped[int] = mapped_column()
    minor: Mapped[int] = mapped_column()
    patch: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(sa.String(50))
"""


@pytest.mark.postgresql
def test_text_index_elements_match_and_plan_valid_sql(
    tmp_path: Path, pg_db: ScratchDb, capsys: pytest.CaptureFixture[str]
) -> None:
    name = write_models(tmp_path, TEXT_ELEMENTS)
    create_all(tmp_path, name, pg_db.url)
    result = audit_models(tmp_path, name, pg_db.url, "postgresql")
    assert result.findings == ()
    release = result.target.table("release")
    assert release is not None
    version = next(i for i in release.indexes if i.name == "ix_release_version")
    assert [(e.expr, e.is_expression, e.descending) for e in version.elements] == [
        ("major", False, True),
        ("minor", False, True),
        ("patch", False, False),
    ]
    # a database without the indexes: the plan creates them and PostgreSQL accepts it
    pg_db.execute(["DROP INDEX ix_release_version", "DROP INDEX ix_release_name"])
    plan_dir = tmp_path / "plan"
    args = ["--target", f"models:{name}:Base", "--current", pg_db.url, "--path", str(tmp_path)]
    assert main(["plan", *args, "-o", str(plan_dir)]) == 0
    sql = "".join(p.read_text() for p in sorted(plan_dir.glob("2*.sql")))
    assert 'ON "release" ("major" DESC, "minor" DESC, "patch")' in sql
    assert "(lower(name)) DESC" in sql
    assert main(["apply", "--plan", str(plan_dir), "--db", pg_db.url]) == 0
    capsys.readouterr()
    assert alarms(audit_models(tmp_path, name, pg_db.url, "postgresql")) == []


SEQUENCE_PK = """
class Task(Base):
    __tablename__ = "task"
    id: Mapped[int] = mapped_column(sa.Integer, sa.Sequence("task_id_seq"), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(100))
"""


@pytest.mark.postgresql
def test_sequence_primary_key_is_a_plain_integer_with_its_sequence(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, SEQUENCE_PK)
    create_all(tmp_path, name, pg_db.url)
    result = audit_models(tmp_path, name, pg_db.url, "postgresql")
    assert result.findings == ()
    task = result.target.table("task")
    assert task is not None and task.columns[0].identity is None
    # a SERIAL column is a different thing (it numbers rows without the application): drift
    pg_db.execute(["DROP TABLE task", "CREATE TABLE task (id SERIAL PRIMARY KEY, title VARCHAR(100) NOT NULL)"])
    assert [f.code for f in audit_models(tmp_path, name, pg_db.url, "postgresql").findings] == ["SA135"]


VALIDATORS = """
import hashlib


class Account(Base):
    __tablename__ = "account"
    id: Mapped[int] = mapped_column(primary_key=True)
    password: Mapped[str] = mapped_column(sa.String(64))
    api_key: Mapped[str] = mapped_column(sa.String(64))
    email: Mapped[str] = mapped_column(sa.String(200))
    plan: Mapped[str] = mapped_column(sa.String(10))

    @sa.orm.validates("password")
    def hash_password(self, key, value):
        return hashlib.sha256(value.encode()).hexdigest()

    @sa.orm.validates("api_key")
    def derive_key(self, key, value):
        value = value.strip()
        return value.lower()

    @sa.orm.validates("email")
    def check_email(self, key, value):
        if "@" not in value:
            raise ValueError("not an email address")
        return value

    @sa.orm.validates("plan")
    def known_plan(self, key, value):
        if value == "pro":
            return "pro"
        return "free"
"""


@pytest.mark.postgresql
def test_validators_that_transform_are_no_evidence_for_a_check(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, VALIDATORS)
    create_all(tmp_path, name, pg_db.url)
    result = audit_models(tmp_path, name, pg_db.url, "postgresql")
    # the model declares no CHECK either: a note on where the rule lives, not drift
    assert sorted((f.code, f.column) for f in result.findings) == [("SA192", "email"), ("SA192", "plan")]
    assert all(f.severity is Severity.INFO for f in result.findings)
    account = result.target.table("account")
    assert account is not None
    kinds = {f.column: f.kind for f in account.app_facts}
    assert kinds == {"password": "transforms", "api_key": "transforms", "email": "validates", "plan": "validates"}


PY_DEFAULTS = """
class Flag(Base):
    __tablename__ = "flag"
    id: Mapped[int] = mapped_column(primary_key=True)
    active: Mapped[bool] = mapped_column(default=True)
    archived: Mapped[bool] = mapped_column(default=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="user")
    retries: Mapped[int] = mapped_column(default=3)
"""

# the migration wrote the defaults as server defaults; `archived`'s contradicts the model
PY_DEFAULTS_MIGRATION = (
    "CREATE TABLE flag (id SERIAL PRIMARY KEY, active BOOLEAN NOT NULL DEFAULT true,"
    " archived BOOLEAN NOT NULL DEFAULT false, kind VARCHAR(20) NOT NULL DEFAULT 'user',"
    " retries INTEGER NOT NULL DEFAULT '3')"
)


@pytest.mark.postgresql
def test_server_default_equal_to_the_python_default_is_a_note(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, PY_DEFAULTS)
    pg_db.execute(PY_DEFAULTS_MIGRATION)
    result = audit_models(tmp_path, name, pg_db.url, "postgresql")
    found = {f.column: (f.code, f.severity) for f in result.findings}
    assert found == {
        "active": ("SA139", Severity.INFO),
        "kind": ("SA139", Severity.INFO),
        "retries": ("SA139", Severity.INFO),
        "archived": ("SA133", Severity.WARNING),
    }
    archived = next(f for f in result.findings if f.column == "archived")
    assert "false" in archived.message and "True" in archived.message


PK_ORDER = """
class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (sa.PrimaryKeyConstraint("group_id", "user_id"),)
    group_id: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column()
"""


@pytest.mark.postgresql
def test_primary_key_in_another_order_is_a_warning(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, PK_ORDER)
    pg_db.execute(
        "CREATE TABLE membership (group_id INTEGER NOT NULL, user_id INTEGER NOT NULL, PRIMARY KEY (user_id, group_id))"
    )
    result = audit_models(tmp_path, name, pg_db.url, "postgresql")
    assert [(f.code, f.severity) for f in result.findings] == [("SA147", Severity.WARNING)]
    pg_db.execute(
        ["ALTER TABLE membership DROP CONSTRAINT membership_pkey", "ALTER TABLE membership ADD PRIMARY KEY (user_id)"]
    )
    result = audit_models(tmp_path, name, pg_db.url, "postgresql")
    assert [(f.code, f.severity) for f in result.findings] == [("SA145", Severity.CRITICAL)]


GENERATED_JSON = """
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR


class Event(Base):
    __tablename__ = "event"
    __table_args__ = (sa.Index("ix_event_host", sa.text("(data->>'host')")),)
    id: Mapped[int] = mapped_column(primary_key=True)
    data = mapped_column(JSONB, nullable=False)
    search = mapped_column(
        TSVECTOR, sa.Computed("to_tsvector('simple', coalesce(data->>'host', ''))", persisted=True)
    )
    host = mapped_column(sa.Text, sa.Computed("data->>'host'", persisted=True))
    port = mapped_column(sa.Integer, sa.Computed("(data->>'port')::int", persisted=True))
    first = mapped_column(JSONB, sa.Computed("data->'items'->0", persisted=True))
"""


@pytest.mark.postgresql
def test_generated_columns_with_json_operators_match_create_all(tmp_path: Path, pg_db: ScratchDb) -> None:
    name = write_models(tmp_path, GENERATED_JSON)
    create_all(tmp_path, name, pg_db.url)
    assert audit_models(tmp_path, name, pg_db.url, "postgresql").findings == ()
    # another key is another expression
    pg_db.execute(
        [
            "ALTER TABLE event DROP COLUMN host",
            "ALTER TABLE event ADD COLUMN host TEXT GENERATED ALWAYS AS (data->>'hostname') STORED",
        ]
    )
    result = audit_models(tmp_path, name, pg_db.url, "postgresql")
    assert [(f.code, f.column) for f in result.findings] == [("SA136", "host")]


ORIGINS = """
def registered(cls):
    return cls


class Namespace:
    class Tag(Base):  # NESTED
        __tablename__ = "tag"
        id: Mapped[int] = mapped_column(primary_key=True)
        label: Mapped[str] = mapped_column(sa.String(30))  # LABEL


@registered  # DECORATED
class Note(Base):
    __tablename__ = "note"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(sa.Text)  # BODY


def factory():
    class Note(Base):  # same name, another scope: never confused with the one above
        __tablename__ = "note_copy"
        id: Mapped[int] = mapped_column(primary_key=True)
    return Note


factory()
"""


@pytest.mark.filterwarnings("ignore:This declarative base already contains")
def test_origins_come_from_one_parse_of_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Classes are located from the file parsed once (nested, decorated, and same-named
    classes in another scope included), and the models still match what create_all built."""
    name = write_models(tmp_path, ORIGINS)
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'app.db'}"
    create_all(tmp_path, name, url)
    result = audit_models(tmp_path, name, url, "sqlite")
    assert result.findings == ()
    lines = (tmp_path / f"{name}.py").read_text().splitlines()

    def line(marker: str) -> str:
        return f"{name}.py:{next(i for i, text in enumerate(lines, 1) if marker in text)}"

    tables = {t.name: t for t in result.target.tables}
    assert str(tables["tag"].origin) == line("# NESTED")
    assert str(tables["note"].origin) == line("# DECORATED")
    assert str(tables["note_copy"].origin) == line("# same name")
    assert str(tables["tag"].columns[1].origin) == line("# LABEL")
    assert str(tables["note"].columns[1].origin) == line("# BODY")


LIBRARY = """
class Base(DeclarativeBase):
    pass


class Token(Base):
    __tablename__ = "oauth_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(index=True)
"""

APP = """
class AppUser(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
"""


@pytest.mark.postgresql
def test_an_app_base_and_a_library_base_merged(
    tmp_path: Path, pg_db: ScratchDb, capsys: pytest.CaptureFixture[str]
) -> None:
    app, library = write_models(tmp_path, APP), write_models(tmp_path, LIBRARY)
    create_all(tmp_path, app, pg_db.url)
    create_all(tmp_path, library, pg_db.url)
    merged = load(f"models:{app}:Base,{library}:Base", LoadOptions(path=(str(tmp_path),)))
    assert merged.table_names == ("app_user", "oauth_token")
    assert audit(merged, load(pg_db.url)).findings == ()
    # the same with --target given twice
    argv = ["audit", "--target", f"models:{app}:Base", "--target", f"models:{library}:Base"]
    argv += ["--current", pg_db.url, "--path", str(tmp_path), "--format", "json", "-o", str(tmp_path / "a.json")]
    assert main(argv) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["audit", "--target", f"models:{app}:Base", "--target", pg_db.url, "--current", pg_db.url])
    assert "only models: sources can be combined" in capsys.readouterr().err


def test_a_submodule_that_needs_an_app_context_is_named_and_skipped_with_lenient(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = f"flaskapp_{uuid.uuid4().hex[:8]}"
    folder = tmp_path / pkg
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "models.py").write_text(HEAD + textwrap.dedent(APP))
    (folder / "views.py").write_text(
        "def current_app():\n"
        "    raise RuntimeError('Working outside of application context.')\n\n\n"
        "PREFIX = current_app()  # what flask.current_app.config says at import time\n"
    )
    code = main(["inspect", f"models:{pkg}", "--path", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert f"cannot import {pkg}.views" in err and "--lenient" in err
    schema = load(f"models:{pkg}", LoadOptions(path=(str(tmp_path),), lenient=True))
    assert schema.table_names == ("app_user",)
    assert [(o.kind, o.name.split(":")[0]) for o in schema.not_audited] == [("module not imported", f"{pkg}.views")]


INDEX_NAME = """
class Trial(Base):
    __tablename__ = "trials"
    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(index=True)
"""


@pytest.mark.postgresql
def test_an_index_under_another_name_is_reported_as_a_note(tmp_path: Path, pg_db: ScratchDb) -> None:
    """The migration named the index `trials_study_id_key`; the model's `index=True` names it
    `ix_trials_study_id` (what Alembic reports as remove_index + add_index)."""
    name = write_models(tmp_path, INDEX_NAME)
    pg_db.execute(
        [
            "CREATE TABLE trials (id SERIAL PRIMARY KEY, study_id INTEGER NOT NULL)",
            "CREATE INDEX trials_study_id_key ON trials (study_id)",
        ]
    )
    result = audit_models(tmp_path, name, pg_db.url, "postgresql")
    assert [(f.code, f.severity) for f in result.findings] == [("SA175", Severity.INFO)]
    assert "trials_study_id_key" in result.findings[0].message and "ix_trials_study_id" in result.findings[0].message
