"""The migration plan for the HTML report: the planner's steps when it can plan, else the
audit's recommended fixes in the order to apply them.

The planner (`schemaudit.plan`) is optional at render time: a build without it, or a schema
it cannot plan for (an unknown dialect), still gets a useful report, and the page says which
of the two it shows and why.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from schemaudit.audit.findings import Finding
from schemaudit.audit.result import Audit
from schemaudit.errors import SchemauditError
from schemaudit.report.stamp import report_date


@dataclass(frozen=True, slots=True)
class StepView:
    id: str
    kind: str
    description: str
    risk: str
    reasons: tuple[str, ...]
    sql: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanView:
    """Either `steps` (and what the plan keeps) from the planner, or `fixes` from the audit;
    `note` says why the fixes are shown instead of a plan."""

    steps: tuple[StepView, ...] = ()
    kept: tuple[str, ...] = ()
    fixes: tuple[Finding, ...] = ()
    note: str | None = None
    dialect: str | None = None

    @property
    def from_planner(self) -> bool:
        return self.note is None


def plan_view(audit: Audit) -> PlanView:
    """Ask the planner for the migration from current to target, on the current's dialect."""
    try:
        module = importlib.import_module("schemaudit.plan")
        build = module.build
        # dated and filled as the markdown report's plan is, so both show the same step ids
        options = module.PlanOptions(dialect=audit.current.dialect, date=report_date(), fills=audit.config.fills)
        plan = build(audit.changes, audit.target, audit.current, options)
    except ImportError as exc:
        return fixes_view(audit, f"the migration planner is not available ({exc})")
    except (AttributeError, TypeError) as exc:
        return fixes_view(audit, f"the migration planner could not be used ({type(exc).__name__}: {exc})")
    except SchemauditError as exc:
        return fixes_view(audit, f"no plan for this schema: {exc}")
    return _from_plan(plan)


def fixes_view(audit: Audit, note: str) -> PlanView:
    """The recommended fixes, in the order a migration applies them."""
    return PlanView(fixes=audit.recommendations, note=note)


def _statement(sql: str) -> str:
    """A statement as it is pasted into a client: ended by a semicolon."""
    text = sql.rstrip()
    return text if text.endswith(";") or not text else f"{text};"


def _from_plan(plan: Any) -> PlanView:
    steps = tuple(
        StepView(
            id=str(step.id),
            kind=str(getattr(step.kind, "value", step.kind)),
            description=str(step.description),
            risk=str(getattr(step.risk.level, "value", step.risk.level)),
            reasons=tuple(str(r) for r in step.risk.reasons),
            sql=tuple(_statement(str(s.sql)) for s in step.statements),
            notes=tuple(str(n) for n in step.notes),
        )
        for step in plan.steps
    )
    kept = tuple(f"{k.change.describe()}: {k.reason}" for k in getattr(plan, "kept", ()))
    return PlanView(steps=steps, kept=kept, dialect=str(plan.dialect))
