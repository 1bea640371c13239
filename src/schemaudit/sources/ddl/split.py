"""Splitting an SQL file into statements, each with the line it starts on.

A `;` ends a statement only outside string literals, quoted identifiers, comments and, on
PostgreSQL, dollar-quoted bodies (`$$ ... $$`, `$_$ ... $_$`), which is where the
semicolons of function bodies live. Dialect details that decide where a statement ends:

- PostgreSQL: `E'...'` strings take backslash escapes; a line starting with `\\` is a psql
  meta-command (`\\c chinook`), which ends at the end of its line; `BEGIN ATOMIC ... END`
  bodies hold semicolons; the data rows after `COPY ... FROM stdin;` (pg_dump) run to a
  line holding `\\.` and are not SQL.
- MySQL: `#` starts a comment, strings take backslash escapes, `"..."` is a string, and
  `DELIMITER //` changes the terminator (how dumps write procedures and triggers).
- SQLite: `[name]` is a quoted identifier, and a CREATE TRIGGER body (`BEGIN ...; END`)
  holds semicolons; `sqlite3.complete_statement` decides where such a statement ends.

One regex does the lexing (in C); the loop sees only the tokens that can matter: quotes,
comments, terminators and, on PostgreSQL, the four words that open or close a body with
semicolons inside (a name that merely contains them, `case_id`, is no match). Other words
are not tokens at all, so a large file costs one C scan, not a Python step per word.
"""

from __future__ import annotations

import re
import sqlite3
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

_COMMON = r"""--[^\n]*|/\*.*?(?:\*/|\Z)|"[^"]*(?:""[^"]*)*(?:"|\Z)|'[^']*(?:''[^']*)*(?:'|\Z)"""
_LEXERS = {
    "postgresql": re.compile(
        r"""(?P<skip>--[^\n]*|/\*.*?(?:\*/|\Z)|"[^"]*(?:""[^"]*)*(?:"|\Z)"""
        r"""|(?<![A-Za-z0-9_$])[eE]'[^'\\]*(?:(?:\\.|'')[^'\\]*)*(?:'|\Z)|'[^']*(?:''[^']*)*(?:'|\Z))"""
        r"""|(?P<dollar>(?<![A-Za-z0-9_$])\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$)"""
        r"""|(?P<semi>;)|(?P<word>(?<![A-Za-z0-9_$])(?i:BEGIN|ATOMIC|CASE|END)(?![A-Za-z0-9_$]))"""
        r"""|(?P<meta>(?<![^\n])[ \t]*\\)""",
        re.DOTALL,
    ),
    "mysql": re.compile(
        r"""(?P<skip>--(?:[ \t][^\n]*|(?=\n)|\Z)|\#[^\n]*|/\*.*?(?:\*/|\Z)|`[^`]*(?:``[^`]*)*(?:`|\Z)"""
        r"""|"[^"\\]*(?:(?:\\.|"")[^"\\]*)*(?:"|\Z)|'[^'\\]*(?:(?:\\.|'')[^'\\]*)*(?:'|\Z))"""
        r"""|(?P<semi>;)|(?P<word>[A-Za-z_][A-Za-z0-9_$]*)""",
        re.DOTALL,
    ),
    "sqlite": re.compile(
        rf"""(?P<skip>{_COMMON}|`[^`]*(?:``[^`]*)*(?:`|\Z)|\[[^\]]*(?:\]|\Z))"""
        r"""|(?P<semi>;)|(?P<word>[A-Za-z_][A-Za-z0-9_$]*)""",
        re.DOTALL,
    ),
}
_LEADING = re.compile(r"""(?:\s+|--[^\n]*|\#[^\n]*|/\*.*?(?:\*/|\Z))*""", re.DOTALL)
_LEADING_NO_HASH = re.compile(r"""(?:\s+|--[^\n]*|/\*.*?(?:\*/|\Z))*""", re.DOTALL)
_DELIMITER = re.compile(r"(?i)DELIMITER[ \t]+(\S+)[ \t]*(?:\n|\Z)")
_COPY_FROM_STDIN = re.compile(r"(?is)(?:\s|--[^\n]*|/\*.*?\*/)*COPY\b.*\bFROM\s+STDIN\b")
_Emit = Callable[[int, int], None]
_WORDS = re.compile(r"""[A-Za-z_][A-Za-z0-9_]*|"[^"]*(?:""[^"]*)*"|`[^`]*`|\[[^\]]*\]|\S""")


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement: its text without the terminator, and the 1-based line it starts on."""

    text: str
    line: int

    def head(self, count: int = 4) -> tuple[str, ...]:
        """The first words, upper-cased (quoted names kept as written): enough to classify."""
        words: list[str] = []
        for match in _WORDS.finditer(self.text):
            word = match.group(0)
            words.append(word.upper() if word[0].isalpha() or word[0] == "_" else word)
            if len(words) == count:
                break
        return tuple(words)


def split_statements(text: str, dialect: str) -> list[Statement]:
    """All statements of a file in order; empty statements (`;;`, comments only) are left out."""
    lexer = _LEXERS.get(dialect, _LEXERS["postgresql"])
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    leading = _LEADING if dialect == "mysql" else _LEADING_NO_HASH
    out: list[Statement] = []

    def emit(begin: int, end: int) -> None:
        begin = leading.match(text, begin, end).end()  # type: ignore[union-attr]
        body = text[begin:end].rstrip()
        if body:
            out.append(Statement(body, bisect_right(starts, begin)))

    if dialect == "mysql":
        _split_mysql(text, lexer, emit)
    else:
        _split(text, lexer, dialect, emit)
    return out


def _split(text: str, lexer: re.Pattern[str], dialect: str, emit: _Emit) -> None:
    begin = 0
    depth = 0  # BEGIN ATOMIC / CASE nesting inside a PostgreSQL statement
    previous = ""
    previous_end = -1
    pos = 0
    while True:
        match = lexer.search(text, pos)
        if match is None:
            break
        pos = match.end()
        kind = match.lastgroup
        if kind == "semi":
            chunk = text[begin : match.end()]
            if depth > 0 or (dialect == "sqlite" and not sqlite3.complete_statement(chunk)):
                continue
            emit(begin, match.start())
            begin, depth, previous = match.end(), 0, ""
            if dialect == "postgresql" and _COPY_FROM_STDIN.match(chunk):
                begin = pos = _end_of_copy_data(text, pos)
        elif kind == "dollar":
            close = text.find(match.group(0), pos)
            pos = len(text) if close < 0 else close + len(match.group(0))
        elif kind == "meta":
            if text[begin : match.start()].strip(" \t\r\n") == "" or _only_comments(text[begin : match.start()]):
                end = text.find("\n", pos)
                end = len(text) if end < 0 else end
                emit(begin, end)
                begin = pos = end
                previous = ""
        elif kind == "word" and dialect == "postgresql":
            word = match.group(0).upper()
            adjacent = previous_end >= 0 and _only_comments(text[previous_end : match.start()])
            if (word == "ATOMIC" and previous == "BEGIN" and adjacent) or (depth > 0 and word == "CASE"):
                depth += 1
            elif depth > 0 and word == "END":
                depth -= 1
            previous, previous_end = word, match.end()
    emit(begin, len(text))


def _end_of_copy_data(text: str, pos: int) -> int:
    """pg_dump data: the rows after `COPY ... FROM stdin;` end at a line holding `\\.`."""
    end = text.find("\n\\.", pos)
    while end >= 0 and text[end + 3 : end + 4] not in ("", "\n", "\r"):
        end = text.find("\n\\.", end + 1)
    return len(text) if end < 0 else end + 3


def _only_comments(text: str) -> bool:
    return _LEADING_NO_HASH.fullmatch(text) is not None


def _split_mysql(text: str, lexer: re.Pattern[str], emit: _Emit) -> None:
    """MySQL: like the others, plus `DELIMITER x` lines that change the terminator."""
    begin = 0
    delimiter = ";"
    while begin < len(text):
        at = _LEADING.match(text, begin).end()  # type: ignore[union-attr]
        directive = _DELIMITER.match(text, at)
        if directive:
            delimiter = directive.group(1)
            begin = directive.end()
            continue
        end = _find_terminator(text, lexer, at, delimiter)
        if end < 0:
            emit(begin, len(text))
            return
        emit(begin, end)
        begin = end + len(delimiter)


def _find_terminator(text: str, lexer: re.Pattern[str], pos: int, delimiter: str) -> int:
    """Where `delimiter` next occurs outside quotes and comments, or -1."""
    if delimiter == ";":
        while True:
            match = lexer.search(text, pos)
            if match is None:
                return -1
            if match.lastgroup == "semi":
                return match.start()
            pos = match.end()
    while True:
        found = text.find(delimiter, pos)
        if found < 0:
            return -1
        # skip quoted text and comments that start before the delimiter
        match = lexer.search(text, pos, found + len(delimiter))
        while match is not None and match.lastgroup != "skip":
            match = lexer.search(text, match.end(), found + len(delimiter))
        if match is None or match.start() >= found:
            return found
        pos = match.end()
