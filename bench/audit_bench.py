"""Benchmark of `schemaudit audit` on two live PostgreSQL databases against migra, Alembic
and the floor (issue 3, "Performance").

    .venv/bin/python -m bench.audit_bench [--tables 5000] [--repeat 3] [--profile] [--no-doc]

Two scratch databases: the first holds the synthetic schema of bench/synth.py, the second is
a copy of it (`CREATE DATABASE ... TEMPLATE`, far faster than running the DDL again) that
then drifts in 1% of its columns through ALTERs: a deterministic mix, in equal shares, of
renamed columns, type changes, dropped columns, added columns and nullability changes. The
first database is the target, the second the current schema under audit.

Every sample is a fresh child process (`python -m bench.audit_bench --child TOOL URL1 URL2`),
the tools run round-robin `--repeat` times after one untimed warm-up of the catalogs, and the
figures are medians of the same run. Timed:

- *schemaudit CLI*: `python -m schemaudit.cli audit --target URL1 --current URL2 --format json
  --fail-on never -q` as a subprocess of the child, wall time of the whole command
  (interpreter start, imports, reading both sides, audit, JSON report).
- *schemaudit library*: `sources.load()` of both sides and `audit()`, imports done before the
  clock starts; `diff.compare` is timed on its own inside that `audit()` call.
- *migra CLI* (`migra --unsafe URL2 URL1`, the whole command) and *migra API*
  (`Migration(s_from, s_target)`, `add_all_changes()`, `.sql`).
- *Alembic*: `MetaData().reflect()` of the target, then
  `compare_metadata(MigrationContext.configure(conn_current), metadata)`, as a user would.
- *floor*: the bare bulk catalog queries of bench/competitors.py on both sides, one after
  the other, plus a dictionary diff of (table, column) -> (type, nullable); *floor, two
  threads* reads both sides at once.

Each child reports what it found (tables, differences), and the parent checks the tables
against the schema size and the floor's differences against the mutations applied, so a
tool that silently read nothing cannot look fast. The section goes between
`<!-- audit:begin -->` and `<!-- audit:end -->` in docs/PERFORMANCE.md, right after the
code-search section; nothing else in the file is touched. Scratch databases are dropped in
`finally`, on SIGTERM too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shlex
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import machine, synth
from bench.competitors import _PG_FLOOR, PG_SCHEMA, _peak_rss_mb
from bench.databases import _GROWN_CATALOGS, PREFIX, drop_stale_postgresql, libpq_url, scratch_postgresql
from bench.doc_section import put_section

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "PERFORMANCE.md"
RESULTS = ROOT / "bench" / "results"
BEGIN, END, AFTER = "<!-- audit:begin -->", "<!-- audit:end -->", "<!-- impact:end -->"
GENERATED = "<!-- Everything below is generated"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
SHARE = 0.01  # of all columns, mutated in the current database
OPS = ("rename", "type", "drop", "add", "nullability")
# neutral kind -> the type it drifts to; only columns without a default, so no default needs a cast
_RETYPE = {
    "text": "varchar(500)",
    "money": "numeric(14,4)",
    "ts": "timestamp without time zone",
    "date": "timestamp without time zone",
    "uuid": "text",
    "float": "real",
    "bigint": "integer",
    "bytes": "text",
}


# --- the drift ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mutation:
    """One ALTER applied to the current database; `keys` is how many (table, column) entries
    of the floor's dictionary diff it accounts for (a rename is one missing and one extra)."""

    op: str
    table: str
    column: str
    sql: str
    keys: int


def _free_columns(table: synth.TableSpec) -> list[synth.ColumnSpec]:
    """Columns no key, index or constraint names: changing them changes nothing else."""
    used = {"id", table.unique[1], *(fk.column for fk in table.foreign_keys)}
    used.update(c.split()[0] for ix in table.indexes for c in ix.columns)
    used.update(re.findall(r"\w+", table.check[1]))
    return [c for c in table.columns if c.name not in used]


def mutations(n: int, share: float = SHARE) -> list[Mutation]:
    """The drift for an `n`-table schema: a pure function of `n`, in equal shares of OPS."""
    tables = synth.make_schema(n)
    total = sum(len(t.columns) for t in tables)
    candidates = [(t, c) for t in tables for c in _free_columns(t)]
    random.Random(20261122).shuffle(candidates)
    taken: set[tuple[str, str]] = set()
    out: list[Mutation] = []
    for i in range(max(1, round(total * share))):
        op = OPS[i % len(OPS)]
        for table, col in candidates:
            if (table.name, col.name) in taken:
                continue
            if op == "type" and (col.default is not None or col.kind not in _RETYPE):
                continue
            taken.add((table.name, col.name))
            out.append(_mutation(op, table, col, i))
            break
    return out


def _mutation(op: str, table: synth.TableSpec, col: synth.ColumnSpec, i: int) -> Mutation:
    alter = f"ALTER TABLE {table.name} "
    if op == "rename":
        return Mutation(op, table.name, col.name, alter + f"RENAME COLUMN {col.name} TO legacy_{col.name}", 2)
    if op == "type":
        new = _RETYPE[col.kind]
        return Mutation(
            op, table.name, col.name, alter + f"ALTER COLUMN {col.name} TYPE {new} USING {col.name}::{new}", 1
        )
    if op == "drop":
        return Mutation(op, table.name, col.name, alter + f"DROP COLUMN {col.name}", 1)
    if op == "add":
        return Mutation(op, table.name, f"extra_{i}", alter + f"ADD COLUMN extra_{i} text", 1)
    change = "SET NOT NULL" if col.nullable else "DROP NOT NULL"
    return Mutation(op, table.name, col.name, alter + f"ALTER COLUMN {col.name} {change}", 1)


@contextmanager
def drifted_copy(admin_url: str, source_url: str, n: int, drift: list[Mutation]) -> Iterator[tuple[str, float]]:
    """A copy of the (idle) database at `source_url` with `drift` applied; dropped afterwards.
    Named like bench/databases.py's, so `drop_stale_postgresql` also cleans up after a kill."""
    import psycopg

    name = f"{PREFIX}{n}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    source = source_url.rsplit("/", 1)[1].split("?", 1)[0]
    started = time.perf_counter()
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    url = source_url.rsplit("/", 1)[0] + "/" + name
    try:
        with psycopg.connect(libpq_url(url)) as conn:
            for start in range(0, len(drift), 250):  # a few hundred locks per transaction
                conn.execute(";\n".join(m.sql for m in drift[start : start + 250]))
                conn.commit()
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE " + ", ".join(_GROWN_CATALOGS))
        yield url, time.perf_counter() - started
    finally:
        with psycopg.connect(libpq_url(admin_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the tools, each run in a child ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tool:
    key: str
    label: str
    pair: str  # the schemaudit row its "x schemaudit" ratio is taken against
    prepare: Callable[[], None]  # imports, before the clock starts
    run: Callable[[str, str], dict[str, Any]]  # (target url, current url) -> what it found
    command: bool = False  # a whole command: its peak memory is the grandchild's


def _command(cmd: list[str], ok_codes: tuple[int, ...]) -> subprocess.CompletedProcess[bytes]:
    proc = subprocess.run(cmd, capture_output=True, cwd=ROOT)
    if proc.returncode not in ok_codes:
        err = proc.stderr.decode(errors="replace").strip().splitlines()
        raise RuntimeError(f"{cmd[0]} exited {proc.returncode}: {err[-1] if err else ''}"[:300])
    return proc


def _schemaudit_cli(url1: str, url2: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "schemaudit.cli", "audit", "--target", url1, "--current", url2]
    proc = _command([*cmd, "--format", "json", "--fail-on", "never", "-q"], (0,))
    return {"differences": len(json.loads(proc.stdout).get("findings", []))}


def _schemaudit_prepare() -> None:
    import sqlglot.dialects.postgres  # noqa: F401

    import schemaudit.audit
    import schemaudit.sources.live.postgresql
    import schemaudit.sources.urls  # noqa: F401


def _schemaudit_lib(url1: str, url2: str) -> dict[str, Any]:
    """Load both sides one after the other, then audit; `compare` timed inside `audit()`."""
    import schemaudit.audit.run as audit_run
    from schemaudit.audit import Config, audit
    from schemaudit.sources import load

    spent: list[float] = []
    compare = getattr(audit_run, "compare")  # noqa: B009 (the name audit() calls, not re-exported)

    def timed_compare(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return compare(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    t0 = time.perf_counter()
    target = load(url1)
    t1 = time.perf_counter()
    current = load(url2)
    t2 = time.perf_counter()
    setattr(audit_run, "compare", timed_compare)  # noqa: B010 (patched for the duration of one call)
    try:
        result = audit(target, current, Config())
    finally:
        setattr(audit_run, "compare", compare)  # noqa: B010
    t3 = time.perf_counter()
    return {
        "tables": [len(target.tables), len(current.tables)],
        "differences": len(result.findings),
        "changes": len(result.changes.changes),
        "load_target_s": t1 - t0,
        "load_current_s": t2 - t1,
        "audit_s": t3 - t2,
        "compare_s": sum(spent),
    }


def _migra_cli(url1: str, url2: str) -> dict[str, Any]:
    proc = _command([str(Path(sys.executable).parent / "migra"), "--unsafe", url2, url1], (0, 2))
    return {"differences": _statements(proc.stdout.decode())}


def _statements(sql: str) -> int:
    return sum(1 for line in sql.splitlines() if line.rstrip().endswith(";"))


def _migra_prepare() -> None:
    import migra  # noqa: F401
    import sqlbag  # noqa: F401


def _migra_api(url1: str, url2: str) -> dict[str, Any]:
    from migra import Migration
    from sqlbag import S

    with S(libpq_url(url2)) as s_from, S(libpq_url(url1)) as s_target:
        migration = Migration(s_from, s_target)
        migration.set_safety(False)
        migration.add_all_changes()
        return {"differences": _statements(migration.sql)}


def _sa_url(url: str) -> str:
    return "postgresql+psycopg://" + libpq_url(url).split("://", 1)[1]


def _alembic_prepare() -> None:
    import alembic.autogenerate
    import alembic.runtime.migration  # noqa: F401
    from sqlalchemy import create_engine

    create_engine(_sa_url(DEFAULT_PG_URL))  # loads the dialect and the driver


def _alembic(url1: str, url2: str) -> dict[str, Any]:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import MetaData, create_engine

    target_engine, current_engine = create_engine(_sa_url(url1)), create_engine(_sa_url(url2))
    try:
        metadata = MetaData()
        metadata.reflect(target_engine)
        with current_engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        return {"tables": [len(metadata.tables), None], "differences": len(diff)}
    finally:
        target_engine.dispose()
        current_engine.dispose()


def _floor_prepare() -> None:
    import psycopg  # noqa: F401


def _floor_side(url: str) -> tuple[int, dict[tuple[str, str], tuple[str, bool]]]:
    """The floor queries on one side; (tables, (table, column) -> (type, nullable))."""
    import psycopg

    with psycopg.connect(libpq_url(url)) as conn:
        conn.read_only = True
        tables, columns, *_ = [conn.execute(q, {"schema": PG_SCHEMA}).fetchall() for q in _PG_FLOOR]
    names = {row[0]: row[1] for row in tables}
    return len(names), {(names[r[0]], r[2]): (r[3], not r[4]) for r in columns}


def _dict_diff(a: dict[tuple[str, str], tuple[str, bool]], b: dict[tuple[str, str], tuple[str, bool]]) -> int:
    return sum(1 for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def _floor(url1: str, url2: str) -> dict[str, Any]:
    (n1, cols1), (n2, cols2) = _floor_side(url1), _floor_side(url2)
    return {"tables": [n1, n2], "differences": _dict_diff(cols1, cols2)}


def _floor_threads(url1: str, url2: str) -> dict[str, Any]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        (n1, cols1), (n2, cols2) = pool.map(_floor_side, (url1, url2))
    return {"tables": [n1, n2], "differences": _dict_diff(cols1, cols2)}


def _nothing() -> None:
    pass


TOOLS: dict[str, Tool] = {
    t.key: t
    for t in (
        Tool("floor", "floor: catalog queries + dict diff", "schemaudit-lib", _floor_prepare, _floor),
        Tool("floor-threads", "floor, both sides in two threads", "schemaudit-lib", _floor_prepare, _floor_threads),
        Tool(
            "schemaudit-cli",
            "**schemaudit audit (CLI, end to end)**",
            "schemaudit-cli",
            _nothing,
            _schemaudit_cli,
            True,
        ),
        Tool(
            "schemaudit-lib",
            "**schemaudit load() x2 + audit()**",
            "schemaudit-lib",
            _schemaudit_prepare,
            _schemaudit_lib,
        ),
        Tool("migra-cli", "migra --unsafe (CLI, end to end)", "schemaudit-cli", _nothing, _migra_cli, True),
        Tool("migra-api", "migra Migration().add_all_changes()", "schemaudit-lib", _migra_prepare, _migra_api),
        Tool("alembic", "Alembic reflect() + compare_metadata()", "schemaudit-lib", _alembic_prepare, _alembic),
    )
}


def _child(key: str, url1: str, url2: str) -> None:
    tool = TOOLS[key]
    tool.prepare()
    cpu0, t0 = time.process_time(), time.perf_counter()
    found = tool.run(url1, url2)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    peak = _peak_rss_mb()
    if tool.command:  # the command's own peak: ru_maxrss of the (only) waited-for child, in KiB
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**10
        cpu = (
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
            + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime
        )
    print(json.dumps({"status": "ok", "seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak, **found}))


def _profile_child(url1: str, url2: str) -> None:
    """The library path once warm, then once under cProfile; prints the top functions."""
    import cProfile
    import io
    import pstats

    _schemaudit_prepare()
    _schemaudit_lib(url1, url2)
    profiler = cProfile.Profile()
    profiler.enable()
    _schemaudit_lib(url1, url2)
    profiler.disable()
    out = RESULTS / "profile_audit.prof"
    profiler.dump_stats(out)
    for order in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats(order).print_stats(30)
        print(f"--- by {order} ---\n" + buf.getvalue().split("\n\n", 1)[-1].strip())
    print(f"raw profile: {out.relative_to(ROOT)}")


def measure(key: str, url1: str, url2: str, timeout: float) -> dict[str, Any]:
    """One run of one tool in a fresh interpreter."""
    cmd = [sys.executable, "-m", "bench.audit_bench", "--child", key, url1, url2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "message": f"no result within {timeout:g} s"}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        err = proc.stderr.strip().splitlines()
        return {"status": "error", "message": (err[-1] if err else f"exit {proc.returncode}")[:300]}
    return dict(json.loads(lines[-1]))


# --- the run --------------------------------------------------------------------------------


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the `finally` that drops the databases


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.audit_bench", description=__doc__.splitlines()[0])
    p.add_argument("--tables", type=int, default=5000, help="tables per database (default: %(default)s)")
    p.add_argument("--repeat", type=int, default=3, help="timed runs per tool (default: %(default)s)")
    p.add_argument("--tools", help=f"comma-separated subset of: {', '.join(TOOLS)} (the floor always runs)")
    p.add_argument("--pg-url", default=os.environ.get("SCHEMAUDIT_BENCH_PG_URL", DEFAULT_PG_URL))
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--profile", action="store_true", help="also profile the library path once (cProfile)")
    p.add_argument("--no-doc", action="store_true", help="print the section, leave docs/PERFORMANCE.md alone")
    p.add_argument("--render", type=Path, metavar="JSON", help="only write the section again from raw results")
    args = p.parse_args(argv)
    if args.render:
        return _publish(json.loads(args.render.read_text()), args.no_doc)
    if args.tables < 2 or args.repeat < 1:
        p.error("--tables must be at least 2 and --repeat at least 1")
    keys = list(TOOLS)
    if args.tools:
        wanted = {k.strip() for k in args.tools.split(",")} | {"floor"}
        if unknown := wanted - set(TOOLS):
            p.error(f"unknown tools {sorted(unknown)}; known: {', '.join(TOOLS)}")
        keys = [k for k in TOOLS if k in wanted]
    signal.signal(signal.SIGTERM, _on_sigterm)
    info = machine.describe(args.pg_url)
    if info["postgresql"] is None:
        _log(f"PostgreSQL not reachable at {args.pg_url}")
        return 2
    if dropped := drop_stale_postgresql(args.pg_url):
        _log(f"dropped {len(dropped)} scratch database(s) left by a killed run")
    command = shlex.join([".venv/bin/python", "-m", "bench.audit_bench", *(sys.argv[1:] if argv is None else argv)])
    drift = mutations(args.tables)
    samples: dict[str, list[dict[str, Any]]] = {k: [] for k in keys}
    profile = None
    _log(f"creating {args.tables} tables ...")
    with scratch_postgresql(args.pg_url, args.tables) as target:
        _log(f"target created in {target.setup_seconds:.1f} s; copying and applying {len(drift)} ALTERs ...")
        with drifted_copy(args.pg_url, target.url, args.tables, drift) as (current, copy_seconds):
            _log(f"current ready in {copy_seconds:.1f} s; warm-up")
            measure("floor", target.url, current, args.timeout)
            load_start = os.getloadavg()
            active = list(keys)
            for rep in range(args.repeat):
                for key in list(active):
                    sample = measure(key, target.url, current, args.timeout)
                    samples[key].append(sample)
                    shown = f"{sample['seconds']:.2f} s" if sample["status"] == "ok" else sample["message"]
                    _log(f"run {rep + 1}/{args.repeat} {key:<15} {shown}  {_found(sample)}")
                    if sample["status"] != "ok":
                        active.remove(key)
            load_end = os.getloadavg()
            if args.profile:
                proc = subprocess.run(
                    [sys.executable, "-m", "bench.audit_bench", "--profile-child", target.url, current],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                )
                profile = proc.stdout if proc.returncode == 0 else proc.stderr
    results = {
        "command": command,
        "machine": info | {"load_average": load_start, "load_average_end": load_end},
        "tables": args.tables,
        "mutations": {op: sum(1 for m in drift if m.op == op) for op in OPS},
        "expected_floor_differences": sum(m.keys for m in drift),
        "setup_seconds": {"target": target.setup_seconds, "current": copy_seconds},
        "samples": samples,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"audit_{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    _log(f"raw results: {out.relative_to(ROOT)}")
    if profile:
        print(profile)
    return _publish(results, args.no_doc)


def _publish(results: dict[str, Any], no_doc: bool) -> int:
    section = render_section(results)
    print(section)
    if not no_doc:
        put_section(DOC, section, BEGIN, END, AFTER, GENERATED)
        _log(f"updated {DOC.relative_to(ROOT)}")
    return 0


def _found(sample: dict[str, Any]) -> str:
    return " ".join(f"{k}={sample[k]}" for k in ("tables", "differences", "compare_s") if sample.get(k) is not None)


# --- the report -----------------------------------------------------------------------------


def _median(samples: list[dict[str, Any]], field: str = "seconds") -> float | None:
    values = [s[field] for s in samples if s.get("status") == "ok" and s.get(field) is not None]
    return statistics.median(values) if values else None


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds:.3f}" if seconds < 1 else f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "-"


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render_section(results: dict[str, Any]) -> str:
    n, samples, m = results["tables"], results["samples"], results["machine"]
    med = {k: _median(v) for k, v in samples.items()}
    floor = med["floor"]
    rows = []
    for key, runs in samples.items():
        tool, ok = TOOLS[key], [s for s in runs if s.get("status") == "ok"]
        notes = [s["message"] for s in runs if s.get("status") != "ok"][:1]
        tables = ok[-1].get("tables") if ok else None
        if tables and any(t is not None and t != n for t in tables):
            notes.append(f"found {tables} tables, expected {n}")
        if key == "floor" and ok and ok[-1]["differences"] != results["expected_floor_differences"]:
            notes.append(f"expected {results['expected_floor_differences']} differences")
        peak = f"{max(s['peak_mb'] for s in ok):.0f}" if ok else "-"
        found = ok[-1].get("differences", "-") if ok else "-"
        times = [s["seconds"] for s in ok]
        rows.append(
            f"| {tool.label} | {len(ok)} | {_fmt(med[key])} | {_fmt(min(times) if times else None)} "
            f"| {_ratio(med[key], floor)} | {_ratio(med[key], med.get(tool.pair))} | {peak} | {found} "
            f"| {'; '.join(notes)} |"
        )
    lib, cli = med.get("schemaudit-lib"), med.get("schemaudit-cli")
    compare = _median(samples.get("schemaudit-lib", []), "compare_s")
    split = {f: _median(samples.get("schemaudit-lib", []), f) for f in ("load_target_s", "load_current_s", "audit_s")}
    peaks = [s["peak_mb"] for k in ("schemaudit-lib", "schemaudit-cli") for s in samples.get(k, []) if s.get("peak_mb")]
    targets = []
    if lib and floor:
        targets.append(f"library path {lib / floor:.2f}x the floor (target ≤ 1.5x: {_met(lib / floor <= 1.5)})")
    if cli and floor:
        targets.append(f"CLI end to end {cli / floor:.2f}x the floor ({_met(cli / floor <= 1.5)})")
    for other, label, want, mine in (
        ("migra-api", "migra API", 2, lib),
        ("migra-cli", "migra CLI", 2, cli),
        ("alembic", "Alembic", 3, lib),
    ):
        theirs = med.get(other)
        if theirs and mine:
            speedup = theirs / mine
            targets.append(f"{speedup:.1f}x faster than {label} (target ≥ {want}x: {_met(speedup >= want)})")
    if compare is not None:
        targets.append(f"`compare` {compare:.3f} s (target < 1 s: {_met(compare < 1)})")
    if peaks:
        targets.append(f"peak {max(peaks):.0f} MB (target < 300 MB: {_met(max(peaks) < 300)})")
    mut = results["mutations"]
    load0, load1 = m["load_average"], m["load_average_end"]
    return "\n".join(
        [
            BEGIN,
            "",
            "## Audit of two live databases (`schemaudit audit`, issue 3)",
            "",
            f"Measured {m['date']} with `{results['command']}` (bench/audit_bench.py; medians of "
            "round-robin runs, each a fresh child process, after one untimed warm-up of the catalogs).",
            "",
            f"Machine: {m['cores']} cores ({m['cpu']}); PostgreSQL {m['postgresql']}; {m['python']}; psycopg "
            f"{m['psycopg']} ({m['psycopg_impl']}); migra {m['migra']} (schemainspect {m['schemainspect']}, "
            f"psycopg2); SQLAlchemy {m['sqlalchemy']}; Alembic {_alembic_version()}; schemaudit {m['schemaudit']}; "
            f"load average {load0[0]:.2f} / {load0[1]:.2f} / {load0[2]:.2f} (1/5/15 min) at the first timed run, "
            f"{load1[0]:.2f} / {load1[1]:.2f} / {load1[2]:.2f} after the last (the machine is shared: read the "
            "ratios, not the seconds).",
            "",
            f"Databases: target = bench/synth.py's {n:,} tables ({15 * n:,} columns), created in "
            f"{results['setup_seconds']['target']:.0f} s; current = a copy of it (`CREATE DATABASE ... TEMPLATE`) "
            f"drifted by {sum(mut.values())} ALTERs (1% of the columns): "
            + ", ".join(f"{v} {k}" for k, v in mut.items())
            + f", ready in {results['setup_seconds']['current']:.0f} s. The floor's dictionary diff must find "
            f"{results['expected_floor_differences']} (table, column) differences (a rename is two).",
            "",
            "| tool | runs | median s | min s | x floor | x schemaudit | peak MB | found | notes |",
            "|---|--:|--:|--:|--:|--:|--:|--:|---|",
            *rows,
            "",
            "*found*: findings (schemaudit), statements (migra), diff entries (Alembic), differing (table, "
            "column) keys (floor). *x schemaudit*: against the CLI row for whole commands, against the library "
            "row otherwise. The CLI rows include interpreter start-up and imports (about 1 s) and writing the "
            "report; the other rows import before the clock starts. The CLI reads both live sides at once "
            "(`commands/common.py`, `load_pair`), the library row one after the other, like the floor row "
            "(the two-thread floor is the floor for concurrent reads). Peak MB: `VmHWM` of the child, or the "
            "`ru_maxrss` of the command it ran.",
            "",
            f"Inside the library path (medians): target read in {_fmt(split['load_target_s'])} s, current in "
            f"{_fmt(split['load_current_s'])} s, `audit()` {_fmt(split['audit_s'])} s of which `diff.compare` "
            f"{_fmt(compare)} s.",
            "",
            "The floor is the query set of bench/competitors.py (issue 2's floor), which prints every constraint "
            "with `pg_get_constraintdef` and every index with `pg_get_indexdef`. schemaudit's own catalog queries "
            "(`sources/live/postgresql_catalog.py`) print less on the server (no `pg_get_constraintdef`; "
            "`pg_get_indexdef` only for expression indexes), so they can come in at or under this floor.",
            "",
            "Targets (issue 3): " + "; ".join(targets) + ".",
            "",
            END,
        ]
    )


def _alembic_version() -> str | None:
    from importlib import metadata

    try:
        return metadata.version("alembic")
    except metadata.PackageNotFoundError:
        return None


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(*sys.argv[2:5])
    elif sys.argv[1:2] == ["--profile-child"]:
        _profile_child(*sys.argv[2:4])
    else:
        sys.exit(main())
