"""A plan folder: numbered SQL files to review, a manifest to apply, the target to prove.

    plan/
      plan.json                              manifest: steps, statements, checksums, notes
      target.json                            snapshot of the target schema (for the re-audit)
      20260221_0001_rename_users_to_app_users.sql
      20260221_0002_projects_rename_columns.sql
      ...

`apply` runs the statements of the manifest and refuses a step whose .sql file no longer has
the checksum the manifest recorded: what runs is exactly what was reviewed. The checksum is
also what `schemaudit_migrations` records, so a step applied from an older plan is recognized.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemaudit import snapshot
from schemaudit.errors import SchemauditError
from schemaudit.model import Schema
from schemaudit.plan.model import DataCheck, Plan, Step
from schemaudit.plan.render_sql import header, step_sql

FORMAT = "schemaudit-plan"
VERSION = 1
MANIFEST = "plan.json"
TARGET = "target.json"
README = "README.sql"


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class StatementRecord:
    sql: str
    check: bool = False


@dataclass(frozen=True, slots=True)
class StepRecord:
    """One step as `apply` needs it."""

    id: str
    file: str
    checksum: str
    kind: str
    description: str
    risk: str
    statements: tuple[StatementRecord, ...]
    transactional: bool
    foreign_keys: str | None
    row_checks: tuple[tuple[str, str], ...]
    data_checks: tuple[DataCheck, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanFolder:
    path: Path
    dialect: str
    steps: tuple[StepRecord, ...]
    notes: tuple[str, ...]
    target: Schema


def _step_dict(step: Step, file: str, text: str) -> dict[str, Any]:
    return {
        "id": step.id,
        "file": file,
        "checksum": checksum(text),
        "kind": step.kind.value,
        "description": step.description,
        "risk": step.risk.level.value,
        "risk_reasons": list(step.risk.reasons),
        "notes": list(step.notes),
        "hazards": [{"code": h.code, "message": h.message} for h in step.hazards],
        "transactional": step.transactional,
        "foreign_keys": step.foreign_keys,
        "row_checks": [[r.before, r.after] for r in step.row_checks],
        "statements": [{"sql": s.sql, **({"check": True} if s.check else {})} for s in step.statements],
        "data_checks": [
            {"sql": c.sql, "table": c.table, "column": c.column, "problem": c.problem, "remedy": c.remedy}
            for c in step.data_checks
        ],
    }


def write(plan: Plan, folder: Path) -> list[Path]:
    """Write the plan folder; returns the files written. An existing plan folder is
    replaced only if it holds nothing but a plan (never a folder of other files)."""
    if plan.target is None:
        raise SchemauditError("a plan folder needs the target schema (build the plan with it)")
    if folder.exists() and not folder.is_dir():
        raise SchemauditError(f"cannot write a plan folder to {folder}: it is a file")
    folder.mkdir(parents=True, exist_ok=True)
    old = [p for p in folder.iterdir()]
    if old and not (folder / MANIFEST).is_file():
        raise SchemauditError(f"{folder} is not empty and holds no plan; choose a new folder")
    for p in old:
        if p.is_file() and (p.suffix == ".sql" or p.name in (MANIFEST, TARGET)):
            p.unlink()
    written: list[Path] = []
    steps = []
    for step in plan.steps:
        text = step_sql(step, plan.dialect)
        name = f"{step.id}.sql"
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
        steps.append(_step_dict(step, name, text))
    (folder / README).write_text(header(plan), encoding="utf-8")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "dialect": plan.dialect,
        "date": plan.date,
        "notes": list(plan.notes),
        "kept": [{"change": k.change.describe(), "reason": k.reason} for k in plan.kept],
        "steps": steps,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / TARGET).write_text(snapshot.dumps(plan.target), encoding="utf-8")
    return [folder / README, *written, folder / MANIFEST, folder / TARGET]


def read(folder: Path) -> PlanFolder:
    """Read and verify a plan folder: every step file must still match its checksum."""
    manifest_path = folder / MANIFEST
    if not folder.is_dir():
        raise SchemauditError(f"plan folder {folder} does not exist (write one with schemaudit plan -o DIR)")
    if not manifest_path.is_file():
        raise SchemauditError(f"{folder} is not a plan folder: it has no {MANIFEST}")
    try:
        data = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SchemauditError(f"cannot read {manifest_path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise SchemauditError(f"{manifest_path} is not a schemaudit plan manifest (version {VERSION})")
    try:
        target = snapshot.loads((folder / TARGET).read_text(encoding="utf-8"), where=str(folder / TARGET))
    except FileNotFoundError:
        raise SchemauditError(f"plan folder {folder} has no {TARGET}: write the plan again") from None
    try:
        steps = tuple(_step_record(folder, s) for s in data["steps"])
        return PlanFolder(folder, str(data["dialect"]), steps, tuple(data.get("notes", ())), target)
    except (KeyError, TypeError) as exc:
        raise SchemauditError(f"{manifest_path} is malformed: missing or wrong {exc}") from None


def _step_record(folder: Path, s: dict[str, Any]) -> StepRecord:
    path = folder / s["file"]
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise SchemauditError(f"plan step {s['id']}: its file {path.name} is missing") from None
    if checksum(text) != s["checksum"]:
        raise SchemauditError(
            f"plan step {s['id']}: {path.name} was edited after the plan was written "
            "(its checksum differs); write the plan again instead of editing it"
        )
    statements = tuple(StatementRecord(str(x["sql"]), bool(x.get("check", False))) for x in s["statements"])
    at = 0
    for statement in statements:  # what runs must be what the reviewed file shows, in order
        found = text.find(statement.sql.rstrip().rstrip(";") + ";", at)
        if found < 0:
            raise SchemauditError(
                f"plan step {s['id']}: {MANIFEST} holds a statement its file {path.name} does not; "
                "write the plan again instead of editing it"
            )
        at = found + len(statement.sql)
    return StepRecord(
        id=str(s["id"]),
        file=str(s["file"]),
        checksum=str(s["checksum"]),
        kind=str(s["kind"]),
        description=str(s["description"]),
        risk=str(s["risk"]),
        statements=statements,
        transactional=bool(s["transactional"]),
        foreign_keys=s.get("foreign_keys"),
        row_checks=tuple((str(a), str(b)) for a, b in s.get("row_checks", ())),
        data_checks=tuple(
            DataCheck(str(c["sql"]), str(c["table"]), str(c["column"]), str(c["problem"]), str(c["remedy"]))
            for c in s.get("data_checks", ())
        ),
    )
