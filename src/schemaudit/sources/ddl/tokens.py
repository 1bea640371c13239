"""Tokens of one statement (sqlglot's tokenizer), and the text they span as written.

sqlglot's parser gives the structure of a statement, but it rewrites what it prints
(`now()` becomes `CURRENT_TIMESTAMP`, `character varying` becomes `VARCHAR`, `serial`
becomes an identity). The model keeps types, defaults and expressions as the file spells
them, so those texts are sliced from the statement using token positions: each token
knows where it starts and ends, quotes included.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError
from sqlglot.parser import Parser
from sqlglot.tokenizer_core import Token, TokenType
from sqlglot.tokens import Tokenizer

from schemaudit.identifiers import IdentifierRules

SQLGLOT_DIALECT = {"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}
T = TokenType
_OPEN = frozenset({T.L_PAREN, T.L_BRACKET})
_CLOSE = frozenset({T.R_PAREN, T.R_BRACKET})
_QUOTED = frozenset({T.IDENTIFIER, T.STRING})


@lru_cache(maxsize=8)
def _dialect(dialect: str) -> Dialect:
    return Dialect.get_or_raise(SQLGLOT_DIALECT.get(dialect, dialect))


class _Workers(threading.local):
    """One sqlglot tokenizer and parser per dialect and thread, reused statement after
    statement: building them costs about as much as lexing a short statement, and both
    reset their state at the start of each call. Per thread, since they hold that state."""

    def __init__(self) -> None:
        self.tokenizers: dict[str, Tokenizer] = {}
        self.parsers: dict[str, Parser] = {}

    def tokenizer(self, dialect: str) -> Tokenizer:
        found = self.tokenizers.get(dialect)
        if found is None:
            found = self.tokenizers[dialect] = _dialect(dialect).tokenizer()
        return found

    def parser(self, dialect: str) -> Parser:
        found = self.parsers.get(dialect)
        if found is None:
            found = self.parsers[dialect] = _dialect(dialect).parser()
        return found


_WORKERS = _Workers()


def tokenize(text: str, dialect: str) -> list[Token]:
    """The statement's tokens; raises ValueError with sqlglot's reason when it cannot lex."""
    try:
        tokens = list(_WORKERS.tokenizer(dialect).tokenize(text))
    except SqlglotError as exc:
        raise ValueError(_first_line(str(exc))) from None
    if dialect == "mysql":
        _spatial_types(tokens)
    return tokens


# MySQL's spatial types beside GEOMETRY, which sqlglot's MySQL parser does not know as types
_SPATIAL = frozenset(
    {"POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"}
)
_BEFORE_COLUMN = frozenset({T.L_PAREN, T.COMMA})
_NAMES = frozenset({T.VAR, T.IDENTIFIER})


def _spatial_types(tokens: list[Token]) -> None:
    """A spatial type in a column definition (`, pos POINT NOT NULL`) is parsed as GEOMETRY;
    the text stays `POINT` (the model reads a type as written)."""
    for i in range(2, len(tokens)):
        tok = tokens[i]
        if tok.token_type is T.VAR and tok.text.upper() in _SPATIAL and tokens[i - 1].token_type in _NAMES:
            before = tokens[i - 2]
            if before.token_type in _BEFORE_COLUMN or before.text.upper() in ("ADD", "COLUMN", "MODIFY"):
                tok.token_type = T.GEOMETRY


class _Quiet(logging.Filter):
    """Drops sqlglot's records below ERROR while this thread is inside `quiet_sqlglot()`."""

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR or not getattr(self.local, "depth", 0)


_QUIET = _Quiet()


@contextmanager
def quiet_sqlglot() -> Iterator[None]:
    """sqlglot logs a warning when it falls back to an opaque Command; we report such
    statements ourselves, with their line, so its own stderr output is held back. A filter
    on its logger, not `setLevel`: setting a level clears the level cache of every logger
    in the process, and this runs once per parsed statement (a third of a spec's time)."""
    logger = logging.getLogger("sqlglot")
    if _QUIET not in logger.filters:
        logger.addFilter(_QUIET)
    _QUIET.local.depth = getattr(_QUIET.local, "depth", 0) + 1
    try:
        yield
    finally:
        _QUIET.local.depth -= 1


@lru_cache(maxsize=8192)
def _keyword(text: str) -> str:
    """A token's text as a keyword; a DDL file repeats few distinct words, so this is cached."""
    parts = text.split(None, 1)
    return parts[0].upper() if parts else ""


def _first_line(text: str) -> str:
    return " ".join(text.strip().splitlines()[0].split()) if text.strip() else "syntax error"


@dataclass(frozen=True, slots=True)
class Span:
    """Tokens [start, end) of a statement: one column definition, one constraint, ..."""

    start: int
    end: int


class Tokens:
    """A statement's text and tokens, with the few questions the builders ask of them."""

    def __init__(self, text: str, dialect: str) -> None:
        self.text = text
        self.dialect = dialect
        self.tokens = tokenize(text, dialect)
        # `word(i)` is asked of every token several times over (about 230 calls per table of
        # a large file): computed once here, in one pass, it is a list lookup.
        quoted = _QUOTED
        self.words = ["" if tok.token_type in quoted else _keyword(tok.text) for tok in self.tokens]

    def parse(self) -> list[exp.Expr | None]:
        """sqlglot's trees of the statement, parsed from these tokens (not lexed a second time)."""
        with quiet_sqlglot():
            return _WORKERS.parser(self.dialect).parse(self.tokens, self.text)

    def __len__(self) -> int:
        return len(self.tokens)

    def word(self, i: int) -> str:
        """Token `i` as an upper-case keyword ("" past the end, or for a quoted name or a
        string). sqlglot makes one token of some word pairs (`PRIMARY KEY`, `DOUBLE
        PRECISION`, `SQL SECURITY`): their first word stands for them."""
        return self.words[i] if i < len(self.words) else ""

    def slice(self, start: int, end: int) -> str:
        """The original text of tokens [start, end), whitespace inside kept."""
        if start >= end:
            return ""
        return self.text[self.tokens[start].start : self.tokens[end - 1].end + 1]

    def line(self, i: int) -> int:
        """1-based line of token `i` within the statement."""
        return self.tokens[min(i, len(self.tokens) - 1)].line if self.tokens else 1

    def close_of(self, i: int) -> int:
        """Index of the bracket closing the one at `i` (or the last token if unbalanced)."""
        depth = 0
        for j in range(i, len(self.tokens)):
            kind = self.tokens[j].token_type
            if kind in _OPEN:
                depth += 1
            elif kind in _CLOSE:
                depth -= 1
                if depth == 0:
                    return j
        return len(self.tokens) - 1

    def find(self, kinds: frozenset[TokenType], start: int = 0, end: int | None = None) -> int:
        """First token of one of `kinds` at bracket depth 0 in [start, end), or -1."""
        depth = 0
        for j in range(start, len(self.tokens) if end is None else end):
            kind = self.tokens[j].token_type
            if depth == 0 and kind in kinds:
                return j
            if kind in _OPEN:
                depth += 1
            elif kind in _CLOSE:
                depth -= 1
        return -1

    def items(self, open_index: int) -> list[Span]:
        """The comma-separated items inside the bracket group opening at `open_index`."""
        close = self.close_of(open_index)
        spans: list[Span] = []
        start = open_index + 1
        depth = 0
        for j in range(open_index + 1, close):
            kind = self.tokens[j].token_type
            if kind in _OPEN:
                depth += 1
            elif kind in _CLOSE:
                depth -= 1
            elif kind == T.COMMA and depth == 0:
                spans.append(Span(start, j))
                start = j + 1
        if start < close:
            spans.append(Span(start, close))
        return spans

    def split(self, start: int, end: int) -> list[Span]:
        """The comma-separated items of tokens [start, end) at bracket depth 0."""
        spans: list[Span] = []
        depth = 0
        first = start
        for j in range(start, end):
            kind = self.tokens[j].token_type
            if kind in _OPEN:
                depth += 1
            elif kind in _CLOSE:
                depth -= 1
            elif kind == T.COMMA and depth == 0:
                spans.append(Span(first, j))
                first = j + 1
        if first < end:
            spans.append(Span(first, end))
        return spans

    def keyword_at(self, span: Span, words: frozenset[str], start: int | None = None) -> int:
        """First token in `span` (from `start`) at depth 0 whose keyword is in `words`, or -1."""
        depth = 0
        for j in range(span.start if start is None else start, span.end):
            kind = self.tokens[j].token_type
            if depth == 0 and self.word(j) in words:
                return j
            if kind in _OPEN:
                depth += 1
            elif kind in _CLOSE:
                depth -= 1
        return -1

    def group_text(self, open_index: int) -> str:
        """The text inside the bracket group opening at `open_index`, brackets excluded."""
        close = self.close_of(open_index)
        return self.slice(open_index + 1, close).strip()


def stored_name(text: str, quoted: bool, rules: IdentifierRules) -> str:
    """How the catalog stores a name written in DDL: unquoted names fold (PostgreSQL)."""
    return text if quoted else rules.fold_unquoted(text)
