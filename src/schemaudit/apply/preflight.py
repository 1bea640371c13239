"""Counting the rows that would make a step fail, read-only, before anything changes.

Each `DataCheck` of the plan is one `SELECT COUNT(*)` on the database as it is before the
plan. They run in a read-only transaction (SQLite: `query_only`), so even a hand-edited
manifest cannot make them write. A check that cannot run (an expression the database does
not accept, a column the plan adds) is reported as skipped, never as passed silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from schemaudit.apply.db import ApplyError, Session
from schemaudit.errors import SchemauditError
from schemaudit.plan.model import DataCheck

_READ_ONLY = {
    "sqlite": ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"),
    "postgresql": ("BEGIN READ ONLY", "ROLLBACK"),
    "mysql": ("START TRANSACTION READ ONLY", "ROLLBACK"),
}


class DataProblem(SchemauditError):
    """Rows in the database would make the plan fail: nothing was changed."""


@dataclass(frozen=True, slots=True)
class Finding:
    check: DataCheck
    count: int

    def line(self) -> str:
        where = f"{self.check.table}.{self.check.column}" if self.check.column else self.check.table
        return f"{where}: {self.check.problem.format(n=self.count)}; {self.check.remedy}"


def count_rows(session: Session, checks: Iterable[DataCheck]) -> tuple[list[Finding], list[str]]:
    """The checks that found rows, and the checks that could not run (as lines)."""
    start, stop = _READ_ONLY[session.dialect]
    found: list[Finding] = []
    skipped: list[str] = []
    for check in checks:
        session.execute(start)
        try:
            rows = session.execute(check.sql)
        except ApplyError as exc:
            skipped.append(f"{check.table}.{check.column}: data check not run ({exc})")
            continue
        finally:
            session.execute(stop)
        count = int(rows[0][0]) if rows and rows[0][0] is not None else 0
        if count:
            found.append(Finding(check, count))
    return found, skipped


def stop_on(found: list[Finding], doing: str) -> None:
    """Raise one line naming every problem, when there is any."""
    if not found:
        return
    lines = [f.line() for f in found]
    head = "the data stops this plan" if len(lines) == 1 else f"{len(lines)} data problems stop this plan"
    raise DataProblem(f"{head} ({doing}): " + " | ".join(lines))
