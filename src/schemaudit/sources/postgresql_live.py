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

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from schemaudit.errors import SourceError, mask_secrets
from schemaudit.identifiers import POSTGRESQL_RULES
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Generated,
    Identity,
    Index,
    IndexElement,
    PrimaryKey,
    Schema,
    SchemaObject,
    SqlType,
    Table,
    TableOptions,
    TypeFamily,
    UniqueConstraint,
)
from schemaudit.sources import LoadOptions
from schemaudit.sources import postgresql_catalog as sql
from schemaudit.sources.urls import DbUrl, parse_db_url
from schemaudit.types import parse_type

if TYPE_CHECKING:
    import psycopg

Row = tuple[Any, ...]

CONNECT_TIMEOUT = 10  # seconds; a module constant so a test can shorten it
READ_ONLY_OPTION = "-c default_transaction_read_only=on"
DRIVER_MISSING = "PostgreSQL driver psycopg is not installed: pip install 'psycopg[binary]'"
_FK_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
_IDENTITY_KINDS = {"a": "always", "d": "by default"}
_DESC, _NULLS_FIRST = 1, 2  # pg_index.indoption bits


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


@dataclass(frozen=True, slots=True)
class CatalogRows:
    """Everything a load reads from the server, before any assembly."""

    database: str
    tables: list[Row]
    columns: list[Row]
    enum_labels: list[Row]
    constraints: list[Row]
    indexes: list[Row]
    not_audited: list[Row]


def read_schema(conn: psycopg.Connection[Row], schema_name: str, origin: str) -> Schema:
    """Read and assemble one schema on an open connection (all in one transaction)."""
    return assemble(fetch_catalog(conn, schema_name), schema_name, origin)


def fetch_catalog(conn: psycopg.Connection[Row], schema_name: str) -> CatalogRows:
    """Run the fixed set of bulk catalog queries; the count never depends on table count."""
    database, ns, _ = _rows(conn, sql.NAMESPACE, {"schema": schema_name})[0]
    if ns is None:
        raise SourceError(f"schema {schema_name!r} not found in database {database!r}")
    params = {"ns": ns}
    tables, columns, enums, constraints, indexes, others = (_rows(conn, query, params) for query in sql.BULK_QUERIES)
    return CatalogRows(database, tables, columns, enums, constraints, indexes, others)


def _rows(conn: psycopg.Connection[Row], query: str, params: dict[str, Any]) -> list[Row]:
    return conn.execute(query, params).fetchall()


# --- assembly -------------------------------------------------------------------------


@dataclass(slots=True)
class _Parts:
    """One table's pieces while they are being collected from the bulk rows."""

    columns: list[Column] = field(default_factory=list)
    primary_key: PrimaryKey | None = None
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    uniques: list[UniqueConstraint] = field(default_factory=list)
    checks: list[CheckConstraint] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)


def assemble(rows: CatalogRows, schema_name: str, origin: str) -> Schema:
    """Turn catalog rows into the model: pure Python, no server round trips."""
    with _gc_paused():
        return _assemble(rows, schema_name, origin)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the model is built.

    Assembly allocates hundreds of thousands of small objects (75,000 columns for 5,000
    tables) and creates no reference cycles, yet each allocation burst triggers collections
    that rescan the growing heap: measured, that doubled assembly time. Reference counting
    still frees everything as usual; the previous collector state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _assemble(rows: CatalogRows, schema_name: str, origin: str) -> Schema:
    parts: defaultdict[int, _Parts] = defaultdict(_Parts)
    names = _add_columns(parts, rows.columns, _enum_labels(rows.enum_labels), schema_name)
    _add_constraints(parts, rows.constraints, names, schema_name)
    _add_indexes(parts, rows.indexes, names)
    tables = [_table(name, relkind, _text(comment), parts[oid]) for oid, name, relkind, comment in rows.tables]
    tables.sort(key=lambda t: t.name)
    others = sorted(
        (SchemaObject(kind, name, table) for kind, name, table in rows.not_audited),
        key=lambda o: (o.kind, o.name, o.table or ""),
    )
    return Schema(
        tables=tuple(tables),
        dialect="postgresql",
        origin=origin,
        name=schema_name,
        rules=POSTGRESQL_RULES,
        not_audited=tuple(others),
    )


def _table(name: str, relkind: str, comment: str | None, p: _Parts) -> Table:
    return Table(
        name=name,
        columns=tuple(p.columns),
        primary_key=p.primary_key,
        foreign_keys=tuple(sorted(p.foreign_keys, key=lambda f: (f.name or "", f.columns))),
        indexes=tuple(sorted(p.indexes, key=lambda i: (i.name, tuple(e.expr for e in i.elements)))),
        uniques=tuple(sorted(p.uniques, key=lambda u: (u.name or "", u.columns))),
        checks=tuple(sorted(p.checks, key=lambda c: (c.name or "", c.expression))),
        comment=comment,
        options=TableOptions(partitioned=relkind == "p"),
    )


def _enum_labels(rows: Iterable[Row]) -> dict[int, tuple[str, ...]]:
    labels: defaultdict[int, list[str]] = defaultdict(list)
    for type_oid, label in rows:
        labels[type_oid].append(label)
    return {oid: tuple(values) for oid, values in labels.items()}


def _add_columns(
    parts: defaultdict[int, _Parts], rows: Iterable[Row], enums: dict[int, tuple[str, ...]], schema: str
) -> dict[tuple[int, int], str]:
    """Build every column; returns (table oid, attnum) -> name for constraints and indexes."""
    names: dict[tuple[int, int], str] = {}
    types: dict[tuple[int, str], SqlType] = {}  # a schema has few distinct types: build once
    for row in rows:
        relid, attnum, name, type_text, notnull, expr, identity, generated, comment, collation = row[:10]
        type_key = (row[10], type_text)
        sql_type = types.get(type_key)
        if sql_type is None:
            sql_type = types[type_key] = _sql_type(type_text, row[10:15], enums)
        default, ident, gen = _value_source(expr, identity, generated, row[15:], schema)
        names[relid, attnum] = name
        parts[relid].columns.append(Column(name, sql_type, not notnull, default, ident, gen, _text(comment), collation))
    return names


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


def _value_source(
    expr: str | None, identity: str, generated: str, seq: Sequence[Any], schema: str
) -> tuple[str | None, Identity | None, Generated | None]:
    """(default, identity, generated): a column's expression means one of the three."""
    if generated == "s" and expr is not None:
        return None, None, Generated(expr, stored=True)
    if not identity and (expr is None or seq[0] is None):  # the common case, kept cheap
        return expr, None, None
    seq_name, seq_schema, seq_regclass, start, increment = seq
    if seq_name is not None and seq_schema != schema:
        seq_name = f"{seq_schema}.{seq_name}"
    if identity in _IDENTITY_KINDS:
        return None, Identity(_IDENTITY_KINDS[identity], seq_name, start, increment), None
    if expr is not None and seq_regclass is not None and expr == _nextval(seq_regclass):
        return None, Identity("serial", seq_name), None
    return expr, None, None


def _nextval(regclass_text: str) -> str:
    """The default PostgreSQL stores for a serial column, as pg_get_expr prints it."""
    return "nextval('" + regclass_text.replace("'", "''") + "'::regclass)"


def _add_constraints(
    parts: defaultdict[int, _Parts], rows: Iterable[Row], names: dict[tuple[int, int], str], schema: str
) -> None:
    for row in rows:
        relid, name, contype, conkey = row[:4]
        columns = tuple(names[relid, n] for n in conkey or ())
        table = parts[relid]
        if contype == "p":
            table.primary_key = PrimaryKey(columns, name)
        elif contype == "u":
            table.uniques.append(UniqueConstraint(columns, name))
        elif contype == "c":
            table.checks.append(CheckConstraint(row[11], name, columns[0] if len(columns) == 1 else None))
        else:
            table.foreign_keys.append(_foreign_key(name, columns, row[4:11], schema))


def _foreign_key(name: str, columns: tuple[str, ...], facts: Sequence[Any], schema: str) -> ForeignKey:
    ref_table, ref_schema, ref_columns, on_update, on_delete, deferrable, deferred = facts
    return ForeignKey(
        columns=columns,
        ref_table=ref_table,
        ref_columns=tuple(ref_columns),
        name=name,
        on_delete=_FK_ACTIONS[on_delete],
        on_update=_FK_ACTIONS[on_update],
        ref_schema=None if ref_schema == schema else ref_schema,
        deferrable=deferrable,
        initially_deferred=deferred,
    )


def _add_indexes(parts: defaultdict[int, _Parts], rows: Iterable[Row], names: dict[tuple[int, int], str]) -> None:
    for relid, name, unique, nkey, indkey, indoption, method, where, exprs, opclasses, collations in rows:
        elements = tuple(
            _element(names.get((relid, attnum)), *facts)
            for attnum, *facts in zip(indkey[:nkey], indoption, exprs, opclasses, collations, strict=True)
        )
        include = tuple(names[relid, attnum] for attnum in indkey[nkey:])
        method = None if method == "btree" else method
        parts[relid].indexes.append(Index(name, elements, unique, where, method, include))


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
    args.update((key, value) for key, value in parts.items() if value is not None)
    if url.database:
        args["dbname"] = url.database
    args["connect_timeout"] = CONNECT_TIMEOUT
    args["options"] = f"{args.get('options', '')} {READ_ONLY_OPTION}".strip()
    return args


def _connect_failure(url: DbUrl, exc: Exception) -> str:
    """Name the likely cause in words a user can act on; keep the driver's words as detail."""
    detail = _one_line(str(exc)).removeprefix("connection failed: ")
    low = detail.lower()
    server = f"{url.host or 'the local socket'}:{url.port or 5432}"
    if "authentication failed" in low:
        reason = f"authentication failed for user {url.username!r} (wrong password?)"
    elif "role" in low and "does not exist" in low:
        reason = f"role {url.username!r} does not exist on server {server}"
    elif "database" in low and "does not exist" in low:
        reason = f"database {url.database!r} does not exist on server {server}"
    elif "timeout" in low:
        reason = f"server {server} did not answer within {CONNECT_TIMEOUT}s"
    elif "refused" in low or "could not connect" in low or "resolve host" in low:
        reason = f"server {server} is unreachable ({detail})"
    else:
        reason = detail
    return mask_secrets(f"cannot connect to PostgreSQL at {url.masked()}: {reason}", url.password)


def _one_line(text: str) -> str:
    return " ".join(text.split())
