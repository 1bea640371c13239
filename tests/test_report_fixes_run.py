"""Every fix the markdown report recommends runs as written on the example's own database,
and the database then passes the audit.

The examples are built as their READMEs build them: the creative pipeline's `init_schema()`
on a new SQLite file, the anime catalogue's Alembic migrations replayed on SQLite and on a
PostgreSQL database. The report is rendered, the statements of its required
recommendations are taken from its text (SQL blocks and the statements written inline on a
step's line) and run in order, untouched; then the database's own catalog is read and
audited against the target again. What remains above INFO is only what the report says to
fix in the target rather than by a statement (an extra foreign key, SA143).
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from schemaudit.audit import Audit, Severity, audit, load_config
from schemaudit.report import render
from schemaudit.sources import LoadOptions, load
from schemaudit.sources import scratch as scratch_module
from schemaudit.sources.alembic import source as alembic_source
from tests.conftest import ScratchDb

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
_INLINE_SQL = re.compile(r"`([^`]+;)`")


def required_statements(report: str) -> list[str]:
    """The statements of the required recommendations, in the report's order."""
    section = re.split(r"^## \d+\. Recommendations$", report, maxsplit=1, flags=re.M)[1]
    section = section.removeprefix("\n\n### Required\n")  # there when optional fixes follow
    section = re.split(r"^### |^---$", section, maxsplit=1, flags=re.M)[0]
    statements: list[str] = []
    block: list[str] | None = None
    for line in section.splitlines():
        stripped = line.strip()
        if block is not None:
            if stripped == "```":
                statements.append("\n".join(block))
                block = None
            else:
                block.append(stripped)
        elif stripped == "```sql":
            block = []
        elif re.match(r"^\d+\. ", line):
            statements.extend(_INLINE_SQL.findall(line))
    return statements


def test_statements_are_read_from_blocks_and_step_lines() -> None:
    report = (
        "## 5. Recommendations\n\n### Required\n\n"
        '1. `x_0001` — Column rename, risk low: `ALTER TABLE "a" RENAME COLUMN "b" TO "c";` `DROP INDEX "i";`\n'
        "2. `x_0002` — New table, risk low\n   ```sql\n   CREATE TABLE t (\n       id INT\n   );\n   ```\n"
        '3. `x_0003` — risk low  \n   Add `ForeignKey("users.id")` to `t.user_id` in the target.\n'
        "\n### Optional\n\n- `t` **SA113**: `ALTER TABLE t DROP COLUMN x;`\n"
    )
    assert required_statements(report) == [
        'ALTER TABLE "a" RENAME COLUMN "b" TO "c";',
        'DROP INDEX "i";',
        "CREATE TABLE t (\nid INT\n);",
    ]


def _remaining(result: Audit) -> list[str]:
    return sorted(f"{f.code} {f.location}" for f in result.findings if f.severity is not Severity.INFO)


def _config() -> object:
    return replace(load_config(), source="pyproject.toml")


# --- the creative pipeline (`make demo`) --------------------------------------------------


def _init_schema_database(path: Path) -> None:
    spec = importlib.util.spec_from_file_location("demo_backend", EXAMPLES / "creative-pipeline/scripts/backend.py")
    assert spec is not None and spec.loader is not None
    backend = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(backend)
    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        backend.init_schema(conn)
        # a few rows, written by the example's own code, that the fixes must keep
        user = backend.ensure_user(conn, "ada", "Ada")
        project = backend.ensure_project(conn, user, "demo", "Demo")
        backend.upsert_asset(conn, project, "image", "renders/a.png", "0" * 64)
        conn.commit()


def test_demo_fixes_run_and_the_database_then_matches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES / "creative-pipeline")
    target = load("spec:docs/TECH_SPEC.md#5")
    before = audit(target, load("python:scripts/backend.py:init_schema"), _config())  # type: ignore[arg-type]
    statements = required_statements(render(before, "md"))
    assert len(statements) >= 32, statements
    db = tmp_path / "demo.db"
    _init_schema_database(db)
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        for sql in statements:
            conn.executescript(sql)
    after = audit(target, load(f"sqlite:///{db}"), _config())  # type: ignore[arg-type]
    assert _remaining(before) and _remaining(after) == []
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT u.username, p.slug, a.kind, a.storage_uri FROM app_users u "
            "JOIN projects p ON p.owner_user_id = u.id JOIN assets a ON a.project_id = p.id"
        ).fetchall()
    assert rows == [("ada", "demo", "image", "renders/a.png")]


# --- the anime catalogue: models vs Alembic migrations ------------------------------------


@contextmanager
def _kept(scratch: scratch_module.Scratch) -> Iterator[scratch_module.Scratch]:
    yield scratch  # the replay reads it; the test owns it and keeps it afterwards


def _replay_into(monkeypatch: pytest.MonkeyPatch, scratch: scratch_module.Scratch) -> Audit:
    """The anime audit with its migrations replayed into `scratch`, which stays."""
    monkeypatch.chdir(EXAMPLES / "anime-catalog")
    monkeypatch.syspath_prepend(str(EXAMPLES / "anime-catalog"))
    monkeypatch.setattr(alembic_source, "scratch_database", lambda url: _kept(scratch))
    monkeypatch.setattr(alembic_source, "_CACHE", {})
    current = alembic_source.replay("alembic:alembic.ini", LoadOptions(scratch_url=scratch.url)).schema
    target = load("models:app.models:Base", LoadOptions(dialect=current.dialect))
    return audit(target, current, _config())  # type: ignore[arg-type]


def _reaudit(before: Audit, live: str) -> Audit:
    current = load(live)
    target = load("models:app.models:Base", LoadOptions(dialect=current.dialect))
    return audit(target, current, _config())  # type: ignore[arg-type]


def test_anime_fixes_run_on_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "anime.db"
    before = _replay_into(monkeypatch, scratch_module.Scratch(f"sqlite:///{path}", str(path), str(path), "sqlite"))
    statements = required_statements(render(before, "md"))
    assert statements
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for sql in statements:
            conn.executescript(sql)
    after = _reaudit(before, f"sqlite:///{path}")
    assert _remaining(before) == ["SA143 refresh_tokens.user_id", "SA161 audit_logs", "SA191 audit_logs.actor_type"]
    assert _remaining(after) == ["SA143 refresh_tokens.user_id"]  # the report says: add it to the model


@pytest.mark.postgresql
def test_anime_fixes_run_on_postgresql(pg_db: ScratchDb, monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg

    child = scratch_module._child_url(pg_db.url, pg_db.name)
    live = scratch_module._live_url(pg_db.url, pg_db.name)
    before = _replay_into(monkeypatch, scratch_module.Scratch(child, live, pg_db.name, "postgresql"))
    statements = required_statements(render(before, "md"))
    assert statements
    with psycopg.connect(live.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)  # type: ignore[call-overload]
    after = _reaudit(before, live)
    assert _remaining(before) == ["SA143 refresh_tokens.user_id", "SA161 audit_logs", "SA191 audit_logs.actor_type"]
    assert _remaining(after) == ["SA143 refresh_tokens.user_id"]


def test_without_a_plan_the_report_says_why_and_gives_each_findings_fix(tmp_path: Path) -> None:
    """A target name PostgreSQL would truncate cannot be planned: the report says so and falls
    back to the fix of each finding rather than showing nothing."""
    (tmp_path / "t.sql").write_text(f"CREATE TABLE {'x' * 70} (id INT PRIMARY KEY);", encoding="utf-8")
    (tmp_path / "c.sql").write_text("CREATE TABLE a (id INT PRIMARY KEY);", encoding="utf-8")
    target = load(f"ddl:{tmp_path / 't.sql'}?dialect=postgresql")
    current = load(f"ddl:{tmp_path / 'c.sql'}?dialect=postgresql")
    report = render(audit(target, current), "md")
    assert "No migration plan for these schemas: " in report and "63" in report
    assert f"CREATE TABLE {'x' * 70} (" in report


def test_markdown_and_html_show_the_same_plan_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES / "creative-pipeline")
    result = audit(load("spec:docs/TECH_SPEC.md#5"), load("python:scripts/backend.py:init_schema"), _config())  # type: ignore[arg-type]
    step = re.compile(r"\b\d{8}_\d{4}_[a-z0-9_]+")
    in_md = set(step.findall(render(result, "md")))
    assert len(in_md) >= 32 and in_md == set(step.findall(render(result, "html")))
