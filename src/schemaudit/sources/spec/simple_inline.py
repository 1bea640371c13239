"""Inline content whose parts can be told without markdown-it's inline parser.

Most inline content of a spec is a heading (`5.12 app_users`), a code span
(`` `id UUID PRIMARY KEY` ``) or a few words and code spans (``unique `(a, b)` ``). For
such content the inline parse (a third of markdown-it's work on a spec) can only give text
and code spans, which are found here by splitting at the backticks. Anything else goes to
markdown-it: a line break, a backslash, `*`, `[`, `]`, `!`, `<`, `&`, a backtick run longer
than one or an odd number of backticks, and an underscore that is not between two ASCII
letters or digits (one there can neither open nor close emphasis, so it stays text).

Why this is exact (CommonMark as markdown-it-py implements it, the commonmark preset): the
only inline rules are text, newline (`\\n`), escape (`\\`), backticks, emphasis (`*`, `_`),
link (`[`), image (`!`), autolink and HTML (`<`) and entity (`&`); with none of their
characters outside code spans, every other character is text. Backtick runs all of length
one pair up in order (each opener's closer is the next run), and what is inside a code span
is not parsed further. A code span's content has one space stripped from each side when it
begins and ends with one and is not all spaces. tests/test_spec_pieces.py compares this with
markdown-it on every inline of the repository's specs and on generated strings.
"""

from __future__ import annotations

import re

Parts = tuple[tuple[str, str], ...]

_SPECIAL = re.compile(r"[\n\\*\[\]!<&]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def simple_parts(content: str) -> Parts | None:
    """("text" | "code", content) parts as markdown-it's inline parse gives them (adjacent
    text merged), or None when the content needs that parse."""
    if "`" not in content:
        if _SPECIAL.search(content):
            return None
        return (("text", content),) if content else ()
    if "``" in content or "\n" in content:
        return None
    pieces = content.split("`")
    if len(pieces) % 2 == 0:  # an odd number of backticks: the last one is text
        return None
    parts: list[tuple[str, str]] = []
    for i, piece in enumerate(pieces):
        if i % 2:
            if piece[0] == " " and piece[-1] == " " and piece.strip(" "):
                piece = piece[1:-1]
            parts.append(("code", piece))
        elif piece:
            if _SPECIAL.search(piece):
                return None
            parts.append(("text", piece))
    return tuple(parts)
