"""The bundled example `examples/anime-catalog`: the seed report's models-vs-migrations audit.

Target: the 12 SQLAlchemy models. Current: the schema the 13 Alembic migrations build, on a
scratch SQLite file and on a scratch PostgreSQL database. The audit must be *right* where
the hand-made seed report was not: exactly two CRITICAL findings (the model's CHECK on
audit_logs.actor_type that no migration creates; the migrations' FK refresh_tokens.user_id
that the model lacks), the email index as intent-only INFO (the unique constraint's index
serves it), the parser staging tables listed as unmodelled by design, and not a word about
episodes.created_at, which both sides have.

The expected report and findings are golden files in the example's `expected/` folder;
regenerate them after a deliberate change with `SCHEMAUDIT_UPDATE_GOLDEN=1` and review the
diff.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from schemaudit.audit import Audit, Severity, audit, load_config
from schemaudit.report import json_report, markdown
from schemaudit.sources import LoadOptions, load
from schemaudit.sources.alembic.history import appendix_markdown
from schemaudit.sources.alembic.source import replay
from tests.conftest import PG_URL

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "anime-catalog"
EXPECTED = EXAMPLE / "expected"
UPDATE = os.environ.get("SCHEMAUDIT_UPDATE_GOLDEN") == "1"
STAGING = {
    "anime_episodes_external",
    "anime_external",
    "anime_external_binding",
    "anime_schedule",
    "anime_translations",
    "parser_job_logs",
    "parser_jobs",
    "parser_settings",
    "parser_sources",
}


def run_audit(scratch_url: str | None) -> tuple[Audit, str]:
    """The audit as `schemaudit audit --target models:app.models:Base --current
    alembic:alembic.ini` runs it from the example's folder, with the models read for the
    dialect of the scratch database. Returns the audit and the history appendix."""
    replayed = replay("alembic:alembic.ini", LoadOptions(scratch_url=scratch_url))
    current = replayed.schema
    target = load("models:app.models:Base", LoadOptions(dialect=current.dialect))
    config = replace(load_config(), source="pyproject.toml")  # the report cites it; keep it portable
    return audit(target, current, config), appendix_markdown(replayed.history)


def _postgresql() -> str:
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=3).close()
    except Exception as exc:
        if os.environ.get("SCHEMAUDIT_REQUIRE_SERVERS") == "1":
            pytest.fail(f"PostgreSQL not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    return PG_URL


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def result(request: pytest.FixtureRequest) -> tuple[str, Audit, str]:
    scratch = None if request.param == "sqlite" else _postgresql()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(EXAMPLE)
        found, appendix = run_audit(scratch)
    return request.param, found, appendix


def check_or_update(path: Path, actual: str) -> None:
    if UPDATE or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist and was written; review it and run again")
        return
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs (SCHEMAUDIT_UPDATE_GOLDEN=1 to regenerate)"


def test_exactly_the_two_real_critical_issues(result: tuple[str, Audit, str]) -> None:
    _, found, _ = result
    critical = [(f.code, f.table, f.column) for f in found.findings if f.severity is Severity.CRITICAL]
    assert critical == [("SA161", "audit_logs", None), ("SA143", "refresh_tokens", "user_id")]
    check = next(f for f in found.findings if f.code == "SA161")
    assert "actor_type IN ('user', 'system', 'anonymous')" in check.message
    assert check.origin == "app/models/audit_log.py:22"  # the CheckConstraint in __table_args__
    fk = next(f for f in found.findings if f.code == "SA143")
    assert "ON DELETE CASCADE" in fk.message
    assert fk.origin == "alembic/versions/0005_create_refresh_tokens.py:29"  # the ForeignKeyConstraint


def test_app_only_validation_points_at_the_validator(result: tuple[str, Audit, str]) -> None:
    _, found, _ = result
    warnings = [(f.code, f.table, f.column, f.origin) for f in found.findings if f.severity is Severity.WARNING]
    assert warnings == [("SA191", "audit_logs", "actor_type", "app/models/audit_log.py:43")]


def test_email_index_is_intent_only_info(result: tuple[str, Audit, str]) -> None:
    _, found, _ = result
    info = [(f.code, f.table, f.column) for f in found.findings if f.severity is Severity.INFO]
    assert info == [("SA172", "users", "email")]
    assert "uq_users_email" in found.findings[-1].message


def test_staging_tables_are_acceptable_and_episodes_created_at_is_silent(result: tuple[str, Audit, str]) -> None:
    _, found, _ = result
    assert {t.name for t in found.ignored} == STAGING
    assert all("not modelled by design" in t.reason for t in found.ignored)
    assert len(found.target.tables) == 12
    episodes = [f for f in found.findings if f.table == "episodes"]
    assert episodes == []
    assert not any("created_at" in f.message or "created_at" in " ".join(f.evidence) for f in found.findings)
    assert next(t for t in found.tables if t.name == "episodes").state.value == "matches"


def test_golden_report_and_findings(result: tuple[str, Audit, str]) -> None:
    dialect, found, appendix = result
    check_or_update(EXPECTED / f"audit_{dialect}.md", markdown.render(found))
    findings = [json_report.finding_dict(f) for f in found.findings]
    check_or_update(EXPECTED / f"findings_{dialect}.json", json.dumps(findings, indent=2, ensure_ascii=False) + "\n")
    check_or_update(EXPECTED / f"history_appendix_{dialect}.md", appendix)


def test_cli_report_carries_the_migration_timeline(tmp_path: Path) -> None:
    """`schemaudit audit` appends the replayed history to the markdown and JSON reports."""
    import subprocess
    import sys

    import jsonschema

    def cli(fmt: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "schemaudit.cli", "audit", "--target", "models:app.models:Base",
             "--current", "alembic:alembic.ini", "--format", fmt, "--fail-on", "never", "-q"],
            cwd=EXAMPLE, capture_output=True, text=True, timeout=300, check=True,
        )  # fmt: skip
        return done.stdout

    md = cli("md")
    assert "## Appendix: Migration History" in md
    assert "| 0005 |" in md and "created: refresh_tokens" in md
    document = json.loads(cli("json"))
    schema = json.loads((EXAMPLE.parent.parent / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    (appendix,) = document["appendices"]
    assert appendix["title"] == "Migration history"
    assert [r["revision"] for r in appendix["data"]["revisions"]][:2] == ["0001", "0002"]
