"""Reports: escaping that survives hostile names, the JSON schema, the terminal view.

Escaping is checked by parsing the markdown with markdown-it-py (GFM tables) and counting
cells: a stray pipe or backtick shows up as a row with the wrong number of cells."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from schemaudit.audit import audit
from schemaudit.audit.config import from_mapping
from schemaudit.audit.progress import compare_findings
from schemaudit.identifiers import SQLITE_RULES
from schemaudit.model import CheckConstraint, Column, PrimaryKey, Schema, SchemaObject, Table
from schemaudit.report import json_report, markdown, md, render, text
from schemaudit.sources import LoadOptions, load
from schemaudit.types import parse_type

SCHEMA_FILE = Path(__file__).parent.parent / "docs" / "report.schema.json"
HOSTILE = "we|ird`name<b>\nx"


def sqlite_col(name: str, raw: str = "TEXT", nullable: bool = True, comment: str | None = None) -> Column:
    return Column(name, parse_type(raw, "sqlite"), nullable, comment=comment)


def sqlite(*tables: Table, origin: str = "x.db", not_audited: tuple[SchemaObject, ...] = ()) -> Schema:
    return Schema(
        tuple(sorted(tables, key=lambda t: t.name)), "sqlite", origin, rules=SQLITE_RULES, not_audited=not_audited
    )


def hostile_audit():  # type: ignore[no-untyped-def]
    target = sqlite(
        Table(
            HOSTILE,
            (sqlite_col("id", "INTEGER", False), sqlite_col("a|b"), sqlite_col("c`d", "TEXT", False)),
            PrimaryKey(("id",)),
            checks=(CheckConstraint('"a|b" <> \'x|y\' OR length("c`d") < 5', "odd|check"),),
        ),
        Table("missing|table", (sqlite_col("id", "INTEGER", False), sqlite_col("n<ote>", "TEXT"))),
        origin="target`s | origin.sql",
    )
    current = sqlite(
        Table(HOSTILE, (sqlite_col("id", "INTEGER", False), sqlite_col("a|b", "INTEGER"), sqlite_col("e|f"))),
        Table("parser_x", (sqlite_col("id"),)),
        origin="current.db",
        not_audited=(SchemaObject("view", "v|w"), SchemaObject("trigger", "t`g", HOSTILE)),
    )
    return audit(target, current, from_mapping({"ignore": {"parser_*": "staging | *unmodelled* <by design>"}}))


def table_rows(markdown_text: str) -> list[tuple[int, int]]:
    """(header cells, body row cells) for every row of every table in the document."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown_text)
    out: list[tuple[int, int]] = []
    header = cells = 0
    in_head = False
    for token in tokens:
        if token.type == "thead_open":
            in_head, header = True, 0
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            if in_head:
                header = cells
            else:
                out.append((header, cells))
    return out


def test_hostile_names_do_not_break_markdown_tables() -> None:
    report = markdown.render(hostile_audit())
    rows = table_rows(report)
    assert len(rows) > 15  # scorecard, gap tables and issues: many rows, each checked below
    assert all(h == c for h, c in rows), [r for r in rows if r[0] != r[1]]


def test_hostile_names_keep_their_text() -> None:
    report = markdown.render(hostile_audit())
    html = MarkdownIt("commonmark").enable("table").render(report)
    assert "<b>" not in html  # angle brackets never become tags
    assert "we|ird`name&lt;b&gt; x" in html  # the code span shows the name (newline as space)
    assert "staging | *unmodelled* &lt;by design&gt;" in html  # prose escaped, shown verbatim


def test_code_span_fences() -> None:
    assert md.code("plain") == "`plain`"
    assert md.code("a`b") == "``a`b``"
    assert md.code("`x`") == "`` `x` ``"
    assert md.code("a|b") == "`a\\|b`"
    assert md.code("") == "` `"


def test_text_escaping() -> None:
    assert md.text("meta_json") == "meta_json"  # intraword underscores stay readable
    assert md.text("_x_ *y* [z] a|b") == "\\_x\\_ \\*y\\* [z] a\\|b"  # a lone [z] is no link
    assert md.text("[z](u) [r]: x") == "[z\\](u) [r\\]: x"  # but one that would be, is not
    assert md.text("# x ~/y") == "\\# x ~/y"  # a heading only at the start; one tilde is no strikethrough
    assert md.text("~a~ C:\\tmp\\*") == "\\~a\\~ C:\\tmp\\\\\\*"
    assert md.text("a < b\nc & d -> e") == "a &lt; b<br>c &amp; d -> e"


def test_mermaid_labels_escape_quotes_and_tags() -> None:
    assert md.mermaid_label('a "b" <c> #1') == "a #quot;b#quot; #lt;c#gt; #35;1"


def test_mermaid_graph_lists_every_audited_table() -> None:
    report = markdown.render(hostile_audit())
    graph = report.split("```mermaid", 1)[1].split("```", 1)[0]
    assert graph.count('["') == 2  # hostile (gaps), missing|table; parser_x (ignored) is listed outside the audit
    assert "parser_x" in report.split("Tables outside the audit", 1)[1]
    assert "#lt;b#gt;" in graph and "<b>" not in graph


def test_json_report_validates_with_progress_and_everything() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    result = hostile_audit()
    progress = compare_findings(result.findings[1:], result.findings[:-1], "prev.json")
    data = json.loads(json_report.render(result, progress))
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")), cls=jsonschema.Draft202012Validator)
    assert data["version"] == json_report.VERSION and data["progress"]["baseline"] == "prev.json"
    assert data["ignored"] == [
        {"table": "parser_x", "side": "current", "pattern": "parser_*", "reason": "staging | *unmodelled* <by design>"}
    ]
    assert {(n["kind"], n["name"]) for n in data["not_audited"]} == {("view", "v|w"), ("trigger", "t`g")}


def test_json_report_round_trips_as_a_baseline(tmp_path: Path) -> None:
    result = hostile_audit()
    path = tmp_path / "prev.json"
    path.write_text(json_report.render(result), encoding="utf-8")
    assert json_report.read_findings(path) == tuple(
        f.__class__(f.code, f.severity, f.table, f.column, f.message, f.evidence, f.recommendation, f.origin)
        for f in result.findings
    )
    progress = compare_findings(json_report.read_findings(path), result.findings, str(path))
    assert not progress.new and not progress.resolved


def test_text_report_colour_only_when_asked() -> None:
    result = hostile_audit()
    plain = text.render(result, color=False)
    assert "\x1b[" not in plain and "INCONSISTENT" in plain and "SA101" in plain
    assert "\x1b[" in text.render(result, color=True)


def test_render_registry_and_determinism() -> None:
    first, second = hostile_audit(), hostile_audit()
    for fmt in ("md", "json", "text"):
        assert render(first, fmt) == render(second, fmt)


def test_big_schema_diagram_draws_gaps_and_their_neighbours(tmp_path: Path) -> None:
    """40 tables, one with a gap: the diagram draws it and the table it references, not 40 nodes."""
    tables = [f"CREATE TABLE t{i} (id INTEGER PRIMARY KEY, name TEXT);" for i in range(40)]
    child = "CREATE TABLE child (id INTEGER PRIMARY KEY, t0_id INTEGER REFERENCES t0 (id), note TEXT);"
    (tmp_path / "target.sql").write_text("\n".join([*tables, child]))
    (tmp_path / "current.sql").write_text("\n".join([*tables, child.replace(", note TEXT", "")]))
    opts = LoadOptions(dialect="sqlite")
    result = audit(load(f"ddl:{tmp_path / 'target.sql'}", opts), load(f"ddl:{tmp_path / 'current.sql'}", opts))
    report = markdown.render(result)
    graph = report.split("```mermaid", 1)[1].split("```", 1)[0]
    assert graph.count('["') == 2 and "child" in graph and '"t0 ' in graph
    assert "39 more tables match and are not drawn" in report
