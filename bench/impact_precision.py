"""Precision and recall of the code search (`schemaudit impact`) against hand-labelled uses.

    .venv/bin/python -m bench.impact_precision [--label NAME]

Each case is a code folder and a schema change. Every place the word-level search (the
search without its precise stage: a name standing as a whole word) reports is listed in
`tests/data/impact_labels/NAME.tsv` with a verdict a person gave it: `use` (code that reads
or writes that table or column, and must change with it) or `not` (a variable, parameter,
comment, docstring or another table's column of the same name). Precision is the share of
what a search reports that is a use; recall the share of the labelled uses it reports (the
word-level search reports them all, by construction). A place the search reports that the
file does not list stops the run: it must be labelled first.

`--label NAME` writes the file for a case, keeping the verdicts already given and marking
new places `?`. The cases: the two examples, and ihatemoney 7.2.1 (its sdist unpacked at
$SCHEMAUDIT_IHATEMONEY) with the schema change of its own migration 927ed575acbd (add
currencies), both sides as snapshots its Alembic history builds (`tests/data/impact_labels/`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "impact_labels"
HEADER = "# path\tline\tcolumn\tchange\tverdict\tcode"
VERDICTS = ("use", "not")

Key = tuple[str, int, int, str]  # path, line, column, change label


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path | None  # None: not available here
    argv: tuple[str, ...]  # the impact command's schema options, run from `folder`


def cases() -> tuple[Case, ...]:
    ihatemoney = os.environ.get("SCHEMAUDIT_IHATEMONEY")
    return (
        Case(
            "creative-pipeline",
            ROOT / "examples" / "creative-pipeline",
            ("--target", "spec:docs/TECH_SPEC.md#5", "--current", "python:scripts/backend.py:init_schema"),
        ),
        Case(
            "anime-catalog",
            ROOT / "examples" / "anime-catalog",
            ("--target", "models:app.models:Base", "--current", "alembic:alembic.ini", "--revision", "0005"),
        ),
        Case(
            "ihatemoney",
            Path(ihatemoney) if ihatemoney else None,
            (
                "--target",
                f"snapshot:{LABELS / 'ihatemoney-927ed575acbd.json'}",
                "--current",
                f"snapshot:{LABELS / 'ihatemoney-cb038f79982e.json'}",
            ),
        ),
    )


@dataclass(frozen=True)
class Figures:
    reported_before: int
    true_before: int
    reported_after: int
    true_after: int
    uses: int  # labelled uses

    @property
    def precision_before(self) -> float:
        return self.true_before / self.reported_before if self.reported_before else 1.0

    @property
    def precision_after(self) -> float:
        return self.true_after / self.reported_after if self.reported_after else 1.0

    @property
    def recall_before(self) -> float:
        return self.true_before / self.uses if self.uses else 1.0

    @property
    def recall_after(self) -> float:
        return self.true_after / self.uses if self.uses else 1.0


def found(case: Case, precise: bool) -> set[Key]:
    """The (path, line, column, change) of every use the search reports."""
    from schemaudit.audit import audit
    from schemaudit.cli import build_parser
    from schemaudit.commands.common import config_with_hints, load_pair
    from schemaudit.impact import search_names
    from schemaudit.impact.listing import list_code_files
    from schemaudit.impact.scan import make_plan, search

    assert case.folder is not None
    with contextlib.chdir(case.folder):
        args = build_parser().parse_args(["impact", "--code", ".", *case.argv])
        config = config_with_hints(args)
        target, current, _, _ = load_pair(args)
        result = audit(target, current, config)
        names = search_names(result)
        known = {t.name for t in result.target.tables} | {t.name for t in result.current.tables}
        plan = replace(make_plan(names, known), precise=precise)
        listing = list_code_files(Path("."))
        impact = search(Path("."), listing.files, plan, label=".", listing=listing.method, names=names, jobs=1)
    return {(h.path, h.line, h.column, n.label) for h in impact.hits for n in h.names}


def read_labels(name: str) -> dict[Key, tuple[str, str]]:
    """Key -> (verdict, the line's code) from a case's label file."""
    out: dict[Key, tuple[str, str]] = {}
    path = LABELS / f"{name}.tsv"
    if not path.exists():
        return out
    for row in path.read_text(encoding="utf-8").splitlines():
        if not row or row.startswith("#"):
            continue
        file, line, column, change, verdict, code = row.split("\t", 5)
        out[(file, int(line), int(column), change)] = (verdict, code)
    return out


def figures(before: set[Key], after: set[Key], labels: dict[Key, tuple[str, str]]) -> Figures:
    unlabelled = sorted(k for k in before | after if labels.get(k, ("?", ""))[0] not in VERDICTS)
    if unlabelled:
        raise ValueError(f"{len(unlabelled)} places have no verdict, first {unlabelled[0]}")
    uses = {k for k, (verdict, _) in labels.items() if verdict == "use"}
    return Figures(len(before), len(before & uses), len(after), len(after & uses), len(uses))


def write_labels(case: Case, before: set[Key]) -> Path:
    """The case's label file with every word-level place, verdicts kept, new ones `?`."""
    labels = read_labels(case.name)
    assert case.folder is not None
    rows = [HEADER]
    for key in sorted(before | set(labels)):
        verdict, code = labels.get(key, ("?", _line(case.folder / key[0], key[1])))
        rows.append("\t".join((key[0], str(key[1]), str(key[2]), key[3], verdict, code)))
    path = LABELS / f"{case.name}.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _line(path: Path, number: int) -> str:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return lines[number - 1].strip().replace("\t", " ")[:160] if number <= len(lines) else ""


def table(results: Sequence[tuple[Case, Figures]]) -> str:
    rows = [
        "| code and change | reported before | precision before | recall before "
        "| reported after | precision after | recall after |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for case, f in results:
        rows.append(
            f"| {case.name} | {f.reported_before} | {f.true_before} of {f.reported_before} "
            f"({f.precision_before:.2f}) | {f.true_before} of {f.uses} ({f.recall_before:.2f}) "
            f"| {f.reported_after} | {f.true_after} of {f.reported_after} ({f.precision_after:.2f}) "
            f"| {f.true_after} of {f.uses} ({f.recall_after:.2f}) |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", metavar="NAME", help="write the label file of this case (new places get `?`)")
    args = parser.parse_args(argv)
    results: list[tuple[Case, Figures]] = []
    for case in cases():
        if case.folder is None or (args.label and case.name != args.label):
            print(f"{case.name}: skipped (not available here)", file=sys.stderr)
            continue
        before, after = found(case, precise=False), found(case, precise=True)
        if args.label:
            print(write_labels(case, before))
            return 0
        results.append((case, figures(before, after, read_labels(case.name))))
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
