"""A PostgreSQL statement as a list of words, strings and symbols, with each string's value as
the server stores it: what reading a function's body or a trigger's arguments from the
text needs (sqlglot's tokens lose a dollar-quoted string's exact contents).

A `$tag$...$tag$` string's value is its text between the delimiters, byte for byte (what
`pg_proc.prosrc` keeps); a `'...'` string's has each `''` made one `'`. An `E'...'` string is
kept with `exact=False`: its backslash escapes are not decoded here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEXEME = re.compile(
    r"""
      (?P<space>\s+|--[^\n]*)
    | (?P<comment>/\*)
    | (?P<dollar>\$(?P<tag>[A-Za-z_][A-Za-z0-9_]*)?\$)
    | (?P<estring>[Ee]'(?:[^'\\]|\\.|'')*')
    | (?P<string>'(?:[^']|'')*')
    | (?P<quoted>"(?:[^"]|"")*")
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<word>[A-Za-z_\x80-\uffff][A-Za-z0-9_$\x80-\uffff]*)
    | (?P<symbol>::|[(),.;=\[\]*+<>!~|&%^/-]|\S)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Word:
    kind: str  # word, quoted, string, number, symbol
    text: str  # as written (a string: its value; a word: upper-cased)
    start: int
    end: int
    exact: bool = True  # a string whose value is known exactly

    def is_(self, *words: str) -> bool:
        return self.kind == "word" and self.text in words

    @property
    def name(self) -> str:
        """An identifier as the catalog stores it: quoted kept, unquoted folded to lower case."""
        return self.text if self.kind == "quoted" else self.text.lower()


def words(text: str) -> list[Word]:
    out: list[Word] = []
    at = 0
    while at < len(text):
        found = _LEXEME.match(text, at)
        if found is None:  # pragma: no cover - \S matches anything left
            break
        kind = found.lastgroup
        end = found.end()
        if kind == "comment":
            at = _comment_end(text, end)
            continue
        if kind == "dollar":
            delimiter = found.group(0)
            close = text.find(delimiter, end)
            close = len(text) if close < 0 else close
            out.append(Word("string", text[end:close], at, close + len(delimiter)))
            at = close + len(delimiter)
            continue
        lexeme = found.group(0)
        if kind == "string":
            out.append(Word("string", lexeme[1:-1].replace("''", "'"), at, end))
        elif kind == "estring":
            out.append(Word("string", lexeme[2:-1], at, end, exact=False))
        elif kind == "quoted":
            out.append(Word("quoted", lexeme[1:-1].replace('""', '"'), at, end))
        elif kind == "word":
            out.append(Word("word", lexeme.upper(), at, end))
        elif kind in ("number", "symbol"):
            out.append(Word(kind, lexeme, at, end))
        at = end
    return out


def _comment_end(text: str, at: int) -> int:
    """Where a block comment opened just before `at` ends: PostgreSQL nests them, so
    `/* a /* b */ c */` is one comment (the end of the text when it is left open)."""
    depth = 1
    while depth:
        close = text.find("*/", at)
        if close < 0:
            return len(text)
        opened = text.find("/*", at, close)
        if opened >= 0:
            depth += 1
            at = opened + 2
        else:
            depth -= 1
            at = close + 2
    return at


def close_of(items: list[Word], open_at: int) -> int:
    """The index of the `)` matching the `(` at `open_at` (len(items) if unclosed)."""
    depth = 0
    for i in range(open_at, len(items)):
        if items[i].kind == "symbol" and items[i].text == "(":
            depth += 1
        elif items[i].kind == "symbol" and items[i].text == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(items)


def qualified(items: list[Word], at: int) -> tuple[list[str], int]:
    """A dotted name starting at `at`: its parts, and the index after it."""
    parts: list[str] = []
    i = at
    while i < len(items) and items[i].kind in ("word", "quoted"):
        parts.append(items[i].name)
        i += 1
        if i < len(items) and items[i].kind == "symbol" and items[i].text == ".":
            i += 1
            continue
        break
    return parts, i


def regproc_name(parts: list[str], audited: str) -> str:
    """A function's name as `regproc` prints it with the audited schema on the search_path:
    unqualified in that schema and pg_catalog, quoted where the name needs it."""
    if len(parts) > 1 and parts[-2] in (audited, "pg_catalog"):
        parts = parts[-1:]
    return ".".join(p if _PLAIN.match(p) else '"' + p.replace('"', '""') + '"' for p in parts)


_PLAIN = re.compile(r"^[a-z_][a-z0-9_$]*$")


def trigger_call(definition: str, audited: str) -> tuple[str, tuple[str, ...]] | None:
    """(function, arguments) of a CREATE TRIGGER's `EXECUTE FUNCTION f(args)`, each argument as
    the string the server keeps (`pg_get_triggerdef` quotes them all; a file may write a
    name or a number bare)."""
    items = words(definition)
    at = next((i for i in range(len(items) - 1, -1, -1) if items[i].is_("EXECUTE")), -1)
    if at < 0 or at + 2 >= len(items):
        return None
    parts, i = qualified(items, at + 2)
    if not parts or i >= len(items) or items[i].text != "(":
        return None
    args = [w for w in items[i + 1 : close_of(items, i)] if w.text != ","]
    values = tuple(w.text if w.kind in ("string", "number") else w.name for w in args)
    return regproc_name(parts, audited), values
