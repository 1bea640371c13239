"""SA133 and SA139: a database default against the model's, the Python-side one included.

A model often gives a column its default in Python (`default=True`) while the migration that
created the column wrote it as a server default (`server_default=sa.true()`). Compared as DDL,
the target has no default and the database has one; to the application both mean the same:
every row gets `true`. That is a note (SA139), not drift. The real contradiction is a database
default that differs from the model's Python default (`false` against `True`): rows written
by the ORM and rows written by anything else get different values, so SA133 says both.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from schemaudit.audit.draft import Context, Draft, col_origin
from schemaudit.diff.changes import ColumnChange, ModifyColumn
from schemaudit.diff.normalize import defaults_equal


def python_default(ctx: Context, table: str, column: str) -> str | None:
    """The model's Python-side default of a target column, as the app facts describe it."""
    found = ctx.target.table(table)
    if found is None:
        return None
    wanted = column.lower()
    return next((f.detail for f in found.app_facts if f.kind == "default" and (f.column or "").lower() == wanted), None)


def as_sql(detail: str) -> str | None:
    """A Python default described as `True`, `'user'`, `0`, `None` or `SQL now()`, written as
    SQL; None for a callable (`uuid.uuid4()`), which has no one value to compare."""
    if detail.startswith("SQL "):
        return detail[4:]
    try:
        value = ast.literal_eval(detail)
    except (ValueError, SyntaxError):
        return None
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return None


def _same_in_python(c: ModifyColumn, ctx: Context) -> tuple[bool, str | None]:
    """(the database default equals the model's Python default, that Python default)."""
    if c.to.default is not None or c.from_.default is None:
        return False, None
    detail = python_default(ctx, c.table, c.to.name)
    sql = as_sql(detail) if detail is not None else None
    if sql is None:
        return False, detail
    families = frozenset({c.to.type.family, c.from_.type.family})
    same = defaults_equal(sql, c.from_.default, ctx.target.dialect, ctx.current.dialect, families)
    return same, detail


def server_default_matches_python(c: ModifyColumn, ctx: Context) -> Iterator[Draft]:
    if ColumnChange.DEFAULT not in c.kinds:
        return
    same, detail = _same_in_python(c, ctx)
    if same:
        yield Draft(
            c.table,
            c.to.name,
            f"Column {c.table}.{c.to.name} has the database default {c.from_.default}; the model sets the "
            f"same value in Python (default={detail}) instead of as a server default. Both give new rows "
            "that value; only writers outside the ORM see the difference, and they get it too.",
            (f"database default: {c.from_.default}", f"model default (Python): {detail}"),
            None,
            col_origin(ctx, c.table, c.to, c.from_),
        )


def default_differs(c: ModifyColumn, ctx: Context, breaks_inserts: bool) -> Iterator[Draft]:
    if ColumnChange.DEFAULT not in c.kinds or breaks_inserts:
        return
    same, detail = _same_in_python(c, ctx)
    if same:
        return
    message = f"Column {c.table}.{c.to.name} default is {c.from_.default or 'none'}, target {c.to.default or 'none'}."
    evidence: tuple[str, ...] = ()
    if detail is not None and c.to.default is None and c.from_.default is not None:
        message = (
            f"Column {c.table}.{c.to.name}: the database default is {c.from_.default}, but the model's Python "
            f"default is {detail}. Rows inserted by the ORM get {detail}; rows inserted any other way get "
            f"{c.from_.default}."
        )
        evidence = (f"database default: {c.from_.default}", f"model default (Python): {detail}")
    yield Draft(
        c.table,
        c.to.name,
        message,
        evidence,
        ctx.fixes.set_default(c.table, c.to),
        col_origin(ctx, c.table, c.to, c.from_),
    )
