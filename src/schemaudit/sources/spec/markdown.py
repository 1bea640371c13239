"""A markdown document as the spec source needs it: headings, and the blocks under them.

markdown-it-py does the parsing (CommonMark plus pipe tables), so emphasis, code spans,
nesting and tables are read the way any renderer reads them, never by line regexes. The
token stream is flattened into a few block kinds, each with its 1-based line:
- `Heading`: level, text, number (`5.3` from "5.3 Runs"), slug (`database-design`);
- `Item`: a list item's own text (nested lists are items of their own);
- `Paragraph`, `Table` (header cells and rows), `Fence` (a fenced code block).
Inline text is kept as parts, so a code span (`` `id UUID PK` ``) stays apart from the
prose around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from markdown_it import MarkdownIt
from markdown_it.token import Token

_NUMBER = re.compile(r"^\s*(?:§\s*)?(\d+(?:\.\d+)*)\.?(?=\s|$)\s*")
_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Inline:
    """Inline content as ("text" | "code", content) parts; emphasis markers dropped."""

    parts: tuple[tuple[str, str], ...]

    @property
    def plain(self) -> str:
        """All text with code spans' content in place (no backticks)."""
        return "".join(text for _, text in self.parts)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(text for kind, text in self.parts if kind == "code")

    def lead(self) -> tuple[str, str | None, str]:
        """(prose before the first code span, that code span, everything after it)."""
        before: list[str] = []
        for i, (kind, text) in enumerate(self.parts):
            if kind == "code":
                after = "".join(t for _, t in self.parts[i + 1 :])
                return "".join(before), text, after
            before.append(text)
        return "".join(before), None, ""

    def after_first_code(self) -> Inline:
        for i, (kind, _) in enumerate(self.parts):
            if kind == "code":
                return Inline(self.parts[i + 1 :])
        return Inline(())


@dataclass(frozen=True, slots=True)
class Heading:
    line: int
    level: int
    inline: Inline
    number: str | None
    title: str  # the text without its number

    @property
    def slugs(self) -> tuple[str, ...]:
        """GitHub-style anchors: of the whole text, and of the text without its number."""
        full = slugify(self.inline.plain)
        short = slugify(self.title)
        return (full, short) if short != full else (full,)


@dataclass(frozen=True, slots=True)
class Item:
    line: int
    inline: Inline
    depth: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    line: int
    inline: Inline


@dataclass(frozen=True, slots=True)
class TableRow:
    line: int
    cells: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Table:
    line: int
    header: tuple[Inline, ...]
    rows: tuple[TableRow, ...]


@dataclass(frozen=True, slots=True)
class Fence:
    line: int  # the line of the first line of content
    info: str
    content: str


Block = Heading | Item | Paragraph | Table | Fence


def slugify(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    return _SLUG_DROP.sub("", text.strip().lower()).replace(" ", "-")


def parse_blocks(text: str) -> list[Block]:
    """The document's blocks in order, read in one pass over markdown-it's tokens; each
    token is let go once read (all but the one before the current one, which says whether
    an inline is a paragraph's), so the tokens and the blocks are never all held at once:
    at 5,000 tables the tokens are most of the memory."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    held = cast("list[Token | None]", tokens)  # the same list: only read tokens are set to None
    blocks: list[Block] = []
    depth = 0
    item_line: list[int] = []
    pending_item = False
    i = 0
    read = 0  # tokens[:read] are let go
    while i < len(tokens):
        while read < i - 1:
            held[read] = None
            read += 1
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            inline = _inline(tokens[i + 1])
            plain = inline.plain
            match = _NUMBER.match(plain)
            number = match.group(1) if match else None
            title = plain[match.end() :] if match else plain
            blocks.append(Heading(_line(tok), int(tok.tag[1:]), inline, number, title.strip()))
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif kind == "list_item_open":
            item_line.append(_line(tok))
            pending_item = True
        elif kind == "list_item_close":
            item_line.pop()
            pending_item = False
        elif kind == "inline" and tokens[i - 1].type == "paragraph_open":
            if pending_item:
                blocks.append(Item(item_line[-1], _inline(tok), depth))
                pending_item = False
            else:
                blocks.append(Paragraph(_line(tok), _inline(tok)))
        elif kind == "table_open":
            table, i = _table(tokens, i)
            blocks.append(table)
            continue
        elif kind in ("fence", "code_block"):
            blocks.append(
                Fence(_line(tok) + 1 if kind == "fence" else _line(tok), tok.info.strip().lower(), tok.content)
            )
        i += 1
    return blocks


def _line(tok: Token) -> int:
    return tok.map[0] + 1 if tok.map else 0


def _inline(tok: Token) -> Inline:
    parts: list[tuple[str, str]] = []
    for child in tok.children or []:
        if child.type == "code_inline":
            parts.append(("code", child.content))
        elif child.type in ("text", "html_inline"):
            parts.append(("text", child.content))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(("text", " "))
    merged: list[tuple[str, str]] = []
    for part in parts:  # adjacent text parts (split by emphasis) become one
        if merged and part[0] == "text" and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + part[1])
        else:
            merged.append(part)
    return Inline(tuple(merged))


def _table(tokens: list[Token], i: int) -> tuple[Table, int]:
    line = _line(tokens[i])
    header: list[Inline] = []
    rows: list[TableRow] = []
    cells: list[Inline] = []
    row_line = line
    in_head = False
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            cells, row_line = [], _line(tok)
        elif tok.type == "inline":
            cells.append(_inline(tok))
        elif tok.type == "tr_close":
            if in_head:
                header = cells
            else:
                rows.append(TableRow(row_line, tuple(cells)))
        i += 1
    return Table(line, tuple(header), tuple(rows)), i + 1
