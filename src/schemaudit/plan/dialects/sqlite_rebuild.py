"""SQLite's documented table rebuild (lang_altertable.html, "other kinds of changes").

With foreign keys switched off around the step (`Step.foreign_keys = "off"`), in one
transaction:

1. create the new table under a temporary name, exactly as the plan leaves it;
2. copy the rows (`rowid` too, where both tables have one, so row ids survive);
3. drop the old table, then rename the new one to the old name. The old table is never
   renamed first: renaming it would carry the children's references along to it, and
   dropping it would then lose them (and, with foreign keys on, cascade-delete their rows).
   The rename runs under `legacy_alter_table=ON`, so views and triggers elsewhere that name
   the table are left as they are instead of failing the rename on the missing table;
4. create the indexes and the table's triggers again (dropping a table drops them);
5. `PRAGMA foreign_key_check` on the table and on every table that references it: any row
   returned fails the step, and the transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from schemaudit.diff import changes as ch
from schemaudit.model import Index, Table
from schemaudit.plan.dialects.base import hazard
from schemaudit.plan.dialects.context import PlanContext, Unsupported, fill_for
from schemaudit.plan.model import Hazard, PlanChange, Rebuild, Statement


class RebuildDialect(Protocol):
    """What a rebuild needs of the SQLite dialect (declared here so the two modules do not
    import each other)."""

    def q(self, name: str) -> str: ...
    def inline_pk(self, table: Table) -> str | None: ...
    def create_table_sql(self, table: Table) -> str: ...
    def create_index_sql(self, table: str, index: Index) -> str: ...


TEMP_PREFIX = "_schemaudit_new_"


def rebuild(
    dialect: RebuildDialect, table: str, changes: Sequence[PlanChange], ctx: PlanContext
) -> tuple[list[Statement], Rebuild]:
    before = ctx.before(table)
    after = ctx.after(table)
    if before is None or after is None:
        raise Unsupported(f"table {table} is not in the current schema")
    key = ctx.renames.rules.column_key
    # columns still under their old names when the renames are part of this rebuild
    physical = {key(c.to): c.from_ for c in changes if isinstance(c, ch.RenameColumn)}
    have = {key(c.name): physical.get(key(c.name), c.name) for c in before.columns}
    temp = TEMP_PREFIX + table
    q = dialect.q
    first = changes[0] if changes else None
    rebuilt = hazard("table_rebuild", f"rebuilds {table}: every row is copied into a new table")
    hazards: list[Hazard] = [rebuilt]
    hazards.extend(_lost_triggers(table, ctx))
    lost = [c for c in changes if isinstance(c, ch.DropColumn)]
    hazards.extend(hazard("data_loss", f"drops column {table}.{c.from_.name} and its values") for c in lost)

    copied = [
        (col.name, have[key(col.name)]) for col in after.columns if col.generated is None and key(col.name) in have
    ]
    copy_to = [q(new) for new, _ in copied]
    copy_from = [_filled(q(old), fill_for(ctx, table, new)) for new, old in copied]
    for col in after.columns:  # new NOT NULL columns get their --fill values as the rows are copied
        fill = fill_for(ctx, table, col.name)
        if fill and col.generated is None and key(col.name) not in have:
            copy_to.append(q(col.name))
            copy_from.append(f"({fill})")
    if _has_rowid(before) and _has_rowid(after) and dialect.inline_pk(after) is None:
        copy_to.insert(0, "rowid")
        copy_from.insert(0, "rowid")
    out = [
        Statement(dialect.create_table_sql(_named(after, temp)), first, tuple(hazards)),
        Statement(
            f"INSERT INTO {q(temp)} ({', '.join(copy_to)})\n    SELECT {', '.join(copy_from)} FROM {q(table)}",
            first,
        ),
        *(Statement(sql, first) for sql in counter_kept(before, after, table, temp)),
        Statement(f"DROP TABLE {q(table)}", first),
        Statement("PRAGMA legacy_alter_table = ON", first),
        Statement(f"ALTER TABLE {q(temp)} RENAME TO {q(table)}", first),
        Statement("PRAGMA legacy_alter_table = OFF", first),
    ]
    out.extend(Statement(dialect.create_index_sql(table, i), first) for i in after.indexes)
    tkey = ctx.renames.rules.table_key
    triggers = _kept_triggers(table, ctx)
    out.extend(Statement(sql, first) for sql in triggers)
    children = {
        child
        for child, _ in ctx.referencing(table)
        if any(tkey(fk.ref_table) == tkey(table) for fk in getattr(ctx.after(child), "foreign_keys", ()))
    }
    checked = [table, *sorted(children, key=tkey)]
    out.extend(Statement(f"PRAGMA foreign_key_check({q(name)})", first, check=True) for name in checked)
    counted = _autoincrement(before) and _autoincrement(after)
    return out, Rebuild(after, tuple(copied), tuple(triggers), tuple(checked), counted)


def _autoincrement(table: Table) -> bool:
    return any(c.identity is not None and c.identity.kind == "autoincrement" for c in table.columns)


def counter_kept(before: Table, after: Table, table: str, temp: str) -> list[str]:
    """AUTOINCREMENT never gives an id again, even of a deleted row: its counter is in
    `sqlite_sequence`, and the copy would restart it at the highest id left (DROP TABLE
    deletes the old table's counter). The new table takes the higher of the two first."""
    if not (_autoincrement(before) and _autoincrement(after)):
        return []
    old, new = (_literal(n) for n in (table, temp))
    return [
        f"INSERT INTO sqlite_sequence (name, seq) SELECT {new}, seq FROM sqlite_sequence WHERE name = {old}"
        f" AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = {new})",
        f"UPDATE sqlite_sequence SET seq = (SELECT MAX(seq) FROM sqlite_sequence WHERE name IN ({old}, {new}))"
        f" WHERE name = {new}",
    ]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _named(table: Table, name: str) -> Table:
    from dataclasses import replace

    return replace(table, name=name)


def _has_rowid(table: Table) -> bool:
    return not table.options.without_rowid


def _kept_triggers(table: str, ctx: PlanContext) -> list[str]:
    """The CREATE TRIGGER texts the rebuild runs again: the table's triggers the target keeps
    as they are (a changed or dropped one is the object steps' business), or, when the
    triggers are not modelled, those the plan command read from the file."""
    tkey = ctx.renames.rules.table_key
    if ctx.current.objects.reads("trigger"):
        keep = ctx.target.objects.reads("trigger")
        wanted = {(t.name, " ".join(t.definition.split())) for t in ctx.target.objects.triggers}
        return [
            t.definition
            for t in ctx.current.objects.triggers
            if tkey(ctx.renames.table(t.table)) == tkey(table)
            and (not keep or (t.name, " ".join(t.definition.split())) in wanted)
        ]
    return [sql for kind, _, on, sql in ctx.options.dependent_sql if kind == "trigger" and tkey(on) == tkey(table)]


def _lost_triggers(table: str, ctx: PlanContext) -> list[Hazard]:
    """Triggers on the table whose SQL the planner could not read: the rebuild drops them."""
    tkey = ctx.renames.rules.table_key
    if ctx.current.objects.reads("trigger"):
        return []
    known = {tkey(name) for kind, name, _, _ in ctx.options.dependent_sql if kind == "trigger"}
    return [
        hazard("trigger_lost", f"trigger {o.name} on {table} is dropped by the rebuild; create it again")
        for o in ctx.current.not_audited
        if o.kind == "trigger"
        and o.table
        and tkey(ctx.renames.table(o.table)) == tkey(table)
        and tkey(o.name) not in known
    ]


def _filled(column: str, fill: str | None) -> str:
    """An old column's values, with the `--fill` value where it holds NULL."""
    return f"COALESCE({column}, ({fill}))" if fill else column
