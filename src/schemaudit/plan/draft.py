"""A step while the planner assembles it: mutable, turned into a frozen `Step` at the end."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemaudit.plan.model import PlanChange, Rebuild, RowCheck, Statement, StepKind


@dataclass(slots=True)
class Draft:
    kind: StepKind
    table: str
    slug: str
    changes: list[PlanChange]
    statements: list[Statement]
    row_checks: tuple[RowCheck, ...] = ()
    foreign_keys: str | None = None
    parts: list[PlanChange] = field(default_factory=list)  # what the step does (halves of Modify*)
    rebuild: Rebuild | None = None
