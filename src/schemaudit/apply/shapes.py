"""Refuse a database that changed after the plan was written, before it is changed.

Each step of a plan folder names the tables it touches and the columns each has just before
it (`plan/shapes.py`); a rebuild also names the indexes and triggers it creates again. Here
they are compared with the catalog: up front for every pending step whose tables no earlier
pending step changes (so a drift is found before step 1 runs, not at step 3), and again just
before each step. A difference stops the run with one line naming the table and what differs.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemaudit.apply.db import ApplyError, Session
from schemaudit.plan.folder import StepRecord
from schemaudit.plan.model import TableShape


def check_up_front(session: Session, pending: Sequence[StepRecord]) -> None:
    """Check every shape that no earlier pending step can change."""
    touched: set[str] = set()
    tables = _table_names(session)
    for step in pending:
        for shape in step.expects:
            if _key(session, shape.table) not in touched:
                check_shape(session, step, shape, tables)
        touched.update(_key(session, s.table) for s in step.expects)


def check_step(session: Session, step: StepRecord) -> None:
    tables = _table_names(session)
    for shape in step.expects:
        check_shape(session, step, shape, tables)


def check_shape(session: Session, step: StepRecord, shape: TableShape, tables: dict[str, str]) -> None:
    name = tables.get(_key(session, shape.table))
    drift = "the database changed after the plan was written; write the plan again"
    if shape.columns is None:
        if name is not None:
            raise ApplyError(f"step {step.id} creates table {shape.table}, but it already exists: {drift}")
        return
    if name is None:
        raise ApplyError(f"step {step.id} changes table {shape.table}, but it does not exist: {drift}")
    live = {_key(session, c): c for c in session.columns_of(name)}
    want = {_key(session, c): c for c in shape.columns}
    added = sorted(live[k] for k in set(live) - set(want))
    missing = sorted(want[k] for k in set(want) - set(live))
    if added or missing:
        what = "; ".join(
            part
            for part in (
                f"new column(s) {', '.join(added)}" if added else "",
                f"missing column(s) {', '.join(missing)}" if missing else "",
            )
            if part
        )
        raise ApplyError(f"step {step.id}: table {name} is not as planned ({what}): {drift}")
    if shape.keeps is not None:
        known = {_key(session, k) for k in shape.keeps}
        unknown = sorted(n for n in session.dependents(name) if _key(session, n) not in known)
        if unknown:
            raise ApplyError(
                f"step {step.id} rebuilds table {name}, which now has index(es) or trigger(s) the plan does not "
                f"know ({', '.join(unknown)}) and would lose: {drift}"
            )


def _table_names(session: Session) -> dict[str, str]:
    return {_key(session, t): t for t in session.tables()}


def _key(session: Session, name: str) -> str:
    """Names as the database compares them: PostgreSQL quoted names are exact."""
    return name if session.dialect == "postgresql" else name.lower()
