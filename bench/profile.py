"""`python -m bench.profile DIALECT|STAGE N [--ddl]`: where schemaudit spends its time.

With a dialect and without `--ddl` it profiles `load()` reading a live scratch database;
with `--ddl` (PostgreSQL, MySQL or SQLite) the `ddl:` source reading bench/synth.py's file of
N tables. With a stage (bench/profile_stages.py) it profiles that stage at size N:
`impact 20000` (the code search over N files, one process), `alembic 500` (the replay of N
generated revisions on the PostgreSQL server, its child's work included), `models 2000`
(the models source on N columns, its child's work included).

The benchmark says *whether* schemaudit is within its target of the floor; this says *why
not* when it is not. It builds the same scratch database as the benchmark, runs
`sources.load()` once under cProfile (after one unprofiled run, so imports and first-use
caches are out of the picture) and prints the functions with the most own time and the most
cumulative time. The raw profile is saved to bench/results/ for snakeviz or pstats.

cProfile inflates Python-heavy code relative to time spent in C or on the server, so read
the wall-clock split it prints (client CPU vs waiting) together with the function list.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from bench import synth
from bench.databases import Scratch, scratch_postgresql, scratch_sqlite
from bench.profile_stages import STAGES, stage
from bench.run import DEFAULT_PG_URL, ROOT


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    p.add_argument("dialect", choices=("postgresql", "mysql", "sqlite", *STAGES), metavar="DIALECT|STAGE")
    p.add_argument("size", type=int)
    p.add_argument("--pg-url", default=DEFAULT_PG_URL)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--ddl", action="store_true", help="profile the ddl: source on the synthetic file")
    args = p.parse_args()
    if args.dialect == "mysql" and not args.ddl:
        p.error("mysql is profiled only with --ddl")
    if args.dialect in STAGES:
        with stage(args.dialect, args.size, args.pg_url) as call:
            _profile(call, f"profile_{args.dialect}_{args.size}.prof", args.top)
        return

    from schemaudit.sources import load

    scratch: AbstractContextManager[Scratch] = (
        _ddl_file(args.dialect, args.size)
        if args.ddl
        else scratch_postgresql(args.pg_url, args.size)
        if args.dialect == "postgresql"
        else scratch_sqlite(args.size, ROOT / "bench" / "results" / "cache")
    )
    with scratch as db:
        kind = "ddl_" if args.ddl else ""
        _profile(lambda: load(db.url), f"profile_{kind}{args.dialect}_{args.size}.prof", args.top)


def _profile(call: Callable[[], object], name: str, top: int) -> None:
    """One warm run, one timed run, one profiled run; prints the split and the top functions."""
    call()  # warm: imports, lazily built tables, server caches
    cpu0, t0 = time.process_time(), time.perf_counter()
    call()
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    out = ROOT / "bench" / "results" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(out)
    print(f"unprofiled run: {wall:.2f} s wall, {cpu:.2f} s client CPU ({wall - cpu:.2f} s waiting)")
    for order in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats(order).print_stats(top)
        print(f"--- by {order} ---")
        print(buf.getvalue().split("\n\n", 1)[-1].strip())
    print(f"raw profile: {Path(out).relative_to(ROOT)}")


@contextmanager
def _ddl_file(dialect: str, size: int) -> Iterator[Scratch]:
    """The synthetic schema as a DDL file, named by a `ddl:` spec in place of a URL."""
    with tempfile.TemporaryDirectory(prefix="schemaudit-profile-") as folder:
        file = Path(folder) / "schema.sql"
        started = time.perf_counter()
        file.write_text(synth.script(size, dialect), encoding="utf-8")
        yield Scratch(f"ddl:{file}?dialect={dialect}", time.perf_counter() - started)


if __name__ == "__main__":
    main()
