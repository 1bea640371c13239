"""A markdown document as the spec source needs it: headings, and the blocks under them.

markdown-it-py does the parsing (CommonMark plus pipe tables), so emphasis, code spans,
nesting and tables are read the way any renderer reads them, never by line regexes. The
token stream is flattened into a few block kinds, each with its 1-based line:
- `Heading`: level, text, number (`5.3` from "5.3 Runs"), slug (`database-design`);
- `Item`: a list item's own text (nested lists are items of their own);
- `Paragraph`, `Table` (header cells and rows), `Fence` (a fenced code block).
Inline text is kept as parts, so a code span (`` `id UUID PK` ``) stays apart from the
prose around it. The blocks are exactly those of markdown-it's parse of the whole document
(tests/test_spec_pieces.py), read with less work and memory (`sections`, `simple_inline`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from schemaudit.sources.spec.block_rules import block_parser
from schemaudit.sources.spec.sections import Piece, pieces
from schemaudit.sources.spec.simple_inline import simple_parts

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


def parse_blocks(text: str, whole: bool = False) -> list[Block]:
    """The document's blocks in order. markdown-it parses it a piece at a time (`sections`)
    and each piece's tokens are read and let go before the next is parsed: at 5,000 tables
    the tokens of the whole document would be most of the memory. Inline content is parsed
    as it is read, and split at its backticks when that is all it takes (`simple_inline`).
    `whole`: one piece and markdown-it's inline parse of everything, the reading the tests
    compare with."""
    md = block_parser()  # for the inline parse (no block rule changes it)
    blocks: list[Block] = []
    for piece in pieces(text, whole):
        _Flattener(md, piece, blocks, simple=not whole).run()
    return blocks


class _Flattener:
    """One piece's tokens as blocks, in one pass; lines are the document's."""

    def __init__(self, md: MarkdownIt, piece: Piece, blocks: list[Block], simple: bool) -> None:
        self.md, self.env, self.offset = md, piece.env, piece.offset + 1
        self.tokens = piece.tokens
        self.blocks = blocks
        self.simple = simple

    def line(self, tok: Token) -> int:
        return tok.map[0] + self.offset if tok.map else 0

    def run(self) -> None:
        tokens, blocks, line, inline = self.tokens, self.blocks, self.line, self.inline
        depth = 0
        item_line: list[int] = []
        pending_item = False
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                parsed = inline(tokens[i + 1])
                plain = parsed.plain
                match = _NUMBER.match(plain)
                number = match.group(1) if match else None
                title = plain[match.end() :] if match else plain
                blocks.append(Heading(line(tok), int(tok.tag[1:]), parsed, number, title.strip()))
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif kind == "list_item_open":
                item_line.append(line(tok))
                pending_item = True
            elif kind == "list_item_close":
                item_line.pop()
                pending_item = False
            elif kind == "inline" and tokens[i - 1].type == "paragraph_open":
                if pending_item:
                    blocks.append(Item(item_line[-1], inline(tok), depth))
                    pending_item = False
                else:
                    blocks.append(Paragraph(line(tok), inline(tok)))
            elif kind == "table_open":
                i = self.table(i)
                continue
            elif kind in ("fence", "code_block"):
                blocks.append(
                    Fence(line(tok) + 1 if kind == "fence" else line(tok), tok.info.strip().lower(), tok.content)
                )
            i += 1

    def inline(self, tok: Token) -> Inline:
        """An inline token's parts: split at its backticks when that is all it takes
        (`simple_inline`), else from markdown-it's inline parse of it."""
        parts = simple_parts(tok.content) if self.simple else None
        if parts is not None:
            return Inline(parts)
        children: list[Token] = []
        self.md.inline.parse(tok.content, self.md, self.env, children)
        return Inline(_parts(children))

    def table(self, i: int) -> int:
        tokens = self.tokens
        line = self.line(tokens[i])
        header: tuple[Inline, ...] = ()
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
                cells, row_line = [], self.line(tok)
            elif tok.type == "inline":
                cells.append(self.inline(tok))
            elif tok.type == "tr_close":
                if in_head:
                    header = tuple(cells)
                else:
                    rows.append(TableRow(row_line, tuple(cells)))
            i += 1
        self.blocks.append(Table(line, header, tuple(rows)))
        return i + 1


def _parts(children: list[Token]) -> tuple[tuple[str, str], ...]:
    """Inline tokens as parts: code spans apart, the rest text (emphasis and link markers
    dropped, escapes and entities as the text they stand for: markdown-it's `text_join`,
    which is off, would have made them text), adjacent text merged."""
    merged: list[tuple[str, str]] = []
    for child in children:
        if child.type == "code_inline":
            merged.append(("code", child.content))
            continue
        if child.type in ("text", "text_special", "html_inline"):
            text = child.content
        elif child.type in ("softbreak", "hardbreak"):
            text = " "
        else:
            continue
        if merged and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + text)
        else:
            merged.append(("text", text))
    return tuple(merged)
