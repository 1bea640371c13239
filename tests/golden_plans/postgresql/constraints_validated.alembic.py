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
    # Alembic runs this revision in one transaction (by default one for every revision of an
    # `alembic upgrade`; transaction_per_migration=True in env.py makes it one per revision):
    # if a step fails, everything before it in that transaction is rolled back.
    # A constraint added NOT VALID is validated in an autocommit_block(): Alembic commits the
    # transaction first, so the ADD's lock is released and the scan holds only a SHARE UPDATE
    # EXCLUSIVE lock; inside one transaction NOT VALID + VALIDATE would gain nothing. Enum
    # labels are added in an autocommit_block() too: no statement may use a label before it is
    # committed. Work before an autocommit_block() stays committed if a later step fails.

    # 20260221_0001_b_drop_constraints: Drop index ix_b_qty on b
    # Risk: Low
    op.drop_index(op.f('ix_b_qty'), table_name='b')

    # 20260221_0002_a_constraints: Add unique a(code)
    # Risk: Medium — unique constraint added to existing data (add unique a(code))
    op.create_unique_constraint(op.f('a_code_key'), 'a', ['code'])

    # 20260221_0003_b_constraints: Add check on b ((qty >= 0)); create index ix_b_qty on b UNIQUE (qty) WHERE (qty > 0); add foreign key b(a_id) -> a(id) ON DELETE SET NULL
    # Risk: Medium — check added to existing data on b; unique constraint added to existing data (create index ix_b_qty on b UNIQUE (qty) WHERE (qty > 0)); foreign key added to existing data on b
    op.create_check_constraint(op.f('b_qty_check'), 'b', sa.text('(qty >= 0)'), postgresql_not_valid=True)

    # 20260221_0004_b_foreign_keys: Add foreign key b(a_id) -> a(id) ON DELETE SET NULL
    # Risk: Medium — foreign key added to existing data on b
    op.create_foreign_key(op.f('b_a_id_fkey'), 'b', 'a', ['a_id'], ['id'], ondelete='SET NULL', postgresql_not_valid=True)

    # 20260221_0005_b_validate: Validate the constraints added to b
    # Risk: Medium — existing rows of b must satisfy the new constraints
    with op.get_context().autocommit_block():
        op.execute(_sql('ALTER TABLE "b" VALIDATE CONSTRAINT "b_qty_check"'))
        op.execute(_sql('ALTER TABLE "b" VALIDATE CONSTRAINT "b_a_id_fkey"'))

    # 20260221_0006_b_index_concurrently: Replace index ix_b_qty on b by ix_b_qty UNIQUE (qty) WHERE (qty > 0)
    # Risk: Medium — unique constraint added to existing data (replace index ix_b_qty on b by ix_b_qty UNIQUE (qty) WHERE (qty > 0))
    with op.get_context().autocommit_block():
        op.execute(_sql('CREATE UNIQUE INDEX CONCURRENTLY "ix_b_qty" ON "b" ("qty") WHERE (qty > 0)'))


def downgrade() -> None:
    # undo 20260221_0006_b_index_concurrently
    op.drop_index(op.f('ix_b_qty'), table_name='b')
    # undo 20260221_0004_b_foreign_keys
    op.drop_constraint(op.f('b_a_id_fkey'), 'b', type_='foreignkey')
    # undo 20260221_0003_b_constraints
    op.drop_constraint(op.f('b_qty_check'), 'b', type_='check')
    # undo 20260221_0002_a_constraints
    op.drop_constraint(op.f('a_code_key'), 'a', type_='unique')
    # undo 20260221_0001_b_drop_constraints
    op.create_index(op.f('ix_b_qty'), 'b', [sa.text('"qty"')], unique=False)
