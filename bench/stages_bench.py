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
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import machine, synth
from bench.doc_section import put_section
from bench.peak import measured
from bench.run import DEFAULT_PG_URL

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "PERFORMANCE.md"
BEGIN, END, AFTER = "<!-- stages:begin -->", "<!-- stages:end -->", "<!-- alembic:end -->"
TARGET = 1.5
REPORTS = ("json", "md", "html", "sarif", "text")
AUDIT, PLAN, PARSE = "floor: schemaudit audit (JSON report)", "schemaudit plan", "floor: markdown-it-py parse"


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
    if kind == "spec":
        from schemaudit.sources import load

        start = time.perf_counter()
        found = len(load(f"spec:{args[0]}").tables)
    elif kind == "markdown":
        from markdown_it import MarkdownIt

        start = time.perf_counter()
        found = len(MarkdownIt("commonmark").enable("table").parse(Path(args[0]).read_text(encoding="utf-8")))
    elif kind == "report":
        from schemaudit.audit import audit
        from schemaudit.report import render
        from schemaudit.sources import load

        result = audit(load(f"snapshot:{args[1]}"), load(f"snapshot:{args[2]}"))
        start = time.perf_counter()
        Path(args[3]).write_text(render(result, args[0]), encoding="utf-8")
        found = len(result.findings)
    else:
        raise SystemExit(f"unknown child {kind}")
    print(json.dumps({"seconds": time.perf_counter() - start, "found": found}))


def _run_child(kind: str, *args: str) -> tuple[float, int, int]:
    _, peak, out = measured([sys.executable, "-m", "bench.stages_bench", "--child", kind, *args])
    data = json.loads(out.strip().splitlines()[-1])
    return float(data["seconds"]), peak, int(data["found"])


def _round_robin(tools: dict[str, Any], repeat: int) -> dict[str, dict[str, Any]]:
    """tools: name -> call returning (seconds, peak MB, found). One warm-up each, then rounds."""
    for call in tools.values():
        call()
    out: dict[str, dict[str, Any]] = {n: {"samples": [], "peak": 0, "found": 0} for n in tools}
    for _ in range(repeat):
        for name, call in tools.items():
            seconds, peak, found = call()
            out[name]["samples"].append(seconds)
            out[name]["peak"] = max(out[name]["peak"], peak)
            out[name]["found"] = found
            print(f"{name}: {seconds:.2f} s, {peak} MB, found {found}", flush=True)
    for row in out.values():
        row["median"] = statistics.median(row["samples"])
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


def run_pair(tables: int, repeat: int, server: str, work: Path) -> dict[str, Any]:
    """Build the audit pair, then time audit vs plan (live) and the report formats (snapshots)."""
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

        def whole(cmd: list[str]) -> tuple[float, int, int]:
            seconds, peak, _ = measured(cmd, work)
            return seconds, peak, 0

        plans = _round_robin(
            {
                AUDIT: lambda: whole(audit_cmd),
                PLAN: lambda: whole(plan_cmd),
            },
            repeat,
        )
    snaps = (str(work / "target.json"), str(work / "current.json"))
    reports = _round_robin(
        {fmt: (lambda f=fmt: _run_child("report", f, *snaps, str(work / f"report.{f}"))) for fmt in REPORTS}, repeat
    )
    steps = len(list((work / "plan").glob("*"))) if (work / "plan").exists() else 0
    return {"tables": tables, "drift": len(drift), "plan": plans, "reports": reports, "plan_files": steps}


# ---- the section -------------------------------------------------------------------------


def _rows(group: dict[str, dict[str, Any]], floor: str, label: str, units: dict[str, str]) -> list[str]:
    """One table row per tool; `units` names what each tool's count counts (none: no count)."""
    base = group[floor]["median"]
    out = []
    for name, row in group.items():
        count = f"{row['found']:,} {units[name]}" if name in units else ""
        out.append(
            f"| {label} | {name} | {len(row['samples'])} | {row['median']:.3f} | {min(row['samples']):.3f} | "
            f"{row['median'] / base:.2f}x | "
            f"{row['peak']} | {count} |"
        )
    return out


def render_section(results: dict[str, Any], command: str, info: dict[str, Any]) -> str:
    rows: list[str] = []
    verdicts: list[tuple[str, float]] = []
    for size, group in results.get("spec", {}).items():
        lines = group.pop("lines")["count"]
        units = {PARSE: "tokens", "schemaudit spec:": "tables"}
        rows += _rows(group, PARSE, f"spec, {size:,} tables ({lines:,} lines)", units)
        ratio = group["schemaudit spec:"]["median"] / group[PARSE]["median"]
        verdicts.append((f"`spec:` at {size:,} tables {ratio:.2f}x its floor", ratio))
    pair = results.get("pair")
    if pair:
        label = f"{pair['tables']:,}-table pair"
        rows += _rows(pair["plan"], AUDIT, f"plan, {label}", {})
        ratio = pair["plan"][PLAN]["median"] / pair["plan"][AUDIT]["median"]
        verdicts.append((f"`plan` {ratio:.2f}x `audit`", ratio))
        rows += _rows(pair["reports"], "json", f"report, {label}", dict.fromkeys(REPORTS, "findings"))
        for fmt in REPORTS[1:]:
            r = pair["reports"][fmt]["median"] / pair["reports"]["json"]["median"]
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
            "| stage | tool | runs | median s | min s | x floor | peak MB | found |",
            "|---|---|--:|--:|--:|--:|--:|---|",
            *rows,
            "",
            f"Targets (within {TARGET}x of the floor, peak < 300 MB): {summary}: {met}; peak {peak} MB.",
            "",
            "Floors: markdown-it-py's parse of the same file for `spec:` (the parser the source itself runs); "
            "`schemaudit audit` of the same pair for `plan` (a plan reads and compares both sides as the audit "
            "does, then orders and spells the steps); writing the JSON report for the other formats. The pair "
            "is bench/audit_bench.py's (bench/synth.py's tables, 1% of the columns drifted by ALTERs).",
            "",
            END,
        ]
    )


def _groups(results: dict[str, Any]) -> list[dict[str, dict[str, Any]]]:
    out = [g for g in results.get("spec", {}).values()]
    if results.get("pair"):
        out += [results["pair"]["plan"], results["pair"]["reports"]]
    return [{k: v for k, v in g.items() if "peak" in v} for g in out]


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
    p.add_argument("--no-doc", action="store_true")
    args = p.parse_args(argv)
    info = machine.describe(args.pg_url)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="schemaudit-stages-bench-") as folder:
        work = Path(folder)
        if args.spec_sizes:
            results["spec"] = run_spec([int(s) for s in args.spec_sizes.split(",")], args.repeat, work)
        if args.tables:
            results["pair"] = run_pair(args.tables, args.pair_repeat, args.pg_url, work)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "stages.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    command = (
        f"python -m bench.stages_bench --spec-sizes {args.spec_sizes} --tables {args.tables} --repeat {args.repeat}"
    )
    section = render_section(results, command, info)
    print(section)
    if not args.no_doc:
        put_section(DOC, section, BEGIN, END, AFTER)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
