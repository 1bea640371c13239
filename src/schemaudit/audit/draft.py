"""What a rule hands back before it becomes a finding, and what rules may consult.

Shared by the rule modules (`checks.py` for tables and columns, `checks_keys.py` for keys,
constraints and indexes) so that every finding cites origins and evidence the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemaudit.audit.fixes import Fixes, is_sql
from schemaudit.diff.changes import FkRef, RenameEvidence, fk_sql
from schemaudit.model import Column, Origin, Schema


@dataclass(frozen=True, slots=True)
class Draft:
    """A finding before the registry stamps its code and severity. Drafts sharing a `group`
    collapse into one finding listing every place (a storage note is said once per pair)."""

    table: str | None
    column: str | None
    message: str
    evidence: tuple[str, ...] = ()
    recommendation: str | None = None
    origin: str | None = None
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Context:
    """What rules may consult besides the change: both schemas and the fix writer."""

    target: Schema
    current: Schema
    fixes: Fixes

    def table_origin(self, table: str) -> Origin | None:
        found = self.target.table(table) or self.current.table(table)
        return found.origin if found else None


def origin_text(*origins: Origin | None) -> str | None:
    """The first known origin, as `path:line`."""
    return next((str(o) for o in origins if o is not None), None)


def rename_evidence(evidence: RenameEvidence) -> tuple[str, ...]:
    if evidence.hinted:
        return ("rename hint (config or --rename)",)
    return (f"confidence {evidence.score:.2f}", *evidence.reasons)


def referrers(refs: tuple[FkRef, ...]) -> tuple[str, ...]:
    return ("referenced by " + ", ".join(f"{r.table}{fk_sql(r.foreign_key)}" for r in refs),) if refs else ()


def col_origin(ctx: Context, table: str, *cols: Column) -> str | None:
    return origin_text(*(c.origin for c in cols), ctx.table_origin(table))


MEANT = "or, if it is meant, add it to the target instead"


def either(first: str, second: str, label: str) -> str:
    """Two alternative fixes: the second as a comment when both are statements."""
    if is_sql(first) and is_sql(second):
        return f"{first}\n-- {label}:\n-- {second}"
    return f"{first} ({label}: {second})"


def one(columns: tuple[str, ...]) -> str | None:
    """The column a constraint finding is about, when it is about exactly one."""
    return columns[0] if len(columns) == 1 else None
