"""Words and symbols every report format shares, so markdown, terminal and JSON agree."""

from __future__ import annotations

from schemaudit.audit.findings import Finding, Severity
from schemaudit.audit.result import TableState, TableStatus
from schemaudit.model import Schema

# Written as escapes where ruff would flag a look-alike character (RUF001).
ICON: dict[Severity, str] = {Severity.CRITICAL: "❌", Severity.WARNING: "⚠️", Severity.INFO: "\u2139\ufe0f"}
OK, EXTRA = "✅", "\u2795"


def schema_label(schema: Schema) -> str:
    """How a report names a schema: where it came from, and the schema/database name if any."""
    origin = schema.origin or "(unknown origin)"
    return f"{origin} [{schema.name}]" if schema.name else origin


def display_name(status: TableStatus) -> str:
    """The name a person finds in the database today: the current name for a rename."""
    return status.current if status.state is TableState.RENAME and status.current else status.name


def status_label(status: TableStatus) -> str:
    """`users ⚠️ rename → app_users`, `runs ❌ gaps (2 critical, 1 warning)`, ..."""
    name = display_name(status)
    state = status.state
    if state is TableState.MATCHES:
        return f"{name} {OK} matches"
    if state is TableState.MATCHES_WITH_EXTRAS:
        return f"{name} {OK} matches + extras"
    if state is TableState.MISSING:
        return f"{name} ❌ missing"
    if state is TableState.EXTRA:
        return f"{name} {EXTRA} extra, not in target"
    if state is TableState.OTHER_KIND:
        return f"{name} {ICON[Severity.INFO]} another kind: {status.note}"
    if state is TableState.IGNORED:
        return f"{name} ⏭️ ignored: {status.note}"
    if state is TableState.BOOKKEEPING:
        return f"{name} 📒 bookkeeping ({status.note})"
    gaps = gap_counts(status)
    if state is TableState.RENAME:
        icon = ICON[Severity.CRITICAL] if status.critical else ICON[Severity.WARNING]
        return f"{name} {icon} rename → {status.target}" + (f" + gaps ({gaps})" if status.has_gaps else "")
    icon = ICON[Severity.CRITICAL] if status.critical else ICON[Severity.WARNING]
    return f"{name} {icon} gaps ({gaps})"


def gap_counts(status: TableStatus) -> str:
    """`2 critical, 3 warning`: the table's gaps, a rename not counted among them (it is
    said by the label itself), so every report counts a table's gaps alike."""
    parts = []
    if status.critical:
        parts.append(f"{status.critical} critical")
    warnings = status.warning - (1 if status.state is TableState.RENAME else 0)
    if warnings:
        parts.append(f"{warnings} warning")
    return ", ".join(parts)


def counted(n: int, noun: str) -> str:
    """`1 step`, `2 steps`: a count with its noun (regular plurals only)."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def finding_where(finding: Finding) -> str:
    return finding.location or "(schema)"


def new_evidence(finding: Finding) -> tuple[str, ...]:
    """The finding's evidence a reader has not already read in its message: an item such as
    `validates: @validates('kind') Asset.check at app/models.py:43` whose text the message
    quotes whole would state the same fact twice in one cell."""
    return tuple(e for e in finding.evidence if (e.partition(": ")[2] or e) not in finding.message)
