"""schemaudit plan for sqlite: 1 step(s)

Revision ID: 20260221_ff75fb376b
Revises: 
Create Date: 20260221

Written by `schemaudit plan --format alembic`; each block of upgrade() is one plan step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql  # noqa: F401 - MySQL integer types

revision = '20260221_ff75fb376b'
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

    # 20260221_0001_users_rebuild: Rebuild table users (create the new table, copy the rows, drop the old, rename); rename column users.name to full_name; drop column users.legacy; add unique users(email); drop index ix_users_email on users
    # Risk: High — data loss on drop (drop column users.legacy)
    op.execute('PRAGMA legacy_alter_table = ON')
    _copy_from = sa.Table('users', _stubs(sa.MetaData()),
        sa.Column('id', sa.Integer(), nullable=True),
        sa.Column('name', _type('TEXT'), nullable=True, autoincrement=False),
        sa.Column('email', _type('TEXT'), nullable=True, autoincrement=False),
        sa.PrimaryKeyConstraint('id', name=None),
        sa.UniqueConstraint('email', name=None),
    )
    with op.batch_alter_table('users', recreate='always', copy_from=_copy_from) as batch_op:
        batch_op.alter_column('name', new_column_name='full_name')
    op.execute('PRAGMA legacy_alter_table = OFF')
    _violations = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check("users")').fetchall()
    if _violations:
        raise RuntimeError(f'{_violations[0]}: foreign key violations after the rebuild (PRAGMA foreign_key_check("users"))')


def downgrade() -> None:
    # Not undone (the data is gone, or the revision ran it as plain SQL): restore a backup for these:
    #   rename column users.name to full_name
    #   drop column users.legacy
    #   add unique users(email)
    #   drop index ix_users_email on users
    pass  # nothing this revision did can be undone by a downgrade
