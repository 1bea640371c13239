"""Scratch databases filled with a synthetic schema, always removed afterwards.

Each context manager yields a URL every competitor understands and cleans up in `finally`,
so an exception, Ctrl-C or SIGTERM (see `run.py`) never leaves a 5,000-table database
behind on the server. Loading is batched (PostgreSQL) or one `executescript` inside a single
transaction (SQLite): 5,000 tables load in seconds, not minutes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import synth

PREFIX = "schemaudit_bench_"
_GROWN_CATALOGS = (
    "pg_class", "pg_attribute", "pg_attrdef", "pg_constraint", "pg_index", "pg_depend",
    "pg_type", "pg_description", "pg_sequence",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Scratch:
    """A filled scratch database: its URL and how long creating the schema took."""

    url: str
    setup_seconds: float
    from_cache: bool = False  # copied from a file built by an earlier run


def with_database(url: str, database: str) -> str:
    """`url` pointing at another database on the same server (query string kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def libpq_url(url: str) -> str:
    """The URL without a SQLAlchemy `+driver` suffix, as psycopg/libpq want it.

    Plain string work on purpose: the benchmark's child processes import this module, and
    importing SQLAlchemy there would inflate every competitor's measured memory.
    """
    scheme, sep, rest = url.partition("://")
    return "postgresql" + sep + rest if scheme.split("+", 1)[0] in ("postgresql", "postgres") else url


@contextmanager
def scratch_postgresql(admin_url: str, n: int, tables_per_batch: int = 250) -> Iterator[Scratch]:
    """A fresh database on the server of `admin_url` holding `n` synthetic tables."""
    import psycopg

    name = f"{PREFIX}{n}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(admin_url, name)
    try:
        started = time.perf_counter()
        with psycopg.connect(libpq_url(url)) as conn:
            for batch in synth.ddl_batches(n, "postgresql", tables_per_batch):
                conn.execute(batch)  # no parameters: simple protocol, many statements
                conn.commit()
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            # Fresh statistics for the catalogs that just grew by tens of thousands of rows, so
            # every tool's queries get the plans they would get on a settled server, whether
            # or not autovacuum has come by yet. (A database-wide ANALYZE would lock every
            # table in one transaction and overflow the lock table.)
            conn.execute("VACUUM ANALYZE " + ", ".join(_GROWN_CATALOGS))
        yield Scratch(url, time.perf_counter() - started)
    finally:
        with psycopg.connect(libpq_url(admin_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_sqlite(n: int, cache_dir: Path | None = None) -> Iterator[Scratch]:
    """A temporary SQLite file holding `n` synthetic tables, deleted afterwards.

    SQLite's DDL is quadratic in the schema size (every CREATE re-scans `sqlite_master` to
    parse its new entry), so building 5,000 tables takes a minute or more however it is
    batched. The built file is therefore kept in `cache_dir`, keyed by the script's hash and
    the SQLite version, and later runs start from a copy of it.
    """
    directory = Path(tempfile.mkdtemp(prefix=PREFIX))
    path = directory / f"bench_{n}.db"
    try:
        started = time.perf_counter()
        script = synth.script(n, "sqlite")
        key = hashlib.sha256(f"{sqlite3.sqlite_version}\n{script}".encode()).hexdigest()[:16]
        cached = cache_dir / f"sqlite_{n}_{key}.db" if cache_dir else None
        from_cache = cached is not None and cached.exists()
        if cached and from_cache:
            shutil.copyfile(cached, path)
        else:
            conn = sqlite3.connect(path)
            try:
                # a scratch file: no journal, no fsync; none of this persists in the file
                conn.executescript(f"PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;\n{script}COMMIT;\n")
            finally:
                conn.close()
            if cached:
                cached.parent.mkdir(parents=True, exist_ok=True)
                partial = cached.with_suffix(f".{os.getpid()}.tmp")
                shutil.copyfile(path, partial)
                partial.replace(cached)  # atomic: a concurrent run never sees half a file
        yield Scratch(f"sqlite:///{path.resolve()}", time.perf_counter() - started, from_cache)
    finally:
        for leftover in directory.iterdir():
            leftover.unlink()
        directory.rmdir()


def drop_stale_postgresql(admin_url: str) -> list[str]:
    """Drop scratch databases left by a benchmark that was killed with SIGKILL.

    Only databases whose name carries our prefix and the pid of a process that no longer
    exists are dropped, so a benchmark running concurrently keeps its database.
    """
    import psycopg

    dropped = []
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as admin:
        names = [r[0] for r in admin.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (PREFIX + "%",))]
        for name in names:
            parts = name[len(PREFIX) :].split("_")
            if len(parts) == 3 and parts[1].isdigit() and not _pid_alive(int(parts[1])):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                dropped.append(name)
    return dropped


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
