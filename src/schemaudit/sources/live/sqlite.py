"""Source `sqlite:///relative.db`, `sqlite:////absolute.db` or a bare `app.db`: a live file.

The file is opened strictly read-only and never created; a cleanly closed WAL-mode file is
read without leaving -wal/-shm files behind. Reading its catalog into the model, in bulk, is
`sqlite_catalog`'s job; `read_schema` is re-exported here for the sources that build a
scratch database and read it back exactly as a live file is read.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from schemaudit.errors import SourceError
from schemaudit.model import Schema
from schemaudit.sources import LoadOptions
from schemaudit.sources.live.sqlite_catalog import read_schema

__all__ = ["load", "open_read_only", "read_schema", "sqlite_path"]

_MAGIC = b"SQLite format 3\x00"
_URL_SCHEME = re.compile(r"sqlite(\+[\w.-]+)?:", re.IGNORECASE)
_IMMUTABLE_ATTEMPTS = 2  # a writer racing twice with one read gets the normal read instead


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


def open_reading(path: str) -> sqlite3.Connection:
    """A read-only connection that leaves no trace: immutable when no `-wal` file exists (a
    plain read-only open of a WAL-mode file creates `-wal` and `-shm` and cannot remove
    them), else read-only through the existing WAL."""
    return open_read_only(path, immutable=not os.path.exists(path + "-wal"))


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
