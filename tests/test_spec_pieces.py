"""The spec source reads a document a piece at a time, and splits simple inline content at
its backticks itself: the blocks (and so the model) must be exactly those of markdown-it's
parse of the whole document, with its inline parse of everything.

Compared on every markdown file of the repository and of ../shared (seeds, corpus), every
multi-line string of the spec source's tests, bench/stages_bench.py's 1,000-table spec, and
documents written to defeat the cutting (headings inside fences and HTML blocks, link
reference definitions, fences that lines alone misread). Pieces are cut at every heading
that allows it (piece size 1), at small sizes, and at the size the source uses.
"""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest
from bench.stages_bench import spec_markdown
from markdown_it import MarkdownIt
from markdown_it.token import Token

from schemaudit.sources.spec import sections, source
from schemaudit.sources.spec.markdown import parse_blocks
from schemaudit.sources.spec.sections import pieces
from schemaudit.sources.spec.simple_inline import simple_parts

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

TRICKY = {
    "headings in a fence": "# Spec\n\n```bash\n# install\npip install x\n```\n\n# Next\n\n### t\n\n- `id INT`\n",
    "heading right after a fence": "# A\n\n~~~~sql\n# x\n~~~\n~~~~~\n# B\n\n- `id INT`\n",
    "unclosed fence": "# A\n\n```\n# x\n## y\n",
    "fence in a list item": "- item\n\n  ```\n  code\n# Real\n```\n# not a heading\n```\n## After\n\n- `a INT`\n",
    "fence with backticks in its info": "# A\n\n``` a`b\n# x\n```\n# B\n",
    "html comment": "# A\n\n<!--\n# commented out\n\n## also\n-->\n# B\n\n### t\n\n- `id INT`\n",
    "html block without a blank line": "# A\n\n<div>\n# inside\n</div>\n\n# B\n",
    "html block ended by a blank line": "# A\n\n<details>\n\n# B\n\n</details>\n",
    "html block closed on its last line": "# A\n\n<!-- x\n-->\n# B\n\n- `id INT`\n",
    "script block": "# A\n\n<script>\n# x\n\n# y\n</script>\n# B\n",
    "link reference definition": "# A\n\nSee [users][u].\n\n# B\n\n[u]: https://example.com\n\n- [a](b) `id INT`\n",
    "table then heading": "# A\n\n| Column | Type |\n|---|---|\n| id | INT |\n# B\n| x |\n",
    "list then heading": "- a\n- b\n# B\n1. `id INT`\n\n   more\n# C\n",
    "block quote with lazy lines": "> # A\n> text\nlazy\n# B\n> quote\n",
    "paragraph then heading": "text\n# B\ntext\n===\n# C\n",
    "indented code then heading": "    # code\n# B\n    code\n\n\n# C\n",
    "hash without a space": "#5 not a heading\n# B\n#\n#tag\n####### seven\n# C\n",
    "setext and thematic breaks": "A\n---\n# B\n***\n___\n# C\n",
    "crlf and nul": "# A\r\n\r\n- `id INT`\r\n# B\r\n\x00text\r# C\n",
    "tabs": "#\tA\n\t- x\n# B\n",
    # each block rule, in containers and interrupting paragraphs, beside pieces without it
    "quotes": "# A\n\n1. > q `id INT`\n- > b\n\n# B\n\n> - n\n>> d\n   > i\n# C\ntext\n> interrupts\n# D\n",
    "breaks": "# A\n\n- ***\n- a\n  * * *\n> ---\ntext\n___\n# B\n\n- `id INT`\n- - -\n# C\ntext\n- -\t-\t\n",
    "setext": "# A\n\n- Foo\n  ===\n> Bar\n> ---\nBaz\n  ---\n# B\n\ntext\n=\n# C\ntext\n= =\n",
    "tables": "# A\n\n- | a | b |\n  |---|---|\n  | 1 | 2 |\n> | x |\n> |---|\n# B\n\n| Column | Type |\n"
    "| --- | --- |\n| `id` | INT |\n# C\na | b\n-- | --\n",
    "fences": "# A\n\n- ~~~\n  # x\n  ~~~\n> ```\n> # y\n# B\n\n1. ```sql\n   CREATE TABLE t (id INT);\n   ```\n# C\n",
    "html": "# A\n\n- <div>\n  # x\n  </div>\n> <!-- c -->\ntext <b>bold</b>\n# B\n<br>\n# C\ntext\n<div>\n",
    "reference in a quote": "# A\n\n> [a]:\n> /url\n\n[a]\n# B\n",
    "lazy lines": "# A\n\n- a\nlazy\n- b\n> q\nlazy\n***\n# B\nfoo\n    bar\n# C\n2. x\n1. y\n",
}


def _documents() -> list[tuple[str, str]]:
    files = sorted(p for p in ROOT.rglob("*.md") if ".git" not in p.parts and ".venv" not in p.parts)
    for folder in (SHARED / "seeds", SHARED / "corpus"):
        if folder.is_dir():
            files += sorted(folder.rglob("*.md"))
    docs = [(str(path), path.read_text(encoding="utf-8", errors="replace")) for path in files]
    tree = ast.parse((ROOT / "tests" / "test_spec_source.py").read_text(encoding="utf-8"))
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    docs += [(f"test_spec_source string {i}", s) for i, s in enumerate(sorted(strings)) if "\n" in s]
    docs += sorted(TRICKY.items())
    return [*docs, ("spec_markdown(1000)", spec_markdown(1000))]


DOCUMENTS = _documents()


@pytest.fixture(scope="module")
def whole() -> dict[str, object]:
    return {name: parse_blocks(text, whole=True) for name, text in DOCUMENTS}


@pytest.mark.parametrize("piece_chars", [1, 300, sections.PIECE_CHARS])
def test_pieces_read_as_the_whole_document(
    monkeypatch: pytest.MonkeyPatch, whole: dict[str, object], piece_chars: int
) -> None:
    monkeypatch.setattr(sections, "PIECE_CHARS", piece_chars)
    assert len(DOCUMENTS) > 40
    for name, text in DOCUMENTS:
        assert parse_blocks(text) == whole[name], name


def test_whole_reading_is_markdown_its() -> None:
    """The reference itself: with one piece and markdown-it's inline parse, the inline parts
    are those of markdown-it's own `parse` (its `inline` and `text_join` rules on)."""
    md = MarkdownIt("commonmark").enable("table")
    for name, text in DOCUMENTS:
        expected = [_reference_parts(t) for t in md.parse(text) if t.type == "inline"]
        read = [part for block in parse_blocks(text, whole=True) for part in _inline_parts(block)]
        assert read == expected, name


def test_the_source_cuts_and_refuses_cuts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bench's spec is cut at every table's heading; a heading in a fence is never a cut."""
    monkeypatch.setattr(sections, "PIECE_CHARS", 1)
    assert len(list(pieces(spec_markdown(50)))) == 53  # the title, 5., 50 tables, 6.
    assert [p.offset for p in pieces(TRICKY["headings in a fence"])] == [0, 7, 9]
    assert [p.offset for p in pieces(TRICKY["fence in a list item"])] == [0]
    assert [p.offset for p in pieces(TRICKY["html comment"])] == [0, 9]  # 7: closed on the line before
    assert [p.offset for p in pieces(TRICKY["link reference definition"])] == [0]


def test_the_model_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    text = spec_markdown(300)
    pieces_read = source.read_spec(text, "spec.md")
    monkeypatch.setattr(source, "parse_blocks", lambda t: parse_blocks(t, whole=True))
    assert source.read_spec(text, "spec.md") == pieces_read


def test_simple_inline_matches_markdown_it_on_the_documents() -> None:
    md = MarkdownIt("commonmark").enable("table")
    seen = taken = 0
    for name, text in DOCUMENTS:
        for tok in md.parse(text):
            if tok.type != "inline":
                continue
            seen += 1
            parts = simple_parts(tok.content)
            if parts is not None:
                taken += 1
                assert parts == _reference_parts(tok), (name, tok.content)
    assert taken > 0.8 * seen


def test_simple_inline_matches_markdown_it_on_generated_text() -> None:
    md = MarkdownIt("commonmark").enable("table")
    alphabet = ["a", "Z", "1", "_", "__", " ", "  ", "`", "``", "*", "\\", "[", "]", "(", ")", "<", ">", "&", "!"]
    alphabet += ["é", "\t", "\n", "-", ":", "#", "|", "~", "a_b", "`x`", "` `", "`  `", "` a `", "&amp;", "_a_"]
    rng = random.Random(14)
    taken = 0
    for _ in range(20000):
        content = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        parts = simple_parts(content)
        if parts is None:
            continue
        taken += 1
        assert parts == _reference_parts(md.parseInline(content)[0]), repr(content)
    assert taken > 1000


def _reference_parts(tok: Token) -> tuple[tuple[str, str], ...]:
    """The spec source's reading of markdown-it's inline children, as it was written before
    the inline parse was left out (text_join on)."""
    parts: list[tuple[str, str]] = []
    for child in tok.children or []:
        if child.type == "code_inline":
            parts.append(("code", child.content))
        elif child.type in ("text", "html_inline"):
            parts.append(("text", child.content))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(("text", " "))
    merged: list[tuple[str, str]] = []
    for part in parts:
        if merged and part[0] == "text" and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + part[1])
        else:
            merged.append(part)
    return tuple(merged)


def _inline_parts(block: object) -> list[tuple[tuple[str, str], ...]]:
    inline = getattr(block, "inline", None)
    if inline is not None:
        return [inline.parts]
    header = getattr(block, "header", None)
    if header is None:
        return []
    return [c.parts for c in header] + [c.parts for row in block.rows for c in row.cells]  # type: ignore[attr-defined]
