"""`apply(plan folder, database)`: run the pending steps safely, then prove the result.

For each step not yet recorded in `schema_migrations` (id, checksum, applied_at), in order:
count the rows of the tables it touches, run its statements in one transaction where the
dialect allows (SQLite's foreign keys switched off around a rebuild), fail on any row a
check statement returns, compare the row counts, record the step, commit. The first error
stops the run with a message naming the step; the transaction is rolled back, so the
database is as it was before that step (MySQL commits DDL implicitly, and its steps are
single statements for that reason). A SQLite file is backed up before the first change.

Afterwards the database is read again and audited against the target snapshot stored in
the plan folder: "converged" means no actionable change is left. A second apply of the
same plan finds every step recorded and does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from schemaudit.apply.db import ApplyError, Session, SqliteSession, open_session
from schemaudit.audit import Audit, Config, audit
from schemaudit.errors import SchemauditError
from schemaudit.plan import folder as plan_folder
from schemaudit.plan.folder import PlanFolder, StepRecord


@dataclass(frozen=True, slots=True)
class ApplyOptions:
    dry_run: bool = False
    schema: str | None = None  # PostgreSQL schema / MySQL database (default: the URL's)
    config: Config | None = None  # for the re-audit (ignored tables, rename hints)
    backup: bool = True


@dataclass(frozen=True, slots=True)
class ApplyResult:
    applied: tuple[str, ...]
    skipped: tuple[str, ...]  # recorded as applied before this run
    pending: tuple[str, ...]  # a dry run: what would run
    backup: str | None
    audit: Audit | None

    @property
    def converged(self) -> bool:
        return self.audit is not None and not self.audit.changes.actionable


Progress = Callable[[str], None]


def apply(
    plan_dir: Path, db: str, options: ApplyOptions | None = None, progress: Progress | None = None
) -> ApplyResult:
    options = options or ApplyOptions()
    say = progress or (lambda _: None)
    plan = plan_folder.read(plan_dir)
    session = open_session(db, options.schema)
    try:
        if session.dialect != plan.dialect:
            raise SchemauditError(f"the plan is for {plan.dialect} but {db.split('://')[0]} is {session.dialect}")
        done = session.applied()
        _check_history(plan, done)
        pending = [s for s in plan.steps if s.id not in done]
        skipped = tuple(s.id for s in plan.steps if s.id in done)
        if options.dry_run:
            for step in pending:
                say(f"would apply {step.id} ({step.kind}, risk {step.risk}): {step.description}")
            return ApplyResult((), skipped, tuple(s.id for s in pending), None, None)
        backup = _backup(session) if pending and options.backup and isinstance(session, SqliteSession) else None
        if backup:
            say(f"backed up {session.path} to {backup}")  # type: ignore[attr-defined]
        applied: list[str] = []
        if pending:
            session.ensure_migrations_table()
        for step in pending:
            _run_step(session, step, applied)
            applied.append(step.id)
            say(f"applied {step.id}: {step.description}")
    finally:
        session.close()
    from schemaudit.sources import LoadOptions, load

    spec = db if "://" in db or ":" in db.split("/")[0] else f"sqlite:///{db}"
    current = load(spec, LoadOptions(schema=options.schema))
    result = audit(plan.target, current, options.config or Config())
    return ApplyResult(tuple(applied), skipped, (), backup, result)


def _check_history(plan: PlanFolder, done: dict[str, str]) -> None:
    """A recorded step whose checksum differs was applied from another version of the plan."""
    for step in plan.steps:
        recorded = done.get(step.id)
        if recorded is not None and recorded != step.checksum:
            raise SchemauditError(
                f"step {step.id} was applied from a different plan (recorded checksum {recorded[:12]}..., "
                f"this plan's {step.checksum[:12]}...); write a new plan against the database as it is"
            )


def _backup(session: SqliteSession) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    destination = f"{session.path}.schemaudit-backup-{stamp}"
    session.backup(destination)
    return destination


def _run_step(session: Session, step: StepRecord, applied: list[str]) -> None:
    """Run one step; on any failure roll back and raise an error naming the step."""
    transactional = step.transactional and session.dialect != "mysql"
    if step.foreign_keys:
        session.execute(f"PRAGMA foreign_keys = {step.foreign_keys.upper()}")
    ran = 0
    try:
        if transactional:
            session.begin()
        existing = session.tables() if step.row_checks else set()
        counts = {before: session.count(before) for before, _ in step.row_checks if before in existing}
        for statement in step.statements:
            rows = session.execute(statement.sql)
            ran += 1
            if statement.check and rows:
                raise ApplyError(f"{statement.sql} reported {len(rows)} violation(s), e.g. {rows[0]!r}")
        tables = session.tables()
        for before, after in step.row_checks:
            if before in counts and after in tables:
                now = session.count(after)
                if now != counts[before]:
                    raise ApplyError(f"the row count of {after} changed from {counts[before]} to {now}")
        session.record(step.id, step.checksum)
        if transactional:
            session.commit()
    except ApplyError as exc:
        if transactional:
            session.rollback()
        state = (
            "the database is as it was before this step"
            if transactional or ran == 0
            else f"{ran} of its {len(step.statements)} statement(s) ran and were committed (no transactional DDL)"
        )
        earlier = f"{len(applied)} step(s) applied before it" if applied else "no step applied before it"
        raise ApplyError(f"step {step.id} failed: {exc}; {state} ({earlier})") from None
    finally:
        if step.foreign_keys == "off":
            session.execute("PRAGMA foreign_keys = ON")
