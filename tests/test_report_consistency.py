"""Every report format of the two bundled examples, read as a reviewer reads them.

Two promises: no rendering artefact reaches the reader (a bullet with an empty name, a Python
repr, `NUMERIC ( 12 , 4 )`, a parenthesis inside a parenthesis of prose, a stray colon before a
name, a backslash escape shown as text), and the same findings, counts and verdict in md,
json, html, sarif and text. The examples are audited as their READMEs run them: the creative
pipeline as `make demo` does, the anime catalogue on a scratch SQLite file.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from schemaudit.audit import Audit, audit, load_config
from schemaudit.report import render
from schemaudit.sources import LoadOptions, load
from schemaudit.sources.alembic.source import replay

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FORMATS = ("md", "json", "html", "sarif", "text")
Key = tuple[str, str, str, str]  # severity, code, table, column ("" when none)


def _creative_pipeline() -> Audit:
    target = load("spec:docs/TECH_SPEC.md#5")
    current = load("python:scripts/backend.py:init_schema")
    return audit(target, current, replace(load_config(), source="pyproject.toml"))


def _anime_catalog() -> Audit:
    current = replay("alembic:alembic.ini", LoadOptions()).schema
    target = load("models:app.models:Base", LoadOptions(dialect=current.dialect))
    return audit(target, current, replace(load_config(), source="pyproject.toml"))


BUILDERS = {"creative-pipeline": _creative_pipeline, "anime-catalog": _anime_catalog}


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def reports(request: pytest.FixtureRequest) -> tuple[Audit, dict[str, str]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(EXAMPLES / request.param)
        patch.syspath_prepend(str(EXAMPLES / request.param))
        result = BUILDERS[request.param]()
    return result, {fmt: render(result, fmt) for fmt in FORMATS}


# --- artefacts -----------------------------------------------------------------------------

ARTEFACTS = {
    "empty name": re.compile(r"`\s*`\s*:|^\s*-\s*:|\(\s*\)\s*:"),
    "Python repr": re.compile(r"\b[A-Z][A-Za-z]+\([a-z_]+=|<[a-z_.]+ object at 0x|\b(?:None|True|False)\)"),
    "spaced type parameters": re.compile(r"\(\s+\d|\d\s+,\s*\d|\d\s+\)"),
    "parenthesis in a parenthesis of prose": re.compile(r"\([a-z][^()`]*\(\w+\)\)"),
    "stray colon": re.compile(r"\s:(?!:)\w"),
    "escape shown as text": re.compile(r"\\[\[\]~#]"),
    "placeholder SQL": re.compile(r"\(target definition\)|SELECT \.\.\. FROM|\b\w+_new \(target"),
}


def _reader_text(fmt: str, body: str) -> str:
    """What a reader sees: HTML without tags and entities, markdown outside SQL blocks."""
    if fmt == "html":
        body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
        body = html.unescape(re.sub(r"<[^>]+>", " ", body))
    if fmt == "md":
        body = re.sub(r"^(\s*)```sql\n.*?^\1```", "", body, flags=re.S | re.M)
    return body


def _artefacts(fmt: str, body: str) -> Iterator[str]:
    for n, line in enumerate(_reader_text(fmt, body).splitlines(), start=1):
        for what, pattern in ARTEFACTS.items():
            if pattern.search(line):
                yield f"{fmt}:{n}: {what}: {line.strip()[:160]}"


@pytest.mark.parametrize("fmt", ("md", "html", "text"))
def test_no_rendering_artefacts(reports: tuple[Audit, dict[str, str]], fmt: str) -> None:
    found = list(_artefacts(fmt, reports[1][fmt]))
    assert not found, "\n".join(found)


def test_golden_reports_have_no_artefacts() -> None:
    files = [*ROOT.glob("tests/golden/*/expected_report.md"), *EXAMPLES.glob("*/expected*/*.md")]
    files += [EXAMPLES / "creative-pipeline" / "expected_audit.md", *EXAMPLES.glob("*/expected*/*.txt")]
    # (tests/data/impact quotes the user's code lines verbatim, `:project_id` binds included)
    kinds = {".md": "md", ".txt": "text"}
    found = [
        f"{p.relative_to(ROOT)} {a}" for p in files if p.is_file() for a in _artefacts(kinds[p.suffix], p.read_text())
    ]
    assert len(files) >= 15 and not found, "\n".join(found)


@pytest.mark.parametrize("case", sorted(p.name for p in (ROOT / "tests" / "golden").iterdir() if p.is_dir()))
def test_golden_cases_render_without_artefacts(case: str, tmp_path: Path) -> None:
    """The golden cases (renames, types, keys, config...) in the formats a reader reads."""
    from tests.test_audit_golden import run_case

    result = run_case(case, tmp_path)
    found = [a for fmt in ("md", "html", "text") for a in _artefacts(fmt, render(result, fmt))]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        "- ` `: TEXT stores UUID",
        "TableOptions(strict=False, without_rowid=False)",
        "units NUMERIC ( 12 , 4 ) NOT NULL",
        "✅ OK (same SQLite affinity (TEXT))",
        "same foreign-key neighbours :run_jobs",
        r"ignore it in \[tool.schemaudit.ignore\]",
        "CREATE TABLE runs_new (target definition); INSERT INTO runs_new SELECT ... FROM runs;",
    ],
)
def test_each_artefact_is_caught(line: str) -> None:
    assert list(_artefacts("text", line)), line


# --- one story in every format -------------------------------------------------------------

_LEVEL = {"error": "critical", "warning": "warning", "note": "info"}
_SEVERITY_HEADING = re.compile(r"^### \S+ (CRITICAL|WARNING|INFO) \((\d+)\)$")
_CELL_CODE = re.compile(r"^`+ ?(.*?) ?`+$")


def _md_keys(body: str) -> Counter[Key]:
    keys: Counter[Key] = Counter()
    severity = ""
    for line in body.splitlines():
        heading = _SEVERITY_HEADING.match(line)
        if heading:
            severity = heading.group(1).lower()
        elif line.startswith("## "):
            severity = ""
        elif severity and (notes := re.match(r"^(\d+) storage-equivalent type notes? \(SA124\)", line)):
            keys[(severity, "SA124", "*", "*")] += int(notes.group(1))  # stated once, in their own section
        elif severity and re.match(r"^\| \d+ \|", line):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            code, table, column = (_CELL_CODE.sub(r"\1", c) if c != "—" else "" for c in cells[1:4])
            keys[(severity, code, table, column)] += 1
    return keys


def _html_keys(body: str) -> Counter[Key]:
    keys: Counter[Key] = Counter()
    for row in re.findall(r'<tr data-severity="(\w+)"[^>]*>(.*?)</tr>', body, flags=re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", row[1], flags=re.S)]
        code, table, column = (c if c != "—" else "" for c in cells[1:4])
        keys[(row[0], code, table, column)] += 1
    return keys


def _sarif_keys(body: str) -> Counter[Key]:
    results = json.loads(body)["runs"][0]["results"]
    return Counter(
        (
            _LEVEL[r["level"]],
            r["ruleId"],
            r["properties"].get("table") or "",
            r["properties"].get("column") or "",
        )
        for r in results
    )


def _json_keys(body: str) -> Counter[Key]:
    return Counter(
        (f["severity"], f["code"], f["table"] or "", f["column"] or "") for f in json.loads(body)["findings"]
    )


def _text_counts(body: str) -> Counter[tuple[str, str]]:
    rows = re.findall(r"^(CRITICAL|WARNING|INFO) +(SA\d+)  (?:(\d+) tables?$)?", body, flags=re.M)
    counts: Counter[tuple[str, str]] = Counter()
    for severity, code, grouped in rows:  # type notes are grouped: `INFO  SA124  12 tables`
        counts[(severity.lower(), code)] += int(grouped) if grouped else 1
    return counts


def test_same_findings_counts_and_verdict(reports: tuple[Audit, dict[str, str]]) -> None:
    result, out = reports
    data = json.loads(out["json"])
    counts = data["counts"]
    verdict = data["verdict"]
    assert verdict == result.verdict.value
    expected = _json_keys(out["json"])
    assert sum(expected.values()) == len(result.findings) == sum(counts.values())
    assert Counter(k[0] for k in expected.elements()) == Counter({k: v for k, v in counts.items() if v})
    type_notes: Counter[Key] = Counter()
    for severity, code, table, column in expected.elements():
        wildcard = code == "SA124"  # the markdown counts these and lists them by type pair
        type_notes[(severity, code, "*" if wildcard else table, "*" if wildcard else column)] += 1
    assert _md_keys(out["md"]) == type_notes
    assert _html_keys(out["html"]) == expected
    assert _sarif_keys(out["sarif"]) == expected
    assert _text_counts(out["text"]) == Counter((k[0], k[1]) for k in expected.elements())
    summary = f"{counts['critical']} critical, {counts['warning']} warning, {counts['info']} info"
    assert f"**Verdict:** **{verdict}** — {summary}" in out["md"]
    assert re.search(rf"^{verdict}\s+{summary}$", out["text"], flags=re.M)
    assert f'id="verdict">{verdict}<' in out["html"]
    for severity, n in counts.items():
        assert f'id="count-{severity}">{n}<' in out["html"]
        assert re.search(rf"^### \S+ {severity.upper()} \({n}\)$", out["md"], flags=re.M)
    sarif = json.loads(out["sarif"])["runs"][0]
    assert Counter(_LEVEL[r["level"]] for r in sarif["results"]) == Counter({k: v for k, v in counts.items() if v})


def _md_scorecard(body: str) -> dict[str, int]:
    section = body.split("Summary scorecard", 1)[1].split("\n---", 1)[0]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^\| (.+?) \| (\d+) \|$", section, flags=re.M)}


def _html_scorecard(body: str) -> dict[str, int]:
    section = body.split('id="scorecard-table"', 1)[1].split("</table>", 1)[0]
    return {
        html.unescape(a): int(b) for a, b in re.findall(r'<tr><td>(.*?)</td><td class="num">(\d+)</td></tr>', section)
    }


# --- one status per table in every format ---------------------------------------------------

# How the reports group a table's state: a table the other side has as a view or virtual table
# (SA107) is "other kind", never "missing" (nothing creates it) nor "matching".
GROUP = {
    "matches": "matching",
    "matches + extras": "matching",
    "missing": "missing",
    "other kind": "other kind",
    "gaps": "differ",
    "rename": "differ",
    "extra": "differ",
}
_LABEL_STATE = (  # the status label every format prints (report/common.py), most specific first
    ("✅ matches + extras", "matches + extras"),
    ("✅ matches", "matches"),
    ("❌ missing", "missing"),
    ("another kind: ", "other kind"),
    (" rename → ", "rename"),
    (" gaps (", "gaps"),
    ("extra, not in target", "extra"),
    ("⏭️ ignored: ", "ignored"),
    ("📒 bookkeeping (", "bookkeeping"),
)
_MD_SCORE = {
    "Tables entirely missing": "missing",
    "Tables that are another kind of object on the other side (view, virtual table)": "other kind",
    "Tables fully matching target": "matching",
    "Tables matching target, with extras safe to keep": "matching",
}
_MD_LISTS = {
    r"\*\*❌ Missing, created in the recommendations \((\d+)\):\*\*": "missing",
    r"\*\*\S+ Another kind of object, not audited \((\d+)\):\*\*": "other kind",
}
_HTML_LEADS = {
    r"<p>(\d+) missing tables? (?:is|are) created by the migration plan": "missing",
    r"<p>(\d+) tables? (?:is|are) another kind of object": "other kind",
}


def _grouped(states: Counter[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for state, n in states.items():
        if state in GROUP:
            out[GROUP[state]] += n
    return +out


def _label_state(label: str) -> str:
    return next(state for mark, state in _LABEL_STATE if mark in label)


def table_counts(out: dict[str, str]) -> dict[str, Counter[str]]:
    """Each format's count of tables by group (missing, other kind, matching, differ), read
    where a reader reads it: the JSON's states, SARIF's run properties, the HTML status table
    and its lead sentences, the terminal's tables block, the markdown scorecard and lists."""
    found: dict[str, Counter[str]] = {}
    found["json"] = _grouped(Counter(t["state"] for t in json.loads(out["json"])["tables"]))
    found["sarif"] = _grouped(Counter(json.loads(out["sarif"])["runs"][0]["properties"]["tables"]))
    status = out["html"].split('id="status-table"', 1)[1].split("</table>", 1)[0]
    labels = [html.unescape(c) for c in re.findall(r"<tr data-table=[^>]*><td>.*?</td><td>(.*?)</td>", status)]
    found["html"] = _grouped(Counter(_label_state(label) for label in labels))
    for pattern, group in _HTML_LEADS.items():
        lead = re.search(pattern, out["html"])
        assert (int(lead.group(1)) if lead else 0) == found["html"][group], (group, lead)
    text: Counter[str] = Counter()
    for group, n in re.findall(r"^(missing|other kind|matching|differ) (\d+) ", out["text"], flags=re.M):
        text[group] += int(n)
    found["text"] = text
    md: Counter[str] = Counter()
    for label, n in _md_scorecard(out["md"]).items():
        if label in _MD_SCORE:
            md[_MD_SCORE[label]] += n
    for pattern, group in _MD_LISTS.items():
        listed = re.search(pattern, out["md"])
        assert (int(listed.group(1)) if listed else 0) == md[group], (group, listed)
    found["md"] = md
    return found


def assert_same_table_counts(out: dict[str, str]) -> Counter[str]:
    """The tables counted alike in every format (the markdown states no "differ" count)."""
    counts = table_counts(out)
    expected = counts["json"]
    for fmt, got in counts.items():
        wanted = expected if fmt != "md" else +Counter({k: v for k, v in expected.items() if k != "differ"})
        assert got == wanted, (fmt, got, wanted)
    return expected


def test_same_table_counts(reports: tuple[Audit, dict[str, str]]) -> None:
    result, out = reports
    assert assert_same_table_counts(out) == _grouped(Counter(t.state.value for t in result.tables))


def test_html_has_what_the_markdown_has(reports: tuple[Audit, dict[str, str]]) -> None:
    """Scorecard rows, a detail per table with gaps, the reason of every ignored table, the date."""
    result, out = reports
    page = out["html"]
    assert _html_scorecard(page) == _md_scorecard(out["md"]) != {}
    gaps = [t for t in result.tables if t.state.name in ("GAPS", "RENAME", "MATCHES_WITH_EXTRAS")]
    details = re.findall(r'<details class="table-detail" data-table="([^"]+)"', page)
    assert details == [t.name for t in gaps]
    for item in result.ignored:
        assert html.escape(item.reason) in page and html.escape(item.pattern) in page
    date = re.search(r"\*\*Date:\*\* (\S+), schemaudit", out["md"])
    assert date and f'<span id="report-date">{date.group(1)}, schemaudit' in page


def test_html_carries_the_migration_history_of_an_alembic_side() -> None:
    from tests.test_cli import run

    args = ("audit", "--target", "models:app.models:Base", "--current", "alembic:alembic.ini", "--fail-on", "never")
    page = run(*args, "--format", "html", cwd=EXAMPLES / "anime-catalog").stdout
    md = run(*args, "--format", "md", cwd=EXAMPLES / "anime-catalog").stdout
    assert "<h2>Migration history</h2>" in page
    revisions = re.findall(r"^\| (\d{4}) \|", md, flags=re.M)
    assert len(revisions) == 13
    assert all(f"<td>{r}</td>" in page for r in revisions)
    assert "ignored by configuration" in page and "not modelled by design" in page


def test_a_tables_gap_counts_read_alike_in_the_diagram_and_the_markdown(reports: tuple[Audit, dict[str, str]]) -> None:
    """The rename of a table is not one of its gaps, in the HTML diagram as in markdown."""
    from schemaudit.report.common import gap_counts, status_label

    result, out = reports
    checked = 0
    for status in result.tables:
        counts = gap_counts(status)
        if status.state.name not in ("GAPS", "RENAME") or not counts:
            continue
        tip = re.search(
            rf'<g class="table[^"]*" data-table="{re.escape(status.name)}"[^>]*><title>([^<]*)</title>', out["html"]
        )
        assert tip and html.unescape(tip.group(1)).endswith(f": {counts}"), (status.name, tip and tip.group(1))
        assert f"({counts})" in status_label(status) and f"({counts})" in out["md"]
        checked += 1
    assert checked


# --- one plan in every format --------------------------------------------------------------

_MD_STEP = re.compile(r"^(\d+)\. `(\d{8}_\d{4}_\w+)` — [^,]+, risk (low|medium|high)\b(.*)$")
_MD_CODE = re.compile(r"\S+ \*\*(SA\d+)\*\*((?: `[^`]+`(?:,)?)*)")


def _md_steps(body: str) -> list[dict[str, object]]:
    """The recommendations' steps: id, risk, the findings named on the line, the SQL under it
    (a fenced block, or statements inline on the step's line)."""
    section = re.split(r"^## \d+\. Recommendations$", body, maxsplit=1, flags=re.M)[1]
    section = re.split(r"^### Optional$|^---$|^\*\*Data migration notes", section, maxsplit=1, flags=re.M)[0]
    steps: list[dict[str, object]] = []
    block: list[str] | None = None
    for line in section.splitlines():
        if block is not None:
            if line.strip() == "```":
                steps[-1]["sql"] = "\n".join(block)
                block = None
            else:
                block.append(line[len(steps[-1]["indent"]) :])  # type: ignore[arg-type]
            continue
        if line.strip() == "```sql" and steps:
            block = []
            continue
        step = _MD_STEP.match(line)
        if not step:
            continue
        head, _, inline_sql = step.group(4).partition(": `")
        codes = sorted(
            (code, column.strip(" `"))
            for code, columns in _MD_CODE.findall(head)
            for column in (columns.split(",") if columns else [""])
        )
        sql = ("`" + inline_sql).strip()
        steps.append(
            {
                "id": step.group(2),
                "risk": step.group(3),
                "codes": codes,
                "sql": " ".join(re.findall(r"`([^`]+;)`", sql)) if inline_sql else "",
                "indent": " " * len(step.group(1) + ". "),
            }
        )
    return steps


def test_same_plan_steps_in_md_json_and_html(reports: tuple[Audit, dict[str, str]]) -> None:
    """The JSON report carries the markdown's recommended steps (ids, risk, findings fixed,
    SQL), each finding names its steps, and the HTML page lists the same step ids."""
    result, out = reports
    data = json.loads(out["json"])
    plan = data["plan"]
    assert plan["error"] is None and plan["dialect"] == result.current.dialect and plan["steps"]
    md_steps = _md_steps(out["md"])
    json_steps = plan["steps"]
    assert [s["id"] for s in md_steps] == [s["id"] for s in json_steps]
    for shown, step in zip(md_steps, json_steps, strict=True):
        assert shown["risk"] == step["risk"], step["id"]
        required = [f for f in step["findings"] if f["severity"] != "info"] or step["findings"]
        assert shown["codes"] == sorted((f["code"], f["column"] or "") for f in required), step["id"]
        if step["fix_in_target"]:
            assert shown["sql"] == "", step["id"]  # the advice is shown, not the statements that drop it
            assert all(fix in out["md"].replace("`", "") for fix in step["fix_in_target"]), step["id"]
        else:
            joiner = "\n" if "\n" in shown["sql"] or shown["sql"] in step["sql"] else " "  # block or inline
            assert shown["sql"] == joiner.join(step["sql"]), step["id"]
    assert any(s["codes"] for s in md_steps)
    by_id = {s["id"]: s for s in json_steps}
    keyed = 0
    for finding in data["findings"]:
        for step_id in finding["steps"]:
            key = {k: finding[k] for k in ("code", "severity", "table", "column")}
            assert key in by_id[step_id]["findings"], (finding["code"], step_id)
            keyed += 1
    assert keyed == sum(len(s["findings"]) for s in json_steps)
    html_ids = re.findall(r'<li data-step="([^"]+)">', out["html"])
    assert html_ids == [s["id"] for s in json_steps]


def _md_data_notes(body: str) -> list[str]:
    section = body.split("**Data migration notes:**\n\n", 1)
    if len(section) == 1:
        return []
    return re.findall(r"^- (.*)$", section[1].split("\n\n", 1)[0], flags=re.M)


def test_same_data_migration_notes_in_md_and_json(reports: tuple[Audit, dict[str, str]]) -> None:
    """The markdown's report-level "Data migration notes" are the JSON plan's `data_notes`,
    names written as they are, each naming the steps it speaks of."""
    _, out = reports
    notes = json.loads(out["json"])["plan"]["data_notes"]
    assert [n["text"] for n in notes] == [line.replace("`", "") for line in _md_data_notes(out["md"])]
    for note in notes:
        assert all(step in note["text"] for step in note["steps"]), note


# --- counted words -------------------------------------------------------------------------


def test_one_step_and_no_step_are_said_as_such(tmp_path: Path) -> None:
    """A plan of one step reads "the one step ... runs it", not "in the order to apply them";
    a plan with no step (only an extra trigger it keeps) is not "the 0 steps"."""
    from tests.test_audit_golden import run_case

    one = run_case("checks_nullability", tmp_path)
    md, page = render(one, "md"), render(one, "html")
    assert "The one step of `schemaudit plan` (sqlite, highest risk medium); `schemaudit apply` runs it " in md
    assert '<p id="plan-source">1 step planned for sqlite.</p>' in page
    assert not re.search(r"\b1 steps\b|one step[^.]*\bthem\b", md + page)
    table = "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT);\n"
    (tmp_path / "target.sql").write_text(table)
    (tmp_path / "current.sql").write_text(table + "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN SELECT 1; END;\n")
    kept = audit(
        load(f"ddl:{tmp_path / 'target.sql'}?dialect=sqlite"), load(f"ddl:{tmp_path / 'current.sql'}?dialect=sqlite")
    )
    md = render(kept, "md")
    assert "`schemaudit plan` (sqlite) has no step to run for these findings:" in md
    assert "0 steps" not in md and "**SA202**, not in the plan" in md
