"""MySQL and MariaDB: DDL commits implicitly, so each step is one statement wherever it can be.

A failed `ALTER TABLE` changes nothing (InnoDB DDL is atomic per statement), but a step of
two statements that fails on the second cannot be rolled back. So all of a table's actions
in one phase are combined into a single `ALTER TABLE t a, b, c`, and a new table carries its
indexes and foreign keys inside its `CREATE TABLE`: a failed step leaves the database as
it was before that step, and re-running the plan resumes there.

Columns are restated whole (`MODIFY COLUMN`) from the evolved column, so facts the change
does not touch (comment, ON UPDATE, auto-increment) are kept, not lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import ColumnChange, TableChange
from schemaudit.diff.partitions import partition_key
from schemaudit.model import Column, ForeignKey, Generated, Index, IndexElement, PrimaryKey, Table, TableOptions
from schemaudit.plan.dialects import mysql_objects
from schemaudit.plan.dialects.base import Dialect, ObjectWriter, hazard
from schemaudit.plan.dialects.context import Clause, Op, PlanContext, Unsupported
from schemaudit.plan.dialects.fill import fill_nulls
from schemaudit.plan.model import PlanChange, Statement
from schemaudit.plan.names import RenameIndex

IMPLICIT_COMMIT = (
    "MySQL/MariaDB commit every DDL statement implicitly: a step cannot be rolled back. Each step is "
    "one statement wherever possible (all of a table's actions in one ALTER TABLE), so a failed step "
    "leaves the database as it was before that step and the plan can be re-run from there. "
    "A step is recorded right after its statement: if the connection drops in between, check that "
    "step by hand before running the plan again."
)


class MySqlDialect(Dialect):
    name: ClassVar[str] = "mysql"
    length_function: ClassVar[str | None] = "CHAR_LENGTH"
    transactional_ddl: ClassVar[bool] = False
    combines_alter_clauses: ClassVar[bool] = True
    max_identifier: ClassVar[int] = 64
    retype_blocked_by_fk: ClassVar[bool] = True
    replaces_indexes_in_place: ClassVar[bool] = True
    unique_is_index: ClassVar[bool] = True

    def plan_notes(self) -> tuple[str, ...]:
        return (IMPLICIT_COMMIT,)

    # ---- pieces ---------------------------------------------------------------------------

    def object_writer(self) -> ObjectWriter | None:
        return mysql_objects

    def column_def(self, col: Column, table: Table) -> str:
        parts = [self.q(col.name), col.type.raw]
        if col.collation:
            parts.append(f"COLLATE {col.collation}")
        if col.generated is not None:
            parts.append(f"AS ({col.generated.expression}) {'STORED' if col.generated.stored else 'VIRTUAL'}")
        else:
            parts.append("NULL" if col.nullable else "NOT NULL")
            if col.default is not None:
                parts.append(f"DEFAULT {col.default}")
            if col.on_update:
                parts.append(f"ON UPDATE {col.on_update}")
            if col.identity is not None:
                parts.append("AUTO_INCREMENT")
        if col.comment is not None:
            parts.append(f"COMMENT {self.literal(col.comment)}")
        return " ".join(parts)

    def fk_clause(self, fk: ForeignKey) -> str:
        """No DEFERRABLE: InnoDB checks every foreign key at once (a target from PostgreSQL may say it)."""
        return super().fk_clause(replace(fk, deferrable=False, initially_deferred=False))

    def literal(self, text: str) -> str:
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"

    def element_sql(self, element: IndexElement) -> str:
        if element.is_expression:
            text = f"({element.expr})"
        else:
            text = self.q(element.expr) + (f"({element.length})" if element.length else "")
        return text + (" DESC" if element.descending else "")

    def index_clause(self, table: str, index: Index) -> str:
        if index.where:
            raise Unsupported("MySQL/MariaDB have no partial indexes")
        kind = "UNIQUE INDEX" if index.unique else "INDEX"
        if index.method and index.method.lower() in ("fulltext", "spatial"):
            kind = f"{index.method.upper()} INDEX"
        elements = ", ".join(self.element_sql(e) for e in index.elements)
        return f"{kind} {self.q(self.index_name(table, index))} ({elements}){self._declared(index)}"

    def _declared(self, key: Index | PrimaryKey) -> str:
        """Options and comment as the target declares them (`USING BTREE KEY_BLOCK_SIZE=8`)."""
        text = "".join(f" {o}" for o in key.options)
        return text + (f" COMMENT {self.literal(key.comment)}" if key.comment else "")

    def pk_clause(self, table: Table) -> str | None:
        pk = table.primary_key
        return f"PRIMARY KEY {self.qs(pk.columns)}{self._declared(pk)}" if pk else None

    def create_index_sql(self, table: str, index: Index) -> str:
        return f"ALTER TABLE {self.q(table)} ADD {self.index_clause(table, index)}"

    def table_items(self, table: Table, skip_fks: Sequence[ForeignKey] = ()) -> list[str]:
        items = super().table_items(table, skip_fks)
        items.extend(self.index_clause(table.name, i) for i in table.indexes)
        return items

    def table_suffix(self, table: Table) -> str:
        text = f" ENGINE={table.options.engine}" if table.options.engine else ""
        text += f" DEFAULT CHARSET={table.options.charset}" if table.options.charset else ""
        text += f" COLLATE={table.options.collation}" if table.options.collation else ""
        if table.comment is not None:
            text += f" COMMENT={self.literal(table.comment)}"
        if table.options.partitioned and table.options.partitioning:
            text += f"\n{table.options.partitioning}"
        return text

    def _partitioning(self, table: str, to: TableOptions) -> Statement:
        """`PARTITION BY` (or `REMOVE PARTITIONING`) is a statement of its own: it follows the
        other actions of an ALTER TABLE without a comma, and moves every row."""
        moved = hazard("table_rebuild", f"repartitioning copies every row of {table}")
        if not to.partitioned:
            return Statement(f"ALTER TABLE {self.q(table)} REMOVE PARTITIONING", hazards=(moved,))
        if not to.partitioning:
            raise Unsupported("the target's partitioning is not known: partition the table by hand")
        return Statement(f"ALTER TABLE {self.q(table)} {to.partitioning}", hazards=(moved,))

    def combine(self, ops: Sequence[tuple[Op, PlanChange]]) -> list[Statement]:
        """Partitioning goes last in its step (after the key changes the partitions need), its
        removal first (before key changes the partitions would refuse)."""
        first = [p for p in ops if isinstance(p[0], Statement) and p[0].sql.endswith(" REMOVE PARTITIONING")]
        last = [p for p in ops if isinstance(p[0], Statement) and " PARTITION BY " in p[0].sql.split("\n", 1)[0]]
        moved = {id(p) for p in first + last}
        return super().combine([*first, *(p for p in ops if id(p) not in moved), *last])

    # ---- tables ---------------------------------------------------------------------------

    def rename_table(self, change: ch.RenameTable, ctx: PlanContext) -> list[Op]:
        return [Statement(f"RENAME TABLE {self.q(change.from_)} TO {self.q(change.to)}")]

    def add_table(self, change: ch.AddTable, ctx: PlanContext) -> list[Op]:
        table = ctx.port.table(change.to)
        if table.options.partitioned and not table.options.partitioning:
            raise Unsupported("the target's partitioning is not known: create the partitioned table by hand")
        return [Statement(self.create_table_sql(table, ctx.deferred_fks.get(ctx.key(table.name), ())))]

    def rename_column(self, change: ch.RenameColumn, ctx: PlanContext) -> list[Op]:
        """One ALTER TABLE renames all of a table's columns at once (MariaDB 10.5+, MySQL 8)."""
        return [Clause(change.table, f"RENAME COLUMN {self.q(change.from_)} TO {self.q(change.to)}")]

    def modify_table(self, change: ch.ModifyTable, ctx: PlanContext) -> list[Op]:
        ops: list[Op] = []
        if TableChange.OPTIONS in change.kinds:
            to, old = change.to.options, change.from_.options
            if to.partitioned != old.partitioned or partition_key(to.partitioning) != partition_key(old.partitioning):
                if not to.partitioned and not ctx.target.full_definitions:
                    raise Unsupported("the target (models, a spec) does not say whether the table is partitioned")
                ops.append(self._partitioning(change.table, to))
            if to.engine and to.engine.lower() != (old.engine or "").lower():
                rebuild = hazard("table_rebuild", f"changing the engine copies every row of {change.table}")
                ops.append(Clause(change.table, f"ENGINE={to.engine}", (rebuild,)))
            if _charset_changes(to, old):  # the default for new columns; existing ones keep theirs
                collate = f" COLLATE {to.collation}" if to.collation else ""
                ops.append(Clause(change.table, f"DEFAULT CHARACTER SET {to.charset}{collate}"))
        if TableChange.COMMENT in change.kinds:
            ops.append(Clause(change.table, f"COMMENT={self.literal(change.to.comment or '')}"))
        return ops

    # ---- columns --------------------------------------------------------------------------

    def column_position(self, col: Column, table: Table) -> str:
        names = [c.name for c in table.columns]
        at = names.index(col.name) if col.name in names else -1
        return "" if at < 0 else (" FIRST" if at == 0 else f" AFTER {self.q(names[at - 1])}")

    def set_not_null(self, table_name: str, col: Column, table: Table) -> Clause:
        return Clause(table_name, f"MODIFY COLUMN {self.column_def(col, table)}")

    def modify_column(self, change: ch.ModifyColumn, ctx: PlanContext) -> list[Op]:
        table = ctx.after(change.table)
        assert table is not None
        col = table.column(change.to.name, ctx.renames.rules)
        assert col is not None
        if change.kinds == frozenset({ColumnChange.DEFAULT}) and col.generated is None:
            action = "DROP DEFAULT" if col.default is None else f"SET DEFAULT {col.default}"
            return [Clause(change.table, f"ALTER COLUMN {self.q(col.name)} {action}")]
        kinds = {_kind(change.from_), _kind(col)}
        if ColumnChange.GENERATED in change.kinds and len(kinds) == 2 and "virtual" in kinds:
            return self._recreate(change, col, table)
        hazards = []
        if ColumnChange.TYPE in change.kinds:
            hazards.append(
                hazard(
                    "cast",
                    f"{change.table}.{col.name}: {change.from_.type.raw} -> {col.type.raw}; values are converted",
                )
            )
        if ColumnChange.NULLABLE in change.kinds and not col.nullable:
            hazards.append(hazard("not_null_on_existing_data", f"NULLs in {change.table}.{col.name} stop the step"))
        modify = Clause(change.table, f"MODIFY COLUMN {self.column_def(col, table)}", tuple(hazards))
        return [*fill_nulls(self, change, ctx), modify]

    def _recreate(self, change: ch.ModifyColumn, col: Column, table: Table) -> list[Op]:
        """A column that becomes or stops being VIRTUAL: the server refuses MODIFY ("not yet
        supported for generated columns"), so one ALTER drops it and adds it back in place
        (its indexes are kept). A virtual column that becomes a plain one keeps its values:
        it comes back STORED with its old expression, which computes them, then becomes plain
        (stored to plain is a MODIFY the server does, keeping the values)."""
        where = self.column_position(col, table)
        old = change.from_.generated
        keep = old is not None and col.generated is None
        first = replace(col, generated=Generated(old.expression, stored=True)) if keep and old else col
        recomputed = hazard(
            "column_recreated", f"{change.table}.{col.name} is dropped and added again; its values are computed anew"
        )
        ops: list[Op] = [
            Clause(change.table, f"DROP COLUMN {self.q(col.name)}", (recomputed,)),
            Clause(change.table, f"ADD COLUMN {self.column_def(first, table)}{where}"),
        ]
        if keep:
            ops.append(Statement(f"ALTER TABLE {self.q(change.table)} MODIFY COLUMN {self.column_def(col, table)}"))
        return ops

    # ---- keys, constraints, indexes ----------------------------------------------------------

    def add_primary_key(self, change: ch.AddPrimaryKey, ctx: PlanContext) -> list[Op]:
        return [Clause(change.table, f"ADD PRIMARY KEY {self.qs(change.to.columns)}{self._declared(change.to)}")]

    def drop_primary_key(self, change: ch.DropPrimaryKey, ctx: PlanContext) -> list[Op]:
        return [Clause(change.table, "DROP PRIMARY KEY", drops_constraint=True)]

    def add_foreign_key(self, change: ch.AddForeignKey, ctx: PlanContext) -> list[Op]:
        fk = ctx.port.foreign_key(change.to)
        if fk.name is None:
            fk = replace(fk, name=self._replaced_name(change.table, fk, ctx))
        return [*self._keep_fk_index(change.table, fk, ctx), Clause(change.table, f"ADD {self.fk_clause(fk)}")]

    def _replaced_name(self, table: str, fk: ForeignKey, ctx: PlanContext) -> str | None:
        """An unnamed foreign key that replaces one with the same columns and reference keeps
        the old one's name (`t_ibfk_1`), as a table built from the target would have it; a new
        unnamed key would get the next number (`t_ibfk_3`)."""
        before, after = ctx.before(table), ctx.after(table)
        if before is None or after is None:
            return None
        key, tkey = ctx.renames.rules.column_key, ctx.renames.rules.table_key
        taken = {tkey(f.name) for f in after.foreign_keys if f.name}

        def shape(f: ForeignKey) -> tuple[object, ...]:
            return [key(c) for c in f.columns], tkey(f.ref_table), [key(c) for c in f.ref_columns]

        for old in before.foreign_keys:
            if old.name and tkey(old.name) not in taken and shape(old) == shape(fk):
                return old.name
        return None

    def _keep_fk_index(self, table: str, fk: ForeignKey, ctx: PlanContext) -> list[Op]:
        """A foreign key that replaces one on the same columns (`t_ibfk_1` with another ON
        DELETE) finds the index InnoDB made for the old one; MariaDB replaces such an index by
        one named after the new constraint, so the target's index name would be lost. Stating
        the index again in the same ALTER makes it the user's, which the key then uses."""
        before, after = ctx.before(table), ctx.after(table)
        if not fk.name or before is None or after is None:
            return []
        key, iname = ctx.renames.rules.column_key, ctx.renames.rules.table_key
        cols = [key(c) for c in fk.columns]
        if not any([key(c) for c in old.columns] == cols for old in before.foreign_keys):
            return []
        kept = {iname(i.name): i for i in after.indexes if i.name}
        for index in before.indexes:
            again = kept.get(iname(index.name))
            if again is None or iname(index.name) == iname(fk.name) or [key(c) for c in index.columns] != cols:
                continue
            if len(index.elements) == len(cols) and not index.unique:
                drop = Clause(table, f"DROP INDEX {self.q(index.name)}")
                return [drop, Clause(table, f"ADD {self.index_clause(table, again)}")]
        return []

    def drop_foreign_key(self, change: ch.DropForeignKey, ctx: PlanContext) -> list[Op]:
        if not change.from_.name:
            raise Unsupported("the foreign key has no name to drop it by")
        return [Clause(change.table, f"DROP FOREIGN KEY {self.q(change.from_.name)}", drops_constraint=True)]

    def drop_unique(self, change: ch.DropUnique, ctx: PlanContext) -> list[Op]:
        if not change.from_.name:
            raise Unsupported("the unique key has no name to drop it by")
        return [Clause(change.table, f"DROP INDEX {self.q(change.from_.name)}")]

    def add_index(self, change: ch.AddIndex, ctx: PlanContext) -> list[Op]:
        index = ctx.port.index(change.to)
        hazards = (hazard("unique_on_existing_data", f"duplicate values in {change.table} stop the step"),)
        return [Clause(change.table, f"ADD {self.index_clause(change.table, index)}", hazards if index.unique else ())]

    def drop_index(self, change: ch.DropIndex, ctx: PlanContext) -> list[Op]:
        if change.required_by_fk and not self._fk_served_after(change, ctx):
            raise Unsupported(f"MySQL needs this index for foreign key {change.required_by_fk}, which stays")
        return [Clause(change.table, f"DROP INDEX {self.q(change.from_.name)}")]

    def rename_index(self, change: RenameIndex, ctx: PlanContext) -> list[Op]:
        return [Clause(change.table, f"RENAME INDEX {self.q(change.from_)} TO {self.q(change.to)}")]

    def modify_index(self, change: ch.ModifyIndex, ctx: PlanContext) -> list[Op]:
        """Drop and add in one ALTER TABLE, so a foreign key never lacks its index."""
        drop = Clause(change.table, f"DROP INDEX {self.q(change.from_.name)}")
        return [drop, *self.add_index(ch.AddIndex(change.table, change.to), ctx)]

    def _fk_served_after(self, change: ch.DropIndex, ctx: PlanContext) -> bool:
        """Whether every foreign key on the index's lead columns that stays has another
        index (or key) on those columns once the step is done."""
        after = ctx.after(change.table)
        if after is None:
            return True
        key = ctx.renames.rules.column_key
        keys = [[key(c) for c in i.columns] for i in after.indexes]
        keys += [[key(c) for c in u.columns] for u in after.uniques]
        if after.primary_key is not None:
            keys.append([key(c) for c in after.primary_key.columns])
        for fk in after.foreign_keys:
            cols = [key(c) for c in fk.columns]
            if [key(c) for c in change.from_.columns][: len(cols)] == cols and not any(
                k[: len(cols)] == cols for k in keys
            ):
                return False
        return True


def _kind(col: Column) -> str:
    """How a column gets its values: "plain", "stored" or "virtual" (generated)."""
    if col.generated is None:
        return "plain"
    return "stored" if col.generated.stored else "virtual"


def _charset_changes(to: TableOptions, old: TableOptions) -> bool:
    """Whether the table's default charset or collation moves, each compared where both say it."""
    pairs = ((to.charset, old.charset), (to.collation, old.collation))
    return to.charset is not None and any(t is not None and o is not None and t.lower() != o.lower() for t, o in pairs)
