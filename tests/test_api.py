"""The library: `import schemaudit` exposes typed verbs; the README's example runs as is."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

import schemaudit
from schemaudit.errors import SchemauditError

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use from Python", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the README has a Use from Python example"
    return match.group(1)


def test_the_readme_example_runs_and_converges(tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(readme_example(), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("INCONSISTENT") and "SA" in lines[0]
    assert lines[1].startswith("# ")
    assert re.fullmatch(r"\d+ step\(s\), highest risk \w+", lines[2])
    assert lines[3] == "converged"


def test_the_readme_example_type_checks_strictly(tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(readme_example(), encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert checked.returncode == 0, checked.stdout


def test_import_is_light_and_exposes_the_verbs() -> None:
    probe = "import sys, schemaudit; print(sorted(m for m in ('sqlalchemy', 'sqlglot', 'rich') if m in sys.modules))"
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert shown.stdout.strip() == "[]", shown.stderr
    assert set(schemaudit.API) == {"load", "compare", "audit", "plan", "apply", "render"}
    assert all(callable(getattr(schemaudit, name)) for name in schemaudit.API)


def _db(path: Path, sql: str) -> str:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)
    return f"sqlite:///{path}"


def test_verbs_take_specs_and_schemas_even_after_the_subpackages_are_imported(tmp_path: Path) -> None:
    from schemaudit.audit import Severity  # the subpackage is loaded: schemaudit.audit is still the verb

    target = _db(tmp_path / "t.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);")
    current = _db(tmp_path / "c.db", "CREATE TABLE t (id INTEGER PRIMARY KEY);")
    result = schemaudit.audit(target, current)
    assert [f.severity for f in result.findings] == [Severity.CRITICAL]
    assert schemaudit.compare(schemaudit.load(target), current).actionable
    plan = schemaudit.plan(target, current)
    folder = tmp_path / "plan"
    from schemaudit.plan import folder as plan_folder

    plan_folder.write(plan, folder)
    dry = schemaudit.apply(folder, current, dry_run=True)
    assert len(dry.pending) == len(plan.steps) and dry.audit is None
    assert schemaudit.apply(folder, current).converged
    after = json.loads(schemaudit.render(schemaudit.audit(target, current), "json"))["findings"]
    assert [f for f in after if f["severity"] != "info"] == []
    with pytest.raises(SchemauditError, match="unknown report format"):
        schemaudit.render(result, "pdf")
