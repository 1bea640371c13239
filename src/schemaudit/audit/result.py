"""What an audit returns: findings, per-table status, scorecard and verdict, as plain values.

Reports only read this (plus the two schemas it carries), so every report format tells the
same story, and a baseline written by one run can be compared with the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from schemaudit.audit.config import Config
from schemaudit.audit.findings import Finding, Severity, Verdict
from schemaudit.diff.result import Changes
from schemaudit.model import Schema


class TableState(str, Enum):
    MATCHES = "matches"
    MATCHES_WITH_EXTRAS = "matches + extras"
    GAPS = "gaps"
    RENAME = "rename"
    MISSING = "missing"
    EXTRA = "extra"
    OTHER_KIND = "other kind"  # one side has the name as a virtual table or view: not missing, not extra
    IGNORED = "ignored"
    BOOKKEEPING = "bookkeeping"


@dataclass(frozen=True, slots=True)
class TableStatus:
    """One table's standing. `name` is the target name, or the current name for a table only
    the current schema has; `note` is the ignore reason, the bookkeeping tool, or what the
    other side holds under the name (`virtual table in the current schema`)."""

    name: str
    target: str | None
    current: str | None
    state: TableState
    critical: int = 0
    warning: int = 0
    info: int = 0
    note: str | None = None

    @property
    def has_gaps(self) -> bool:
        """Findings above INFO besides the rename itself (a renamed table may also differ)."""
        return self.critical + self.warning > (1 if self.state is TableState.RENAME else 0)


@dataclass(frozen=True, slots=True)
class ScoreRow:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Scorecard:
    rows: tuple[ScoreRow, ...]
    critical: int
    warning: int
    info: int


@dataclass(frozen=True, slots=True)
class NotAudited:
    """An object the model does not compare (view, trigger, ...), listed so it is not
    mistaken for audited."""

    side: str  # "target" or "current"
    kind: str
    name: str
    table: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class IgnoredTable:
    name: str
    side: str  # "target", "current" or "both"
    pattern: str
    reason: str


@dataclass(frozen=True, slots=True)
class Audit:
    """The audit of `current` against `target` (both without ignored and bookkeeping tables,
    which are listed in `tables` and `ignored` instead)."""

    target: Schema
    current: Schema
    changes: Changes
    findings: tuple[Finding, ...]
    tables: tuple[TableStatus, ...]
    scorecard: Scorecard
    verdict: Verdict
    by_item: tuple[tuple[object, tuple[Finding, ...]], ...] = ()  # change (or fact) -> its findings
    not_audited: tuple[NotAudited, ...] = ()
    ignored: tuple[IgnoredTable, ...] = ()
    config: Config = Config()

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def at_or_above(self, threshold: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity.rank >= threshold.rank)

    @property
    def recommendations(self) -> tuple[Finding, ...]:
        """Findings with a fix, in the order a migration applies them (renames first, then
        creates, adds, alters, constraints, indexes), notes last."""
        with_fix = [f for f in self.findings if f.recommendation]
        return tuple(
            sorted(
                with_fix,
                key=lambda f: (f.fix_order, -f.severity.rank, f.table or "", f.column or "", f.code, f.message),
            )
        )

    def findings_by_item(self) -> dict[object, tuple[Finding, ...]]:
        """Each change's findings: empty for a change whose rules are turned off."""
        return dict(self.by_item)

    def status(self, name: str) -> TableStatus | None:
        return next((t for t in self.tables if t.name == name), None)
