"""`schemaudit audit` as a user meets it: real SQLite files, real subprocesses, exit codes
0/1/2, --fail-on thresholds, --baseline progress, and one-line errors for bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.test_cli import assert_one_line_error, run

TARGET = """
CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE orders (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), total REAL NOT NULL);
CREATE INDEX ix_orders_user ON orders (user_id);
"""
# orders.total is missing (critical), the index is missing (warning), users.nickname is extra (info)
CURRENT = """
CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, nickname TEXT);
CREATE TABLE orders (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id));
"""


def make_db(path: Path, sql: str) -> Path:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(sql)
    finally:
        conn.close()
    return path


@pytest.fixture
def dbs(tmp_path: Path) -> tuple[str, str]:
    target = make_db(tmp_path / "target.db", TARGET)
    current = make_db(tmp_path / "current.db", CURRENT)
    return f"sqlite:///{target}", f"sqlite:///{current}"


def audit_cli(dbs: tuple[str, str], *args: str, cwd: Path | None = None):  # type: ignore[no-untyped-def]
    return run("audit", "--target", dbs[0], "--current", dbs[1], *args, cwd=cwd)


def test_critical_finding_exits_1_by_default(dbs: tuple[str, str], tmp_path: Path) -> None:
    result = audit_cli(dbs, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert "INCONSISTENT" in result.stdout and "SA111" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes when not on a terminal


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("never", 0), ("critical", 1), ("warning", 1), ("info", 1)],
)
def test_fail_on_thresholds(dbs: tuple[str, str], tmp_path: Path, fail_on: str, expected: int) -> None:
    assert audit_cli(dbs, "--fail-on", fail_on, cwd=tmp_path).returncode == expected


def test_warnings_alone_pass_the_default_threshold(tmp_path: Path) -> None:
    target = make_db(tmp_path / "t.db", TARGET)
    current = make_db(tmp_path / "c.db", TARGET.replace("CREATE INDEX ix_orders_user ON orders (user_id);", ""))
    dbs = (f"sqlite:///{target}", f"sqlite:///{current}")
    assert audit_cli(dbs, cwd=tmp_path).returncode == 0
    assert audit_cli(dbs, "--fail-on", "warning", cwd=tmp_path).returncode == 1


def test_consistent_schemas_exit_0(tmp_path: Path) -> None:
    target = make_db(tmp_path / "t.db", TARGET)
    current = make_db(tmp_path / "c.db", TARGET + "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY);")
    result = run(
        "audit",
        "--target",
        f"sqlite:///{target}",
        "--current",
        f"sqlite:///{current}",
        "--fail-on",
        "info",
        "--format",
        "json",
        cwd=tmp_path,
    )
    # a bookkeeping table is shown as such, never as a finding: even --fail-on info passes
    report = json.loads(result.stdout)
    assert report["verdict"] == "CONSISTENT"
    assert report["findings"] == []
    assert {"name": "alembic_version", "state": "bookkeeping"}.items() <= next(
        t for t in report["tables"] if t["name"] == "alembic_version"
    ).items()
    assert result.returncode == 0, result.stderr
    ok = run("audit", "--target", f"sqlite:///{target}", "--current", f"sqlite:///{current}", cwd=tmp_path)
    assert ok.returncode == 0 and "CONSISTENT" in ok.stdout


def test_output_file_format_from_suffix(dbs: tuple[str, str], tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = audit_cli(dbs, "-o", str(out), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("INCONSISTENT: 1 critical, 1 warning, 1 info; report written to")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Schema audit")
    assert "```mermaid" in text and "| Column | Current | Target | Gap |" in text
    # SQLite adds a NOT NULL column without a default only by rebuilding the table: the plan's step
    assert "_orders_rebuild` — Table rebuild" in text and '       "total" REAL NOT NULL,\n' in text


def test_baseline_progress(dbs: tuple[str, str], tmp_path: Path) -> None:
    baseline = tmp_path / "before.json"
    assert audit_cli(dbs, "-o", str(baseline), cwd=tmp_path).returncode == 1
    # fix the missing column, and introduce a new gap: users.email loses NOT NULL
    current = Path(dbs[1].removeprefix("sqlite:///"))
    current.unlink()
    make_db(
        current,
        CURRENT.replace(
            "user_id TEXT NOT NULL REFERENCES users(id))",
            "user_id TEXT NOT NULL REFERENCES users(id), total REAL NOT NULL)",
        ).replace("email TEXT NOT NULL UNIQUE", "email TEXT UNIQUE"),
    )
    result = audit_cli(dbs, "--baseline", str(baseline), "--format", "json", cwd=tmp_path)
    progress = json.loads(result.stdout)["progress"]
    assert [(f["code"], f["table"], f["column"]) for f in progress["resolved"]] == [("SA111", "orders", "total")]
    assert [(f["code"], f["table"], f["column"]) for f in progress["new"]] == [("SA132", "users", "email")]
    assert sorted(f["code"] for f in progress["unchanged"]) == ["SA113", "SA171"]
    md = audit_cli(dbs, "--baseline", str(baseline), "--format", "md", cwd=tmp_path).stdout
    assert "Progress since baseline" in md and "1 resolved, 1 new, 2 unchanged" in md
    text = audit_cli(dbs, "--baseline", str(baseline), cwd=tmp_path).stdout
    assert "1 resolved, 1 new, 2 unchanged" in text


def test_rename_hint_from_the_command_line(tmp_path: Path) -> None:
    target = make_db(tmp_path / "t.db", "CREATE TABLE members (id TEXT PRIMARY KEY, full_name TEXT NOT NULL);")
    current = make_db(tmp_path / "c.db", "CREATE TABLE people (pk TEXT PRIMARY KEY, display TEXT NOT NULL);")
    result = run(
        "audit",
        "--target",
        f"sqlite:///{target}",
        "--current",
        f"sqlite:///{current}",
        "--format",
        "json",
        "--rename",
        "people=members",
        "--rename",
        "members.pk=id",
        "--rename",
        "members.display=full_name",
        cwd=tmp_path,
    )
    codes = [(f["code"], f["column"]) for f in json.loads(result.stdout)["findings"]]
    assert codes == [("SA102", None), ("SA112", "full_name"), ("SA112", "id")]
    assert result.returncode == 0  # renames are warnings


def test_pyproject_config_is_found_and_applied(dbs: tuple[str, str], tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "sub").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[tool.schemaudit.severity]\nSA111 = "warning"\n\n'
        '[tool.schemaudit.ignore]\n"users" = "owned by the auth service"\n',
        encoding="utf-8",
    )
    result = audit_cli(dbs, "--format", "json", cwd=project / "sub")
    report = json.loads(result.stdout)
    assert result.returncode == 0  # the missing column is only a warning here
    assert report["config"]["severity_overrides"] == {"SA111": "warning"}
    assert report["ignored"][0]["reason"] == "owned by the auth service"
    assert all(f["table"] != "users" for f in report["findings"])


def test_explicit_config_file(dbs: tuple[str, str], tmp_path: Path) -> None:
    config = tmp_path / "schemaudit.toml"
    config.write_text('[severity]\nSA111 = "off"\n', encoding="utf-8")
    result = audit_cli(dbs, "--config", str(config), "--format", "json", cwd=tmp_path)
    assert "SA111" not in {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert result.returncode == 0


# ---- bad input: exit 2, one line ---------------------------------------------------------


def test_unknown_source_kind(dbs: tuple[str, str], tmp_path: Path) -> None:
    result = run("audit", "--target", "oracle://x/y", "--current", dbs[1], cwd=tmp_path)
    assert_one_line_error(result, "unknown source kind", "oracle")


def test_missing_database_file(dbs: tuple[str, str], tmp_path: Path) -> None:
    result = run("audit", "--target", dbs[0], "--current", f"sqlite:///{tmp_path / 'nope.db'}", cwd=tmp_path)
    assert_one_line_error(result, "nope.db")


def test_missing_required_option(dbs: tuple[str, str], tmp_path: Path) -> None:
    assert_one_line_error(run("audit", "--target", dbs[0], cwd=tmp_path), "--current")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--format", "json", "-o", "report.md"), "conflicting options"),
        (("--rename", "a=b", "--rename", "a=c"), "conflicting options"),
        (("--rename", "nonsense"), "rename hint"),
        (("--fail-on", "sometimes"), "invalid choice"),
    ],
)
def test_bad_options(dbs: tuple[str, str], tmp_path: Path, args: tuple[str, ...], fragment: str) -> None:
    assert_one_line_error(audit_cli(dbs, *args, cwd=tmp_path), fragment)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "cannot read config"),
        ("[severity\n", "not valid TOML"),
        ('[severity]\nSA999 = "warning"\n', "unknown finding code 'SA999'"),
        ('[severity]\nSA111 = "loud"\n', "unknown severity 'loud'"),
        ('[ignore]\n"parser_*" = ""\n', "needs a reason"),
        ('colour = "red"\n', "unknown key(s) colour"),
        ("[renames.table]\nusers = 3\n", "must map old names to new names"),
        ("[tool.other]\nx = 1\n", "no [tool.schemaudit] table"),
    ],
)
def test_bad_config(dbs: tuple[str, str], tmp_path: Path, content: str | None, fragment: str) -> None:
    config = tmp_path / "conf.toml"
    if content is not None:
        config.write_text(content, encoding="utf-8")
    assert_one_line_error(audit_cli(dbs, "--config", str(config), cwd=tmp_path), fragment)


def test_bad_pyproject_is_an_error_not_ignored(dbs: tuple[str, str], tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.schemaudit\n", encoding="utf-8")
    assert_one_line_error(audit_cli(dbs, cwd=tmp_path), "not valid TOML", "pyproject.toml")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "cannot read baseline"),
        ("not json", "is not a JSON report"),
        ('{"format": "schemaudit-snapshot", "version": 1}', "not a schemaudit JSON report"),
        ('{"format": "schemaudit-report", "version": 99, "findings": []}', "report version 99"),
        ('{"format": "schemaudit-report", "version": 1, "findings": [{"code": 1}]}', "malformed finding"),
    ],
)
def test_bad_baseline(dbs: tuple[str, str], tmp_path: Path, content: str | None, fragment: str) -> None:
    baseline = tmp_path / "prev.json"
    if content is not None:
        baseline.write_text(content, encoding="utf-8")
    assert_one_line_error(audit_cli(dbs, "--baseline", str(baseline), cwd=tmp_path), fragment)
