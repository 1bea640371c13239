"""Applied-migration markers: the bookkeeping tables of migration tools in a live database,
and an Alembic history's revisions reported as applied, pending or unknown against them."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import ScratchDb

ROOT = Path(__file__).resolve().parent.parent
ANIME = ROOT / "examples" / "anime-catalog"
REVISIONS = [f"{n:04d}" for n in range(1, 14)]

TOOLS_SQL = """
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
INSERT INTO alembic_version VALUES ('0010');
CREATE TABLE schema_migrations (version VARCHAR(255) NOT NULL PRIMARY KEY);
INSERT INTO schema_migrations VALUES ('20240101120000'), ('20240202120000');
CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app VARCHAR(255), name VARCHAR(255), applied TEXT);
INSERT INTO django_migrations (id, app, name) VALUES (1, 'auth', '0001_initial');
CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50), description VARCHAR(200),
    success BOOLEAN NOT NULL);
INSERT INTO flyway_schema_history VALUES (1, '1', 'init', TRUE), (2, '2', 'add users', FALSE);
CREATE TABLE databasechangelog (id VARCHAR(255), author VARCHAR(255), filename VARCHAR(255), orderexecuted INT);
INSERT INTO databasechangelog VALUES ('1', 'ann', 'db/changelog.xml', 1);
"""


def audit_json(current: str, *extra: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", "audit", "--target", "alembic:alembic.ini", "--current", current,
         "--format", "json", "--fail-on", "never", *extra],
        capture_output=True, text=True, cwd=ANIME, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    appendix = next(a for a in report["appendices"] if a["title"] == "Applied migrations")
    data: dict[str, object] = appendix["data"]
    return data


def _sqlite(path: Path, sql: str) -> str:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)
    return str(path)


def test_every_tool_is_read_and_alembic_revisions_are_classified(tmp_path: Path) -> None:
    data = audit_json(_sqlite(tmp_path / "app.db", TOOLS_SQL))
    assert data["alembic"] == {
        "heads": ["0010"],
        "applied": REVISIONS[:10],
        "pending": REVISIONS[10:],
        "unknown": [],
    }
    entries = {m["table"]: m["entries"] for m in data["markers"]}  # type: ignore[attr-defined]
    assert entries == {
        "alembic_version": ["0010"],
        "databasechangelog": ["1 by ann (db/changelog.xml)"],
        "django_migrations": ["auth.0001_initial"],
        "flyway_schema_history": ["1 init", "2 add users (failed)"],
        "schema_migrations": ["20240101120000", "20240202120000"],
    }


def test_a_revision_the_history_does_not_know(tmp_path: Path) -> None:
    db = _sqlite(tmp_path / "app.db", "CREATE TABLE alembic_version (version_num VARCHAR(32));"
                 "INSERT INTO alembic_version VALUES ('feedface');")  # fmt: skip
    data = audit_json(db)
    assert data["alembic"] == {"heads": ["feedface"], "applied": [], "pending": REVISIONS, "unknown": ["feedface"]}
    text = subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", "audit", "--target", "alembic:alembic.ini", "--current", db,
         "--fail-on", "never"],
        capture_output=True, text=True, cwd=ANIME, timeout=300,
    ).stdout  # fmt: skip
    assert "migrations: alembic_version at feedface: 0 applied, 13 pending, 1 unknown to the history" in text


@pytest.mark.parametrize("server", ["pg_db", "mysql_db"])
def test_markers_on_servers(server: str, request: pytest.FixtureRequest) -> None:
    db: ScratchDb = request.getfixturevalue(server)
    changelog = "DATABASECHANGELOG" if server == "mysql_db" else "databasechangelog"
    db.execute(
        [
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
            "INSERT INTO alembic_version VALUES ('0013')",
            "CREATE TABLE schema_migrations (version BIGINT NOT NULL PRIMARY KEY, dirty BOOLEAN NOT NULL)",
            "INSERT INTO schema_migrations VALUES (3, TRUE)",
            f"CREATE TABLE {changelog} (id VARCHAR(9), author VARCHAR(9), filename VARCHAR(99), orderexecuted INT)",
            f"INSERT INTO {changelog} VALUES ('7', 'bo', 'changes.yaml', 1)",
        ]
    )
    data = audit_json(db.url)
    assert data["alembic"] == {"heads": ["0013"], "applied": REVISIONS, "pending": [], "unknown": []}
    entries = {m["table"].lower(): m["entries"] for m in data["markers"]}  # type: ignore[attr-defined]
    assert entries["schema_migrations"] == ["3 (dirty)"]
    assert entries["databasechangelog"] == ["7 by bo (changes.yaml)"]
    golang = next(m for m in data["markers"] if m["table"] == "schema_migrations")  # type: ignore[attr-defined]
    assert golang["tool"] == "golang-migrate" and golang["failed"] == ["3"]
    assert data["problems"] == [next(p for p in data["problems"] if "version 3 is dirty" in p)]  # type: ignore[attr-defined]


def _audit(current: str, *extra: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", "audit", "--target", "alembic:alembic.ini", "--current", current,
         "--fail-on", "never", *extra],
        capture_output=True, text=True, cwd=ANIME, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


GOLANG_DIRTY = """
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
INSERT INTO alembic_version VALUES ('0012');
CREATE TABLE schema_migrations (version BIGINT NOT NULL PRIMARY KEY, dirty BOOLEAN NOT NULL);
INSERT INTO schema_migrations VALUES (20240301, 1);
"""


def test_a_dirty_golang_migrate_version_is_called_out_in_every_format(tmp_path: Path) -> None:
    """golang-migrate marks a migration that failed part-way `dirty`: every report says so,
    beside which Alembic revisions are applied and pending (SARIF and HTML too)."""
    db = _sqlite(tmp_path / "app.db", GOLANG_DIRTY)
    data = audit_json(db)
    assert data["alembic"] == {"heads": ["0012"], "applied": REVISIONS[:12], "pending": ["0013"], "unknown": []}
    (problem,) = data["problems"]  # type: ignore[misc]
    assert problem.startswith("schema_migrations: version 20240301 is dirty: its migration failed part-way")
    assert "migrate force" in problem
    text = _audit(db)
    assert "migrations: alembic_version at 0012: 12 applied, 1 pending, 0 unknown to the history" in text
    assert f"migrations: FAILED: {problem}" in text
    md = _audit(db, "--format", "md")
    assert "## Applied migrations" in md and f"**A migration failed part-way.** {problem}." in md
    assert "| `0013` | **pending** |" in md
    sarif = json.loads(_audit(db, "--format", "sarif"))
    run = sarif["runs"][0]
    (appendix,) = run["properties"]["appendices"]
    assert appendix["title"] == "Applied migrations" and appendix["data"]["alembic"]["pending"] == ["0013"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert {"level": "warning", "message": {"text": f"a migration failed part-way: {problem}"}} in notes
    assert any(n["level"] == "note" and "1 pending" in n["message"]["text"] for n in notes)
    page = _audit(db, "--format", "html")
    section = page[page.index("<h2>Applied migrations</h2>") :]
    section = section[: section.index("</section>")]
    assert "<strong>A migration failed part-way.</strong>" in section and "version 20240301 is dirty" in section
    assert re.search(r"<td><code>0013</code></td>\s*<td><strong>pending</strong></td>", section), section[-600:]


def test_a_clean_golang_migrate_version_is_no_problem(tmp_path: Path) -> None:
    db = _sqlite(tmp_path / "app.db", GOLANG_DIRTY.replace("(20240301, 1)", "(20240301, 0)"))
    data = audit_json(db)
    assert "problems" not in data
    (golang,) = [m for m in data["markers"] if m["table"] == "schema_migrations"]  # type: ignore[attr-defined]
    assert golang == {"table": "schema_migrations", "tool": "golang-migrate", "entries": ["20240301"], "failed": []}
    assert "FAILED" not in _audit(db) and "failed part-way" not in _audit(db, "--format", "html")
