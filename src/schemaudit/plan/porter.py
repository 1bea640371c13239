"""Target-side values spelled for the plan's dialect: types, defaults, expressions, identity
kinds. Across dialects sqlglot transpiles them, corrected where its spelling would not converge
(SQLite's 8-byte integers, numeric booleans on PostgreSQL, MariaDB's unbounded blobs)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from sqlglot import exp

from schemaudit.diff.expressions import SQLGLOT_DIALECT, parse
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    IndexElement,
    PrimaryKey,
    Schema,
    SqlType,
    Table,
    TypeFamily,
    UniqueConstraint,
)


def transpile_type(sql_type: SqlType, source: str, dialect: str = "") -> str:
    """A type spelled in another dialect, by sqlglot; the raw text when it cannot say.

    SQLite stores every integer in up to 8 bytes whatever the declared name (`INTEGER`,
    `INT`, `SMALLINT`), so elsewhere it is a `BIGINT`: a 4-byte `INT` would reject values the
    target accepts, and the re-audit would rightly say so."""
    if source == "sqlite" and dialect not in ("", "sqlite"):
        if sql_type.family is TypeFamily.INTEGER:
            return "BIGINT"
        if dialect == "mysql" and sql_type.family is TypeFamily.BLOB:
            return "LONGBLOB"  # unbounded, as SQLite's; sqlglot says VARBINARY, which needs a length
    try:
        built = exp.DataType.build(sql_type.raw, dialect=SQLGLOT_DIALECT.get(source, source))
    except Exception:  # sqlglot raises several types for unknown spellings: keep the raw text
        return sql_type.raw
    return built.sql(dialect=SQLGLOT_DIALECT.get(dialect, dialect)) if dialect else built.sql()


# SQLite and MySQL spell boolean constants as numbers; PostgreSQL refuses `boolean DEFAULT 0`.
_BOOLEAN_LITERALS = {"0": "FALSE", "1": "TRUE"}


class Porter:
    """Target-side values spelled for the plan's dialect.

    Same dialect: values pass through untouched. Across dialects, types and expressions are
    transpiled by sqlglot (the raw text is kept when it cannot), and identity kinds become
    the plan dialect's way of numbering rows.
    """

    IDENTITY_KINDS: Mapping[str, tuple[frozenset[str], str]] = {
        "postgresql": (frozenset({"always", "by default", "serial"}), "by default"),
        "mysql": (frozenset({"auto_increment"}), "auto_increment"),
        "sqlite": (frozenset({"rowid", "autoincrement"}), "rowid"),
    }

    def __init__(self, target: Schema, dialect: str, spell_type: Callable[[SqlType, str], str] | None = None) -> None:
        self.target = target
        self.source = target.dialect
        self.dialect = dialect
        self.same = self.source == dialect
        self.spell_type = spell_type or transpile_type

    def target_table(self, name: str) -> Table | None:
        return self.target.table(name)

    def expression(self, text: str) -> str:
        """An expression in the plan's dialect; casts of constants (`'{}'::jsonb`) are
        dropped, since the type they name may not exist there (SQLite would read `CAST('{}'
        AS JSONB)` as the number 0)."""
        if self.same:
            return text
        tree = parse(text, self.source)
        if tree is None:
            return text

        def uncast(node: exp.Expression) -> exp.Expression:
            if isinstance(node, exp.Cast) and isinstance(node.this, (exp.Literal, exp.Boolean, exp.Null)):
                return node.this
            return node

        return tree.transform(uncast).sql(dialect=SQLGLOT_DIALECT.get(self.dialect, self.dialect))

    def column(self, col: Column) -> Column:
        if self.same:
            return col
        from schemaudit.types import parse_type

        identity = col.identity
        if identity is not None:
            kinds, fallback = self.IDENTITY_KINDS.get(self.dialect, (frozenset({identity.kind}), identity.kind))
            if identity.kind not in kinds:
                identity = replace(identity, kind=fallback, sequence=None)
        sql_type = parse_type(self.spell_type(col.type, self.source), self.dialect)
        default = self.expression(col.default) if col.default is not None else None
        if sql_type.family is TypeFamily.BOOLEAN and default is not None and self.dialect == "postgresql":
            default = _BOOLEAN_LITERALS.get(default.strip("'() "), default)
        return replace(
            col,
            type=sql_type,
            default=default,
            identity=identity,
            generated=replace(col.generated, expression=self.expression(col.generated.expression))
            if col.generated
            else None,
            on_update=col.on_update if self.dialect == "mysql" and self.source == "mysql" else None,
        )

    def table(self, table: Table) -> Table:
        if self.same:
            return table
        return replace(
            table,
            columns=tuple(self.column(c) for c in table.columns),
            foreign_keys=tuple(self.foreign_key(f) for f in table.foreign_keys),
            indexes=tuple(self.index(i) for i in table.indexes),
            checks=tuple(self.check(c) for c in table.checks),
            options=replace(table.options, engine=None, charset=None, collation=None)
            if self.dialect != "mysql"
            else table.options,
        )

    def primary_key(self, pk: PrimaryKey) -> PrimaryKey:
        return pk

    def foreign_key(self, fk: ForeignKey) -> ForeignKey:
        return fk

    def unique(self, unique: UniqueConstraint) -> UniqueConstraint:
        return unique

    def check(self, check: CheckConstraint) -> CheckConstraint:
        return check if self.same else replace(check, expression=self.expression(check.expression))

    def index(self, index: Index) -> Index:
        if self.same:
            return index
        elements = tuple(
            IndexElement(self.expression(e.expr), True, e.descending)
            if e.is_expression
            else replace(e, collation=None, opclass=None, nulls=None)
            for e in index.elements
        )
        where = self.expression(index.where) if index.where else None
        return replace(index, elements=elements, where=where, method=None, include=())
