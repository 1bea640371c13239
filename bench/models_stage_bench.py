"""`python -m bench.models_stage_bench`: the `models:` source against its floor (issue 14).

Three sizes of bench/models_synth.py's package (50 columns in 1 module, 500 in 10, 2,000 in
50; the submodules share one `Base`). Every sample is a fresh interpreter run through
bench/peak.py, which reports its CPU time (children included) and peak memory:

- floor: import the package and walk `Base.metadata` as a user's own script reading the
  models would: every table, every column with its type compiled for SQLite, its default,
  server default, nullability, primary key and foreign keys, every constraint and index;
- schemaudit: `schemaudit inspect models:PKG:Base --dialect sqlite --format json`, end to end
  (the CLI, its child process that imports the models and converts them with file:line
  origins, the JSON written to stdout);
- Alembic: import the package and `compare_metadata` (compare_type, compare_server_default)
  against a SQLite file that `create_all` built from the same models (built untimed).

Bytecode: this environment sets PYTHONDONTWRITEBYTECODE=1, so a checkout's modules compile
from source on every run, which a pip-installed schemaudit (and a project that has run its
own code) does not do. Each mode runs on its own copy of schemaudit's `src` and of the
package, in a temporary folder: `compiled` runs `compileall` on both copies first (what a
user's installation looks like; the targets are judged on it), `source` leaves them without
`.pyc` files. SQLAlchemy and Alembic are read from the virtualenv's `.pyc` files in both.

Tools alternate (round-robin) after one untimed warm-up each per size and mode; the ratio is
of the least CPU time of each tool's samples (best of N), measured in the same run: the
machine is shared, and CPU time varies less than wall time there.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import machine
from bench.doc_section import put_section
from bench.models_bench import ALEMBIC_SCRIPT, CREATE_SCRIPT, PACKAGE
from bench.models_synth import write_package
from bench.peak import measured_cpu

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "PERFORMANCE.md"
BEGIN, END, AFTER = "<!-- models:begin -->", "<!-- models:end -->", "<!-- stages:end -->"
GENERATED = "<!-- Everything below is generated"
SIZES = ((50, 1), (500, 10), (2000, 50))
TOOLS = ("floor", "schemaudit", "alembic")
TARGET_RATIO, TARGET_MB = 1.5, 300

_FLOOR = """
import sys
sys.path.insert(0, sys.argv[1])
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.schema import DefaultClause
from {pkg} import Base

dialect = sqlite.dialect()
facts = []
for table in Base.metadata.tables.values():
    for col in table.columns:
        server = col.server_default
        if isinstance(server, DefaultClause):
            arg = server.arg
            server = arg if isinstance(arg, str) else str(arg.compile(dialect=dialect))
        facts.append((
            table.name, col.name, col.type.compile(dialect=dialect), col.nullable, col.primary_key,
            None if col.default is None else repr(col.default.arg), server, col.comment,
            [(fk.target_fullname, fk.ondelete) for fk in col.foreign_keys],
        ))
    for con in table.constraints:
        text = getattr(con, "sqltext", None)
        facts.append((type(con).__name__, str(con.name), [c.name for c in con.columns],
                      None if text is None else str(text.compile(dialect=dialect))))
    for index in table.indexes:
        facts.append((str(index.name), [c.name for c in index.columns], index.unique))
print(len(Base.metadata.tables), "tables", len(facts), "facts")
"""

_SCHEMAUDIT = "import sys; sys.path.insert(0, {site!r}); from schemaudit.cli import main; sys.exit(main())"


def _layout(folder: Path, columns: int, modules: int, mode: str) -> tuple[Path, dict[str, int]]:
    """A copy of schemaudit's src and the package under `folder`; compiled in `compiled` mode."""
    site = folder / "site"
    shutil.copytree(ROOT / "src" / "schemaudit", site / "schemaudit", ignore=shutil.ignore_patterns("__pycache__"))
    size = write_package(folder, PACKAGE, columns, modules=modules)
    if mode == "compiled":
        for tree in (site, folder / PACKAGE):
            if not compileall.compile_dir(str(tree), quiet=1):
                raise SystemExit(f"compileall failed on {tree}")
    return site, size


def _commands(folder: Path, site: Path) -> dict[str, list[str]]:
    db = folder / "built.db"
    py = sys.executable
    subprocess.run([py, "-c", CREATE_SCRIPT.format(pkg=PACKAGE), str(folder), str(db)], check=True, cwd=folder)
    ours = [py, "-c", _SCHEMAUDIT.format(site=str(site)), "inspect", f"models:{PACKAGE}:Base"]
    ours += ["--dialect", "sqlite", "--path", str(folder), "--format", "json"]
    return {
        "floor": [py, "-c", _FLOOR.format(pkg=PACKAGE), str(folder)],
        "schemaudit": ours,
        "alembic": [py, "-c", ALEMBIC_SCRIPT.format(pkg=PACKAGE), str(folder), str(db)],
    }


def _found(tool: str, out: str) -> str:
    if tool != "schemaudit":
        return out.strip().splitlines()[-1] if out.strip() else ""
    data = json.loads(out)
    tables = data.get("schema", data).get("tables", [])
    return f"{len(tables)} tables {sum(len(t.get('columns', [])) for t in tables)} columns"


def run_size(columns: int, modules: int, mode: str, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="schemaudit-models-stage-") as name:
        folder = Path(name)
        site, size = _layout(folder, columns, modules, mode)
        commands = _commands(folder, site)
        samples: dict[str, list[dict[str, float]]] = {t: [] for t in TOOLS}
        found: dict[str, str] = {}
        load = [os.getloadavg()[0]]
        for round_ in range(repeat + 1):  # round 0 is the warm-up
            for tool in TOOLS:
                seconds, peak, out, cpu = measured_cpu(commands[tool], cwd=folder)
                if round_:
                    samples[tool].append({"seconds": seconds, "cpu": cpu, "peak_mb": peak})
                else:
                    found[tool] = _found(tool, out)
        load.append(os.getloadavg()[0])
    rows = {}
    for tool in TOOLS:
        s = samples[tool]
        rows[tool] = {
            "median_s": statistics.median(x["seconds"] for x in s),
            "min_s": min(x["seconds"] for x in s),
            "best_cpu": min(x["cpu"] for x in s),
            "peak_mb": max(x["peak_mb"] for x in s),
            "found": found[tool],
        }
    for tool in TOOLS:
        rows[tool]["x_floor_cpu"] = rows[tool]["best_cpu"] / rows["floor"]["best_cpu"]
        rows[tool]["x_floor_wall"] = rows[tool]["median_s"] / rows["floor"]["median_s"]
    return {"columns": columns, "modules": modules, "mode": mode, "size": size, "rows": rows, "load": load}


def verdict(results: list[dict[str, Any]]) -> tuple[bool, str]:
    """The targets on the `compiled` runs: within 1.5x at the largest size, the ratio there
    no worse than at the middle size, peak memory under 300 MB."""
    judged = [r for r in results if r["mode"] == "compiled"] or results
    ratios = [r["rows"]["schemaudit"]["x_floor_cpu"] for r in judged]
    peak = max(r["rows"]["schemaudit"]["peak_mb"] for r in judged)
    within = ratios[-1] <= TARGET_RATIO
    linear = len(ratios) < 2 or ratios[-1] <= ratios[-2]
    ok = within and linear and peak < TARGET_MB
    largest = judged[-1]["size"]["columns"]
    text = (
        f"Targets (issue 14, `{judged[-1]['mode']}` rows): schemaudit within {TARGET_RATIO}x of the floor in CPU "
        f"time at the largest size: {ratios[-1]:.2f}x at {largest:,} columns ({'met' if within else 'not met'}); "
        f"growing linearly (ratio at the largest size no worse than at the middle size, "
        + (f"{ratios[-2]:.2f}x): {'met' if linear else 'not met'}" if len(ratios) > 1 else "one size only)")
        + f"; peak memory {peak} MB (< {TARGET_MB} MB: {'met' if peak < TARGET_MB else 'not met'}). "
        f"Overall: **{'met' if ok else 'not met'}**."
    )
    return ok, text


_LABELS = {
    "floor": "floor: import + walk `Base.metadata`",
    "schemaudit": "**schemaudit inspect models:** (CLI, end to end)",
    "alembic": "import + Alembic `compare_metadata`",
}


def render(results: list[dict[str, Any]], command: str, started: str, repeat: int, note: str = "") -> str:
    info = machine.describe(None)
    lines = [
        BEGIN,
        "",
        "## Models (`models:` source, issue 14)",
        "",
        f"Measured {started} with `{command}` (bench/models_stage_bench.py; each sample a fresh "
        f"interpreter timed whole through bench/peak.py, start-up included; tools round-robin after one "
        f"untimed warm-up each per size and mode; {repeat} samples each).",
        "",
        f"Machine: {info.get('cores')} cores ({info.get('cpu')}), Python {info.get('python')}, "
        f"SQLAlchemy {info.get('sqlalchemy')}; load average "
        + ", ".join(f"{r['load'][0]:.2f}" for r in results)
        + " at the start of each size (the machine is shared: read the ratios, not the seconds).",
        "",
        "Package (bench/models_synth.py): "
        + "; ".join(
            f"{r['size']['tables']} tables, {r['size']['columns']:,} columns, {r['size']['lines']:,} lines "
            f"in {r['size']['modules']} module{'s' if r['size']['modules'] > 1 else ''}"
            for r in results
            if r["mode"] == results[0]["mode"]
        )
        + ". Every table: a mixin's two timestamps, a foreign key, an index, a unique and a check "
        "constraint in `__table_args__`, a `@validates` method, comments above each column.",
        "",
        "| columns / modules | bytecode | tool | median s | min s | x floor | CPU s (best) | x floor, CPU (best) "
        "| peak MB | found |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in results:
        for tool in TOOLS:
            row = r["rows"][tool]
            lines.append(
                f"| {r['size']['columns']:,} / {r['modules']} | {r['mode']} | {_LABELS[tool]} | {row['median_s']:.2f} "
                f"| {row['min_s']:.2f} | {row['x_floor_wall']:.2f}x | {row['best_cpu']:.2f} "
                f"| {row['x_floor_cpu']:.2f}x | {row['peak_mb']} | {row['found']} |"
            )
    _, text = verdict(results)
    lines += [
        "",
        "*x floor*: medians of wall time; *x floor, CPU (best)*: the least CPU time (user + system, the "
        "process and the children it waited for: schemaudit's child that imports the models) of each "
        "tool's samples against the floor's, which this shared machine measures more steadily than wall "
        "time. The targets are judged on it.",
        "",
        "Bytecode: `compiled` runs on copies of schemaudit's `src` and of the package that `compileall` "
        "compiled first, as a pip installation (which writes `.pyc` files) and a project that has run its "
        "own code have them; `source` runs on copies without `.pyc` files, as this checkout runs under "
        "PYTHONDONTWRITEBYTECODE=1 (every module compiled from source on every run). SQLAlchemy and Alembic "
        "come from the virtualenv's `.pyc` files in both modes.",
        "",
        text,
        "",
        "Profile: `python -m bench.profile models 2000` (the child's work, in one process).",
        "",
        *([note, ""] if note else []),
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.models_stage_bench", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default=",".join(f"{c}:{m}" for c, m in SIZES), help="COLUMNS:MODULES,...")
    p.add_argument("--repeat", type=int, default=3, help="timed samples per tool (default: %(default)s)")
    p.add_argument("--bytecode", choices=("compiled", "source", "both"), default="both")
    p.add_argument("--no-doc", action="store_true", help="print the section, leave docs/PERFORMANCE.md alone")
    p.add_argument("--note", default="", help="a paragraph added to the section (what changed, earlier runs)")
    args = p.parse_args(argv)
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # `source` copies stay without .pyc files
    sizes = [tuple(int(x) for x in part.split(":")) for part in args.sizes.split(",")]
    modes = ("compiled", "source") if args.bytecode == "both" else (args.bytecode,)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results = []
    for mode in modes:
        for columns, modules in sizes:
            result = run_size(columns, modules, mode, args.repeat)
            results.append(result)
            r = result["rows"]
            print(
                f"{mode} {columns}/{modules}: "
                + ", ".join(f"{t} {r[t]['best_cpu']:.2f} s CPU ({r[t]['x_floor_cpu']:.2f}x)" for t in TOOLS),
                flush=True,
            )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "models_stage.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    command = "python -m bench.models_stage_bench"
    command += f" --sizes {args.sizes}" if args.sizes != p.get_default("sizes") else ""
    command += f" --repeat {args.repeat}" if args.repeat != 3 else ""
    command += f" --bytecode {args.bytecode}" if args.bytecode != "both" else ""
    section = render(results, command, started, args.repeat, args.note)
    if not args.no_doc:
        put_section(DOC, section, BEGIN, END, AFTER, GENERATED)
    print(section)
    ok, _ = verdict(results)
    return 0 if ok or os.environ.get("SCHEMAUDIT_BENCH_NO_GATE") else 1


if __name__ == "__main__":
    sys.exit(main())
