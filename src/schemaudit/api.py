"""The library: the command line's verbs as plain, typed functions.

    import schemaudit

    target = schemaudit.load("models:app.models:Base", dialect="sqlite")
    result = schemaudit.audit(target, "sqlite:///app.db")
    print(result.verdict.value, len(result.findings))
    print(schemaudit.render(result, "md"))

Sources are `Schema` objects or the same spec strings the command line takes; a built
source (models, DDL, spec) is built for the other side's dialect unless given one. `audit`
and `plan` read `[tool.schemaudit]` only when asked (`config=`), so a library call does not
depend on the working directory. Errors are `schemaudit.errors.SchemauditError`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from schemaudit.errors import SchemauditError
from schemaudit.model import Schema

if TYPE_CHECKING:
    from schemaudit.apply.run import ApplyResult
    from schemaudit.audit import Audit, Config
    from schemaudit.diff import Changes
    from schemaudit.plan import Plan

SchemaLike = Schema | str


def load(
    spec: str,
    *,
    schema: str | None = None,
    dialect: str | None = None,
    path: Sequence[str] = (),
    scratch_url: str | None = None,
    revision: str | None = None,
    lenient: bool = False,
) -> Schema:
    """Read a schema from any source spec (`sqlite:///app.db`, `models:app.models:Base`, ...)."""
    from schemaudit.sources import LoadOptions
    from schemaudit.sources import load as load_source

    options = LoadOptions(
        schema=schema, dialect=dialect, path=tuple(path), scratch_url=scratch_url, revision=revision, lenient=lenient
    )
    return load_source(spec, options)


def compare(target: SchemaLike, current: SchemaLike) -> Changes:
    """What must change in `current` to make it `target` (no severities, no config)."""
    from schemaudit.diff import compare as compare_schemas

    target_schema, current_schema = _pair(target, current)
    return compare_schemas(target_schema, current_schema)


def audit(target: SchemaLike, current: SchemaLike, *, config: Config | Path | str | None = None) -> Audit:
    """Findings, severities, scorecard and verdict of `current` against `target`.

    `config`: a `Config`, a config file (pyproject.toml or schemaudit.toml), or None for
    the defaults."""
    from schemaudit.audit import audit as run_audit

    target_schema, current_schema = _pair(target, current)
    return run_audit(target_schema, current_schema, _config(config))


def plan(
    target: SchemaLike,
    current: SchemaLike,
    *,
    dialect: str | None = None,
    allow_drop: bool = False,
    config: Config | Path | str | None = None,
) -> Plan:
    """The ordered migration from `current` to `target` (for `current`'s dialect unless
    another is named). Save it with `plan.folder.write`, or pass it to `apply`."""
    from schemaudit.plan import PlanOptions, build

    result = audit(target, current, config=config)
    options = PlanOptions(dialect=dialect or result.current.dialect, allow_drop=allow_drop)
    return build(result.changes, result.target, result.current, options)


def apply(
    plan: Plan | Path | str,
    db: str,
    *,
    dry_run: bool = False,
    schema: str | None = None,
    config: Config | Path | str | None = None,
    backup: bool = True,
) -> ApplyResult:
    """Apply a plan (a `Plan` from `plan()`, or a plan folder) to the database `db`, record
    its steps, and re-audit: `result.converged` says whether the database now matches."""
    from schemaudit.apply.run import ApplyOptions
    from schemaudit.apply.run import apply as run_apply
    from schemaudit.plan import folder

    options = ApplyOptions(dry_run=dry_run, schema=schema, config=_config(config), backup=backup)
    if isinstance(plan, (str, Path)):
        return run_apply(Path(plan), db, options)
    with tempfile.TemporaryDirectory(prefix="schemaudit-plan-") as scratch:
        where = Path(scratch) / "plan"
        folder.write(plan, where)
        return run_apply(where, db, options)


def render(result: Audit, fmt: str = "md") -> str:
    """An audit as a report: `md`, `json`, `text`, `sarif` or `html`."""
    from schemaudit.report import FORMATS
    from schemaudit.report import render as render_report

    if fmt not in FORMATS:
        raise SchemauditError(f"unknown report format {fmt!r}; use one of {', '.join(sorted(FORMATS))}")
    return render_report(result, fmt)


def _pair(target: SchemaLike, current: SchemaLike) -> tuple[Schema, Schema]:
    """Spec strings loaded: the current side first, so a built target uses its dialect."""
    current_schema = current if isinstance(current, Schema) else load(current)
    if isinstance(target, Schema):
        return target, current_schema
    from schemaudit.sources import kind_of

    built = kind_of(target) in ("ddl", "spec", "python", "models", "alembic", "stdin")
    return load(target, dialect=current_schema.dialect if built else None), current_schema


def _config(config: Config | Path | str | None) -> Config | None:
    if config is None or not isinstance(config, (str, Path)):
        return config
    from schemaudit.audit import load_config

    return load_config(Path(config))
