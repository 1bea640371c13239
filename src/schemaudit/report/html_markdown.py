"""Markdown to HTML for the HTML report, with the pipe tables written directly.

The report's per-table sections are markdown (`markdown_tables`), and markdown-it turned
them into HTML. On a report of 675 tables with gaps that was about half of the HTML render:
markdown-it tokenizes every table line, then parses every cell's inline markdown, and most
cells repeat (`✅`, the same types, the same gap phrases). Here a pipe table that stands as
its own block is written the way markdown-it's GFM table rule and renderer write it, each
cell split off with markdown-it's own `escapedSplit` and `mdTrim` and its inline markdown
rendered by markdown-it (`renderInline`), once per distinct cell text. Everything between
the tables goes through markdown-it as before, except the lines naming what matches
(`**Columns matching (14):** `id`, `code`, ...`) or a table's extra columns, the longest
text of a section: each of their code spans is rendered once per distinct span too.

Why the pieces can be rendered apart: with a blank line (or the start or end of the text)
before and after it, a table whose lines all start with `|` is a block of its own in
CommonMark, and so is a line of bold plain words and code spans (`**` then anything but a
space opens no list and no thematic break), as long as nothing around them could span the
blank lines.
With raw HTML off, that leaves fenced code blocks, which may hold blank lines and `|` lines,
and link reference definitions, which change how `[text]` renders anywhere: text with a line
that could open a fence or with `]:` anywhere is rendered whole by markdown-it, as before.
Inside such a line a code span whose fence is one backtick and which holds no backtick ends
at its own closing backtick, so each span renders the same alone as in the line.
Two kinds of cell are written without markdown-it's inline parse, as it writes them: a lone
code span (a name, a type: most distinct cells) and text with no character any inline rule
of the commonmark preset acts on.
The output is byte for byte markdown-it's (the golden HTML reports check it).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, mdTrim
from markdown_it.rules_block.table import escapedSplit

# md.table's delimiter row: `|---|---|`, no alignment (an aligned table takes the slow path).
_DELIMITER = re.compile(r"\|(?:---\|)+")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.MULTILINE)
# A line the report writes as `**Title (n):** `a`, `b`, ...`: a bold lead of plain words
# (no backtick, emphasis, escape, link, autolink or entity character), then code spans with
# one backtick fence each and no backtick inside, joined by ", ".
_SPAN = r"`[^`\n]+`"
_LEAD = r"\*\*[^\s`*_\\<\[\]&][^`*_\\<\[\]&\n]*:\*\*"
_NAME_LIST = re.compile(rf"({_LEAD}) ((?:{_SPAN})(?:, {_SPAN})*)")
_SPANS = re.compile(_SPAN)
# A cell markdown-it renders as `<code>` and its text escaped: one span, one-backtick fences,
# no backtick, line break or NUL inside (normalized by markdown-it), no space at either end
# (a space at both ends is stripped).
_LONE_SPAN = re.compile(r"`([^`\n\r\0 ](?:[^`\n\r\0]*[^`\n\r\0 ])?)`")
# Text markdown-it renders as it is, escaped: none of the characters that open an escape,
# code span, emphasis, link, image, autolink, entity or line break (html and strikethrough
# are off in the commonmark preset; `~` is kept out all the same).
_PLAIN = re.compile(r"[^\\`*_\[\]!<&~\n\r\0]*")


@cache
def parser() -> MarkdownIt:
    """One parser for the whole report: setting one up compiles its rules, which cost as much
    as rendering a table's section (a report of 675 tables with gaps set up 675). Raw HTML
    in the markdown stays text (`html` off)."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render(markdown: str) -> str:
    """`markdown` as markdown-it renders it, with the stand-alone pipe tables written here."""
    if "]:" in markdown or _FENCE.search(markdown):
        return str(parser().render(markdown))
    lines = markdown.split("\n")
    out: list[str] = []
    start = 0  # first line not rendered yet
    i = 0
    while i < len(lines):
        alone = i == 0 or lines[i - 1] == ""
        end = _table_end(lines, i) if alone else None
        names = _NAME_LIST.fullmatch(lines[i]) if alone and end is None else None
        if names and (i + 1 == len(lines) or lines[i + 1] == ""):
            out.append(_blocks(lines[start:i]))
            spans = ", ".join(_inline(span) for span in _SPANS.findall(names.group(2)))
            out.append(f"<p>{_inline(names.group(1))} {spans}</p>\n")
            start = i = i + 1
            continue
        if end is None:
            i += 1
            continue
        out.append(_blocks(lines[start:i]))
        out.append(_table(lines[i:end]))
        start = i = end
    out.append(_blocks(lines[start:]))
    return "".join(out)


def _table_end(lines: list[str], i: int) -> int | None:
    """The line after the pipe table starting at line `i`, or None when no stand-alone table
    starts there (one header cell per delimiter cell, a blank line or the text's edge
    after it; the caller checks the line before)."""
    if not lines[i].startswith("|"):
        return None
    if i + 1 >= len(lines) or not _DELIMITER.fullmatch(lines[i + 1]):
        return None
    if len(_cells(lines[i])) != lines[i + 1].count("---"):
        return None
    end = i + 2
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return end if end == len(lines) or lines[end] == "" else None


def _blocks(lines: list[str]) -> str:
    text = "\n".join(lines)
    return str(parser().render(text)) if text.strip() else ""


def _cells(line: str) -> list[str]:
    """A row's cells as markdown-it's table rule splits them (escaped pipes unescaped, the
    empty cells outside the outer pipes dropped), each trimmed."""
    line = mdTrim(line)
    columns = escapedSplit(line) if "\\" in line else line.split("|")  # the same without escapes
    if columns and columns[0] == "":
        columns.pop(0)
    if columns and columns[-1] == "":
        columns.pop()
    return [mdTrim(c) for c in columns]


def _table(lines: list[str]) -> str:
    """A pipe table as markdown-it's renderer writes it (no `<tbody>` without body rows).
    A row with fewer cells than the header (md.table writes none) goes to markdown-it,
    which pads it and stops a table at 65,536 padded cells."""
    header = _cells(lines[0])
    rows = [_cells(line) for line in lines[2:]]
    if any(len(cells) < len(header) for cells in rows):
        return str(parser().render("\n".join(lines)))
    out = ["<table>\n<thead>\n<tr>\n", *(f"<th>{_inline(c)}</th>\n" for c in header), "</tr>\n</thead>\n"]
    if rows:
        out.append("<tbody>\n")
        for cells in rows:
            out.append("<tr>\n")
            out.extend(f"<td>{_inline(c)}</td>\n" for c in cells[: len(header)])
            out.append("</tr>\n")
        out.append("</tbody>\n")
    out.append("</table>\n")
    return "".join(out)


@lru_cache(maxsize=16384)
def _inline(cell: str) -> str:
    """A cell's or a code span's inline markdown as HTML; they repeat across a report's
    tables, so each distinct one is parsed once."""
    if not cell:
        return ""
    span = _LONE_SPAN.fullmatch(cell)
    if span:
        return f"<code>{escapeHtml(span.group(1))}</code>"
    if _PLAIN.fullmatch(cell):
        return escapeHtml(cell)
    return str(parser().renderInline(cell))
