"""Run a SQLite DDL file in many small in-memory databases instead of one large one.

SQLite's own DDL is quadratic in the size of the schema: every CREATE TABLE and CREATE
INDEX ends by re-reading its new row from `sqlite_schema` with a query that scans the whole
table (`tbl_name='x' AND type!='trigger'`; the table has no index), whether or not the
statements share one transaction. 5,000 tables with two indexes each take about 40 times
as long as 1,000. Most schema statements only need the objects of one table, though: a
CREATE TABLE checks nothing outside itself (foreign keys and view bodies are checked
only when used), a CREATE INDEX, CREATE TRIGGER or ALTER TABLE ... ADD COLUMN needs only
its table, a DROP only what it drops. So each statement runs in the *shard* that holds the
objects it names, new tables fill one shard at a time, and no shard grows past a few
hundred rows. Names stay unique across shards because each new name is checked against
every shard (tables, views and indexes share one namespace in SQLite, triggers another).

When a statement could reach beyond its shard (ALTER TABLE ... RENAME rewrites other
tables' references, CREATE TABLE ... AS SELECT reads other tables, TEMP objects, another
schema), a name clashes across shards, a name is written in a way this module does not
read, or a statement fails, `run` gives up and the caller runs the whole file in one
database, as SQLite would. So the result is always what one database would hold; the
shards are only how it is computed.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlglot.tokenizer_core import TokenType

from schemaudit.sources.ddl.tokens import Tokens

SHARD_ROWS = 128  # `sqlite_schema` rows per shard before the next new table opens another
_NAME_TOKENS = frozenset({TokenType.VAR, TokenType.IDENTIFIER, TokenType.STRING})
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*\Z")
_NEW_ROWS = "SELECT rowid, type, name FROM sqlite_schema WHERE rowid > ?"
_ALL_ROWS = "SELECT rowid, type, name FROM sqlite_schema"


@dataclass(frozen=True, slots=True)
class Route:
    """Where a statement runs. With an `owner` (a table or view): in its shard. Without
    one: where `name` is, or else in the newest shard (a new object; a DROP of nothing).
    `name` is what it creates or drops, in the trigger namespace if `trigger`."""

    owner: str | None
    name: str | None = None
    trigger: bool = False
    drops: bool = False


@dataclass(slots=True)
class _Shard:
    conn: sqlite3.Connection
    last_rowid: int = 0
    rows: int = 0
    names: set[str] = field(default_factory=set)
    triggers: set[str] = field(default_factory=set)


class Shards:
    """Small in-memory databases that together hold one schema, and which holds each name."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], rows_per_shard: int = SHARD_ROWS) -> None:
        self._connect = connect
        self._limit = rows_per_shard
        self.shards: list[_Shard] = []
        self._names: dict[str, int] = {}  # folded table, view and index names -> shard
        self._triggers: dict[str, int] = {}

    @property
    def connections(self) -> list[sqlite3.Connection]:
        return [shard.conn for shard in self.shards]

    def run(self, text: str, route: Route) -> bool:
        """Run one statement in its shard; False when one database could do otherwise
        (the statement failed, or what it made clashes with another shard's name)."""
        index = self._place(route)
        if index is None:
            return False
        shard = self.shards[index]
        try:
            shard.conn.execute(text)
        except (sqlite3.Error, sqlite3.Warning):
            return False
        if route.drops:
            self._forget(index)
            return self._learn(index, shard.conn.execute(_ALL_ROWS).fetchall())
        return self._learn(index, shard.conn.execute(_NEW_ROWS, (shard.last_rowid,)).fetchall())

    def close(self) -> None:
        for shard in self.shards:
            shard.conn.close()

    def _place(self, route: Route) -> int | None:
        namespace = self._triggers if route.trigger else self._names
        held = namespace.get(fold(route.name)) if route.name is not None else None
        if route.owner is not None:
            owner = self._names.get(fold(route.owner))
            if owner is None:
                return None  # no such table here: one database says so, in its words
            return owner if held in (None, owner) else None
        if held is not None:
            return held  # a DROP; or "already exists" (IF NOT EXISTS: nothing), where it exists
        if not self.shards or self.shards[-1].rows >= self._limit:
            self.shards.append(_Shard(self._connect()))
        return len(self.shards) - 1

    def _learn(self, index: int, rows: list[tuple[int, str, str]]) -> bool:
        """Record the rows a statement added to shard `index`'s `sqlite_schema`."""
        shard = self.shards[index]
        for rowid, kind, name in rows:
            shard.last_rowid = max(shard.last_rowid, rowid)
            key = fold(name)
            if key.startswith("sqlite_"):  # SQLite's own (sqlite_sequence in every shard
                shard.rows += 1  # that has an AUTOINCREMENT table); never a user's name
                continue
            namespace, mine = (self._triggers, shard.triggers) if kind == "trigger" else (self._names, shard.names)
            if namespace.setdefault(key, index) != index:
                return False
            mine.add(key)
            shard.rows += 1
        return True

    def _forget(self, index: int) -> None:
        shard = self.shards[index]
        for key in shard.names:
            del self._names[key]
        for key in shard.triggers:
            del self._triggers[key]
        shard.names.clear()
        shard.triggers.clear()
        shard.last_rowid = shard.rows = 0


def fold(name: str) -> str:
    """SQLite's comparison key for a name: ASCII letters folded, nothing else."""
    return name.lower() if name.isascii() else "".join(c.lower() if c.isascii() else c for c in name)


def route(tokens: Tokens, words: Sequence[str]) -> Route | None:
    """Where a schema statement can run alone, or None when it may need every object."""
    try:
        if words[:1] == ("CREATE",):
            return _create(tokens)
        if words[:2] == ("ALTER", "TABLE"):
            name, i = _name(tokens, 2)
            return Route(owner=name) if tokens.word(i) == "ADD" else None
        if words[:1] == ("DROP",) and tokens.word(1) in ("TABLE", "VIEW", "INDEX", "TRIGGER"):
            i = 4 if tokens.word(2) == "IF" and tokens.word(3) == "EXISTS" else 2
            name, i = _name(tokens, i)
            return Route(None, name, trigger=tokens.word(1) == "TRIGGER", drops=True) if i == len(tokens) else None
    except _Unplaced:
        return None
    return None


def _create(tokens: Tokens) -> Route | None:
    i = 1
    if tokens.word(i) == "UNIQUE":
        i += 1
    elif tokens.word(i) == "VIRTUAL":
        i += 1
        if tokens.word(i) != "TABLE":
            return None
    kind = tokens.word(i)
    i += 1
    if tokens.word(i) == "IF" and tokens.word(i + 1) == "NOT" and tokens.word(i + 2) == "EXISTS":
        i += 3
    name, i = _name(tokens, i)
    if kind in ("TABLE", "VIEW"):
        if kind == "TABLE" and tokens.word(i) == "AS":
            return None  # CREATE TABLE ... AS SELECT reads other tables
        return Route(None, name)
    if kind == "INDEX" and tokens.word(i) == "ON":
        table, _ = _name(tokens, i + 1)
        return Route(table, name)
    if kind == "TRIGGER":
        on = tokens.words.index("ON", i) if "ON" in tokens.words[i:] else -1
        if on < 0:
            return None
        table, _ = _name(tokens, on + 1)
        return Route(table, name, trigger=True)
    return None  # TEMP objects live in another schema, which the catalog reader does not read


class _Unplaced(Exception):
    """A name this module does not read the way SQLite does."""


def _name(tokens: Tokens, i: int) -> tuple[str, int]:
    """The name at token `i` (`main.` allowed before it) and the index after it."""
    if i + 1 < len(tokens) and tokens.tokens[i + 1].token_type == TokenType.DOT:
        if fold(_one(tokens, i)) != "main":
            raise _Unplaced
        i += 2
    return _one(tokens, i), i + 1


def _one(tokens: Tokens, i: int) -> str:
    if i >= len(tokens):
        raise _Unplaced
    token = tokens.tokens[i]
    if token.token_type in _NAME_TOKENS or _PLAIN.match(token.text):
        return token.text
    raise _Unplaced
