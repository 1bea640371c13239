"""File and line of each model object: the mapped class, the attribute, the `__table_args__` entry.

An ORM table's origin is its mapped class (`inspect.getsourcelines`); a column's is the line
of its attribute in the class body, looked up along the MRO so a column from a mixin points
at the mixin. Constraints and indexes declared in `__table_args__` are found by their literal
name or columns (`sources.calls`); one made by `index=True` / `unique=True` / `ForeignKey(...)`
on a column points at that column. A Core `Table("name", metadata, ...)` is found by its
call in the imported modules. Anything not found falls back to the table's own origin.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterable
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapper

from schemaudit.model import Origin
from schemaudit.sources.calls import (
    CallSite,
    calls_named,
    calls_within,
    class_attribute_lines,
    class_lines,
    class_node,
    function_at,
    match_column,
    match_constraint,
    parse_file,
    source_lines,
)
from schemaudit.sources.child import display_path

_CONSTRAINT_CALLS: dict[type, frozenset[str]] = {
    sa.ForeignKeyConstraint: frozenset({"ForeignKeyConstraint"}),
    sa.UniqueConstraint: frozenset({"UniqueConstraint"}),
    sa.CheckConstraint: frozenset({"CheckConstraint"}),
    sa.PrimaryKeyConstraint: frozenset({"PrimaryKeyConstraint"}),
}
# the calls of a mapped class's body that `constraint` and `index` look up
_CLASS_CALLS = frozenset({"Index"}).union(*_CONSTRAINT_CALLS.values())


class Origins:
    """Looks origins up; built once per load from the mappers and the imported modules."""

    def __init__(self, mappers: Iterable[Mapper[Any]], modules: Iterable[ModuleType]) -> None:
        self._mappers: dict[int, Mapper[Any]] = {}
        self._sharing: dict[int, list[Mapper[Any]]] = {}
        for mapper in mappers:
            table = mapper.local_table
            if not isinstance(table, sa.Table):
                continue
            # the mapper that owns the table; single-table subclasses share it and may
            # declare some of its columns
            self._sharing.setdefault(id(table), []).append(mapper)
            if mapper.inherits is None or mapper.inherits.local_table is not table:
                self._mappers.setdefault(id(table), mapper)
        self._modules = tuple(modules)
        self._cache: dict[int, tuple[Origin | None, tuple[CallSite, ...], dict[str, Origin]]] = {}

    def mapper(self, table: sa.Table) -> Mapper[Any] | None:
        """The ORM mapper that owns `table`, or None for a Core table."""
        return self._mappers.get(id(table))

    # ---- tables and columns --------------------------------------------------------------

    def table(self, table: sa.Table) -> Origin | None:
        return self._table_info(table)[0]

    def column(self, table: sa.Table, col: sa.Column[Any]) -> Origin | None:
        info = self._table_info(table)
        return info[2].get(col.name, info[0])

    def constraint(self, table: sa.Table, constraint: sa.Constraint) -> Origin | None:
        """A constraint's line: its own call in `__table_args__` or `Table(...)`, else the
        line of the (first) column it was declared on."""
        origin, sites, columns = self._table_info(table)
        funcs = next((f for cls, f in _CONSTRAINT_CALLS.items() if isinstance(constraint, cls)), frozenset())
        cols = tuple(c.name for c in getattr(constraint, "columns", ()))
        if isinstance(constraint, sa.ForeignKeyConstraint):
            cols = tuple(constraint.column_keys)
        name = constraint.name if isinstance(constraint.name, str) else None
        line = match_constraint(sites, funcs, name, cols)
        if line is not None and origin is not None:
            return Origin(origin.path, line)
        if isinstance(constraint, sa.CheckConstraint) and len(cols) != 1:
            holder = next((c.name for c in table.columns if constraint in c.constraints), None)
            cols = (holder,) if holder else cols
        return columns.get(cols[0], origin) if cols else origin

    def index(self, table: sa.Table, index: sa.Index) -> Origin | None:
        origin, sites, columns = self._table_info(table)
        name = index.name if isinstance(index.name, str) else None
        line = next((s.line for s in sites if s.func == "Index" and name and s.strings[:1] == (name,)), None)
        if line is not None and origin is not None:
            return Origin(origin.path, line)
        cols = [e.name for e in index.expressions if isinstance(e, sa.Column)]
        return columns.get(cols[0], origin) if cols else origin

    # ---- lookup --------------------------------------------------------------------------

    def _table_info(self, table: sa.Table) -> tuple[Origin | None, tuple[CallSite, ...], dict[str, Origin]]:
        key = id(table)
        if key not in self._cache:
            mapper = self._mappers.get(key)
            self._cache[key] = self._mapped(table, mapper) if mapper is not None else self._core(table)
        return self._cache[key]

    def _mapped(
        self, table: sa.Table, mapper: Mapper[Any]
    ) -> tuple[Origin | None, tuple[CallSite, ...], dict[str, Origin]]:
        """Class line, the calls in the class body (`__table_args__`), and attribute lines
        of every column, each from the class in the MRO that declares it."""
        cls = mapper.class_
        where = _class_location(cls)
        if where is None:
            return None, (), {}
        path, first = where
        tree = parse_file(path)
        node = class_node(tree, cls.__name__, first) if tree is not None else None
        sites = calls_within(node, _CLASS_CALLS, source_lines(path)) if node is not None else ()
        display = display_path(path)
        columns: dict[str, Origin] = {}
        sharing = [mapper, *(m for m in self._sharing.get(id(table), []) if m is not mapper)]
        for col in table.columns:
            for candidate in sharing:
                attr = _attribute_key(candidate, col)
                found = _declaring_line(candidate.class_, attr) if attr else None
                if found is not None:
                    columns[col.name] = Origin(display_path(found[0]), found[1])
                    break
        return Origin(display, first), sites, columns

    def _core(self, table: sa.Table) -> tuple[Origin | None, tuple[CallSite, ...], dict[str, Origin]]:
        """A Core `Table("name", ...)`: its call in one of the imported modules."""
        for module in self._modules:
            path = getattr(module, "__file__", None)
            if not path or not path.endswith(".py"):
                continue
            for call in calls_named(path, "Table", table.name):
                sites = calls_within(call)
                display = display_path(path)
                columns = {
                    col.name: Origin(display, line)
                    for col in table.columns
                    if (line := match_column(sites, col.name)) is not None
                }
                return Origin(display, call.lineno), sites, columns
        return None, (), {}


def _class_location(cls: type) -> tuple[str, int] | None:
    """(file, first line) of a class, from the file's parsed tree (parsed once per file;
    `inspect.getsourcelines` re-parses the whole module for every class it is asked about).
    Found once per class: it is asked for every column the class maps."""
    cached = _LOCATIONS.get(id(cls))
    if cached is None or cached[0] is not cls:
        cached = _LOCATIONS[id(cls)] = (cls, _locate_class(cls))
    return cached[1]


# id(class) -> (the class, its location); the child process imports the models once
_LOCATIONS: dict[int, tuple[type, tuple[str, int] | None]] = {}


def _locate_class(cls: type) -> tuple[str, int] | None:
    try:
        path = inspect.getsourcefile(cls)
    except (OSError, TypeError):
        return None
    if not path:
        return None
    line = class_lines(path).get(cls.__qualname__)
    if line is None:
        try:
            _, line = inspect.getsourcelines(cls)
        except (OSError, TypeError):
            return None
    return path, line


def _attribute_key(mapper: Mapper[Any], col: sa.Column[Any]) -> str | None:
    try:
        return mapper.get_property_by_column(col).key
    except (KeyError, sa.exc.SQLAlchemyError):  # an unmapped column (excluded, or Core-only)
        return None


def _declaring_line(cls: type, attr: str) -> tuple[str, int] | None:
    """(file, line) of `attr` in the first class of the MRO whose body assigns it."""
    for klass in cls.__mro__:
        if klass is object or (klass is not cls and attr not in vars(klass)):
            continue
        where = _class_location(klass)
        if where is None:
            continue
        tree = parse_file(where[0])
        if tree is None:
            continue
        line = class_attribute_lines(tree, klass.__name__, where[1]).get(attr)
        if line is not None:
            return where[0], line
    return None


def function_node(func: Any) -> tuple[str, ast.FunctionDef | ast.AsyncFunctionDef] | None:
    """(file, statement) of a function's `def` in its parsed file (`parse_file`, once per
    file), found at the line its code starts (`co_firstlineno`, its first decorator's). None
    when that line holds no such `def` (a file changed since the import); then callers ask
    `inspect`, which tokenizes the file from that line for each function."""
    func = inspect.unwrap(func)
    code = getattr(func, "__code__", None)
    if code is None:
        return None
    try:
        path = inspect.getsourcefile(func)
    except (OSError, TypeError):
        return None
    tree = parse_file(path) if path else None
    node = function_at(tree, code.co_firstlineno, code.co_name) if tree is not None else None
    return (path, node) if path and node is not None else None


def function_origin(func: Any) -> Origin | None:
    """File and line of a function (a `@validates` method): its `def`, not its decorator."""
    found = function_node(func)
    if found is not None:
        return Origin(display_path(found[0]), found[1].lineno)
    func = inspect.unwrap(func)
    try:
        path = inspect.getsourcefile(func)
        lines, first = inspect.getsourcelines(func)
    except (OSError, TypeError):
        return None
    if not path:
        return None
    offset = next((i for i, text in enumerate(lines) if text.lstrip().startswith(("def ", "async def "))), 0)
    return Origin(display_path(path), first + offset)
