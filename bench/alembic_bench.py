"""`python -m bench.alembic_bench`: the `alembic:` source's replay against `alembic upgrade head`.

A generated history (`bench/alembic_synth.py`: creates, adds, indexes, alters, renames) of
10, 100 and 500 revisions, on PostgreSQL. Each sample is a fresh process, timed whole
(interpreter start-up and imports included, as a user sees it), tools round-robin:

- *floor*: what the project itself runs, plus reading the result once: create a database,
  `alembic upgrade head` through the project's minimal env.py (`command.upgrade`), one live
  inspect of it (`schemaudit.sources.load`, the same read the replay ends with), drop it;
- *schemaudit*: `schemaudit inspect alembic:alembic.ini --scratch-url SERVER` (a scratch
  database, the revisions replayed in a child process with every operation recorded for the
  history and origins, the live read, the drop);
- *Alembic compare_metadata*: create a database, `upgrade head`, `compare_metadata` against
  the head's MetaData (`models.py`), drop: the other way a user asks "what do the migrations
  build". It must find no difference, which checks the generator.

Peak memory is the largest process of each tool (`ru_maxrss` through bench/peak.py: the CLI
and its replay child). The section goes between `<!-- alembic:begin -->` and `<!-- alembic:end -->` in
docs/PERFORMANCE.md. `--sizes 10,100 --repeat 1` runs in a few minutes.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import machine
from bench.alembic_synth import KINDS, write_project
from bench.doc_section import put_section
from bench.peak import measured
from bench.run import DEFAULT_PG_URL

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "PERFORMANCE.md"
BEGIN, END, AFTER = "<!-- alembic:begin -->", "<!-- alembic:end -->", "<!-- ddl:end -->"
TARGET = 1.5

# The floor and the compare_metadata side: one script, `floor` or `compare` as argv[1].
_SCRIPT = """
import sys, uuid
import psycopg
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

mode, server, ini, root = sys.argv[1:5]
name = "schemaudit_bench_alembic_" + uuid.uuid4().hex[:12]
admin = server.replace("postgresql+psycopg://", "postgresql://")
base, _, _ = admin.rpartition("/")
with psycopg.connect(admin, autocommit=True) as c:
    c.execute(f'CREATE DATABASE "{name}"')
try:
    url = base.replace("postgresql://", "postgresql+psycopg://") + "/" + name
    config = Config(ini)
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")
    if mode == "floor":
        from schemaudit.sources import load
        found = len([t for t in load(base + "/" + name).tables if t.name != "alembic_version"])
    else:
        from alembic.autogenerate import compare_metadata
        from alembic.migration import MigrationContext
        sys.path.insert(0, root)
        import models
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            found = len(compare_metadata(ctx, models.metadata))
        engine.dispose()
    print(found)
finally:
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
"""

TOOLS = ("floor", "schemaudit", "compare")
LABELS = {
    "floor": "floor: `alembic upgrade head` (minimal env.py) + one live inspect",
    "schemaudit": "**schemaudit inspect alembic:** (replay, recorded)",
    "compare": "Alembic: `upgrade head` + `compare_metadata` against the head's models",
}


def _argv(tool: str, root: Path, server: str) -> list[str]:
    ini = str(root / "alembic.ini")
    if tool == "schemaudit":
        base = [sys.executable, "-m", "schemaudit.cli", "inspect", f"alembic:{ini}", "--scratch-url", server]
        return [*base, "--format", "json", "-o", str(root / "inspected.json")]
    return [sys.executable, "-c", _SCRIPT, tool, server, ini, str(root)]


def _sample(argv: list[str], cwd: Path) -> tuple[float, int, str]:
    """Seconds, peak MB of the largest process, and what it printed."""
    return measured(argv, cwd)


def _found(tool: str, root: Path, printed: str) -> int:
    """Tables at head (floor, schemaudit) or differences (compare_metadata)."""
    if tool == "schemaudit":
        return len(json.loads((root / "inspected.json").read_text(encoding="utf-8"))["schema"]["tables"])
    return int(printed.splitlines()[-1])


def run(sizes: list[int], repeats: list[int], server: str) -> list[dict[str, Any]]:
    results = []
    for size, repeat in zip(sizes, repeats, strict=True):
        with tempfile.TemporaryDirectory(prefix="schemaudit-alembic-bench-") as folder:
            root = Path(folder)
            counts = write_project(root, size)
            samples: dict[str, list[float]] = {t: [] for t in TOOLS}
            peaks: dict[str, int] = dict.fromkeys(TOOLS, 0)
            found: dict[str, int] = {}
            loads = [os.getloadavg()]
            for tool in TOOLS if size == sizes[0] else ():  # warm-up: imports in the page cache, server
                _sample(_argv(tool, root, server), root)
            for _ in range(repeat):
                for tool in TOOLS:
                    seconds, peak, printed = _sample(_argv(tool, root, server), root)
                    samples[tool].append(seconds)
                    peaks[tool] = max(peaks[tool], peak)
                    found[tool] = _found(tool, root, printed)
                    print(f"{size} revisions, {tool}: {seconds:.2f} s, {peak} MB, found {found[tool]}", flush=True)
            loads.append(os.getloadavg())
        medians = {t: statistics.median(v) for t, v in samples.items()}
        results.append(
            {"revisions": size, "counts": counts, "samples": samples, "medians": medians, "peaks": peaks}
            | {"found": found, "loads": loads}
        )
    return results


def _ratio(result: dict[str, Any], tool: str) -> float:
    return float(result["medians"][tool] / result["medians"]["floor"])


def render(results: list[dict[str, Any]], command: str, info: dict[str, Any]) -> str:
    rows = []
    for r in results:
        for tool in TOOLS:
            found = r["found"][tool]
            what = f"{found} differences" if tool == "compare" else f"{found} tables"
            rows.append(
                f"| {r['revisions']} | {len(r['samples'][tool])} | {LABELS[tool]} | {r['medians'][tool]:.2f} | "
                f"{min(r['samples'][tool]):.2f} | "
                f"{_ratio(r, tool):.2f}x | {r['peaks'][tool]} | {what} |"
            )
    largest = results[-1]
    ratio = _ratio(largest, "schemaudit")
    verdict = "met" if ratio <= TARGET else "**not met**"
    peak = max(r["peaks"]["schemaudit"] for r in results)
    kinds = ", ".join(f"{largest['counts'][k]} {k.replace('_', ' ')}" for k in KINDS)
    loads = largest["loads"]
    return "\n".join(
        [
            BEGIN,
            "",
            "## Alembic histories (`alembic:` source, issue 14)",
            "",
            f"Measured {info['when']} with `{command}` (bench/alembic_bench.py; each sample a fresh process timed "
            "whole, interpreter start-up included; tools round-robin, after one untimed warm-up each at the first "
            "size; medians).",
            "",
            f"Machine: {info.get('cores')} cores ({info.get('cpu')}), Python {info.get('python')}, SQLAlchemy "
            f"{info.get('sqlalchemy')}, Alembic {info.get('alembic')}, PostgreSQL {info.get('postgresql')}; load "
            f"average {loads[0][0]:.2f} at the start of the largest size, {loads[-1][0]:.2f} at its end (the machine "
            "is shared: read the ratios, not the seconds).",
            "",
            f"History (bench/alembic_synth.py), at {largest['revisions']} revisions: {kinds}; "
            f"{largest['counts']['tables']} tables at head. One operation per revision, each revision its own file.",
            "",
            "| revisions | runs | tool | median s | min s | x floor | peak MB | found |",
            "|--:|--:|---|--:|--:|--:|--:|---|",
            *rows,
            "",
            f"Target (issue 14): the replay within {TARGET}x of the floor at {largest['revisions']} revisions: "
            f"{ratio:.2f}x, {verdict}; peak memory {peak} MB (target < 300 MB).",
            "",
            "The floor runs the project's env.py (one transaction for the whole upgrade) and then reads the "
            "database once, as the replay does at its end. The replay does more per revision: it runs each "
            "`upgrade()` with an instrumented `op` that records what every operation did, with file and line, "
            "for `schemaudit history` and the findings' origins. `compare_metadata` finding 0 differences "
            "means the generated models equal what the history builds.",
            "",
            END,
        ]
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.alembic_bench", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10,100,500", help="revisions per history (default: %(default)s)")
    p.add_argument("--repeat", default="3", help="runs per tool: one number, or one per size (3,3,1)")
    p.add_argument("--pg-url", default=DEFAULT_PG_URL, help="server for every tool's databases")
    p.add_argument("--no-doc", action="store_true", help="print the section, do not update docs/PERFORMANCE.md")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    repeats = [int(r) for r in args.repeat.split(",")]
    repeats = repeats * len(sizes) if len(repeats) == 1 else repeats
    if len(repeats) != len(sizes):
        p.error("--repeat: one number, or one per size")
    info = machine.describe(args.pg_url)
    info["alembic"] = importlib.metadata.version("alembic")
    info["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results = run(sizes, repeats, args.pg_url)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "alembic.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    command = f"python -m bench.alembic_bench --sizes {args.sizes} --repeat {args.repeat}"
    section = render(results, command, info)
    print(section)
    if not args.no_doc:
        put_section(DOC, section, BEGIN, END, AFTER)
    bad = any(r["found"]["compare"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
