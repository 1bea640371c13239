"""`python -m bench.run`: time schemaudit's live inspection against the alternatives.

For each dialect and size: create a scratch database with the synthetic schema, warm the
catalog caches once with the floor queries, then run the competitors round-robin `--repeat`
times (round-robin, not one tool after another, so a burst of noise on a shared machine is
spread over all tools instead of landing on one). Ratios are only ever taken between tools of
the same run. Results go to bench/results/*.json (raw samples) and docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from bench import machine, report
from bench.competitors import COMPETITORS, Competitor, Sample, measure, unavailable
from bench.databases import Scratch, drop_stale_postgresql, scratch_postgresql, scratch_sqlite

ROOT = Path(__file__).resolve().parents[1]
DIALECTS = ("postgresql", "sqlite")
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--sizes", default="100,1000,5000", help="comma-separated table counts (default: %(default)s)")
    p.add_argument("--repeat", type=int, default=3, help="timed runs per tool and size (default: %(default)s)")
    p.add_argument("--only", choices=DIALECTS, help="run one dialect only")
    p.add_argument("--tools", help=f"comma-separated subset of: {', '.join(COMPETITORS)} (the floor always runs)")
    p.add_argument(
        "--pg-url",
        default=os.environ.get("SCHEMAUDIT_BENCH_PG_URL", DEFAULT_PG_URL),
        help="server to create scratch databases on (env SCHEMAUDIT_BENCH_PG_URL; default: %(default)s)",
    )
    p.add_argument("--timeout", type=float, default=600, help="seconds before a run is reported as '> T s'")
    p.add_argument(
        "--slow-once",
        type=float,
        default=30,
        metavar="SECONDS",
        help="a tool whose first run takes longer than this is not repeated (default: %(default)s; 0 = always repeat)",
    )
    p.add_argument(
        "--skip-slow-above",
        type=int,
        metavar="N",
        help="skip the known-slow tools (SQLAlchemy reflect()) for sizes above N tables",
    )
    p.add_argument("--doc", type=Path, default=ROOT / "docs" / "PERFORMANCE.md", help="report to update")
    p.add_argument("--no-doc", action="store_true", help="write the JSON only, leave the report alone")
    p.add_argument("--results-dir", type=Path, default=ROOT / "bench" / "results")
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="rebuild the SQLite files instead of copying them from RESULTS_DIR/cache",
    )
    args = p.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        p.error(f"--sizes must be integers, got {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 1 or args.repeat < 1:
        p.error("--sizes must be positive and --repeat at least 1")
    if args.tools:
        keys = {t.strip() for t in args.tools.split(",")}
        if unknown := keys - set(COMPETITORS):
            p.error(f"unknown tools {sorted(unknown)}; known: {', '.join(COMPETITORS)}")
        args.tools = keys | {"floor"}
    return args


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _scratch(dialect: str, size: int, args: argparse.Namespace) -> AbstractContextManager[Scratch]:
    if dialect == "postgresql":
        return scratch_postgresql(args.pg_url, size)
    return scratch_sqlite(size, None if args.no_cache else args.results_dir / "cache")


def _summarize(competitor: Competitor, samples: list[Sample], size: int, note: str | None) -> dict[str, Any]:
    """One table row: min/median of the good runs, the worst peak memory, and what went wrong."""
    ok = [s for s in samples if s.status == "ok"]
    times = [s.seconds for s in ok if s.seconds is not None]
    row: dict[str, Any] = {
        "tool": competitor.key,
        "label": competitor.label,
        "floor": competitor.floor,
        "runs": len(times),
        "samples": [vars_of(s) for s in samples],
        "note": note,
        "status": "ok" if times else (samples[-1].status if samples else "skipped"),
    }
    if times:
        cpus = [s.cpu_seconds for s in ok if s.cpu_seconds is not None]
        row |= {
            "median": statistics.median(times),
            "min": min(times),
            "cpu_median": statistics.median(cpus) if cpus else None,
            "peak_rss_mb": max(s.peak_rss_mb or 0.0 for s in ok),
            "rss_growth_mb": max((s.peak_rss_mb or 0.0) - (s.base_rss_mb or 0.0) for s in ok),
            "tables": ok[-1].tables,
        }
        if ok[-1].tables != size:
            row["note"] = f"found {ok[-1].tables} tables, expected {size}"
    elif samples:
        row["note"] = samples[-1].message
    return row


def vars_of(sample: Sample) -> dict[str, Any]:
    return {k: getattr(sample, k) for k in sample.__dataclass_fields__}


def bench_size(dialect: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    """Create, measure and drop one scratch database; returns its section of the results."""
    competitors = [
        c for c in COMPETITORS.values() if dialect in c.dialects and (args.tools is None or c.key in args.tools)
    ]
    notes: dict[str, str] = {}
    active: list[Competitor] = []
    for c in competitors:
        if reason := unavailable(c, dialect):
            notes[c.key] = f"not run: {reason}"
        elif c.slow and args.skip_slow_above is not None and size > args.skip_slow_above:
            notes[c.key] = f"skipped above {args.skip_slow_above} tables (--skip-slow-above)"
        else:
            active.append(c)
    samples: dict[str, list[Sample]] = {c.key: [] for c in competitors}
    _log(f"[{dialect} {size}] creating the schema ...")
    with _scratch(dialect, size, args) as scratch:
        how = "copied from cache" if scratch.from_cache else "created"
        _log(f"[{dialect} {size}] {how} in {scratch.setup_seconds:.1f} s; warm-up")
        measure("floor", scratch.url, args.timeout)
        for rep in range(args.repeat):
            for c in list(active):
                sample = measure(c.key, scratch.url, args.timeout)
                samples[c.key].append(sample)
                shown = (
                    f"{sample.seconds:.3f} s" if sample.seconds is not None else f"{sample.status}: {sample.message}"
                )
                _log(f"[{dialect} {size}] run {rep + 1}/{args.repeat} {c.key:<11} {shown}")
                if sample.status != "ok":
                    active.remove(c)  # a timeout or crash would only repeat itself
                elif rep == 0 and args.slow_once and (sample.seconds or 0) > args.slow_once and args.repeat > 1:
                    active.remove(c)
                    notes[c.key] = f"run once: first run exceeded {args.slow_once:g} s (--slow-once)"
    rows = [_summarize(c, samples[c.key], size, notes.get(c.key)) for c in competitors]
    return {
        "dialect": dialect,
        "size": size,
        "setup_seconds": scratch.setup_seconds,
        "setup_from_cache": scratch.from_cache,
        "rows": rows,
    }


def _sections(args: argparse.Namespace) -> Iterator[tuple[str, int]]:
    for dialect in (args.only,) if args.only else DIALECTS:
        for size in args.sizes:
            yield dialect, size


def _on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the `finally` that drops scratch databases


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    use_pg = args.only != "sqlite"
    info = machine.describe(args.pg_url if use_pg else None)
    if use_pg:
        if info["postgresql"] is None:
            _log(f"PostgreSQL not reachable at {args.pg_url}; start it or run with --only sqlite")
            return 2
        if dropped := drop_stale_postgresql(args.pg_url):
            _log(f"dropped {len(dropped)} scratch database(s) left by a killed run")
    command = shlex.join([".venv/bin/python", "-m", "bench.run", *(sys.argv[1:] if argv is None else argv)])
    results: dict[str, Any] = {
        "command": command,
        "machine": info,
        "repeat": args.repeat,
        "timeout": args.timeout,
        "sections": [],
    }
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    out = args.results_dir / f"{stamp}.json"
    for dialect, size in _sections(args):
        results["sections"].append(bench_size(dialect, size, args))
        out.write_text(json.dumps(results, indent=2))  # after every size: a late crash keeps the rest
    results["machine"]["load_average_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    out.write_text(json.dumps(results, indent=2))
    (args.results_dir / "latest.json").write_text(json.dumps(results, indent=2))
    _log(f"raw results: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    print(report.render_tables(results))
    if not args.no_doc:
        report.update_doc(args.doc, results)
        _log(f"updated {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
