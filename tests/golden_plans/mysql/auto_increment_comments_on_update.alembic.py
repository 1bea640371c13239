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
    # MySQL/MariaDB commit every DDL statement on its own: if a step fails, the steps before it
    # stay applied (and alembic_version is not moved); fix the cause and run the rest by hand.

    # 20260221_0001_items_alter: Alter table items (comment); alter column items.id (identity); alter column items.name (type); alter column items.price (default, nullable, type); alter column items.updated_at (default, on_update)
    # Risk: Medium — how items.id gets its values changes; NOT NULL on existing rows of items.price
    # Data migration: Fill the NULLs in items.price first: a row holding NULL stops the step.
    op.execute(_sql("ALTER TABLE `items`\n    COMMENT='Catalogue',\n    MODIFY COLUMN `id` int(11) NOT NULL AUTO_INCREMENT,\n    MODIFY COLUMN `name` varchar(80) NULL COMMENT 'label',\n    MODIFY COLUMN `price` decimal(10,2) NOT NULL DEFAULT 0.00,\n    MODIFY COLUMN `updated_at` datetime NULL DEFAULT current_timestamp() ON UPDATE current_timestamp()"))


def downgrade() -> None:
    # Not undone (the data is gone, or the revision ran it as plain SQL): restore a backup for these:
    #   alter column items.updated_at (default, on_update)
    #   alter column items.id (identity)
    # undo 20260221_0001_items_alter
    op.alter_column('items', 'price', type_=_type('double'), existing_type=_type('decimal(10,2)'), nullable=True, existing_nullable=False, server_default=None, existing_server_default=sa.text('0.00'))
    op.alter_column('items', 'name', type_=_type('varchar(20)'), existing_type=_type('varchar(80)'), existing_nullable=True, existing_comment='label')
    op.drop_table_comment('items')
