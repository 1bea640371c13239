"""`python -m bench.stages_bench`: the spec source, `plan` and the report formats, each against
its floor in the same run (issue 14).

- **spec:** bench/synth.py's tables written as a markdown spec (a heading per table, inline
  DDL list items, a unique and a CHECK item under each, a "Required Indexes" section), 100
  and 1,000 tables. Floor: markdown-it-py's `parse` of the same file (the parser the source
  uses), read from disk in the same way. Each sample a fresh child, imports before the clock.
- **plan:** the 5,000-table audit pair of bench/audit_bench.py on PostgreSQL (the synthetic
  schema, and a copy drifted by ALTERs in 1% of its columns). Floor: `schemaudit audit` of
  the same pair (JSON report); timed: `schemaudit plan` (SQL, a plan folder). Both whole
  commands, interpreter start-up included.
- **reports:** the same pair's audit, read from snapshots of both sides, written as md, html,
  sarif and text. Floor: writing the JSON report. Each sample a fresh child that loads and
  audits before the clock, then renders and writes one format.

Peak memory is each command's own (bench/peak.py). Tools run round-robin after one untimed
warm-up each; medians. The section goes between `<!-- stages:begin -->` and
`<!-- stages:end -->` in docs/PERFORMANCE.md. `--tables 500 --spec-sizes 100 --repeat 1` runs
in a few minutes; the defaults are the docs' figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import machine, synth
from bench.doc_section import put_section
from bench.peak import measured, measured_cpu
from bench.run import DEFAULT_PG_URL

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "PERFORMANCE.md"
BEGIN, END, AFTER = "<!-- stages:begin -->", "<!-- stages:end -->", "<!-- alembic:end -->"
TARGET = 1.5
REPORTS = ("json", "md", "html", "sarif", "text")
AUDIT, PLAN, PARSE = "floor: schemaudit audit (JSON report)", "schemaudit plan", "floor: markdown-it-py parse"
MIGRA = "migra --unsafe (statements)"


def spec_markdown(n: int) -> str:
    """bench/synth.py's first `n` tables as a markdown spec the `spec:` source reads whole."""
    out = ["# Technical spec", "", "## 5. Database", ""]
    indexes: list[str] = []
    for i in range(n):
        table = synth.make_table(i)
        out += [f"### 5.{i + 1} {table.name}", ""] + ([table.comment, ""] if table.comment else [])
        fks = {fk.column: fk for fk in table.foreign_keys}
        for k, col in enumerate(table.columns, 1):
            text = synth._column_sql(col, table, "postgresql")
            if col.name in fks:
                text += f" FK -> {fks[col.name].ref_table}.id ON DELETE {fks[col.name].on_delete}"
            out.append(f"{k}. `{text}`")
        out += ["", f"- unique `({table.unique[1]})`", f"- **Constraint:** CHECK ({table.check[1]})", ""]
        indexes += [f"- `{table.name}({', '.join(ix.columns)})`" for ix in table.indexes]
    return "\n".join([*out, "## 6. Required Indexes", "", *indexes, ""])


# ---- children: one stage each, imports before the clock, JSON on stdout --------------------


def _child(kind: str, args: list[str]) -> None:
    """One sample. spec and markdown first read a two-table spec untimed: the spec source
    imports markdown-it and sqlglot when first used, which is not what is timed."""
    if kind == "spec":
        from schemaudit.sources import load
        from schemaudit.sources.spec.source import read_spec

        read_spec(spec_markdown(2), "warm.md")
        start, cpu_start = time.perf_counter(), time.process_time()
        found = len(load(f"spec:{args[0]}").tables)
    elif kind == "markdown":
        from markdown_it import MarkdownIt

        MarkdownIt("commonmark").enable("table").parse(spec_markdown(2))
        start, cpu_start = time.perf_counter(), time.process_time()
        found = len(MarkdownIt("commonmark").enable("table").parse(Path(args[0]).read_text(encoding="utf-8")))
    elif kind == "report":
        from schemaudit.audit import audit
        from schemaudit.report import render
        from schemaudit.sources import load

        result = audit(load(f"snapshot:{args[1]}"), load(f"snapshot:{args[2]}"))
        start, cpu = time.perf_counter(), time.process_time()
        Path(args[3]).write_text(render(result, args[0]), encoding="utf-8")
        found = len(result.findings)
        print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "found": found}))
        return
    else:
        raise SystemExit(f"unknown child {kind}")
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu_start, "found": found}))


def _run_child(kind: str, *args: str) -> Sample:
    _, peak, out = measured([sys.executable, "-m", "bench.stages_bench", "--child", kind, *args])
    data = json.loads(out.strip().splitlines()[-1])
    return float(data["seconds"]), peak, int(data["found"]), float(data["cpu"])


Sample = tuple[float, int, int, float]  # wall seconds, peak MB, what it found, CPU seconds


def _round_robin(tools: dict[str, Any], repeat: int) -> dict[str, dict[str, Any]]:
    """tools: name -> call returning a Sample. One warm-up each, then rounds."""
    for call in tools.values():
        call()
    out: dict[str, dict[str, Any]] = {n: {"samples": [], "cpu": [], "peak": 0, "found": 0} for n in tools}
    for _ in range(repeat):
        for name, call in tools.items():
            seconds, peak, found, cpu = call()
            out[name]["samples"].append(seconds)
            out[name]["cpu"].append(cpu)
            out[name]["peak"] = max(out[name]["peak"], peak)
            out[name]["found"] = found
            print(f"{name}: {seconds:.2f} s, CPU {cpu:.2f} s, {peak} MB, found {found}", flush=True)
    for row in out.values():
        row["median"] = statistics.median(row["samples"])
        row["cpu_best"] = min(row["cpu"])
    return out


def run_spec(sizes: list[int], repeat: int, work: Path) -> dict[int, dict[str, dict[str, Any]]]:
    results = {}
    for size in sizes:
        file = work / f"spec_{size}.md"
        file.write_text(spec_markdown(size), encoding="utf-8")
        tools = {
            PARSE: lambda f=str(file): _run_child("markdown", f),
            "schemaudit spec:": lambda f=str(file): _run_child("spec", f),
        }
        results[size] = _round_robin(tools, repeat) | {"lines": {"count": file.read_text().count("\n")}}
    return results


def run_pair(tables: int, repeat: int, server: str, work: Path, migra: str | None) -> dict[str, Any]:
    """Build the audit pair, then time audit vs plan (live) and the report formats (snapshots);
    with `migra` (its command), migra's statements for the same pair beside the plan."""
    from bench.audit_bench import drifted_copy, mutations
    from bench.databases import scratch_postgresql
    from schemaudit.snapshot import dumps
    from schemaudit.sources import load

    drift = mutations(tables)
    with scratch_postgresql(server, tables) as target, drifted_copy(server, target.url, tables, drift) as (current, _):
        for side, url in (("target", target.url), ("current", current)):
            (work / f"{side}.json").write_text(dumps(load(url)), encoding="utf-8")
        cli = [sys.executable, "-m", "schemaudit.cli"]
        pair = ["--target", target.url, "--current", current]
        audit_cmd = [*cli, "audit", *pair, "--format", "json", "--fail-on", "never", "-q", "-o", str(work / "a.json")]
        plan_cmd = [*cli, "plan", *pair, "-o", str(work / "plan")]

        def whole(cmd: list[str], ok: tuple[int, ...] = (0,)) -> Sample:
            seconds, peak, out, cpu = measured_cpu(cmd, work, ok)
            return seconds, peak, sum(1 for line in out.splitlines() if line.rstrip().endswith(";")), cpu

        tools = {AUDIT: lambda: whole(audit_cmd), PLAN: lambda: whole(plan_cmd)}
        if migra:  # migra FROM TARGET, the SQL on stdout; exit 2: there were differences (its driver: psycopg2)
            sides = [u.replace("postgresql://", "postgresql+psycopg2://", 1) for u in (current, target.url)]
            tools[MIGRA] = lambda: whole([migra, "--unsafe", *sides], (0, 2))
        plans = _round_robin(tools, repeat)
    snaps = (str(work / "target.json"), str(work / "current.json"))
    reports = _round_robin(
        {fmt: (lambda f=fmt: _run_child("report", f, *snaps, str(work / f"report.{f}"))) for fmt in REPORTS}, repeat
    )
    steps = len(list((work / "plan").glob("*"))) if (work / "plan").exists() else 0
    browser = chromium_load(work / "report.html", repeat)
    return {
        "tables": tables,
        "drift": len(drift),
        "plan": plans,
        "reports": reports,
        "plan_files": steps,
        "chromium": browser,
        "html_mb": (work / "report.html").stat().st_size / 1e6,
    }


def chromium_load(page: Path, repeat: int) -> dict[str, Any] | None:
    """The HTML report opened in headless Chromium (tests/test_html_browser.py's driver):
    seconds from navigating to the load event, best and median of `repeat` after one
    warm-up, and the page's own navigation timing of the best run. None without Chromium."""
    from tests.test_html_browser import CHROMIUM, Browser

    if CHROMIUM is None:
        return None
    browser = Browser(CHROMIUM)
    try:
        version = browser.call("Browser.getVersion").get("product", "Chromium")
        samples: list[tuple[float, dict[str, float]]] = []
        for round_ in range(repeat + 1):
            browser.open("about:blank")
            started = time.perf_counter()
            browser.open(page.as_uri())
            seconds = time.perf_counter() - started
            timing = browser.js(
                "(() => { const n = performance.getEntriesByType('navigation')[0];"
                " return {dom: n.domContentLoadedEventEnd / 1000, load: n.loadEventEnd / 1000}; })()"
            )
            problems = browser.problems()
            if problems:
                raise SystemExit(f"{page} in Chromium: {problems[:3]}")
            if round_:  # the first is the warm-up
                samples.append((seconds, timing))
                print(f"html in Chromium: load event after {seconds:.2f} s", flush=True)
    finally:
        browser.close()
    best = min(samples, key=lambda s: s[0])
    return {
        "version": version,
        "samples": [s for s, _ in samples],
        "best": best[0],
        "median": statistics.median(s for s, _ in samples),
        "dom": best[1]["dom"],
        "load": best[1]["load"],
    }


# ---- the section -------------------------------------------------------------------------


def _rows(group: dict[str, dict[str, Any]], floor: str, label: str, units: dict[str, str]) -> list[str]:
    """One table row per tool; `units` names what each tool's count counts (none: no count)."""
    base, base_cpu = group[floor]["median"], group[floor]["cpu_best"]
    out = []
    for name, row in group.items():
        count = f"{row['found']:,} {units[name]}" if name in units else ""
        out.append(
            f"| {label} | {name} | {len(row['samples'])} | {row['median']:.3f} | {min(row['samples']):.3f} | "
            f"{row['median'] / base:.2f}x | {row['cpu_best']:.3f} | {row['cpu_best'] / base_cpu:.2f}x | "
            f"{row['peak']} | {count} |"
        )
    return out


def _cpu_ratio(group: dict[str, dict[str, Any]], tool: str, floor: str) -> float:
    return float(group[tool]["cpu_best"] / group[floor]["cpu_best"])


def render_section(results: dict[str, Any], command: str, info: dict[str, Any]) -> str:
    rows: list[str] = []
    verdicts: list[tuple[str, float]] = []
    for size, group in results.get("spec", {}).items():
        lines = group.pop("lines")["count"]
        units = {PARSE: "tokens", "schemaudit spec:": "tables"}
        rows += _rows(group, PARSE, f"spec, {size:,} tables ({lines:,} lines)", units)
        ratio = _cpu_ratio(group, "schemaudit spec:", PARSE)
        verdicts.append((f"`spec:` at {size:,} tables {ratio:.2f}x its floor", ratio))
    pair = results.get("pair")
    if pair:
        label = f"{pair['tables']:,}-table pair"
        rows += _rows(pair["plan"], AUDIT, f"plan, {label}", {MIGRA: "statements"})
        ratio = _cpu_ratio(pair["plan"], PLAN, AUDIT)
        verdicts.append((f"`plan` {ratio:.2f}x `audit`", ratio))
        rows += _rows(pair["reports"], "json", f"report, {label}", dict.fromkeys(REPORTS, "findings"))
        for fmt in REPORTS[1:]:
            r = _cpu_ratio(pair["reports"], fmt, "json")
            verdicts.append((f"{fmt} {r:.2f}x JSON", r))
    peak = max((row["peak"] for g in _groups(results) for row in g.values()), default=0)
    summary = "; ".join(text for text, _ in verdicts)
    met = "met" if all(r <= TARGET for _, r in verdicts) else "**not met** where above"
    load = info.get("load_average") or (0, 0, 0)
    return "\n".join(
        [
            BEGIN,
            "",
            "## Specs, plans and reports (issue 14)",
            "",
            f"Measured {info['date']} with `{command}` (bench/stages_bench.py; fresh child per sample, tools "
            "round-robin after one untimed warm-up each; medians). spec and report rows time the stage inside "
            "the child (imports, and for reports loading both snapshots and the audit, before the clock); plan "
            "rows time the whole command, interpreter start-up included.",
            "",
            f"Machine: {info.get('cores')} cores ({info.get('cpu')}), Python {info.get('python')}, PostgreSQL "
            f"{info.get('postgresql')}; load average {load[0]:.2f} at start (the machine is shared: read the "
            "ratios, not the seconds).",
            "",
            "| stage | tool | runs | median s | min s | x floor | CPU s (best) | x floor, CPU (best) | peak MB "
            "| found |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
            *rows,
            "",
            "*x floor*: medians of wall time; *x floor, CPU (best)*: the least CPU time of each tool's runs against "
            "the floor's (the stage's own CPU seconds in the child for spec and report rows, the whole command's, its "
            "children included, for plan rows), which a machine this loaded measures more steadily than wall time. "
            "The targets are judged on it.",
            "",
            f"Targets (within {TARGET}x of the floor in CPU time, peak < 300 MB): {summary}: {met}; peak {peak} MB.",
            *_also(pair),
            "",
            "Floors: markdown-it-py's parse of the same file for `spec:` (the parser the source itself runs); "
            "`schemaudit audit` of the same pair for `plan` (a plan reads and compares both sides as the audit "
            "does, then orders and spells the steps); writing the JSON report for the other formats. The JSON "
            "report names the plan step that fixes each finding, so both floors build the plan too. The pair "
            "is bench/audit_bench.py's (bench/synth.py's tables, 1% of the columns drifted by ALTERs).",
            "",
            END,
        ]
    )


def _also(pair: dict[str, Any] | None) -> list[str]:
    """The lines for what is measured beside the floors: migra and Chromium."""
    if not pair:
        return []
    out = []
    if MIGRA in pair["plan"]:
        m = pair["plan"][MIGRA]
        ratio = m["cpu_best"] / pair["plan"][PLAN]["cpu_best"]
        out += [
            "",
            f"Also measured: `migra --unsafe CURRENT TARGET` ({pair.get('migra_version', 'migra')}, installed in a "
            "venv of its own, not a dependency) writes its statements for the same pair: "
            f"{m['found']:,} statements, best CPU {m['cpu_best']:.2f} s, {ratio:.2f}x `schemaudit plan`'s "
            f"(wall median {m['median']:.2f} s), peak {m['peak']} MB.",
        ]
    browser = pair.get("chromium")
    if browser:
        out += [
            "",
            f"HTML report ({pair['html_mb']:.1f} MB) opened from file:// in headless {browser['version']} "
            "(tests/test_html_browser.py's driver, one browser, a blank page between runs): the load event "
            f"{browser['best']:.2f} s after navigating (best of {len(browser['samples'])}; median "
            f"{browser['median']:.2f} s); in that run the page's own navigation timing put DOMContentLoaded at "
            f"{browser['dom']:.2f} s and the end of the load event at {browser['load']:.2f} s; no console error.",
        ]
    return out


def _groups(results: dict[str, Any]) -> list[dict[str, dict[str, Any]]]:
    out = [g for g in results.get("spec", {}).values()]
    if results.get("pair"):
        out += [results["pair"]["plan"], results["pair"]["reports"]]
    return [{k: v for k, v in g.items() if "peak" in v and k != MIGRA} for g in out]  # schemaudit's peaks


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        _child(argv[1], argv[2:])
        return 0
    p = argparse.ArgumentParser(prog="python -m bench.stages_bench", description=__doc__.splitlines()[0])
    p.add_argument("--spec-sizes", default="100,1000")
    p.add_argument("--tables", type=int, default=5000, help="tables of the audit pair (0: skip plan and reports)")
    p.add_argument("--repeat", type=int, default=3, help="runs per tool for the spec sizes")
    p.add_argument("--pair-repeat", type=int, default=1, help="runs per tool on the audit pair (plan, reports)")
    p.add_argument("--pg-url", default=DEFAULT_PG_URL)
    p.add_argument("--migra", help="a migra command (in a venv of its own) to time beside the plan")
    p.add_argument("--no-doc", action="store_true")
    args = p.parse_args(argv)
    info = machine.describe(args.pg_url)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="schemaudit-stages-bench-") as folder:
        work = Path(folder)
        if args.spec_sizes:
            results["spec"] = run_spec([int(s) for s in args.spec_sizes.split(",")], args.repeat, work)
        if args.tables:
            migra = str(Path(args.migra).resolve()) if args.migra else None  # the children run elsewhere
            results["pair"] = run_pair(args.tables, args.pair_repeat, args.pg_url, work, migra)
            if migra:
                results["pair"]["migra_version"] = _migra_version(migra)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "stages.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    command = (
        f"python -m bench.stages_bench --spec-sizes {args.spec_sizes} --tables {args.tables} --repeat {args.repeat} "
        f"--pair-repeat {args.pair_repeat}" + (f" --migra {args.migra}" if args.migra else "")
    )
    section = render_section(results, command, info)
    print(section)
    if not args.no_doc:
        put_section(DOC, section, BEGIN, END, AFTER)
    return 0


def _migra_version(command: str) -> str:
    """migra's and schemainspect's versions, asked of the interpreter beside the command."""
    python = Path(command).parent / "python"
    script = "import importlib.metadata as m; print(m.version('migra'), m.version('schemainspect'))"
    try:
        done = subprocess.run([str(python), "-c", script], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "migra"
    migra, inspect = done.stdout.split()
    return f"migra {migra}, schemainspect {inspect}"


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
