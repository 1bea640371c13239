"""The alembic source: revisions replayed on a scratch database without env.py.

Every test builds a small migrations folder in its own temporary directory. Scratch
databases are real (a temporary SQLite file, or a database created on the PostgreSQL/MariaDB
test servers), and every test that can fail half-way checks that the scratch database is
gone afterwards: the names carry this process's id (`alembic_scratch.scratch_prefix`).
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pytest

from schemaudit.cli import main
from schemaudit.errors import SchemauditError
from schemaudit.model import Origin
from schemaudit.sources import LoadOptions, load
from schemaudit.sources.alembic.history import CREATED, DATA, History
from schemaudit.sources.alembic.source import history, replay
from schemaudit.sources.scratch import scratch_prefix
from tests.conftest import MYSQL_URL, PG_URL

HEADER = '''\
"""{message}

Revision ID: {rev}
Revises: {down}
Create Date: {date}

"""
import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = {down_value}
branch_labels = None
depends_on = None


def upgrade():
'''


def revision(folder: Path, rev: str, down: str | tuple[str, ...] | None, body: str, message: str | None = None) -> Path:
    down_value = repr(down) if not isinstance(down, tuple) else repr(tuple(down))
    text = HEADER.format(
        rev=rev,
        down=", ".join(down) if isinstance(down, tuple) else (down or ""),
        down_value=down_value,
        message=message or f"revision {rev}",
        date=f"2026-03-{len(list(folder.glob('*.py'))) + 1:02d} 10:30:00.000001",
    )
    path = folder / f"{rev}_step.py"
    path.write_text(text + textwrap.indent(textwrap.dedent(body).strip() + "\n", "    "))
    return path


def lines_of(path: Path, marker: str) -> int:
    return next(i for i, text in enumerate(path.read_text().splitlines(), 1) if marker in text)


@pytest.fixture
def versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with migrations/env.py (which must never run) and migrations/versions."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "migrations" / "versions"
    folder.mkdir(parents=True)
    (tmp_path / "migrations" / "env.py").write_text("raise RuntimeError('env.py must not run')\n")
    return folder


def linear(folder: Path) -> dict[str, Path]:
    first = revision(
        folder,
        "a1",
        None,
        """
        op.create_table(
            "users",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("email", sa.String(200), nullable=False),  # EMAIL
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("email", name="uq_users_email"),  # UQ
        )
        op.create_table(
            "posts",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column("title", sa.String(100)),
            sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),  # FK
            sa.PrimaryKeyConstraint("id"),
        )
        """,
        message="create users and posts",
    )
    second = revision(
        folder,
        "b2",
        "a1",
        """
        op.add_column("users", sa.Column("name", sa.String(50)))  # ADD
        op.create_index("ix_posts_title", "posts", ["title"])  # INDEX
        op.execute("CREATE TABLE legacy (id INTEGER PRIMARY KEY)")
        op.execute("INSERT INTO users (id, email) VALUES (1, 'a@example.com')")
        op.rename_table("legacy", "archive")
        """,
    )
    third = revision(
        folder,
        "c3",
        "b2",
        """
        op.drop_table("archive")
        op.alter_column("posts", "title", new_column_name="headline", existing_type=sa.String(100))  # RENAME
        op.create_check_constraint("ck_posts_headline", "posts", "length(headline) > 0")
        """,
    )
    return {"a1": first, "b2": second, "c3": third}


def test_replay_builds_the_head_schema_with_origins(versions: Path) -> None:
    files = linear(versions)
    result = replay("alembic:migrations/versions", LoadOptions())
    schema = result.schema
    assert schema.table_names == ("posts", "users")
    assert schema.origin == "alembic:migrations/versions"
    a1, b2, c3 = (f"migrations/versions/{r}_step.py" for r in ("a1", "b2", "c3"))
    users, posts = schema.table("users"), schema.table("posts")
    assert users is not None and posts is not None
    assert users.origin == Origin(a1, lines_of(files["a1"], "op.create_table("))
    columns = {c.name: c.origin for c in users.columns}
    assert columns["email"] == Origin(a1, lines_of(files["a1"], "# EMAIL"))
    assert columns["name"] == Origin(b2, lines_of(files["b2"], "# ADD"))
    assert users.uniques[0].origin == Origin(a1, lines_of(files["a1"], "# UQ"))
    assert posts.foreign_keys[0].origin == Origin(a1, lines_of(files["a1"], "# FK"))
    assert posts.foreign_keys[0].on_delete == "CASCADE"
    assert {c.name: c.origin for c in posts.columns}["headline"] == Origin(c3, lines_of(files["c3"], "# RENAME"))
    assert posts.indexes[0].origin == Origin(b2, lines_of(files["b2"], "# INDEX"))
    assert [c.expression for c in posts.checks] == ["length(headline) > 0"]


def test_history_records_what_each_revision_did(versions: Path) -> None:
    linear(versions)
    timeline = history("alembic:migrations/versions", LoadOptions())
    assert isinstance(timeline, History)
    assert [r.revision for r in timeline.revisions] == ["a1", "b2", "c3"]
    first, second, third = timeline.revisions
    assert (first.message, first.date, first.down_revisions) == (
        "create users and posts",
        "2026-03-01 10:30:00.000001",
        (),
    )
    assert first.short_date == "2026-03-01 10:30"
    assert first.tables(CREATED) == ("users", "posts")
    assert second.affected == "created: legacy; altered: users, posts, archive"  # one effect per table
    assert third.affected == "altered: posts; dropped: archive"
    assert [op.action for op in third.ops] == ["drop_table", "alter_column", "create_check_constraint"]
    assert second.ops[-2].effect == DATA
    assert timeline.head == "c3"


def test_branches_merge_and_stop_at_a_revision(versions: Path) -> None:
    revision(versions, "r1", None, 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))')
    revision(versions, "left", "r1", 'op.add_column("t", sa.Column("a", sa.Integer))')
    revision(versions, "right", "r1", 'op.add_column("t", sa.Column("b", sa.Integer))')
    revision(versions, "merge", ("left", "right"), "pass")
    revision(versions, "after", "merge", 'op.add_column("t", sa.Column("c", sa.Integer))')
    head = replay("alembic:migrations/versions", LoadOptions())
    table = head.schema.table("t")
    assert table is not None and {c.name for c in table.columns} == {"id", "a", "b", "c"}
    order = [r.revision for r in head.history.revisions]
    assert order[0] == "r1" and set(order[1:3]) == {"left", "right"} and order[3:] == ["merge", "after"]
    assert head.history.revisions[3].down_revisions == ("left", "right")
    partial = load("alembic:migrations/versions", LoadOptions(revision="left"))
    table = partial.table("t")
    assert table is not None and [c.name for c in table.columns] == ["id", "a"]


def test_alembic_ini_and_script_folder_specs(versions: Path, tmp_path: Path) -> None:
    linear(versions)
    (tmp_path / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/migrations\n")
    by_ini = load("alembic:alembic.ini", LoadOptions())
    by_folder = load("alembic:migrations", LoadOptions())
    by_versions = load("alembic:migrations/versions", LoadOptions())
    assert by_ini.tables == by_folder.tables == by_versions.tables
    assert by_ini.origin == "alembic:alembic.ini"
    assert load("alembic.ini", LoadOptions()).table_names == ("posts", "users")  # a bare .ini path


def test_revisions_import_project_code_from_the_path_option(versions: Path, tmp_path: Path) -> None:
    lib = tmp_path / "lib" / "helpers"
    lib.mkdir(parents=True)
    (lib / "__init__.py").write_text("import sqlalchemy as sa\nCode = sa.String(12)\n")
    revision(versions, "h1", None, 'from helpers import Code\nop.create_table("t", sa.Column("code", Code))')
    with pytest.raises(SchemauditError, match=r"h1_step.py:\d+: upgrade\(\) .* No module named 'helpers'"):
        load("alembic:migrations/versions", LoadOptions())
    schema = load("alembic:migrations/versions", LoadOptions(path=(str(tmp_path / "lib"),)))
    table = schema.table("t")
    assert table is not None and table.columns[0].type.raw == "VARCHAR(12)"


def test_postgresql_style_operations_replay_on_sqlite_in_batch_mode(versions: Path) -> None:
    revision(
        versions,
        "p1",
        None,
        """
        op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("user_id", sa.Integer))
        op.alter_column("t", "user_id", nullable=False, existing_type=sa.Integer)
        op.create_foreign_key("fk_t_user", "t", "users", ["user_id"], ["id"], ondelete="SET NULL")
        op.create_unique_constraint("uq_t_user", "t", ["user_id"])
        """,
    )
    result = replay("alembic:migrations/versions", LoadOptions())
    table = result.schema.table("t")
    assert table is not None
    assert {c.name: c.nullable for c in table.columns}["user_id"] is False
    assert [(f.name, f.on_delete) for f in table.foreign_keys] == [("fk_t_user", "SET NULL")]
    assert [u.columns for u in table.uniques] == [("user_id",)]
    assert len(result.history.notes) == 3 and "replayed in batch mode (SQLite)" in result.history.notes[0]


def _scratch_leftovers() -> list[str]:
    return [n for n in os.listdir(tempfile.gettempdir()) if n.startswith(scratch_prefix())]


def _pg_leftovers() -> list[str]:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (scratch_prefix() + "%",))
        return [r[0] for r in rows]


def _pg_url() -> str:
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=3).close()
    except Exception as exc:  # server down: skip
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    return PG_URL


@pytest.mark.postgresql
def test_postgresql_scratch_with_its_own_types(versions: Path) -> None:
    revision(
        versions,
        "g1",
        None,
        """
        from sqlalchemy.dialects import postgresql
        mood = postgresql.ENUM("happy", "sad", name="mood")
        op.create_table(
            "things",
            sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
            sa.Column("tags", postgresql.ARRAY(sa.String(20))),
            sa.Column("data", postgresql.JSONB()),
            sa.Column("mood", mood),
        )
        """,
    )
    url = _pg_url()
    schema = load("alembic:migrations/versions", LoadOptions(scratch_url=url))
    things = schema.table("things")
    assert things is not None and schema.dialect == "postgresql"
    types = {c.name: c.type for c in things.columns}
    assert types["tags"].raw == "character varying(20)[]" and types["data"].raw == "jsonb"
    assert types["mood"].values == ("happy", "sad")
    assert _pg_leftovers() == []


@pytest.mark.mysql
def test_mysql_scratch(versions: Path) -> None:
    linear(versions)
    try:
        import pymysql
        from sqlalchemy.engine import make_url

        u = make_url(MYSQL_URL)
        pymysql.connect(host=u.host, port=u.port or 3306, user=u.username, password=u.password or "").close()
    except Exception as exc:
        pytest.skip(f"MariaDB not reachable: {exc}")
    schema = load("alembic:migrations/versions", LoadOptions(scratch_url=MYSQL_URL))
    assert schema.dialect == "mysql" and schema.table_names == ("posts", "users")
    assert schema.name is None  # the scratch database's random name is not the schema's


# ---- bad input: one line naming the file, exit 2, scratch cleaned up ------------------------


def cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def test_failing_upgrade_names_file_and_line_and_cleans_up(versions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    linear(versions)
    bad = revision(versions, "d4", "c3", 'op.add_column("nope", sa.Column("x", sa.Integer))  # FAILS')
    code, err = cli(["inspect", "alembic:migrations/versions"], capsys)
    assert code == 2
    assert err == (
        f"schemaudit: alembic:migrations/versions: migrations/versions/d4_step.py:{lines_of(bad, '# FAILS')}: "
        "upgrade() of revision d4 failed on the scratch sqlite database: OperationalError: no such table: nope\n"
    )
    assert _scratch_leftovers() == []


@pytest.mark.postgresql
def test_failing_upgrade_on_postgresql_drops_the_scratch_database(versions: Path) -> None:
    url = _pg_url()
    linear(versions)
    revision(versions, "d4", "c3", 'op.execute("SELECT * FROM nope")')
    with pytest.raises(SchemauditError, match=r"d4_step.py:\d+: upgrade\(\) of revision d4 failed .*UndefinedTable"):
        load("alembic:migrations/versions", LoadOptions(scratch_url=url))
    assert _pg_leftovers() == []


@pytest.mark.postgresql
def test_a_crashing_revision_cannot_take_the_tool_down_and_scratch_is_dropped(versions: Path) -> None:
    url = _pg_url()
    revision(
        versions,
        "k1",
        None,
        'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))\nimport os\nos._exit(9)',
    )
    with pytest.raises(SchemauditError, match="the child process exited with code 9 without a result"):
        load("alembic:migrations/versions", LoadOptions(scratch_url=url))
    assert _pg_leftovers() == []


def test_password_of_an_unreachable_scratch_server_is_masked(versions: Path) -> None:
    linear(versions)
    with pytest.raises(SchemauditError) as info:
        load(
            "alembic:migrations/versions", LoadOptions(scratch_url="postgresql://postgres:s3cret@127.0.0.1:1/postgres")
        )
    assert "s3cret" not in str(info.value) and "postgres:***@127.0.0.1:1" in str(info.value)


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (
            lambda v: revision(v, "x1", None, "pass").write_text(
                "revision = 'x1'\ndown_revision = None\ndef upgrade(:\n"
            ),
            "migrations/versions/x1_step.py:3: cannot load revision: SyntaxError: invalid syntax",
        ),
        (
            lambda v: revision(v, "x1", None, "pass").write_text("import no_such_helper_pkg\nrevision = 'x1'\n"),
            "migrations/versions/x1_step.py:1: cannot load revision: "
            "ModuleNotFoundError: No module named 'no_such_helper_pkg'",
        ),
        (
            lambda v: (revision(v, "x1", "x2", "pass"), revision(v, "x2", "x1", "pass")),
            "revision cycle: Cycle is detected in revisions (x1, x2) "
            "(migrations/versions/x1_step.py, migrations/versions/x2_step.py)",
        ),
        (
            lambda v: (
                revision(v, "x1", None, "pass"),
                revision(v, "x2", "x1", "pass"),
                revision(v, "x3", "x1", "pass"),
            ),
            "2 heads without a merge revision: x2 (migrations/versions/x2_step.py), x3 "
            "(migrations/versions/x3_step.py); merge them (alembic merge heads) or choose one with --revision",
        ),
        (
            lambda v: (v / "notes.py").write_text("# not a revision\n"),
            "broken revision graph: Could not determine revision id from filename notes.py. Be sure the "
            "'revision' variable is declared inside the script (please see 'Upgrading from Alembic 0.1 to 0.2' "
            "in the documentation).",
        ),
    ],
)
def test_broken_revision_graphs(
    versions: Path, capsys: pytest.CaptureFixture[str], setup: object, expected: str
) -> None:
    assert callable(setup)
    setup(versions)
    code, err = cli(["inspect", "alembic:migrations/versions"], capsys)
    assert code == 2
    assert err == f"schemaudit: alembic:migrations/versions: {expected}\n"
    assert _scratch_leftovers() == []


def test_no_revisions(versions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = cli(["inspect", "alembic:migrations"], capsys)
    assert (code, err) == (2, "schemaudit: alembic:migrations: no revisions found in migrations/versions\n")
    code, err = cli(["inspect", "alembic:migrations/versions"], capsys)
    assert (code, err) == (
        2,
        "schemaudit: alembic:migrations/versions: migrations/versions holds no revision files (*.py)\n",
    )


def test_unknown_revision_and_bad_paths(versions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    linear(versions)
    code, err = cli(["history", "migrations/versions", "--revision", "zz9"], capsys)
    assert (code, err) == (2, "schemaudit: alembic:migrations/versions: unknown revision 'zz9' (heads: c3)\n")
    code, err = cli(["inspect", "alembic:missing.ini"], capsys)
    assert (code, err) == (2, "schemaudit: alembic:missing.ini: missing.ini does not exist\n")
    (tmp_path / "other.ini").write_text("[alembic]\nsqlalchemy.url = sqlite://\n")
    code, err = cli(["inspect", "alembic:other.ini"], capsys)
    assert code == 2 and "has no script_location in its [alembic] section" in err
    code, err = cli(["inspect", "alembic:migrations/env.py"], capsys)
    assert code == 2 and "expected an alembic.ini file or a migrations folder" in err
