"""`python -m bench.real_projects`: schemaudit and Alembic on real projects' models and migrations.

For each published project below (installed from the package index into its own venv under
`bench/.venvs/`, with the versions pinned), the pair is the project's SQLAlchemy models and
the PostgreSQL database its Alembic history builds (`upgrade head` on a fresh database, the
project's env.py replaced by a minimal one). Both tools look at that same pair:

- Alembic: `compare_metadata` with `compare_type` and `compare_server_default`
  (`bench/alembic_reference.py`, run by the project's interpreter);
- schemaudit: `schemaudit audit --target models:... --current <that database> --python <the
  project's interpreter>` (the child imports the models with the project's own SQLAlchemy).

Then every disagreement is listed: each Alembic difference that no schemaudit finding covers
(same table, and same column or object name where Alembic names one), and each schemaudit
WARNING or CRITICAL finding that no Alembic difference covers. The second list is not all
false alarms (schemaudit compares things Alembic does not: enum labels, primary key order),
so each entry keeps its message for a reader to judge. Results: bench/results/real_projects.json
and docs/REAL_PROJECTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENVS = ROOT / "bench" / ".venvs"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Project:
    name: str
    requirement: str
    package: str  # the import package, to find the installed folder
    models: str  # module:attr of the metadata
    migrations: str  # the script folder, relative to the installed package folder
    base: str | None = None  # module:attr whose create_all runs before the first revision


PROJECTS = (
    Project("optuna", "optuna==5.1.0", "optuna", "optuna.storages._rdb.models:BaseModel", "storages/_rdb/alembic"),
    Project("ihatemoney", "ihatemoney==7.2.1", "ihatemoney", "ihatemoney.models:db.metadata", "migrations"),
)

# Findings only schemaudit reports, checked by hand in the built database: each is real
# drift that compare_metadata does not look at. A new entry that is not here is a candidate
# false alarm, and the report says so.
CHECKED: dict[tuple[str, str, str], str] = {
    ("optuna", "SA122", "trials"): "real: pg_enum of trialstate lacks WAITING (revision v1.2.0.a alters the "
    "enum with batch_alter_table, which does nothing on PostgreSQL)",
    ("ihatemoney", "SA144", "billowers"): "real: the table has no primary key in the database (\\d billowers)",
}

# Alembic difference -> the schemaudit finding codes that report the same thing
COVERS: dict[str, tuple[str, ...]] = {
    "add_table": ("SA101",),
    "remove_table": ("SA103",),
    "add_column": ("SA111",),
    "remove_column": ("SA113",),
    "modify_type": ("SA121", "SA122", "SA123", "SA124"),
    "modify_nullable": ("SA131", "SA132"),
    "modify_default": ("SA133", "SA134", "SA139"),
    "modify_comment": ("SA138",),
    "add_index": ("SA171", "SA172", "SA173", "SA175"),
    "remove_index": ("SA174", "SA173", "SA175"),
    "add_constraint": ("SA151", "SA161", "SA144"),
    "remove_constraint": ("SA152", "SA162"),
    "add_fk": ("SA141", "SA142"),
    "remove_fk": ("SA143", "SA142"),
}


def venv(project: Project) -> str:
    """The project's interpreter, installed once (psycopg2 for Alembic's connection)."""
    folder = VENVS / project.name
    python = folder / "bin" / "python"
    stamp = folder / ".installed"
    if not stamp.exists() or stamp.read_text() != project.requirement:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                project.requirement,
                "psycopg2-binary",
            ],
            check=True,
        )
        stamp.write_text(project.requirement)
    return str(python)


def _package_dir(python: str, package: str) -> Path:
    code = f"import os, {package}; print(os.path.dirname({package}.__file__))"
    return Path(subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip())


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


def run_project(project: Project, pg_url: str) -> dict[str, Any]:
    from sqlalchemy.engine import make_url

    python = venv(project)
    folder = _package_dir(python, project.package)
    name = f"schemaudit_bench_{uuid.uuid4().hex[:10]}"
    admin = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    db_url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    _admin(admin, f'CREATE DATABASE "{name}"')
    try:
        request = {
            "url": db_url.replace("postgresql://", "postgresql+psycopg2://", 1),
            "script_location": str(folder / project.migrations),
            "models": project.models,
            "base": project.base,
        }
        reference = ROOT / "bench" / "alembic_reference.py"
        done = subprocess.run(
            [python, str(reference), json.dumps(request)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"{project.name}: Alembic reference failed: {done.stderr.strip().splitlines()[-1:]}")
        alembic = json.loads(done.stdout.strip().splitlines()[-1])
        report = ROOT / "bench" / "results" / f"{project.name}.schemaudit.json"
        argv = [sys.executable, "-c", "import sys; from schemaudit.cli import main; sys.exit(main())", "audit"]
        argv += ["--target", f"models:{project.models}", "--current", db_url, "--python", python]
        argv += ["--format", "json", "-o", str(report), "--fail-on", "never"]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{project.name}: schemaudit failed: {done.stderr.strip()}")
        findings = json.loads(report.read_text())["findings"]
    finally:
        _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return compare(project, alembic, findings)


def _covered(diff: dict[str, Any], finding: dict[str, Any]) -> bool:
    if finding["code"] not in COVERS.get(diff["op"], ()):
        return False
    if (finding.get("table") or "").lower() != (diff["table"] or "").lower():
        return False
    name = (diff.get("name") or "").lower()
    if not name or diff["op"] in ("add_table", "remove_table"):
        return True
    text = " ".join([finding.get("column") or "", finding.get("message") or "", *finding.get("evidence", [])])
    return name in text.lower()


def compare(project: Project, alembic: list[dict[str, Any]], findings: list[dict[str, Any]]) -> dict[str, Any]:
    missed = [d for d in alembic if not any(_covered(d, f) for f in findings)]
    alarms = [f for f in findings if f["severity"] in ("warning", "critical")]
    only_ours = [f for f in alarms if not any(_covered(d, f) for d in alembic)]
    return {
        "project": project.requirement,
        "alembic": alembic,
        "findings": findings,
        "alembic_total": len(alembic),
        "alembic_missed": missed,
        "alarms_total": len(alarms),
        "alarms_not_in_alembic": only_ours,
    }


def render(results: list[dict[str, Any]], command: str) -> str:
    lines = [
        "# Real projects: schemaudit and Alembic on the same pairs",
        "",
        "Generated by `bench/real_projects.py`; do not edit by hand. Reproduce with:",
        "",
        f"    {command}",
        "",
        "Each project's models against the PostgreSQL database its Alembic history builds. Alembic:",
        "`compare_metadata` with `compare_type` and `compare_server_default`. schemaudit: `audit` with",
        "`--python` set to the project's interpreter. A disagreement is an Alembic difference no",
        "schemaudit finding covers, or a schemaudit WARNING/CRITICAL no Alembic difference covers.",
        "",
        "| project | Alembic differences | covered by schemaudit | schemaudit WARNING+CRITICAL | not in Alembic |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        covered = r["alembic_total"] - len(r["alembic_missed"])
        lines.append(
            f"| {r['project']} | {r['alembic_total']} | {covered} of {r['alembic_total']} | {r['alarms_total']} "
            f"| {len(r['alarms_not_in_alembic'])} |"
        )
    for r in results:
        lines += ["", f"## {r['project']}", ""]
        lines += ["Alembic differences:", ""]
        lines += [f"- `{d['op']}` {d['table']}" + (f".{d['name']}" if d.get("name") else "") for d in r["alembic"]]
        lines += ["", "Disagreements:", ""]
        rows = [f"- missed by schemaudit: `{d['op']}` {d['table']} {d.get('name') or ''}" for d in r["alembic_missed"]]
        project = r["project"].split("==")[0]
        rows += [
            f"- only schemaudit: {f['severity'].upper()} {f['code']} {f.get('table')}: {f['message']} "
            f"**{CHECKED.get((project, f['code'], f.get('table') or ''), 'not checked: a candidate false alarm')}**"
            for f in r["alarms_not_in_alembic"]
        ]
        lines += rows or ["- none"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.real_projects", description=__doc__.splitlines()[0])
    p.add_argument("--pg-url", default=os.environ.get("SCHEMAUDIT_BENCH_PG_URL", DEFAULT_PG_URL))
    p.add_argument("--only", help="comma-separated project names")
    p.add_argument("--doc", type=Path, default=ROOT / "docs" / "REAL_PROJECTS.md")
    p.add_argument("--no-doc", action="store_true")
    args = p.parse_args(argv)
    chosen = [x for x in PROJECTS if not args.only or x.name in args.only.split(",")]
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    results = [run_project(x, args.pg_url) for x in chosen]
    (ROOT / "bench" / "results" / "real_projects.json").write_text(json.dumps(results, indent=2) + "\n")
    text = render(results, "python -m bench.real_projects" + (f" --only {args.only}" if args.only else ""))
    if not args.no_doc:
        args.doc.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
