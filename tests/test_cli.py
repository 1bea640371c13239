"""The command line as a user meets it: real subprocesses, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from schemaudit import snapshot
from schemaudit.errors import mask_secrets
from tests.test_snapshot import rich_schema


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture
def snap(tmp_path: Path) -> Path:
    path = tmp_path / "snap.json"
    path.write_text(snapshot.dumps(rich_schema()), encoding="utf-8")
    return path


def test_inspect_snapshot_text_view(snap: Path) -> None:
    result = run("inspect", f"snapshot:{snap}")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'Users "main"' in out
    assert "character varying(255)" in out
    assert "identity always (users_id_seq)" in out
    assert "foreign key order_user_fk (user_id)" in out and "ON DELETE CASCADE" in out
    assert "not audited" in out and "active_users" in out
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal


def test_inspect_json_round_trips_through_the_cli(snap: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.json"
    result = run("inspect", f"snapshot:{snap}", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert snapshot.loads(out.read_text()) == rich_schema()
    printed = run("inspect", f"snapshot:{snap}", "--format", "json")
    assert json.loads(printed.stdout)["schema"]["dialect"] == "postgresql"


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("inspect", "oracle://x"), ("unknown source kind 'oracle'",)),
        (("inspect", "whatever"), ("cannot tell what kind of source",)),
        (("inspect", "snapshot:/nonexistent/snap.json"), ("not found",)),
        (("inspect",), ("the following arguments are required: SRC",)),
        (("frobnicate",), ("invalid choice",)),
        (("inspect", "x.json", "--format", "xml"), ("invalid choice",)),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], fragments: tuple[str, ...]) -> None:
    assert_one_line_error(run(*args), *fragments)


def test_unwritable_output_is_one_line(snap: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "out.json"
    assert_one_line_error(run("inspect", f"snapshot:{snap}", "-o", str(target)), "cannot write")


def test_password_masked_in_malformed_url() -> None:
    result = run("inspect", "postgresql://admin:hunter2@db.example:notaport/app")
    assert_one_line_error(result, "malformed database URL")
    assert "hunter2" not in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://admin:hunter2@host/db",
        "mysql+pymysql://root:hunter2@127.0.0.1:3306/x failed",
        "connection failed: password=hunter2 host=x",
        "password = 'hunter2'",
    ],
)
def test_mask_secrets(text: str) -> None:
    assert "hunter2" not in mask_secrets(text)
    assert "hunter2" not in mask_secrets("driver said: hunter2 was wrong", "hunter2")
