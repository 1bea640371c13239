"""What `compare()` returns: the changes, and the matching that produced them.

The matching is part of the result on purpose: a report must be able to say "users matched
app_users as a rename with confidence 0.93 (same column set, ...)", list the near misses a
person may want to confirm with a hint, and flag hints that matched nothing (a typo in config
should not pass silently).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from schemaudit.diff.changes import Change, RenameEvidence, is_actionable
from schemaudit.model import Table


@dataclass(frozen=True, slots=True)
class TableMatch:
    """A target table and the current table it was compared with."""

    target: str
    current: str
    evidence: RenameEvidence | None = None  # None: the names matched

    @property
    def renamed(self) -> bool:
        return self.evidence is not None


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    """A column matched under another name (exact name matches are not listed)."""

    table: str  # target table name
    target: str
    current: str
    evidence: RenameEvidence


@dataclass(frozen=True, slots=True)
class RenameCandidate:
    """The best pairing left below the rename threshold: shown so a person can add a hint."""

    kind: str  # "table" or "column"
    table: str | None  # target table name for a column candidate
    target: str
    current: str
    evidence: RenameEvidence


@dataclass(frozen=True, slots=True)
class Changes:
    """Changes in deterministic order: by target-side table name, then operation, then item."""

    changes: tuple[Change, ...]
    tables: tuple[TableMatch, ...] = ()  # every matched table pair, by target name
    columns: tuple[ColumnMatch, ...] = ()  # renamed columns only
    near_misses: tuple[RenameCandidate, ...] = ()
    unused_hints: tuple[str, ...] = ()
    target_dialect: str = ""
    current_dialect: str = ""
    # migration tools' own tables (`schema_migrations`, ...) that the target has and the
    # current lacks; never drift, but a plan creates them as the target has them (empty)
    bookkeeping: tuple[Table, ...] = ()

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    @property
    def actionable(self) -> tuple[Change, ...]:
        """Changes that need work (drops included); storage-equivalence notes left out.
        An apply has converged when this is empty."""
        return tuple(c for c in self.changes if is_actionable(c))

    def for_table(self, name: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.table == name)

    def of_type(self, *kinds: type) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if isinstance(c, kinds))

    def match_for(self, target_table: str) -> TableMatch | None:
        return next((m for m in self.tables if m.target == target_table), None)
