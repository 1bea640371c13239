"""What each key, constraint and index rule says about one change, and the notes on facts
that are not changes (unused rename hints). See `checks.py` for how a rule
function and its registry entry divide the work.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemaudit.audit.bookkeeping import UnusedHint
from schemaudit.audit.draft import (
    MEANT,
    Context,
    Draft,
    one,
    origin_text,
)
from schemaudit.audit.fixes import with_note
from schemaudit.diff.changes import (
    AddCheck,
    AddForeignKey,
    AddIndex,
    AddPrimaryKey,
    AddUnique,
    DropCheck,
    DropForeignKey,
    DropIndex,
    DropPrimaryKey,
    DropUnique,
    ForeignKeyChange,
    ModifyForeignKey,
    ModifyIndex,
    ModifyPrimaryKey,
    fk_sql,
    index_sql,
)
from schemaudit.model import PrimaryKey

# ---- keys, constraints, indexes ----------------------------------------------------------


def missing_foreign_key(c: AddForeignKey, ctx: Context) -> Iterator[Draft]:
    yield Draft(
        c.table,
        one(c.to.columns),
        f"Foreign key {c.table}{fk_sql(c.to)} is missing.",
        (),
        ctx.fixes.add_foreign_key(c.table, c.to),
        origin_text(c.to.origin, ctx.table_origin(c.table)),
    )


def foreign_key_drift(c: ModifyForeignKey, ctx: Context) -> Iterator[Draft]:
    parts = []
    if ForeignKeyChange.ON_DELETE in c.kinds:
        parts.append(f"ON DELETE {c.from_.on_delete}, target {c.to.on_delete}")
    if ForeignKeyChange.ON_UPDATE in c.kinds:
        parts.append(f"ON UPDATE {c.from_.on_update}, target {c.to.on_update}")
    if ForeignKeyChange.DEFERRABLE in c.kinds:
        parts.append(f"deferrable {c.from_.deferrable}, target {c.to.deferrable}")
    if ForeignKeyChange.VALIDATED in c.kinds:
        parts.append("added NOT VALID, so rows older than the key are unchecked; target validated")
    cols = ", ".join(c.to.columns)
    yield Draft(
        c.table,
        one(c.to.columns),
        f"Foreign key {c.table}({cols}) -> {c.to.ref_table}: {'; '.join(parts)}.",
        (),
        ctx.fixes.validate_foreign_key(c.table, c.from_)
        if c.kinds == {ForeignKeyChange.VALIDATED} and c.from_.name
        else ctx.fixes.replace_foreign_key(c.table, c.from_, c.to),
        origin_text(c.to.origin, c.from_.origin),
    )


def extra_foreign_key(c: DropForeignKey, ctx: Context) -> Iterator[Draft]:
    yield Draft(
        c.table,
        one(c.from_.columns),
        f"Foreign key {c.table}{fk_sql(c.from_)} is not in the target: it rejects writes the target allows.",
        (),
        # the database enforces it and the target lost it, most often: add it there first
        f"Add the foreign key {c.table}{fk_sql(c.from_)} to the target: the database has it, the target lost it. "
        f"If it is not meant, drop it: {ctx.fixes.drop_foreign_key(c.table, c.from_)}",
        origin_text(c.from_.origin),
    )


def missing_primary_key(c: AddPrimaryKey, ctx: Context) -> Iterator[Draft]:
    yield Draft(
        c.table,
        None,
        f"Table {c.table} lacks its primary key ({', '.join(c.to.columns)}).",
        (),
        ctx.fixes.add_primary_key(c.table, c.to),
        origin_text(c.to.origin, ctx.table_origin(c.table)),
    )


def _same_columns(c: ModifyPrimaryKey) -> bool:
    return sorted(x.lower() for x in c.from_.columns) == sorted(x.lower() for x in c.to.columns)


def primary_key_differs(c: ModifyPrimaryKey, ctx: Context) -> Iterator[Draft]:
    if _same_columns(c):
        return
    yield Draft(
        c.table,
        None,
        f"Table {c.table} primary key is ({', '.join(c.from_.columns)}), target ({', '.join(c.to.columns)}).",
        (),
        ctx.fixes.rebuild(c.table, f"use PRIMARY KEY ({', '.join(c.to.columns)})"),
        origin_text(c.to.origin, ctx.table_origin(c.table)),
    )


def primary_key_order_differs(c: ModifyPrimaryKey, ctx: Context) -> Iterator[Draft]:
    """The same columns in another order: the same rows are unique, so nothing breaks and
    no bad data gets in; only lookups by a leading column use the index differently."""
    if not _same_columns(c) or c.from_.columns == c.to.columns:
        return
    yield Draft(
        c.table,
        None,
        f"Table {c.table} primary key has the target's columns in another order: ({', '.join(c.from_.columns)}), "
        f"target ({', '.join(c.to.columns)}). The same rows are unique either way; queries filtering on the "
        "leading column use the key's index differently.",
        (),
        ctx.fixes.rebuild(c.table, f"use PRIMARY KEY ({', '.join(c.to.columns)})"),
        origin_text(c.to.origin, ctx.table_origin(c.table)),
    )


def primary_key_options_differ(c: ModifyPrimaryKey, ctx: Context) -> Iterator[Draft]:
    """The same key, only its comment or options (MySQL/MariaDB `PRIMARY KEY (...) USING BTREE
    COMMENT '...'`) differ."""
    if c.from_.columns != c.to.columns:
        return
    was, to = _declared(c.from_), _declared(c.to)
    yield Draft(
        c.table,
        None,
        f"Table {c.table} primary key is declared {was}, target {to}.",
        (),
        ctx.fixes.rebuild(c.table, f"use PRIMARY KEY ({', '.join(c.to.columns)}) {to}"),
        origin_text(c.to.origin, ctx.table_origin(c.table)),
    )


def _declared(pk: PrimaryKey) -> str:
    words = " ".join(pk.options) + (f" COMMENT {pk.comment!r}" if pk.comment else "")
    return words.strip() or "without options"


def extra_primary_key(c: DropPrimaryKey, ctx: Context) -> Iterator[Draft]:
    yield Draft(
        c.table,
        None,
        f"Table {c.table} has a primary key ({', '.join(c.from_.columns)}) the target lacks.",
        (),
        ctx.fixes.drop_primary_key(c.table, c.from_),
        origin_text(c.from_.origin),
    )


def missing_unique(c: AddUnique, ctx: Context) -> Iterator[Draft]:
    yield Draft(
        c.table,
        one(c.to.columns),
        f"UNIQUE ({', '.join(c.to.columns)}) on {c.table} is missing: duplicates are accepted.",
        (),
        ctx.fixes.add_unique(c.table, c.to),
        origin_text(c.to.origin, ctx.table_origin(c.table)),
    )


def extra_unique(c: DropUnique, ctx: Context) -> Iterator[Draft]:
    yield Draft(
        c.table,
        one(c.from_.columns),
        f"UNIQUE ({', '.join(c.from_.columns)}) on {c.table} is not in the target: it rejects rows the target allows.",
        (),
        with_note(ctx.fixes.drop_unique(c.table, c.from_), MEANT),
        origin_text(c.from_.origin),
    )


def missing_check(c: AddCheck, ctx: Context) -> Iterator[Draft]:
    name = f" {c.to.name}" if c.to.name else ""
    yield Draft(
        c.table,
        c.to.column,
        f"CHECK{name} ({c.to.expression}) on {c.table} is missing: the database accepts values the target forbids.",
        (),
        ctx.fixes.add_check(c.table, c.to),
        origin_text(c.to.origin, ctx.table_origin(c.table)),
    )


def extra_check(c: DropCheck, ctx: Context) -> Iterator[Draft]:
    yield Draft(
        c.table,
        c.from_.column,
        f"CHECK ({c.from_.expression}) on {c.table} is not in the target: it rejects values the target allows.",
        (),
        with_note(ctx.fixes.drop_check(c.table, c.from_), MEANT),
        origin_text(c.from_.origin),
    )


def missing_index(c: AddIndex, ctx: Context) -> Iterator[Draft]:
    if c.satisfied_by_unique is None:
        yield Draft(
            c.table,
            one(c.to.columns),
            f"Index {c.to.name} {index_sql(c.to)} on {c.table} is missing.",
            (),
            ctx.fixes.create_index(c.table, c.to),
            origin_text(c.to.origin, ctx.table_origin(c.table)),
        )


def index_served_by_unique(c: AddIndex, ctx: Context) -> Iterator[Draft]:
    if c.satisfied_by_unique is not None:
        yield Draft(
            c.table,
            one(c.to.columns),
            f"Index {c.to.name} {index_sql(c.to)} on {c.table} is not declared, but "
            f"{c.satisfied_by_unique} already indexes these columns: intent-only drift, not a missing index.",
            (),
            None,
            origin_text(c.to.origin, ctx.table_origin(c.table)),
        )


def index_differs(c: ModifyIndex, ctx: Context) -> Iterator[Draft]:
    if c.name_only:
        return
    yield Draft(
        c.table,
        one(c.to.columns),
        f"Index {c.from_.name} on {c.table} is {index_sql(c.from_)}, target {c.to.name} {index_sql(c.to)}.",
        (),
        f"{ctx.fixes.drop_index(c.table, c.from_)}\n{ctx.fixes.create_index(c.table, c.to)}",
        origin_text(c.to.origin, c.from_.origin),
    )


def index_name_differs(c: ModifyIndex, ctx: Context) -> Iterator[Draft]:
    """The index is there with the target's definition under another name: queries are
    served; a migration that drops or alters it by the target's name fails."""
    if not c.name_only:
        return
    yield Draft(
        c.table,
        one(c.to.columns),
        f"Index {c.from_.name} on {c.table} has the target's definition {index_sql(c.to)} but is named "
        f"{c.from_.name}, target {c.to.name}: queries are served; a migration naming {c.to.name} fails.",
        (),
        f"{ctx.fixes.drop_index(c.table, c.from_)}\n{ctx.fixes.create_index(c.table, c.to)}",
        origin_text(c.to.origin, c.from_.origin),
    )


def extra_index(c: DropIndex, ctx: Context) -> Iterator[Draft]:
    backs = f" It backs foreign key {c.required_by_fk}: keep it." if c.required_by_fk else ""
    fix = None if c.required_by_fk else f"Keep it; to remove it: {ctx.fixes.drop_index(c.table, c.from_)}"
    yield Draft(
        c.table,
        one(c.from_.columns),
        f"Index {c.from_.name} {index_sql(c.from_)} on {c.table} is not in the target; safe to keep.{backs}",
        (),
        fix,
        origin_text(c.from_.origin),
    )


# ---- facts that are not changes ----------------------------------------------------------


def unused_hint(c: UnusedHint, ctx: Context) -> Iterator[Draft]:
    yield Draft(
        None,
        None,
        f"Rename hint {c.hint} matched nothing.",
        (),
        "Remove the hint if the rename is done; else check its spelling.",
    )
