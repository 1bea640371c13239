"""The concrete statement that fixes a finding, spelled for the database under audit.

A recommendation must be something a person can paste, so it depends on the *current*
dialect: PostgreSQL alters a column in place, MySQL restates the whole column with MODIFY,
SQLite cannot alter a column or add a constraint at all and needs a table rebuild. That
knowledge lives here, one class per dialect with capabilities as class attributes and one
method per kind of fix; rules never ask which dialect they are in. These are one-statement
suggestions for a report; the ordered, hazard-aware migration is the planner's job.
"""

from __future__ import annotations

import re

from schemaudit.identifiers import quote
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    IndexElement,
    Partition,
    PrimaryKey,
    Table,
    UniqueConstraint,
)

# Words that must be quoted when used as a name (SQL:2016 reserved words people actually use
# as table or column names, plus MySQL's and SQLite's own).
RESERVED = frozenset(
    {
        "all",
        "alter",
        "and",
        "any",
        "as",
        "asc",
        "between",
        "by",
        "case",
        "cast",
        "check",
        "column",
        "constraint",
        "create",
        "cross",
        "current_date",
        "current_time",
        "current_timestamp",
        "current_user",
        "default",
        "delete",
        "desc",
        "distinct",
        "drop",
        "else",
        "end",
        "except",
        "exists",
        "false",
        "fetch",
        "for",
        "foreign",
        "from",
        "full",
        "grant",
        "group",
        "having",
        "in",
        "index",
        "inner",
        "insert",
        "intersect",
        "into",
        "is",
        "join",
        "key",
        "left",
        "like",
        "limit",
        "natural",
        "not",
        "null",
        "offset",
        "on",
        "or",
        "order",
        "outer",
        "primary",
        "references",
        "right",
        "rows",
        "select",
        "session_user",
        "set",
        "table",
        "then",
        "to",
        "true",
        "union",
        "unique",
        "update",
        "user",
        "using",
        "values",
        "when",
        "where",
        "window",
        "with",
    }
)
_BARE = re.compile(r"^[a-z_][a-z0-9_]*$")
SQL_VERBS = ("ALTER ", "CREATE ", "DROP ", "UPDATE ")


def is_sql(fix: str) -> bool:
    """Whether a fix is statements to run (reports show those as code) rather than advice."""
    return fix.startswith(SQL_VERBS)


def with_note(fix: str, note: str) -> str:
    """A fix plus a remark: an SQL comment line after statements, a clause after advice."""
    return f"{fix}\n-- {note}" if is_sql(fix) else f"{fix} ({note})"


class Fixes:
    """Standard SQL, which PostgreSQL follows; the base for the other dialects."""

    dialect = "postgresql"
    alters_columns = True  # ALTER COLUMN ... TYPE / SET NOT NULL / SET DEFAULT
    adds_constraints = True  # ALTER TABLE ... ADD CONSTRAINT (FK, CHECK, PRIMARY KEY)
    partial_indexes = True

    def name(self, ident: str) -> str:
        """An identifier, quoted only when it needs to be, so statements stay readable."""
        if _BARE.match(ident) and ident not in RESERVED:
            return ident
        return quote(ident, self.dialect)

    def names(self, idents: tuple[str, ...]) -> str:
        return "(" + ", ".join(self.name(i) for i in idents) + ")"

    def column_def(self, col: Column) -> str:
        parts = [self.name(col.name), col.type.raw]
        if not col.nullable:
            parts.append("NOT NULL")
        if col.default is not None:
            parts.append(f"DEFAULT {col.default}")
        return " ".join(parts)

    # ---- tables -------------------------------------------------------------------------

    def rename_table(self, old: str, new: str) -> str:
        return f"ALTER TABLE {self.name(old)} RENAME TO {self.name(new)};"

    def create_table(self, table: Table) -> str:
        items = [self.column_def(c) for c in table.columns]
        if table.primary_key is not None:
            items.append(f"PRIMARY KEY {self.names(table.primary_key.columns)}")
        items.extend(self._fk_clause(fk) for fk in table.foreign_keys)
        items.extend(self._unique_clause(u) for u in table.uniques)
        items.extend(self._check_clause(c) for c in table.checks)
        head = f"CREATE TABLE {self.name(table.name)} (\n    "
        key = f" {table.options.partitioning}" if table.options.partitioned and table.options.partitioning else ""
        statements = [head + ",\n    ".join(items) + f"\n){key};"]
        statements.extend(self._partitions(table.name, table.partitions))
        statements.extend(self.create_index(table.name, ix) for ix in table.indexes)
        return "\n".join(statements)

    def _partitions(self, parent: str, partitions: tuple[Partition, ...]) -> list[str]:
        out = []
        for p in partitions:
            key = f" {p.partitioning}" if p.partitioning else ""
            out.append(f"CREATE TABLE {self.name(p.name)} PARTITION OF {self.name(parent)} {p.bound}{key};")
            out.extend(self._partitions(p.name, p.partitions))
        return out

    def drop_table(self, table: str) -> str:
        return f"DROP TABLE {self.name(table)};"

    def rebuild(self, table: str, what: str) -> str:
        """The fix for what a dialect cannot alter in place."""
        return f"Rebuild {table} to {what}."

    # ---- columns ------------------------------------------------------------------------

    def rename_column(self, table: str, old: str, new: str) -> str:
        return f"ALTER TABLE {self.name(table)} RENAME COLUMN {self.name(old)} TO {self.name(new)};"

    def add_column(self, table: str, col: Column) -> str:
        return f"ALTER TABLE {self.name(table)} ADD COLUMN {self.column_def(col)};"

    def drop_column(self, table: str, col: str) -> str:
        return f"ALTER TABLE {self.name(table)} DROP COLUMN {self.name(col)};"

    def alter_type(self, table: str, col: Column) -> str:
        if not self.alters_columns:
            return self.rebuild(table, f"change {col.name} to {col.type.raw}")
        name = self.name(col.name)
        return f"ALTER TABLE {self.name(table)} ALTER COLUMN {name} TYPE {col.type.raw} USING {name}::{col.type.raw};"

    def set_nullable(self, table: str, col: Column) -> str:
        if not self.alters_columns:
            return self.rebuild(table, f"make {col.name} {'NULL' if col.nullable else 'NOT NULL'}")
        action = "DROP NOT NULL" if col.nullable else "SET NOT NULL"
        return f"ALTER TABLE {self.name(table)} ALTER COLUMN {self.name(col.name)} {action};"

    def set_default(self, table: str, col: Column) -> str:
        if not self.alters_columns:
            return self.rebuild(table, f"give {col.name} {self._default_words(col)}")
        action = "DROP DEFAULT" if col.default is None else f"SET DEFAULT {col.default}"
        return f"ALTER TABLE {self.name(table)} ALTER COLUMN {self.name(col.name)} {action};"

    def restate_column(self, table: str, col: Column, what: str) -> str:
        """Identity, generation and collation changes: dialects differ too much for one
        statement, so say what the column must become."""
        return self.rebuild(table, f"{what}: {self.column_def(col)}")

    @staticmethod
    def _default_words(col: Column) -> str:
        return "no default" if col.default is None else f"DEFAULT {col.default}"

    # ---- keys and constraints -----------------------------------------------------------

    def _constraint(self, name: str | None) -> str:
        return f"CONSTRAINT {self.name(name)} " if name else ""

    def _fk_clause(self, fk: ForeignKey) -> str:
        text = f"{self._constraint(fk.name)}FOREIGN KEY {self.names(fk.columns)} REFERENCES {self.name(fk.ref_table)}"
        if fk.ref_columns:
            text += f" {self.names(fk.ref_columns)}"
        if fk.on_delete != "NO ACTION":
            text += f" ON DELETE {fk.on_delete}"
        if fk.on_update != "NO ACTION":
            text += f" ON UPDATE {fk.on_update}"
        return text

    def _unique_clause(self, unique: UniqueConstraint) -> str:
        return f"{self._constraint(unique.name)}UNIQUE {self.names(unique.columns)}"

    def _check_clause(self, check: CheckConstraint) -> str:
        return f"{self._constraint(check.name)}CHECK ({check.expression})"

    def add_foreign_key(self, table: str, fk: ForeignKey) -> str:
        if not self.adds_constraints:
            return self.rebuild(table, f"add {self._fk_clause(fk)}")
        return f"ALTER TABLE {self.name(table)} ADD {self._fk_clause(fk)};"

    def drop_foreign_key(self, table: str, fk: ForeignKey) -> str:
        if not self.adds_constraints or not fk.name:
            return self.rebuild(table, f"drop FOREIGN KEY {self.names(fk.columns)}")
        return f"ALTER TABLE {self.name(table)} DROP CONSTRAINT {self.name(fk.name)};"

    def validate_foreign_key(self, table: str, fk: ForeignKey) -> str:
        """A key added NOT VALID (PostgreSQL) checks its older rows: fails on orphans."""
        return f"ALTER TABLE {self.name(table)} VALIDATE CONSTRAINT {self.name(fk.name or '')};"

    def replace_foreign_key(self, table: str, old: ForeignKey, new: ForeignKey) -> str:
        if not self.adds_constraints or not old.name:
            return self.rebuild(table, f"redefine {self._fk_clause(new)}")
        return f"{self.drop_foreign_key(table, old)}\n{self.add_foreign_key(table, new)}"

    def add_primary_key(self, table: str, pk: PrimaryKey) -> str:
        if not self.adds_constraints:
            return self.rebuild(table, f"declare PRIMARY KEY {self.names(pk.columns)}")
        return f"ALTER TABLE {self.name(table)} ADD {self._constraint(pk.name)}PRIMARY KEY {self.names(pk.columns)};"

    def drop_primary_key(self, table: str, pk: PrimaryKey) -> str:
        if not self.adds_constraints:
            return self.rebuild(table, "drop its PRIMARY KEY")
        name = pk.name or f"{table}_pkey"
        return f"ALTER TABLE {self.name(table)} DROP CONSTRAINT {self.name(name)};"

    def add_unique(self, table: str, unique: UniqueConstraint) -> str:
        return f"ALTER TABLE {self.name(table)} ADD {self._unique_clause(unique)};"

    def drop_unique(self, table: str, unique: UniqueConstraint) -> str:
        if not unique.name:
            return self.rebuild(table, f"drop UNIQUE {self.names(unique.columns)}")
        return f"ALTER TABLE {self.name(table)} DROP CONSTRAINT {self.name(unique.name)};"

    def add_check(self, table: str, check: CheckConstraint) -> str:
        if not self.adds_constraints:
            return self.rebuild(table, f"add {self._check_clause(check)}")
        return f"ALTER TABLE {self.name(table)} ADD {self._check_clause(check)};"

    def drop_check(self, table: str, check: CheckConstraint) -> str:
        if not self.adds_constraints or not check.name:
            return self.rebuild(table, f"drop CHECK ({check.expression})")
        return f"ALTER TABLE {self.name(table)} DROP CONSTRAINT {self.name(check.name)};"

    # ---- indexes ------------------------------------------------------------------------

    def create_index(self, table: str, index: Index) -> str:
        elements = ", ".join(self.element(e) for e in index.elements)
        head = "CREATE UNIQUE INDEX" if index.unique else "CREATE INDEX"
        name = self.name(index.name) if index.name else self.name(f"ix_{table}_" + "_".join(index.columns))
        using = f" USING {index.method}" if index.method and self.dialect == "postgresql" else ""
        where = f" WHERE {index.where}" if index.where and self.partial_indexes else ""
        return f"{head} {name} ON {self.name(table)}{using} ({elements}){where};"

    def element(self, e: IndexElement) -> str:
        """One element as this database writes it: an expression in parentheses (always
        valid), then what this dialect has of collation, operator class, direction, NULLS."""
        text = f"({e.expr})" if e.is_expression else self.name(e.expr)
        if e.length and self.dialect == "mysql":
            text += f"({e.length})"
        if e.collation and self.dialect in ("postgresql", "sqlite"):
            text += f" COLLATE {e.collation}"
        if e.opclass and self.dialect == "postgresql":
            text += f" {e.opclass}"
        text += " DESC" if e.descending else ""
        return text + (f" NULLS {e.nulls}" if e.nulls and self.dialect == "postgresql" else "")

    def drop_index(self, table: str, index: Index) -> str:
        return f"DROP INDEX {self.name(index.name)};"


class PostgresFixes(Fixes):
    pass


class MySqlFixes(Fixes):
    """MySQL/MariaDB restate a column with MODIFY and name constraint kinds when dropping."""

    dialect = "mysql"
    partial_indexes = False

    def alter_type(self, table: str, col: Column) -> str:
        return f"ALTER TABLE {self.name(table)} MODIFY COLUMN {self.column_def(col)};"

    def set_nullable(self, table: str, col: Column) -> str:
        return self.alter_type(table, col)

    def set_default(self, table: str, col: Column) -> str:
        action = "DROP DEFAULT" if col.default is None else f"SET DEFAULT {col.default}"
        return f"ALTER TABLE {self.name(table)} ALTER COLUMN {self.name(col.name)} {action};"

    def drop_foreign_key(self, table: str, fk: ForeignKey) -> str:
        if not fk.name:
            return self.rebuild(table, f"drop FOREIGN KEY {self.names(fk.columns)}")
        return f"ALTER TABLE {self.name(table)} DROP FOREIGN KEY {self.name(fk.name)};"

    def drop_primary_key(self, table: str, pk: PrimaryKey) -> str:
        return f"ALTER TABLE {self.name(table)} DROP PRIMARY KEY;"

    def drop_unique(self, table: str, unique: UniqueConstraint) -> str:
        if not unique.name:
            return self.rebuild(table, f"drop UNIQUE {self.names(unique.columns)}")
        return f"ALTER TABLE {self.name(table)} DROP INDEX {self.name(unique.name)};"

    def drop_check(self, table: str, check: CheckConstraint) -> str:
        if not check.name:
            return self.rebuild(table, f"drop CHECK ({check.expression})")
        return f"ALTER TABLE {self.name(table)} DROP CHECK {self.name(check.name)};"

    def drop_index(self, table: str, index: Index) -> str:
        return f"DROP INDEX {self.name(index.name)} ON {self.name(table)};"


class SqliteFixes(Fixes):
    """SQLite renames tables and columns (3.25+, references follow since 3.26), adds and
    drops columns (3.35+), but changes nothing else in place: those fixes rebuild the table.
    A UNIQUE constraint is enforced the same way by a unique index, which it can create."""

    dialect = "sqlite"
    alters_columns = False
    adds_constraints = False

    def rebuild(self, table: str, what: str) -> str:
        # advice, not placeholder SQL: the statements are the plan's one rebuild of the table
        # for all its changes, which the markdown report shows step by step
        return (
            f"Rebuild {table} to {what}: SQLite cannot alter this in place, so schemaudit plan rebuilds "
            f"the table, once for all its changes."
        )

    def add_unique(self, table: str, unique: UniqueConstraint) -> str:
        name = unique.name or f"uq_{table}_" + "_".join(unique.columns)
        return f"CREATE UNIQUE INDEX {self.name(name)} ON {self.name(table)} {self.names(unique.columns)};"

    def drop_unique(self, table: str, unique: UniqueConstraint) -> str:
        return self.rebuild(table, f"drop UNIQUE {self.names(unique.columns)}")

    def add_column(self, table: str, col: Column) -> str:
        statement = super().add_column(table, col)
        if not col.nullable and col.default is None:
            return with_note(
                statement,
                "SQLite adds a NOT NULL column only with a non-NULL DEFAULT: give it one, or rebuild the table",
            )
        return statement


FIXES: dict[str, Fixes] = {"postgresql": PostgresFixes(), "mysql": MySqlFixes(), "sqlite": SqliteFixes()}


def fixes_for(dialect: str) -> Fixes:
    """The fix writer for the database under audit; standard SQL for an unknown dialect."""
    return FIXES.get(dialect, Fixes())
