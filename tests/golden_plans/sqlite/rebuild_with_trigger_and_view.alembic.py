"""schemaudit plan for sqlite: 1 step(s)

Revision ID: 20260221_b52135ac08
Revises: 
Create Date: 20260221

Written by `schemaudit plan --format alembic`; each block of upgrade() is one plan step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql  # noqa: F401 - MySQL integer types

revision = '20260221_b52135ac08'
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

    # 20260221_0001_orders_rebuild: Rebuild table orders (create the new table, copy the rows, drop the old, rename); alter table orders (options); alter column orders.id (identity); alter column orders.total (default, nullable); drop column orders.note; add check on orders (total >= 0)
    # Risk: High — data loss on drop (drop column orders.note)
    # Data migration: Fill the NULLs in orders.total first: a row holding NULL stops the step.
    op.execute('PRAGMA legacy_alter_table = ON')
    _copy_from = sa.Table('orders', _stubs(sa.MetaData()),
        sa.Column('id', sa.Integer(), nullable=True),
        sa.Column('total', _type('INTEGER'), nullable=False, server_default=sa.text('0'), autoincrement=False),
        sa.PrimaryKeyConstraint('id', name=None),
        sa.CheckConstraint('total >= 0', name=None),
        sqlite_strict=True,
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('orders', recreate='always', copy_from=_copy_from):
        pass  # the new definition is the copy_from table itself
    op.execute('PRAGMA legacy_alter_table = OFF')
    op.execute(_sql('CREATE TRIGGER log_order AFTER INSERT ON orders BEGIN INSERT INTO order_log (order_id) VALUES (NEW.id); END'))
    _violations = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check("orders")').fetchall()
    if _violations:
        raise RuntimeError(f'{_violations[0]}: foreign key violations after the rebuild (PRAGMA foreign_key_check("orders"))')
    _violations = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check("order_log")').fetchall()
    if _violations:
        raise RuntimeError(f'{_violations[0]}: foreign key violations after the rebuild (PRAGMA foreign_key_check("order_log"))')


def downgrade() -> None:
    # Not undone (the data is gone, or the revision ran it as plain SQL): restore a backup for these:
    #   alter table orders (options)
    #   alter column orders.id (identity)
    #   alter column orders.total (default, nullable)
    #   drop column orders.note
    #   add check on orders (total >= 0)
    pass  # nothing this revision did can be undone by a downgrade
