"""The `downgrade()` of a plan's Alembic revision: what the revision did, undone where it can be.

Steps are undone last first, and each step's changes last first, with the `op` calls that undo
them: a created table, column, index or constraint is dropped; a dropped index or constraint
is created again from the current definition; a rename is renamed back; a column's type,
nullability, default and comment are set back. What cannot be undone without the data that is
gone (a dropped table or column, values a cast changed) or that the revision ran as plain SQL
(types, views, routines, triggers, a SQLite table rebuild) is listed at the top of
`downgrade()`, never skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import TypeRelation
from schemaudit.diff.object_changes import AddObject, DropObject, ModifyObject, RenameObject
from schemaudit.plan import dialects
from schemaudit.plan.alembic_ops import NoOp, Ops, _n, _quoted, _s
from schemaudit.plan.assess import describe
from schemaudit.plan.dialects.base import ObjectWriter
from schemaudit.plan.model import SQL_ONLY_STEPS, PlanChange, PlanOptions, Step, StepKind
from schemaudit.plan.names import RenameConstraint, RenameIndex

_BACK = {TypeRelation.WIDER: TypeRelation.NARROWER, TypeRelation.NARROWER: TypeRelation.WIDER}


@dataclass
class Downgrade:
    lines: list[str]
    not_undone: list[str]


def downgrade(steps: tuple[Step, ...], ops: Ops) -> Downgrade:
    """The downgrade body (unindented op calls) and what it cannot undo."""
    out = Downgrade([], [])
    gone = {c.table.lower() for step in steps for c in step.changes if isinstance(c, ch.DropTable)}
    writer = dialects.dialect_for(PlanOptions(ops.dialect)).object_writer()
    objects = _Objects(steps, writer) if writer is not None else None
    for step in reversed(steps):
        if step.kind is StepKind.VALIDATION:  # the constraint's own step drops a new one
            unvalidated = [line for c in step.changes for line in _unvalidate(c, ops)]
            if unvalidated:
                out.lines.append(f"# undo {step.id}")
                out.lines.extend(unvalidated)
            continue
        if objects is not None and step.kind in _OBJECT_STEPS:
            sqls, lost = objects.undo(step)
            out.not_undone.extend(lost)
            if sqls:
                out.lines.append(f"# undo {step.id}")
                out.lines.extend(f"op.execute(_sql({sql!r}))" for sql in sqls)
            continue
        if step.kind in SQL_ONLY_STEPS - {StepKind.CONCURRENT_INDEX} or step.kind is StepKind.REBUILD:
            out.not_undone.extend(describe(c) for c in step.changes)
            if not step.changes:
                out.not_undone.append(step.description)
            continue
        lines: list[str] = []
        for change in _undo_order(step.changes):
            try:
                lines.extend(_undo(change, step, ops, gone))
            except NoOp:
                out.not_undone.append(describe(change))
        if lines:
            out.lines.append(f"# undo {step.id}")
            out.lines.extend(lines)
    return out


def _undo_order(changes: tuple[PlanChange, ...]) -> list[PlanChange]:
    """A step's changes last first, except that what it dropped is created again last: one
    step may replace an object by another of the same name (MySQL's unique index `uq` by the
    unique constraint `uq`, in one ALTER), and two objects cannot share it."""
    return sorted(reversed(changes), key=lambda c: type(c).__name__.startswith("Drop"))


_OBJECT_STEPS = frozenset({StepKind.OBJECT_DROPS, StepKind.TYPES, StepKind.ROUTINES, StepKind.VIEWS, StepKind.TRIGGERS})
# CREATE [OR REPLACE] [MATERIALIZED] VIEW, with MySQL's ALGORITHM= and SQL SECURITY between
_VIEW_SQL = re.compile(
    r"\s*(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM=\w+\s+)?(?:SQL\s+SECURITY\s+\w+\s+)?"
    r"(?:MATERIALIZED\s+)?|DROP\s+(?:MATERIALIZED\s+)?)VIEW\b",
    re.IGNORECASE,
)


class _Objects:
    """Undoing the object steps. An object the revision created is dropped; one it dropped
    is created again as it was; one it renamed is renamed back. An object it replaced (drop
    before the table steps, create after) is dropped where it was created and created as
    it was where it was dropped, so the table steps are undone without it in the way; the
    same for a view dropped and created unchanged around a column change."""

    def __init__(self, steps: tuple[Step, ...], writer: ObjectWriter) -> None:
        self.w = writer
        self.first_drops = next(
            (s for s in steps if s.kind is StepKind.OBJECT_DROPS and s.id.endswith("drop_dependent_objects")), None
        )
        self.replaced = {id(c) for c in self.first_drops.changes} if self.first_drops else set()
        self.recreated = [
            s.sql
            for step in steps
            if step.kind is StepKind.VIEWS
            for s in step.statements
            if s.change is None and _VIEW_SQL.match(s.sql)
        ]

    def undo(self, step: Step) -> tuple[list[str], list[str]]:
        sqls: list[str] = []
        lost: list[str] = []
        if step is self.first_drops:  # created again as they were (dependencies first)
            for statement in reversed(step.statements):
                c = statement.change
                if isinstance(c, (ModifyObject, DropObject)):
                    made = self.w.create(c.from_)  # whole: MySQL's SET sql_mode lines recur
                    sqls += made if not all(sql in sqls for sql in made) else []
                elif c is None and _VIEW_SQL.match(statement.sql):
                    name = statement.sql.rsplit(" ", 1)[-1]
                    sqls += [sql for sql in self.recreated if f"VIEW {name} " in sql and sql not in sqls]
            return sqls, lost
        if step.kind is StepKind.VIEWS and self.first_drops is not None:  # out of the way first
            sqls += [s.sql for s in self.first_drops.statements if s.change is None and _VIEW_SQL.match(s.sql)]
        for c in reversed(step.changes):
            if isinstance(c, AddObject):
                sqls += self.w.drop(c.to)
            elif isinstance(c, DropObject):
                sqls += self.w.create(c.from_)
            elif isinstance(c, RenameObject) and (back := self.w.rename(c.to, c.from_)) is not None:
                sqls += back
            elif isinstance(c, ModifyObject) and id(c) in self.replaced:
                sqls += self.w.drop(c.to)
            elif (
                isinstance(c, ModifyObject)
                and "values" not in c.what
                and (back := self.w.alter(c.to, c.from_, c.what)) is not None
            ):
                sqls += back
            else:
                lost.append(describe(c))
        return sqls, lost


def _undo(c: PlanChange, step: Step, ops: Ops, gone: set[str]) -> list[str]:
    kw = ops.kw
    table = _s(c.table)
    if isinstance(c, ch.RenameTable):
        return [f"op.rename_table({_s(c.to)}, {_s(c.from_)}{kw})"]
    if isinstance(c, ch.RenameColumn):
        if ops.dialect == "sqlite":
            raise NoOp
        if ops.dialect == "mysql":  # Alembic restates the column there; RENAME COLUMN keeps it as it is
            sql = f"ALTER TABLE {_tick(c.table)} RENAME COLUMN {_tick(c.to)} TO {_tick(c.from_)}"
            return [f"op.execute(_sql({sql!r}))"]
        return [f"op.alter_column({table}, {_s(c.to)}, new_column_name={_s(c.from_)}{kw})"]
    if isinstance(c, ch.AddTable):
        return [f"op.drop_table({table}{kw})"]
    if isinstance(c, ch.AddColumn):
        return [f"op.drop_column({table}, {_s(c.to.name)}{kw})"]
    if isinstance(c, ch.ModifyColumn):
        if ch.TypeRelation.INCOMPATIBLE is c.type_relation:
            raise NoOp  # the values were cast: casting them back need not give them back
        back = replace(c, from_=c.to, to=replace(c.from_, name=c.to.name))
        back = replace(back, type_relation=_BACK.get(c.type_relation, c.type_relation) if c.type_relation else None)
        return ops.alter_column(back)
    if isinstance(c, ch.ModifyTable) and set(c.kinds) == {ch.TableChange.COMMENT} and ops.dialect != "sqlite":
        if c.from_.comment is None:
            return [f"op.drop_table_comment({table}{kw})"]
        return [f"op.create_table_comment({table}, {_s(c.from_.comment)}{kw})"]
    if isinstance(c, (ch.ModifyIndex, ch.ModifyForeignKey)):
        return _undo_replaced(c, step, ops, gone)
    return _undo_key(c, ops, gone)


def _undo_replaced(c: ch.ModifyIndex | ch.ModifyForeignKey, step: Step, ops: Ops, gone: set[str]) -> list[str]:
    """A replaced index or key: its drop half runs in one step, its add half in a later one
    (undone first: the new one is dropped, then the old one is created again)."""
    if ops.dialect == "mysql" and isinstance(c, ch.ModifyIndex):
        raise NoOp  # one ALTER TABLE dropped and added it
    half: PlanChange
    if step.kind is StepKind.CONSTRAINTS and step.id.endswith("drop_constraints"):
        half = ch.DropIndex(c.table, c.from_) if isinstance(c, ch.ModifyIndex) else ch.DropForeignKey(c.table, c.from_)
    elif step.kind in (StepKind.CONSTRAINTS, StepKind.CONCURRENT_INDEX):
        half = ch.AddIndex(c.table, c.to) if isinstance(c, ch.ModifyIndex) else ch.AddForeignKey(c.table, c.to)
    else:
        raise NoOp
    return _undo_key(half, ops, gone)


def _unvalidate(c: PlanChange, ops: Ops) -> list[str]:
    """A key added NOT VALID that the revision validated: PostgreSQL cannot unvalidate one, so
    it is dropped and added NOT VALID again (its rows are not checked)."""
    if not (isinstance(c, ch.ModifyForeignKey) and c.kinds == {ch.ForeignKeyChange.VALIDATED} and c.from_.name):
        return []
    drop = f"op.drop_constraint({_n(c.from_.name)}, {_s(c.table)}, type_='foreignkey'{ops.kw})"
    return [drop, ops.create_foreign_key(c.table, c.from_)]


def _undo_key(c: PlanChange, ops: Ops, gone: set[str]) -> list[str]:
    """`gone`: tables the revision dropped, which the downgrade cannot bring back (a key
    that referenced one is not undone either)."""
    kw, table = ops.kw, _s(c.table)
    if isinstance(c, ch.AddIndex):
        return [f"op.drop_index({_n(c.to.name)}, table_name={table}{kw})"]
    if isinstance(c, ch.DropIndex):
        return [ops.create_index(c.table, c.from_)]
    if isinstance(c, ch.AddUnique) and c.to.name:
        if ops.dialect in ("sqlite", "mysql"):
            return [f"op.drop_index({_n(c.to.name)}, table_name={table}{kw})"]
        return [f"op.drop_constraint({_n(c.to.name)}, {table}, type_='unique'{kw})"]
    if isinstance(c, ch.DropUnique) and c.from_.name and ops.dialect != "sqlite":
        return [f"op.create_unique_constraint({_n(c.from_.name)}, {table}, {list(c.from_.columns)!r}{kw})"]
    if isinstance(c, ch.AddCheck) and c.to.name and ops.dialect != "sqlite":
        return [f"op.drop_constraint({_n(c.to.name)}, {table}, type_='check'{kw})"]
    if isinstance(c, ch.DropCheck) and c.from_.name and ops.dialect != "sqlite":
        return [f"op.create_check_constraint({_n(c.from_.name)}, {table}, sa.text({c.from_.expression!r}){kw})"]
    if isinstance(c, ch.AddForeignKey) and c.to.name and ops.dialect != "sqlite":
        return [f"op.drop_constraint({_n(c.to.name)}, {table}, type_='foreignkey'{kw})"]
    if (
        isinstance(c, ch.DropForeignKey)
        and c.from_.name
        and ops.dialect != "sqlite"
        and c.from_.ref_table.lower() not in gone
    ):
        return [ops.create_foreign_key(c.table, c.from_)]
    if isinstance(c, (ch.AddPrimaryKey, ch.ModifyPrimaryKey)) and c.to.name and ops.dialect == "postgresql":
        out = [f"op.drop_constraint({_n(c.to.name)}, {table}, type_='primary'{kw})"]
        if isinstance(c, ch.ModifyPrimaryKey) and c.from_.name:
            out.append(f"op.create_primary_key({_n(c.from_.name)}, {table}, {list(c.from_.columns)!r}{kw})")
        return out
    if isinstance(c, ch.DropPrimaryKey) and c.from_.name and ops.dialect == "postgresql":
        return [f"op.create_primary_key({_n(c.from_.name)}, {table}, {list(c.from_.columns)!r}{kw})"]
    if isinstance(c, RenameIndex) and ops.dialect == "postgresql":
        return [f"op.execute(_sql({f'ALTER INDEX {_quoted(c.to)} RENAME TO {_quoted(c.from_)}'!r}))"]
    if isinstance(c, RenameConstraint) and ops.dialect == "postgresql":
        sql = f"ALTER TABLE {_quoted(c.table)} RENAME CONSTRAINT {_quoted(c.to)} TO {_quoted(c.from_)}"
        return [f"op.execute(_sql({sql!r}))"]
    raise NoOp


def _tick(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
