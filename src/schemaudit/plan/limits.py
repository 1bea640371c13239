"""Names the database would shorten or refuse, found before anything runs.

PostgreSQL silently truncates an identifier to 63 bytes (NAMEDATALEN - 1), so a plan that
creates a 70-character table creates another name and never converges; MariaDB/MySQL refuse
names over 64 characters half-way through a plan. A plan whose target holds such a name is
refused with one line naming it. SQLite has no limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import attrgetter

from schemaudit.errors import SchemauditError
from schemaudit.model import Schema, Table

_NAME = attrgetter("name")
_LIMITS = {"postgresql": (63, "bytes"), "mysql": (64, "characters")}


def check_names(target: Schema, dialect: str) -> None:
    limit = _LIMITS.get(dialect)
    if limit is None:
        return
    most, unit = limit
    suspects = [t for t in target.tables if _longest(t, unit == "bytes") > most]
    for what, table, name in _names(suspects):
        size = len(name) if unit == "characters" or name.isascii() else len(name.encode("utf-8"))
        if size > most:
            label = f"column {table[:20]}." if what == "column" else what
            raise SchemauditError(
                f"{label} {name[:40]}... is {size} {unit} long; {dialect} allows {most} "
                f"({'it would be cut short silently' if dialect == 'postgresql' else 'it would fail'}): "
                "shorten it in the target"
            )


def _longest(t: Table, in_bytes: bool) -> int:
    """At least the size of the table's longest name: most tables are cleared by it without
    a look at each name (a 5,000-table target has 100,000). UTF-8 spends at most 4 bytes on
    a character, 1 on an ASCII one."""
    keys = [k.name for group in (t.foreign_keys, t.uniques, t.checks) for k in group if k.name]
    names = [t.name, *map(_NAME, t.columns), *map(_NAME, t.indexes), *keys]
    longest = max(map(len, names))
    return longest * 4 if in_bytes and not "".join(names).isascii() else longest


def _names(tables: Iterable[Table]) -> Iterator[tuple[str, str, str]]:
    """(what, table, name) of every name a plan may create in `tables`."""
    for t in tables:
        yield "table", t.name, t.name
        for c in t.columns:
            yield "column", t.name, c.name
        for i in t.indexes:
            yield "index", t.name, i.name
        for group in (t.foreign_keys, t.uniques, t.checks):
            for k in group:
                if k.name:
                    yield "constraint", t.name, k.name
