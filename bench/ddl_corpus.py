"""`python -m bench.ddl_corpus`: the `ddl:` source on the real dumps of `../shared/corpus/`.

bench/ddl_bench.py measures bench/synth.py's regular tables at three sizes; these are the
schemas people actually write (pg_dump output with functions and triggers, MySQL dumps with
`source` lines, SQLite files with data). Each file is read by the same two children as
there, each sample a fresh process: the floor (sqlglot's compiled `parse` of the whole
text; a dump sqlglot cannot read whole is parsed with `ErrorLevel.IGNORE`, which reads
what it can and skips the rest) and schemaudit's `load("ddl:FILE?dialect=D")`. The files
are small (milliseconds), so each tool's best of `--repeat` samples is compared, the two
tools taking turns. Results go to bench/results/ddl_corpus.json and between
`<!-- ddl-corpus:begin -->` and `<!-- ddl-corpus:end -->` in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from bench.ddl_bench import ROOT, Sample, _fmt, _sample
from bench.doc_section import put_section

BEGIN, END, AFTER = "<!-- ddl-corpus:begin -->", "<!-- ddl-corpus:end -->", "<!-- ddl:end -->"
CORPUS = ROOT.parent / "shared" / "corpus"
# (path under the corpus, dialect and any more of the spec's query, what the file holds)
FILES = (
    ("pagila/pagila-schema.sql", "postgresql", "pg_dump: partitioned tables, views, functions, triggers"),
    ("chinook/Chinook_PostgreSql.sql", "postgresql", "tables and their data (multi-row INSERTs)"),
    ("chinook/Chinook_MySql.sql", "mysql", "tables and their data (multi-row INSERTs)"),
    ("chinook/Chinook_Sqlite.sql", "sqlite", "tables and their data (multi-row INSERTs)"),
    ("realworld/synapse/54/full.sql.postgres", "postgresql", "Synapse schema dump, version 54"),
    ("realworld/synapse/72/full.sql.postgres", "postgresql", "Synapse schema dump, version 72"),
    ("realworld/synapse/54/full.sql.sqlite", "sqlite", "Synapse schema dump, version 54"),
    ("realworld/synapse/72/full.sql.sqlite", "sqlite", "Synapse schema dump, version 72"),
    ("realworld/openstreetmap/structure.sql", "postgresql", "Rails structure.sql (pg_dump)"),
    ("realworld/sakila/sakila-mv-schema.sql", "mysql", "MySQL dump: tables, views, routines, triggers"),
    ("realworld/employees/employees.sql", "mysql&lenient=1", "`source`s data files (lenient)"),
    ("realworld/employees/employees_partitioned.sql", "mysql&lenient=1", "partitioned, `source`s data (lenient)"),
)
TOOLS = ("floor", "schemaudit")


def run(repeat: int) -> dict[str, Any]:
    results: dict[str, Any] = {"files": []}
    for name, dialect, about in FILES:
        path = CORPUS / name
        if not path.exists():
            raise SystemExit(f"the shared corpus is not here ({path} missing)")
        samples: dict[str, list[Sample]] = {tool: [] for tool in TOOLS}
        for _ in range(repeat):
            for tool in TOOLS:
                sample = _sample(tool, dialect, path, "")
                if sample.count <= 0:
                    raise SystemExit(f"{tool} read nothing from {name}")
                samples[tool].append(sample)
        best = {tool: min(s.seconds for s in got) for tool, got in samples.items()}
        row = {
            "file": name,
            "dialect": dialect.partition("&")[0],
            "about": about,
            "lines": len(path.read_text(encoding="utf-8-sig").splitlines()),
            "tables": samples["schemaudit"][0].count,
            "statements": samples["floor"][0].count,
            "best": best,
            "samples": {tool: [s.seconds for s in got] for tool, got in samples.items()},
            "peak_mb": max(s.peak_mb for s in samples["schemaudit"]),
        }
        results["files"].append(row)
        print(f"{name}: floor {best['floor']:.4f} s, schemaudit {best['schemaudit']:.4f} s", flush=True)
    return results


def render(results: dict[str, Any], command: str) -> str:
    out = [
        BEGIN,
        "",
        "### The real dumps of `../shared/corpus/`",
        "",
        f"Measured {results['when']} with `{command}` (bench/ddl_corpus.py: the same children as "
        f"bench/ddl_bench.py, tools taking turns, best of {results['repeat']} each; load average "
        f"{results['load_before']} at start, {results['load_after']} at end).",
        "",
        "| file | dialect | what it holds | lines | tables read | floor: sqlglot parse s | schemaudit ddl: s "
        "| x floor | peak MB |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    dialects = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite"}
    within = 0
    for row in results["files"]:
        floor, ours = row["best"]["floor"], row["best"]["schemaudit"]
        within += ours <= floor * 1.5
        out.append(
            f"| {row['file']} | {dialects[row['dialect']]} | {row['about']} | {row['lines']:,} | {row['tables']} | "
            f"{_fmt(floor)} | {_fmt(ours)} | {ours / floor:.2f}x | {row['peak_mb']:.0f} |"
        )
    out += [
        "",
        f"{within} of {len(results['files'])} files read within 1.5x of the floor. The floor parses every "
        "statement, data included (Chinook's INSERTs), where the DDL source skips data unread; sqlglot "
        "cannot parse pagila, Chinook's PostgreSQL file, Sakila or employees whole, so there the floor "
        "is its `ErrorLevel.IGNORE` parse, which reads what it can. For SQLite the DDL source runs the "
        "statements in an in-memory SQLite (see above), not only a parse. Most files read in tens of "
        "milliseconds, where one run to the next on this shared machine differs by up to 2x: read their "
        "ratios as indicative, the synthetic sizes above as the measure.",
        "",
        END,
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.ddl_corpus", description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5, help="samples of each tool per file (default: %(default)s)")
    p.add_argument("--no-doc", action="store_true")
    args = p.parse_args(argv)
    load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    results = run(args.repeat)
    results["repeat"] = args.repeat
    results["load_before"], results["load_after"] = load_before, " / ".join(f"{x:.2f}" for x in os.getloadavg())
    results["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ddl_corpus.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    command = "python -m bench.ddl_corpus " + " ".join(argv if argv is not None else sys.argv[1:])
    section = render(results, command.strip())
    if not args.no_doc:
        put_section(ROOT / "docs" / "PERFORMANCE.md", section, BEGIN, END, AFTER)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
