"""markdown-it's block tokens of a document, one run of sections at a time.

At 5,000 tables the tokens of a whole spec are most of the memory the source needs (266 MB
for markdown-it's parse alone). The document is therefore parsed in pieces that each start
at a top-level ATX heading (`#` in the first column), and a piece's tokens are let go before
the next piece is parsed. The pieces give exactly the tokens the whole document gives:

- A `#` heading line in the first column ends every block that is open before it (a
  paragraph, a table, a list or block quote, an indented code block), except a fenced code
  block or an HTML block at the top level, which may hold such a line. So a piece is cut
  there only when markdown-it's own tokens of the piece show that its last top-level block
  is neither a fence still open at the cut nor an HTML block running into it; otherwise
  the next heading is tried, and after a few refusals the rest is parsed in one piece.
  Headings that lines alone show to be in a fence or an HTML comment are not tried.
- Link reference definitions (`[x]: /url`) are the one document-wide state of CommonMark: a
  definition anywhere changes links everywhere. A document where one could stand (it holds
  `]:`, which every definition does) is parsed whole.

Only the block parse runs here: inline content is parsed when it is read (`markdown`), so
the core rules `inline` and `text_join` are off and inline tokens come without children.
Lines are numbered in the document (`offset` is the piece's first line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core.normalize import NEWLINES_RE, NULL_RE
from markdown_it.token import Token
from markdown_it.utils import EnvType

from schemaudit.sources.spec.block_rules import block_parser, idle_rules

PIECE_CHARS = 1 << 16  # a piece is cut at the first heading after this many characters
_HEADING = re.compile(r"^#{1,6}(?=[ \t\n]|$)", re.MULTILINE)
_CLOSER = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*$")
_FENCE_LINE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_MARKED_LINE = re.compile(r"^(?: {0,3}(?:`{3,}|~{3,}|<!--)|.*-->).*$", re.MULTILINE)
_TRIES = 4  # cuts refused before the rest is parsed in one piece


@dataclass(frozen=True, slots=True)
class Piece:
    offset: int  # the document line of the piece's first line (0-based)
    tokens: list[Token]
    env: EnvType  # what the block parse found (link references) for the inline parse


def pieces(text: str, whole: bool = False) -> Iterator[Piece]:
    """The document's block tokens, piece by piece, each parsed without the block rules
    that cannot match in it (`block_rules`). `whole`: in one piece, every rule on."""
    text = NULL_RE.sub("\ufffd", NEWLINES_RE.sub("\n", text))  # markdown-it's own normalize
    parse = _Parsers()
    if whole or "]:" in text:
        env: EnvType = {}
        yield Piece(0, parse(text, env, whole), env)
        return
    start, line, failed = 0, 0, 0
    fences = _Fences(text)
    cut = _HEADING.search(text, PIECE_CHARS)
    while cut is not None and failed < _TRIES:
        if fences.open_at(cut.start()):  # a `# comment` line in a ```bash block
            cut = _HEADING.search(text, cut.end())
            continue
        chunk = text[start : cut.start()]
        env = {}
        tokens = parse(chunk, env)
        lines = chunk.count("\n")
        if _ends_before_cut(tokens, chunk, lines):
            yield Piece(line, tokens, env)
            start, line = cut.start(), line + lines
            cut = _HEADING.search(text, start + PIECE_CHARS)
        else:
            failed += 1
            cut = _HEADING.search(text, cut.end())
        del tokens
    env = {}
    yield Piece(line, parse(text[start:], env), env)


class _Parsers:
    """One document's block parsers, one per set of idle rules."""

    def __init__(self) -> None:
        self.built: dict[frozenset[str], MarkdownIt] = {}

    def __call__(self, text: str, env: EnvType, every_rule: bool = False) -> list[Token]:
        idle = frozenset() if every_rule else idle_rules(text)
        if idle not in self.built:
            self.built[idle] = block_parser(idle)
        return self.built[idle].parse(text, env)


class _Fences:
    """Which offsets lie in a top-level fenced code block or HTML comment, as far as lines
    alone tell (a fence in a list item is taken for a top-level one): only to skip cuts
    that would be refused, never to allow one. Scanned forward once."""

    def __init__(self, text: str) -> None:
        self.lines = _MARKED_LINE.finditer(text)
        self.next = next(self.lines, None)
        self.fence: tuple[str, int] | None = None  # the open fence's marker and length
        self.comment = False

    def open_at(self, offset: int) -> bool:
        while self.next is not None and self.next.start() < offset:
            line = self.next.group(0)
            fence = _FENCE_LINE.match(line)
            if self.comment:
                self.comment = "-->" not in line
            elif self.fence is not None:
                if fence and fence.group(1)[0] == self.fence[0] and len(fence.group(1)) >= self.fence[1]:
                    self.fence = None if not fence.group(2).strip(" \t") else self.fence
            elif fence:
                if not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
                    self.fence = fence.group(1)[0], len(fence.group(1))
            elif line.lstrip(" ").startswith("<!--"):
                self.comment = "-->" not in line.split("<!--", 1)[1]
            self.next = next(self.lines, None)
        return self.fence is not None or self.comment


def _ends_before_cut(tokens: list[Token], chunk: str, lines: int) -> bool:
    """Whether the piece's last top-level block ends where the piece does, so the heading
    after it starts a new block in the whole document too."""
    last = next((t for t in reversed(tokens) if t.level == 0), None)
    if last is None or last.type not in ("html_block", "fence") or last.map is None:
        return True  # a `#` line ends a paragraph, table, list, block quote or indented code
    if last.type == "html_block":
        return last.map[1] < lines  # ended by a blank line inside the piece
    if last.type == "fence":  # closed on the piece's last line, or before it
        end = last.map[1]
        if end < lines:
            return True
        closing = _CLOSER.match(chunk[chunk.rfind("\n", 0, len(chunk) - 1) + 1 : -1])
        return bool(
            end - 1 > last.map[0]
            and closing
            and closing.group(1)[0] == last.markup[0]
            and len(closing.group(1)) >= len(last.markup)
        )
    return True
