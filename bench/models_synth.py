"""A synthetic SQLAlchemy models package, written the way large real projects write theirs.

One big module (`models.py`, thousands of lines) of declarative classes with docstrings,
mixins, `Mapped[...]` annotations, foreign keys, indexes, `__table_args__` constraints and
`@validates` methods, plus a small second module: what a models source meets in a mature
application. With `modules` > 1 the same classes are spread over that many submodules
(`models_00.py`, ...) sharing one `Base` from `base.py`, as a project that keeps a module per
domain does; `__init__.py` imports them all. Deterministic for a given size, so runs compare.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

_IMPORTS = """\
import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates
"""

_HEAD = '''\
"""Synthetic models: {tables} tables, {columns} columns."""

import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates

CONVENTION = {{
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=CONVENTION)


class Timestamps:
    """Creation and update times, shared by every table."""

    created_at: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )
'''

_KINDS = (
    ("String(120)", "str", "name of the thing"),
    ("Integer", "int", "a count"),
    ("Boolean", "bool", "a flag"),
    ("Numeric(12, 2)", "float", "an amount"),
    ("Text", "str", "free text"),
    ("Date", "datetime.date", "a day"),
)


def _column(table: int, col: int) -> str:
    sa_type, py_type, what = _KINDS[col % len(_KINDS)]
    extra = ""
    if col % 7 == 3:
        extra = ", index=True"
    if col % 6 == 1:  # the Integer columns: some have a server default
        extra += ", server_default=sa.text('0')"
    nullable = "True" if col % 3 else "False"
    return (
        f"    # {what}: kept for reports; see the product documentation for its meaning.\n"
        f"    # Real models explain each field: where it comes from, who writes it, which\n"
        f"    # report reads it, and what changed about it over the releases. These lines\n"
        f"    # stand for that text.\n"
        f"    field_{col:02d}: Mapped[{py_type}] = mapped_column(\n"
        f"        sa.{sa_type}, nullable={nullable}{extra}, comment={what!r}\n"
        f"    )\n"
    )


def _class(table: int, columns: int) -> str:
    name = f"Entity{table:03d}"
    lines = [
        f"class {name}(Timestamps, Base):",
        f'    """Entity number {table}: one table of the synthetic application.',
        "",
        "    Real projects document their models at length; this docstring stands for that text,",
        "    and for the blank lines and comments that make a models file long.",
        '    """',
        "",
        f'    __tablename__ = "entity_{table:03d}"',
        "    __table_args__ = (",
        f'        sa.UniqueConstraint("field_00", name="uq_entity_{table:03d}_field_00"),',
        '        sa.CheckConstraint("field_01 >= 0", name="field_01_positive"),',
        f'        sa.Index("ix_entity_{table:03d}_pair", "field_00", "field_01"),',
        "    )",
        "",
        "    id: Mapped[int] = mapped_column(primary_key=True)",
    ]
    if table:
        lines.append(
            f"    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey('entity_{table - 1:03d}.id', "
            "ondelete='SET NULL'), index=True)"
        )
    body = "\n".join(lines) + "\n"
    body += "".join(_column(table, c) for c in range(columns))
    body += textwrap.dedent(
        """
            @validates("field_00")
            def _check_field_00(self, key, value):
                if not value:
                    raise ValueError("field_00 is required")
                return value

        """
    ).replace("\n", "\n    ")
    return body + "\n\n"


def write_package(root: Path, name: str, columns: int = 500, per_table: int = 9, modules: int = 1) -> dict[str, int]:
    """Write package `name` under `root` with about `columns` columns in `modules` modules
    (one: `models.py`; more: `base.py` and `models_NN.py`); its size in numbers."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    tables = max(1, columns // (per_table + 3))  # each table also has id, parent_id and the two timestamps
    head = _HEAD.format(tables=tables, columns=columns)
    total = tables * (per_table + 3) + (tables - 1)
    if modules <= 1:
        text = head + "".join(_class(t, per_table) for t in range(tables))
        (folder / "models.py").write_text(text, encoding="utf-8")
        (folder / "__init__.py").write_text(f"from {name}.models import Base\n", encoding="utf-8")
        return {"tables": tables, "columns": total, "lines": text.count("\n"), "modules": 1}
    (folder / "base.py").write_text(head, encoding="utf-8")
    lines = head.count("\n")
    shares = [range(tables * m // modules, tables * (m + 1) // modules) for m in range(modules)]
    for m, share in enumerate(shares):
        text = f'"""Synthetic models, part {m}."""\n\n' + _IMPORTS.replace("DeclarativeBase, ", "")
        text += f"\nfrom {name}.base import Base, Timestamps\n\n\n"
        text += "".join(_class(t, per_table) for t in share)
        (folder / f"models_{m:02d}.py").write_text(text, encoding="utf-8")
        lines += text.count("\n")
    imports = "".join(f"from {name} import models_{m:02d}  # noqa: F401\n" for m in range(modules))
    (folder / "__init__.py").write_text(f"from {name}.base import Base\n" + imports, encoding="utf-8")
    return {"tables": tables, "columns": total, "lines": lines, "modules": modules}
