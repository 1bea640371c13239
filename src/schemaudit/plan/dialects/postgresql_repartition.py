"""PostgreSQL: a table partitioned anew (plain to partitioned, back, or by another key).

PostgreSQL cannot change how a table is partitioned in place, so the table is rebuilt in
one step, one transaction, with its rows:

1. the old table, its indexes and key constraints, and the sequences of its serial and
   identity columns are renamed aside (`_schemaudit_old_...`), freeing their names;
2. the table is created under its own name as the target defines it (key, partitions);
3. the rows are copied (`OVERRIDING SYSTEM VALUE`, so identity values are kept); a row no
   partition takes fails the step, and the transaction leaves the database as it was;
4. serial and identity sequences continue after the copied values (`setval`);
5. the old table is dropped (with the old sequences it owns), then the indexes are built.

What the rebuild would have to carry over and cannot yet is refused in one line before
anything runs: foreign keys of other tables pointing at it, views that read it, its
triggers, policies and row-level security.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import TableChange
from schemaudit.diff.partitions import partition_key
from schemaudit.model import ForeignKey, Index, Table
from schemaudit.plan.dialects import postgresql_partitions as partitions_sql
from schemaudit.plan.dialects.base import hazard
from schemaudit.plan.dialects.context import PlanContext, Unsupported
from schemaudit.plan.model import PlanChange, Rebuild, Statement

OLD = "_schemaudit_old_"


class _Writer(Protocol):
    def q(self, name: str) -> str: ...
    def create_table_sql(self, table: Table, skip_fks: Sequence[ForeignKey] = ()) -> str: ...
    def create_index_sql(self, table: str, index: Index) -> str: ...
    def literal(self, text: str) -> str: ...


def repartitions(change: PlanChange) -> bool:
    """The change partitions a table anew: in or out of partitioning, or by another key."""
    if not isinstance(change, ch.ModifyTable) or TableChange.OPTIONS not in change.kinds:
        return False
    to, was = change.to.options, change.from_.options
    return to.partitioned != was.partitioned or (
        to.partitioned and partition_key(to.partitioning) != partition_key(was.partitioning)
    )


def _aside(name: str) -> str:
    return (OLD + name)[:63]


def _blockers(table: str, ctx: PlanContext) -> list[str]:
    key = ctx.key
    found = [f"foreign keys of {t}" for t, _ in ctx.referencing(table)]
    objects = ctx.current.objects
    found += [f"trigger {t.name}" for t in objects.triggers if key(ctx.renames.table(t.table)) == key(table)]
    found += [f"policy {p.name}" for p in objects.policies if key(ctx.renames.table(p.table)) == key(table)]
    word = re.compile(rf"(?<![\w$]){re.escape(table)}(?![\w$])", re.IGNORECASE)
    found += [f"view {v.name}" for v in objects.views if word.search(v.definition)]
    return list(dict.fromkeys(found))


def rebuild(d: _Writer, table: str, changes: Sequence[PlanChange], ctx: PlanContext) -> tuple[list[Statement], Rebuild]:
    modify = next(c for c in changes if isinstance(c, ch.ModifyTable) and repartitions(c))
    before, evolved = ctx.before(table), ctx.after(table)
    if before is None or evolved is None:
        raise Unsupported(f"table {table} is not in the current schema")
    blockers = _blockers(table, ctx)
    if blockers:
        raise Unsupported(
            f"PostgreSQL cannot partition {table} anew in place, and rebuilding it would lose "
            f"{', '.join(blockers)}: move them aside by hand, or create the partitioned table and copy the rows"
        )
    after = replace(evolved, partitions=modify.to.partitions, options=modify.to.options)
    q = d.q
    first = modify
    key = ctx.renames.rules.column_key
    physical = {key(c.to): c.from_ for c in changes if isinstance(c, ch.RenameColumn)}
    have = {key(c.name): physical.get(key(c.name), c.name) for c in before.columns}
    copied = tuple((c.name, have[key(c.name)]) for c in after.columns if c.generated is None and key(c.name) in have)
    moved = hazard("table_rebuild", f"rebuilds {table}: every row is copied into the newly partitioned table")
    out = [Statement(f"ALTER TABLE {q(table)} RENAME TO {q(_aside(table))}", first, (moved,))]
    names = [i.name for i in before.indexes] + [u.name for u in before.uniques if u.name]
    names += [before.primary_key.name] if before.primary_key and before.primary_key.name else []
    out += [Statement(f"ALTER INDEX {q(n)} RENAME TO {q(_aside(n))}", first) for n in dict.fromkeys(names)]
    sequences = [c.identity.sequence for c in before.columns if c.identity is not None and c.identity.sequence]
    out += [Statement(f"ALTER SEQUENCE {q(s)} RENAME TO {q(_aside(s))}", first) for s in dict.fromkeys(sequences)]
    out.append(Statement(d.create_table_sql(replace(after, indexes=())), first))
    out += [Statement(sql, first) for p in after.partitions for sql in partitions_sql.create(d, table, p)]
    if copied:
        out.append(
            Statement(
                f"INSERT INTO {q(table)} ({', '.join(q(new) for new, _ in copied)}) OVERRIDING SYSTEM VALUE\n"
                f"    SELECT {', '.join(q(old) for _, old in copied)} FROM {q(_aside(table))}",
                first,
            )
        )
    for col in after.columns:
        if col.identity is not None and col.identity.kind in ("serial", "always", "by default"):
            seq = f"pg_get_serial_sequence({d.literal(q(table))}, {d.literal(col.name)})"
            out.append(
                Statement(f"SELECT setval({seq}, COALESCE(MAX({q(col.name)}), 0) + 1, false) FROM {q(table)}", first)
            )
    out.append(Statement(f"DROP TABLE {q(_aside(table))}", first))
    out += [Statement(d.create_index_sql(table, i), first) for i in after.indexes]
    return out, Rebuild(after, copied)
