"""Where in a Python file a schema object was written: constructor calls found by their AST.

SQLAlchemy objects do not remember their source line, but the code that built them is
plain Python: `sa.Column("email", ...)`, `ForeignKeyConstraint(["user_id"], ...)`,
`CheckConstraint("...", name="valid_actor_type")`, `email: Mapped[str] = mapped_column(...)`.
Both the models source (class bodies, `Table(...)` calls) and the alembic source
(`op.create_table(...)` calls) look the objects up here by what the call says literally: the
first string argument, the list of column names, the `name=` keyword. Whatever cannot be
matched keeps the enclosing call's or class's line; a wrong line is worse than a coarse one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class CallSite:
    """One call in the source: the called name's last part, its line, and its literals.

    `strings` are the leading positional string literals (a list/tuple of strings given as
    the first argument counts as its strings: `ForeignKeyConstraint(["a", "b"], ...)`).
    `name` is a literal `name=` keyword (or `op.f("...")` / `conv("...")` around it).
    """

    func: str
    line: int
    end_line: int
    strings: tuple[str, ...]
    name: str | None


@lru_cache(maxsize=256)
def parse_file(path: str) -> ast.Module | None:
    """The parsed file, or None when it cannot be read or parsed (then origins stay coarse)."""
    text = source_lines(path)
    if text is None:
        return None
    try:
        return ast.parse("\n".join(text), filename=path)
    except (SyntaxError, ValueError):
        return None


@lru_cache(maxsize=256)
def source_lines(path: str) -> tuple[str, ...] | None:
    """The file's lines as `ast` numbers them (from 1: line n is `[n - 1]`; newlines read as
    `\\n`, as the parser sees them), or None when it cannot be read."""
    try:
        with open(path, encoding="utf-8") as handle:
            return tuple(handle.read().split("\n"))
    except (OSError, UnicodeDecodeError):
        return None


def func_name(call: ast.Call) -> str:
    """`sa.Column` -> "Column", `op.create_table` -> "create_table", `Column` -> "Column"."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and func_name(node) in ("f", "conv") and node.args:
        return _literal(node.args[0])
    return None


def _strings(call: ast.Call) -> tuple[str, ...]:
    if call.args and isinstance(call.args[0], (ast.List, ast.Tuple)):
        items = [_literal(e) for e in call.args[0].elts]
        return tuple(i for i in items if i is not None)
    out = []
    for arg in call.args:
        text = _literal(arg)
        if text is None:
            break
        out.append(text)
    return tuple(out)


def site(call: ast.Call) -> CallSite:
    name = next((_literal(k.value) for k in call.keywords if k.arg == "name"), None)
    return CallSite(func_name(call), call.lineno, call.end_lineno or call.lineno, _strings(call), name)


def calls_within(
    node: ast.AST, funcs: frozenset[str] | None = None, lines: tuple[str, ...] | None = None
) -> tuple[CallSite, ...]:
    """Every call inside `node` (itself excluded), in source order; with `funcs`, only the
    calls to those names. With `funcs` and the file's `lines` (`source_lines`), a statement
    of a class body whose lines name none of `funcs` is not walked: a call names its
    function in its text, and a models class is mostly column statements that hold no
    constraint or index call (walking them all was a tenth of a `models:` load)."""
    if funcs is not None and lines is not None and isinstance(node, ast.ClassDef):
        parts: list[ast.AST] = [*node.decorator_list, *node.bases, *node.keywords]
        parts += [s for s in node.body if _names_any(lines, s, funcs)]
        nodes: Iterable[ast.AST] = (n for part in parts for n in ast.walk(part))
    else:
        nodes = ast.walk(node)
    found = [
        site(n) for n in nodes if isinstance(n, ast.Call) and n is not node and (funcs is None or func_name(n) in funcs)
    ]
    return tuple(sorted(found, key=lambda s: (s.line, s.end_line)))


def _names_any(lines: tuple[str, ...], statement: ast.stmt, names: frozenset[str]) -> bool:
    text = "\n".join(lines[statement.lineno - 1 : statement.end_lineno or statement.lineno])
    return any(name in text for name in names)


def call_at(path: str, line: int, names: frozenset[str]) -> ast.Call | None:
    """The innermost call to one of `names` whose span covers `line` (a frame's line is the
    call's first line on Python 3.11+, and may be a later one before)."""
    tree = parse_file(path)
    if tree is None:
        return None
    best: ast.Call | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and func_name(node) in names:
            end = node.end_lineno or node.lineno
            if node.lineno <= line <= end and (best is None or node.lineno >= best.lineno):
                best = node
    return best


def calls_named(path: str, func: str, first: str) -> tuple[ast.Call, ...]:
    """Calls to `func` whose first string argument is `first` (`Table("users", ...)`)."""
    tree = parse_file(path)
    if tree is None:
        return ()
    return tuple(
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and func_name(n) == func and n.args and _literal(n.args[0]) == first
    )


def match_column(sites: tuple[CallSite, ...], column: str) -> int | None:
    """Line of `Column("column", ...)` among `sites`."""
    return next((s.line for s in sites if s.func == "Column" and s.strings[:1] == (column,)), None)


def match_constraint(
    sites: tuple[CallSite, ...], funcs: frozenset[str], name: str | None, columns: tuple[str, ...]
) -> int | None:
    """Line of the constraint call among `sites`: by its literal name first (the final name
    may carry a naming convention around it), then by its literal column list."""
    candidates = [s for s in sites if s.func in funcs]
    if name:
        for s in candidates:
            if s.name and (s.name == name or s.name in name):
                return s.line
    if columns:
        for s in candidates:
            if s.strings == columns:
                return s.line
    return None


def class_attribute_lines(tree: ast.Module, class_name: str, first_line: int) -> dict[str, int]:
    """Attribute name -> line for assignments, annotated assignments and methods (a
    `declared_attr`) directly in the body of the class that starts at `first_line`."""
    node = class_node(tree, class_name, first_line)
    if node is None:
        return {}
    cached = _BODY_LINES.get(id(node))
    if cached is None or cached[0] is not node:  # asked once per column of the class
        cached = _BODY_LINES[id(node)] = (node, _body_lines(node))
    return cached[1]


_BODY_LINES: dict[int, tuple[ast.ClassDef, dict[str, int]]] = {}


def _starts_at(node: ast.ClassDef, line: int) -> bool:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return first == line or node.lineno == line


def _body_lines(node: ast.ClassDef) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in node.body:
        if isinstance(item, ast.Assign):
            for target in item.targets:
                if isinstance(target, ast.Name):
                    out.setdefault(target.id, item.lineno)
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            out.setdefault(item.target.id, item.lineno)
        elif isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.setdefault(item.name, item.lineno)
    return out


def class_node(tree: ast.Module, class_name: str, first_line: int) -> ast.ClassDef | None:
    for node in _classes(tree).get(class_name, ()):
        if _starts_at(node, first_line):
            return node
    return None


# One index of a file's classes per parsed tree (trees are cached by `parse_file`): a models
# file is looked up once per class and once per column, and walking a 5,000-line module each
# time made a large models package take minutes.
_CLASS_INDEX: dict[int, tuple[ast.Module, dict[str, list[ast.ClassDef]]]] = {}


def _classes(tree: ast.Module) -> dict[str, list[ast.ClassDef]]:
    cached = _CLASS_INDEX.get(id(tree))
    if cached is not None and cached[0] is tree:
        return cached[1]
    index: dict[str, list[ast.ClassDef]] = {}
    for node in _class_defs(tree):
        index.setdefault(node.name, []).append(node)
    _CLASS_INDEX[id(tree)] = (tree, index)
    return index


def _class_defs(tree: ast.Module) -> list[ast.ClassDef]:
    """Every class statement of the module at any depth, in `ast.walk`'s order."""
    return [node for node in _statements(tree) if isinstance(node, ast.ClassDef)]


def _statements(tree: ast.Module) -> Iterator[ast.AST]:
    """Every statement of the module at any depth, breadth first (`ast.walk`'s order), found
    through the statement lists only: a class or a function is a statement, so it stands in
    a body, an `else`/`finally`, an `except` handler or a `match` case, never inside an
    expression, which are most of a module's nodes."""
    level: list[ast.AST] = [tree]
    while level:
        below: list[ast.AST] = []
        for node in level:
            for name in _STATEMENT_LISTS:
                below.extend(getattr(node, name, ()))
        yield from below
        level = below


# the fields that hold statements, except handlers and match cases
_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")


@lru_cache(maxsize=256)
def class_lines(path: str) -> dict[str, int]:
    """Qualified class name (`Outer.Inner`, `f.<locals>.C`) -> its first line (the first
    decorator's, as `inspect` counts), for every class in the file; parsed once per file."""
    tree = parse_file(path)
    out: dict[str, int] = {}
    if tree is None:
        return out
    stack: list[tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        # a statement's statements are in these fields (in `ast.iter_child_nodes`' order);
        # skipping its expressions is most of the walk saved
        for child in (c for name in ("body", "orelse", "finalbody") for c in getattr(node, name, ())):
            if isinstance(child, ast.ClassDef):
                qualname = prefix + child.name
                out.setdefault(qualname, min([child.lineno, *(d.lineno for d in child.decorator_list)]))
                stack.append((child, qualname + "."))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                stack.append((child, prefix + child.name + ".<locals>."))
            elif isinstance(child, ast.stmt):
                stack.append((child, prefix))
    return out


# (first line, name) -> function statement, per parsed tree (see `_CLASS_INDEX`)
_FUNCTION_INDEX: dict[int, tuple[ast.Module, dict[tuple[int, str], ast.FunctionDef | ast.AsyncFunctionDef]]] = {}


def function_at(tree: ast.Module, first_line: int, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The `def name` statement that starts at `first_line` (its first decorator's line, where
    a code object's `co_firstlineno` points), at any depth of the module."""
    cached = _FUNCTION_INDEX.get(id(tree))
    if cached is None or cached[0] is not tree:
        index: dict[tuple[int, str], ast.FunctionDef | ast.AsyncFunctionDef] = {}
        for child in _statements(tree):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                index.setdefault((first, child.name), child)
        cached = _FUNCTION_INDEX[id(tree)] = (tree, index)
    return cached[1].get((first_line, name))
