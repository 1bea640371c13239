"""markdown-it block parsers without the rules that cannot match a given text.

markdown-it tries every block rule at the start of every block, and the interrupting ones
(fence, block quote, thematic break, HTML) again on every line of a paragraph or list: most
of its block parse of a spec goes to rules that never match there. Each rule below matches
only where the text holds certain characters (what CommonMark, and so markdown-it, requires
of that construct); a text without them is parsed with the rule off, which gives the same
tokens, since a rule that does not match leaves no token and no state behind:

- `table`: the header row holds a `|`.
- `fence`: three backticks or tildes in a row.
- `blockquote`: a `>` with only indentation and container markers (`>`, `-`, `+`, `*`,
  `1.`, `1)`) before it on its line: where block content starts.
- `hr` (a thematic break): three `-`, `*` or `_` and nothing else on the rest of a line, so
  the line ends with one of them (then spaces or tabs).
- `lheading` (a setext underline): a line of `=` or `-`, so one that ends with either.
- `html_block`: a `<` where block content starts; required here: any `<`.
- `reference` (a link reference definition): a label and a colon, `]:`.

tests/test_spec_pieces.py compares the blocks read this way with those of markdown-it's
parse of the whole document, every rule on, on the repository's markdown and on documents
that hold each construct in containers.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_QUOTE = re.compile(r"^[ \t>*+\-.)0-9]*>", re.MULTILINE)
_BREAK = re.compile(r"[-*_][^\S\n]*$", re.MULTILINE)
_UNDERLINE = re.compile(r"[-=][^\S\n]*$", re.MULTILINE)


def idle_rules(text: str) -> frozenset[str]:
    """The block rules that cannot match anywhere in `text`."""
    idle = set()
    if "|" not in text:
        idle.add("table")
    if "```" not in text and "~~~" not in text:
        idle.add("fence")
    if not _QUOTE.search(text):
        idle.add("blockquote")
    if not _BREAK.search(text):
        idle.add("hr")
    if not _UNDERLINE.search(text):
        idle.add("lheading")
    if "<" not in text:
        idle.add("html_block")
    if "]:" not in text:
        idle.add("reference")
    return frozenset(idle)


def block_parser(idle: frozenset[str] = frozenset()) -> MarkdownIt:
    """CommonMark with pipe tables, as the floor parses, without the inline pass (content
    is parsed as it is read) and without the `idle` block rules. A new one for each
    document (0.1 ms): markdown-it builds its rule lists on first use, which is not safe
    while another thread (`audit` reads both sides at once) uses the same parser."""
    md = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])
    if idle:
        md.disable(sorted(idle))
    return md
