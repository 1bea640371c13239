"""`schemaudit check`: an Alembic project's models against its migrations, found from the
project folder without flags and without running env.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from schemaudit.sources.alembic.project import find_project

ROOT = Path(__file__).resolve().parent.parent
ANIME = ROOT / "examples" / "anime-catalog"
LONG = ("audit", "--target", "models:app.models:Base", "--current", "alembic:alembic.ini")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_check_in_the_anime_example_reports_what_the_long_audit_does() -> None:
    short, long = run("check", cwd=ANIME), run(*LONG, cwd=ANIME)
    assert short.returncode == long.returncode == 1  # two critical findings
    assert short.stdout == long.stdout
    assert "models:app.models:Base (target_metadata = Base.metadata)" in short.stderr
    assert "render_as_batch" in short.stderr
    as_json = json.loads(run("check", "--format", "json", "-q", cwd=ANIME).stdout)
    codes = sorted(f["code"] for f in as_json["findings"])
    assert codes == ["SA143", "SA161", "SA172", "SA191"]


def test_check_from_elsewhere_takes_the_ini_and_the_example_config(tmp_path: Path) -> None:
    result = run("check", str(ANIME / "alembic.ini"), "--format", "json", "-q", cwd=ROOT)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["config"]["source"] == "examples/anime-catalog/pyproject.toml"
    assert sorted(f["code"] for f in report["findings"]) == ["SA143", "SA161", "SA172", "SA191"]


def _project(tmp_path: Path, env_py: str, url: str = "driver://user:pass@localhost/dbname") -> Path:
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "alembic.ini").write_text(
        f"[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = {url}\n", encoding="utf-8"
    )
    (tmp_path / "migrations" / "env.py").write_text(env_py, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("env_py", "spec"),
    [
        ("from app.models import Base\ntarget_metadata = Base.metadata\n", "models:app.models:Base"),
        ("from app import models\ntarget_metadata = models.Base.metadata\n", "models:app.models:Base"),
        ("import app.db.schema\ntarget_metadata = app.db.schema.metadata\n", "models:app.db.schema:metadata"),
        ("from app.db import metadata as md\ntarget_metadata: object = md\n", "models:app.db:metadata"),
        ("from shop.extensions import db\ntarget_metadata = db.metadata\n", "models:shop.extensions"),
    ],
)
def test_target_metadata_as_projects_write_it(tmp_path: Path, env_py: str, spec: str) -> None:
    assert find_project(_project(tmp_path, env_py)).models == spec


def test_the_dialect_comes_from_the_url_then_env_py(tmp_path: Path) -> None:
    pg = find_project(_project(tmp_path / "a", "target_metadata = None\n", "postgresql+psycopg://app@db/app"))
    assert pg.dialect == "postgresql" and pg.models is None and "None" in pg.models_reason
    literal = 'URL = "mysql+pymysql://app@db/app"\ntarget_metadata = None\n'
    assert find_project(_project(tmp_path / "b", literal)).dialect == "mysql"
    unknown = find_project(_project(tmp_path / "c", "import os\nURL = os.environ['DATABASE_URL']\n"))
    assert unknown.dialect is None


def test_flask_migrate_layout(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    (folder / "versions").mkdir(parents=True)
    (folder / "alembic.ini").write_text("[alembic]\n", encoding="utf-8")
    (folder / "env.py").write_text("from app import db\ntarget_metadata = db.metadata\n", encoding="utf-8")
    project = find_project(tmp_path)
    assert project.alembic_spec == f"alembic:{folder}" and project.models == "models:app"


def test_flask_migrate_script_location_dot_from_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ihatemoney's migrations/alembic.ini says `script_location = .` (Flask-Migrate sets the
    folder at run time): from the project root, `.` is the migrations folder, not the root."""
    folder = tmp_path / "migrations"
    (folder / "versions").mkdir(parents=True)
    (folder / "alembic.ini").write_text("[alembic]\nscript_location = .\n", encoding="utf-8")
    env_py = "from flask import current_app\ntarget_metadata = current_app.extensions['migrate'].db.metadata\n"
    (folder / "env.py").write_text(env_py, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    project = find_project(Path("."))
    assert project.script_folder.resolve() == folder.resolve()
    assert project.models is None and "current_app" in project.models_reason  # read from env.py
    refused = run("check", cwd=tmp_path)
    assert refused.returncode == 2 and "does not name an imported module's models; pass --target" in refused.stderr


@pytest.mark.parametrize(
    ("env_py", "url", "message"),
    [
        ("target_metadata = None\n", "sqlite:///app.db", "cannot tell the models: env.py sets target_metadata = None"),
        ("from app.models import Base\ntarget_metadata = Base.metadata\n", "postgresql://db/app",
         "the project runs on postgresql (sqlalchemy.url in alembic.ini)"),
        ("from app.models import Base\ntarget_metadata = Base.metadata\n", "driver://u@h/d",
         "cannot tell the project's database"),
    ],
)  # fmt: skip
def test_what_cannot_be_found_is_one_line_naming_the_setting(
    tmp_path: Path, env_py: str, url: str, message: str
) -> None:
    result = run("check", cwd=_project(tmp_path, env_py, url))
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert "--target" in result.stderr or "scratch_url" in result.stderr


def test_no_project_here(tmp_path: Path) -> None:
    result = run("check", cwd=tmp_path)
    assert result.returncode == 2 and "no alembic.ini" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.postgresql
def test_a_postgresql_project_replays_on_the_configured_server(tmp_path: Path) -> None:
    from tests.conftest import PG_URL

    shutil.copytree(ANIME, tmp_path / "anime", ignore=shutil.ignore_patterns("__pycache__"))
    project = tmp_path / "anime"
    ini = project / "alembic.ini"
    ini.write_text(ini.read_text().replace("driver://user:pass@localhost/dbname", "postgresql://app@db/app"))
    with (project / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[tool.schemaudit.env.ci]\nscratch_url = "{PG_URL}"\n')
    refused = run("check", cwd=project)
    assert refused.returncode == 2 and "--scratch-url" in refused.stderr
    result = run("check", "--env", "ci", "--format", "json", "-q", cwd=project)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["target"]["dialect"] == report["current"]["dialect"] == "postgresql"
    long = run(*LONG, "--scratch-url", PG_URL, "--format", "json", "-q", cwd=project)
    assert [f["code"] for f in report["findings"]] == [f["code"] for f in json.loads(long.stdout)["findings"]]
