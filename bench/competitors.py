"""The ways of reading a schema that the benchmark times, each run in a fresh child process.

A fresh `python -m bench.competitors KEY URL` per sample means no competitor benefits from
another's warm caches or pays for its garbage, and the child's peak RSS (VmHWM) is the
memory *that* tool needed. Imports happen in `prepare()`, before the clock starts, for every
competitor alike: we compare reading a catalog, not interpreter start-up. Connecting is
inside the timed part, because every tool has to connect.

Every `run()` returns the number of tables it found; the parent checks it against the size
of the synthetic schema, so a tool that silently read nothing can never look fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.databases import libpq_url

ROOT = Path(__file__).resolve().parents[1]
PG_SCHEMA = "public"


@dataclass(frozen=True, slots=True)
class Competitor:
    key: str
    label: str
    dialects: tuple[str, ...]
    prepare: Callable[[str], None]  # (dialect) -> None: imports, outside the timer
    run: Callable[[str], int]  # (url) -> number of tables read
    description: str
    slow: bool = False  # may be skipped above --skip-slow-above
    floor: bool = False
    module: str | None = None  # a module that must import for the competitor to be available


@dataclass(frozen=True, slots=True)
class Sample:
    """One child run. `status` is "ok", "timeout" or "error" (then `message` says why)."""

    status: str
    seconds: float | None = None
    cpu_seconds: float | None = None
    peak_rss_mb: float | None = None
    base_rss_mb: float | None = None
    tables: int | None = None
    message: str | None = None


# --- schemaudit ----------------------------------------------------------------------------


def _schemaudit_prepare(dialect: str) -> None:
    # Modules the live sources import lazily on first use: urls pulls in SQLAlchemy (0.2-0.5 s)
    # and type parsing loads sqlglot's dialect module (~0.05 s). Imports are not what we time.
    sqlglot_dialect = "postgres" if dialect == "postgresql" else dialect
    for module in (
        f"schemaudit.sources.live.{dialect}",
        "schemaudit.sources.urls",
        f"sqlglot.dialects.{sqlglot_dialect}",
    ):
        importlib.import_module(module)


def _schemaudit_run(url: str) -> int:
    from schemaudit.sources import load

    return len(load(url).tables)


# --- SQLAlchemy ----------------------------------------------------------------------------


def _sa_url(url: str) -> str:
    """Same driver as schemaudit on PostgreSQL (psycopg 3), so the comparison is of the tools."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def _sa_prepare(dialect: str) -> None:
    import sqlalchemy

    sqlalchemy.create_engine(_sa_url("postgresql://x@localhost/x" if dialect == "postgresql" else "sqlite://"))


def _sa_reflect_run(url: str) -> int:
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(_sa_url(url))
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        return len(metadata.tables)
    finally:
        engine.dispose()


def _sa_multi_run(url: str) -> int:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(_sa_url(url))
    try:
        with engine.connect() as conn:
            insp = inspect(conn)
            columns = insp.get_multi_columns()
            insp.get_multi_pk_constraint()
            insp.get_multi_foreign_keys()
            insp.get_multi_indexes()
            insp.get_multi_unique_constraints()
            insp.get_multi_check_constraints()
            return len(columns)
    finally:
        engine.dispose()


# --- migra's inspector (PostgreSQL only) ---------------------------------------------------


def _migra_prepare(dialect: str) -> None:
    import schemainspect  # noqa: F401
    import sqlbag  # noqa: F401


def _migra_run(url: str) -> int:
    """What `migra` does to each side: schemainspect over a sqlbag session (psycopg2)."""
    from schemainspect import get_inspector
    from sqlbag import S

    with S(libpq_url(url)) as session:
        inspected = get_inspector(session)
        return sum(1 for t in inspected.tables.values() if t.schema == PG_SCHEMA)


# --- the floor: bare bulk catalog queries --------------------------------------------------

_PG_FLOOR = (
    """SELECT c.oid, c.relname, c.relkind, obj_description(c.oid, 'pg_class')
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p')""",
    """SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
              pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
              col_description(a.attrelid, a.attnum)
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped""",
    """SELECT con.conrelid, con.conname, con.contype, pg_get_constraintdef(con.oid), con.conkey,
              con.confrelid, con.confkey, con.confupdtype, con.confdeltype
       FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
       WHERE n.nspname = %(schema)s AND con.conrelid <> 0""",
    """SELECT i.indrelid, ic.relname, i.indisunique, i.indisprimary, pg_get_indexdef(i.indexrelid),
              pg_get_expr(i.indpred, i.indrelid)
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = ic.relnamespace
       WHERE n.nspname = %(schema)s""",
)

# sqlite_master rather than its 3.33+ alias sqlite_schema: same table, works on every SQLite.
_SQLITE_FLOOR = (
    """SELECT m.name, p.cid, p.name, p.type, p."notnull", p.dflt_value, p.pk, p.hidden
       FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p
       WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'""",
    """SELECT m.name, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete
       FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
       WHERE m.type = 'table'""",
    """SELECT m.name, il.name, il."unique", il.origin, il.partial,
              ii.seqno, ii.cid, ii.name, ii."desc", ii.coll, ii.key
       FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ii
       WHERE m.type = 'table'""",
    "SELECT type, name, tbl_name, sql FROM sqlite_master",
)


def _floor_prepare(dialect: str) -> None:
    if dialect == "postgresql":
        import psycopg  # noqa: F401


def _floor_run(url: str) -> int:
    """The least any bulk reader must do: the catalog rows, fetched as Python tuples."""
    if url.startswith("sqlite:"):
        import sqlite3

        path = url.split(":///", 1)[1]
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            results = [db.execute(q).fetchall() for q in _SQLITE_FLOOR]
        finally:
            db.close()
        return sum(1 for row in results[3] if row[0] == "table" and not row[1].startswith("sqlite_"))
    import psycopg

    with psycopg.connect(libpq_url(url)) as conn:
        conn.read_only = True
        results = [conn.execute(q, {"schema": PG_SCHEMA}).fetchall() for q in _PG_FLOOR]
    return len(results[0])


COMPETITORS: dict[str, Competitor] = {
    c.key: c
    for c in (
        Competitor(
            "floor",
            "bare catalog queries (floor)",
            ("postgresql", "sqlite"),
            _floor_prepare,
            _floor_run,
            "the minimal bulk catalog queries, rows fetched as tuples, no model built",
            floor=True,
        ),
        Competitor(
            "schemaudit",
            "schemaudit load()",
            ("postgresql", "sqlite"),
            _schemaudit_prepare,
            _schemaudit_run,
            "`schemaudit.sources.load(url)`: what `schemaudit inspect` does before printing",
            module="schemaudit.sources.live.{dialect}",
        ),
        Competitor(
            "sa-multi",
            "SQLAlchemy get_multi_*",
            ("postgresql", "sqlite"),
            _sa_prepare,
            _sa_multi_run,
            "one `Inspector.get_multi_*` call each for columns, PK, FKs, indexes, uniques, checks",
            module="sqlalchemy",
        ),
        Competitor(
            "sa-reflect",
            "SQLAlchemy MetaData.reflect()",
            ("postgresql", "sqlite"),
            _sa_prepare,
            _sa_reflect_run,
            "`MetaData().reflect(engine)`: full Table objects, as Alembic autogenerate does",
            slow=True,
            module="sqlalchemy",
        ),
        Competitor(
            "migra",
            "migra (schemainspect)",
            ("postgresql",),
            _migra_prepare,
            _migra_run,
            "`schemainspect.get_inspector(sqlbag.S(url))`, the inspection migra runs per side",
            module="schemainspect",
        ),
    )
}


def unavailable(competitor: Competitor, dialect: str) -> str | None:
    """Why a competitor cannot run here (a missing module), or None when it can."""
    if competitor.module is None:
        return None
    module = competitor.module.format(dialect=dialect)
    try:
        if importlib.util.find_spec(module) is None:
            return f"{module} not found"
    except ModuleNotFoundError as exc:
        return str(exc)
    return None


def measure(key: str, url: str, timeout: float) -> Sample:
    """Run one competitor once in a fresh interpreter and collect its figures."""
    cmd = [sys.executable, "-m", "bench.competitors", key, url]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
    except subprocess.TimeoutExpired:
        return Sample("timeout", message=f"no result within {timeout:g} s")
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        err = proc.stderr.strip().splitlines()
        return Sample("error", message=(err[-1] if err else f"exit {proc.returncode}")[:300])
    return Sample(**json.loads(lines[-1]))


def _rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; falls back to the peak elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return _peak_rss_mb()


def _peak_rss_mb() -> float:
    """Peak resident set size of this process in MB.

    Linux's VmHWM, not `ru_maxrss`: a child's ru_maxrss starts at the RSS its *parent* had at
    fork (the kernel carries the old address space's high-water mark across exec), which
    would charge the benchmark driver's own memory to every competitor.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10  # kB
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KiB on Linux


def _child(key: str, url: str) -> None:
    competitor = COMPETITORS[key]
    dialect = "sqlite" if url.startswith("sqlite:") else "postgresql"
    competitor.prepare(dialect)
    base = _rss_mb()
    cpu0, t0 = time.process_time(), time.perf_counter()
    tables = competitor.run(url)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    sample = Sample("ok", seconds, cpu, _peak_rss_mb(), base, tables)
    print(json.dumps(asdict(sample)))


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2])
