"""Markdown building blocks that cannot be broken by what they quote.

Schema text reaches reports verbatim: CHECK expressions with `|` (`a || b`), defaults with
backticks, comments with newlines or `<tags>`. One unescaped pipe shifts every later cell of
a table row; one `<` can swallow the rest of a cell as an HTML tag. So every cell goes through
`code()` (a code span whose fence outgrows any backtick run inside) or `text()` (prose with
the Markdown-significant characters escaped), and mermaid labels through `mermaid_label()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_TEXT_SPECIAL = re.compile(r"([`*|])")
# Characters that are Markdown only in some places, escaped only there: a backslash before
# punctuation, `]` that would close a link (`](`, `][`, `]:`), `#` opening a line, and `~`
# when a second one could close a strikethrough. `[tool.schemaudit.ignore]` stays readable.
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)")
_LINK_CLOSE = re.compile(r"\](?=[(\[:])")
_HEADING = re.compile(r"^#", re.MULTILINE)
_LOOSE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_BACKTICK_RUN = re.compile(r"`+")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def text(value: str) -> str:
    """Prose for a table cell or a line: special characters escaped, `<` and `&` as entities,
    newlines as `<br>`. Intraword underscores (`meta_json`) are left alone: GFM never reads
    them as emphasis, and escaping them would clutter the source."""
    out = _BACKSLASH.sub(r"\\\\", value)
    out = _TEXT_SPECIAL.sub(r"\\\1", out)
    out = _LINK_CLOSE.sub(r"\\]", out)
    out = _HEADING.sub(r"\\#", out)
    if out.count("~") > 1:
        out = out.replace("~", "\\~")
    out = _LOOSE_UNDERSCORE.sub(r"\\_", out)
    out = out.replace("&", "&amp;").replace("<", "&lt;")  # no tag can open without "<"
    return "<br>".join(_NEWLINES.split(out))


def code(value: str, cell: bool = True) -> str:
    """An inline code span holding `value` exactly; by default safe inside a table cell.

    The fence is one backtick longer than the longest run inside; a leading or trailing
    backtick gets a space of padding (which CommonMark strips again). A newline cannot live in
    a code span and becomes a space. In a table cell `|` is escaped, which GFM removes before
    the span is read; anywhere else the escape would show, so `inline()` leaves it alone.
    """
    if not ("`" in value or "|" in value or "\n" in value or "\r" in value) and value.strip() and value[0] != " ":
        return f"`{value}`"  # the common case, a name or a type: nothing to pad or escape
    value = " ".join(_NEWLINES.split(value))
    if not value.strip():
        return "` `"
    fence = "`" * (max(map(len, _BACKTICK_RUN.findall(value))) + 1) if "`" in value else "`"
    stripped_by_reader = value[0] == value[-1] == " "
    pad = " " if value[0] == "`" or value[-1] == "`" or stripped_by_reader else ""
    body = value.replace("|", "\\|") if cell else value
    return f"{fence}{pad}{body}{pad}{fence}"


def inline(value: str) -> str:
    """A code span for prose, headings and lists (outside tables)."""
    return code(value, cell=False)


def codes(values: Iterable[str], sep: str = ", ") -> str:
    """Code spans for a table cell."""
    return sep.join(code(v) for v in values)


def inlines(values: Iterable[str], sep: str = ", ") -> str:
    """Code spans for prose, headings and lists (outside tables)."""
    return sep.join(inline(v) for v in values)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GFM pipe table; cells must already be escaped with `text()` or `code()`."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return lines


def mermaid_label(value: str) -> str:
    """Text for a quoted mermaid node label: quotes and angle brackets as mermaid entities."""
    value = " ".join(_NEWLINES.split(value))
    return value.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def fenced(lang: str, body: Iterable[str]) -> list[str]:
    """A fenced block; the fence outgrows any backtick run in the body."""
    lines = list(body)
    longest = max((len(m) for line in lines for m in _BACKTICK_RUN.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{lang}", *lines, fence]
