"""PostgreSQL: transactional DDL, in-place column changes, constraints validated apart.

- Every step runs in one transaction; a failed step leaves nothing behind.
- `ALTER COLUMN ... TYPE ... USING col::type` converts values when the type family changes
  (a default that cannot follow the cast is dropped first and set again after).
- Foreign keys and checks on existing tables are added `NOT VALID` and validated in a
  separate transaction: the ALTER holds its strong lock only for a moment, and the scan runs
  under a lock that lets reads and writes continue.
- With `concurrent_indexes`, indexes are built `CONCURRENTLY`, outside any transaction.
- Enum types the target uses are created first, missing labels added (`ALTER TYPE ... ADD VALUE`).
- Identity and serial columns keep their sequences in step with the data (`setval`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from schemaudit.diff import changes as ch
from schemaudit.diff import partition_changes as pc
from schemaudit.diff.changes import ColumnChange, TableChange, TypeRelation
from schemaudit.model import Column, ForeignKey, Identity, SqlType, Table, TypeFamily
from schemaudit.plan.dialects import postgresql_objects
from schemaudit.plan.dialects import postgresql_partitions as partitions_sql
from schemaudit.plan.dialects import postgresql_repartition as repartition
from schemaudit.plan.dialects.base import Dialect, ObjectWriter, hazard, same_enum_type
from schemaudit.plan.dialects.context import Clause, Op, PlanContext, Unsupported
from schemaudit.plan.dialects.fill import fill_nulls
from schemaudit.plan.dialects.postgresql_rewrites import type_hazards
from schemaudit.plan.model import PlanChange, Rebuild, Statement

_SERIAL = {2: "smallserial", 4: "serial", 8: "bigserial"}
_IDENTITY = {"always": "ALWAYS", "by default": "BY DEFAULT"}

_TRAILING_CAST = re.compile(r"::[a-z_][a-z0-9_ ]*(\([0-9, ]*\))?(\[\])*$", re.IGNORECASE)


class PostgresDialect(Dialect):
    name: ClassVar[str] = "postgresql"
    length_function: ClassVar[str | None] = "char_length"
    transactional_ddl: ClassVar[bool] = True
    validates_separately: ClassVar[bool] = True
    renames_constraints: ClassVar[bool] = True
    max_identifier: ClassVar[int] = 63

    def plan_notes(self) -> tuple[str, ...]:
        return (
            "PostgreSQL runs each step in its own transaction: a failed step is rolled back whole. "
            "Constraints added to existing tables are validated in a later step of their own.",
        )

    # ---- pieces ---------------------------------------------------------------------------

    def type_sql(self, col: Column) -> str:
        if col.identity is not None and col.identity.kind == "serial" and col.type.family is TypeFamily.INTEGER:
            return _SERIAL.get(col.type.size or 4, "serial")
        return col.type.raw

    def column_def(self, col: Column, table: Table) -> str:
        text = super().column_def(col, table)
        identity = col.identity
        if identity is not None and identity.kind in _IDENTITY:
            text += f" GENERATED {_IDENTITY[identity.kind]} AS IDENTITY{_sequence_options(identity)}"
        return text

    def comment_sql(self, target: str, text: str | None) -> str:
        return f"COMMENT ON {target} IS {self.literal(text) if text is not None else 'NULL'}"

    def comments_of(self, table: Table) -> list[Op]:
        ops: list[Op] = []
        if table.comment is not None:
            ops.append(Statement(self.comment_sql(f"TABLE {self.q(table.name)}", table.comment)))
        for col in table.columns:
            if col.comment is not None:
                where = f"COLUMN {self.q(table.name)}.{self.q(col.name)}"
                ops.append(Statement(self.comment_sql(where, col.comment)))
        return ops

    def enum_type_sql(self, sql_type: SqlType) -> str:
        """Create an enum type unless it exists (a type no column uses is invisible to the model)."""
        labels = ", ".join(self.literal(v) for v in sql_type.values)
        name = sql_type.name or sql_type.raw
        return (
            f"DO $$ BEGIN CREATE TYPE {self.q(name)} AS ENUM ({labels}); "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )

    def enum_label_sql(self, sql_type: SqlType, label: str, after: str | None) -> str:
        name = sql_type.name or sql_type.raw
        where = f" AFTER {self.literal(after)}" if after is not None else ""
        return f"ALTER TYPE {self.q(name)} ADD VALUE IF NOT EXISTS {self.literal(label)}{where}"

    def object_writer(self) -> ObjectWriter | None:
        return postgresql_objects

    def type_statements(self, changes: Sequence[PlanChange], ctx: PlanContext) -> list[Statement]:
        """Enum types the planned columns use: created when missing, labels added when short.
        When both schemas hold their enum types as objects, the object steps do it."""
        if ctx.target.objects.reads("enum") and ctx.current.objects.reads("enum"):
            return []
        columns: list[Column] = []
        for change in changes:
            if isinstance(change, ch.AddTable):
                columns.extend(ctx.port.table(change.to).columns)
            elif isinstance(change, ch.AddColumn) or (
                isinstance(change, ch.ModifyColumn)
                and ColumnChange.TYPE in change.kinds
                and change.type_relation is not TypeRelation.EQUIVALENT
            ):
                columns.append(ctx.port.column(change.to))
        existing = {t.name or t.raw: t for t in postgres_enum_types([c for t in ctx.state.tables for c in t.columns])}
        out: list[Statement] = []
        for wanted in postgres_enum_types(columns):
            have = existing.get(wanted.name or wanted.raw)
            if have is None:
                out.append(Statement(self.enum_type_sql(wanted)))
                continue
            previous: str | None = None
            for label in wanted.values:
                if label not in have.values:
                    out.append(
                        Statement(
                            self.enum_label_sql(
                                wanted, label, previous if previous in have.values or previous else None
                            )
                        )
                    )
                previous = label
        return out

    # ---- tables -----------------------------------------------------------------------------

    def add_table(self, change: ch.AddTable, ctx: PlanContext) -> list[Op]:
        table = ctx.port.table(change.to)
        # PostgreSQL ignores NOT VALID inside CREATE TABLE: such a check is added after it
        later = [c for c in table.checks if not c.validated]
        if later:
            change = replace(change, to=replace(change.to, checks=tuple(c for c in change.to.checks if c.validated)))
        ops = super().add_table(change, ctx)
        partitions = [Statement(sql) for p in table.partitions for sql in partitions_sql.create(self, table.name, p)]
        checks = [Statement(f"ALTER TABLE {self.q(table.name)} ADD {self.check_clause(c)} NOT VALID") for c in later]
        return [*ops[:1], *partitions, *checks, *ops[1:], *self.comments_of(table)]

    def table_suffix(self, table: Table) -> str:
        if not table.options.partitioned:
            return ""
        if not table.options.partitioning:
            raise Unsupported(f"the target does not say how {table.name} is partitioned: create it by hand")
        return f" {table.options.partitioning}"

    def add_partition(self, change: pc.AddPartition, ctx: PlanContext) -> list[Op]:
        return partitions_sql.add(self, change)

    def drop_partition(self, change: pc.DropPartition, ctx: PlanContext) -> list[Op]:
        return partitions_sql.drop(self, change)

    def modify_partition(self, change: pc.ModifyPartition, ctx: PlanContext) -> list[Op]:
        table = ctx.after(change.table)
        columns = [c.name for c in table.columns if c.generated is None] if table is not None else []
        return partitions_sql.modify(self, change, columns)

    def detach_partition(self, change: pc.DetachPartition, ctx: PlanContext) -> list[Op]:
        return partitions_sql.detach(self, change)

    def attach_partition(self, change: pc.AttachPartition, ctx: PlanContext) -> list[Op]:
        return partitions_sql.attach(self, change)

    def rebuild_reason(self, change: PlanChange, ctx: PlanContext) -> str | None:
        if repartition.repartitions(change):
            return "PostgreSQL cannot partition a table anew in place"
        return None

    def rebuild(self, table: str, changes: Sequence[PlanChange], ctx: PlanContext) -> tuple[list[Statement], Rebuild]:
        return repartition.rebuild(self, table, changes, ctx)

    def modify_table(self, change: ch.ModifyTable, ctx: PlanContext) -> list[Op]:
        was, to = change.from_.options, change.to.options
        ops: list[Op] = []
        if TableChange.OPTIONS in change.kinds and was.unlogged != to.unlogged:
            ops.append(Statement(f"ALTER TABLE {self.q(change.table)} SET {'UNLOGGED' if to.unlogged else 'LOGGED'}"))
        if TableChange.COMMENT in change.kinds:
            ops.append(Statement(self.comment_sql(f"TABLE {self.q(change.table)}", change.to.comment)))
        return ops

    def create_table_sql(self, table: Table, skip_fks: Sequence[ForeignKey] = ()) -> str:
        text = super().create_table_sql(table, skip_fks)
        return "CREATE UNLOGGED TABLE" + text[len("CREATE TABLE") :] if table.options.unlogged else text

    # ---- columns ----------------------------------------------------------------------------

    def modify_column(self, change: ch.ModifyColumn, ctx: PlanContext) -> list[Op]:
        table = ctx.after(change.table)
        assert table is not None
        col = table.column(change.to.name, ctx.renames.rules)
        assert col is not None
        old = change.from_
        name = self.q(col.name)
        ops: list[Op] = fill_nulls(self, change, ctx)
        kinds = change.kinds
        if ColumnChange.GENERATED in kinds:
            return self._regenerate(change, table, col, ctx)
        retype = ColumnChange.TYPE in kinds and change.type_relation is not TypeRelation.EQUIVALENT
        retype = retype and not same_enum_type(old, col, ctx.current)
        collate = ColumnChange.COLLATION in kinds
        family_changes = retype and old.type.family is not col.type.family
        if family_changes and old.default is not None:  # the old default may not survive the cast
            ops.append(Clause(change.table, f"ALTER COLUMN {name} DROP DEFAULT"))
        if retype or collate:
            text = f"ALTER COLUMN {name} TYPE {col.type.raw}"
            if col.collation:
                text += f" COLLATE {self.q(col.collation)}"
            if family_changes:
                text += f" USING {name}::{col.type.raw}"
            ops.append(Clause(change.table, text, type_hazards(change, self.options.time_zone)))
        if family_changes and col.default is not None and col.identity is None:
            # the kept default still carries the old type's cast ('open'::text): drop it so
            # the literal takes the new type
            default = _TRAILING_CAST.sub("", col.default)
            ops.append(Clause(change.table, f"ALTER COLUMN {name} SET DEFAULT {default}"))
        if ColumnChange.NULLABLE in kinds:
            if col.nullable:
                ops.append(Clause(change.table, f"ALTER COLUMN {name} DROP NOT NULL"))
            else:
                nulls = hazard(
                    "not_null_on_existing_data", f"rows where {change.table}.{col.name} is NULL stop the step"
                )
                ops.append(Clause(change.table, f"ALTER COLUMN {name} SET NOT NULL", (nulls,)))
        if ColumnChange.DEFAULT in kinds and not family_changes and ColumnChange.IDENTITY not in kinds:
            action = "DROP DEFAULT" if col.default is None else f"SET DEFAULT {col.default}"
            ops.append(Clause(change.table, f"ALTER COLUMN {name} {action}"))
        if ColumnChange.IDENTITY in kinds:
            ops.extend(self._identity(change.table, old, col))
        if ColumnChange.COMMENT in kinds:
            where = f"COLUMN {self.q(change.table)}.{name}"
            ops.append(Statement(self.comment_sql(where, col.comment)))
        return ops

    def _identity(self, table: str, old: Column, col: Column) -> list[Op]:
        """Move between no identity, serial (an owned sequence) and SQL identity."""
        before = old.identity.kind if old.identity else None
        after = col.identity.kind if col.identity else None
        name = self.q(col.name)
        ops: list[Op] = []
        if before in _IDENTITY and after in _IDENTITY:
            return [Clause(table, f"ALTER COLUMN {name} SET GENERATED {_IDENTITY[after]}")]
        if before in _IDENTITY:
            ops.append(Clause(table, f"ALTER COLUMN {name} DROP IDENTITY"))
        elif before == "serial" or (before is None and old.default is not None):
            ops.append(Clause(table, f"ALTER COLUMN {name} DROP DEFAULT"))
            if before == "serial" and old.identity is not None and old.identity.sequence:
                ops.append(Statement(f"DROP SEQUENCE IF EXISTS {self._sequence_name(old.identity.sequence)}"))
        if after in _IDENTITY:
            assert col.identity is not None
            clause = (
                f"ALTER COLUMN {name} ADD GENERATED {_IDENTITY[after]} AS IDENTITY{_sequence_options(col.identity)}"
            )
            ops.append(Clause(table, clause))
            ops.append(Statement(self._setval(table, col.name)))
        elif after == "serial":
            sequence = self.make_name(table, [col.name], "seq")
            # serial's sequence has the column's type (a plain CREATE SEQUENCE is bigint)
            kind = {"smallint": " AS smallint", "integer": " AS integer", "int": " AS integer", "int4": " AS integer"}
            as_type = kind.get(col.type.raw.lower(), "")
            ops.append(Statement(f"CREATE SEQUENCE {self.q(sequence)}{as_type} OWNED BY {self.q(table)}.{name}"))
            regclass = self.literal(self.q(sequence))
            ops.append(Clause(table, f"ALTER COLUMN {name} SET DEFAULT nextval({regclass}::regclass)"))
            ops.append(Statement(self._setval(table, col.name)))
        return ops

    def _setval(self, table: str, column: str) -> str:
        """Start the sequence after the highest value already in the column."""
        return (
            f"SELECT setval(pg_get_serial_sequence({self.literal(self.q(table))}, {self.literal(column)}), "
            f"COALESCE(MAX({self.q(column)}), 0) + 1, false) FROM {self.q(table)}"
        )

    def _sequence_name(self, text: str) -> str:
        schema, dot, name = text.rpartition(".")
        return f"{self.q(schema)}.{self.q(name)}" if dot else self.q(name)

    def _regenerate(self, change: ch.ModifyColumn, table: Table, col: Column, ctx: PlanContext) -> list[Op]:
        """A generated column changes: drop its expression, or drop and add it again
        (PostgreSQL 15 has no SET EXPRESSION); indexes on it are created again."""
        name = self.q(col.name)
        if col.generated is None and change.from_.generated is not None and change.from_.generated.stored:
            return [Clause(change.table, f"ALTER COLUMN {name} DROP EXPRESSION")]
        lost = hazard("recompute", f"drops and adds {change.table}.{col.name} again: stored values are recomputed")
        ops: list[Op] = [
            Clause(change.table, f"DROP COLUMN {name}", (lost,)),
            Clause(change.table, f"ADD COLUMN {self.column_def(col, table)}"),
        ]
        key = ctx.renames.rules.column_key
        for index in table.indexes:
            if any(not e.is_expression and key(e.expr) == key(col.name) for e in index.elements):
                ops.append(Statement(self.create_index_sql(table.name, index)))
        return ops

    # ---- constraints and indexes -------------------------------------------------------------

    def add_foreign_key(self, change: ch.AddForeignKey, ctx: PlanContext) -> list[Op]:
        fk = ctx.port.foreign_key(change.to)
        if fk.validated and ctx.before(change.table) is None:  # a table this plan creates holds no rows yet
            return [Clause(change.table, f"ADD {self.fk_clause(fk)}")]
        if not fk.name:
            fk = replace(fk, name=self.make_name(change.table, fk.columns, "fkey"))
        if not fk.validated:  # the target's key was added NOT VALID: so is this one, never validated
            return [Clause(change.table, f"ADD {self.fk_clause(fk)} NOT VALID")]
        orphans = hazard("fk_on_existing_data", f"rows of {change.table} without a parent row fail the validation")
        return [
            Clause(change.table, f"ADD {self.fk_clause(fk)} NOT VALID"),
            Statement(
                f"ALTER TABLE {self.q(change.table)} VALIDATE CONSTRAINT {self.q(fk.name or '')}",
                hazards=(orphans,),
                separate=True,
            ),
        ]

    def modify_foreign_key(self, change: ch.ModifyForeignKey, ctx: PlanContext) -> list[Op]:
        if change.kinds == {ch.ForeignKeyChange.VALIDATED} and change.from_.name:
            orphans = hazard("fk_on_existing_data", f"rows of {change.table} without a parent row fail the validation")
            text = f"ALTER TABLE {self.q(change.table)} VALIDATE CONSTRAINT {self.q(change.from_.name)}"
            return [Statement(text, hazards=(orphans,), separate=True)]
        return super().modify_foreign_key(change, ctx)

    def add_check(self, change: ch.AddCheck, ctx: PlanContext) -> list[Op]:
        check = ctx.port.check(change.to)
        if not check.name:
            columns = [check.column] if check.column else []
            check = replace(check, name=self.make_name(change.table, columns, "check"))
        if not check.validated:  # the target's check was added NOT VALID: so is this one, never validated
            return [Clause(change.table, f"ADD {self.check_clause(check)} NOT VALID")]
        bad = hazard("check_on_existing_data", f"rows of {change.table} that fail the check fail the validation")
        return [
            Clause(change.table, f"ADD {self.check_clause(check)} NOT VALID"),
            Statement(
                f"ALTER TABLE {self.q(change.table)} VALIDATE CONSTRAINT {self.q(check.name or '')}",
                hazards=(bad,),
                separate=True,
            ),
        ]

    def add_index(self, change: ch.AddIndex, ctx: PlanContext) -> list[Op]:
        ops = super().add_index(change, ctx)
        if not self.options.concurrent_indexes:
            return ops
        out: list[Op] = []
        for op in ops:
            if isinstance(op, Statement) and op.sql.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")):
                text = op.sql.replace(" INDEX ", " INDEX CONCURRENTLY ", 1)
                outside = hazard(
                    "non_transactional", "runs outside a transaction; if it fails, drop the INVALID index it leaves"
                )
                op = Statement(text, change, (*op.hazards, outside), transactional=False)
            out.append(op)
        return out


def _sequence_options(identity: Identity) -> str:
    options = []
    if identity.start is not None and identity.start != 1:
        options.append(f"START WITH {identity.start}")
    if identity.increment is not None and identity.increment != 1:
        options.append(f"INCREMENT BY {identity.increment}")
    return f" ({' '.join(options)})" if options else ""


def postgres_enum_types(columns: Sequence[Column]) -> list[SqlType]:
    """Distinct enum types (by name) among columns, in first-seen order."""
    seen: dict[str, SqlType] = {}
    for col in columns:
        t = col.type.element if col.type.family is TypeFamily.ARRAY and col.type.element else col.type
        if t.family is TypeFamily.ENUM and t.values:
            seen.setdefault(t.name or t.raw, t)
    return list(seen.values())
