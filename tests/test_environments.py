"""Environments in config (`[tool.schemaudit.env.NAME]`, `--env`, `default_env`) and the
config found from the sources' folders as well as the working directory."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """
[tool.schemaudit]
default_env = "dev"

[tool.schemaudit.ignore]
"audit_*" = "written by the audit service"

[tool.schemaudit.env.dev]
target = "sqlite:///target.db"
current = "sqlite:///dev.db"

[tool.schemaudit.env.prod]
base = "dev"
current = "sqlite:///${PROD_DIR}/prod.db"
fail_on = "warning"
format = "json"
"""


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "SCHEMAUDIT_ENV"}
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", *args], capture_output=True, text=True, cwd=cwd, env=full, timeout=120
    )


def _db(path: Path, sql: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    _db(tmp_path / "target.db", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);")
    _db(tmp_path / "dev.db", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);")
    (tmp_path / "prod").mkdir()
    _db(tmp_path / "prod" / "prod.db", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);")  # nullable drift
    return tmp_path


def test_the_default_environment_needs_no_flags(project: Path) -> None:
    result = run("audit", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "CONSISTENT" in result.stdout and "pyproject.toml (env dev)" in result.stdout


def test_a_named_environment_inherits_its_base_and_the_command_line_wins(project: Path) -> None:
    prod = run("audit", "--env", "prod", cwd=project, PROD_DIR=str(project / "prod"))
    assert prod.returncode == 1, prod.stderr  # fail_on = warning: nullability drift fails
    report = json.loads(prod.stdout)  # format = json
    assert report["config"]["source"] == "pyproject.toml (env prod)"
    assert run("audit", "--env", "prod", "--fail-on", "never", cwd=project, PROD_DIR="prod").returncode == 0
    by_variable = run("audit", "--format", "text", cwd=project, SCHEMAUDIT_ENV="prod", PROD_DIR="prod")
    assert by_variable.returncode == 1 and "env prod" in by_variable.stdout
    overridden = run("audit", "--env", "prod", "--current", "sqlite:///dev.db", cwd=project, PROD_DIR="prod")
    assert overridden.returncode == 0, overridden.stderr


def test_other_commands_take_the_environment(project: Path) -> None:
    shown = run("inspect", "--env", "prod", cwd=project, PROD_DIR="prod")
    assert shown.returncode == 0 and "prod.db" in shown.stdout, shown.stderr
    plan = run("plan", "--env", "prod", "--check", cwd=project, PROD_DIR="prod")
    assert plan.returncode == 1 and "NOT NULL" in plan.stdout, plan.stderr
    assert run("plan", "-o", "plan", cwd=project).returncode == 0
    applied = run("apply", "--plan", "plan", "--dry-run", cwd=project)
    assert applied.returncode == 0 and "dry run: 0 step(s)" in applied.stdout, applied.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[tool.schemaudit.env.qa]\ntarget = "a.db"\ncolour = "red"\n', "unknown key(s) colour"),
        ('[tool.schemaudit.env.qa]\nfail_on = "sometimes"\n', "fail_on = 'sometimes' is not one of"),
        ('[tool.schemaudit.env.qa]\nbase = "qa"\n', "inherit in a circle: qa -> qa"),
    ],
)
def test_a_wrong_environment_is_one_line_naming_the_file(project: Path, extra: str, message: str) -> None:
    (project / "pyproject.toml").write_text(CONFIG + extra, encoding="utf-8")
    result = run("audit", "--env", "qa", cwd=project)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr and "pyproject.toml" in result.stderr


def test_an_unknown_environment_names_the_known_ones(project: Path) -> None:
    result = run("audit", "--env", "staging", cwd=project)
    assert result.returncode == 2 and "no environment 'staging' (known: dev, prod)" in result.stderr


def test_missing_sources_say_where_they_may_come_from(tmp_path: Path) -> None:
    result = run("audit", "--current", "x.db", cwd=tmp_path)
    assert result.returncode == 2 and "--target" in result.stderr and "--env" in result.stderr


def test_config_is_found_beside_the_sources_from_the_repository_root() -> None:
    """The creative-pipeline example's rename hints apply when it is audited from the root:
    26 critical findings, as from its own folder (28 when the hints were silently missed)."""
    folder = "examples/creative-pipeline"
    pair = (
        "--target",
        f"spec:{folder}/docs/TECH_SPEC.md#5",
        "--current",
        f"python:{folder}/scripts/backend.py:init_schema",
    )
    from_root = run("audit", *pair, "--fail-on", "never", cwd=ROOT)
    assert from_root.stdout.startswith("INCONSISTENT  26 critical"), from_root.stdout[:200]
    assert f"config  {folder}/pyproject.toml" in from_root.stdout
    md = run("audit", *pair, "--fail-on", "never", "--format", "md", cwd=ROOT).stdout
    assert f"**Configuration:** `{folder}/pyproject.toml`" in md


MODELS = """
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.Text, nullable=False)
"""


def _interpreter(path: Path, log: Path) -> str:
    """A real interpreter (ours) behind a script that notes each start in `log`."""
    path.write_text(f'#!/bin/sh\necho "$0" >> "{log}"\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_the_project_interpreter_comes_from_the_environment_or_the_top_level(project: Path) -> None:
    """`python` in an environment, or at the top of [tool.schemaudit], is `--python`: the
    child that imports the models runs under it (each start is logged by the script)."""
    (project / "app_models.py").write_text(MODELS, encoding="utf-8")
    log = project / "started.log"
    top = _interpreter(project / "top-python", log)
    models_env = _interpreter(project / "models-python", log)
    config = CONFIG.replace("[tool.schemaudit]\n", f'[tool.schemaudit]\npython = "{top}"\n', 1)
    config += (
        f'\n[tool.schemaudit.env.models]\nbase = "dev"\ntarget = "models:app_models:Base"\npython = "{models_env}"\n'
    )
    (project / "pyproject.toml").write_text(config, encoding="utf-8")

    by_top = run("inspect", "models:app_models:Base", "--path", ".", "--dialect", "sqlite", cwd=project)
    assert by_top.returncode == 0 and "users" in by_top.stdout, by_top.stderr
    assert set(log.read_text().split()) == {top}
    log.unlink()
    by_env = run("audit", "--env", "models", "--path", ".", cwd=project)
    assert by_env.returncode == 0 and "CONSISTENT" in by_env.stdout, by_env.stderr
    assert set(log.read_text().split()) == {models_env}
    log.unlink()
    by_option = run("audit", "--env", "models", "--path", ".", "--python", sys.executable, cwd=project)
    assert by_option.returncode == 0 and not log.exists(), "the command line wins"
    wrong = run("audit", "--env", "models", "--path", ".", "--python", str(project / "nope"), cwd=project)
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1 and "is not a Python interpreter" in wrong.stderr

    (project / "pyproject.toml").write_text(config.replace(f'python = "{top}"', "python = 3", 1), encoding="utf-8")
    bad = run("audit", cwd=project)
    assert bad.returncode == 2 and "python must be a string" in bad.stderr and "pyproject.toml" in bad.stderr
