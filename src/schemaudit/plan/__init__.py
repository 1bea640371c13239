"""Migration plans: the changes of a compare as ordered, dialect-aware, risk-rated steps.

    from schemaudit.plan import build, PlanOptions
    plan = build(changes, target, current, PlanOptions(dialect="sqlite", allow_drop=False))
    for step in plan.steps:
        print(step.id, step.risk, [s.sql for s in step.statements])

`build` orders the work (see `planner.py`), the dialects spell it (`schemaudit.plan.dialects`),
`render_sql` / `alembic_script` write it out, `folder` saves it for `schemaudit apply`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemaudit import callable_package
from schemaudit.plan.model import Hazard, Kept, Plan, PlanOptions, Risk, RiskLevel, RowCheck, Statement, Step, StepKind

callable_package(__name__)  # schemaudit.plan(...) is the library verb

if TYPE_CHECKING:
    from schemaudit.plan.shapes import build


def __getattr__(name: str) -> Any:
    # `build` needs the dialects, which need this package's model: imported on first use
    if name == "build":
        from schemaudit.plan.shapes import build  # the planner's, with the shapes apply checks

        return build
    raise AttributeError(name)


__all__ = [
    "Hazard",
    "Kept",
    "Plan",
    "PlanOptions",
    "Risk",
    "RiskLevel",
    "RowCheck",
    "Statement",
    "Step",
    "StepKind",
    "build",
]
