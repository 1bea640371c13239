"""The normalized schema model every source produces and every consumer reads.

All values are frozen dataclasses holding tuples, so a schema can be shared, hashed,
compared by value and never mutated by a consumer (comparing two schemas must not change
either). Names are stored exactly as the database or file spells them; how names are
*compared* is the job of `identifiers.IdentifierRules`, carried by the `Schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from schemaudit.identifiers import IdentifierRules
from schemaudit.model_objects import Objects


class TypeFamily(str, Enum):
    """Coarse storage families: what a value *is*, independent of how a dialect spells it."""

    INTEGER = "integer"
    NUMERIC = "numeric"
    FLOAT = "float"
    BOOLEAN = "boolean"
    TEXT = "text"
    BLOB = "blob"
    DATE = "date"
    TIME = "time"
    TIMESTAMP = "timestamp"
    TIMESTAMPTZ = "timestamptz"
    INTERVAL = "interval"
    UUID = "uuid"
    JSON = "json"
    ENUM = "enum"
    ARRAY = "array"
    BIT = "bit"
    NETWORK = "network"
    GEOMETRY = "geometry"
    XML = "xml"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a definition was read from, so reports and SARIF can cite it."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class SqlType:
    """A column type: the raw spelling is always kept beside the parsed facts.

    `size` is the storage width in bytes for integers and floats (2, 4, 8), which is what
    "narrower" means for them; `length` is the declared character/byte length.
    """

    raw: str
    family: TypeFamily
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    size: int | None = None
    unsigned: bool = False
    element: SqlType | None = None
    dimensions: int = 0
    values: tuple[str, ...] = ()
    name: str | None = None

    def __str__(self) -> str:
        return self.raw


@dataclass(frozen=True, slots=True)
class Identity:
    """How a column gets its values automatically.

    kind: "always" / "by default" (SQL identity), "serial" (PostgreSQL sequence default),
    "autoincrement" (SQLite AUTOINCREMENT keyword), "rowid" (SQLite INTEGER PRIMARY KEY
    alias without the keyword), "auto_increment" (MySQL).
    """

    kind: str
    sequence: str | None = None
    start: int | None = None
    increment: int | None = None


@dataclass(frozen=True, slots=True)
class Generated:
    """A computed column: its expression and whether it is stored or computed on read."""

    expression: str
    stored: bool


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: SqlType
    nullable: bool = True
    default: str | None = None
    identity: Identity | None = None
    generated: Generated | None = None
    comment: str | None = None
    collation: str | None = None
    on_update: str | None = None  # MySQL `ON UPDATE CURRENT_TIMESTAMP`: the app relies on it
    origin: Origin | None = None

    @property
    def autoincrement(self) -> bool:
        return self.identity is not None


@dataclass(frozen=True, slots=True)
class PrimaryKey:
    columns: tuple[str, ...]
    name: str | None = None
    origin: Origin | None = None
    comment: str | None = None  # MySQL/MariaDB `PRIMARY KEY (id) COMMENT '...'`
    options: tuple[str, ...] = ()  # MySQL/MariaDB as declared: `USING BTREE`, `KEY_BLOCK_SIZE=8`


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A foreign key; actions are upper-case SQL words, "NO ACTION" when unspecified.

    `validated` is False for a PostgreSQL key added `NOT VALID`: new rows are checked, the
    rows that were there when it was added are not (Rails' `validate: false`)."""

    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    name: str | None = None
    on_delete: str = "NO ACTION"
    on_update: str = "NO ACTION"
    ref_schema: str | None = None
    deferrable: bool = False
    initially_deferred: bool = False
    origin: Origin | None = None
    validated: bool = True


@dataclass(frozen=True, slots=True)
class IndexElement:
    """One indexed element: a column name, or an expression when `is_expression` is set.

    `length` is a MySQL/MariaDB prefix length (`KEY (name(10))` indexes only the first 10
    characters): a different index from one on the whole column, and a prefix UNIQUE key
    constrains only the prefix.
    """

    expr: str
    is_expression: bool = False
    descending: bool = False
    nulls: str | None = None
    collation: str | None = None
    opclass: str | None = None
    length: int | None = None


@dataclass(frozen=True, slots=True)
class Index:
    name: str
    elements: tuple[IndexElement, ...]
    unique: bool = False
    where: str | None = None
    method: str | None = None
    include: tuple[str, ...] = ()
    origin: Origin | None = None
    comment: str | None = None  # MySQL/MariaDB `KEY ... COMMENT '...'`
    # MySQL/MariaDB index options as declared (`USING BTREE`, `KEY_BLOCK_SIZE=8`): words the
    # server keeps (SHOW CREATE TABLE) whatever structure the engine uses
    options: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names of plain (non-expression) elements, in order."""
        return tuple(e.expr for e in self.elements if not e.is_expression)


@dataclass(frozen=True, slots=True)
class UniqueConstraint:
    columns: tuple[str, ...]
    name: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class CheckConstraint:
    """`validated` is False for a PostgreSQL check added `NOT VALID` (rows older than it unchecked)."""

    expression: str
    name: str | None = None
    column: str | None = None
    origin: Origin | None = None
    validated: bool = True


@dataclass(frozen=True, slots=True)
class TableOptions:
    """Per-table storage options that change behaviour (and need a rebuild to change)."""

    strict: bool = False
    without_rowid: bool = False
    engine: str | None = None
    partitioned: bool = False
    # the `PARTITION BY ...` clause, where known: MySQL/MariaDB's builds the partitions too;
    # PostgreSQL's is the key only (`PARTITION BY RANGE (created_at)`), its partitions are
    # `Table.partitions`
    partitioning: str | None = None
    unlogged: bool = False  # PostgreSQL: not WAL-logged, emptied after a crash, not replicated
    # MySQL/MariaDB: the table's default character set and collation (what new columns get),
    # `utf8` spelled `utf8mb3` as the server reports it; None where the source does not say
    charset: str | None = None
    collation: str | None = None


def mysql_table_charset(charset: str | None, collation: str | None) -> tuple[str | None, str | None]:
    """A table's default (charset, collation) named as MySQL 8 / MariaDB 10.6+ report them.

    `utf8` is an alias the server resolves to `utf8mb3` (and `utf8_bin` to `utf8mb3_bin`), so
    a file saying `DEFAULT CHARSET=utf8` and the catalog of the table it built agree. A
    collation alone implies its character set, the part of its name before the first `_`.
    """

    def mb3(name: str | None) -> str | None:
        if name is None:
            return None
        low = name.lower()
        return "utf8mb3" + low[4:] if low == "utf8" or low.startswith("utf8_") else low

    charset, collation = mb3(charset), mb3(collation)
    if charset is None and collation is not None:
        charset = collation.split("_", 1)[0]
    return charset, collation


@dataclass(frozen=True, slots=True)
class AppFact:
    """What the application (its ORM) does with a column that the database never sees.

    kind: "default" / "onupdate" (a value computed in Python on insert / update),
    "validates" (an ORM validator method that can reject a value), "transforms" (one that
    only rewrites it: hashes, derives, strips), "enum" / "boolean" (values the ORM type checks
    in Python where the database has no native type or CHECK). Models sources fill it; a
    database has none, which is the point: a validation that exists only here is bypassed
    by every writer that is not the ORM.
    """

    kind: str
    column: str | None
    detail: str
    values: tuple[str, ...] = ()
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Partition:
    """One partition of a PostgreSQL partitioned table, held by the table it belongs to.

    A partition has no columns or constraints of its own to compare: PostgreSQL gives it
    the parent's columns, NOT NULLs, checks and keys, and every index of the parent is
    built on it too. What a partition adds is which rows it holds (`bound`, as
    `pg_get_expr(relpartbound)` prints it: `FOR VALUES FROM ('2024-01-01') TO
    ('2025-01-01')`, `FOR VALUES IN ('eu')`, `FOR VALUES WITH (modulus 4, remainder 0)`,
    `DEFAULT`) and, when it is partitioned again, its own `PARTITION BY ...` clause and
    partitions. So it lives inside its table, as a column does, not as a table of its own.
    """

    name: str
    bound: str
    partitioning: str | None = None  # `PARTITION BY ...` of a sub-partitioned partition
    partitions: tuple[Partition, ...] = ()
    origin: Origin | None = None
    # What the partition has of its own, beside what its table gives it: an index not
    # attached to one of its table's, a foreign key or a check declared on it alone.
    # pg_dump writes them on the partition, and a database built without them is not the same.
    indexes: tuple[Index, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    checks: tuple[CheckConstraint, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: PrimaryKey | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[Index, ...] = ()
    uniques: tuple[UniqueConstraint, ...] = ()
    checks: tuple[CheckConstraint, ...] = ()
    comment: str | None = None
    options: TableOptions = TableOptions()
    origin: Origin | None = None
    app_facts: tuple[AppFact, ...] = ()  # ORM-only facts (models sources only)
    # PostgreSQL declarative partitions, by name (the key is `options.partitioning`)
    partitions: tuple[Partition, ...] = ()

    def column(self, name: str, rules: IdentifierRules | None = None) -> Column | None:
        key = rules.column_key if rules else str
        wanted = key(name)
        for col in self.columns:
            if key(col.name) == wanted:
                return col
        return None


@dataclass(frozen=True, slots=True)
class SchemaObject:
    """An object the model does not audit (operator, cast, aggregate...), kept by name, so
    every kind of object is at least listed; modelled kinds live in `Schema.objects`."""

    kind: str
    name: str
    table: str | None = None
    reason: str | None = None  # why it is not audited, when more than "not modelled"


@dataclass(frozen=True, slots=True)
class Schema:
    """A whole schema. Tables are kept sorted by name so output is deterministic."""

    tables: tuple[Table, ...]
    dialect: str
    origin: str | None = None
    name: str | None = None
    rules: IdentifierRules = IdentifierRules()
    not_audited: tuple[SchemaObject, ...] = ()
    objects: Objects = Objects()
    # the source holds every comment and MySQL index option the schema has (a catalog, a DDL
    # file), so an object without one means "none"; elsewhere (a spec, models): "not stated"
    full_definitions: bool = False
    _by_key: dict[str, Table] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        key = self.rules.table_key
        object.__setattr__(self, "_by_key", {key(t.name): t for t in self.tables})

    def table(self, name: str) -> Table | None:
        return self._by_key.get(self.rules.table_key(name))

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables)
