"""Live PostgreSQL source: read one schema of a running server into the model.

The session is read-only twice over (the `default_transaction_read_only` startup option and
a `READ ONLY` transaction), because an audit must never be able to change what it audits.
All catalog queries run in one REPEATABLE READ transaction so they see a single snapshot:
a migration landing half-way through a load cannot give us a table without its columns.
The catalog is read in bulk, a fixed number of queries whatever the number of tables
(`postgresql_catalog`), and the rows are assembled into the model here with plain dicts.

Choices worth knowing when comparing with other sources:
- `search_path` is set to the audited schema for the load, so defaults, checks and type
  names from that schema print unqualified (`nextval('users_id_seq'::regclass)`, `mood`).
- `Identity.sequence` is the sequence's plain name when it lives in the audited schema,
  `schema.name` (unquoted parts) otherwise.
- Index `method` is `None` for btree (the default), the access method name otherwise;
  `IndexElement.nulls` is `"FIRST"`/`"LAST"` only when it differs from the default for the
  direction; opclass and collation only when not the default.
- A check constraint's `column` is its only column when it references exactly one:
  PostgreSQL keeps no record of whether it was written at column or table level.
- Needs PostgreSQL 13 or later (`pg_trigger.tgparentid`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from schemaudit.errors import SourceError, mask_secrets
from schemaudit.gcpause import paused_gc
from schemaudit.identifiers import POSTGRESQL_RULES
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    IndexElement,
    Partition,
    PrimaryKey,
    Schema,
    SchemaObject,
    SqlType,
    Table,
    TableOptions,
    TypeFamily,
    UniqueConstraint,
)
from schemaudit.progress import count
from schemaudit.sources import LoadOptions
from schemaudit.sources.live import postgresql_catalog as sql
from schemaudit.sources.live import postgresql_objects as objects_sql
from schemaudit.sources.live.postgresql_partitions import partitioning, partitions_by_parent
from schemaudit.sources.live.postgresql_values import value_source
from schemaudit.sources.urls import DbUrl, parse_db_url, timeouts
from schemaudit.types import parse_type

if TYPE_CHECKING:
    import psycopg

Row = tuple[Any, ...]

READ_ONLY_OPTION = "-c default_transaction_read_only=on"
DRIVER_MISSING = "PostgreSQL driver psycopg is not installed: pip install 'psycopg[binary]'"
_FK_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
_DESC, _NULLS_FIRST = 1, 2  # pg_index.indoption bits
_DEFAULT_COLLATION = 100  # pg_collation's oid of "default", the database's collation


def load(spec: str, options: LoadOptions) -> Schema:
    """Read `options.schema` (default `public`) from the database a URL names."""
    url = parse_db_url(spec)
    if url.backend != "postgresql":
        raise SourceError(f"not a PostgreSQL URL: {url.masked()}")
    if url.port is not None and not 0 < url.port < 65536:
        raise SourceError(f"malformed database URL {url.masked()!r}: port {url.port} is out of range")
    with connect(url) as conn:
        try:
            return read_schema(conn, options.schema or "public", url.masked())
        except _driver().Error as exc:
            raise SourceError(
                mask_secrets(f"cannot read the catalog of {url.masked()}: {_one_line(str(exc))}", url.password)
            ) from None


def connect(url: DbUrl) -> psycopg.Connection[Row]:
    """Open a read-only, REPEATABLE READ session, or fail with one clear, masked line."""
    driver = _driver()
    try:
        conn: psycopg.Connection[Row] = driver.connect(**_connect_args(url))
    except driver.Error as exc:
        raise SourceError(_connect_failure(url, exc)) from None
    conn.read_only = True
    conn.isolation_level = driver.IsolationLevel.REPEATABLE_READ
    return conn


def read_schema(conn: psycopg.Connection[Row], schema_name: str, origin: str) -> Schema:
    """Read and assemble one schema on an open connection (all in one transaction).

    The fixed set of bulk queries runs in order, and each result is turned into model
    pieces as it arrives and then released: the rows of a big schema (75,000 column rows
    at 5,000 tables) never all sit in memory next to the model being built from them.
    The lookups come first, since columns need the enums and indexes the column names.
    """
    database, ns, _, _ = _rows(conn, sql.NAMESPACE, {"schema": schema_name})[0]
    if ns is None:
        raise SourceError(f"schema {schema_name!r} not found in database {database!r}")
    params = {"ns": ns}
    with paused_gc():
        tables = _rows(conn, sql.TABLES, params)
        lookups = _Lookups(_rows(conn, sql.LOOKUPS, params))
        owned = _owned_sequences(_rows(conn, sql.OWNED_SEQUENCES, params))
        parts: defaultdict[int, _Parts] = defaultdict(_Parts)
        _add_columns(
            parts, _counted(_chunks(conn, sql.COLUMNS, params), parts, len(tables)), lookups, owned, schema_name
        )
        del owned
        _add_constraints(parts, _rows(conn, sql.CONSTRAINTS, params), schema_name)
        _add_indexes(parts, _rows(conn, sql.INDEXES, params), lookups)
        partitions = partitions_by_parent(_rows(conn, sql.PARTITIONS, params), schema_name, partial(_own, parts))
        others = _rows(conn, sql.NOT_AUDITED, params)
        schema = _schema(tables, parts, partitions, others, schema_name, origin)
        objects = objects_sql.assemble(_rows(conn, objects_sql.OBJECTS, params), schema.tables, schema_name)
        return replace(schema, objects=objects)


def _rows(conn: psycopg.Connection[Row], query: str, params: dict[str, Any]) -> list[Row]:
    with conn.execute(query, params) as cursor:
        return cursor.fetchall()


_CHUNK = 5000  # rows converted to Python at a time from a big result


def _chunks(conn: psycopg.Connection[Row], query: str, params: dict[str, Any]) -> Iterator[Row]:
    """The rows of one query, converted to tuples a chunk at a time (still one round trip:
    libpq holds the whole result; only its Python copy is made and dropped piecewise)."""
    with conn.execute(query, params) as cursor:
        while rows := cursor.fetchmany(_CHUNK):
            yield from rows


def _counted(rows: Iterator[Row], parts: dict[int, _Parts], total: int) -> Iterator[Row]:
    """The column rows, counting on the progress display the tables whose columns are read."""
    for n, row in enumerate(rows):
        if n % _CHUNK == 0:
            count(min(len(parts), total), total, "tables read")
        yield row
    count(min(len(parts), total), total, "tables read")


# --- assembly -------------------------------------------------------------------------


@dataclass(slots=True)
class _Parts:
    """One table's pieces while they are being collected from the bulk rows.

    Tables the column, constraint and index queries return but TABLES does not (members
    of an extension) get parts too, which are never used except to name the columns a
    foreign key references.
    """

    columns: list[Column] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # attnum -> column name
    collations: dict[int, int] = field(default_factory=dict)  # attnum -> collation oid, if not 100
    primary_key: PrimaryKey | None = None
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    uniques: list[UniqueConstraint] = field(default_factory=list)
    checks: list[CheckConstraint] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)


class _Lookups:
    """Enum labels by type oid, and names of non-default opclasses and of collations by oid."""

    def __init__(self, rows: Iterable[Row]) -> None:
        labels: defaultdict[int, list[str]] = defaultdict(list)
        self.opclasses: dict[int, str] = {}
        self.collations: dict[int, str] = {}
        for kind, oid, name, _ in rows:
            if kind == "enum":
                labels[oid].append(name)
            elif kind == "opclass":
                self.opclasses[oid] = name
            else:
                self.collations[oid] = name
        self.enums = {oid: tuple(values) for oid, values in labels.items()}


_Owned = dict[tuple[int, int], Row]


def _owned_sequences(rows: Iterable[Row]) -> _Owned:
    """(table oid, attnum) -> (name, schema, regclass text, start, increment); rows come
    ordered by preference, so the first for a column is the one it uses."""
    owned: _Owned = {}
    for row in rows:
        owned.setdefault((row[0], row[1]), row[2:])
    return owned


def _schema(
    tables: list[Row],
    parts: defaultdict[int, _Parts],
    partitions: dict[int, tuple[Partition, ...]],
    others: list[Row],
    schema_name: str,
    origin: str,
) -> Schema:
    built = [
        replace(
            _table(name, relkind, _text(comment), parts[oid], persistence == "u", partitioning(keydef)),
            partitions=partitions.get(oid, ()),
        )
        for oid, name, relkind, comment, persistence, keydef in tables
    ]
    built.sort(key=lambda t: t.name)
    not_audited = sorted(
        (SchemaObject(kind, name, table) for kind, name, table in others),
        key=lambda o: (o.kind, o.name, o.table or ""),
    )
    return Schema(
        tables=tuple(built),
        dialect="postgresql",
        origin=origin,
        name=schema_name,
        rules=POSTGRESQL_RULES,
        not_audited=tuple(not_audited),
        full_definitions=True,
    )


def _own(
    parts: defaultdict[int, _Parts], oid: int
) -> tuple[tuple[Index, ...], tuple[ForeignKey, ...], tuple[CheckConstraint, ...]]:
    """A partition's own indexes, foreign keys and checks, in the order a table keeps them."""
    p = parts.get(oid)
    if p is None:
        return (), (), ()
    return (
        tuple(sorted(p.indexes, key=lambda i: (i.name, tuple(e.expr for e in i.elements)))),
        tuple(sorted(p.foreign_keys, key=lambda f: (f.name or "", f.columns))),
        tuple(sorted(p.checks, key=lambda c: (c.name or "", c.expression))),
    )


def _table(name: str, relkind: str, comment: str | None, p: _Parts, unlogged: bool, key: str | None) -> Table:
    return Table(
        name=name,
        columns=tuple(p.columns),
        primary_key=p.primary_key,
        foreign_keys=tuple(sorted(p.foreign_keys, key=lambda f: (f.name or "", f.columns))),
        indexes=tuple(sorted(p.indexes, key=lambda i: (i.name, tuple(e.expr for e in i.elements)))),
        uniques=tuple(sorted(p.uniques, key=lambda u: (u.name or "", u.columns))),
        checks=tuple(sorted(p.checks, key=lambda c: (c.name or "", c.expression))),
        comment=comment,
        options=TableOptions(partitioned=relkind == "p", partitioning=key, unlogged=unlogged),
    )


def _add_columns(
    parts: defaultdict[int, _Parts], rows: Iterable[Row], lookups: _Lookups, owned: _Owned, schema: str
) -> None:
    """Build every column, and record each table's column names and collations by attnum.

    Equal rows give equal immutable columns, so one `Column` serves every table with the
    same definition (`created_at timestamptz NOT NULL DEFAULT now()`, ...): a schema of
    5,000 tables has a few thousand distinct ones among 75,000. Only a column that owns a
    sequence (serial, identity) depends on more than its row, and is built on its own.
    """
    cache: dict[tuple[Any, ...], Column] = {}
    types: dict[tuple[int, str], SqlType] = {}  # a schema has few distinct types: build once
    for row in rows:
        relid, attnum = row[0], row[1]
        seq = owned.get((relid, attnum))
        key = row[2:12]  # name ... type oid: everything but the table and position
        column = cache.get(key) if seq is None else None
        if column is None:
            name, type_text, notnull, expr, identity, generated, comment, collation = key[:8]
            type_key = (row[11], type_text)
            sql_type = types.get(type_key)
            if sql_type is None:
                sql_type = types[type_key] = _sql_type(type_text, row[11:16], lookups.enums)
            default, ident, gen = value_source(expr, identity, generated, seq, schema, name)
            column = Column(name, sql_type, not notnull, default, ident, gen, _text(comment), collation)
            if seq is None:
                cache[key] = column
        table = parts[relid]
        table.columns.append(column)
        table.names[attnum] = column.name
        if row[10] != _DEFAULT_COLLATION:
            table.collations[attnum] = row[10]


def _sql_type(type_text: str, facts: Sequence[Any], enums: dict[int, tuple[str, ...]]) -> SqlType:
    """Enums carry their labels, arrays of enums an enum element, domains their base family."""
    type_oid, typtype, element_oid, base_oid, base_text = facts
    if type_oid in enums:
        return parse_type(type_text, "postgresql", enum_values=enums[type_oid])
    if typtype == "d":
        base = _sql_type(base_text, (base_oid, None, None, None, None), enums)
        return replace(base, raw=type_text, name=type_text)
    parsed = parse_type(type_text, "postgresql")
    if element_oid in enums and parsed.family is TypeFamily.ARRAY and parsed.element is not None:
        element = parse_type(parsed.element.raw, "postgresql", enum_values=enums[element_oid])
        return replace(parsed, element=element)
    return parsed


def _add_constraints(parts: defaultdict[int, _Parts], rows: Iterable[Row], schema: str) -> None:
    for row in rows:
        relid, name, contype, conkey = row[:4]
        table = parts[relid]
        columns = tuple(table.names[n] for n in conkey or ())
        if contype == "p":
            table.primary_key = PrimaryKey(columns, name)
        elif contype == "u":
            table.uniques.append(UniqueConstraint(columns, name))
        elif contype == "c":
            column = columns[0] if len(columns) == 1 else None
            table.checks.append(CheckConstraint(row[13], name, column, validated=row[14]))
        else:
            fk = _foreign_key(name, columns, row[4:13], parts, schema)
            table.foreign_keys.append(fk if row[14] else replace(fk, validated=False))


def _foreign_key(
    name: str, columns: tuple[str, ...], facts: Sequence[Any], parts: defaultdict[int, _Parts], schema: str
) -> ForeignKey:
    """Referenced columns are named from the column rows, unless the server named them
    because the referenced table is outside what the column query read."""
    ref_table, ref_schema, ref_oid, confkey, ref_names, on_update, on_delete, deferrable, deferred = facts
    if ref_names is None:
        names = parts[ref_oid].names
        ref_names = [names[n] for n in confkey]
    return ForeignKey(
        columns=columns,
        ref_table=ref_table,
        ref_columns=tuple(ref_names),
        name=name,
        on_delete=_FK_ACTIONS[on_delete],
        on_update=_FK_ACTIONS[on_update],
        ref_schema=None if ref_schema == schema else ref_schema,
        deferrable=deferrable,
        initially_deferred=deferred,
    )


def _add_indexes(parts: defaultdict[int, _Parts], rows: Iterable[Row], lookups: _Lookups) -> None:
    for relid, name, unique, nkey, indkey, indoption, method, where, texts, opclasses, collations in rows:
        table = parts[relid]
        elements = tuple(
            _element(
                table.names.get(attnum),
                option,
                texts[pos] if texts is not None and attnum == 0 else None,
                lookups.opclasses.get(opclass),
                _index_collation(collation, table.collations.get(attnum, _DEFAULT_COLLATION), attnum, lookups),
            )
            for pos, (attnum, option, opclass, collation) in enumerate(
                zip(indkey[:nkey], indoption, opclasses, collations, strict=True)
            )
        )
        include = tuple(table.names[attnum] for attnum in indkey[nkey:])
        method = None if method == "btree" else method
        table.indexes.append(Index(name, elements, unique, where, method, include))


def _index_collation(collation: int, column_collation: int, attnum: int, lookups: _Lookups) -> str | None:
    """An element's collation when it differs from its column's (the default collation for
    an expression); 0 means the element's type is not collatable."""
    if collation == 0 or collation == (column_collation if attnum else _DEFAULT_COLLATION):
        return None
    return lookups.collations.get(collation)


def _element(
    column: str | None, option: int, expr: str | None, opclass: str | None, collation: str | None
) -> IndexElement:
    """One key element; `column` is None for an expression element (indkey 0)."""
    descending = bool(option & _DESC)
    nulls_first = bool(option & _NULLS_FIRST)
    nulls = None
    if nulls_first != descending:  # the default is NULLS LAST ascending, NULLS FIRST descending
        nulls = "FIRST" if nulls_first else "LAST"
    if column is None:
        return IndexElement(expr or "", True, descending, nulls, collation, opclass)
    return IndexElement(column, False, descending, nulls, collation, opclass)


def _text(value: str | None) -> str | None:
    """Comments: an empty comment is no comment."""
    return value or None


# --- connecting -----------------------------------------------------------------------


def _driver() -> Any:
    """Import psycopg only when a PostgreSQL source is used, with a fix if it is missing."""
    try:
        import psycopg
    except ImportError:
        raise SourceError(DRIVER_MISSING) from None
    return psycopg


def _connect_args(url: DbUrl) -> dict[str, Any]:
    """libpq keywords: the URL's parts over its query (`?sslmode=...`, `?host=/socket/dir`)."""
    parts = {"host": url.host, "port": url.port, "user": url.username, "password": url.password}
    args: dict[str, Any] = dict(url.query)
    args.pop("read_timeout", None)  # ours, not libpq's
    args.update((key, value) for key, value in parts.items() if value is not None)
    if url.database:
        args["dbname"] = url.database
    args["connect_timeout"] = timeouts(url)[0]
    args["options"] = f"{args.get('options', '')} {READ_ONLY_OPTION}".strip()
    return args


def _connect_failure(url: DbUrl, exc: Exception) -> str:
    """Name the likely cause in words a user can act on; keep the driver's words as detail."""
    detail = _one_line(str(exc)).removeprefix("connection failed: ")
    low = detail.lower()
    server = f"{url.host or 'the local socket'}:{url.port or 5432}"
    if "authentication failed" in low:
        reason = f"authentication failed for user {url.username!r} (wrong password?)"
    elif "no password supplied" in low:
        reason = (
            f"server {server} asks user {url.username!r} for a password and none was found: give it as "
            "${VAR} in the URL, PGPASSWORD, or a line in ~/.pgpass (or PGPASSFILE)"
        )
    elif "role" in low and "does not exist" in low:
        reason = f"role {url.username!r} does not exist on server {server}"
    elif "database" in low and "does not exist" in low:
        reason = f"database {url.database!r} does not exist on server {server}"
    elif "timeout" in low:
        reason = f"server {server} did not answer within {timeouts(url)[0]}s"
    elif "refused" in low or "could not connect" in low or "resolve host" in low:
        reason = f"server {server} is unreachable ({detail})"
    else:
        reason = detail
    return mask_secrets(f"cannot connect to PostgreSQL at {url.masked()}: {reason}", url.password)


def _one_line(text: str) -> str:
    return " ".join(text.split())
