"""Names the database would shorten or refuse, found before anything runs.

PostgreSQL silently truncates an identifier to 63 bytes (NAMEDATALEN - 1), so a plan that
creates a 70-character table creates another name and never converges; MariaDB/MySQL refuse
names over 64 characters half-way through a plan. A plan whose target holds such a name is
refused with one line naming it. SQLite has no limit.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemaudit.errors import SchemauditError
from schemaudit.model import Schema

_LIMITS = {"postgresql": (63, "bytes"), "mysql": (64, "characters")}


def check_names(target: Schema, dialect: str) -> None:
    limit = _LIMITS.get(dialect)
    if limit is None:
        return
    most, unit = limit
    for what, name in _names(target):
        size = len(name.encode("utf-8")) if unit == "bytes" else len(name)
        if size > most:
            raise SchemauditError(
                f"{what} {name[:40]}... is {size} {unit} long; {dialect} allows {most} "
                f"({'it would be cut short silently' if dialect == 'postgresql' else 'it would fail'}): "
                "shorten it in the target"
            )


def _names(schema: Schema) -> Iterator[tuple[str, str]]:
    for t in schema.tables:
        yield "table", t.name
        for c in t.columns:
            yield f"column {t.name[:20]}.", c.name
        for i in t.indexes:
            yield "index", i.name
        for group in (t.foreign_keys, t.uniques, t.checks):
            for k in group:
                if k.name:
                    yield "constraint", k.name
