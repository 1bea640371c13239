"""Deterministic synthetic schemas of N tables, rendered as PostgreSQL, MySQL or SQLite DDL.

Every table has the shape the performance target is stated for (issue 2): about 15 columns
of mixed types, a primary key, 1-2 foreign keys to earlier tables (the first table has none,
the second one), two indexes of which one composite, one UNIQUE and one CHECK constraint.

Table `i` depends only on `i` (its random generator is seeded with it), so the schema of
100 tables is exactly the first 100 tables of the schema of 5,000: figures at different sizes
measure the same kind of table, and a run can be reproduced byte for byte. Foreign keys only
point backwards, so the DDL can be executed in order without deferring constraints.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

COLUMNS_PER_TABLE = 15

_NOUNS = (
    "account", "order", "invoice", "shipment", "product", "customer", "payment", "ticket",
    "project", "task", "event", "device", "report", "policy", "asset", "contract",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A column in dialect-neutral terms; `kind` is a key of `_TYPES`."""

    name: str
    kind: str
    nullable: bool = True
    default: str | None = None  # a key of `_DEFAULTS`, rendered per dialect


@dataclass(frozen=True, slots=True)
class ForeignKeySpec:
    name: str
    column: str
    ref_table: str
    on_delete: str


@dataclass(frozen=True, slots=True)
class IndexSpec:
    name: str
    columns: tuple[str, ...]  # a trailing " DESC" is kept in the column text
    unique: bool = False


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One synthetic table; the named constraints make the catalogs comparable across tools."""

    name: str
    identity: str  # "identity" or "serial" on PostgreSQL; always a rowid alias on SQLite
    columns: tuple[ColumnSpec, ...]
    foreign_keys: tuple[ForeignKeySpec, ...]
    unique: tuple[str, str]  # (constraint name, column)
    check: tuple[str, str]  # (constraint name, boolean expression, same text on both dialects)
    indexes: tuple[IndexSpec, ...]
    comment: str | None


# neutral kind -> (PostgreSQL spelling, SQLite declared type)
_TYPES: dict[str, tuple[str, str]] = {
    "bigint": ("bigint", "BIGINT"),
    "int": ("integer", "INTEGER"),
    "smallint": ("smallint", "SMALLINT"),
    "code": ("varchar(32)", "VARCHAR(32)"),
    "name": ("varchar(200)", "VARCHAR(200)"),
    "status": ("varchar(20)", "VARCHAR(20)"),
    "text": ("text", "TEXT"),
    "money": ("numeric(12,2)", "NUMERIC(12, 2)"),
    "bool": ("boolean", "BOOLEAN"),
    "ts": ("timestamp with time zone", "DATETIME"),
    "date": ("date", "DATE"),
    "json": ("jsonb", "JSON"),
    "uuid": ("uuid", "CHAR(36)"),
    "float": ("double precision", "REAL"),
    "bytes": ("bytea", "BLOB"),
}

# neutral kind -> MySQL/MariaDB spelling
_MYSQL_TYPES: dict[str, str] = {
    "bigint": "BIGINT", "int": "INT", "smallint": "SMALLINT", "code": "VARCHAR(32)",
    "name": "VARCHAR(200)", "status": "VARCHAR(20)", "text": "TEXT", "money": "DECIMAL(12,2)",
    "bool": "BOOLEAN", "ts": "DATETIME", "date": "DATE", "json": "JSON", "uuid": "CHAR(36)",
    "float": "DOUBLE", "bytes": "BLOB",
}  # fmt: skip
_MYSQL_DEFAULTS = {"zero": "0", "true": "1", "now": "CURRENT_TIMESTAMP", "new": "'new'", "empty_json": "'{}'"}

# neutral default -> (PostgreSQL, SQLite)
_DEFAULTS: dict[str, tuple[str, str]] = {
    "zero": ("0", "0"),
    "true": ("true", "1"),
    "now": ("now()", "CURRENT_TIMESTAMP"),
    "new": ("'new'", "'new'"),
    "empty_json": ("'{}'::jsonb", "'{}'"),
}

# Columns every table has (the constraints and indexes name them) ...
_FIXED = (
    ColumnSpec("code", "code", nullable=False),
    ColumnSpec("name", "name", nullable=False),
    ColumnSpec("quantity", "int", nullable=False, default="zero"),
    ColumnSpec("created_at", "ts", nullable=False, default="now"),
)
# ... and a pool the rest is drawn from, so tables differ in their mix of types.
_POOL = (
    ColumnSpec("description", "text"),
    ColumnSpec("status", "status", nullable=False, default="new"),
    ColumnSpec("price", "money"),
    ColumnSpec("is_active", "bool", nullable=False, default="true"),
    ColumnSpec("updated_at", "ts"),
    ColumnSpec("due_date", "date"),
    ColumnSpec("payload", "json", nullable=False, default="empty_json"),
    ColumnSpec("external_id", "uuid"),
    ColumnSpec("score", "float"),
    ColumnSpec("attachment", "bytes"),
    ColumnSpec("priority", "smallint", nullable=False, default="zero"),
    ColumnSpec("note", "text"),
    ColumnSpec("weight", "money"),
    ColumnSpec("owner_ref", "bigint"),
)
_ON_DELETE = ("CASCADE", "SET NULL", "RESTRICT", "NO ACTION")


def table_name(i: int) -> str:
    return f"{_NOUNS[i % len(_NOUNS)]}_{i:05d}"


def make_table(i: int) -> TableSpec:
    """Table number `i`, a pure function of `i`."""
    rng = random.Random(i)
    name = table_name(i)
    n_fks = 0 if i == 0 else 1 if i == 1 else rng.choice((1, 2))
    refs = sorted(rng.sample(range(i), n_fks))
    fks = tuple(
        ForeignKeySpec(f"fk_{name}_{ref}", f"{table_name(ref)}_id", table_name(ref), rng.choice(_ON_DELETE))
        for ref in refs
    )
    fk_columns = tuple(
        ColumnSpec(fk.column, "bigint", nullable=fk.on_delete == "SET NULL" or rng.random() < 0.5) for fk in fks
    )
    n_pool = COLUMNS_PER_TABLE - 1 - len(_FIXED) - len(fk_columns)
    drawn = sorted(rng.sample(range(len(_POOL)), n_pool))
    columns = (ColumnSpec("id", "bigint", nullable=False), *fk_columns, *_FIXED, *(_POOL[k] for k in drawn))
    lead = fk_columns[0].name if fk_columns else "code"
    indexes = (
        IndexSpec(f"ix_{name}_name", ("name",)),
        IndexSpec(f"ix_{name}_{lead}_created", (lead, "created_at DESC")),
    )
    return TableSpec(
        name=name,
        identity="identity" if i % 2 == 0 else "serial",
        columns=columns,
        foreign_keys=fks,
        unique=(f"uq_{name}_code", "code"),
        check=(f"ck_{name}_quantity", "quantity >= 0"),
        indexes=indexes,
        comment=f"synthetic table {i}" if i % 10 == 0 else None,
    )


def make_schema(n: int) -> tuple[TableSpec, ...]:
    return tuple(make_table(i) for i in range(n))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _column_sql(col: ColumnSpec, table: TableSpec, dialect: str) -> str:
    if dialect == "mysql":
        if col.name == "id":
            return "id BIGINT AUTO_INCREMENT PRIMARY KEY"
        parts = [col.name, _MYSQL_TYPES[col.kind]]
        parts += [] if col.nullable else ["NOT NULL"]
        parts += ["DEFAULT " + _MYSQL_DEFAULTS[col.default]] if col.default else []
        return " ".join(parts)
    pg = dialect == "postgresql"
    if col.name == "id":
        if not pg:
            return "id INTEGER PRIMARY KEY"  # the rowid alias, SQLite's usual surrogate key
        if table.identity == "serial":
            return "id bigserial PRIMARY KEY"
        return "id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    parts = [col.name, _TYPES[col.kind][0 if pg else 1]]
    if not col.nullable:
        parts.append("NOT NULL")
    if col.default:
        parts.append("DEFAULT " + _DEFAULTS[col.default][0 if pg else 1])
    return " ".join(parts)


def table_ddl(table: TableSpec, dialect: str) -> list[str]:
    """The statements creating one table with its indexes, for "postgresql", "mysql" or "sqlite"."""
    if dialect not in ("postgresql", "mysql", "sqlite"):
        raise ValueError(f"unsupported dialect {dialect!r}")
    lines = [_column_sql(c, table, dialect) for c in table.columns]
    lines += [
        f"CONSTRAINT {fk.name} FOREIGN KEY ({fk.column}) REFERENCES {fk.ref_table} (id) ON DELETE {fk.on_delete}"
        for fk in table.foreign_keys
    ]
    lines.append(f"CONSTRAINT {table.unique[0]} UNIQUE ({table.unique[1]})")
    lines.append(f"CONSTRAINT {table.check[0]} CHECK ({table.check[1]})")
    body = ",\n    ".join(lines)
    options = f" COMMENT={_quote(table.comment)}" if table.comment and dialect == "mysql" else ""
    statements = [f"CREATE TABLE {table.name} (\n    {body}\n){options}"]
    statements += [
        f"CREATE {'UNIQUE ' if ix.unique else ''}INDEX {ix.name} ON {table.name} ({', '.join(ix.columns)})"
        for ix in table.indexes
    ]
    if table.comment and dialect == "postgresql":
        statements.append(f"COMMENT ON TABLE {table.name} IS {_quote(table.comment)}")
    return statements


def ddl_batches(n: int, dialect: str, tables_per_batch: int) -> Iterator[str]:
    """The whole schema as SQL scripts of `tables_per_batch` tables each, in dependency order.

    One transaction per batch: a single transaction creating 5,000 tables on PostgreSQL would
    need ~30,000 relation locks, more than the default lock table holds.
    """
    for start in range(0, n, tables_per_batch):
        stop = min(n, start + tables_per_batch)
        yield ";\n".join(s for i in range(start, stop) for s in table_ddl(make_table(i), dialect)) + ";\n"


def script(n: int, dialect: str) -> str:
    """The whole schema as one SQL script (handy for inspecting what the benchmark creates)."""
    return "".join(ddl_batches(n, dialect, max(n, 1)))


if __name__ == "__main__":  # python -m bench.synth 3 postgresql
    import sys

    sys.stdout.write(script(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "postgresql"))
