"""SQL text as the database sees it: code without comments, whitespace collapsed.

`apply` runs the statements of a plan's manifest and must be sure they are exactly the ones
the reviewed `.sql` file shows. Finding a statement's text somewhere in the file is not
enough: it could sit inside a `-- comment` a reviewer skims past. So both sides are reduced
to their code (comments removed, runs of whitespace outside quotes made one space, line ends
normalized) and compared whole.

The scanner knows what the three dialects put in plan files: '...' strings (doubled quotes;
backslash escapes on MySQL), "..." and `...` identifiers, PostgreSQL $tag$...$tag$ bodies,
`--` line comments (and `#` ones on MySQL) and /* ... */ block comments.
"""

from __future__ import annotations

import re

_DOLLAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


def normalize_newlines(text: str) -> str:
    """CRLF line ends as LF (a checkout may change them; the SQL does not). A lone CR is
    kept: it may be part of a quoted name."""
    return text.replace("\r\n", "\n")


def code(text: str, dialect: str = "") -> str:
    """The code of `text`: comments dropped, whitespace outside quotes collapsed to one space."""
    text = normalize_newlines(text)
    out: list[str] = []
    i, n = 0, len(text)
    space = False

    def emit(piece: str) -> None:
        nonlocal space
        if space and out:
            out.append(" ")
        space = False
        out.append(piece)

    while i < n:
        ch = text[i]
        if ch.isspace():
            space = True
            i += 1
        elif text.startswith("--", i) or (ch == "#" and dialect == "mysql"):
            end = text.find("\n", i)
            i = n if end < 0 else end
            space = True
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            space = True
        elif ch in "'\"`":
            end = _quoted_end(text, i, ch, backslash=dialect == "mysql" and ch == "'")
            emit(text[i:end])
            i = end
        elif ch == "$" and dialect in ("postgresql", "") and (m := _DOLLAR.match(text, i)):
            close = text.find(m.group(0), m.end())
            end = n if close < 0 else close + len(m.group(0))
            emit(text[i:end])
            i = end
        else:
            j = i + 1
            while j < n and not text[j].isspace() and text[j] not in "'\"`$-/#":
                j += 1
            emit(text[i:j])
            i = j
    return "".join(out)


def _quoted_end(text: str, start: int, quote: str, *, backslash: bool) -> int:
    i = start + 1
    while i < len(text):
        ch = text[i]
        if backslash and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if i + 1 < len(text) and text[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return len(text)
