"""`python -m bench.profile DIALECT N`: where schemaudit's `load()` spends its time.

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
import time
from contextlib import AbstractContextManager
from pathlib import Path

from bench.databases import Scratch, scratch_postgresql, scratch_sqlite
from bench.run import DEFAULT_PG_URL, ROOT


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    p.add_argument("dialect", choices=("postgresql", "sqlite"))
    p.add_argument("size", type=int)
    p.add_argument("--pg-url", default=DEFAULT_PG_URL)
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args()

    from schemaudit.sources import load

    scratch: AbstractContextManager[Scratch] = (
        scratch_postgresql(args.pg_url, args.size)
        if args.dialect == "postgresql"
        else scratch_sqlite(args.size, ROOT / "bench" / "results" / "cache")
    )
    with scratch as db:
        load(db.url)  # warm: imports, lazily built tables, server caches
        cpu0, t0 = time.process_time(), time.perf_counter()
        load(db.url)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        profiler = cProfile.Profile()
        profiler.enable()
        load(db.url)
        profiler.disable()
    out = ROOT / "bench" / "results" / f"profile_{args.dialect}_{args.size}.prof"
    out.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(out)
    print(f"unprofiled load(): {wall:.2f} s wall, {cpu:.2f} s client CPU ({wall - cpu:.2f} s waiting)")
    for order in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"--- by {order} ---")
        print(buf.getvalue().split("\n\n", 1)[-1].strip())
    print(f"raw profile: {Path(out).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
