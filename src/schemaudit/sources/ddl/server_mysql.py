"""Run a MySQL/MariaDB DDL file on a scratch database and read its objects back (see
`server`): the statements go through one session in file order, so the file's own
`SET SQL_MODE=...` is the mode its triggers and routines are created under, as when the
database's own client runs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from schemaudit.errors import SourceError, mask_secrets
from schemaudit.model import Schema
from schemaudit.sources import LoadOptions
from schemaudit.sources.ddl.split import Statement
from schemaudit.sources.scratch import scratch_database

# the file's own database, and rows: nothing the objects need
_SKIPPED = re.compile(
    r"\s*(?:USE\b|(?:CREATE|DROP)\s+(?:DATABASE|SCHEMA)\b|INSERT\b|REPLACE\s+INTO\b|(?:UN)?LOCK\s+TABLES?\b|source\b)",
    re.IGNORECASE,
)


def read_objects(
    statements: list[Statement], where: Callable[[Statement], str], url: str, database: str | None
) -> Schema:
    """The schema the live source reads from a scratch database the file was run on."""
    import pymysql

    from schemaudit.sources.live.mysql import _connect_args, load
    from schemaudit.sources.urls import parse_db_url

    with scratch_database(url) as scratch:
        args = _connect_args(parse_db_url(scratch.live_spec))
        conn = pymysql.connect(**{**args, "database": scratch.name, "autocommit": True})
        own = _own_name(database)
        try:
            with conn.cursor() as cur:
                for statement in statements:
                    if _SKIPPED.match(statement.text):
                        continue
                    text = own.sub(f"`{scratch.name}`.", statement.text) if own else statement.text
                    try:
                        cur.execute(text)
                    except pymysql.MySQLError as exc:
                        reason = mask_secrets(str(exc.args[-1] if exc.args else exc), scratch.password)
                        raise SourceError(f"{where(statement)}: the scratch server refused it: {reason}") from None
        finally:
            conn.close()
        return load(scratch.live_spec, LoadOptions())


def _own_name(database: str | None) -> re.Pattern[str] | None:
    """`sakila.` or `` `sakila`. `` before a name: the file's database, named in full."""
    if not database:
        return None
    word = re.escape(database)
    return re.compile(rf"(?<![\w$.`])(?:`{word}`|{word})\.(?=[`\w$])", re.IGNORECASE)
