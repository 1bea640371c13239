"""Running the pending steps of a plan: all or nothing where DDL is transactional.

PostgreSQL and SQLite roll DDL back, so every transactional step runs in ONE transaction:
a failure anywhere leaves the database exactly as it was before `apply` (on PostgreSQL, but
for the enum labels a plan adds: a label cannot be used in the transaction that added it, so
those steps commit first). Steps that cannot
run inside a transaction (`CREATE INDEX CONCURRENTLY`) form a second, separate phase after
the commit, each on its own. SQLite's `PRAGMA foreign_keys` cannot change inside a
transaction, so it is set once around the whole run (off when any step rebuilds a table) and
the foreign keys are checked before the commit: a row whose parent is missing that was not
missing before rolls everything back.

MariaDB/MySQL commit each DDL statement implicitly: steps run one by one, each recorded as
started before it runs and as applied when it succeeds, so a second `apply` resumes after the
last one done (and, after a kill, finds in the catalog whether the server finished the step
it was running: `apply.resume`); the plan puts destructive
steps after constructive ones and `apply` checks the data first, so a failure leaves no
object missing.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from functools import partial

from schemaudit.apply.db import ApplyError, Session
from schemaudit.apply.shapes import check_step
from schemaudit.plan.folder import StepRecord

Progress = Callable[[str], None]
_ADD_VALUE = re.compile(r"\s*ALTER\s+TYPE\s+.+\s+ADD\s+VALUE\b", re.IGNORECASE | re.DOTALL)
FkRow = tuple[str, object, str]


def run_steps(session: Session, steps: Sequence[StepRecord], say: Progress) -> list[str]:
    """Apply `steps` (all pending, in order); the ids applied. Raises ApplyError naming the
    failing step and what state the database is in."""
    if not steps:
        return []
    if session.dialect == "mysql":
        return _one_by_one(session, steps, say)
    modes = {s.foreign_keys for s in steps if s.foreign_keys}
    if len(modes) > 1:  # an old SQLite needing foreign keys on for one step and off for another
        return _one_by_one(session, steps, say)
    inside = [s for s in steps if s.transactional]
    outside = [s for s in steps if not s.transactional]
    # PostgreSQL cannot use an enum label in the transaction that added it: the steps that
    # add labels are committed first, each on its own (a label no row uses yet changes no
    # data; the bookkeeping records them, so a second apply goes on after them)
    first = [
        s for s in inside if session.dialect == "postgresql" and any(_ADD_VALUE.match(x.sql) for x in s.statements)
    ]
    applied: list[str] = []
    for step in first:
        applied += _all_or_nothing(session, [step], None, say, committed=len(applied))
    if first:
        say(f"phase 1: {len(first)} step(s) adding enum labels committed; the rest in one transaction")
    inside = [s for s in inside if s not in first]
    applied += _all_or_nothing(session, inside, modes.pop() if modes else None, say, committed=len(applied))
    if outside:
        say(f"phase 2: {len(outside)} step(s) that cannot run in a transaction, each on its own")
        for number, step in enumerate(outside):
            try:  # an INVALID index left by a failure keeps the start record: the next run names it
                _statements(session, step, None, start=partial(session.record_start, step.id, step.checksum))
                session.record(step.id, step.checksum)
                session.forget_start(step.id)
            except ApplyError as exc:
                raise ApplyError(
                    f"step {step.id} ({step.description}) failed outside the transaction: {exc}; the "
                    f"{len(applied)} step(s) of the transaction are committed, {number} step(s) of this phase "
                    "ran before it; an interrupted CREATE INDEX CONCURRENTLY leaves an INVALID index: drop it "
                    "and apply again"
                ) from None
            applied.append(step.id)
            say(f"applied {step.id}: {step.description}")
    return applied


def _all_or_nothing(
    session: Session, steps: Sequence[StepRecord], fk_mode: str | None, say: Progress, committed: int = 0
) -> list[str]:
    if fk_mode:
        session.execute(f"PRAGMA foreign_keys = {fk_mode.upper()}")
    applied: list[str] = []
    try:
        session.begin()
        baseline = _fk_violations(session) if session.dialect == "sqlite" else None
        session.ensure_migrations_table()
        for step in steps:
            try:
                _statements(session, step, baseline)
                session.record(step.id, step.checksum)
            except ApplyError as exc:
                raise ApplyError(f"step {step.id} ({step.description}) failed: {exc}") from None
            applied.append(step.id)
        if baseline is not None:
            new = sorted(_fk_violations(session) - baseline, key=str)
            if new:
                raise ApplyError(f"after the last step, {_fk_message(new)}")
        session.commit()
    except ApplyError as exc:
        session.rollback()
        undone = f"; the {len(applied)} step(s) before it were undone too" if applied else ""
        if committed:
            raise ApplyError(
                f"{exc}; rolled back to where the {committed} step(s) adding enum labels left it "
                f"(committed first; apply again goes on after them){undone}"
            ) from None
        raise ApplyError(
            f"{exc}; the whole plan was rolled back: the database is as it was before apply{undone}"
        ) from None
    finally:
        if fk_mode == "off":
            session.execute("PRAGMA foreign_keys = ON")
    for step_id, step in zip(applied, steps, strict=False):
        say(f"applied {step_id}: {step.description}")
    return applied


def _one_by_one(session: Session, steps: Sequence[StepRecord], say: Progress) -> list[str]:
    """Each step in a transaction of its own where there is one (committed as it succeeds)."""
    applied: list[str] = []
    session.ensure_migrations_table()
    for step in steps:
        transactional = step.transactional and session.dialect != "mysql"
        if step.foreign_keys:
            session.execute(f"PRAGMA foreign_keys = {step.foreign_keys.upper()}")
        ran: list[int] = [0]
        try:
            if transactional:
                session.begin()
            baseline = _fk_violations(session) if session.dialect == "sqlite" else None
            start = None if transactional else partial(session.record_start, step.id, step.checksum)
            _statements(session, step, baseline, ran, start)
            session.record(step.id, step.checksum)
            if transactional:
                session.commit()
            else:
                session.forget_start(step.id)
        except ApplyError as exc:
            if transactional:
                session.rollback()
            elif ran[0] == 0:  # nothing of it ran (MariaDB's DDL fails whole): no trace to look for
                with contextlib.suppress(ApplyError):
                    session.forget_start(step.id)
            state = (
                "the database is as it was before this step"
                if transactional or ran[0] == 0
                else f"{ran[0]} of its {len(step.statements)} statement(s) ran and were committed "
                "(no transactional DDL)"
            )
            earlier = (
                f"{len(applied)} step(s) before it stay applied; apply again to resume"
                if applied
                else "no step applied before it"
            )
            raise ApplyError(f"step {step.id} ({step.description}) failed: {exc}; {state} ({earlier})") from None
        finally:
            if step.foreign_keys == "off":
                session.execute("PRAGMA foreign_keys = ON")
        applied.append(step.id)
        say(f"applied {step.id}: {step.description}")
    return applied


def _statements(
    session: Session,
    step: StepRecord,
    baseline: set[FkRow] | None,
    ran: list[int] | None = None,
    start: Callable[[], None] | None = None,
) -> None:
    """Run one step's statements with its row-count and check statements, once the tables it
    touches are seen to be as the plan expects (then `start` records that it begins)."""
    check_step(session, step)
    existing = session.tables() if step.row_checks else set()
    counts = {before: session.count(before) for before, _ in step.row_checks if before in existing}
    if start is not None:
        start()
    for statement in step.statements:
        rows = session.execute(statement.sql)
        if ran is not None:
            ran[0] += 1
        if statement.check and rows:
            fk_rows = [_fk_row(r) for r in rows]
            fresh = [r for r in fk_rows if baseline is None or r not in baseline]
            if fresh:
                raise ApplyError(_fk_message(fresh))
    tables = session.tables()
    for before, after in step.row_checks:
        if before in counts and after in tables:
            now = session.count(after)
            if now != counts[before]:
                raise ApplyError(f"the row count of {after} changed from {counts[before]} to {now}")


def _fk_row(row: tuple[object, ...]) -> FkRow:
    """`PRAGMA foreign_key_check` answers (table, rowid, parent, fk id)."""
    return (str(row[0]), row[1], str(row[2]) if len(row) > 2 else "?")


def _fk_violations(session: Session) -> set[FkRow]:
    return {_fk_row(r) for r in session.execute("PRAGMA foreign_key_check")}


def _fk_message(rows: Sequence[FkRow]) -> str:
    """Violations in words: which table's rows point at which missing parent rows."""
    by_pair: dict[tuple[str, str], list[object]] = {}
    for table, rowid, parent in rows:
        by_pair.setdefault((table, parent), []).append(rowid)
    parts = []
    for (table, parent), rowids in sorted(by_pair.items()):
        shown = ", ".join(str(r) for r in rowids[:5]) + (", ..." if len(rowids) > 5 else "")
        parts.append(f"{len(rowids)} row(s) of {table} reference a missing {parent} row (rowid {shown})")
    return "foreign key check failed: " + "; ".join(parts)
