"""`python -m bench.real_projects`: schemaudit and Alembic on real projects' models and migrations.

For each published project below (installed from the package index into its own venv,
`venv-projects-NAME` under `bench/.venvs/` or under $SCHEMAUDIT_BENCH_VENVS, with the versions
pinned), the pair is the project's SQLAlchemy models and the PostgreSQL database its Alembic
history builds (`upgrade head` on a fresh database, the project's env.py replaced by a minimal
one that runs each revision in its own transaction, as the projects' own env.py files do;
with the driver the project migrates with, asyncpg for prefect; after the `create_all` of the
project's base tables where its history starts from them, mlflow). Both tools look at that
same pair:

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
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENVS = Path(os.environ.get("SCHEMAUDIT_BENCH_VENVS", ROOT / "bench" / ".venvs"))
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Project:
    name: str
    requirement: str
    package: str  # the import package, to find the installed folder
    models: str  # module:attr of the metadata
    migrations: str  # the script folder, relative to the installed package folder
    base: str | None = None  # module:attr whose create_all runs before the first revision
    versions: str | None = None  # the versions folder, relative to `migrations`, when not `versions`
    driver: str = "psycopg2"  # the driver the project's migrations run with
    # a module (name, source) the models are taken from, for a project whose env.py gathers
    # them by a call (airflow's `import_all_models()`); put on the import path of both tools
    shim: tuple[str, str] | None = None
    home_env: str | None = None  # a variable naming a folder the project writes its config in


PROJECTS = (
    Project("optuna", "optuna==5.1.0", "optuna", "optuna.storages._rdb.models:BaseModel", "storages/_rdb/alembic"),
    Project("ihatemoney", "ihatemoney==7.2.1", "ihatemoney", "ihatemoney.models:db.metadata", "migrations"),
    Project(
        "prefect",
        "prefect==3.9.1",
        "prefect",
        "prefect.server.database.orm_models:Base",
        "server/database/_migrations",
        versions="versions/postgresql",
        driver="asyncpg",
    ),
    Project(
        "airflow",
        "apache-airflow==3.3.2",
        "airflow",
        "airflow_all_models:Base",
        "migrations",
        shim=(
            "airflow_all_models",
            "from airflow import models\n\nmodels.import_all_models()\nfrom airflow.models.base import Base\n",
        ),
        home_env="AIRFLOW_HOME",
    ),
    Project(
        "mlflow",
        "mlflow==3.17.2",
        "mlflow",
        "mlflow.store.db.base_sql_model:Base,mlflow.store.tracking.dbmodels.models:Base,"
        "mlflow.store.model_registry.dbmodels.models:Base,mlflow.store.workspace.dbmodels.models:Base",
        "store/db_migrations",
        base="mlflow.store.tracking.dbmodels.initial_models:Base",
    ),
)

# Findings only schemaudit reports, checked by hand in the built database: each is real
# drift that compare_metadata does not look at. A new entry that is not here is a candidate
# false alarm, and the report says so.
CHECKED: dict[tuple[str, str, str], str] = {
    ("optuna", "SA122", "trials"): "real: pg_enum of trialstate lacks WAITING (revision v1.2.0.a alters the "
    "enum with batch_alter_table, which does nothing on PostgreSQL)",
    ("ihatemoney", "SA144", "billowers"): "real: the table has no primary key in the database (\\d billowers)",
    ("mlflow", "SA147", "trace_request_metadata"): "real: the database's key is (key, request_id), the model's "
    "(request_id, key) (pg_index.indkey); compare_metadata does not compare primary keys",
    ("mlflow", "SA147", "trace_tags"): "real: the database's key is (key, request_id), the model's (request_id, key)",
    ("prefect", "SA173", "deployment_schedule"): "real: the migration made the unique index partial (WHERE slug "
    "IS NOT NULL), the model's is not; compare_metadata does not compare WHERE",
    ("airflow", "SA173", "dag_run"): "real: the model's idx_dag_run_queued_dags and idx_dag_run_running_dags are "
    "partial (postgresql_where), the migration made them on (state, dag_id) without WHERE (pg_indexes); "
    "compare_metadata does not compare WHERE",
    ("airflow", "SA147", "dagrun_asset_event"): "real: the database's key is (event_id, dag_run_id), the model's "
    "(dag_run_id, event_id) (pg_index.indkey)",
    **{
        ("prefect", "SA173", table): "real: the model declares gin (name) with no operator class (create_all of it "
        "fails: gin has no default class for varchar), the migration made gin_trgm_ops; compare_metadata does not "
        "compare operator classes"
        for table in ("block_document", "block_type", "deployment", "flow", "flow_run", "task_run", "work_queue")
    },
}

# Alembic differences checked by hand and found not to be differences: compare_metadata
# compares server defaults as text, and a default given as a SQL construct renders otherwise
# than the database prints it. Keyed (project, op, column), any table.
ALEMBIC_NOT_REAL: dict[tuple[str, str, str], str] = {
    ("prefect", "modify_default", "id"): "the model's GenerateUUID() renders (GEN_RANDOM_UUID()), the database "
    "prints gen_random_uuid(): the same default (information_schema.columns.column_default)",
    **{
        ("prefect", "add_index", name): 'the model\'s index is .ddl_if(dialect="sqlite"): create_all makes it on '
        "SQLite only, and compare_metadata does not honour ddl_if (prefect's env.py filters it with include_object)"
        for name in ("ix_flow_run_state__type_name_timestamp", "ix_task_run_state__type_name_timestamp")
    },
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
    folder = VENVS / f"venv-projects-{project.name}"
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


def _package_dir(python: str, package: str, env: dict[str, str]) -> Path:
    code = f"import os, {package}; print(os.path.dirname({package}.__file__))"
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True, env=env)
    return Path(done.stdout.strip().splitlines()[-1])


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


def run_project(project: Project, pg_url: str) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"real-projects-{project.name}-"))
    try:
        return _run_project(project, pg_url, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run_project(project: Project, pg_url: str, work: Path) -> dict[str, Any]:
    from sqlalchemy.engine import make_url

    env = dict(os.environ)
    if project.home_env:
        env[project.home_env] = str(work / "home")
    paths: list[str] = []
    if project.shim:
        (work / f"{project.shim[0]}.py").write_text(project.shim[1], encoding="utf-8")
        paths.append(str(work))
    python = venv(project)
    folder = _package_dir(python, project.package, env)
    name = f"schemaudit_bench_{uuid.uuid4().hex[:10]}"
    admin = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    db_url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    _admin(admin, f'CREATE DATABASE "{name}"')
    try:
        request = {
            "url": db_url.replace("postgresql://", f"postgresql+{project.driver}://", 1),
            "script_location": str(folder / project.migrations),
            "models": project.models,
            "base": project.base,
            "versions": str(folder / project.migrations / project.versions) if project.versions else None,
            "path": paths,
        }
        reference = ROOT / "bench" / "alembic_reference.py"
        done = subprocess.run(
            [python, str(reference), json.dumps(request)], capture_output=True, text=True, check=False, env=env
        )
        if done.returncode != 0:
            raise SystemExit(f"{project.name}: Alembic reference failed: {done.stderr.strip().splitlines()[-1:]}")
        alembic = json.loads(done.stdout.strip().splitlines()[-1])
        report = ROOT / "bench" / "results" / f"{project.name}.schemaudit.json"
        argv = [sys.executable, "-c", "import sys; from schemaudit.cli import main; sys.exit(main())", "audit"]
        argv += ["--target", f"models:{project.models}", "--current", db_url, "--python", python]
        argv += ["--format", "json", "-o", str(report), "--fail-on", "never"]
        argv += [x for p in paths for x in ("--path", p)]
        done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
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


def _table_reported(diff: dict[str, Any], findings: list[dict[str, Any]]) -> bool:
    """An index or column of a table that one side lacks entirely: the table's finding
    (SA101 missing, SA103 extra) reports it."""
    table = (diff["table"] or "").lower()
    return any(f["code"] in ("SA101", "SA103") and (f.get("table") or "").lower() == table for f in findings)


def alembic_not_real(project: str, diff: dict[str, Any]) -> str | None:
    return ALEMBIC_NOT_REAL.get((project, diff["op"], (diff.get("name") or "").lower()))


def compare(project: Project, alembic: list[dict[str, Any]], findings: list[dict[str, Any]]) -> dict[str, Any]:
    real = [d for d in alembic if alembic_not_real(project.name, d) is None]
    missed = [d for d in real if not any(_covered(d, f) for f in findings) and not _table_reported(d, findings)]
    alarms = [f for f in findings if f["severity"] in ("warning", "critical")]
    only_ours = [f for f in alarms if not any(_covered(d, f) for d in alembic)]
    severities = {s: sum(1 for f in findings if f["severity"] == s) for s in ("critical", "warning", "info")}
    return {
        "project": project.requirement,
        "name": project.name,
        "alembic": alembic,
        "findings": findings,
        "severities": severities,
        "alembic_total": len(alembic),
        "alembic_not_real": len(alembic) - len(real),
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
        "An Alembic difference checked in the database and found to be none (a default Alembic",
        "compares as text) is counted apart; an index or column of a table one side lacks is",
        "covered by the table's finding. Each project is installed from the package index into its own",
        "venv (`venv-projects-NAME` under `bench/.venvs/`, or under `$SCHEMAUDIT_BENCH_VENVS`).",
        "",
        "How each pair is built (models spec; migrations folder in the package; driver; tables made",
        "with `create_all` before the first revision):",
        "",
        *[
            f"- {p.requirement}: `models:{p.models}`; `{p.migrations}`"
            + (f" (versions in `{p.versions}`)" if p.versions else "")
            + f"; {p.driver}"
            + (f"; base `{p.base}`" if p.base else "")
            + (f"; `{p.shim[0]}` is a module the bench writes (`Project.shim`)" if p.shim else "")
            for p in PROJECTS
            if any(r["name"] == p.name for r in results)
        ],
        "",
        "| project | schemaudit critical / warning / info | Alembic differences (not real) "
        "| covered by schemaudit | schemaudit WARNING+CRITICAL not in Alembic | of them checked real |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        real = r["alembic_total"] - r["alembic_not_real"]
        covered = real - len(r["alembic_missed"])
        sev = r["severities"]
        project = r["name"]
        checked = sum(1 for f in r["alarms_not_in_alembic"] if _checked(project, f) is not None)
        lines.append(
            f"| {r['project']} | {sev['critical']} / {sev['warning']} / {sev['info']} "
            f"| {r['alembic_total']} ({r['alembic_not_real']}) | {covered} of {real} "
            f"| {len(r['alarms_not_in_alembic'])} | {checked} of {len(r['alarms_not_in_alembic'])} |"
        )
    for r in results:
        project = r["name"]
        lines += ["", f"## {r['project']}", ""]
        lines += ["Alembic differences:", ""]
        shown: dict[str, int] = {}
        for d in r["alembic"]:
            reason = alembic_not_real(project, d)
            if reason is not None:
                shown[reason] = shown.get(reason, 0) + 1
                continue
            lines.append(f"- `{d['op']}` {d['table']}" + (f".{d['name']}" if d.get("name") else ""))
        lines += [f"- not a difference, {n} of them: {reason}" for reason, n in shown.items()]
        lines += ["", "Disagreements:", ""]
        rows = [f"- missed by schemaudit: `{d['op']}` {d['table']} {d.get('name') or ''}" for d in r["alembic_missed"]]
        rows += [
            f"- only schemaudit: {f['severity'].upper()} {f['code']} {f.get('table')}: {f['message']} "
            f"**{_checked(project, f) or 'not checked: a candidate false alarm'}**"
            for f in r["alarms_not_in_alembic"]
        ]
        lines += rows or ["- none"]
    return "\n".join(lines) + "\n"


def _checked(project: str, finding: dict[str, Any]) -> str | None:
    return CHECKED.get((project, finding["code"], finding.get("table") or ""))


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
