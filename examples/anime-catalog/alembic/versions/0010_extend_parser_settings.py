"""extend parser settings

Revision ID: 0010
Revises: 0009
Create Date: 2026-01-17 20:05:38.240915

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("parser_settings", sa.Column("interval_minutes", sa.Integer(), server_default="60", nullable=False))
    op.add_column(
        "parser_settings", sa.Column("dry_run", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )
    op.add_column("anime_external", sa.Column("raw", sa.JSON(), nullable=True))
    op.execute("INSERT INTO parser_settings (mode) VALUES ('manual')")


def downgrade() -> None:
    with op.batch_alter_table("anime_external") as batch_op:
        batch_op.drop_column("raw")
    with op.batch_alter_table("parser_settings") as batch_op:
        batch_op.drop_column("dry_run")
        batch_op.drop_column("interval_minutes")
