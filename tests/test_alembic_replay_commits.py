"""A replay commits each revision on its own, without waiting for the disk: on PostgreSQL a
later revision can use an enum label an earlier one added (allowed only once that commit is
done), and the scratch session runs with `synchronous_commit` off (the database is thrown
away, so waiting for each commit to reach the disk bought nothing). Both read back from the
replayed schema: the revisions name a table after what they saw.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemaudit.sources import LoadOptions, load
from tests.test_alembic_source import _pg_leftovers, _pg_url, revision


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (tmp_path / "migrations" / "env.py").write_text("raise RuntimeError('env.py must not run')\n")
    return versions


@pytest.mark.postgresql
def test_each_revision_commits_and_commits_do_not_wait_for_the_disk(folder: Path) -> None:
    revision(
        folder,
        "c1",
        None,
        """
        op.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')")
        op.execute("ALTER TYPE mood ADD VALUE 'calm'")
        """,
    )
    revision(
        folder,
        "c2",
        "c1",
        """
        op.execute("CREATE TABLE moods (id int PRIMARY KEY, m mood DEFAULT 'calm')")
        op.execute("INSERT INTO moods VALUES (1)")
        seen = op.get_bind().exec_driver_sql("SHOW synchronous_commit").scalar()
        op.create_table(f"sync_{seen}", sa.Column("id", sa.Integer, primary_key=True))
        """,
    )
    schema = load("alembic:migrations/versions", LoadOptions(scratch_url=_pg_url()))
    assert sorted(t.name for t in schema.tables) == ["moods", "sync_off"]
    assert _pg_leftovers() == []
