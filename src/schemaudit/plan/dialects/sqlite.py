"""SQLite: what ALTER TABLE can do depends on the version; everything else is a table rebuild.

By the target version (`sqlite_version`, default the running library's):
- `RENAME COLUMN` from 3.25.0, else a rebuild;
- `DROP COLUMN` from 3.35.0, where SQLite's rules allow it (not in a key, an index, a
  constraint, a generated column or a reference), else a rebuild;
- `ADD COLUMN` where SQLite's rules allow it (no key, a constant default, NOT NULL only with
  a default); a single-column reference to add with it is written inline, so a new foreign
  key column needs no rebuild;
- `RENAME TO`: SQLite 3.26+ rewrites the references of other tables itself.
Column changes, constraint changes, primary keys and STRICT / WITHOUT ROWID need the
documented rebuild (`sqlite_rebuild`). UNIQUE becomes a unique index, which SQLite
enforces the same way. SQLite keeps no comments: comment changes are kept, not planned.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from typing import ClassVar

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import ColumnChange, TableChange
from schemaudit.model import Column, ForeignKey, SqlType, Table, TypeFamily
from schemaudit.plan.dialects import sqlite_objects, sqlite_rebuild
from schemaudit.plan.dialects.base import Dialect, ObjectWriter, hazard
from schemaudit.plan.dialects.context import Op, PlanContext, Unsupported
from schemaudit.plan.model import PlanChange, PlanOptions, Rebuild, Statement
from schemaudit.plan.names import RenameIndex

RENAME_COLUMN = (3, 25, 0)
RENAME_REWRITES_REFERENCES = (3, 26, 0)
GENERATED_COLUMNS = (3, 31, 0)
DROP_COLUMN = (3, 35, 0)
STRICT_TABLES = (3, 37, 0)
_LITERAL = re.compile(
    r"^(?:[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|'[^']*(?:''[^']*)*'|[xX]'[0-9a-fA-F]*'|NULL|TRUE|FALSE"
    r"|CURRENT_TIME|CURRENT_DATE|CURRENT_TIMESTAMP)$",
    re.IGNORECASE,
)
_CONSTANT = re.compile(
    r"^(?:[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|'[^']*(?:''[^']*)*'|[xX]'[0-9a-fA-F]*'|NULL|TRUE|FALSE)$", re.I
)


F = TypeFamily
_AS_TEXT = frozenset(
    {F.UUID, F.JSON, F.DATE, F.TIME, F.TIMESTAMP, F.TIMESTAMPTZ, F.INTERVAL, F.ENUM, F.ARRAY, F.NETWORK, F.XML}
)
_SPELLING = {F.INTEGER: "INTEGER", F.BOOLEAN: "INTEGER", F.FLOAT: "REAL", F.BLOB: "BLOB", F.BIT: "INTEGER"}


def parse_version(text: str) -> tuple[int, int, int]:
    """`3.35.5` -> (3, 35, 5); a clear ValueError for anything else."""
    parts = text.strip().split(".")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a SQLite version: {text!r} (write it like 3.35.0)")
    numbers = [int(p) for p in parts] + [0] * (3 - len(parts))
    return numbers[0], numbers[1], numbers[2]


class SqliteDialect(Dialect):
    name: ClassVar[str] = "sqlite"
    transactional_ddl: ClassVar[bool] = True
    forward_references: ClassVar[bool] = True
    combines_alter_clauses: ClassVar[bool] = False
    stores_comments: ClassVar[bool] = False
    max_identifier: ClassVar[int] = 1000
    rebuild_foreign_keys: ClassVar[str | None] = "off"

    def __init__(self, options: PlanOptions) -> None:
        super().__init__(options)
        self.version: tuple[int, int, int] = options.sqlite_version or sqlite3.sqlite_version_info

    def object_writer(self) -> ObjectWriter | None:
        return sqlite_objects

    # ---- pieces ---------------------------------------------------------------------------

    def default_sql(self, text: str) -> str:
        """Literals as they are; any other expression must be parenthesized in SQLite."""
        return text if _LITERAL.match(text.strip()) else f"({text})"

    def port_type(self, sql_type: SqlType, source: str) -> str:
        """SQLite stores by affinity, which it reads from the declared name: a type from
        another dialect gets the name whose affinity keeps its values as the target means
        them (`UUID` or `JSONB` would get NUMERIC affinity and turn "123" into 123)."""
        family = sql_type.family
        if family in _AS_TEXT:
            return "TEXT"
        if family is TypeFamily.TEXT:
            return sql_type.raw if "CHAR" in sql_type.raw.upper() or "TEXT" in sql_type.raw.upper() else "TEXT"
        return _SPELLING.get(family, sql_type.raw)

    def inline_pk(self, table: Table) -> str | None:
        """The column that carries `PRIMARY KEY` itself: a rowid alias (or AUTOINCREMENT)."""
        pk = table.primary_key
        if pk is None or len(pk.columns) != 1 or table.options.without_rowid:
            return None
        col = table.column(pk.columns[0])
        if col is None or col.identity is None or col.type.raw.strip().upper() != "INTEGER":
            return None
        return col.name

    def column_def(self, col: Column, table: Table) -> str:
        parts = [self.q(col.name)]
        if col.type.raw.strip():
            parts.append(col.type.raw)
        if self.inline_pk(table) == col.name and col.identity is not None:
            pk_name = table.primary_key.name if table.primary_key else None
            parts.append(f"{self.constraint_prefix(pk_name)}PRIMARY KEY")
            if col.identity.kind == "autoincrement":
                parts.append("AUTOINCREMENT")
        if not col.nullable:
            parts.append("NOT NULL")
        if col.default is not None and col.generated is None:
            parts.append(f"DEFAULT {self.default_sql(col.default)}")
        if col.collation:
            parts.append(f"COLLATE {col.collation}")
        if col.generated is not None:
            kind = "STORED" if col.generated.stored else "VIRTUAL"
            parts.append(f"GENERATED ALWAYS AS ({col.generated.expression}) {kind}")
        return " ".join(parts)

    def pk_clause(self, table: Table) -> str | None:
        return None if self.inline_pk(table) else super().pk_clause(table)

    def table_suffix(self, table: Table) -> str:
        options = []
        if table.options.without_rowid:
            options.append("WITHOUT ROWID")
        if table.options.strict:
            if self.version < STRICT_TABLES:
                raise Unsupported(f"STRICT tables need SQLite 3.37.0 (planning for {_v(self.version)})")
            options.append("STRICT")
        return " " + ", ".join(options) if options else ""

    # ---- what needs a rebuild --------------------------------------------------------------

    def rebuild_reason(self, change: PlanChange, ctx: PlanContext) -> str | None:
        if isinstance(change, ch.RenameColumn):
            return None if self.version >= RENAME_COLUMN else f"SQLite {_v(self.version)} cannot rename a column"
        if isinstance(change, ch.AddColumn):
            return self._add_column_reason(change, ctx)
        if isinstance(change, ch.DropColumn):
            return self._drop_column_reason(change, ctx)
        if isinstance(change, ch.ModifyColumn):
            return None if change.kinds <= {ColumnChange.COMMENT} else "SQLite cannot alter a column"
        if isinstance(change, ch.ModifyTable):
            return "STRICT / WITHOUT ROWID change" if TableChange.OPTIONS in change.kinds else None
        if isinstance(change, ch.AddForeignKey):
            return None if self._inline_fk(change, ctx) else "SQLite cannot add a foreign key to a table"
        if isinstance(change, (ch.DropForeignKey, ch.ModifyForeignKey, ch.AddCheck, ch.DropCheck, ch.DropUnique)):
            return "SQLite cannot add or drop a table constraint"
        if isinstance(change, (ch.AddPrimaryKey, ch.DropPrimaryKey, ch.ModifyPrimaryKey)):
            return "SQLite cannot change a primary key"
        return None

    def _add_column_reason(self, change: ch.AddColumn, ctx: PlanContext) -> str | None:
        table = ctx.after(change.table)
        assert table is not None
        col = table.column(change.to.name, ctx.renames.rules) or ctx.port.column(change.to)
        key = ctx.renames.rules.column_key
        if table.primary_key and key(col.name) in {key(c) for c in table.primary_key.columns}:
            return "SQLite cannot add a PRIMARY KEY column"
        if col.generated is not None and col.generated.stored:
            return "SQLite cannot add a STORED generated column"
        if col.default is not None and not _CONSTANT.match(col.default.strip()):
            return "SQLite adds a column only with a constant default"
        if not col.nullable and col.default is None and col.generated is None:
            return "SQLite cannot add a NOT NULL column without a default"
        fk = self._fk_for_new_column(change.table, col.name, ctx)
        if fk is not None and col.default is not None and col.default.strip().upper() != "NULL":
            return "SQLite adds a reference column only with a NULL default"
        return None

    def _drop_column_reason(self, change: ch.DropColumn, ctx: PlanContext) -> str | None:
        if self.version < DROP_COLUMN:
            return f"SQLite {_v(self.version)} cannot drop a column"
        table = ctx.before(change.table)
        after = ctx.after(change.table)
        assert table is not None and after is not None
        name = change.from_.name
        key = ctx.renames.rules.column_key
        if table.primary_key and key(name) in {key(c) for c in table.primary_key.columns}:
            return "the column is in the primary key"
        if any(key(name) in {key(c) for c in u.columns} for u in table.uniques):
            return "the column is in a UNIQUE constraint"
        word = re.compile(r"(?<![\w$])[\"`\[]?" + re.escape(name) + r"[\"`\]]?(?![\w$])", re.IGNORECASE)
        texts = [c.expression for c in after.checks] + [c.generated.expression for c in after.columns if c.generated]
        texts += [e.expr for i in after.indexes for e in i.elements] + [i.where or "" for i in after.indexes]
        if any(word.search(t) for t in texts):
            return "the column is used by an index, a check or a generated column"
        if any(key(name) in {key(c) for c in fk.columns} for fk in after.foreign_keys):
            return "the column is in a foreign key"
        for _, fk in ctx.referencing(change.table):
            if key(name) in {key(c) for c in fk.ref_columns}:
                return "another table references the column"
        return None

    def _fk_for_new_column(self, table: str, column: str, ctx: PlanContext) -> ForeignKey | None:
        after = ctx.after(table)
        if after is None:
            return None
        key = ctx.renames.rules.column_key
        for fk in after.foreign_keys:
            if len(fk.columns) == 1 and key(fk.columns[0]) == key(column):
                return fk
        return None

    def _inline_fk(self, change: ch.AddForeignKey, ctx: PlanContext) -> bool:
        """A one-column reference on a column this plan adds is written in its ADD COLUMN."""
        if len(change.to.columns) != 1:
            return False
        before = ctx.before(change.table)
        if before is None:  # a new table: deferred references are not needed in SQLite
            return False
        return before.column(change.to.columns[0], ctx.renames.rules) is None

    def rebuild(self, table: str, changes: Sequence[PlanChange], ctx: PlanContext) -> tuple[list[Statement], Rebuild]:
        return sqlite_rebuild.rebuild(self, table, changes, ctx)

    def step_foreign_keys(self, changes: Sequence[PlanChange]) -> str | None:
        """Before 3.26, RENAME TO rewrites other tables' references only with foreign keys on."""
        old = self.version < RENAME_REWRITES_REFERENCES
        return "on" if old and any(isinstance(c, ch.RenameTable) and c.referenced_by for c in changes) else None

    # ---- in place ---------------------------------------------------------------------------

    def rename_table(self, change: ch.RenameTable, ctx: PlanContext) -> list[Op]:
        ops = super().rename_table(change, ctx)
        if self.version < RENAME_REWRITES_REFERENCES and change.referenced_by:
            warn = hazard(
                "references",
                f"SQLite {_v(self.version)} rewrites references to {change.from_} only while PRAGMA foreign_keys is ON",
            )
            ops = [Statement(op.sql, change, (warn,)) for op in ops if isinstance(op, Statement)]
        return ops

    def add_column(self, change: ch.AddColumn, ctx: PlanContext) -> list[Op]:
        table = ctx.after(change.table)
        assert table is not None
        col = table.column(change.to.name, ctx.renames.rules) or ctx.port.column(change.to)
        text = f"ALTER TABLE {self.q(change.table)} ADD COLUMN {self.column_def(col, table)}"
        fk = self._fk_for_new_column(change.table, col.name, ctx)
        if fk is not None:
            text += " " + self.column_reference(fk)
        return [Statement(text)]

    def column_reference(self, fk: ForeignKey) -> str:
        """`REFERENCES p (id) ON DELETE ...` written on the column itself."""
        clause = self.fk_clause(fk)
        return (
            clause[clause.index("REFERENCES") :]
            if not fk.name
            else (f"CONSTRAINT {self.q(fk.name)} " + clause[clause.index("REFERENCES") :])
        )

    def add_foreign_key(self, change: ch.AddForeignKey, ctx: PlanContext) -> list[Op]:
        if self._inline_fk(change, ctx):
            return []  # written in the column's ADD COLUMN
        raise Unsupported("SQLite adds a foreign key only by rebuilding the table")

    def drop_column(self, change: ch.DropColumn, ctx: PlanContext) -> list[Op]:
        lost = hazard("data_loss", f"drops column {change.table}.{change.from_.name} and its values")
        return [
            Statement(f"ALTER TABLE {self.q(change.table)} DROP COLUMN {self.q(change.from_.name)}", hazards=(lost,))
        ]

    def modify_column(self, change: ch.ModifyColumn, ctx: PlanContext) -> list[Op]:
        raise Unsupported("SQLite stores no column comments")

    def modify_table(self, change: ch.ModifyTable, ctx: PlanContext) -> list[Op]:
        raise Unsupported("SQLite stores no table comments")

    def rename_index(self, change: RenameIndex, ctx: PlanContext) -> list[Op]:
        """SQLite renames no index: drop it and create it under the target's name."""
        after = ctx.after(change.table)
        index = next((i for i in after.indexes if i.name == change.to), None) if after else None
        if index is None:
            raise Unsupported(f"index {change.to} is not in the planned table")
        return [Statement(f"DROP INDEX {self.q(change.from_)}"), Statement(self.create_index_sql(change.table, index))]

    def add_unique(self, change: ch.AddUnique, ctx: PlanContext) -> list[Op]:
        name = change.to.name or self.make_name(change.table, change.to.columns, "key")
        dup = hazard("unique_on_existing_data", f"duplicate values in {change.table} stop the step")
        sql = f"CREATE UNIQUE INDEX {self.q(name)} ON {self.q(change.table)} {self.qs(change.to.columns)}"
        return [Statement(sql, hazards=(dup,))]


def _v(version: tuple[int, int, int]) -> str:
    return ".".join(str(n) for n in version)
