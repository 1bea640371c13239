"""The precise stage: of the places where a name stands as a word, keep those where code
uses the table or column, not a Python variable, comment or prose that shares its spelling.

It runs only on the files the first stages found a name in, and only for the languages it
can read (Python and SQL); other files keep the word-level rules of `scan.py`. A use is:

- **SQL**: the name as an identifier of a statement, in a `.sql` file or in a Python string
  literal that holds SQL (`sql_uses.py`); a column there needs its table in the same
  statement (or around the string: `op.add_column("users", ...)`), or an alias or table
  qualifying it that is its own, unless the column name is distinctive;
- **a quoted key**: a Python string that is exactly the name (`row["meta_json"]`,
  `Column("meta_json")`, `op.alter_column("assets", "meta_json")`, `__tablename__ =
  "users"`); a column's needs its table in the statement, the function or the class;
- **an ORM attribute**: `Asset.meta_json`, `asset.meta_json`, `assets.c.meta_json`,
  `self.meta_json` in the mapped class, `meta_json = Column(...)` in its body,
  `Asset(meta_json=...)`; an attribute of an object we cannot place (`row.meta_json`) counts
  where the function names the table in SQL, a quoted name or its ORM class.

Not a use: a comment, a docstring, a local variable or parameter (`user_id, now = ...`,
`def ensure_project(..., user_id)`), a Python name that spells a table, an attribute of
another table's object (`run_job.meta_json` for `assets.meta_json`).
"""

from __future__ import annotations

import ast
import tokenize
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from schemaudit.impact.model import Kind, SearchName
from schemaudit.impact.names import singular, spellings
from schemaudit.impact.python_source import PythonSource, StringPart, read_python
from schemaudit.impact.sql_uses import SqlText, read_sql

PYTHON_SUFFIXES = (".py", ".pyi")
SQL_SUFFIXES = (".sql",)


@dataclass(frozen=True, slots=True)
class Found:
    """One word-level match: its line (1-based), column (0-based, characters), spelling and
    the names it may be a use of."""

    line: int
    column: int
    spelling: str
    names: tuple[SearchName, ...]


@dataclass(frozen=True, slots=True)
class Context:
    spellings: Mapping[str, frozenset[str]]  # table spelling -> tables (lower-cased) it names
    known: frozenset[str]  # every table of both schemas, lower-cased
    objects: frozenset[str] = frozenset()  # what code calls their rows: run_job, runjob, run_jobs...
    regions: bool = True  # parse only the top-level statements holding matches (False: whole files, to compare)


def row_words(tables: frozenset[str]) -> frozenset[str]:
    """Lower-cased names code gives a table's rows: `run_jobs` -> run_jobs, run_job,
    runjob, runjobs."""
    out: set[str] = set()
    for table in tables:
        out |= {s.lower() for s in spellings(table)}
        head, _, last = table.rpartition("_")
        out.add(f"{head}_{singular(last)}" if head else singular(last))
    return frozenset(out)


def reads(path: str) -> bool:
    """Whether the precise stage reads files like this one."""
    return path.endswith(PYTHON_SUFFIXES + SQL_SUFFIXES)


def judge(path: str, text: str, found: Sequence[Found], context: Context) -> list[tuple[SearchName, ...]]:
    """For each match, the names it is a use of (empty: none)."""
    if path.endswith(SQL_SUFFIXES):
        starts = _line_starts(text)
        windows = _SqlWindows(text)
        out: list[tuple[SearchName, ...]] = []
        for f in found:
            pos = starts[f.line - 1] + f.column
            sql, at = windows.around(pos)
            out.append(f.names if sql is None else _in_sql(sql, at, f, context, set))
        return out
    source = read_python(text, [f.line for f in found] if context.regions else None)
    if source is None:
        return [f.names for f in found]
    return [_in_python(source, f, context) for f in found]


def _in_python(source: PythonSource, f: Found, context: Context) -> tuple[SearchName, ...]:
    if not source.focus(f.line):
        return f.names
    pos = source.offset(f.line, f.column)
    i = source.token_at(pos)
    if i is None:
        return ()
    token = source.tokens[i]
    if token.type == tokenize.NAME:
        return tuple(n for n in f.names if n.kind is Kind.COLUMN and _attribute_use(source, i, n, context))
    if token.type == tokenize.COMMENT or source.is_docstring(i):
        return ()
    parts = source.string_group(i)
    if any(p.start <= pos < p.start + len(p.text) and p.text == f.spelling for p in parts):  # a quoted key
        if _dict_key(source, i):  # {"default_currency": "USD"}: a payload's field, unless its statement names the table
            first, last = source.statement_lines(f.line)
            around = source.words_in(first, last, context.spellings, context.known)
        else:
            around = _around(source, f.line, context, _wanted(f))
        return tuple(n for n in f.names if n.kind is Kind.TABLE or _column_in(n, None, around, context))
    joined, at = _join(parts, pos)
    sql = read_sql(joined) if at is not None else None
    if sql is None or at is None or not sql.is_sql:
        return ()
    return _in_sql(sql, at, f, context, lambda: _around(source, f.line, context, _wanted(f)))


def _wanted(f: Found) -> frozenset[str]:
    """The tables (lower-cased) whose naming decides whether this match is a use."""
    return frozenset(t.lower() for n in f.names for t in n.tables)


def _in_sql(
    sql: SqlText, pos: int, f: Found, context: Context, around: Callable[[], set[str]]
) -> tuple[SearchName, ...]:
    """`around`: the tables named around the SQL text, asked only when its statement names none."""
    i = sql.name_at(pos, f.spelling)
    if i is None:
        return ()
    qualifier = sql.qualifier(i, context.known)
    owner = sql.owner(i)
    tables = {owner} if owner else sql.tables(sql.statement[i], context.spellings, context.known)
    if not tables and any(n.kind is Kind.COLUMN for n in f.names):
        tables = around()
    return tuple(n for n in f.names if n.kind is Kind.TABLE or _column_in(n, qualifier, tables, context))


def _column_in(name: SearchName, qualifier: str | None, tables: set[str], context: Context) -> bool:
    """A column's use, given the table qualifying it (if any) and the tables around it."""
    own = {t.lower() for t in name.tables}
    if qualifier is not None and (qualifier in own or qualifier in context.known):
        return qualifier in own
    return name.standalone or not own.isdisjoint(tables)


def _attribute_use(source: PythonSource, i: int, name: SearchName, context: Context) -> bool:
    own = {t.lower() for t in name.tables}
    before = source.previous(i)
    tokens = source.tokens
    if before is not None and tokens[before].string == ".":
        obj = source.previous(before)
        if obj is not None and tokens[obj].string == ")":  # get_project(...).default_currency
            callee = _callee(source, obj)
            if callee is not None and _names_table(callee, own):
                return True
        if obj is None or tokens[obj].type != tokenize.NAME:
            return _scope_names(source, i, own, context)
        word = tokens[obj].string
        if word == "c":  # SQLAlchemy Core: assets.c.meta_json
            dot = source.previous(obj)
            table = source.previous(dot) if dot is not None and tokens[dot].string == "." else None
            if table is not None and tokens[table].string.lower() in own:
                return True
        if _names_table(word, own):  # Asset, asset, last_asset
            return True
        if word.lower() in context.known or word.lower() in context.objects:
            return False  # another table's object (run_job.meta_json)
        if word in ("self", "cls"):
            return not own.isdisjoint(_class_tables(source, tokens[i].start[0], context))
        return _scope_names(source, i, own, context)
    after = source.following(i)
    if after is not None and tokens[after].string in ("=", ":"):
        line = tokens[i].start[0]
        if _in_class_body(source, i):  # meta_json = Column(...), meta_json: Mapped[str]
            return not own.isdisjoint(_class_tables(source, line, context))
        callee = _callee(source, i) if tokens[after].string == "=" else None
        if callee is not None and callee != "dict":  # Asset(meta_json=...), not dict(mode=...)
            return callee.lower() in own or _scope_names(source, i, own, context)
    return False


def _names_table(word: str, own: set[str]) -> bool:
    """`Asset`, `asset`, `new_asset`, `get_asset`: a name that says which table it holds."""
    word = word.lower()
    return word in own or any(word.endswith("_" + t) for t in own)


def _dict_key(source: PythonSource, i: int) -> bool:
    """Whether string token i is a key of a dict display (`{"a": 1}`)."""
    after = source.following(i)
    if after is None or source.tokens[after].string != ":":
        return False
    opener = _opener(source, i)
    return opener is not None and source.tokens[opener].string == "{"


def _opener(source: PythonSource, i: int) -> int | None:
    """The index of the bracket that token i stands inside, if any."""
    depth = 0
    k: int | None = i
    while (k := source.previous(k)) is not None:  # type: ignore[arg-type]
        text = source.tokens[k].string
        if text in (")", "]", "}"):
            depth += 1
        elif text in ("(", "[", "{"):
            if depth == 0:
                return k
            depth -= 1
    return None


def _scope_names(source: PythonSource, i: int, own: set[str], context: Context) -> bool:
    """Whether the function (or class, or module) around token i names one of `own`."""
    line = source.tokens[i].start[0]
    scope = source.scope(line)
    if scope is None:
        return bool(source.module_names(context.spellings, frozenset(own)))
    return not own.isdisjoint(source.words_in(scope.lineno, scope.end_lineno or scope.lineno, context.spellings))  # type: ignore[attr-defined]


def _around(source: PythonSource, line: int, context: Context, wanted: frozenset[str]) -> set[str]:
    """Tables named around a string literal: by its statement (`op.create_table("roles",
    sa.Column("updated_at"))` is about roles alone), else by the function and class, else
    by the module (of the module's, only those of `wanted`: the tables of the names asked
    about, the only ones the answer is compared with)."""
    first, last = source.statement_lines(line)
    found = source.words_in(first, last, context.spellings, context.known)
    if found:
        return found
    scope = source.scope(line)
    if scope is not None:
        found |= source.words_in(scope.lineno, scope.end_lineno or scope.lineno, context.spellings)  # type: ignore[attr-defined]
        found |= _class_tables(source, line, context)
    else:
        found |= source.module_names(context.spellings, wanted)
    return found


def _class_tables(source: PythonSource, line: int, context: Context) -> set[str]:
    """The tables the class around `line` maps: by its name (`class Asset`) or its
    `__tablename__`."""
    found: set[str] = set()
    for node in source.scope_chain(line):
        if not isinstance(node, ast.ClassDef):
            continue
        found |= context.spellings.get(node.name, frozenset())
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__tablename__" for t in stmt.targets)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
            ):
                found |= context.spellings.get(stmt.value.value, frozenset({stmt.value.value.lower()}))
    return found


def _in_class_body(source: PythonSource, i: int) -> bool:
    """Whether token i starts a statement directly in a class body."""
    line = source.tokens[i].start[0]
    scope = source.scope(line)
    if not isinstance(scope, ast.ClassDef):
        return False
    return any(stmt.lineno == line for stmt in scope.body)


def _callee(source: PythonSource, i: int) -> str | None:
    """The name called by the call whose argument list token i stands in (`Asset` in
    `Asset(meta_json=...)`, `filter_by` in `q.filter_by(meta_json=...)`); for a `)`, the
    call it closes."""
    if source.tokens[i].string == ")":
        k: int | None = i
        depth = 0
        while k is not None:
            text = source.tokens[k].string
            depth += text == ")"
            depth -= text == "("
            if depth == 0:
                break
            k = source.previous(k)
        opener = k
    else:
        opener = _opener(source, i)
    if opener is None or source.tokens[opener].string != "(":
        return None
    name = source.previous(opener)
    if name is None or source.tokens[name].type != tokenize.NAME:
        return None
    keyword = source.previous(name)
    if keyword is not None and source.tokens[keyword].string in ("def", "class"):
        return None  # a parameter's default, not an argument
    return source.tokens[name].string


def _join(parts: list[StringPart], pos: int) -> tuple[str, int | None]:
    """The joined text of implicitly concatenated literals and `pos` within it."""
    at: int | None = None
    done = 0
    for part in parts:
        if part.start <= pos < part.start + len(part.text):
            at = done + pos - part.start
        done += len(part.text)
    return "".join(p.text for p in parts), at


class _SqlWindows:
    """A SQL file tokenized a statement at a time: the text between the `;` before a match
    and the one after it, which the tokenizer checks (a window that starts inside a quoted
    string or a comment holding `;` fails to tokenize, or leaves the match outside a name,
    and then the whole file is tokenized instead). Reading only what holds a match keeps the
    stage's cost that of the matches, not of the file."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cache: dict[int, SqlText | None] = {}
        self.whole: SqlText | bool | None = False  # False: not tokenized yet

    def around(self, pos: int) -> tuple[SqlText | None, int]:
        start = self.text.rfind(";", 0, pos) + 1
        end = self.text.find(";", pos)
        end = len(self.text) if end < 0 else end + 1
        if start not in self.cache:
            self.cache[start] = read_sql(self.text[start:end])
        sql = self.cache[start]
        if sql is not None and any(t.start <= pos - start <= t.end for t in sql.tokens):
            return sql, pos - start
        if self.whole is False:
            self.whole = read_sql(self.text)
        return (self.whole if isinstance(self.whole, SqlText) else None), pos


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts
