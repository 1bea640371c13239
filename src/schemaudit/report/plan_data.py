"""The migration plan as data for the JSON report: the same steps the markdown report
recommends (`fix_plan.py`), with their ids, kind, risk, the findings each resolves and the
statements to run, and for each finding the ids of the steps that fix it; then the report's
data-migration notes (the markdown's "Data migration notes"), names written as they are.

A consumer of the JSON (a CI job, a dashboard) then reads the fix that `schemaudit plan` and
`apply` run, not each finding's own one-change advice, which on SQLite rebuilds one table once
per finding where the plan rebuilds it once.
"""

from __future__ import annotations

from typing import Any

from schemaudit.audit.findings import Finding
from schemaudit.audit.result import Audit
from schemaudit.report import data_notes, fix_plan


def plan_dict(audit: Audit) -> tuple[dict[str, Any], dict[int, list[str]]]:
    """The "plan" object of the report, and the step ids of each finding (by `id()`)."""
    plan = fix_plan.migration_plan(audit)
    if isinstance(plan, str):
        return {"dialect": None, "risk": None, "error": plan, "steps": [], "data_notes": []}, {}
    steps, _ = fix_plan.planned_steps(audit, plan)
    step_ids: dict[int, list[str]] = {}
    rows = []
    for planned in steps:
        step = planned.step
        for f in planned.findings:
            step_ids.setdefault(id(f), []).append(step.id)
        target_fixes = fix_plan.target_fixes(planned, audit.target, str) if planned.in_target else []
        rows.append(
            {
                "id": step.id,
                "kind": step.kind.value,
                "description": step.description,
                "risk": step.risk.level.value,
                "risk_reasons": list(step.risk.reasons),
                "findings": [_finding_key(f) for f in planned.findings],
                "sql": fix_plan.step_sql(step),
                "notes": list(step.notes),
                "fix_in_target": target_fixes,
            }
        )
    notes = [{"text": n.text, "steps": list(n.steps)} for n in data_notes.notes(audit, plan, str)]
    data = {"dialect": plan.dialect, "risk": plan.risk.value, "error": None, "steps": rows, "data_notes": notes}
    return data, step_ids


def _finding_key(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity.value, "table": f.table, "column": f.column}
