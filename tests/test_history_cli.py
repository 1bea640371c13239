"""`schemaudit history ALEMBIC`: the migration timeline, on the bundled example.

The text output is a golden file (`examples/anime-catalog/expected/history.txt`); the
markdown and JSON forms are checked for content, and bad input for the one-line error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemaudit.cli import main
from tests.test_anime_catalog import EXAMPLE, EXPECTED, check_or_update


@pytest.fixture
def in_example(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(EXAMPLE)
    monkeypatch.delenv("COLUMNS", raising=False)  # a pipe keeps whole rows unless COLUMNS says otherwise
    return EXAMPLE


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_timeline_golden(in_example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["history", "alembic.ini"], capsys)
    assert (code, err) == (0, "")
    check_or_update(EXPECTED / "history.txt", out)
    assert "0008      2026-01-13 18:30  align collection/view FKs (legacy)" in out
    assert out.count("\n0") == 13


def test_verbose_lists_each_operation_with_file_and_line(in_example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["history", "alembic:alembic/versions", "--revision", "0005", "-v"], capsys)
    assert code == 0
    assert "(5 revisions, head 0005)" in out
    assert "    alembic/versions/0005_create_refresh_tokens.py:21  create_table refresh_tokens\n" in out
    assert "0006" not in out


def test_markdown_and_json(in_example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["history", "alembic.ini", "--format", "md"], capsys)
    assert code == 0
    assert out.startswith(
        "# Migration history of `alembic:alembic.ini`\n\n| Revision | Date | Message | Tables affected |"
    )
    assert "| 0005 | 2026-01-11 06:50 | create refresh_tokens | created: refresh_tokens |" in out
    target = tmp_path / "history.json"
    code, out, _ = run(["history", "alembic.ini", "-o", str(target)], capsys)
    assert (code, out) == (0, "")
    data = json.loads(target.read_text())
    assert [r["revision"] for r in data["revisions"]][:2] == ["0001", "0002"]
    created = data["revisions"][4]["ops"][0]
    assert created["action"] == "create_table" and created["table"] == "refresh_tokens" and created["line"] == 21
    assert {p["kind"] for p in created["parts"]} == {"column", "primary_key", "foreign_key"}


def test_bad_input_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["history", "nowhere/alembic.ini"], capsys)
    assert (code, out, err) == (2, "", "schemaudit: alembic:nowhere/alembic.ini: nowhere/alembic.ini does not exist\n")
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "a_1.py").write_text(
        "revision = 'a'\ndown_revision = None\nraise ValueError('half-written')\n"
    )
    code, out, err = run(["history", "versions"], capsys)
    assert code == 2
    assert err == "schemaudit: alembic:versions: versions/a_1.py:3: cannot load revision: ValueError: half-written\n"
