"""The objects a models source's `create_all` makes, read by a scratch server.

The statements `create_all` would run for the dialect (`ddl_objects`) run on a scratch
database of `--scratch-url`, tables and all, and the live source reads the objects back, so
the triggers, functions, views and sequences that DDL listeners create compare with a live
database's exactly as the server prints both (the same route as a DDL file, `ddl.server`).
The tables stay the ones read from the MetaData, with the ORM's facts.

Without a server, or with one of another dialect than the models are read for, the objects
stay listed as not audited, each with the reason.
"""

from __future__ import annotations

from dataclasses import replace

from schemaudit.errors import SourceError
from schemaudit.model import Schema
from schemaudit.sources import LoadOptions
from schemaudit.sources.ddl.split import Statement
from schemaudit.sources.models import TABLE_MARK
from schemaudit.sources.models.listed import NOT_AUDITED

_SERVER_DIALECT = {"postgres": "postgresql", "postgresql": "postgresql", "mysql": "mysql", "mariadb": "mysql"}
_RAN = "ran on the scratch server; what it changes is not compared"


def create_all_dialect(dialect: str, options: LoadOptions) -> str:
    """The SQLAlchemy dialect `create_all` is recorded for: the scratch server's own flavour
    (`mariadb` for a MariaDB server), so the statements run there as they would for real."""
    url = options.scratch_url
    if dialect != "mysql" or url is None or _SERVER_DIALECT.get(_backend(url)) != "mysql":
        return dialect
    from schemaudit.sources.scratch import is_mariadb  # imports SQLAlchemy: only with a server

    return "mariadb" if is_mariadb(url) else "mysql"


def _backend(url: str) -> str:
    return url.split(":", 1)[0].split("+", 1)[0].lower()


def with_scratch_objects(schema: Schema, statements: list[str], label: str, options: LoadOptions) -> Schema:
    url = options.scratch_url
    if url is None:
        return schema
    from schemaudit.sources.scratch import is_sqlite  # imports SQLAlchemy: only with a server

    if is_sqlite(url) or not any(o.reason == NOT_AUDITED for o in schema.not_audited):
        return schema
    kind = _SERVER_DIALECT.get(_backend(url))
    if kind != schema.dialect:
        raise SourceError(
            f"{label}: the models are read for {schema.dialect} but the scratch server is not "
            f"{schema.dialect}; pass --dialect to match it, or a scratch server of that dialect"
        )
    from schemaudit.sources.ddl.server import with_server_objects

    numbered = [Statement(text.removeprefix(TABLE_MARK), n) for n, text in enumerate(statements, 1)]
    read = with_server_objects(
        schema, numbered, label, options, place=lambda s: f"{label}: create_all statement {s.line} ({_head(s.text)})"
    )
    kept = [replace(o, reason=_RAN) if o.reason == NOT_AUDITED else o for o in read.not_audited]
    # a view the models name but cannot define (a Table marked as one) is still only listed
    kept += [o for o in schema.not_audited if o.reason not in (None, NOT_AUDITED) and o not in kept]
    return replace(read, not_audited=tuple(sorted(kept, key=lambda o: (o.kind, o.name, o.table or ""))))


def _head(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= 60 else words[:57] + "..."
