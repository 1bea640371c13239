"""`--python PATH`: models imported and migrations replayed by the project's own interpreter.

Many projects pin SQLAlchemy 1.4; schemaudit itself needs 2.x. The child that runs the
project's code therefore runs in the project's interpreter and speaks only JSON back. This
test builds such an interpreter once per session (a venv with SQLAlchemy 1.4 and Alembic
1.13 from the package index), writes models and a migration the way 1.4-era projects do
(`declarative_base()`, `Column(...)`), and audits them against a SQLite database that the
project's own SQLAlchemy built. Without the index the test skips, and fails under
SCHEMAUDIT_REQUIRE_SERVERS=1.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from schemaudit.cli import main
from tests.conftest import REQUIRE_SERVERS

DATA = Path(__file__).resolve().parent / "data" / "legacy14"


@pytest.fixture(scope="session")
def python14(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("venv-sqlalchemy14")
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    python = str(folder / "bin" / "python")
    done = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "sqlalchemy>=1.4,<2",
            "alembic>=1.7,<1.14",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        reason = f"cannot install SQLAlchemy 1.4 from the package index: {done.stderr.strip().splitlines()[-1:]}"
        if REQUIRE_SERVERS:
            pytest.fail(f"SCHEMAUDIT_REQUIRE_SERVERS=1 but {reason}")
        pytest.skip(reason)
    return python


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(DATA, tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    return tmp_path / "project"


def _create_all(python: str, project: Path) -> str:
    db = project / "app.db"
    script = (
        "import sys, sqlalchemy as sa\nsys.path.insert(0, '.')\nimport legacy_models\n"
        f"assert sa.__version__.startswith('1.4')\n"
        f"legacy_models.Base.metadata.create_all(sa.create_engine('sqlite:///{db}'))\n"
    )
    subprocess.run([python, "-c", script], check=True, cwd=project)
    return f"sqlite:///{db}"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_models_of_a_sqlalchemy_14_project(python14: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _create_all(python14, project)
    code, out, err = run(
        ["inspect", "models:legacy_models:Base", "--python", python14, "--dialect", "sqlite", "--format", "json"],
        capsys,
    )
    assert code == 0, err
    assert '"pet"' in out and '"descending": true' in out  # text("name DESC") read as a direction
    args = ["--target", "models:legacy_models:Base", "--current", url, "--python", python14, "--format", "json"]
    code, out, err = run(["audit", *args, "-o", "report.json"], capsys)
    assert err == ""
    report = json.loads((project / "report.json").read_text())
    # nothing differs: the validated enum SQLite stores as text has no CHECK in the model or
    # the database, a note (INFO)
    assert [(f["code"], f["severity"]) for f in report["findings"]] == [("SA192", "info")]


def test_migrations_of_a_sqlalchemy_14_project(
    python14: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _create_all(python14, project)
    args = ["--target", url, "--current", "alembic:migrations", "--python", python14, "--format", "json"]
    code, _, err = run(["audit", *args, "-o", "report.json"], capsys)
    assert err == "" and code == 0, err


def test_an_interpreter_that_cannot_work_is_one_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["inspect", "models:legacy_models:Base", "--python", str(project / "no-python")], capsys)
    assert code == 2 and err.count("\n") == 1 and "is not a Python interpreter that runs" in err
    empty = project / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(empty)], check=True)
    code, _, err = run(["inspect", "models:legacy_models:Base", "--python", str(empty / "bin" / "python")], capsys)
    assert code == 2 and err.count("\n") == 1 and "has no SQLAlchemy" in err


def test_raw_sql_revisions_replay_in_an_interpreter_without_sqlglot(
    python14: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The child reads what `op.execute` SQL touches without sqlglot, which a project's
    interpreter need not have (prefect's `ALTER TABLE block_data RENAME TO block`)."""
    assert subprocess.run([python14, "-c", "import sqlglot"], capture_output=True, check=False).returncode != 0
    (project / "migrations" / "versions" / "a2_raw.py").write_text(
        '"""raw sql\n\nRevision ID: a2\nRevises: a1\n"""\nfrom alembic import op\n\nrevision = "a2"\n'
        'down_revision = "a1"\n\n\ndef upgrade():\n'
        '    op.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")\n'
        '    op.execute("ALTER TABLE note RENAME TO memo")\n',
        encoding="utf-8",
    )
    code, _, err = run(
        ["history", "alembic:migrations", "--python", python14, "--format", "json", "-o", "h.json"], capsys
    )
    assert code == 0, err
    history = json.loads((project / "h.json").read_text())
    ops = [(o["action"], o["table"], o["effect"]) for o in history["revisions"][-1]["ops"]]
    assert ops == [("execute", "note", "created"), ("execute", "note", "altered")]


@pytest.mark.postgresql
def test_a_scratch_server_the_interpreter_has_no_driver_for_is_one_line(
    python14: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_alembic_source import _pg_url

    code, _, err = run(["inspect", "alembic:migrations", "--python", python14, "--scratch-url", _pg_url()], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert "has no postgresql driver" in err and "pip install psycopg2-binary" in err
