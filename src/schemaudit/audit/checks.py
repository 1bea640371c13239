"""What each table and column rule says about one change: message, evidence, concrete fix.

Each function takes one change (or one other audited fact) and yields zero or more `Draft`s;
it yields nothing when the change is not its business (a ModifyColumn that only differs in
default is no type finding). Codes and severities are stamped on by the registry in
`rules.py`, so a function never decides its own code or severity and the same wording holds
whatever severity a project configures. Key, constraint and index rules are in
`checks_keys.py`; the shared `Draft` and `Context` in `draft.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from schemaudit.audit import checks_defaults
from schemaudit.audit.checks_partitions import key_changes
from schemaudit.audit.draft import (
    Context,
    Draft,
    col_origin,
    either,
    origin_text,
    referrers,
    rename_evidence,
)
from schemaudit.audit.fixes import is_sql, with_note
from schemaudit.audit.wording import spelled
from schemaudit.diff.changes import (
    AddColumn,
    AddTable,
    ColumnChange,
    DropColumn,
    DropTable,
    ModifyColumn,
    ModifyTable,
    RenameColumn,
    RenameTable,
    TableChange,
    TypeRelation,
    column_sql,
)
from schemaudit.diff.result import RenameCandidate
from schemaudit.model import Column

# ---- tables ------------------------------------------------------------------------------


def missing_table(c: AddTable, ctx: Context) -> Iterator[Draft]:
    if c.exists_as:
        return  # not missing: another kind of object holds the name (`table_as_other_kind`)
    cols = ", ".join(col.name for col in c.to.columns)
    yield Draft(
        c.table,
        None,
        f"Table {c.table} is missing ({len(c.to.columns)} columns: {cols}).",
        referrers(c.referenced_by),
        ctx.fixes.create_table(c.to),
        origin_text(c.to.origin),
    )


def renamed_table(c: RenameTable, ctx: Context) -> Iterator[Draft]:
    evidence = rename_evidence(c.evidence) + referrers(c.referenced_by)
    yield Draft(
        c.table,
        None,
        f"Table {c.from_} should be named {c.to}.",
        evidence,
        ctx.fixes.rename_table(c.from_, c.to),
        origin_text(ctx.table_origin(c.to)),
    )


def table_as_other_kind(c: AddTable | DropTable, ctx: Context) -> Iterator[Draft]:
    """A table on one side that the other side has as a virtual table or view: a real
    difference in kind, not a missing table; that object itself is not audited."""
    if c.exists_as:
        table = c.to if isinstance(c, AddTable) else c.from_
        side, other = ("target", "current") if isinstance(c, AddTable) else ("current", "target")
        yield Draft(
            c.table,
            None,
            f"Table {c.table} ({len(table.columns)} columns in the {side} schema) is a {c.exists_as} in the "
            f"{other} schema; the {c.exists_as} itself is not audited.",
            (),
            None,
            origin_text(table.origin),
        )


def extra_table(c: DropTable, ctx: Context) -> Iterator[Draft]:
    if c.exists_as:
        return
    yield Draft(
        c.table,
        None,
        f"Table {c.table} exists only in the current schema ({len(c.from_.columns)} columns); safe to keep.",
        referrers(c.referenced_by),
        f"Keep it (or ignore it in [tool.schemaudit.ignore] with a reason); to remove it, losing its rows: "
        f"{ctx.fixes.drop_table(c.table)}",
        origin_text(c.from_.origin),
    )


def possible_rename(c: RenameCandidate, ctx: Context) -> Iterator[Draft]:
    if c.kind == "table":
        yield Draft(
            c.target,
            None,
            f"Table {c.target} may be {c.current} renamed (below the rename threshold).",
            rename_evidence(c.evidence),
            f"If it is, say so: --rename {c.current}={c.target}",
        )
    else:
        yield Draft(
            c.table,
            c.target,
            f"Column {c.table}.{c.target} may be {c.current} renamed (below the rename threshold).",
            rename_evidence(c.evidence),
            f"If it is, say so: --rename {c.table}.{c.current}={c.target}",
        )


def table_options(c: ModifyTable, ctx: Context) -> Iterator[Draft]:
    to, now = c.to.options, c.from_.options
    # the charset and collation only where the target states them, as the diff compares them
    now = replace(now, charset=now.charset if to.charset else None, collation=now.collation if to.collation else None)
    # a partition key that differs alone is SA109's
    if TableChange.OPTIONS in c.kinds and (not key_changes(c) or replace(now, partitioning=to.partitioning) != to):
        yield Draft(
            c.table,
            None,
            f"Table {c.table} options are {spelled(now)}, target {spelled(to)}.",
            (),
            ctx.fixes.rebuild(c.table, "take the target's table options"),
            origin_text(c.to.origin),
        )


def table_comment(c: ModifyTable, ctx: Context) -> Iterator[Draft]:
    if TableChange.COMMENT in c.kinds:
        yield Draft(
            c.table,
            None,
            f"Table {c.table} comment is {c.from_.comment!r}, target {c.to.comment!r}.",
            origin=origin_text(c.to.origin),
        )


# ---- columns -----------------------------------------------------------------------------


def missing_column(c: AddColumn, ctx: Context) -> Iterator[Draft]:
    yield Draft(
        c.table,
        c.to.name,
        f"Column {c.table}.{c.to.name} ({column_sql(c.to)}) is missing.",
        (),
        ctx.fixes.add_column(c.table, c.to),
        col_origin(ctx, c.table, c.to),
    )


def renamed_column(c: RenameColumn, ctx: Context) -> Iterator[Draft]:
    table = ctx.target.table(c.table)
    col = table.column(c.to, ctx.target.rules) if table else None
    yield Draft(
        c.table,
        c.to,
        f"Column {c.table}.{c.from_} should be named {c.to}.",
        rename_evidence(c.evidence),
        ctx.fixes.rename_column(c.table, c.from_, c.to),
        col_origin(ctx, c.table, *([col] if col else [])),
    )


def _blocks_inserts(col: Column) -> bool:
    """An extra column the target's writers never fill: NOT NULL, no default, not generated."""
    return not col.nullable and col.default is None and col.identity is None and col.generated is None


def extra_column(c: DropColumn, ctx: Context) -> Iterator[Draft]:
    if not _blocks_inserts(c.from_):
        why = (
            "nullable"
            if c.from_.nullable
            else "has a default"
            if c.from_.default is not None
            else "filled by the database"
        )
        yield Draft(
            c.table,
            c.from_.name,
            f"Column {c.table}.{c.from_.name} ({column_sql(c.from_)}) is not in the target; safe to keep ({why}).",
            (),
            f"Keep it; to remove it, losing its data: {ctx.fixes.drop_column(c.table, c.from_.name)}",
            col_origin(ctx, c.table, c.from_),
        )


def extra_column_blocking(c: DropColumn, ctx: Context) -> Iterator[Draft]:
    if _blocks_inserts(c.from_):
        relaxed = replace(c.from_, nullable=True)
        yield Draft(
            c.table,
            c.from_.name,
            f"Column {c.table}.{c.from_.name} ({column_sql(c.from_)}) is not in the target and has no default: "
            "inserts written for the target schema fail.",
            (),
            either(
                with_note(
                    ctx.fixes.drop_column(c.table, c.from_.name), f"data loss: deletes every value in {c.from_.name}"
                ),
                ctx.fixes.set_nullable(c.table, relaxed),
                "or keep it and make it nullable",
            ),
            col_origin(ctx, c.table, c.from_),
        )


def _type_draft(c: ModifyColumn, ctx: Context, relation: TypeRelation, text: str, fix: bool) -> Iterator[Draft]:
    if ColumnChange.TYPE not in c.kinds or c.type_relation is not relation:
        return
    note = (c.note,) if c.note else ()
    yield Draft(
        c.table,
        c.to.name,
        f"Column {c.table}.{c.to.name} is {c.from_.type.raw}, target {c.to.type.raw}: {text}.",
        note,
        ctx.fixes.alter_type(c.table, c.to) if fix else None,
        col_origin(ctx, c.table, c.to, c.from_),
    )


def incompatible_type(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    yield from _type_draft(c, ctx, TypeRelation.INCOMPATIBLE, "incompatible types", True)


def narrower_type(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    yield from _type_draft(c, ctx, TypeRelation.NARROWER, "the current type rejects values the target accepts", True)


def wider_type(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    yield from _type_draft(c, ctx, TypeRelation.WIDER, "the current type accepts more than the target asks", False)


def equivalent_type(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    if ColumnChange.TYPE in c.kinds and c.type_relation is TypeRelation.EQUIVALENT:
        note = c.note or f"{c.from_.type.raw} stores {c.to.type.raw}"
        yield Draft(
            c.table,
            None,
            f"{note} (target {c.to.type.raw}, current {c.from_.type.raw}); no change needed.",
            (f"{c.table}.{c.to.name}",),
            None,
            None,
            group=f"{c.table}\x00{c.to.type.raw}\x00{c.from_.type.raw}\x00{note}",
        )


def _nullable(c: ModifyColumn, current_not_null: bool) -> bool:
    return ColumnChange.NULLABLE in c.kinds and c.from_.nullable is not current_not_null


def not_null_but_target_nullable(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    if _nullable(c, True):
        yield Draft(
            c.table,
            c.to.name,
            f"Column {c.table}.{c.to.name} is NOT NULL, but the target allows NULL: writes that leave it empty fail.",
            (),
            ctx.fixes.set_nullable(c.table, c.to),
            col_origin(ctx, c.table, c.to, c.from_),
        )


def nullable_but_target_not_null(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    if _nullable(c, False):
        name = ctx.fixes.name
        backfill = (
            f"UPDATE {name(c.table)} SET {name(c.to.name)} = {c.to.default} WHERE {name(c.to.name)} IS NULL;"
            if c.to.default is not None
            else f"-- first give {c.table}.{c.to.name} a value where it is NULL"
        )
        fix = ctx.fixes.set_nullable(c.table, c.to)
        yield Draft(
            c.table,
            c.to.name,
            f"Column {c.table}.{c.to.name} allows NULL, but the target requires a value.",
            (),
            f"{backfill}\n{fix}"
            if is_sql(fix)
            else f"Give {c.table}.{c.to.name} a value where it is NULL; then: {fix}",
            col_origin(ctx, c.table, c.to, c.from_),
        )


def _default_breaks_inserts(c: ModifyColumn) -> bool:
    current = c.from_
    return c.to.default is not None and current.default is None and _blocks_inserts(current)


def default_missing(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    if ColumnChange.DEFAULT in c.kinds and _default_breaks_inserts(c):
        yield Draft(
            c.table,
            c.to.name,
            f"Column {c.table}.{c.to.name} is NOT NULL without the target's DEFAULT {c.to.default}: "
            "inserts that rely on the default fail.",
            (),
            ctx.fixes.set_default(c.table, c.to),
            col_origin(ctx, c.table, c.to, c.from_),
        )


def default_differs(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    yield from checks_defaults.default_differs(c, ctx, _default_breaks_inserts(c))


def _attribute(kind: ColumnChange, c: ModifyColumn, ctx: Context, fix: bool) -> Iterator[Draft]:
    if kind in c.kinds:
        mine, theirs = getattr(c.from_, kind.value), getattr(c.to, kind.value)
        yield Draft(
            c.table,
            c.to.name,
            f"Column {c.table}.{c.to.name} {kind.value} is {spelled(mine)}, target {spelled(theirs)}.",
            (),
            ctx.fixes.restate_column(c.table, c.to, f"take the target's {kind.value}") if fix else None,
            col_origin(ctx, c.table, c.to, c.from_),
        )


def identity_differs(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    yield from _attribute(ColumnChange.IDENTITY, c, ctx, True)


def generated_differs(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    yield from _attribute(ColumnChange.GENERATED, c, ctx, True)


def collation_differs(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    yield from _attribute(ColumnChange.COLLATION, c, ctx, True)


def on_update_differs(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    """The application relies on the database stamping rows it updates (`updated_at`)."""
    if ColumnChange.ON_UPDATE in c.kinds:
        yield Draft(
            c.table,
            c.to.name,
            f"Column {c.table}.{c.to.name} is set ON UPDATE {c.from_.on_update or '(nothing)'}, target ON UPDATE "
            f"{c.to.on_update or '(nothing)'}: rows updated without naming it "
            + ("keep their old value." if c.to.on_update else "get a value the target never sets."),
            (),
            ctx.fixes.restate_column(c.table, c.to, "take the target's ON UPDATE"),
            col_origin(ctx, c.table, c.to, c.from_),
        )


def comment_differs(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    yield from _attribute(ColumnChange.COMMENT, c, ctx, False)
