"""`apply(plan folder, database)`: run the pending steps safely, then prove the result.

The steps not yet recorded in schemaudit's bookkeeping table (`schemaudit_migrations`: id,
checksum, applied_at) run through `apply.steps`: in ONE transaction on PostgreSQL and SQLite,
so a failure leaves the database exactly as it was; one by one, destructive steps last, on
MariaDB/MySQL where DDL commits implicitly. Each step's row counts are compared and its check
statements (`PRAGMA foreign_key_check`) must return no new violation. A SQLite file is
backed up before the first change.

Afterwards the database is read again and audited against the target snapshot stored in
the plan folder: "converged" means no actionable change is left. A second apply of the
same plan finds every step recorded and does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from schemaudit.apply.db import MIGRATIONS, Session, SqliteSession, open_session
from schemaudit.apply.preflight import count_rows, stop_on
from schemaudit.apply.resume import settle_interrupted
from schemaudit.apply.shapes import check_up_front
from schemaudit.apply.steps import run_steps
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
    migrations_table: str = MIGRATIONS  # schemaudit's bookkeeping table
    backup_to: str | None = None  # SQLite: where the backup goes (default: beside the file)
    check_data: bool = True  # count the rows that would make a step fail, before any change


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
    asked = options.schema
    if options.schema is None and plan.schema is not None:  # the schema the plan was made for
        options = replace(options, schema=plan.schema)
    session = open_session(db, options.schema)
    session.migrations = options.migrations_table
    try:
        if session.dialect != plan.dialect:
            raise SchemauditError(f"the plan is for {plan.dialect} but {db.split('://')[0]} is {session.dialect}")
        if session.dialect == "sqlite" and asked is not None and asked.lower() != "main":
            # ignored, it let a dry run and a real run apply to main what was meant for elsewhere
            raise SchemauditError(f"--schema {asked}: a SQLite database has one schema, main; leave --schema out")
        done = session.applied()
        _check_history(plan, done)
        pending = [s for s in plan.steps if s.id not in done]
        finished = settle_interrupted(session, pending, say, write=not options.dry_run)
        pending = [s for s in pending if s.id not in finished]
        done = {**done, **{s: "" for s in finished}}
        skipped = tuple(s.id for s in plan.steps if s.id in done)
        check_up_front(session, pending)
        if options.check_data:
            _preflight(session, pending, bool(skipped), say, options.dry_run)
        if options.dry_run:
            for step in pending:
                say(f"would apply {step.id} ({step.kind}, risk {step.risk}): {step.description}")
            return ApplyResult((), skipped, tuple(s.id for s in pending), None, None)
        backup = None
        if pending and options.backup and isinstance(session, SqliteSession):
            backup = _backup(session, options.backup_to)
        if backup:
            say(f"backed up {session.path} to {backup}")  # type: ignore[attr-defined]
        applied = run_steps(session, pending, say)
    finally:
        session.close()
    from schemaudit.sources import LoadOptions, load

    spec = db if "://" in db or ":" in db.split("/")[0] else f"sqlite:///{db}"
    current = load(spec, LoadOptions(schema=options.schema))
    result = audit(plan.target, current, options.config or Config())
    return ApplyResult(tuple(applied), skipped, (), backup, result)


def _preflight(session: Session, pending: list[StepRecord], resumed: bool, say: Progress, dry_run: bool) -> None:
    """Count the rows that would make a step fail before changing anything; stop if any.
    The checks are written for the database before the plan: a resumed plan skips them."""
    checks = [c for step in pending for c in step.data_checks]
    if not checks:
        return
    if resumed:
        say(f"{len(checks)} data check(s) not run: part of the plan is applied already")
        return
    found, skipped = count_rows(session, checks)
    for line in skipped:
        say(line)
    if dry_run:
        for finding in found:
            say(f"data problem: {finding.line()}")
        return
    stop_on(found, "nothing was changed")


def _check_history(plan: PlanFolder, done: dict[str, str]) -> None:
    """A recorded step whose checksum differs was applied from another version of the plan."""
    for step in plan.steps:
        recorded = done.get(step.id)
        if recorded is not None and recorded != step.checksum:
            raise SchemauditError(
                f"step {step.id} was applied from a different plan (recorded checksum {recorded[:12]}..., "
                f"this plan's {step.checksum[:12]}...); write a new plan against the database as it is"
            )


def _backup(session: SqliteSession, destination: str | None) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    destination = destination or f"{session.path}.schemaudit-backup-{stamp}"
    session.backup(destination)
    return destination
