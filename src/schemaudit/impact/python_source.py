"""A Python file read for the precise stage: its structure (`ast`) and, around each match,
its tokens (`tokenize`), with the lookups the rules in `precise.py` ask of them.

Positions are character offsets into the decoded text. `ast` (CPython's own parser) reads
the whole file: which strings are docstrings, which statement, function and class hold a
line, which classes map which tables, which names and strings a range of lines holds.
`tokenize`, a pure-Python tokenizer about ten times slower, reads only the statement that
holds a match (`focus`), which says which token the name stands in (a NAME, a STRING, a
COMMENT) and what is around it. A file `ast` cannot parse is not read (the caller keeps the
word-level answer).

Given the lines that hold matches, `ast` reads only the top-level statements holding them
(`python_regions.py`); the whole file is parsed only when a rule asks what the module as a
whole names (a match at module level whose statement names no table).
"""

from __future__ import annotations

import ast
import bisect
import functools
import io
import re
import tokenize
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from schemaudit.impact.python_regions import parse_more, parse_regions, parse_rest

_FSTRING_MIDDLE = getattr(tokenize, "FSTRING_MIDDLE", -1)  # Python 3.12+ splits f-strings
_PREFIX = re.compile(r"[A-Za-z]*")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NEWLINE = re.compile("\n")
_BODIES = ("body", "handlers", "orelse", "finalbody", "cases")
_SKIP = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT})


@dataclass(frozen=True, slots=True)
class StringPart:
    """The content of one string literal: where it starts in the file, and its text."""

    start: int
    text: str


@dataclass(slots=True)
class PythonSource:
    text: str
    line_starts: list[int]
    tree: ast.Module
    tokens: list[tokenize.TokenInfo] = field(default_factory=list)  # of the statement in focus
    offsets: list[int] = field(default_factory=list)  # start offset of each token
    ends: list[int] = field(default_factory=list)
    docstrings: set[tuple[int, int]] = field(default_factory=set)  # of the bodies walked down so far
    paths: dict[int, tuple[tuple[int, int], list[ast.AST]]] = field(default_factory=dict)
    words: list[tuple[int, str, bool]] | None = None  # (line, text, quoted) of strings and Names, once asked
    windows: dict[tuple[int, int], tuple[list[tokenize.TokenInfo], list[int], list[int]]] = field(default_factory=dict)
    children: dict[int, list[Any]] = field(default_factory=dict)  # id of a compound statement -> its bodies, by line
    pieces: list[tuple[int, int]] = field(default_factory=list)  # the lines read, when not all

    def focus(self, line: int) -> bool:
        """Tokenize the statement holding `line` (once); False when it does not tokenize."""
        first, last = self.statement_lines(line)
        window = self.windows.get((first, last))
        if window is None:
            start = self.line_starts[first - 1]
            end = self.line_starts[last] if last < len(self.line_starts) else len(self.text)
            try:
                raw = [t for t in tokenize.generate_tokens(io.StringIO(self.text[start:end]).readline)]
            except (tokenize.TokenError, SyntaxError):
                return False
            shift = first - 1
            starts = self.line_starts
            info = tokenize.TokenInfo
            tokens = [
                info(t.type, t.string, (t.start[0] + shift, t.start[1]), (t.end[0] + shift, t.end[1]), t.line)
                for t in raw
                if t.type != tokenize.ENDMARKER
            ]
            offsets = [starts[t.start[0] - 1] + t.start[1] for t in tokens]
            ends = [starts[t.end[0] - 1] + t.end[1] for t in tokens]
            window = self.windows[(first, last)] = (tokens, offsets, ends)
        self.tokens, self.offsets, self.ends = window
        return True

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
        return self._path(line)[0]

    def scope(self, line: int) -> ast.AST | None:
        """The innermost function or class holding `line`."""
        chain = self._path(line)[1]
        return chain[-1] if chain else None

    def scope_chain(self, line: int) -> list[ast.AST]:
        """The functions and classes holding `line`, outermost first."""
        return self._path(line)[1]

    def _path(self, line: int) -> tuple[tuple[int, int], list[ast.AST]]:
        """Walk down from the module to the statement holding `line`, by bisection of each
        body (the tree is never walked whole): its lines and the scopes on the way."""
        cached = self.paths.get(line)
        if cached is not None:
            return cached
        scopes: list[ast.AST] = []
        found = (line, line)
        if not self.pieces or self.pieces[0][0] == 1:  # the tree's first statement is the file's
            self._note_docstring(self.tree)
        nodes: list[Any] = self.tree.body
        while nodes:
            k = bisect.bisect_right(nodes, line, key=_lineno) - 1
            if k < 0 or line > (nodes[k].end_lineno or nodes[k].lineno):
                break
            node = nodes[k]
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                scopes.append(node)
                self._note_docstring(node)
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and line >= body[0].lineno:
                nodes = self.children.get(id(node)) or []
                if not nodes:
                    nodes = sorted((c for f in _BODIES for c in getattr(node, f, None) or ()), key=_lineno)
                    self.children[id(node)] = nodes
                continue
            last = body[0].lineno - 1 if isinstance(body, list) and body else (node.end_lineno or node.lineno)
            found = (node.lineno, max(node.lineno, last))
            break
        self.paths[line] = (found, scopes)
        return found, scopes

    def _note_docstring(self, node: ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        first = node.body[0] if node.body else None
        doc = first.value if isinstance(first, ast.Expr) else None
        if isinstance(doc, ast.Constant) and isinstance(doc.value, str):
            self.docstrings.add((doc.lineno, doc.col_offset))

    def words_in(
        self, first: int, last: int, spellings: Mapping[str, frozenset[str]], known: frozenset[str] = frozenset()
    ) -> set[str]:
        """Tables named between two lines: by a quoted name (`"users"`, or any table of
        `known` quoted whole) or an ORM class name (`User`), not by a lowercase Python
        variable that happens to share it."""
        if self.pieces and not self._covers(first, last):
            self._read_whole()
        return self._named(first, last, spellings, known)

    def module_names(self, spellings: Mapping[str, frozenset[str]], wanted: frozenset[str]) -> set[str]:
        """Which of the `wanted` tables the module names, as `words_in` over the whole file
        says, reading only the top-level statements whose text holds one of their spellings
        (a statement that holds none cannot name one)."""
        if self.pieces:
            pattern = _spelled(frozenset(s for s, tables in spellings.items() if not tables.isdisjoint(wanted)))
            found = pattern.finditer(self.text) if pattern else ()
            lines = {bisect.bisect_right(self.line_starts, m.start()) for m in found}
            more = parse_more(self.text, self.line_starts, lines, self.pieces)
            if more is None:
                self._read_whole()
            elif more[1]:
                self.tree = ast.Module(body=sorted([*self.tree.body, *more[0]], key=_lineno), type_ignores=[])
                self.pieces = sorted([*self.pieces, *more[1]])
                self._forget()
        return self._named(1, len(self.line_starts) - 1, spellings, frozenset()) & wanted

    def _named(self, first: int, last: int, spellings: Mapping[str, frozenset[str]], known: frozenset[str]) -> set[str]:
        found: set[str] = set()
        if self.words is None:
            self.words = _words(self.tree)
        lo = bisect.bisect_left(self.words, (first, "", False))
        for k in range(lo, len(self.words)):
            line, text, quoted = self.words[k]
            if line > last:
                break
            if not quoted:
                found |= spellings.get(text, frozenset())
                continue
            for word in _WORD.findall(text):
                found |= spellings.get(word, frozenset())
            if text.lower() in known:
                found.add(text.lower())
        return found

    def _covers(self, first: int, last: int) -> bool:
        """Whether one top-level statement of the tree holds lines first to last."""
        body = self.tree.body
        k = bisect.bisect_right(body, first, key=_lineno) - 1
        if k < 0:
            return False
        start = min([body[k].lineno, *(d.lineno for d in getattr(body[k], "decorator_list", ()))])
        return start <= first and last <= (body[k].end_lineno or body[k].lineno)

    def _read_whole(self) -> None:
        """Add the statements outside the pieces read (when they do not parse on their own,
        the file is parsed whole; when that fails too, the words stay the pieces')."""
        rest = parse_rest(self.text, self.line_starts, self.pieces)
        if rest is None:
            try:
                self.tree = ast.parse(self.text)
            except (SyntaxError, ValueError):
                rest = []
        if rest is not None:
            self.tree = ast.Module(body=sorted([*self.tree.body, *rest], key=_lineno), type_ignores=[])
        self.pieces = []
        self._forget()

    def _forget(self) -> None:
        """Drop what was derived from the tree, after it grew."""
        self.paths.clear()
        self.children.clear()
        self.words = None


def read_python(text: str, lines: Iterable[int] | None = None) -> PythonSource | None:
    """The file's tree (with `lines`, of the top-level statements holding them); None when
    it does not parse."""
    line_starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]  # what io.StringIO's lines give
    if text and not text.endswith("\n"):
        line_starts.append(len(text))
    if lines is None:
        try:
            return PythonSource(text, line_starts, ast.parse(text))
        except (SyntaxError, ValueError):
            return None
    parsed = parse_regions(text, line_starts, lines)
    return None if parsed is None else PythonSource(text, line_starts, parsed[0], pieces=parsed[1])


@functools.lru_cache(maxsize=256)
def _spelled(spellings: frozenset[str]) -> re.Pattern[str] | None:
    """Any of the spellings, anywhere (a superset of where a word can name them)."""
    if not spellings:
        return None
    return re.compile("|".join(re.escape(s) for s in sorted(spellings, key=lambda s: (-len(s), s))))


def _lineno(node: Any) -> int:
    return node.lineno  # type: ignore[no-any-return]


def _nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of the tree (what `ast.walk` yields, in another order), without a
    generator per node: this runs over whole files."""
    out: list[ast.AST] = [tree]
    stack: list[ast.AST] = [tree]
    node_type = ast.AST
    while stack:
        node = stack.pop()
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, node_type):
                out.append(value)
                stack.append(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type):
                        out.append(item)
                        stack.append(item)
    return out


def _words(tree: ast.Module) -> list[tuple[int, str, bool]]:
    """Every string constant, and every capitalized name (`Asset`, `models.Asset`), by line."""
    words: list[tuple[int, str, bool]] = []
    for node in _nodes(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            words.append((node.lineno, node.value, True))
        elif isinstance(node, ast.Name) and node.id[:1].isupper():
            words.append((node.lineno, node.id, False))
        elif isinstance(node, ast.Attribute) and node.attr[:1].isupper():
            words.append((node.end_lineno or node.lineno, node.attr, False))
    words.sort()
    return words


def _is_string(token: tokenize.TokenInfo) -> bool:
    return token.type in (tokenize.STRING, _FSTRING_MIDDLE)
