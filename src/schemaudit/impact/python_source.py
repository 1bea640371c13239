"""A Python file read once for the precise stage: its tokens (`tokenize`) and its structure
(`ast`), with the lookups the rules in `precise.py` ask of them.

Positions are character offsets into the decoded text. `tokenize` says which token a name
stands in (a NAME, a STRING, a COMMENT); `ast` says which strings are docstrings, which
statement, function and class hold a line, and which classes map which tables.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass, field

_FSTRING_MIDDLE = getattr(tokenize, "FSTRING_MIDDLE", -1)  # Python 3.12+ splits f-strings
_PREFIX = re.compile(r"[A-Za-z]*")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SKIP = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT})


@dataclass(frozen=True, slots=True)
class StringPart:
    """The content of one string literal: where it starts in the file, and its text."""

    start: int
    text: str


@dataclass(slots=True)
class PythonSource:
    text: str
    tokens: list[tokenize.TokenInfo]
    offsets: list[int]  # start offset of each token
    ends: list[int]
    line_starts: list[int]
    tree: ast.Module | None
    docstrings: set[tuple[int, int]] = field(default_factory=set)
    scopes: list[ast.AST] = field(default_factory=list)  # functions and classes
    statements: list[ast.stmt] = field(default_factory=list)

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based line and 0-based column."""
        return self.line_starts[line - 1] + column

    def token_at(self, pos: int) -> int | None:
        i = bisect.bisect_right(self.offsets, pos) - 1
        if i >= 0 and pos < self.ends[i]:
            return i
        return None

    def previous(self, i: int) -> int | None:
        """The index of the significant token before token i (newlines and comments skipped)."""
        i -= 1
        while i >= 0 and self.tokens[i].type in _SKIP:
            i -= 1
        return i if i >= 0 else None

    def following(self, i: int) -> int | None:
        i += 1
        while i < len(self.tokens) and self.tokens[i].type in _SKIP:
            i += 1
        return i if i < len(self.tokens) else None

    def is_docstring(self, i: int) -> bool:
        return self.tokens[i].start in self.docstrings

    def string_group(self, i: int) -> list[StringPart]:
        """The string literals implicitly joined with token i (`"SELECT a " "FROM t"`)."""
        first = i
        while (p := self.previous(first)) is not None and _is_string(self.tokens[p]):
            first = p
        parts: list[StringPart] = []
        k: int | None = first
        while k is not None and _is_string(self.tokens[k]):
            parts.append(self.content(k))
            k = self.following(k)
        return parts

    def content(self, i: int) -> StringPart:
        """A string token's text between its quotes (an f-string's braces stay)."""
        token = self.tokens[i]
        start = self.offsets[i]
        if token.type == _FSTRING_MIDDLE:
            return StringPart(start, token.string)
        raw = token.string
        prefix = len(_PREFIX.match(raw).group(0))  # type: ignore[union-attr]
        quote = 3 if raw[prefix : prefix + 3] in ('"""', "'''") else 1
        return StringPart(start + prefix + quote, raw[prefix + quote : len(raw) - quote])

    def statement_lines(self, line: int) -> tuple[int, int]:
        """The lines of the innermost statement holding `line` (the line alone if none); of a
        compound statement (`for`, `with`, `if`), only its header: its body is other statements."""
        best: tuple[int, int] = (line, line)
        size = None
        for node in self.statements:
            first, last = node.lineno, node.end_lineno or node.lineno
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                if line >= body[0].lineno:
                    continue  # in the body (or after it): a statement there holds the line
                last = body[0].lineno - 1
            if first <= line <= last and (size is None or last - first < size):
                best, size = (first, last), last - first
        return best

    def scope(self, line: int) -> ast.AST | None:
        """The innermost function or class holding `line`."""
        found: ast.AST | None = None
        for node in self.scopes:
            if node.lineno <= line <= (node.end_lineno or node.lineno):  # type: ignore[attr-defined]
                found = node  # scopes are in source order: later ones are nested deeper
        return found

    def words_in(
        self, first: int, last: int, spellings: Mapping[str, frozenset[str]], known: frozenset[str] = frozenset()
    ) -> set[str]:
        """Tables named between two lines: by a quoted name (`"users"`, or any table of
        `known` quoted whole) or an ORM class name (`User`), not by a lowercase Python
        variable that happens to share it."""
        lo = bisect.bisect_left(self.offsets, self.line_starts[first - 1])
        hi = bisect.bisect_left(
            self.offsets, self.line_starts[last] if last < len(self.line_starts) else len(self.text)
        )
        found: set[str] = set()
        for k in range(lo, hi):
            token = self.tokens[k]
            if _is_string(token):
                text = self.content(k).text
                for word in _WORD.findall(text):
                    found |= spellings.get(word, frozenset())
                if text.lower() in known:
                    found.add(text.lower())
            elif token.type == tokenize.NAME and token.string[:1].isupper():
                found |= spellings.get(token.string, frozenset())
        return found


def read_python(text: str) -> PythonSource | None:
    """The file's tokens and tree; None when it does not tokenize (not Python 3)."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type != tokenize.ENDMARKER]
    except (tokenize.TokenError, SyntaxError):
        return None
    line_starts = [0]
    for line in io.StringIO(text):
        line_starts.append(line_starts[-1] + len(line))
    offsets = [line_starts[t.start[0] - 1] + t.start[1] for t in tokens]
    ends = [line_starts[t.end[0] - 1] + t.end[1] for t in tokens]
    try:
        tree: ast.Module | None = ast.parse(text)
    except (SyntaxError, ValueError):
        tree = None
    source = PythonSource(text, tokens, offsets, ends, line_starts, tree)
    if tree is not None:
        _index(source, tree)
    return source


def _index(source: PythonSource, tree: ast.Module) -> None:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            first = body[0] if body else None
            doc = first.value if isinstance(first, ast.Expr) else None
            if isinstance(doc, ast.Constant) and isinstance(doc.value, str):
                source.docstrings.add((doc.lineno, doc.col_offset))
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            source.scopes.append(node)
        if isinstance(node, ast.stmt):
            source.statements.append(node)
    source.scopes.sort(key=lambda n: (n.lineno, n.col_offset))  # type: ignore[attr-defined]


def _is_string(token: tokenize.TokenInfo) -> bool:
    return token.type in (tokenize.STRING, _FSTRING_MIDDLE)
