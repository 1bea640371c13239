"""Golden cases: real SQLite databases built from `target.sql` / `current.sql`, audited, and
compared exactly with `expected_findings.json` and `expected_report.md`.

A case folder may hold a `config.toml` (read like `--config`). Regenerate the expected files
after a deliberate change with `SCHEMAUDIT_UPDATE_GOLDEN=1 pytest tests/test_audit_golden.py`
and review the diff: that diff *is* the behaviour change.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from schemaudit.audit import Audit, audit, load_config
from schemaudit.audit.config import Config
from schemaudit.model import Schema
from schemaudit.report import json_report, markdown
from schemaudit.sources import load
from tests.test_audit_report import table_rows

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "target.sql").is_file())
UPDATE = os.environ.get("SCHEMAUDIT_UPDATE_GOLDEN") == "1"
SCHEMA_FILE = Path(__file__).parent.parent / "docs" / "report.schema.json"


def build(sql_file: Path, db_file: Path) -> Schema:
    """Execute the DDL into a fresh SQLite file and read it back through the live source;
    the origin is set to the DDL file's name so reports do not depend on the temp path."""
    conn = sqlite3.connect(db_file)
    try:
        conn.executescript(sql_file.read_text(encoding="utf-8"))
    finally:
        conn.close()
    return replace(load(f"sqlite:///{db_file}"), origin=sql_file.name)


def run_case(case: str, tmp_path: Path) -> Audit:
    folder = GOLDEN / case
    target = build(folder / "target.sql", tmp_path / "target.db")
    current = build(folder / "current.sql", tmp_path / "current.db")
    config = Config()
    if (folder / "config.toml").is_file():
        config = replace(load_config(folder / "config.toml"), source="config.toml")
    return audit(target, current, config)


def findings_json(result: Audit) -> str:
    data = [json_report.finding_dict(f) for f in result.findings]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def check_or_update(path: Path, actual: str) -> None:
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist and was written; review it and run again")
        return
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs (SCHEMAUDIT_UPDATE_GOLDEN=1 to regenerate)"


@pytest.mark.parametrize("case", CASES)
def test_golden_findings(case: str, tmp_path: Path) -> None:
    result = run_case(case, tmp_path)
    check_or_update(GOLDEN / case / "expected_findings.json", findings_json(result))


@pytest.mark.parametrize("case", CASES)
def test_golden_report(case: str, tmp_path: Path) -> None:
    result = run_case(case, tmp_path)
    report = markdown.render(result)
    check_or_update(GOLDEN / case / "expected_report.md", report)
    rows = table_rows(report)  # every table row has as many cells as its header
    assert rows and all(header == cells for header, cells in rows)


@pytest.mark.parametrize("case", CASES)
def test_golden_json_report_matches_its_schema(case: str, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    result = run_case(case, tmp_path)
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(json_report.render(result)), schema, cls=jsonschema.Draft202012Validator)


def test_every_golden_case_runs_twice_to_the_same_bytes(tmp_path: Path) -> None:
    for case in CASES:
        one, two = tmp_path / f"{case}-1", tmp_path / f"{case}-2"
        one.mkdir()
        two.mkdir()
        first, second = run_case(case, one), run_case(case, two)
        assert markdown.render(first) == markdown.render(second)
        assert json_report.render(first) == json_report.render(second)
