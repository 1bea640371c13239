"""Source `sqlite:///relative.db`, `sqlite:////absolute.db` or a bare `app.db`: a live file.

The file is opened strictly read-only and never created. The catalog is read in bulk: five
queries join `pragma_table_list` to the pragma table-valued functions whatever the number
of tables (SQLAlchemy's reflect() asks table by table, ~113 s at 5,000 tables). Facts the
pragmas do not report come from the stored CREATE text, read by `sqlite_ddl_scan`. How the
catalog fills the model is `docs/CONVENTIONS.md`.
"""

from __future__ import annotations

import gc
import os
import re
import sqlite3
from contextlib import closing
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from schemaudit.errors import SourceError
from schemaudit.identifiers import SQLITE_RULES
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
    Table,
    TableOptions,
    UniqueConstraint,
)
from schemaudit.sources import LoadOptions
from schemaudit.sources.sqlite_ddl_scan import (
    ColumnFacts,
    ForeignKeyFacts,
    IndexElementFacts,
    TableFacts,
    might_have_facts,
    scan_create_index,
    scan_create_table,
)
from schemaudit.types import parse_type

_MAGIC = b"SQLite format 3\x00"
_URL_SCHEME = re.compile(r"sqlite(\+[\w.-]+)?:", re.IGNORECASE)
_PRAGMA_TABLE_LIST = (3, 37, 0)  # pragma_table_list, with its `wr` and `strict` columns
_IMMUTABLE_ATTEMPTS = 2  # a writer racing twice with one read gets the normal read instead

# The five catalog queries: their number does not grow with the number of tables.
_USER_TABLES = "t.schema = 'main' AND t.type = 'table' AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
_OBJECTS_SQL = "SELECT type, name, tbl_name, sql FROM sqlite_schema"
_TABLES_SQL = f"SELECT t.name, t.wr, t.strict FROM pragma_table_list t WHERE {_USER_TABLES}"
_COLUMNS_SQL = f"""SELECT t.name, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
    FROM pragma_table_list t JOIN pragma_table_xinfo(t.name) c WHERE {_USER_TABLES}"""
_FOREIGN_KEYS_SQL = f"""SELECT t.name, f.id, f."table", f."from", f."to", f.on_update, f.on_delete
    FROM pragma_table_list t JOIN pragma_foreign_key_list(t.name) f WHERE {_USER_TABLES}"""
_INDEXES_SQL = f"""SELECT t.name, i.name, i."unique", i.origin, i.partial, x.cid, x.name, x."desc", x.coll
    FROM pragma_table_list t JOIN pragma_index_list(t.name) i JOIN pragma_index_xinfo(i.name) x
    WHERE {_USER_TABLES} AND x.key = 1"""
_Row = tuple[Any, ...]


def load(spec: str, options: LoadOptions) -> Schema:
    """Read the schema of the SQLite file that `spec` names, without changing the file."""
    del options  # nothing applies: a SQLite file holds one schema, "main"
    path = sqlite_path(spec)
    if _check_file(path):
        for _ in range(_IMMUTABLE_ATTEMPTS):
            if os.path.exists(path + "-wal"):
                break  # in use (or crashed): its committed pages may be in the -wal
            schema = _read_immutable_if_unchanged(path)
            if schema is not None:
                return schema
    with closing(open_read_only(path)) as conn:
        return _read(conn, path)


def sqlite_path(spec: str) -> str:
    """The path a spec names. URLs follow SQLAlchemy: `sqlite:///rel.db`, `sqlite:////abs.db`.

    Percent-escapes in URLs are decoded (`sqlite:///my%20app.db`); query parameters such as
    `?check_same_thread=false` are ignored, since we open the file our own way. A bare path
    is taken literally.
    """
    path = spec
    if _URL_SCHEME.match(spec):
        from schemaudit.sources.urls import parse_db_url  # SQLAlchemy: only for URLs

        url = parse_db_url(spec)
        if url.host:
            raise SourceError(
                f"SQLite URL {spec!r} names a host ({url.host!r}); write sqlite:///relative/path.db "
                "or sqlite:////absolute/path.db"
            )
        path = url.database or ""
    if path in ("", ":memory:"):
        raise SourceError(
            f"{spec!r} names no database file (an in-memory SQLite database is empty when we open "
            "it): there is nothing to audit; give a file, e.g. sqlite:///app.db"
        )
    return path


def _check_file(path: str) -> bool:
    """Fail early and clearly on a missing path, a directory or a file that is not SQLite.

    Returns whether the header says WAL mode (read/write versions 2), which needs care to
    read without leaving -wal/-shm files behind. An empty file is an empty database to
    SQLite, and so to us.
    """
    if not os.path.exists(path):
        raise SourceError(f"SQLite database {path!r} does not exist (it is never created)")
    if os.path.isdir(path):
        raise SourceError(f"{path!r} is a directory, not a SQLite database file")
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise SourceError(f"cannot read SQLite database {path!r}: {exc.strerror or exc}") from None
    if header and not header.startswith(_MAGIC):
        raise SourceError(f"{path!r} is not a SQLite database (its header is not SQLite's)")
    return len(header) >= 20 and 2 in (header[18], header[19])


def open_read_only(path: str, immutable: bool = False) -> sqlite3.Connection:
    """Open with `mode=ro`, which can neither create nor write the file.

    pathlib builds the URI, percent-encoding spaces, `?`, `#` and `%` as SQLite expects.
    """
    uri = Path(path).absolute().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        return sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise SourceError(f"cannot open SQLite database {path!r}: {_one_line(exc)}") from None


def _read_immutable_if_unchanged(path: str) -> Schema | None:
    """Read a cleanly closed WAL-mode file as immutable, so SQLite creates no -wal/-shm.

    A plain read-only open of a WAL database creates `-wal` and `-shm` files and, being
    read-only, cannot remove them on close. No `-wal` file means every change is in the
    main file and nobody has it open, so an immutable (lock-free) read is exact unless a
    writer starts meanwhile. Then the read may even fail as "malformed"; so any failure, a
    `-wal` file afterwards or a changed inode, size or mtime gives None: read again.
    """
    before = _stat(path)
    try:
        with closing(open_read_only(path, immutable=True)) as conn:
            schema = read_schema(conn, origin=path)
    except sqlite3.DatabaseError:
        return None  # torn by a writer, or truly damaged: the normal read will tell
    if os.path.exists(path + "-wal") or _stat(path) != before:
        return None
    return schema


def _stat(path: str) -> tuple[int, int, int]:
    info = os.stat(path)
    return info.st_ino, info.st_size, info.st_mtime_ns


def _read(conn: sqlite3.Connection, path: str) -> Schema:
    """Read the catalog, turning SQLite's errors into one-line source errors."""
    try:
        return read_schema(conn, origin=path)
    except sqlite3.DatabaseError as exc:
        message = _one_line(exc)
        if "not a database" in message:
            raise SourceError(f"{path!r} is not a SQLite database ({message})") from None
        raise SourceError(f"cannot read SQLite database {path!r}: {message}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def read_schema(conn: sqlite3.Connection, origin: str | None = None) -> Schema:
    """The schema of an open connection's `main` database, read with five queries.

    Public so that sources which build a scratch database (DDL files, `python:` functions,
    Alembic replays) read it back exactly as a live file is read. The cyclic garbage
    collector is paused meanwhile: we allocate hundreds of thousands of acyclic objects,
    and its repeated full passes over them cost about a third of the time at 5,000 tables.
    """
    if sqlite3.sqlite_version_info < _PRAGMA_TABLE_LIST:
        raise SourceError(
            f"reading a SQLite catalog needs SQLite 3.37 or later; this Python has {sqlite3.sqlite_version}"
        )
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_schema(conn, origin)
    finally:
        if was_enabled:
            gc.enable()


def _read_schema(conn: sqlite3.Connection, origin: str | None) -> Schema:
    objects = conn.execute(_OBJECTS_SQL).fetchall()
    tables = conn.execute(_TABLES_SQL).fetchall()
    columns = _by_table(conn.execute(_COLUMNS_SQL).fetchall())
    fks = _by_table(conn.execute(_FOREIGN_KEYS_SQL).fetchall())
    indexes = _by_table(conn.execute(_INDEXES_SQL).fetchall())
    context = _Context(objects, columns)
    built = [
        _build_table(
            name, bool(wr), bool(strict), columns.get(name, []), fks.get(name, []), indexes.get(name, []), context
        )
        for name, wr, strict in tables
    ]
    built.sort(key=lambda t: t.name)
    return Schema(
        tables=tuple(built),
        dialect="sqlite",
        origin=origin,
        name=None,
        rules=SQLITE_RULES,
        not_audited=_not_audited(objects),
    )


def _by_table(rows: list[_Row]) -> dict[str, list[_Row]]:
    """Group catalog rows by their first field, the table name, keeping their order.

    The rows of one table arrive together (the pragma function is the inner loop), so
    `groupby` does the work in C; `extend` keeps this right even if they did not.
    """
    grouped: dict[str, list[_Row]] = {}
    for table, rows_of_table in groupby(rows, itemgetter(0)):
        grouped.setdefault(table, []).extend(rows_of_table)
    return grouped


def _pk_columns(rows: list[_Row]) -> tuple[str, ...]:
    keyed = [(row[5], row[1]) for row in rows if row[5]]
    keyed.sort()
    return tuple(name for _, name in keyed)


def _not_audited(objects: list[_Row]) -> tuple[SchemaObject, ...]:
    """Views, triggers and virtual tables: kept by name, not modelled."""
    found: list[SchemaObject] = []
    for kind, name, table, sql in objects:
        if kind == "view":
            found.append(SchemaObject("view", name))
        elif kind == "trigger":
            found.append(SchemaObject("trigger", name, table))
        elif kind == "table" and (sql or "").startswith("CREATE VIRTUAL TABLE"):
            found.append(SchemaObject("virtual table", name))
    return tuple(sorted(found, key=lambda o: (o.kind, o.name)))


class _Context:
    """What building one table needs to know about the others, plus shared value caches.

    Equal rows give equal immutable values, so one `Column`, `IndexElement` or
    `TableOptions` object serves every table with the same definition (`id`, `created_at`,
    ...): fewer allocations and less memory, the same values.
    """

    def __init__(self, objects: list[_Row], columns: dict[str, list[_Row]]) -> None:
        self.table_sql: dict[str, str] = {}
        self.index_sql: dict[str, str] = {}
        for kind, name, _, sql in objects:
            if kind == "table" and sql:
                self.table_sql[name] = sql
            elif kind == "index" and sql:
                self.index_sql[name] = sql
        self._columns = columns
        self._pk_by_key: dict[str, tuple[str, ...]] | None = None
        self.column_cache: dict[tuple[Any, ...], Column] = {}
        self.element_cache: dict[tuple[Any, ...], IndexElement] = {}
        self.options = {(s, w): TableOptions(strict=s, without_rowid=w) for s in (False, True) for w in (False, True)}

    def primary_key_of(self, table: str) -> tuple[str, ...]:
        """A parent's primary key, for `REFERENCES parent` written without columns."""
        if self._pk_by_key is None:
            self._pk_by_key = {SQLITE_RULES.table_key(name): _pk_columns(rows) for name, rows in self._columns.items()}
        return self._pk_by_key.get(SQLITE_RULES.table_key(table), ())


def _build_table(
    name: str,
    without_rowid: bool,
    strict: bool,
    column_rows: list[_Row],
    fk_rows: list[_Row],
    index_rows: list[_Row],
    context: _Context,
) -> Table:
    """One `Table` from its catalog rows and the facts scanned from its CREATE text."""
    sql = context.table_sql.get(name)
    # hidden 2/3 flags a generated column, whose expression only the CREATE text has
    facts = _NO_FACTS
    if sql and (might_have_facts(sql) or any(row[6] for row in column_rows)):
        facts = scan_create_table(sql)
    primary = _pk_columns(column_rows)
    indexes, uniques, has_pk_index = _indexes(index_rows, facts, context)
    # The catalog's own verdict on INTEGER PRIMARY KEY: a rowid alias has no index.
    rowid_alias = primary[0] if len(primary) == 1 and not without_rowid and not has_pk_index else None
    return Table(
        name=name,
        columns=_columns(column_rows, facts, rowid_alias, context.column_cache),
        primary_key=PrimaryKey(primary, facts.primary_key_name) if primary else None,
        foreign_keys=_foreign_keys(fk_rows, facts, context) if fk_rows else (),
        indexes=indexes,
        uniques=uniques,
        checks=_checks(facts) if facts.checks else (),
        options=context.options[strict, without_rowid],
    )


_NO_FACTS = TableFacts()
_ROWID = Identity("rowid")
_AUTOINCREMENT = Identity("autoincrement")


def _columns(
    rows: list[_Row], facts: TableFacts, rowid_alias: str | None, cache: dict[tuple[Any, ...], Column]
) -> tuple[Column, ...]:
    """Columns in `cid` order; `dflt_value` as SQLite gives it, the declared type as `raw`."""
    result = []
    for row in rows:
        name = row[1]
        column_facts = facts.columns.get(name) if facts.columns else None
        identity = None
        if name == rowid_alias:
            identity = _AUTOINCREMENT if column_facts and column_facts.autoincrement else _ROWID
        key = row[1:] if identity is None and column_facts is None else (row[1:], identity, column_facts)
        column = cache.get(key)
        if column is None:
            column = cache[key] = _column(row, identity, column_facts)
        result.append(column)
    return tuple(result)


def _column(row: _Row, identity: Identity | None, facts: ColumnFacts | None) -> Column:
    _, name, declared, notnull, default, _, hidden = row
    generated = None
    if hidden in (2, 3):  # 2: VIRTUAL, 3: STORED
        expression = facts.generated if facts else None
        generated = Generated(expression or "", hidden == 3)
    return Column(
        name=name,
        type=parse_type(declared, "sqlite"),
        nullable=not notnull,
        default=default,
        identity=identity,
        generated=generated,
        collation=facts.collation if facts else None,
    )


def _checks(facts: TableFacts) -> tuple[CheckConstraint, ...]:
    checks = [CheckConstraint(c.expression, c.name, c.column) for c in facts.checks]
    checks.sort(key=lambda c: (c.name or "", c.expression, c.column or ""))
    return tuple(checks)


def _foreign_keys(rows: list[_Row], facts: TableFacts, context: _Context) -> tuple[ForeignKey, ...]:
    """Group pragma rows by FK id. SQLite numbers FKs last-declared first, so walking the
    ids downwards meets them in declaration order, the order the scanned facts have.

    Only named or deferrable FKs have scanned facts; they are matched by columns and
    referenced table."""
    declared: dict[tuple[tuple[str, ...], str], list[ForeignKeyFacts]] = {}
    for fk in facts.foreign_keys:
        declared.setdefault(_fk_key(fk.columns, fk.ref_table), []).append(fk)
    groups = [list(group) for _, group in groupby(rows, itemgetter(1))]
    groups.sort(key=lambda group: -group[0][1])
    result = []
    for group in groups:
        _, _, ref_table, _, _, on_update, on_delete = group[0]
        columns = tuple([r[3] for r in group])
        refs = tuple([r[4] for r in group])
        if None in refs:  # `REFERENCES parent` without columns: the parent's primary key
            refs = context.primary_key_of(ref_table)
        fact = _NO_FK_FACTS
        if declared:
            candidates = declared.get(_fk_key(columns, ref_table))
            fact = candidates.pop(0) if candidates else _NO_FK_FACTS
        result.append(
            ForeignKey(
                columns=columns,
                ref_table=ref_table,
                ref_columns=refs,
                name=fact.name,
                on_delete=on_delete.upper(),
                on_update=on_update.upper(),
                deferrable=fact.deferrable,
                initially_deferred=fact.initially_deferred,
            )
        )
    if len(result) > 1:
        result.sort(key=lambda f: (f.name or "", f.columns, f.ref_table, f.ref_columns))
    return tuple(result)


_NO_FK_FACTS = ForeignKeyFacts((), "")


def _fk_key(columns: tuple[str, ...], ref_table: str) -> tuple[tuple[str, ...], str]:
    key = SQLITE_RULES.column_key
    return tuple(key(c) for c in columns), SQLITE_RULES.table_key(ref_table)


def _indexes(
    rows: list[_Row], facts: TableFacts, context: _Context
) -> tuple[tuple[Index, ...], tuple[UniqueConstraint, ...], bool]:
    """Explicit indexes (origin 'c'), UNIQUE constraints (origin 'u', named from the CREATE
    text), and whether the primary key has an index (origin 'pk'; none for a rowid alias)."""
    indexes: list[Index] = []
    uniques: list[UniqueConstraint] = []
    has_pk_index = False
    for (index_name, unique, origin, partial), elements in groupby(rows, itemgetter(1, 2, 3, 4)):
        if origin == "c":
            sql = context.index_sql.get(index_name)
            indexes.append(_index(index_name, unique, partial, list(elements), sql, context))
        elif origin == "u":
            columns = tuple([e[6] for e in elements])
            uniques.append(UniqueConstraint(columns, _unique_name(facts, columns)))
        else:
            has_pk_index = True
    if len(indexes) > 1:
        indexes.sort(key=lambda i: i.name)
    if len(uniques) > 1:
        uniques.sort(key=lambda u: (u.name or "", u.columns))
    return tuple(indexes), tuple(uniques), has_pk_index


def _unique_name(facts: TableFacts, columns: tuple[str, ...]) -> str | None:
    """SQLite keeps one index per distinct UNIQUE column list: match the first so written."""
    if not facts.uniques:
        return None
    wanted = tuple(SQLITE_RULES.column_key(c) for c in columns)
    for written, name in facts.uniques:
        if tuple(SQLITE_RULES.column_key(c) for c in written) == wanted:
            return name
    return None


def _index(name: str, unique: int, partial: int, rows: list[_Row], sql: str | None, context: _Context) -> Index:
    """An explicit index. Its CREATE text is scanned only when the pragmas fall short:
    for expression elements, a partial WHERE, or a collation that may be written out."""
    needs_text = partial
    for row in rows:
        if row[5] < 0 or row[8] != "BINARY":
            needs_text = True
    facts = scan_create_index(sql) if sql and needs_text else None
    texts = facts.elements if facts and len(facts.elements) == len(rows) else None
    cache = context.element_cache
    elements = []
    for position, row in enumerate(rows):
        text = texts[position] if texts else None
        key = (row[5], row[6], row[7], text)
        element = cache.get(key)
        if element is None:
            element = cache[key] = _index_element(row, text)
        elements.append(element)
    return Index(name=name, elements=tuple(elements), unique=bool(unique), where=facts.where if facts else None)


def _index_element(row: _Row, text: IndexElementFacts | None) -> IndexElement:
    """cid -2 is an expression (text from the CREATE INDEX), -1 the rowid."""
    cid, column, desc = row[5], row[6], row[7]
    expression = column if cid >= 0 else (text.expression if text else "")
    collation = text.collation if text else None
    return IndexElement(expr=expression, is_expression=cid == -2, descending=bool(desc), collation=collation)
