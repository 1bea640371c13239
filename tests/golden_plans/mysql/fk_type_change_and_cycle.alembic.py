"""schemaudit plan for mysql: 7 step(s)

Revision ID: 20260221_9dd9ba16ac
Revises: 
Create Date: 20260221

Written by `schemaudit plan --format alembic`; each block of upgrade() is one plan step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql  # noqa: F401 - MySQL integer types

revision = '20260221_9dd9ba16ac'
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

    # 20260221_0001_create_x: Create table x (2 columns)
    # Risk: Low
    op.create_table('x',
        sa.Column('id', _type('int(11)'), nullable=False, autoincrement=False),
        sa.Column('y_id', _type('int(11)'), nullable=True, autoincrement=False),
        sa.PrimaryKeyConstraint('id', name=None),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
        mysql_collate='utf8mb4_general_ci',
    )
    op.create_index(op.f('fk_x_y'), 'x', [sa.text('`y_id`')], unique=False)

    # 20260221_0002_create_y: Create table y (2 columns)
    # Risk: Low
    op.create_table('y',
        sa.Column('id', _type('int(11)'), nullable=False, autoincrement=False),
        sa.Column('x_id', _type('int(11)'), nullable=True, autoincrement=False),
        sa.PrimaryKeyConstraint('id', name=None),
        sa.ForeignKeyConstraint(['x_id'], ['x.id'], name=op.f('fk_y_x')),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
        mysql_collate='utf8mb4_general_ci',
    )
    op.create_index(op.f('fk_y_x'), 'y', [sa.text('`x_id`')], unique=False)

    # 20260221_0003_c_drop_constraints: Drop foreign key c(p_id) -> p(id)
    # Risk: Low
    op.drop_constraint(op.f('fk_c_p'), 'c', type_='foreignkey')

    # 20260221_0004_c_alter: Alter column c.p_id (type)
    # Risk: Low
    op.alter_column('c', 'p_id', type_=_type('bigint(20)'), existing_type=_type('int(11)'), existing_nullable=True)

    # 20260221_0005_p_alter: Alter column p.id (type)
    # Risk: Low
    op.alter_column('p', 'id', type_=_type('bigint(20)'), existing_type=_type('int(11)'), existing_nullable=False)

    # 20260221_0006_c_foreign_keys: Add foreign key c(p_id) -> p(id)
    # Risk: Medium — foreign key added to existing data on c
    op.create_foreign_key(op.f('fk_c_p'), 'c', 'p', ['p_id'], ['id'])

    # 20260221_0007_x_foreign_keys: Add foreign key x(y_id) -> y(id)
    # Risk: Low
    op.create_foreign_key(op.f('fk_x_y'), 'x', 'y', ['y_id'], ['id'])


def downgrade() -> None:
    # undo 20260221_0007_x_foreign_keys
    op.drop_constraint(op.f('fk_x_y'), 'x', type_='foreignkey')
    # undo 20260221_0006_c_foreign_keys
    op.drop_constraint(op.f('fk_c_p'), 'c', type_='foreignkey')
    # undo 20260221_0005_p_alter
    op.alter_column('p', 'id', type_=_type('int(11)'), existing_type=_type('bigint(20)'), existing_nullable=False)
    # undo 20260221_0004_c_alter
    op.alter_column('c', 'p_id', type_=_type('int(11)'), existing_type=_type('bigint(20)'), existing_nullable=True)
    # undo 20260221_0003_c_drop_constraints
    op.create_foreign_key(op.f('fk_c_p'), 'c', 'p', ['p_id'], ['id'])
    # undo 20260221_0002_create_y
    op.drop_table('y')
    # undo 20260221_0001_create_x
    op.drop_table('x')
