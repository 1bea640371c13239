"""A plan as an Alembic revision: `op.*` calls, one block per step, that `alembic upgrade` runs.

Each step becomes the `op` calls for its changes (rename_table, create_table, add_column,
alter_column, create_index, create_foreign_key, ...). On SQLite a table rebuild becomes
`op.batch_alter_table(..., recreate="always", copy_from=...)`: the `copy_from` table is
the table as the plan leaves it (minus the columns the batch adds), so Alembic's
copy-and-move builds exactly what the SQL plan builds, without reflecting the old table
(reflection loses unnamed CHECK constraints and fails on references to missing tables).
What Alembic has no operation for (PostgreSQL enum types and identity changes, constraint
validation, MySQL column restatements with ON UPDATE or collation, ...) is run as the
plan's own SQL through `op.execute`, so the revision does exactly what the SQL plan does.

Types are written with their database spelling (`_type("varchar(100)")`), never guessed
through SQLAlchemy's generic types: the revision creates the same columns as the SQL plan.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from schemaudit.diff import changes as ch
from schemaudit.plan import dialects
from schemaudit.plan.alembic_ops import NoOp, Ops
from schemaudit.plan.alembic_reverse import downgrade
from schemaudit.plan.model import Plan, PlanOptions, Step, StepKind
from schemaudit.plan.render_sql import comment, script

_HEADER = '''"""{title}

Revision ID: {revision}
Revises: {down}
Create Date: {date}

Written by `schemaudit plan --format alembic`; each block of upgrade() is one plan step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql  # noqa: F401 - MySQL integer types

revision = {revision!r}
down_revision = {down_value!r}
branch_labels = None
depends_on = None


class _type(sa.types.UserDefinedType):  # type: ignore[type-arg]
    """A column type spelled exactly as the database spells it."""

    cache_ok = True

    def __init__(self, spelling: str) -> None:
        self.spelling = spelling

    def get_col_spec(self, **kw: object) -> str:
        return self.spelling


def _sql(text: str) -> sa.TextClause:
    """Plan SQL for op.execute: colons escaped so SQLAlchemy reads no bind parameters."""
    return sa.text(text.replace(":", "\\\\:"))


def _stubs(metadata: sa.MetaData, *refs: tuple[str, tuple[str, ...]]) -> sa.MetaData:
    """Tables a copy_from table references, so its foreign keys can be rendered."""
    for name, columns in refs:
        if name not in metadata.tables:
            sa.Table(name, metadata, *(sa.Column(c, sa.Integer) for c in columns))
    return metadata
'''


def revision_id(plan: Plan) -> str:
    digest = hashlib.sha256(script(plan).encode("utf-8")).hexdigest()[:10]
    return f"{plan.date}_{digest}"


def file_name(plan: Plan) -> str:
    return f"{revision_id(plan)}_schemaudit_plan.py"


def render(plan: Plan, down_revision: str | Sequence[str] | None = None) -> str:
    """The revision, following `down_revision` (the project's head, or heads: then it is the
    merge revision too)."""
    revision = revision_id(plan)
    down = tuple(down_revision.split(",")) if isinstance(down_revision, str) else tuple(down_revision or ())
    down_value: str | tuple[str, ...] | None = down[0] if len(down) == 1 else (down or None)
    title = f"schemaudit plan for {plan.dialect}: {len(plan.steps)} step(s)"
    lines = [
        _HEADER.format(title=title, revision=revision, down=", ".join(down), down_value=down_value, date=plan.date)
    ]
    enter, leave = _schema_path(plan)
    lines.append("\ndef upgrade() -> None:")
    lines.extend(f"    # {line}" for line in _transactions(plan.dialect))
    dialect_notes = set(dialects.dialect_for(PlanOptions(plan.dialect)).plan_notes())
    for note in plan.notes:
        if note not in dialect_notes:  # those say how `apply` runs steps, not how Alembic does
            lines.append(f"    # Note: {comment(note)}")
    for kept in plan.kept:
        lines.append(f"    # Kept, not planned: {comment(kept.change.describe())} ({comment(kept.reason)})")
    new = {c.table for s in plan.steps for c in s.changes if isinstance(c, ch.AddTable)}
    deferred = tuple(
        (c.table, c.to)
        for s in plan.steps
        if s.kind is not StepKind.NEW_TABLE
        for c in s.changes
        if isinstance(c, ch.AddForeignKey) and c.table in new
    )
    ops = Ops(plan.dialect, deferred, plan.schema)
    steps = _own_changes(plan.steps)
    body = [line for step in steps for line in _step(step, ops)]
    if body:
        lines.extend(enter + body + leave)
    else:
        lines.append("    pass  # nothing to do: the schema already matches the target")
    lines.extend(["", "", "def downgrade() -> None:"])
    undo = downgrade(steps, ops)
    if undo.not_undone:
        lines.append(
            "    # Not undone (the data is gone, or the revision ran it as plain SQL): restore a backup for these:"
        )
        lines.extend(f"    #   {comment(what)}" for what in dict.fromkeys(undo.not_undone))
    if undo.lines:
        lines.extend(enter + ["    " + line for line in undo.lines] + leave)
    else:
        lines.append("    pass  # nothing this revision did can be undone by a downgrade")
    return "\n".join(lines) + "\n"


def _own_changes(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """Each step with the changes it carries out: a change whose statements all went to
    another step (a validation, a concurrent index, a foreign key added after its keys) is
    that step's work, not this one's. A validation never takes a change away: the ADD ...
    NOT VALID it validates stays in its own step, where one ALTER TABLE may carry it beside
    another change (and be that statement's `change` only by the other's name)."""
    owned = [{id(s.change) for s in step.statements if s.change is not None} for step in steps]
    takers = [o for o, step in zip(owned, steps, strict=True) if step.kind is not StepKind.VALIDATION]
    out = []
    for i, step in enumerate(steps):
        elsewhere = set().union(*(o for o in takers if o is not owned[i])) - owned[i]
        out.append(replace(step, changes=tuple(c for c in step.changes if id(c) not in elsewhere)))
    return tuple(out)


def _transactions(dialect: str) -> list[str]:
    """How Alembic runs this revision, which is not how `schemaudit apply` runs a plan."""
    if dialect == "mysql":
        return [
            "MySQL/MariaDB commit every DDL statement on its own: if a step fails, the steps before it",
            "stay applied (and alembic_version is not moved); fix the cause and run the rest by hand.",
        ]
    lines = [
        "Alembic runs this revision in one transaction (by default one for every revision of an",
        "`alembic upgrade`; transaction_per_migration=True in env.py makes it one per revision):",
        "if a step fails, everything before it in that transaction is rolled back.",
    ]
    if dialect == "postgresql":
        lines += [
            "A constraint added NOT VALID is validated in an autocommit_block(): Alembic commits the",
            "transaction first, so the ADD's lock is released and the scan holds only a SHARE UPDATE",
            "EXCLUSIVE lock; inside one transaction NOT VALID + VALIDATE would gain nothing. Enum",
            "labels are added in an autocommit_block() too: no statement may use a label before it is",
            "committed. Work before an autocommit_block() stays committed if a later step fails.",
        ]
    return lines


def _schema_path(plan: Plan) -> tuple[list[str], list[str]]:
    """PostgreSQL, a plan for a schema other than the connection's: the `op` calls name it
    (`schema=`), and the plan's own SQL (`op.execute`) names objects unqualified, so the schema
    goes first on the search path while the revision runs, and the path is put back after."""
    if not plan.schema:
        return [], []
    first = '"' + plan.schema.replace('"', '""') + '", '
    literal = "'" + first.replace("'", "''") + "'"
    enter = (
        "SELECT set_config('schemaudit.search_path', current_setting('search_path'), false), "
        f"set_config('search_path', {literal} || current_setting('search_path'), false)"
    )
    leave = "SELECT set_config('search_path', current_setting('schemaudit.search_path'), false)"
    return (
        [
            f"    # names in the plan's SQL are those of schema {comment(plan.schema)}",
            f"    op.execute(_sql({enter!r}))",
        ],
        ["", "    # the search path as it was", f"    op.execute(_sql({leave!r}))"],
    )


def _step(step: Step, ops: Ops) -> list[str]:
    head = [
        "",
        f"    # {comment(step.id)}: {comment(step.description)}",
        f"    # Risk: {comment(str(step.risk))}",
    ]
    head.extend(f"    # Data migration: {comment(n)}" for n in step.notes)
    try:
        body = ops.step(step)
    except NoOp:
        body = ops.execute_all(step)
    return head + ["    " + line for line in body]
