"""The HTML report as a file: golden output, self-contained (nothing fetched from anywhere),
everything from the schemas escaped, the plan from the planner or the fixes without it.
The page in a real browser is `test_html_browser.py`."""

from __future__ import annotations

import html
import re
import sqlite3
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from schemaudit.audit import Severity, audit
from schemaudit.impact import find_impact
from schemaudit.report import html_diagram, html_report
from schemaudit.report.html_plan import fixes_view, plan_view
from schemaudit.sources import load
from tests.test_audit_golden import check_or_update
from tests.test_cli import run
from tests.test_impact import DATA, Case, build_case


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return build_case(tmp_path)


class _Collect(HTMLParser):
    """Tags and attributes, and whether the document nests properly."""

    VOID = {"meta", "br", "input", "link", "img", "rect", "path"}

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()


def parse(page: str) -> _Collect:
    parser = _Collect()
    parser.feed(page)
    parser.close()
    assert not parser.errors and not parser.stack, (parser.errors[:3], parser.stack)
    return parser


def test_html_golden_with_the_recommended_fixes(case: Case) -> None:
    target, current = case.schemas()
    result = audit(replace(target, origin="target.sql"), replace(current, origin="current.sql"))
    impact = find_impact(result, case.code, label="code")
    page = html_report.render(result, None, impact, fixes_view(result, "golden file: planner left out"))
    check_or_update(DATA / "expected_report.html", page)
    parse(page)


def test_the_page_needs_nothing_from_outside(case: Case) -> None:
    page = run("audit", *case.args("--code", "code", "--format", "html"), cwd=case.cwd).stdout
    tags = parse(page).tags
    assert not [t for t, _ in tags if t in ("link", "img", "iframe", "object", "embed")]
    assert all("src" not in attrs for t, attrs in tags if t == "script")  # inline scripts only
    external = [
        v for _, attrs in tags for k, v in attrs.items() if k in ("src", "href") and v and not v.startswith("#")
    ]
    assert external == []
    assert "url(" not in re.sub(r"url\(#arrow\)", "", page)  # no CSS fetches (the marker ref is in-page)
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and "default-src 'none'" in csp


def test_counts_and_rows_match_the_audit(case: Case) -> None:
    target, current = case.schemas()
    result = audit(target, current)
    page = html_report.render(result, plan=fixes_view(result, "test"))
    for sev in Severity:
        assert f'id="count-{sev.value}">{result.count(sev)}<' in page
    assert page.count('<tr data-severity="') == len(result.findings)
    assert page.count('<g class="table ') == len(result.tables)


def test_schema_text_is_escaped(tmp_path: Path) -> None:
    nasty = 'evil<script>alert("x")</script>'
    for name, sql in (
        ("t.db", f'CREATE TABLE "{nasty.replace(chr(34), chr(34) * 2)}" (id INTEGER PRIMARY KEY, "a&b" TEXT);'),
        ("c.db", "CREATE TABLE other (id INTEGER PRIMARY KEY);"),
    ):
        conn = sqlite3.connect(tmp_path / name)
        conn.executescript(sql)
        conn.close()
    result = audit(load(f"sqlite:///{tmp_path / 't.db'}"), load(f"sqlite:///{tmp_path / 'c.db'}"))
    page = html_report.render(result, plan=fixes_view(result, "test"))
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)" in page
    assert page.count("<script>") == 1
    parse(page)


def test_the_plan_comes_from_the_planner_when_it_can_plan(case: Case) -> None:
    target, current = case.schemas()
    result = audit(target, current)
    view = plan_view(result)
    if not view.from_planner:
        pytest.skip(f"the planner cannot plan here: {view.note}")
    from schemaudit.plan import PlanOptions, build
    from schemaudit.report.stamp import report_date

    options = PlanOptions(dialect=result.current.dialect, date=report_date())  # the report's date, as the page's
    plan = build(result.changes, result.target, result.current, options)
    page = html_report.render(result, plan=view)
    assert [s.id for s in plan.steps] == [s.id for s in view.steps]
    for step in plan.steps:
        assert f'data-step="{step.id}"' in page
    assert 'id="plan-steps"' in page
    blocks = [html.unescape(b) for b in re.findall(r"<pre>(.*?)</pre>", page.split('id="plan-steps"')[1], re.S)]
    assert blocks and all(b.rstrip().endswith(";") for b in blocks), "pasted into a client, every statement runs"
    script = "\n".join(blocks)
    conn = sqlite3.connect(case.cwd / "current.db")
    try:
        conn.executescript(script)  # the page's SQL, copied as shown, runs on the audited database
    finally:
        conn.close()


def test_without_the_planner_the_fixes_are_listed(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """`schemaudit.plan` made unimportable (None in sys.modules makes import fail)."""
    monkeypatch.setitem(sys.modules, "schemaudit.plan", None)
    target, current = case.schemas()
    result = audit(target, current)
    view = plan_view(result)
    assert not view.from_planner and "not available" in (view.note or "")
    assert view.fixes == result.recommendations
    page = html_report.render(result, plan=view)
    assert 'id="plan-fixes"' in page and page.count('<li><span class="sev') == len(result.recommendations)


def test_diagram_layout_puts_referenced_tables_left_and_survives_cycles(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "t.db")
    conn.executescript(
        """
        CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b(id));
        CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));
        CREATE TABLE c (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id), c_id INTEGER REFERENCES c(id));
        CREATE TABLE root (id INTEGER PRIMARY KEY);
        CREATE TABLE leaf (id INTEGER PRIMARY KEY, root_id INTEGER REFERENCES root(id), c_id INTEGER REFERENCES c(id));
        """
    )
    conn.close()
    schema = load(f"sqlite:///{tmp_path / 't.db'}")
    result = audit(schema, schema)
    links = html_diagram.edges(result)
    boxes, width, height = html_diagram.layout(result.tables, links)
    x = {b.status.name: b.x for b in boxes}
    assert x["root"] < x["leaf"] and x["a"] < x["c"] < x["leaf"]
    assert len({(b.x, b.y) for b in boxes}) == len(boxes)  # no two boxes on one spot
    assert all(0 <= b.x <= width and 0 <= b.y <= height for b in boxes)
    svg = html_diagram.svg(result)
    assert svg.count('class="fk"') == len(links) == 6


def test_long_names_stay_whole_inside_their_box(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "t.db")
    conn.executescript(
        "CREATE TABLE active_storage_variant_records (id INTEGER PRIMARY KEY);"
        "CREATE TABLE users (id INTEGER PRIMARY KEY);"
    )
    conn.close()
    schema = load(f"sqlite:///{tmp_path / 't.db'}")
    svg = html_diagram.svg(audit(schema, schema))
    long = re.search(r'<text [^>]*class="name"([^>]*)>active_storage_variant_records</text>', svg)
    assert long and f'textLength="{html_diagram.BOX_W - 20}"' in long.group(1)
    assert re.search(r'class="name">users</text>', svg), "a short name is drawn as it is"


def chain_schema(folder: Path, tables: int = 60) -> tuple[str, str]:
    """A target of `tables` tables, each referencing the one before, and a current that lacks
    a column of t30 and the whole of t45: two gaps in a big schema (written as SQLite DDL)."""

    def ddl(skip_column: str | None, skip_table: str | None) -> str:
        out = []
        for i in range(tables):
            name = f"t{i:02d}"
            if name == skip_table:
                continue
            cols = ["id INTEGER PRIMARY KEY", "label TEXT"] + ([] if name == skip_column else ["note TEXT"])
            if i:
                cols.append(f"parent_id INTEGER REFERENCES t{i - 1:02d}(id)")
            out.append(f"CREATE TABLE {name} ({', '.join(cols)});")
        return "\n".join(out) + "\n"

    (folder / "target.sql").write_text(ddl(None, None), encoding="utf-8")
    (folder / "current.sql").write_text(ddl("t30", "t45"), encoding="utf-8")
    return f"ddl:{folder / 'target.sql'}?dialect=sqlite", f"ddl:{folder / 'current.sql'}?dialect=sqlite"


def test_a_big_schemas_diagram_draws_what_the_markdown_draws(tmp_path: Path) -> None:
    """The HTML diagram of a 60-table schema with two gaps draws the tables with gaps and
    their foreign-key neighbours, the markdown's choice, and lists the other 54 compactly."""
    from schemaudit.report import markdown

    target, current = chain_schema(tmp_path)
    result = audit(load(target), load(current))
    page = html_report.render(result)
    boxes = re.findall(r'<g class="table[^"]*" data-table="([^"]+)"', page)
    assert sorted(boxes) == ["t29", "t30", "t31", "t44", "t45", "t46"]
    mermaid = re.findall(r'T\d+\["(\w+) ', markdown.render(result))
    assert sorted(mermaid) == sorted(boxes)
    arrows = re.findall(r'data-from="(\w+)" data-to="(\w+)"', page)
    assert sorted(arrows) == [("t30", "t29"), ("t31", "t30"), ("t45", "t44"), ("t46", "t45")]
    listed = re.search(r'<p class="note" id="diagram-left-out">[^:]+\((\d+)\): (.*?)</p>', page)
    assert listed and listed.group(1) == "54"
    names = re.findall(r"<code>(\w+)</code>", listed.group(2))
    assert len(names) == 54 and not set(names) & set(boxes) and "t00" in names and "t59" in names
    assert "Not drawn: the 54 tables that match the target" in page
    assert f"<summary>Status of all {len(result.tables)} tables</summary>" in page


def test_a_small_schemas_diagram_draws_every_table(case: Case) -> None:
    result = audit(*case.schemas())
    page = html_report.render(result)
    assert 'id="diagram-scope"' not in page and 'id="diagram-left-out"' not in page
    assert len(re.findall(r'<g class="table', page)) == len(result.tables)
