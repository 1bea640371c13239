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
    "name list with a symbol and a comma in its lead": "**\u2795 Extra columns, safe to keep (2):** `a`, `b`",
    "name list lead with a backtick": "**Extra `a (1):** `b`",
    "name list lead with emphasis": "**Extra *a* (1):** `b*`, `*c`",
    "name list lead with a bracket": "**Extra [a (1):** `](b)`",
    "name list lead with an entity": "**Extra &amp; (1):** `a`",
    "name list lead opening with a space": "** Extra (1):** `a`",
    "name list then a list item": "**\u2795 Extra columns, safe to keep (1):** `a`\n- `b`: text",
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


CELLS = [
    "`id`",
    "`VARCHAR(255) NOT NULL DEFAULT 'a'`",
    '`a "quoted" <b> & c`',
    "` a `",
    "` a`",
    "`a `",
    "`  `",
    "`a\tb`",
    "``a`b``",
    "`a`b",
    "`a` `b`",
    "✅",
    "✅ equivalent",
    "a \"b\" > c 'd' #1 + 2 = 3: {x} ^ % $ @ - |",
    "*(missing)*",
    "a & b",
    "a &amp; b",
    "a\\*b",
    "a ~~b~~",
    "[x](y)",
    "![x](y)",
    "<http://a.b>",
    "a_b_",
    "a\u00a0b",
    "\u00a0a",
]


@pytest.mark.parametrize("cell", CELLS)
def test_cells_written_without_the_inline_parse_are_markdown_it_s(cell: str) -> None:
    html_markdown._inline.cache_clear()
    assert html_markdown._inline(cell) == html_markdown.parser().renderInline(cell)


def test_random_cells_render_as_markdown_it_renders_them() -> None:
    """Cells drawn from the characters that matter to the inline rules, and code spans of them."""
    import random

    rng = random.Random(14)
    alphabet = "ab `*_[]!<>&~\\\"'#|\t\n\r\0\u00a0é✅"
    for _ in range(3000):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        for cell in (body, f"`{body}`"):
            html_markdown._inline.cache_clear()
            assert html_markdown._inline(cell) == html_markdown.parser().renderInline(cell), repr(cell)
    html_markdown._inline.cache_clear()


def test_rows_without_a_backslash_split_as_markdown_it_splits_them() -> None:
    from markdown_it.rules_block.table import escapedSplit

    for line in ("| a | b |", "|a||b|", "| `a, b` | ✅ |", "x", "||", "", "| `a|b` |"):
        assert line.split("|") == escapedSplit(line)
