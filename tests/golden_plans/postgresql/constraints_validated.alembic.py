"""schemaudit plan for postgresql: 6 step(s)

Revision ID: 20260221_1af845dc73
Revises: 
Create Date: 20260221

Written by `schemaudit plan --format alembic`; each block of upgrade() is one plan step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql  # noqa: F401 - MySQL integer types

revision = '20260221_1af845dc73'
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
    # Note: PostgreSQL runs each step in its own transaction: a failed step is rolled back whole. Constraints added to existing tables are validated in a later step of their own.

    # 20260221_0001_b_drop_constraints: Drop index ix_b_qty on b
    # Risk: Low
    op.drop_index('ix_b_qty', table_name='b')

    # 20260221_0002_a_constraints: Add unique a(code)
    # Risk: Medium — unique constraint added to existing data (add unique a(code))
    op.create_unique_constraint('a_code_key', 'a', ['code'])

    # 20260221_0003_b_constraints: Add check on b ((qty >= 0)); create index ix_b_qty on b UNIQUE (qty) WHERE (qty > 0); add foreign key b(a_id) -> a(id) ON DELETE SET NULL
    # Risk: Medium — check added to existing data on b; unique constraint added to existing data (create index ix_b_qty on b UNIQUE (qty) WHERE (qty > 0)); foreign key added to existing data on b
    op.execute(_sql('ALTER TABLE "b" ADD CONSTRAINT "b_qty_check" CHECK ((qty >= 0)) NOT VALID'))

    # 20260221_0004_b_foreign_keys: Add foreign key b(a_id) -> a(id) ON DELETE SET NULL
    # Risk: Medium — foreign key added to existing data on b
    op.execute(_sql('ALTER TABLE "b" ADD CONSTRAINT "b_a_id_fkey" FOREIGN KEY ("a_id") REFERENCES "a" ("id") ON DELETE SET NULL NOT VALID'))

    # 20260221_0005_b_validate: Validate the constraints added to b
    # Risk: Medium — existing rows of b must satisfy the new constraints
    op.execute(_sql('ALTER TABLE "b" VALIDATE CONSTRAINT "b_qty_check"'))
    op.execute(_sql('ALTER TABLE "b" VALIDATE CONSTRAINT "b_a_id_fkey"'))

    # 20260221_0006_b_index_concurrently: Replace index ix_b_qty on b by ix_b_qty UNIQUE (qty) WHERE (qty > 0)
    # Risk: Medium — unique constraint added to existing data (replace index ix_b_qty on b by ix_b_qty UNIQUE (qty) WHERE (qty > 0))
    with op.get_context().autocommit_block():
        op.execute(_sql('CREATE UNIQUE INDEX CONCURRENTLY "ix_b_qty" ON "b" ("qty") WHERE (qty > 0)'))


def downgrade() -> None:
    raise NotImplementedError("schemaudit plans go forward only: restore the backup, or plan back")
