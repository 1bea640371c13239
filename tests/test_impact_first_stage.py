"""The code search's first stage (RE2 picks candidate lines and the tables a file names)
finds exactly what the previous search found (the exact regex over every byte of every
file): on the impact fixture, on the bundled examples' files searched for the demo audit's
names, and on texts built to sit on every boundary the two stages judge differently.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from schemaudit.audit import audit, load_config
from schemaudit.impact import Hit, Kind, SearchName, search_names
from schemaudit.impact.listing import list_code_files
from schemaudit.impact.scan import Plan, _first_stage, make_plan, read_code, search, search_bytes
from schemaudit.sources import load
from tests.test_impact import Case, _names, build_case

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "creative-pipeline"


def both_ways(data: bytes, plan: Plan) -> tuple[list[Hit], list[Hit]]:
    assert plan.first_stage
    return search_bytes(data, "f", plan), search_bytes(data, "f", replace(plan, first_stage=False))


def tree_hits(root: Path, plan: Plan, first_stage: bool) -> list[object]:
    listing = list_code_files(root)
    names = tuple(n for e in plan.entries.values() for n in e.names)
    found = search(root, listing.files, replace(plan, first_stage=first_stage), label="t", listing="x", names=names)
    return [*found.hits, *found.skipped]


def test_the_fixture_tree_gives_the_same_hits(tmp_path: Path) -> None:
    case: Case = build_case(tmp_path)
    result = audit(*case.schemas())
    known = {t.name for t in result.target.tables} | {t.name for t in result.current.tables}
    plan = make_plan(search_names(result), known)
    assert _first_stage(plan).exact_tables  # the first stage is what runs
    new, old = tree_hits(case.code, plan, True), tree_hits(case.code, plan, False)
    assert new == old
    assert len(new) > 10


def test_the_examples_give_the_same_hits_for_the_demo_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's names (renamed `users`, `run_job_candidates`, 14 columns, 11 missing
    tables) searched through every file of the examples, the fixture code and the sources."""
    monkeypatch.chdir(DEMO)
    result = audit(load("spec:docs/TECH_SPEC.md#5"), load("python:scripts/backend.py:init_schema"), load_config())
    known = {t.name for t in result.target.tables} | {t.name for t in result.current.tables}
    names = search_names(result)
    assert len(names) > 20
    for plan in (make_plan(names, known), make_plan(tuple(replace(n, standalone=False) for n in names), known)):
        assert _first_stage(plan).exact_tables
        compared = 0
        for folder in (ROOT / "examples", ROOT / "tests" / "data" / "impact", ROOT / "src"):
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                data = read_code(path, path.name, plan.max_bytes)
                if isinstance(data, bytes):
                    new, old = both_ways(data, plan)
                    assert new == old, path
                    compared += len(new)
        assert compared > 100


EDGES = [
    "users",
    "users\n",
    "\nusers",
    "users,users;users users\tusers",
    "$users users$ users_x x_users é users é\xa0users",
    'SELECT * FROM "users" JOIN [users] ON `users`.id\r\nfrom users\r\n',
    "runs.mode = 1\nmode\nrow.mode\nprojects.mode\n",
    "mode only, no table here\nfinal_output_path\n",
    "class Run:\n    mode: str\n",
    "$runs = 1\nmode = 2\n",
    "Runsé = 1\nmode = 2\n",
    "runs$x = 1\nmode = 2\n",
    "Runs.mode RUNS.MODE runs_mode mode$ $mode",
    "\n\n\nrUsers USERS Users\n" * 3,
    "x = 'runs'  # " + "y" * 5000 + " mode\n",
]


@pytest.mark.parametrize("text", EDGES)
def test_boundaries_give_the_same_hits(text: str) -> None:
    plan = make_plan(_names(), ("users", "runs", "projects", "app_users"))
    new, old = both_ways(text.encode("utf-8"), plan)
    assert new == old


@pytest.mark.parametrize("text", EDGES)
def test_latin1_and_invalid_utf8_give_the_same_hits(text: str) -> None:
    plan = make_plan(_names(), ("users", "runs", "projects", "app_users"))
    data = text.encode("latin-1", "replace").replace(b"e", b"\xe9\xff")
    new, old = both_ways(data, plan)
    assert new == old


def test_spellings_that_are_not_words_search_whole_files_the_previous_way() -> None:
    """A table spelled with a space or a hyphen: the set of table spellings could not tell
    what the exact regex tells, so the whole file is searched by it."""
    names = (
        SearchName(Kind.TABLE, "order items", "order items", None, "SA101"),
        SearchName(Kind.COLUMN, "line-items", "qty", None, "SA111", "line-items", ("line-items",), False),
        SearchName(Kind.TABLE, "ñandú", "ñandú", None, "SA101"),
    )
    plan = make_plan(names, ("order items", "line-items", "ñandú"))
    assert not _first_stage(plan).exact_tables
    text = 'SELECT qty FROM `line-items`, "order items" WHERE ñandú.qty > 1\nqty\norder items_x order itemsy\n'
    new, old = both_ways(text.encode("utf-8"), plan)
    assert new == old
    assert [h.spelling for h in new] == ["qty", "order items", "ñandú", "qty"]


def test_a_plan_with_word_spellings_only_uses_the_first_stage() -> None:
    plan = make_plan(_names(), ("users", "runs"))
    stage = _first_stage(plan)
    assert stage.exact_tables
    assert stage.line_spans(b"a\nSELECT users\nb users_x\n") == [(2, 14)]
    assert stage.tables_named(b"x Runs y") == {"runs"}
    assert stage.tables_named(b"x Runs_y $runs") == set()
