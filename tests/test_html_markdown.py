"""The HTML report's markdown renderer writes stand-alone pipe tables and name lists itself:
its output must be markdown-it's, byte for byte, on the reports' own markdown and on the
markdown that must not take the short path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from schemaudit.report import html_markdown, md

GOLDEN = Path(__file__).parent / "golden"
_FENCED = re.compile(r"^```.*?^```\n", re.MULTILINE | re.DOTALL)

TABLE = "\n".join(md.table(("Column", "Current", "Target", "Gap"), [("`a`", "`int`", "`text`", "❌ type")]))
CASES = {
    "table and name lists": f"{TABLE}\n\n**Columns matching (2):** `id`, `b`\n\n**Indexes matching (1):** `ix`",
    "escaped pipes and backslashes": "| a | b |\n|---|---|\n| `x \\| y` | a \\\\| b |\n| `\\` | \\* |",
    "short and long rows": "| a | b |\n|---|---|\n| x |\n| x | y | z |",
    "header only": "| a | b |\n|---|---|\n\ntext",
    "table interrupting a paragraph": "intro\n| a | b |\n|---|---|\n| x | y |",
    "table followed by a paragraph line": "| a | b |\n|---|---|\n| x | y |\nafter",
    "aligned table": "| a | b |\n|:--|--:|\n| x | y |",
    "header and delimiter differ": "| a | b |\n|---|\n| x | y |",
    "reference definition": "| a |\n|---|\n| [x] |\n\n[x]: http://example.com",
    "table in a fence": "```\n\n| a |\n|---|\n| x |\n```",
    "name list with a span holding a comma": "**Foreign keys matching (1):** `a, b`, `c`",
    "name list with emphasis and entities": "**Columns matching (2):** `*a*`, `<b>&amp;`",
    "name list in a paragraph": "x\n**Columns matching (1):** `a`\ny",
    "name list in a list": "- a\n\n**Columns matching (1):** `a`\n\n- b",
    "bold lead that is not a name list": "**Primary key:** added `id` ✅",
    "cell with a span of spaces": "| a |\n|---|\n| ` ` |\n\n**Checks matching (1):** ` `",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_the_short_path_writes_what_markdown_it_writes(text: str) -> None:
    assert html_markdown.render(text) == html_markdown.parser().render(text)


@pytest.mark.parametrize("case", sorted(p.parent.name for p in GOLDEN.glob("*/expected_report.md")))
def test_golden_markdown_reports_render_as_markdown_it_renders_them(case: str) -> None:
    """The golden markdown reports without their fenced diagrams (a fence sends the whole
    text to markdown-it), so their tables and name lists take the short path."""
    text = _FENCED.sub("", (GOLDEN / case / "expected_report.md").read_text(encoding="utf-8"))
    assert "|---|" in text
    assert html_markdown.render(text) == html_markdown.parser().render(text)
