"""align collection/view FKs (legacy)

Revision ID: 0008
Revises: 0007
Create Date: 2026-01-13 18:30:45.009817

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Databases created before 0001 may still hold the legacy `collections` and `views` tables;
# their user FKs get ON DELETE CASCADE. Fresh databases have neither table: nothing to do.
LEGACY_TABLES = ("collections", "views")


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table in LEGACY_TABLES:
        if not inspector.has_table(table):
            continue
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_user_id_users", type_="foreignkey")
            batch_op.create_foreign_key(f"fk_{table}_user_id_users", "users", ["user_id"], ["id"], ondelete="CASCADE")


def downgrade() -> None:
    pass
