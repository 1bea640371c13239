"""After a kill: what became of a step that was started outside a transaction and never ended.

`CREATE INDEX CONCURRENTLY` on PostgreSQL and every DDL statement on MariaDB/MySQL cannot be
rolled back, and the server finishes a statement it was sent even when the client that sent
it is killed. Such a step is recorded as started before it runs (`Session.record_start`);
when the next `apply` finds that record without the step's own, it compares the catalog with
the tables as the step found them (`expects`) and as it leaves them (`leaves`): column names,
index names, tables present or gone.

- Everything the step changes is as it leaves it: the server finished it. It is recorded as
  applied now, and the run says so.
- Nothing is: it never took effect. It runs again as any pending step.
- Some is and some is not: stop, naming what is there and what is not.
- The step changes no name (a type, a default): the catalog's names cannot tell, so it runs
  again; such a statement sets a state rather than adding to it.

A PostgreSQL index left INVALID (its build failed or is still running) stops the run with
the statement that removes it, or the server process that is still building it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from schemaudit.apply.db import ApplyError, Session
from schemaudit.plan.folder import StepRecord
from schemaudit.plan.model import TableShape

Progress = Callable[[str], None]


@dataclass(slots=True)
class _Seen:
    done: list[str] = field(default_factory=list)  # facts as the step leaves them
    not_done: list[str] = field(default_factory=list)  # facts as the step found them


def settle_interrupted(session: Session, pending: Sequence[StepRecord], say: Progress, write: bool = True) -> set[str]:
    """Look at every pending step recorded as started; the ids now recorded as applied (a dry
    run, `write` False, says the same and records nothing)."""
    started = session.started()
    finished: set[str] = set()
    for step in pending:
        if step.id not in started:
            continue
        if started[step.id] != step.checksum:
            raise ApplyError(
                f"step {step.id} was started from a different plan (recorded checksum {started[step.id][:12]}...); "
                "write a new plan against the database as it is"
            )
        seen = _look(session, step)
        if seen.done and not seen.not_done:
            if write:
                session.record(step.id, step.checksum)
                session.forget_start(step.id)
            finished.add(step.id)
            say(
                f"step {step.id} ({step.description}) did not finish in an earlier run, but the server did: "
                f"{'; '.join(seen.done)}. {'Recorded' if write else 'Would be recorded'} as applied now"
            )
        elif seen.done:
            raise ApplyError(
                f"step {step.id} ({step.description}) did not finish in an earlier run and is half done: "
                f"{'; '.join(seen.done)}, but {'; '.join(seen.not_done)}; finish or undo it by hand, then write "
                "the plan again"
            )
        else:
            if write:
                session.forget_start(step.id)
            why = (
                "nothing it changes is in the catalog yet"
                if seen.not_done
                else "it changes no name the catalog could show, and running it again sets the same state"
            )
            say(f"step {step.id} ({step.description}) did not finish in an earlier run; {why}: it runs again")
    return finished


def _look(session: Session, step: StepRecord) -> _Seen:
    seen = _Seen()
    before = {_key(session, s.table): s for s in step.expects}
    tables = {_key(session, t): t for t in session.tables()}
    for after in step.leaves:
        key = _key(session, after.table)
        found = before.get(key)
        was = found is not None and found.columns is not None
        now = after.columns is not None
        live = tables.get(key)
        if was != now:  # the step creates, drops or renames this table
            if found is None and not now:
                continue  # a table the step only reads (a row-count check)
            _fact(seen, (live is not None) == now, f"table {after.table} {'exists' if live else 'is absent'}")
            continue
        if not now or live is None or found is None:
            continue
        _compare(session, seen, live, found, after)
    return seen


def _compare(session: Session, seen: _Seen, live: str, before: TableShape, after: TableShape) -> None:
    columns = {_key(session, c) for c in session.columns_of(live)}
    old = {_key(session, c): c for c in before.columns or ()}
    new = {_key(session, c): c for c in after.columns or ()}
    for key in new.keys() - old.keys():
        _fact(seen, key in columns, f"column {live}.{new[key]} {'exists' if key in columns else 'is absent'}")
    for key in old.keys() - new.keys():
        _fact(seen, key not in columns, f"column {live}.{old[key]} {'is absent' if key not in columns else 'exists'}")
    if before.indexes is None or after.indexes is None:
        return
    indexes = session.indexes_of(live)
    for name in set(after.indexes) - set(before.indexes):
        if indexes.get(name) is False:
            pid = session.busy_with(name)
            if pid is not None:
                raise ApplyError(
                    f"index {name} is still being built by server process {pid} (started by the apply that was "
                    "stopped); wait for it to end and apply again"
                )
            raise ApplyError(
                f"index {name} is INVALID: the CREATE INDEX CONCURRENTLY of an earlier apply did not finish; "
                f"remove it (DROP INDEX CONCURRENTLY {session.q(name)}) and apply again"
            )
        _fact(seen, name in indexes, f"index {name} {'exists' if name in indexes else 'is absent'}")
    for name in set(before.indexes) - set(after.indexes):
        _fact(seen, name not in indexes, f"index {name} {'is absent' if name not in indexes else 'exists'}")


def _fact(seen: _Seen, as_left: bool, what: str) -> None:
    (seen.done if as_left else seen.not_done).append(what)


def _key(session: Session, name: str) -> str:
    return name if session.dialect == "postgresql" else name.lower()
