"""SQLite DDL files: run in scratch in-memory databases, read back like a live file.

SQLite's own parser is the only one that accepts exactly what SQLite accepts (bare
`CREATE TABLE t (a, b)`, `[bracket]` names, type names it never checks), and the live
source already reads every fact from the catalog it builds, so a file and the database
built from it cannot differ. What the catalog does not know is where each definition was
written; those origins (file:line of tables, columns and indexes) are taken from the
statements and attached afterwards. The statements run in many small databases rather
than one (`sqlite_shards`: SQLite's DDL is quadratic in the size of one schema), read
back together as the one database they stand for.

Only schema statements are run: data, transactions and pragmas are skipped, and the
authorizer refuses ATTACH and DETACH, so a file can never reach another database file.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing, suppress
from dataclasses import replace

from sqlglot.tokenizer_core import TokenType

from schemaudit.model import Origin, Schema, Table
from schemaudit.sources.ddl.alter import read_name
from schemaudit.sources.ddl.catalog import Catalog, Problem
from schemaudit.sources.ddl.names import DefinitionError
from schemaudit.sources.ddl.split import Statement
from schemaudit.sources.ddl.sqlite_shards import SHARD_ROWS, Shards, route
from schemaudit.sources.ddl.tokens import Tokens
from schemaudit.sources.live.sqlite import read_schema
from schemaudit.sources.live.sqlite_catalog import read_shards

_SKIP = frozenset(
    {
        "INSERT", "UPDATE", "DELETE", "REPLACE", "SELECT", "WITH", "VALUES", "BEGIN", "COMMIT",
        "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA", "VACUUM", "ANALYZE", "REINDEX",
        "ATTACH", "DETACH", "EXPLAIN",
    }
)  # fmt: skip
_DENIED = frozenset({sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH})


def build(statements: list[Statement], path: str, rows_per_shard: int = SHARD_ROWS) -> tuple[Schema, list[Problem]]:
    """The schema the statements create, and the statements SQLite refused.

    The statements run in small databases (`sqlite_shards`), which keeps SQLite's DDL
    linear in the size of the file; when they cannot, and whenever one fails, the whole
    file runs again in one database, the result the shards stand for."""
    runnable = [s for s in statements if _runs(s)]
    schema = build_in_shards(runnable, path, rows_per_shard)
    return (schema, []) if schema is not None else build_in_one(runnable, path)


def build_in_one(statements: list[Statement], path: str) -> tuple[Schema, list[Problem]]:
    """All the schema statements in one in-memory database, in order."""
    origins = StatementOrigins()
    problems: list[Problem] = []
    with closing(_connect()) as conn:
        for statement in statements:
            try:
                conn.execute(statement.text)
            except (sqlite3.Error, sqlite3.Warning) as exc:
                text = " ".join(statement.text.split())[:80]
                problems.append(Problem(statement.line, text, " ".join(str(exc).split())))
                continue
            origins.note(statement)
        schema = read_schema(conn, origin=path)
    return _placed(schema, origins, path), problems


def build_in_shards(statements: list[Statement], path: str, rows_per_shard: int = SHARD_ROWS) -> Schema | None:
    """The same schema, built in shards of about `rows_per_shard` objects; None when a
    statement needs one database (see `sqlite_shards`)."""
    origins = StatementOrigins()
    shards = Shards(_connect, rows_per_shard)
    try:
        for statement in statements:
            try:
                tokens = Tokens(statement.text, "sqlite")
            except ValueError:  # sqlglot cannot lex it: SQLite decides, in one database
                return None
            where = route(tokens, statement.head(3))
            if where is None or not shards.run(statement.text, where):
                return None
            origins.note(statement, tokens=tokens)
        return _placed(read_shards(shards.connections, origin=path), origins, path)
    finally:
        shards.close()


def _runs(statement: Statement) -> bool:
    """A schema statement: data, transactions, pragmas and client commands are skipped."""
    words = statement.head(1)
    return bool(words) and words[0] not in _SKIP and not words[0].startswith((".", "\\"))


def _connect() -> sqlite3.Connection:
    """A scratch database. Python keeps up to 128 prepared statements per connection by
    default, each CREATE among them, across a hundred shards: tens of MB for nothing,
    since no CREATE runs twice. A few cover the one query a shard runs again and again."""
    conn = sqlite3.connect(":memory:", isolation_level=None, cached_statements=4)
    conn.set_authorizer(_authorize)
    return conn


def _placed(schema: Schema, origins: StatementOrigins, path: str) -> Schema:
    return replace(schema, tables=tuple(origins.apply(t, path) for t in schema.tables))


def _authorize(action: int, *_: object) -> int:
    return sqlite3.SQLITE_DENY if action in _DENIED else sqlite3.SQLITE_OK


class StatementOrigins:
    """Lines of the statements that created each table, column and index (the first
    creation wins). With `exact=False` the statement's line is only where it was run from
    (a Python call), so its columns get that line too instead of lines inside it."""

    def __init__(self) -> None:
        self.tables: dict[str, int] = {}
        self.columns: dict[tuple[str, str], int] = {}
        self.indexes: dict[str, int] = {}
        self._catalog = Catalog("", "sqlite", None)

    def note(self, statement: Statement, exact: bool = True, tokens: Tokens | None = None) -> None:
        """Note what `statement` created (`tokens`: its tokens, if already made)."""
        words = statement.head(3)
        if words[:1] != ("CREATE",) and words[:2] != ("ALTER", "TABLE"):
            return
        with suppress(DefinitionError, ValueError):  # SQLite accepted it; an unplaceable origin is left out
            self._note(statement, words, tokens if tokens is not None else Tokens(statement.text, "sqlite"), exact)

    def _note(self, statement: Statement, words: tuple[str, ...], tokens: Tokens, exact: bool) -> None:
        catalog = self._catalog
        key = catalog.rules.table_key
        i = 1
        while tokens.word(i) in ("TEMP", "TEMPORARY", "UNIQUE", "VIRTUAL"):
            i += 1
        kind = tokens.word(i)
        i += 1
        while tokens.word(i) in ("IF", "NOT", "EXISTS"):
            i += 1
        name, i = read_name(tokens, i, catalog)
        if words[0] == "ALTER":
            if tokens.word(i) == "ADD":
                i += 2 if tokens.word(i + 1) == "COLUMN" else 1
                column, _ = read_name(tokens, i, catalog)
                offset = tokens.line(i) - 1 if exact else 0
                self.columns.setdefault((key(name.name), key(column.name)), statement.line + offset)
            return
        if kind == "INDEX":
            self.indexes.setdefault(key(name.name), statement.line)
        elif kind == "TABLE" and name.name and key(name.name) not in self.tables:
            self.tables[key(name.name)] = statement.line
            if i < len(tokens) and tokens.tokens[i].token_type == TokenType.L_PAREN:
                for span in tokens.items(i):
                    first = tokens.tokens[span.start]
                    offset = first.line - 1 if exact else 0
                    self.columns.setdefault((key(name.name), key(first.text)), statement.line + offset)

    def apply(self, table: Table, path: str) -> Table:
        """The table with the origins noted for it, its columns and its indexes."""
        key = table.name.lower()
        line = self.tables.get(key)
        origin = Origin(path, line) if line else None
        columns = tuple(
            replace(
                c,
                origin=Origin(path, self.columns[key, c.name.lower()])
                if (key, c.name.lower()) in self.columns
                else origin,
            )
            for c in table.columns
        )
        indexes = tuple(
            replace(i, origin=Origin(path, self.indexes[i.name.lower()])) if i.name.lower() in self.indexes else i
            for i in table.indexes
        )
        return replace(table, columns=columns, indexes=indexes, origin=origin)
