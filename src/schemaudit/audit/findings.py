"""What the audit says: findings with a stable code, a severity and a concrete fix.

A finding is the unit everything downstream works with (reports, baselines, exit codes), so
it is a plain immutable value that serializes to JSON without help: strings and tuples only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How bad a finding is. CRITICAL breaks at runtime or lets bad data in; WARNING is drift
    that needs a migration but does not break; INFO is a note that needs no work."""

    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; used for ordering and for `--fail-on` thresholds."""
        return _RANK[self]

    @property
    def label(self) -> str:
        return self.value.upper()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """A severity from user input (config, CLI), any case; ValueError names the choices."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {choices})") from None


_RANK = {Severity.CRITICAL: 3, Severity.WARNING: 2, Severity.INFO: 1}


class Category(str, Enum):
    """Scorecard rows a rule's findings count towards (the seed reports' categories)."""

    TABLES_TO_RENAME = "Tables to rename"
    TABLES_MISSING = "Tables entirely missing"
    COLUMNS_TO_RENAME = "Columns to rename"
    COLUMNS_MISSING = "Columns missing (ADD COLUMN)"
    COLUMNS_EXTRA = "Columns extra (not in target, safe to keep)"
    COLUMNS_EXTRA_BLOCKING = "Columns extra, NOT NULL without default (block inserts)"
    COLUMN_DEFINITIONS = "Column definitions to change (type, nullability, default)"
    CONSTRAINTS_MISSING = "Constraints to add or change (PK, FK, UNIQUE, CHECK)"
    INDEXES_MISSING = "Indexes missing"


class Verdict(str, Enum):
    """CONSISTENT when nothing above INFO remains: notes never make a schema inconsistent."""

    CONSISTENT = "CONSISTENT"
    INCONSISTENT = "INCONSISTENT"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem (or note) found by one rule.

    `table` is the target-side table name (the current name for tables only the current schema
    has), `column` the target-side column name where there is one. `evidence` holds why the
    audit believes it (rename confidence and reasons, the two definitions); `origin` cites the
    definition (file:line) when the source knows it. `fix_order` is the position of the fix in
    a migration (renames first, drops last), so recommendations can be listed in the order
    they must be applied.
    """

    code: str
    severity: Severity
    table: str | None
    column: str | None
    message: str
    evidence: tuple[str, ...] = ()
    recommendation: str | None = None
    origin: str | None = None
    fix_order: int = 99

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity across runs (baselines): code, table and column, not the wording."""
        return (self.code, self.table or "", self.column or "")

    @property
    def location(self) -> str:
        if self.table and self.column:
            return f"{self.table}.{self.column}"
        return self.table or ""

    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (-self.severity.rank, self.table or "", self.column or "", self.code, self.message)
