"""The base of every dialect: capabilities as class attributes, one method per change kind.

A method takes one change and the plan context and returns statements (or `ALTER TABLE`
clauses, which `statements()` combines where the dialect allows). It raises `Unsupported`
when the dialect cannot express the change; the plan then keeps the change with the reason.
The base spells standard SQL; subclasses override what their database does differently.
Identifiers are always quoted through `q()`, whatever they contain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import ClassVar, Protocol

from schemaudit.diff import changes as ch
from schemaudit.diff import partition_changes as pc
from schemaudit.identifiers import quote
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    IndexElement,
    Schema,
    SqlType,
    Table,
    TypeFamily,
    UniqueConstraint,
)
from schemaudit.model_objects import AnyObject, EnumType
from schemaudit.model_objects import Sequence as Sequence_
from schemaudit.plan.dialects.context import Clause, Op, PlanContext, Unsupported
from schemaudit.plan.dialects.fill import filled_column
from schemaudit.plan.model import Hazard, PlanChange, PlanOptions, Rebuild, RiskLevel, Statement
from schemaudit.plan.names import RenameConstraint, RenameIndex
from schemaudit.plan.porter import transpile_type

Method = Callable[[PlanChange, PlanContext], list[Op]]

_METHOD_NAMES: dict[type, str] = {
    ch.RenameTable: "rename_table",
    ch.AddTable: "add_table",
    ch.DropTable: "drop_table",
    ch.ModifyTable: "modify_table",
    ch.RenameColumn: "rename_column",
    ch.AddColumn: "add_column",
    ch.DropColumn: "drop_column",
    ch.ModifyColumn: "modify_column",
    ch.AddPrimaryKey: "add_primary_key",
    ch.DropPrimaryKey: "drop_primary_key",
    ch.ModifyPrimaryKey: "modify_primary_key",
    ch.AddForeignKey: "add_foreign_key",
    ch.DropForeignKey: "drop_foreign_key",
    ch.ModifyForeignKey: "modify_foreign_key",
    ch.AddUnique: "add_unique",
    ch.DropUnique: "drop_unique",
    ch.AddCheck: "add_check",
    ch.DropCheck: "drop_check",
    ch.AddIndex: "add_index",
    ch.DropIndex: "drop_index",
    ch.ModifyIndex: "modify_index",
    RenameIndex: "rename_index",
    RenameConstraint: "rename_constraint",
    pc.AddPartition: "add_partition",
    pc.DropPartition: "drop_partition",
    pc.ModifyPartition: "modify_partition",
    pc.DetachPartition: "detach_partition",
    pc.AttachPartition: "attach_partition",
}
_SLUG = re.compile(r"[^a-z0-9]+")


class ObjectWriter(Protocol):
    """How a dialect spells objects beyond tables (`postgresql_objects` is one). `rename`
    and `alter` return None when it takes a drop and a create."""

    OR_REPLACE_VIEWS: bool
    VIEWS_BIND_COLUMNS: bool
    ROUTINE_PREAMBLE: tuple[str, ...]  # run before creating routines (none where not needed)

    def create(self, obj: AnyObject) -> list[str]: ...
    def drop(self, obj: AnyObject) -> list[str]: ...
    def alter(self, from_: AnyObject, to: AnyObject, what: tuple[str, ...]) -> list[str] | None: ...
    def rename(self, from_: AnyObject, to: AnyObject) -> list[str] | None: ...
    def owned_by(self, s: Sequence_) -> list[str]: ...
    def enum_additions(self, from_: EnumType, to: EnumType) -> list[str] | None: ...


def same_enum_type(old: Column, new: Column, current: Schema) -> bool:
    """Both columns use one enum type whose labels the object steps change in place (`ALTER
    TYPE ... ADD VALUE`): the column itself needs no retype (which views would block)."""
    return (
        current.objects.reads("enum")
        and old.type.family is TypeFamily.ENUM
        and new.type.family is TypeFamily.ENUM
        and (old.type.name or old.type.raw) == (new.type.name or new.type.raw)
    )


def hazard(code: str, message: str, level: RiskLevel | None = None) -> Hazard:
    return Hazard(code, message, level)


class Dialect:
    """Standard SQL; subclasses set the capabilities and override what differs."""

    name: ClassVar[str] = "standard"
    transactional_ddl: ClassVar[bool] = True  # DDL can be rolled back (else: implicit commit)
    forward_references: ClassVar[bool] = False  # a FOREIGN KEY may name a table created later
    combines_alter_clauses: ClassVar[bool] = True  # ALTER TABLE t action, action, ...
    validates_separately: ClassVar[bool] = False  # ADD CONSTRAINT ... NOT VALID, then VALIDATE
    stores_comments: ClassVar[bool] = True
    max_identifier: ClassVar[int] = 63
    rebuild_foreign_keys: ClassVar[str | None] = None  # PRAGMA foreign_keys around a rebuild
    retype_blocked_by_fk: ClassVar[bool] = False  # a column in a foreign key cannot change type
    replaces_indexes_in_place: ClassVar[bool] = False  # drop and add indexes in one statement
    renames_constraints: ClassVar[bool] = False  # ALTER TABLE ... RENAME CONSTRAINT
    unique_is_index: ClassVar[bool] = False  # a UNIQUE constraint is its index (renamed as one)
    length_function: ClassVar[str | None] = None  # counts characters, where lengths are enforced

    def __init__(self, options: PlanOptions) -> None:
        self.options = options

    # ---- identifiers and pieces -----------------------------------------------------------

    def q(self, name: str) -> str:
        """An identifier, always quoted by the dialect's rules (quote characters doubled)."""
        return quote(name, self.name)

    def qs(self, names: Sequence[str]) -> str:
        return "(" + ", ".join(self.q(n) for n in names) + ")"

    def literal(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def make_name(self, table: str, columns: Sequence[str], suffix: str) -> str:
        """A generated constraint or index name, PostgreSQL style (`t_a_b_key`), cut to fit."""
        base = "_".join([table, *columns])
        return base[: self.max_identifier - len(suffix) - 1] + "_" + suffix

    def type_sql(self, col: Column) -> str:
        return col.type.raw

    def port_type(self, sql_type: SqlType, source: str) -> str:
        """A target type from another dialect, spelled for this one (sqlglot's mapping)."""
        return transpile_type(sql_type, source, self.name)

    def default_sql(self, text: str) -> str:
        return text

    def column_def(self, col: Column, table: Table) -> str:
        parts = [self.q(col.name), self.type_sql(col)]
        if col.collation:
            parts.append(f"COLLATE {self.q(col.collation)}")
        if col.generated is not None:
            parts.append(f"GENERATED ALWAYS AS ({col.generated.expression}) STORED")
        if not col.nullable:
            parts.append("NOT NULL")
        if col.default is not None and col.generated is None:
            parts.append(f"DEFAULT {self.default_sql(col.default)}")
        return " ".join(p for p in parts if p)

    def constraint_prefix(self, name: str | None) -> str:
        return f"CONSTRAINT {self.q(name)} " if name else ""

    def fk_clause(self, fk: ForeignKey) -> str:
        text = (
            f"{self.constraint_prefix(fk.name)}FOREIGN KEY {self.qs(fk.columns)} "
            f"REFERENCES {self.q(fk.ref_table)}" + (f" {self.qs(fk.ref_columns)}" if fk.ref_columns else "")
        )
        if fk.on_delete != "NO ACTION":
            text += f" ON DELETE {fk.on_delete}"
        if fk.on_update != "NO ACTION":
            text += f" ON UPDATE {fk.on_update}"
        if fk.deferrable:
            text += " DEFERRABLE INITIALLY DEFERRED" if fk.initially_deferred else " DEFERRABLE"
        return text

    def unique_clause(self, unique: UniqueConstraint) -> str:
        return f"{self.constraint_prefix(unique.name)}UNIQUE {self.qs(unique.columns)}"

    def check_clause(self, check: CheckConstraint) -> str:
        return f"{self.constraint_prefix(check.name)}CHECK ({check.expression})"

    def pk_clause(self, table: Table) -> str | None:
        pk = table.primary_key
        return f"{self.constraint_prefix(pk.name)}PRIMARY KEY {self.qs(pk.columns)}" if pk else None

    def element_sql(self, element: IndexElement) -> str:
        text = f"({element.expr})" if element.is_expression else self.q(element.expr)
        if element.collation:
            text += f" COLLATE {self.q(element.collation)}"
        if element.opclass:
            text += f" {element.opclass}"
        if element.descending:
            text += " DESC"
        if element.nulls:
            text += f" NULLS {element.nulls}"
        return text

    def index_name(self, table: str, index: Index) -> str:
        return index.name or self.make_name(table, [_slug(e.expr) for e in index.elements], "idx")

    def create_index_sql(self, table: str, index: Index) -> str:
        head = "CREATE UNIQUE INDEX" if index.unique else "CREATE INDEX"
        using = f" USING {index.method}" if index.method else ""
        elements = ", ".join(self.element_sql(e) for e in index.elements)
        text = f"{head} {self.q(self.index_name(table, index))} ON {self.q(table)}{using} ({elements})"
        if index.include:
            text += f" INCLUDE {self.qs(index.include)}"
        if index.where:
            text += f" WHERE {index.where}"
        return text

    def table_items(self, table: Table, skip_fks: Sequence[ForeignKey] = ()) -> list[str]:
        """Column definitions and table constraints of a CREATE TABLE."""
        items = [self.column_def(c, table) for c in table.columns]
        pk = self.pk_clause(table)
        if pk:
            items.append(pk)
        items.extend(self.unique_clause(u) for u in table.uniques)
        items.extend(self.check_clause(c) for c in table.checks)
        items.extend(self.fk_clause(fk) for fk in table.foreign_keys if fk not in skip_fks)
        return items

    def create_table_sql(self, table: Table, skip_fks: Sequence[ForeignKey] = ()) -> str:
        body = ",\n    ".join(self.table_items(table, skip_fks))
        return f"CREATE TABLE {self.q(table.name)} (\n    {body}\n){self.table_suffix(table)}"

    def table_suffix(self, table: Table) -> str:
        return ""

    # ---- dispatch ---------------------------------------------------------------------------

    def method_for(self, change: PlanChange) -> Method:
        name = _METHOD_NAMES[type(change)]
        method: Method | None = getattr(self, name, None)  # partitions: PostgreSQL's only
        if method is None:
            raise Unsupported(f"{self.name} plans no {name.replace('_', ' ')}")
        return method

    def statements(
        self, changes: Sequence[PlanChange], ctx: PlanContext
    ) -> tuple[list[Statement], list[tuple[PlanChange, str]]]:
        """Statements for changes, in order, and the changes the dialect cannot express
        (with the reason). Consecutive clauses on one table become one ALTER TABLE where
        the dialect allows."""
        ops: list[tuple[Op, PlanChange]] = []
        unsupported: list[tuple[PlanChange, str]] = []
        for change in changes:
            try:
                produced = self.method_for(change)(change, ctx)
            except Unsupported as exc:
                unsupported.append((change, str(exc)))
                continue
            ops.extend((op, change) for op in produced)
        return self.combine(ops), unsupported

    def object_writer(self) -> ObjectWriter | None:
        """How this dialect spells views, routines, triggers...; None: not planned yet."""
        return None

    def type_statements(self, changes: Sequence[PlanChange], ctx: PlanContext) -> list[Statement]:
        """Statements that must run before any table is created (types the columns use)."""
        return []

    def step_foreign_keys(self, changes: Sequence[PlanChange]) -> str | None:
        """SQLite's `PRAGMA foreign_keys` setting a step needs ("on"/"off"), else None."""
        return None

    def plan_notes(self) -> tuple[str, ...]:
        """What a reader of any plan for this dialect must know."""
        return ()

    def combine(self, ops: Sequence[tuple[Op, PlanChange]]) -> list[Statement]:
        out: list[Statement] = []
        group: list[tuple[Clause, PlanChange]] = []

        def flush() -> None:
            if not group:
                return
            group.sort(key=lambda g: not g[0].drops_constraint)  # stable: constraint drops first
            table = group[0][0].table
            body = ",\n    ".join(c.sql for c, _ in group)
            hazards = tuple(dict.fromkeys(h for c, _ in group for h in c.hazards))
            sep = "\n    " if len(group) > 1 else " "
            out.append(Statement(f"ALTER TABLE {self.q(table)}{sep}{body}", group[0][1], hazards))
            group.clear()

        for op, change in ops:
            if isinstance(op, Clause):
                if group and (group[0][0].table != op.table or not self.combines_alter_clauses):
                    flush()
                group.append((op, change))
            else:
                flush()
                out.append(op if op.change is not None else replace(op, change=change))
        flush()
        return out

    # ---- rebuilds (SQLite) ------------------------------------------------------------------

    def rebuild_reason(self, change: PlanChange, ctx: PlanContext) -> str | None:
        """Why this change needs the table rebuilt, or None when an ALTER can do it."""
        return None

    def rebuild(self, table: str, changes: Sequence[PlanChange], ctx: PlanContext) -> tuple[list[Statement], Rebuild]:
        """The statements that rebuild `table` with all of `changes`, and what they build."""
        raise Unsupported(f"{self.name} does not rebuild tables")

    # ---- one method per change kind -----------------------------------------------------------

    def rename_table(self, change: ch.RenameTable, ctx: PlanContext) -> list[Op]:
        return [Statement(f"ALTER TABLE {self.q(change.from_)} RENAME TO {self.q(change.to)}")]

    def add_table(self, change: ch.AddTable, ctx: PlanContext) -> list[Op]:
        table = ctx.port.table(change.to)
        skip = ctx.deferred_fks.get(ctx.key(table.name), ())
        ops: list[Op] = [Statement(self.create_table_sql(table, skip))]
        ops.extend(Statement(self.create_index_sql(table.name, i)) for i in table.indexes)
        return ops

    def drop_table(self, change: ch.DropTable, ctx: PlanContext) -> list[Op]:
        rows = hazard("data_loss", f"drops table {change.table} and every row in it")
        return [Statement(f"DROP TABLE {self.q(change.table)}", hazards=(rows,))]

    def modify_table(self, change: ch.ModifyTable, ctx: PlanContext) -> list[Op]:
        raise Unsupported(f"{self.name} plans no table option changes")

    def rename_column(self, change: ch.RenameColumn, ctx: PlanContext) -> list[Op]:
        """A statement of its own: standard SQL allows no other action beside a RENAME."""
        text = f"ALTER TABLE {self.q(change.table)} RENAME COLUMN {self.q(change.from_)} TO {self.q(change.to)}"
        return [Statement(text)]

    def add_column(self, change: ch.AddColumn, ctx: PlanContext) -> list[Op]:
        table = ctx.after(change.table)
        assert table is not None
        col = table.column(change.to.name, ctx.renames.rules) or ctx.port.column(change.to)
        filled = filled_column(self, change, col, table, ctx)
        if filled:
            return filled
        return [Clause(change.table, f"ADD COLUMN {self.column_def(col, table)}{self.column_position(col, table)}")]

    def column_position(self, col: Column, table: Table) -> str:
        """Where ADD COLUMN puts the column (MySQL: `AFTER prev`); standard SQL: at the end."""
        return ""

    def set_not_null(self, table_name: str, col: Column, table: Table) -> Clause:
        return Clause(table_name, f"ALTER COLUMN {self.q(col.name)} SET NOT NULL")

    def drop_column(self, change: ch.DropColumn, ctx: PlanContext) -> list[Op]:
        lost = hazard("data_loss", f"drops column {change.table}.{change.from_.name} and its values")
        return [Clause(change.table, f"DROP COLUMN {self.q(change.from_.name)}", (lost,))]

    def modify_column(self, change: ch.ModifyColumn, ctx: PlanContext) -> list[Op]:
        raise Unsupported(f"{self.name} plans no column alterations")

    def add_primary_key(self, change: ch.AddPrimaryKey, ctx: PlanContext) -> list[Op]:
        pk = change.to
        return [Clause(change.table, f"ADD {self.constraint_prefix(pk.name)}PRIMARY KEY {self.qs(pk.columns)}")]

    def drop_primary_key(self, change: ch.DropPrimaryKey, ctx: PlanContext) -> list[Op]:
        if not change.from_.name:
            raise Unsupported("the primary key has no name to drop it by")
        return [Clause(change.table, f"DROP CONSTRAINT {self.q(change.from_.name)}", drops_constraint=True)]

    def modify_primary_key(self, change: ch.ModifyPrimaryKey, ctx: PlanContext) -> list[Op]:
        drop = self.drop_primary_key(ch.DropPrimaryKey(change.table, change.from_), ctx)
        return [*drop, *self.add_primary_key(ch.AddPrimaryKey(change.table, change.to), ctx)]

    def add_foreign_key(self, change: ch.AddForeignKey, ctx: PlanContext) -> list[Op]:
        return [Clause(change.table, f"ADD {self.fk_clause(ctx.port.foreign_key(change.to))}")]

    def drop_foreign_key(self, change: ch.DropForeignKey, ctx: PlanContext) -> list[Op]:
        return [
            Clause(
                change.table,
                f"DROP CONSTRAINT {self.q(_named(change.from_.name, 'foreign key'))}",
                drops_constraint=True,
            )
        ]

    def modify_foreign_key(self, change: ch.ModifyForeignKey, ctx: PlanContext) -> list[Op]:
        drop = self.drop_foreign_key(ch.DropForeignKey(change.table, change.from_), ctx)
        return [*drop, *self.add_foreign_key(ch.AddForeignKey(change.table, change.to), ctx)]

    def add_unique(self, change: ch.AddUnique, ctx: PlanContext) -> list[Op]:
        dup = hazard("unique_on_existing_data", f"duplicate values in {change.table} stop the step")
        return [Clause(change.table, f"ADD {self.unique_clause(change.to)}", (dup,))]

    def drop_unique(self, change: ch.DropUnique, ctx: PlanContext) -> list[Op]:
        return self._drop_constraint(change.table, _named(change.from_.name, "unique constraint"))

    def add_check(self, change: ch.AddCheck, ctx: PlanContext) -> list[Op]:
        bad = hazard("check_on_existing_data", f"rows of {change.table} that fail the check stop the step")
        return [Clause(change.table, f"ADD {self.check_clause(ctx.port.check(change.to))}", (bad,))]

    def drop_check(self, change: ch.DropCheck, ctx: PlanContext) -> list[Op]:
        return self._drop_constraint(change.table, _named(change.from_.name, "check constraint"))

    def _drop_constraint(self, table: str, name: str) -> list[Op]:
        return [Clause(table, f"DROP CONSTRAINT {self.q(name)}", drops_constraint=True)]

    def add_index(self, change: ch.AddIndex, ctx: PlanContext) -> list[Op]:
        index = ctx.port.index(change.to)
        hazards = (hazard("unique_on_existing_data", f"duplicate values in {change.table} stop the step"),)
        return [Statement(self.create_index_sql(change.table, index), hazards=hazards if index.unique else ())]

    def drop_index(self, change: ch.DropIndex, ctx: PlanContext) -> list[Op]:
        return [Statement(f"DROP INDEX {self.q(change.from_.name)}")]

    def rename_index(self, change: RenameIndex, ctx: PlanContext) -> list[Op]:
        return [Statement(f"ALTER INDEX {self.q(change.from_)} RENAME TO {self.q(change.to)}")]

    def rename_constraint(self, change: RenameConstraint, ctx: PlanContext) -> list[Op]:
        if not self.renames_constraints:
            raise Unsupported(f"{self.name} renames no constraints in place")
        return [
            Statement(
                f"ALTER TABLE {self.q(change.table)} RENAME CONSTRAINT {self.q(change.from_)} TO {self.q(change.to)}"
            )
        ]

    def modify_index(self, change: ch.ModifyIndex, ctx: PlanContext) -> list[Op]:
        drop = self.drop_index(ch.DropIndex(change.table, change.from_), ctx)
        return [*drop, *self.add_index(ch.AddIndex(change.table, change.to), ctx)]


def _named(name: str | None, what: str) -> str:
    if not name:
        raise Unsupported(f"the {what} has no name to drop it by")
    return name


def _slug(text: str) -> str:
    return _SLUG.sub("_", text.lower()).strip("_") or "expr"
