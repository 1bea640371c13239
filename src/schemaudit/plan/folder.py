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
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from schemaudit import snapshot
from schemaudit.errors import SchemauditError
from schemaudit.files import json_text, parse_json
from schemaudit.model import Schema
from schemaudit.plan.model import DataCheck, Plan, Step, TableShape
from schemaudit.plan.render_sql import header, step_code, step_sql
from schemaudit.sqltext import code, normalize_newlines

FORMAT = "schemaudit-plan"
VERSION = 1
MANIFEST = "plan.json"
TARGET = "target.json"
README = "README.sql"
DIALECTS = ("sqlite", "postgresql", "mysql")


def checksum(text: str) -> str:
    """Of a step file's text, line ends normalized (a checkout may turn LF into CRLF)."""
    return hashlib.sha256(normalize_newlines(text).encode("utf-8")).hexdigest()


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
    expects: tuple[TableShape, ...] = ()
    leaves: tuple[TableShape, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanFolder:
    path: Path
    dialect: str
    steps: tuple[StepRecord, ...]
    notes: tuple[str, ...]
    target: Schema
    schema: str | None = None  # PostgreSQL: the schema the plan was made for


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
        "expects": [_shape_dict(e) for e in step.expects],
        "leaves": [_shape_dict(e) for e in step.leaves],
        "statements": [{"sql": s.sql, **({"check": True} if s.check else {})} for s in step.statements],
        "data_checks": [
            {"sql": c.sql, "table": c.table, "column": c.column, "problem": c.problem, "remedy": c.remedy}
            for c in step.data_checks
        ],
    }


def _shape_dict(shape: TableShape) -> dict[str, Any]:
    return (
        {"table": shape.table, "columns": None if shape.columns is None else list(shape.columns)}
        | ({"keeps": list(shape.keeps)} if shape.keeps is not None else {})
        | ({"indexes": list(shape.indexes)} if shape.indexes is not None else {})
    )


def write(plan: Plan, folder: Path) -> list[Path]:
    """Write the plan folder; returns the files written. An existing plan folder is
    replaced only if it holds a plan (never a folder of other files).

    The folder appears complete or not at all: the files are written into a temporary folder
    beside it, which is then renamed into place (an old plan folder is moved aside first and
    removed after; other files the user kept in it are carried over)."""
    if plan.target is None:
        raise SchemauditError("a plan folder needs the target schema (build the plan with it)")
    if folder.exists() and not folder.is_dir():
        raise SchemauditError(f"cannot write a plan folder to {folder}: it is a file")
    old = list(folder.iterdir()) if folder.is_dir() else []
    if old and not (folder / MANIFEST).is_file():
        raise SchemauditError(f"{folder} is not empty and holds no plan; choose a new folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".partial", dir=folder.parent))
    try:
        names = _fill(plan, staging)
        for p in old:
            if p.is_file() and not (p.suffix == ".sql" or p.name in (MANIFEST, TARGET)):
                shutil.copy2(p, staging / p.name)
        _swap(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in names]


def _fill(plan: Plan, folder: Path) -> list[str]:
    assert plan.target is not None
    written: list[str] = []
    steps = []
    for step in plan.steps:
        text = step_sql(step, plan.dialect)
        name = f"{step.id}.sql"
        _save(folder / name, text)
        written.append(name)
        steps.append(_step_dict(step, name, text))
    _save(folder / README, header(plan))
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "dialect": plan.dialect,
        **({"schema": plan.schema} if plan.schema else {}),
        "date": plan.date,
        "notes": list(plan.notes),
        "kept": [{"change": k.change.describe(), "reason": k.reason} for k in plan.kept],
        "steps": steps,
    }
    with _saving(folder / TARGET) as handle:  # 23 MB for 5,000 tables: written as it is spelled
        snapshot.dump(plan.target, handle.write)
    _save(folder / MANIFEST, json_text(manifest))
    return [README, *written, MANIFEST, TARGET]


def _save(path: Path, text: str) -> None:
    with _saving(path) as handle:
        handle.write(text)


@contextmanager
def _saving(path: Path) -> Iterator[TextIO]:
    """A file to write, on the disk when the block ends (before the folder is renamed into place)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


def _swap(staging: Path, folder: Path) -> None:
    """Rename the finished folder into place; an old plan folder goes aside, then away."""
    if not folder.exists():
        staging.rename(folder)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
    aside.rmdir()
    folder.rename(aside)
    try:
        staging.rename(folder)
    except OSError:
        aside.rename(folder)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def read(folder: Path) -> PlanFolder:
    """Read and verify a plan folder: every step file must still match its checksum, and the
    statements the manifest runs must be the code the file shows (comments aside)."""
    manifest_path = folder / MANIFEST
    if not folder.is_dir():
        raise SchemauditError(f"plan folder {folder} does not exist (write one with schemaudit plan -o DIR)")
    if not manifest_path.is_file():
        raise SchemauditError(f"{folder} is not a plan folder: it has no {MANIFEST}")
    data = parse_json(_text(manifest_path), str(manifest_path))
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise SchemauditError(f"{manifest_path} is not a schemaudit plan manifest (version {VERSION})")
    if not (folder / TARGET).is_file():
        raise SchemauditError(f"plan folder {folder} has no {TARGET}: write the plan again")
    target = snapshot.loads(_text(folder / TARGET), where=str(folder / TARGET))
    dialect = data.get("dialect")
    if dialect not in DIALECTS:
        raise SchemauditError(f"{manifest_path} is malformed: dialect {dialect!r} is not one of {', '.join(DIALECTS)}")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not all(isinstance(x, dict) for x in raw_steps):
        raise SchemauditError(f'{manifest_path} is malformed: "steps" must be a list of objects')
    try:
        steps = tuple(_step_record(folder, s, dialect) for s in raw_steps)
        notes = tuple(str(n) for n in _list(data.get("notes", []), "notes"))
        schema = data.get("schema")
        if schema is not None and not isinstance(schema, str):
            raise TypeError("schema (not a string)")
        return PlanFolder(folder, dialect, steps, notes, target, schema)
    except (KeyError, TypeError, ValueError) as exc:
        raise SchemauditError(f"{manifest_path} is malformed: missing or wrong {exc}") from None


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemauditError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"{what} (not a list)")
    return value


def _string(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} (not a string)")
    return value


def _step_record(folder: Path, s: dict[str, Any], dialect: str) -> StepRecord:
    step_id = _string(s["id"], "step id")
    name = _string(s["file"], f"file of step {step_id}")
    if Path(name).name != name or not name.endswith(".sql"):
        raise ValueError(f"file of step {step_id} ({name!r} is not a .sql file in the plan folder)")
    path = folder / name
    try:
        with path.open(encoding="utf-8", newline="") as handle:  # line ends as written
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        raise SchemauditError(f"plan step {step_id}: its file {name} is missing or unreadable") from None
    if checksum(text) != s["checksum"]:
        raise SchemauditError(
            f"plan step {step_id}: {name} was edited after the plan was written "
            "(its checksum differs); write the plan again instead of editing it"
        )
    statements = []
    for x in _list(s["statements"], f"statements of step {step_id}"):
        if not isinstance(x, dict):
            raise TypeError(f"statement of step {step_id} (not an object)")
        statements.append(StatementRecord(_string(x["sql"], f"sql of step {step_id}"), x.get("check") is True))
    foreign_keys = s.get("foreign_keys")
    if foreign_keys not in (None, "on", "off"):
        raise ValueError(f"foreign_keys of step {step_id} ({foreign_keys!r}; on, off or null)")
    transactional = s["transactional"]
    if not isinstance(transactional, bool):
        raise TypeError(f"transactional of step {step_id} (not true or false)")
    expected = step_code([x.sql for x in statements], transactional, foreign_keys)
    if code(text, dialect) != code("\n".join(expected), dialect):
        raise SchemauditError(
            f"plan step {step_id}: the statements in {MANIFEST} are not the code its file {name} shows "
            "(comments aside); write the plan again instead of editing either"
        )
    row_checks = []
    for pair in _list(s.get("row_checks", []), f"row_checks of step {step_id}"):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)):
            raise ValueError(f"row_checks of step {step_id} (each must be [table, table])")
        row_checks.append((pair[0], pair[1]))
    return StepRecord(
        id=step_id,
        file=name,
        checksum=str(s["checksum"]),
        kind=str(s["kind"]),
        description=str(s["description"]),
        risk=str(s["risk"]),
        statements=tuple(statements),
        transactional=transactional,
        foreign_keys=foreign_keys,
        row_checks=tuple(row_checks),
        data_checks=tuple(
            DataCheck(str(c["sql"]), str(c["table"]), str(c["column"]), str(c["problem"]), str(c["remedy"]))
            for c in _list(s.get("data_checks", []), f"data_checks of step {step_id}")
        ),
        expects=tuple(_shape(x, step_id) for x in _list(s.get("expects", []), f"expects of step {step_id}")),
        leaves=tuple(_shape(x, step_id) for x in _list(s.get("leaves", []), f"leaves of step {step_id}")),
    )


def _shape(x: Any, step_id: str) -> TableShape:
    if not isinstance(x, dict):
        raise TypeError(f"expects of step {step_id} (not an object)")

    def names(key: str) -> tuple[str, ...] | None:
        value = x.get(key)
        return None if value is None else tuple(_string(c, f"{key} of step {step_id}") for c in _list(value, key))

    return TableShape(
        _string(x["table"], f"shape of step {step_id}"), names("columns"), names("keeps"), names("indexes")
    )
