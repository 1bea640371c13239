"""schemaudit plan for mysql: 1 step(s)

Revision ID: 20260221_a834929268
Revises: 
Create Date: 20260221

Written by `schemaudit plan --format alembic`; each block of upgrade() is one plan step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql  # noqa: F401 - MySQL integer types

revision = '20260221_a834929268'
down_revision = None
branch_labels = None
depends_on = None


class _type(sa.types.UserDefinedType):  # type: ignore[type-arg]
    """A column type spelled exactly as the database spells it."""

    cache_ok = True

    def __init__(self, spelling: str) -> None:
        self.spelling = spelling

    def get_col_spec(self, **kw: object) -> str:
        return self.spelling


def _sql(text: str) -> sa.TextClause:
    """Plan SQL for op.execute: colons escaped so SQLAlchemy reads no bind parameters."""
    return sa.text(text.replace(":", "\\:"))


def _stubs(metadata: sa.MetaData, *refs: tuple[str, tuple[str, ...]]) -> sa.MetaData:
    """Tables a copy_from table references, so its foreign keys can be rendered."""
    for name, columns in refs:
        if name not in metadata.tables:
            sa.Table(name, metadata, *(sa.Column(c, sa.Integer) for c in columns))
    return metadata


def upgrade() -> None:
    # Note: MySQL/MariaDB commit every DDL statement implicitly: a step cannot be rolled back. Each step is one statement wherever possible (all of a table's actions in one ALTER TABLE), so a failed step leaves the database as it was before that step and the plan can be re-run from there. A step is recorded right after its statement: if the connection drops in between, check that step by hand before running the plan again.

    # 20260221_0001_items_alter: Alter table items (comment); alter column items.id (identity); alter column items.name (type); alter column items.price (default, nullable, type); alter column items.updated_at (default, on_update)
    # Risk: Medium — how items.id gets its values changes; NOT NULL on existing rows of items.price
    # Data migration: Fill the NULLs in items.price first: a row holding NULL stops the step.
    op.execute(_sql("ALTER TABLE `items`\n    COMMENT='Catalogue',\n    MODIFY COLUMN `id` int(11) NOT NULL AUTO_INCREMENT,\n    MODIFY COLUMN `name` varchar(80) NULL COMMENT 'label',\n    MODIFY COLUMN `price` decimal(10,2) NOT NULL DEFAULT 0.00,\n    MODIFY COLUMN `updated_at` datetime NULL DEFAULT current_timestamp() ON UPDATE current_timestamp()"))


def downgrade() -> None:
    raise NotImplementedError("schemaudit plans go forward only: restore the backup, or plan back")
