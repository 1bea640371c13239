"""A DDL file's views, routines, triggers (and on PostgreSQL sequences, types and policies;
on MySQL/MariaDB events), printed by a server: the file runs on a scratch database
(`--scratch-url`) and the live source reads the objects back, so they compare with a live
database's exactly as the server prints both.

A MySQL dump names its own database (`CREATE SCHEMA sakila; USE sakila;`, and views that
read `sakila.film`): those statements are skipped and the name is read as the scratch
database's, so the objects land there and read back without it. Rows (INSERT, LOCK TABLES)
are skipped: no object needs them.

Without a scratch server, a view query or a function written by hand is spelled differently
from how the server prints it, and comparing the two texts would call every object changed:
a PostgreSQL file's functions, triggers, sequences, enum types and extensions are then read
fact by fact from the text (`text_objects`), and the rest stays listed as not audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from schemaudit.errors import SourceError, mask_secrets
from schemaudit.model import Schema
from schemaudit.sources import LoadOptions
from schemaudit.sources.ddl.split import Statement
from schemaudit.sources.scratch import is_sqlite, scratch_database

# not-audited kinds of a file that the server reads as objects
_MODELLED = frozenset(
    {
        "view",
        "materialized view",
        "function",
        "procedure",
        "aggregate",
        "trigger",
        "policy",
        "domain",
        "sequence",
        "extension",
        "enum",
        "event",
    }
)
Place = Callable[[Statement], str]
_SKIPPED = ("COPY ", "\\")  # data and psql meta-commands: nothing the objects need


def with_server_objects(
    schema: Schema, statements: list[Statement], path: str, options: LoadOptions, place: Place | None = None
) -> Schema:
    """`schema` with the objects the scratch server reads from the file, when one is given.
    `place` names a statement in a refusal (default `path:line`)."""
    url = options.scratch_url
    where = place or (lambda statement: f"{path}:{statement.line}")
    if url is None or is_sqlite(url):
        return schema
    if url.lower().startswith("mysql"):
        from schemaudit.sources.ddl.server_mysql import read_objects

        return _merged(schema, read_objects(statements, where, url, schema.name))
    if not url.lower().startswith(("postgres", "postgresql")):
        return schema
    import psycopg

    with scratch_database(url) as scratch:
        with psycopg.connect(scratch.live_spec, autocommit=True) as conn:
            for statement in statements:
                if statement.text.lstrip().upper().startswith(_SKIPPED):
                    continue
                try:
                    conn.execute(statement.text)
                except psycopg.Error as exc:
                    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                    reason = mask_secrets(first, scratch.password)
                    raise SourceError(f"{where(statement)}: the scratch server refused it: {reason}") from None
        from schemaudit.sources.live.postgresql import load as load_live

        read = load_live(scratch.live_spec, LoadOptions(schema=schema.name or "public"))
    return _merged(schema, read)


def _merged(schema: Schema, read: Schema) -> Schema:
    """The file's schema with the objects the server read, and what it still lists."""
    kept = [o for o in schema.not_audited if o.kind not in _MODELLED]
    seen = {(o.kind, o.name, o.table) for o in kept}
    kept += [o for o in read.not_audited if (o.kind, o.name, o.table) not in seen]
    ordered = tuple(sorted(kept, key=lambda o: (o.kind, o.name, o.table or "")))
    return replace(schema, objects=read.objects, not_audited=ordered)
