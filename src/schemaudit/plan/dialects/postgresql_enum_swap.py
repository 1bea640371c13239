"""Enum labels removed or reordered on PostgreSQL: the type swap the PostgreSQL
documentation leaves as the only way (`ALTER TYPE` can add and rename labels, never remove
one). A new type is created under a temporary name, every column of the old one is retyped
through text (`USING col::text::new`, arrays through `text[]`), the old type is dropped and
the new one takes its name; column defaults are dropped around the retype and set again.

A row holding a removed label would make the retype fail half-way: the plan's data check
counts such rows first (`removed_rows_sql`) and refuses with one line naming the table, the
column and the count.
"""

from __future__ import annotations

from schemaudit.model import Column, Schema, SqlType, TypeFamily
from schemaudit.model_objects import EnumType
from schemaudit.plan.dialects.postgresql_objects import literal, q

SUFFIX = "__schemaudit_new"


def _plain(name: str) -> str:
    return name.lower().split(".")[-1].strip('"')


def uses(t: SqlType, name: str) -> bool:
    t = t.element if t.element is not None else t
    return t.family is TypeFamily.ENUM and _plain(t.name or t.raw) == _plain(name)


def users(schema: Schema, name: str) -> list[tuple[str, Column]]:
    """(table, column) of every column of `schema` whose type (or array element) is the enum."""
    return [(t.name, col) for t in schema.tables for col in t.columns if uses(col.type, name)]


def in_domain(schema: Schema, name: str) -> bool:
    return any(_plain(d.base).removesuffix("[]") == _plain(name) for d in schema.objects.domains)


def swap(from_: EnumType, to: EnumType, columns: list[tuple[str, Column]]) -> list[str]:
    """The statements, in order; `columns` are the current columns of the type."""
    new = q(to.name + SUFFIX)
    labels = ", ".join(literal(v) for v in to.values)
    out = [f"CREATE TYPE {new} AS ENUM ({labels})"]
    removed = set(from_.values) - set(to.values)
    restore = []
    for table, col in columns:
        array = col.type.element is not None
        cast = f"{q(col.name)}::text[]::{new}[]" if array else f"{q(col.name)}::text::{new}"
        parts = []
        if col.default is not None:
            parts.append(f"ALTER COLUMN {q(col.name)} DROP DEFAULT")
            if not any(f"'{v}'" in col.default for v in removed):
                restore.append(f"ALTER TABLE {q(table)} ALTER COLUMN {q(col.name)} SET DEFAULT {col.default}")
        parts.append(f"ALTER COLUMN {q(col.name)} TYPE {new}{'[]' if array else ''} USING {cast}")
        out.append(f"ALTER TABLE {q(table)} " + ", ".join(parts))
    out += [f"DROP TYPE {q(from_.name)}", f"ALTER TYPE {new} RENAME TO {q(to.name)}", *restore]
    return out


def removed_rows_sql(table: str, col: Column, removed: list[str]) -> str:
    """One `SELECT COUNT(*)` of the rows whose value (or an array element) is a removed label."""
    values = ", ".join(literal(v) for v in removed)
    if col.type.element is not None:
        return f"SELECT COUNT(*) FROM {q(table)} WHERE {q(col.name)}::text[] && ARRAY[{values}]::text[]"
    return f"SELECT COUNT(*) FROM {q(table)} WHERE {q(col.name)}::text IN ({values})"
