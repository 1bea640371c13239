"""A live MySQL or MariaDB database (`mysql+pymysql://`, `mysql://`, `mariadb+pymysql://`).

The catalog is read inside a read-only transaction with a fixed number of bulk queries
(`mysql_catalog`), then assembled in Python with dicts, so a schema of thousands of tables
costs little more than the queries themselves. PyMySQL (pure Python, installs anywhere)
is the driver whatever driver the URL names.

Catalog quirks this module normalizes (see docs/CONVENTIONS.md):
- Defaults: MariaDB >= 10.2.7 reports `COLUMN_DEFAULT` as SQL (`'it''s'`, `42`,
  `current_timestamp()`, and the bare word `NULL` for DEFAULT NULL); MySQL reports literals
  unquoted and marks expressions with `DEFAULT_GENERATED` in EXTRA. Both become SQL text.
- MariaDB's `JSON` is LONGTEXT COLLATE utf8mb4_bin plus an automatic column CHECK
  `json_valid(`col`)` named like the column. That pattern is reported as type `json` (raw
  `json`), without the check and without the implied collation. The catalog cannot tell
  `LONGTEXT CHECK (json_valid(col))` from JSON (it reads as json), nor a JSON column whose
  own column CHECK replaced the automatic one (it reads as longtext with that check).
- Unique keys on whole plain columns are unique constraints (MySQL has no separate object);
  unique keys with a prefix length, DESC, an expression part, a comment or options stay
  unique indexes.
- Key options as declared (`USING BTREE`, `KEY_BLOCK_SIZE=8`), which STATISTICS does not
  report, come from SHOW CREATE TABLE (`mysql_declared`).
- A spatial key's part reports a SUB_PART (32) it cannot be created with: no prefix length.
- The index InnoDB creates for a foreign key (named like the constraint) is listed as an
  index like any other: it exists, and dropping it is a real change.
- Foreign key actions: InnoDB treats RESTRICT and NO ACTION alike and MariaDB reports an
  unspecified action as RESTRICT, so the catalog cannot tell them apart; both read as the
  convention's unspecified value, NO ACTION.
- `ON UPDATE CURRENT_TIMESTAMP` (in EXTRA) becomes `Column.on_update`, spelled as the
  server reports it (`current_timestamp()` on MariaDB, `CURRENT_TIMESTAMP` on MySQL).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from operator import itemgetter
from types import ModuleType
from typing import Protocol

from schemaudit.errors import SourceError, mask_secrets
from schemaudit.gcpause import paused_gc
from schemaudit.identifiers import mysql_rules, quote
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
    mysql_table_charset,
)
from schemaudit.sources import LoadOptions
from schemaudit.sources.live.mysql_catalog import Catalog, Cursor, Row, ServerInfo, read_catalog, read_server
from schemaudit.sources.live.mysql_declared import MULTI_STATEMENTS, declared_options
from schemaudit.sources.live.mysql_partitions import partition_clause
from schemaudit.sources.urls import DbUrl, mysql_charset, parse_db_url, timeouts
from schemaudit.types import parse_type

DRIVER_MISSING = "MySQL driver PyMySQL is not installed: pip install PyMySQL"

_TABLE_TYPES = frozenset({"BASE TABLE", "SYSTEM VERSIONED"})  # MariaDB system-versioned tables
_OBJECT_TYPES = {"VIEW": "view", "SEQUENCE": "sequence"}  # other TABLES rows, not audited
_AUTO_INCREMENT = Identity("auto_increment")
_JSON = parse_type("json", "mysql")
_NUMERIC = frozenset({TypeFamily.INTEGER, TypeFamily.NUMERIC, TypeFamily.FLOAT})
_TEMPORAL = frozenset({TypeFamily.TIMESTAMP, TypeFamily.TIMESTAMPTZ, TypeFamily.DATE, TypeFamily.TIME})
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_BY_ORDINAL = itemgetter(2)  # COLUMNS.ORDINAL_POSITION
_BY_POSITION = itemgetter(3)  # STATISTICS.SEQ_IN_INDEX, KEY_COLUMN_USAGE.ORDINAL_POSITION
_NOW = re.compile(r"(?i)(current_timestamp|now|localtime|localtimestamp)\b")


class Connection(Protocol):
    """The slice of a PyMySQL connection we use."""

    def cursor(self) -> Cursor: ...

    def rollback(self) -> None: ...

    def close(self) -> None: ...


def load(spec: str, options: LoadOptions) -> Schema:
    """Read one database (the URL's, or `options.schema`) of a live MySQL/MariaDB server."""
    url = parse_db_url(spec)
    if url.backend != "mysql":
        raise SourceError(f"not a MySQL/MariaDB URL: {url.masked()}")
    database = options.schema or url.database
    if not database:
        raise SourceError(f"no database given in {url.masked()}; write mysql+pymysql://user@host/DATABASE")
    driver = _driver()
    with read_only_session(url) as conn:
        try:
            cur = conn.cursor()
            server, found = read_server(cur, database)
            if not found:
                raise SourceError(f"unknown database {database!r} on {url.masked()} (or no access to it)")
            catalog = read_catalog(cur, database, server)
        except driver.MySQLError as exc:
            raise SourceError(f"cannot read the catalog of {url.masked()}: {_reason(exc, url)}") from None
    with paused_gc():
        return build_schema(catalog, server, database, url.masked())


def _driver() -> ModuleType:
    """PyMySQL, imported only when a MySQL source is used: a broken install hurts no other source."""
    try:
        return importlib.import_module("pymysql")
    except ImportError:
        raise SourceError(DRIVER_MISSING) from None


@contextmanager
def read_only_session(url: DbUrl) -> Iterator[Connection]:
    """A connection inside a read-only, consistent-snapshot transaction, rolled back after.

    The session default is set to READ ONLY too, so that even a statement that ends the
    transaction implicitly (DDL) cannot write: the source never changes what it audits.
    """
    driver = _driver()
    failures = (driver.MySQLError, OSError)
    conn: Connection | None = None
    try:
        conn = driver.connect(**_connect_args(url))
        cur = conn.cursor()
        cur.execute("SET SESSION TRANSACTION READ ONLY")
        cur.execute("START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT")
    except failures as exc:
        if conn is not None:
            _close(conn, failures)
        raise SourceError(f"cannot connect to {url.masked()}: {_reason(exc, url)}") from None
    try:
        yield conn
    finally:
        _close(conn, failures)


def _close(conn: Connection, failures: tuple[type[BaseException], ...]) -> None:
    """End the session; a connection the server already dropped has nothing to roll back."""
    with suppress(*failures):
        conn.rollback()
    with suppress(*failures):
        conn.close()


def _connect_args(url: DbUrl) -> dict[str, object]:
    """PyMySQL arguments; no database is selected, so `options.schema` may name any."""
    query = dict(url.query)
    args: dict[str, object] = {
        "host": url.host or "localhost",
        "port": url.port or 3306,
        "user": url.username,
        "password": url.password or "",
        "charset": mysql_charset(url),
        "connect_timeout": timeouts(url)[0],
        "read_timeout": timeouts(url)[1],
        "write_timeout": timeouts(url)[1],
        "autocommit": False,
        "client_flag": MULTI_STATEMENTS,  # every SHOW CREATE TABLE in one round trip
    }
    if "unix_socket" in query:
        args["unix_socket"] = query["unix_socket"]
    return args


def _reason(exc: BaseException, url: DbUrl) -> str:
    """The server's message on one line, password removed (drivers may echo it)."""
    args = exc.args
    text = str(args[1]) if len(args) > 1 else str(exc)
    return mask_secrets(" ".join(text.split()), url.password) or type(exc).__name__


def build_schema(catalog: Catalog, server: ServerInfo, database: str, origin: str) -> Schema:
    """Assemble the model from the raw catalog rows: one pass over each result, keyed by table."""
    columns = _by_table(catalog.columns)
    statistics = _by_table(catalog.statistics)
    fk_columns = _by_table(catalog.fk_columns)
    checks = _by_table(catalog.checks)
    fk_rules = {(row[0], row[1]): (row[2], row[3]) for row in catalog.fk_rules}
    partitions = _by_table(catalog.partitions)
    creates = dict(catalog.creates)
    quoted = server.quoted_defaults
    tables: list[Table] = []
    for name, kind, engine, comment, collation, create_options, charset in catalog.tables:
        if kind not in _TABLE_TYPES:
            continue
        table_checks = checks.get(name, [])
        cols, json_columns = _columns(columns.get(name, []), collation, _json_checks(table_checks), quoted)
        primary_key, indexes, uniques = _keys(statistics.get(name, []), declared_options(creates.get(name, "")))
        table_charset, table_collation = mysql_table_charset(charset, collation)
        tables.append(
            Table(
                name=name,
                columns=cols,
                primary_key=primary_key,
                foreign_keys=_foreign_keys(name, fk_columns.get(name, []), fk_rules, database),
                indexes=indexes,
                uniques=uniques,
                checks=_checks(table_checks, json_columns),
                comment=comment or None,
                options=TableOptions(
                    engine=engine,
                    partitioned="partitioned" in (create_options or ""),
                    partitioning=partition_clause(partitions.get(name, [])),
                    charset=table_charset,
                    collation=table_collation,
                ),
            )
        )
    tables.sort(key=lambda t: t.name)
    return Schema(
        tables=tuple(tables),
        dialect="mysql",
        origin=origin,
        name=database,
        rules=mysql_rules(server.lower_case_table_names),
        not_audited=_not_audited(catalog),
        full_definitions=True,
        objects=catalog.objects,
    )


def _by_table(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """Group rows on their first field, the table name."""
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return grouped


def _json_checks(checks: Sequence[Row]) -> frozenset[str]:
    """Columns whose MariaDB automatic JSON check is present: named like the column, column level."""
    return frozenset(
        name for _, name, clause, level in checks if level in (None, "Column") and clause == _json_clause(name)
    )


def _json_clause(column: str) -> str:
    """The CHECK MariaDB adds to a JSON column, as CHECK_CONSTRAINTS prints it."""
    return f"json_valid({quote(column, 'mysql')})"


def _columns(
    rows: list[Row], table_collation: str | None, json_checks: frozenset[str], quoted: bool
) -> tuple[tuple[Column, ...], frozenset[str]]:
    """The table's columns in ordinal order, and which of them are MariaDB JSON columns."""
    rows.sort(key=_BY_ORDINAL)
    columns: list[Column] = []
    json_columns: set[str] = set()
    for _, name, _, raw_type, is_nullable, default, extra, expression, comment, collation in rows:
        if name in json_checks and raw_type.lower() == "longtext":
            json_columns.add(name)
            sql_type, collation = _JSON, None
        else:
            sql_type = parse_type(raw_type, "mysql")
        on_update = _ON_UPDATE.search(extra or "")
        extra = (extra or "").upper()
        generated = _generated(expression, extra)
        columns.append(
            Column(
                name=name,
                type=sql_type,
                nullable=is_nullable == "YES",
                default=None if generated else normalize_default(default, extra, sql_type, quoted),
                identity=_AUTO_INCREMENT if "AUTO_INCREMENT" in extra else None,
                generated=generated,
                comment=comment or None,
                collation=collation if collation != table_collation else None,
                on_update=on_update.group(1) if on_update else None,
            )
        )
    return tuple(columns), frozenset(json_columns)


_ON_UPDATE = re.compile(r"on update (\S+)", re.IGNORECASE)


def _generated(expression: str | bytes | None, extra: str) -> Generated | None:
    """A computed column; MySQL 8 leaves GENERATION_EXPRESSION '' for ordinary columns."""
    if not expression or "DEFAULT_GENERATED" in extra:
        return None
    text = expression.decode() if isinstance(expression, bytes) else expression
    return Generated(text, stored="STORED" in extra or "PERSISTENT" in extra)


def normalize_default(raw: str | None, extra: str, sql_type: SqlType, quoted: bool) -> str | None:
    """COLUMN_DEFAULT as an SQL expression, `None` for no default or DEFAULT NULL.

    `quoted`: the server already reports SQL (MariaDB >= 10.2.7), where the bare word NULL
    means DEFAULT NULL (a string 'NULL' would be quoted). Otherwise (MySQL) literals come
    unquoted: numbers, bit literals, expressions (DEFAULT_GENERATED) and CURRENT_TIMESTAMP
    on temporal columns stay as they are; anything else is a string and gets quoted the
    way MariaDB spells it (quotes doubled, backslashes escaped).
    """
    if raw is None:
        return None
    if quoted:
        return None if raw == "NULL" else raw
    family = sql_type.family
    if "DEFAULT_GENERATED" in extra or (family in _TEMPORAL and _NOW.match(raw)):
        return raw
    if (family in _NUMERIC and _NUMBER.fullmatch(raw)) or (family is TypeFamily.BIT and raw.startswith("b'")):
        return raw
    return "'" + raw.replace("\\", "\\\\").replace("'", "''") + "'"


def _keys(
    rows: list[Row], declared: dict[str, tuple[str, ...]]
) -> tuple[PrimaryKey | None, tuple[Index, ...], tuple[UniqueConstraint, ...]]:
    """Split STATISTICS rows into the primary key, unique constraints and other indexes."""
    parts_by_index: dict[str, list[Row]] = {}
    for row in rows:
        parts_by_index.setdefault(row[1], []).append(row)
    primary_key: PrimaryKey | None = None
    indexes: list[Index] = []
    uniques: list[UniqueConstraint] = []
    for name, parts in parts_by_index.items():
        parts.sort(key=_BY_POSITION)
        elements = tuple(_element(part) for part in parts)
        if parts[0][7] == "SPATIAL":  # the catalog reports a SUB_PART for a spatial key: no prefix
            elements = tuple(replace(e, length=None) for e in elements)
        unique = int(parts[0][2]) == 0
        comment, options = parts[0][9] or None, declared.get(name, ())
        if name == "PRIMARY":
            primary_key = PrimaryKey(tuple(e.expr for e in elements), comment=comment, options=options)
        elif unique and comment is None and not options and all(_plain(e) for e in elements):
            uniques.append(UniqueConstraint(tuple(e.expr for e in elements), name))
        else:  # a unique key with a comment or options stays an index: a UNIQUE constraint has none
            method = _method(parts[0][7])
            indexes.append(Index(name, elements, unique, method=method, comment=comment, options=options))
    indexes.sort(key=lambda i: (i.name, tuple(e.expr for e in i.elements)))
    uniques.sort(key=lambda u: (u.name or "", u.columns))
    return primary_key, tuple(indexes), tuple(uniques)


def _element(row: Row) -> IndexElement:
    """One index part: a column (maybe a prefix of it) or a MySQL 8 functional part."""
    column, collation, sub_part, expression = row[4], row[5], row[6], row[8]
    descending = collation == "D"
    if column is None and expression:
        text = expression.decode() if isinstance(expression, bytes) else str(expression)
        return IndexElement(text, is_expression=True, descending=descending)
    return IndexElement(column, descending=descending, length=int(sub_part) if sub_part else None)


def _plain(element: IndexElement) -> bool:
    """A whole column in ascending order: what a UNIQUE constraint can express."""
    return not (element.is_expression or element.descending or element.length)


def _method(index_type: str | None) -> str | None:
    """The index method, `None` for the default B-tree (so it compares equal to DDL without USING)."""
    if not index_type or index_type.upper() == "BTREE":
        return None
    return index_type.lower()


def _foreign_keys(
    table: str, rows: list[Row], rules: dict[tuple[str, str], tuple[str, str]], database: str
) -> tuple[ForeignKey, ...]:
    """The table's foreign keys; column pairs in constraint order, actions normalized."""
    parts_by_name: dict[str, list[Row]] = {}
    for row in rows:
        parts_by_name.setdefault(row[1], []).append(row)
    keys: list[ForeignKey] = []
    for name, parts in parts_by_name.items():
        parts.sort(key=_BY_POSITION)
        on_update, on_delete = rules.get((table, name), ("NO ACTION", "NO ACTION"))
        ref_schema = parts[0][4]
        keys.append(
            ForeignKey(
                columns=tuple(part[2] for part in parts),
                ref_table=parts[0][5],
                ref_columns=tuple(part[6] for part in parts),
                name=name,
                on_delete=_action(on_delete),
                on_update=_action(on_update),
                ref_schema=None if ref_schema == database else ref_schema,
            )
        )
    keys.sort(key=lambda k: (k.name or "", k.columns))
    return tuple(keys)


def _action(rule: str | None) -> str:
    """InnoDB's RESTRICT is NO ACTION (both check at once), and MariaDB's unspecified value."""
    action = (rule or "NO ACTION").upper()
    return "NO ACTION" if action == "RESTRICT" else action


def _checks(rows: Sequence[Row], json_columns: frozenset[str]) -> tuple[CheckConstraint, ...]:
    """CHECK constraints, minus the automatic ones behind MariaDB JSON columns."""
    checks = [
        CheckConstraint(
            expression=clause.decode() if isinstance(clause, bytes) else clause,
            name=name,
            column=name if level == "Column" else None,
        )
        for _, name, clause, level in rows
        if not (name in json_columns and clause == _json_clause(name))
    ]
    checks.sort(key=lambda c: (c.name or "", c.expression))
    return tuple(checks)


def _not_audited(catalog: Catalog) -> tuple[SchemaObject, ...]:
    """Views, sequences, triggers, routines and events: listed by name, not audited."""
    read = catalog.objects.kinds  # the kinds modelled as objects are not listed here
    objects = [
        SchemaObject(_OBJECT_TYPES[kind], name)
        for name, kind, *_ in catalog.tables
        if kind in _OBJECT_TYPES and _OBJECT_TYPES[kind] not in read
    ]
    if "trigger" not in read:
        objects += [SchemaObject("trigger", name, table) for name, table, *_ in catalog.triggers]
    if "routine" not in read:
        objects += [SchemaObject(str(kind).lower(), name) for name, kind in catalog.routines]
    if "event" not in read:
        objects += [SchemaObject("event", name) for (name,) in catalog.events]
    objects.sort(key=lambda o: (o.kind, o.name, o.table or ""))
    return tuple(objects)
