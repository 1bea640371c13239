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
    if step.foreign_keys:
        lines.append(f"PRAGMA foreign_keys = {step.foreign_keys.upper()};")
    if step.transactional:
        lines.append("BEGIN;")
    for statement in step.statements:
        if statement.check:
            lines.append("-- Any row returned below is a violation: the step must be rolled back.")
        lines.append(statement.sql.rstrip().rstrip(";") + ";")
    if step.transactional:
        lines.append("COMMIT;")
    if step.foreign_keys == "off":
        lines.append("PRAGMA foreign_keys = ON;")
    return "\n".join(lines) + "\n"


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


def script(plan: Plan) -> str:
    """The whole plan as one SQL script, steps in order."""
    parts = [header(plan)]
    parts.extend("\n" + step_sql(step, plan.dialect) for step in plan.steps)
    return "".join(parts)
