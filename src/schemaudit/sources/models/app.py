"""Facts that live only in the ORM: Python-side defaults, `@validates` methods, type checks.

None of these reach the database, which is exactly why an audit must know them: a column
whose allowed values are enforced only by a validator or by SQLAlchemy's `Enum` type accepts
anything from raw SQL, another service or a bulk load. The rule that compares them with the
database's constraints is `audit/rules_app.py`; this module only records them, per dialect
(an `Enum` is enforced by the database where it is native, in Python elsewhere).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from schemaudit.model import AppFact
from schemaudit.sources.models.origin import Origins, function_node, function_origin


def app_facts(table: sa.Table, dialect: Dialect, origins: Origins) -> tuple[AppFact, ...]:
    out: list[AppFact] = []
    for col in table.columns:
        origin = origins.column(table, col)
        if col.default is not None:
            out.append(AppFact("default", col.name, describe_default(col.default), (), origin))
        if col.onupdate is not None:
            out.append(AppFact("onupdate", col.name, describe_default(col.onupdate), (), origin))
        out.extend(_type_checks(col, dialect, origin))
    mapper = origins.mapper(table)
    if mapper is not None:
        for key, (method, _) in mapper.validators.items():
            column = _column_of(mapper, key, table)
            if column is not None:
                detail = f"@validates({key!r}) {mapper.class_.__name__}.{getattr(method, '__name__', key)}"
                kind = "validates" if can_reject(method) else "transforms"
                out.append(AppFact(kind, column, detail, (), function_origin(method)))
    return tuple(sorted(out, key=lambda f: (f.column or "", f.kind, f.detail)))


def can_reject(method: Any) -> bool:
    """Whether a `@validates` method can refuse a value, which is what makes it evidence for
    a CHECK: it raises (or asserts, or calls a `validate_*`/`check_*`/`ensure_*` helper), or
    every `return` gives a constant (the value comes from a fixed set). A method that only
    transforms (hashes a password, derives a key, strips spaces) refuses nothing. A method
    whose source cannot be read counts as one that can reject."""
    found = function_node(method)
    if found is not None:
        body: list[ast.stmt] = found[1].body
    else:
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(method))))
        except (OSError, TypeError, SyntaxError, ValueError):
            return True
        func = tree.body[0] if tree.body else None
        body = func.body if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) else tree.body
    returns = []
    for node in (n for statement in body for n in ast.walk(statement)):  # not the decorators
        if isinstance(node, (ast.Raise, ast.Assert)):
            return True
        if isinstance(node, ast.Call) and _called(node).lower().startswith(_REJECTING_CALLS):
            return True
        if isinstance(node, ast.Return):
            returns.append(node.value)
    return bool(returns) and all(isinstance(r, ast.Constant) for r in returns)


_REJECTING_CALLS = ("validate", "check", "ensure", "assert", "verify", "require")


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _type_checks(col: sa.Column[Any], dialect: Dialect, origin: Any) -> list[AppFact]:
    """An Enum or Boolean whose values SQLAlchemy checks in Python because, on this dialect,
    the database has neither a native type nor the type's CHECK (`create_constraint`)."""
    impl = effective_type(col.type, dialect)
    if isinstance(impl, sa.Enum):
        native = impl.native_enum and dialect.supports_native_enum
        if not native and not impl.create_constraint:
            values = tuple(str(v) for v in impl.enums)
            return [AppFact("enum", col.name, f"Enum({', '.join(map(repr, values))})", values, origin)]
    elif isinstance(impl, sa.Boolean) and not dialect.supports_native_boolean and not impl.create_constraint:
        return [AppFact("boolean", col.name, "Boolean (True/False checked by SQLAlchemy)", (), origin)]
    return []


def effective_type(type_: sa.types.TypeEngine[Any], dialect: Dialect) -> sa.types.TypeEngine[Any]:
    """The type that really applies on `dialect`: a variant picked, a decorator unwrapped."""
    variants = getattr(type_, "_variant_mapping", None) or {}
    type_ = variants.get(dialect.name, type_)
    if isinstance(type_, sa.TypeDecorator):
        return effective_type(type_.load_dialect_impl(dialect), dialect)
    return type_


def describe_default(default: Any) -> str:
    """A Python-side default as a reader would write it: `'user'`, `uuid.uuid4()`, `now()`."""
    arg = getattr(default, "arg", default)
    if isinstance(default, sa.Sequence):
        return f"Sequence({default.name!r})"
    if getattr(default, "is_callable", False):
        func = getattr(arg, "__wrapped__", arg)
        module = getattr(func, "__module__", None)
        name = getattr(func, "__qualname__", None) or getattr(func, "__name__", repr(func))
        prefix = f"{module}." if module and module not in ("builtins", "__main__") else ""
        return f"{prefix}{name}()"
    if getattr(default, "is_clause_element", False):
        return f"SQL {arg}"
    return repr(arg)


def _column_of(mapper: Any, key: str, table: sa.Table) -> str | None:
    """The column of `table` behind a mapped attribute (None for a relationship)."""
    try:
        prop = mapper.get_property(key)  # does not configure relationships (they may be broken)
    except sa.exc.InvalidRequestError:
        return None
    columns = getattr(prop, "columns", None)
    if not columns:
        return None
    for col in columns:
        if isinstance(col, sa.Column) and col.table is table:
            return str(col.name)
    return None
