"""A plan as SQL text: one script, or one text per step (the numbered files of a plan folder).

Every step is self-describing in comments (id, kind, risk with reasons, data-migration notes,
hazards) and self-contained in SQL: its own transaction where the dialect has transactional
DDL, and SQLite's `PRAGMA foreign_keys` switched around a table rebuild. Text that comes from
a schema (names, comments) is put in comments only after control characters are removed, so
a table named "x\\nDROP TABLE y; --" cannot turn a comment line into a statement.
"""

from __future__ import annotations

import re

from schemaudit.plan.model import Plan, Step
from schemaudit.terminal import has_controls

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")
RULE = "-- " + "-" * 77


def comment(text: str) -> str:
    """Text safe inside a `--` comment: no line breaks or other control characters."""
    return _CONTROL.sub(" ", text)


def step_sql(step: Step, dialect: str) -> str:
    """The text of one step, as a file of a plan folder holds it (checksummed as is)."""
    lines = [
        RULE,
        f"-- {comment(step.id)}",
        f"-- {comment(step.kind.value)}: {comment(step.description)}",
        f"-- Risk: {comment(str(step.risk))}",
    ]
    lines.extend(f"-- Data migration: {comment(note)}" for note in step.notes)
    lines.extend(f"-- Hazard ({h.code}): {comment(h.message)}" for h in step.hazards)
    if not step.transactional and dialect != "mysql":
        lines.append("-- Runs outside a transaction.")
    if any(has_controls(s.sql) for s in step.statements):
        lines.append(
            f"-- Names below hold control characters, which {dialect} cannot escape inside a name: they are "
            "written as they are (read this file with `cat -v`; schemaudit's listings show them escaped)."
        )
    checks = [s.check for s in step.statements]
    lines.extend(step_code([s.sql for s in step.statements], step.transactional, step.foreign_keys, checks))
    return "\n".join(lines) + "\n"


def step_code(
    statements: list[str], transactional: bool, foreign_keys: str | None, checks: list[bool] | None = None
) -> list[str]:
    """The lines of a step that run: its statements with the framing around them. `apply`
    compares a reviewed file's code with this, comments aside."""
    lines = []
    if foreign_keys:
        lines.append(f"PRAGMA foreign_keys = {foreign_keys.upper()};")
    if transactional:
        lines.append("BEGIN;")
    for sql, check in zip(statements, checks or [False] * len(statements), strict=True):
        if check:
            lines.append("-- Any row returned below is a violation: the step must be rolled back.")
        lines.append(sql.rstrip().rstrip(";") + ";")
    if transactional:
        lines.append("COMMIT;")
    if foreign_keys == "off":
        lines.append("PRAGMA foreign_keys = ON;")
    return lines


def header(plan: Plan) -> str:
    lines = [
        f"-- schemaudit migration plan for {plan.dialect} ({plan.date})",
        f"-- {len(plan.steps)} step(s); highest risk: {plan.risk.value if plan.steps else 'none'}",
    ]
    lines.extend(f"-- Note: {comment(note)}" for note in plan.notes)
    if plan.kept:
        lines.append("-- Kept, not planned:")
        lines.extend(f"--   {comment(k.change.describe())} ({comment(k.reason)})" for k in plan.kept)
    if not plan.steps and plan.kept:
        lines.append(f"-- No step to run, but {len(plan.kept)} change(s) are kept (above): the schemas still differ.")
    elif not plan.steps:
        lines.append("-- Nothing to do: the current schema already matches the target.")
    return "\n".join(lines) + "\n"


def search_path(plan: Plan) -> str:
    """The line that points unqualified names at the plan's schema (PostgreSQL, not `public`):
    the plan names tables, types and functions as the catalog prints them with the search
    path at that schema, so `psql -f plan.sql` from a plain connection runs where `apply`
    would. Empty when the plan runs in the connection's own schema."""
    if not plan.schema:
        return ""
    quoted = '"' + plan.schema.replace('"', '""') + '"'
    return f"-- Every name below is in schema {comment(plan.schema)}:\nSET search_path TO {quoted};\n"


def script(plan: Plan) -> str:
    """The whole plan as one SQL script, steps in order."""
    parts = [header(plan)]
    if plan.steps and plan.schema:
        parts.append("\n" + search_path(plan))
    parts.extend("\n" + step_sql(step, plan.dialect) for step in plan.steps)
    return "".join(parts)
