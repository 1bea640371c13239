"""The top-level statements of a Python file that hold given lines, parsed without parsing
the rest of the file.

The precise stage asks about a match's statement, its function and its class: all inside
one top-level statement. Parsing a file costs in proportion to its length, and a file that
holds a match in one function of a hundred need not pay for the other ninety-nine. So the
file is cut, around each match only, at the lines that can start a top-level statement, and
only the pieces holding a match go to `ast` (the lines before a piece become empty lines, so
line numbers, and the columns of a piece that starts at column 0, are the file's own). When
the pieces would be most of the file, the file is parsed whole, once.

A cut is a guess made from the text: a line at column 0 starting with a name or `@`, not
inside a triple-quoted string, not after a line ending in a backslash, an open bracket or a
comma, not `else`/`elif`/`except`/`finally` (they continue the statement before), not under
a decorator, and not the file's first statement (which shares the first piece with the
comments above it, so a module docstring is seen as one). All pieces go to `ast` in one
text whose other lines are left empty; a guess that falls inside a statement makes it fail
to parse (an unclosed bracket or string), and the whole file is parsed instead. What parses
so is what `ast` makes of those lines in the whole file, except in contrived layouts (a
string or bracket opened before a piece and closed inside it such that both halves parse on
their own). When a rule needs the rest of the module, the lines outside the pieces are
parsed the same way, so the file is read once in all. tests/test_impact_regions.py compares the two readings on every
Python file of the installed packages.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterable

_CONTINUES = re.compile(r"(?:else|elif|except|finally)\b")
_MOSTLY = 0.5  # pieces above this share of the file: parse it whole


class _Cuts:
    """The cut lines of one file, each decided when first asked."""

    def __init__(self, text: str, line_starts: list[int]) -> None:
        self.text = text
        self.starts = line_starts
        self.lines = len(line_starts) - 1
        self.strings = _triple_strings(text)
        self.first_code = _first_code_line(text, line_starts)
        self.memo: dict[int, bool] = {1: True}

    def is_cut(self, line: int) -> bool:
        known = self.memo.get(line)
        if known is None:
            known = self.memo[line] = self._decide(line)
        return known

    def _decide(self, line: int) -> bool:
        if line <= self.first_code or not self._candidate(line):
            return False
        if self._continues(line):
            return False
        before = self._previous_candidate(line)
        return before is None or not self.text.startswith("@", self.starts[before - 1])

    def _candidate(self, line: int) -> bool:
        """A line at column 0 that starts with a name or a decorator, outside any
        triple-quoted string."""
        pos = self.starts[line - 1]
        head = self.text[pos : pos + 1]
        if not (head == "@" or head.isidentifier()):
            return False
        return bisect.bisect_right(self.strings, pos) % 2 == 0

    def _previous_candidate(self, line: int) -> int | None:
        """The nearest line before that may start a statement or a decorator (a line that
        continues one, like the `x)` closing `@b(`, is skipped)."""
        for k in range(line - 1, 0, -1):
            if self._candidate(k) and not self._continues(k):
                return k
        return None

    def _continues(self, line: int) -> bool:
        pos = self.starts[line - 1]
        return bool(_CONTINUES.match(self.text, pos)) or _open_end(self.text, pos)

    def piece(self, line: int, floor: int) -> tuple[int, int]:
        """The lines [first, end) of the piece holding `line`; `floor` is a cut at or
        before it (the end of the piece before), where the walk back stops."""
        first = line
        while first > floor and not self.is_cut(first):
            first -= 1
        return first, self.next_cut(line)

    def next_cut(self, line: int) -> int:
        """The first cut after `line`, or one past the last line."""
        k = line + 1
        while k <= self.lines and not self.is_cut(k):
            k += 1
        return k


Piece = tuple[int, int]  # lines [first, end)


def cuts_of(text: str, line_starts: list[int]) -> list[int]:
    """Every cut of a file (what `parse_regions` decides line by line, around matches)."""
    cuts = _Cuts(text, line_starts)
    return [line for line in range(1, cuts.lines + 1) if cuts.is_cut(line)]


def parse_regions(text: str, line_starts: list[int], lines: Iterable[int]) -> tuple[ast.Module, list[Piece]] | None:
    """A module holding the top-level statements around `lines`, at their own line numbers,
    and the pieces it covers (none: the whole file); None when the file does not parse."""
    pieces = _pieces(text, line_starts, lines, [])
    if pieces is None:
        return _whole(text)
    try:
        return ast.parse(_keep(text, line_starts, pieces)), pieces
    except (SyntaxError, ValueError):
        return _whole(text)  # a cut fell inside a statement


def parse_more(
    text: str, line_starts: list[int], lines: Iterable[int], read: list[Piece]
) -> tuple[list[ast.stmt], list[Piece]] | None:
    """The top-level statements around those of `lines` that no piece of `read` holds, and
    their pieces; None when they do not parse on their own (or would be most of the file:
    the caller then reads the rest whole)."""
    pieces = _pieces(text, line_starts, lines, read)
    if not pieces:
        return None if pieces is None else ([], [])
    try:
        return ast.parse(_keep(text, line_starts, pieces)).body, pieces
    except (SyntaxError, ValueError):
        return None


def _pieces(text: str, line_starts: list[int], lines: Iterable[int], read: list[Piece]) -> list[Piece] | None:
    """The pieces holding `lines` that `read` does not hold already, in order; None when
    they and `read` would be most of the file."""
    cuts = _Cuts(text, line_starts)
    read = sorted(read)
    starts = [first for first, _ in read]
    pieces: list[Piece] = []
    size = sum(_offset(line_starts, end, text) - line_starts[first - 1] for first, end in read)
    for line in sorted(set(lines)):
        k = bisect.bisect_right(starts, line) - 1  # the read piece starting at or before the line
        if (k >= 0 and line < read[k][1]) or (pieces and line < pieces[-1][1]):
            continue  # read already, or in the piece before
        floor = max(read[k][1] if k >= 0 else 1, pieces[-1][1] if pieces else 1)  # a cut at or before the line
        first, end = cuts.piece(line, floor)
        size += _offset(line_starts, end, text) - line_starts[first - 1]
        if size > _MOSTLY * len(text):
            return None
        pieces.append((first, end))
    return pieces


def parse_rest(text: str, line_starts: list[int], pieces: list[Piece]) -> list[ast.stmt] | None:
    """The top-level statements outside `pieces` (None: they do not parse on their own)."""
    rest: list[Piece] = []
    done = 1
    for first, end in pieces:
        if first > done:
            rest.append((done, first))
        done = end
    if done <= len(line_starts) - 1:
        rest.append((done, len(line_starts)))
    try:
        return ast.parse(_keep(text, line_starts, rest)).body
    except (SyntaxError, ValueError):
        return None


def _keep(text: str, line_starts: list[int], pieces: list[Piece]) -> str:
    """The text with every line outside `pieces` left empty (one parse for them all, at the
    file's own line numbers)."""
    out: list[str] = []
    done = 1
    for first, end in pieces:
        out.append("\n" * (first - done))
        out.append(text[line_starts[first - 1] : _offset(line_starts, end, text)])
        done = end
    return "".join(out)


def _offset(line_starts: list[int], line: int, text: str) -> int:
    return line_starts[line - 1] if line - 1 < len(line_starts) else len(text)


def _whole(text: str) -> tuple[ast.Module, list[Piece]] | None:
    try:
        return ast.parse(text), []
    except (SyntaxError, ValueError):
        return None


def _triple_strings(text: str) -> list[int]:
    """Offsets where triple-quoted strings open and close, in order (an odd index: a close);
    a string left open runs to the end. Quotes inside a one-line string or a comment are
    taken as real ones: the pieces then fail to parse and grow, or the file is parsed whole."""
    out: list[int] = []
    pos = 0
    while True:
        double, single = text.find('"""', pos), text.find("'''", pos)
        if double < 0 and single < 0:
            return out
        start, quote = (double, '"""') if single < 0 or 0 <= double < single else (single, "'''")
        out.append(start)
        close = start + 3
        while True:
            close = text.find(quote, close)
            if close < 0:
                out.append(len(text) + 1)
                return out
            if not _escaped(text, close):
                break
            close += 1
        pos = close + 3
        out.append(pos)


def _escaped(text: str, pos: int) -> bool:
    slashes = 0
    while pos - slashes - 1 >= 0 and text[pos - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _first_code_line(text: str, line_starts: list[int]) -> int:
    """The first line that is neither blank nor a comment (past the end when none is)."""
    for k, start in enumerate(line_starts, 1):
        head = text[start : start + 200].lstrip(" \t\f")
        if head and head[0] not in "#\r\n":
            return k
    return len(line_starts) + 1


def _open_end(text: str, pos: int) -> bool:
    """Whether the line before `pos` (blank lines skipped) ends inside a statement: a
    backslash, an open bracket or a comma."""
    j = pos - 1
    while j > 0 and text[j - 1] in " \t\r\n\f":
        j -= 1
    return j > 0 and text[j - 1] in "\\([{,"
