"""Read an open SQLite connection's catalog into the model, with five bulk queries.

The queries join `pragma_table_list` to the pragma table-valued functions, so their number
does not grow with the number of tables (SQLAlchemy's reflect() asks table by table, ~113 s
at 5,000 tables). Facts the pragmas do not report come from the stored CREATE text, read by
`sqlite_scan`. How the catalog fills the model is `docs/CONVENTIONS.md`. Opening the
file, safely and read-only, is `live.sqlite`'s job; sources that build a scratch database
read it back with `read_schema` too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from schemaudit.errors import SourceError
from schemaudit.gcpause import paused_gc
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
    Table,
    TableOptions,
    UniqueConstraint,
)
from schemaudit.sources.live import sqlite_objects
from schemaudit.sources.live.sqlite_scan import (
    ColumnFacts,
    ForeignKeyFacts,
    IndexElementFacts,
    TableFacts,
    might_have_facts,
    scan_create_index,
    scan_create_table,
)
from schemaudit.types import parse_type

_PRAGMA_TABLE_LIST = (3, 37, 0)  # pragma_table_list, with its `wr` and `strict` columns
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
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


def read_schema(conn: sqlite3.Connection, origin: str | None = None) -> Schema:
    """The schema of an open connection's `main` database, read with five queries.

    Public so that sources which build a scratch database (DDL files, `python:` functions,
    Alembic replays) read it back exactly as a live file is read. The cyclic garbage
    collector is paused meanwhile: we allocate hundreds of thousands of acyclic objects,
    and its repeated full passes over them cost about a third of the time at 5,000 tables.
    """
    return read_shards([conn], origin)


def read_shards(conns: Sequence[sqlite3.Connection], origin: str | None = None) -> Schema:
    """The schema that several connections' `main` databases hold together, each table,
    view and index in exactly one of them (`ddl.sqlite_shards`), read as if they were one:
    the same five queries on each, the rows joined before anything is built, so a
    `REFERENCES parent` without columns finds a parent in another connection."""
    if sqlite3.sqlite_version_info < _PRAGMA_TABLE_LIST:
        raise SourceError(
            f"reading a SQLite catalog needs SQLite 3.37 or later; this Python has {sqlite3.sqlite_version}"
        )
    with paused_gc():
        return _read_schema(conns, origin)


def _read_schema(conns: Sequence[sqlite3.Connection], origin: str | None) -> Schema:
    objects: list[_Row] = []
    tables: list[_Row] = []
    columns: dict[str, list[_Row]] = {}
    fks: dict[str, list[_Row]] = {}
    indexes: dict[str, list[_Row]] = {}
    for conn in conns:
        objects += conn.execute(_OBJECTS_SQL).fetchall()
        tables += conn.execute(_TABLES_SQL).fetchall()
        columns.update(_by_table(conn.execute(_COLUMNS_SQL).fetchall()))
        fks.update(_by_table(conn.execute(_FOREIGN_KEYS_SQL).fetchall()))
        indexes.update(_by_table(conn.execute(_INDEXES_SQL).fetchall()))
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
        not_audited=(),  # views, triggers and virtual tables are all modelled (sqlite_objects)
        objects=sqlite_objects.objects(objects),
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
    if len(keyed) == 1:
        return (keyed[0][1],)
    keyed.sort()
    return tuple([name for _, name in keyed])


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
        self._primary_keys: dict[tuple[tuple[str, ...], str | None], PrimaryKey] = {}
        self.options = {(s, w): TableOptions(strict=s, without_rowid=w) for s in (False, True) for w in (False, True)}

    def primary_key(self, columns: tuple[str, ...], name: str | None) -> PrimaryKey:
        """One shared `PrimaryKey` per distinct key (most tables: `("id",)`, unnamed)."""
        key = (columns, name)
        found = self._primary_keys.get(key)
        if found is None:
            found = self._primary_keys[key] = PrimaryKey(columns, name)
        return found

    def primary_key_of(self, table: str) -> tuple[str, ...]:
        """A parent's primary key, for `REFERENCES parent` written without columns."""
        if self._pk_by_key is None:
            self._pk_by_key = {_fold(name): _pk_columns(rows) for name, rows in self._columns.items()}
        return self._pk_by_key.get(_fold(table), ())


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
        primary_key=context.primary_key(primary, facts.primary_key_name) if primary else None,
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
    special = facts.columns
    result = []
    for row in rows:
        name = row[1]
        if name == rowid_alias or (special and name in special):
            column_facts = special.get(name) if special else None
            identity = None
            if name == rowid_alias:
                identity = _AUTOINCREMENT if column_facts and column_facts.autoincrement else _ROWID
            key: tuple[Any, ...] = (row[1:], identity, column_facts)
        else:
            identity = column_facts = None
            key = row[1:]
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
    if len(groups) > 1:
        groups.sort(key=lambda group: -group[0][1])
    result = []
    for group in groups:
        _, _, ref_table, _, _, on_update, on_delete = group[0]
        if len(group) == 1:
            columns: tuple[str, ...] = (group[0][3],)
            refs: tuple[str, ...] = (group[0][4],)
        else:
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
                on_delete=_ACTIONS.get(on_delete) or on_delete.upper(),
                on_update=_ACTIONS.get(on_update) or on_update.upper(),
                deferrable=fact.deferrable,
                initially_deferred=fact.initially_deferred,
            )
        )
    if len(result) > 1:
        result.sort(key=lambda f: (f.name or "", f.columns, f.ref_table, f.ref_columns))
    return tuple(result)


# The pragma's spelling of the actions, mapped to one shared string each.
_ACTIONS = {action: action for action in ("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT")}
_NO_FK_FACTS = ForeignKeyFacts((), "")


def _fk_key(columns: tuple[str, ...], ref_table: str) -> tuple[tuple[str, ...], str]:
    return tuple([_fold(c) for c in columns]), _fold(ref_table)


def _fold(name: str) -> str:
    """The key SQLite compares table and column names by (`SQLITE_RULES`: ASCII letters
    folded, nothing else), spelled fast: `str.lower` is exact on ASCII text and ~20x
    cheaper than `str.translate`, which matters at tens of thousands of names."""
    return name.lower() if name.isascii() else name.translate(_ASCII_LOWER)


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
    wanted = tuple([_fold(c) for c in columns])
    for written, name in facts.uniques:
        if tuple([_fold(c) for c in written]) == wanted:
            return name
    return None


def _index(name: str, unique: int, partial: int, rows: list[_Row], sql: str | None, context: _Context) -> Index:
    """An explicit index. Its CREATE text is scanned only when the pragmas fall short:
    for expression elements, a partial WHERE, or a collation that may be written out."""
    needs_text = partial or any(row[5] < 0 or row[8] != "BINARY" for row in rows)
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
