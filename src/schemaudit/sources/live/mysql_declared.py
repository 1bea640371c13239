"""What `information_schema` does not say about MySQL/MariaDB keys: the options as declared.

`KEY ix (a) USING BTREE` and `KEY ix (a)` are one B-tree to InnoDB, and STATISTICS reports
`BTREE` for both (for `USING HASH` too), but the server keeps the words and prints them in
SHOW CREATE TABLE, as it does `KEY_BLOCK_SIZE=8`. A plan that should leave the catalog as the
target's must know them, so they are read from SHOW CREATE TABLE: every table's statement
goes to the server in one round trip (where the connection allows several statements per
query, as the source's own does), so the number of round trips stays fixed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

MULTI_STATEMENTS = 1 << 16  # the client flag (pymysql.constants.CLIENT.MULTI_STATEMENTS)
_KEY = re.compile(r"^\s*(?:(PRIMARY) KEY|(?:UNIQUE |FULLTEXT |SPATIAL )?KEY `((?:[^`]|``)+)`)\s*\(")
_USING = re.compile(r"\bUSING (\w+)")
_BLOCK = re.compile(r"\bKEY_BLOCK_SIZE=(\d+)")


def read_create_statements(cur: Any, database: str, tables: Sequence[str]) -> list[tuple[str, str]]:
    """(table, SHOW CREATE TABLE text) for `tables`, in one round trip where the connection
    takes several statements at once, else one statement per table."""
    if not tables:
        return []
    queries = [f"SHOW CREATE TABLE {_q(database)}.{_q(t)}" for t in tables]
    out: list[tuple[str, str]] = []
    flags = getattr(getattr(cur, "connection", None), "client_flag", 0)
    if flags & MULTI_STATEMENTS:
        cur.execute(";\n".join(queries))
        while True:
            out.extend((str(r[0]), str(r[1])) for r in cur.fetchall())
            if not cur.nextset():
                return out
    for query in queries:
        cur.execute(query)
        out.extend((str(r[0]), str(r[1])) for r in cur.fetchall())
    return out


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def declared_options(create: str) -> dict[str, tuple[str, ...]]:
    """Key name ("PRIMARY" for the primary key) -> its options as the server prints them,
    `USING ...` first, then `KEY_BLOCK_SIZE=n`; keys without any are left out."""
    out: dict[str, tuple[str, ...]] = {}
    for line in create.splitlines():
        match = _KEY.match(line)
        if not match:
            continue
        rest = line[_close(line, match.end() - 1) + 1 :]
        rest = rest.split(" COMMENT '", 1)[0]  # the comment is read from STATISTICS
        using, block = _USING.search(rest), _BLOCK.search(rest)
        options = ((f"USING {using.group(1).upper()}",) if using else ()) + (
            (f"KEY_BLOCK_SIZE={block.group(1)}",) if block else ()
        )
        if options:
            out["PRIMARY" if match.group(1) else match.group(2).replace("``", "`")] = options
    return out


def _close(line: str, at: int) -> int:
    """Index of the parenthesis closing the one at `at` (quoted names and strings skipped)."""
    depth, quote = 0, ""
    for i in range(at, len(line)):
        ch = line[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "`'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(line) - 1
