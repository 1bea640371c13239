"""add parser autoupdate fields

Revision ID: 0012
Revises: 0011
Create Date: 2026-01-20 00:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "parser_settings", sa.Column("autoupdate", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )
    op.add_column("anime_schedule", sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("anime_episodes_external", sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_anime_schedule_next_check_at"), "anime_schedule", ["next_check_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_anime_schedule_next_check_at"), table_name="anime_schedule")
    with op.batch_alter_table("anime_episodes_external") as batch_op:
        batch_op.drop_column("checked_at")
    with op.batch_alter_table("anime_schedule") as batch_op:
        batch_op.drop_column("next_check_at")
    with op.batch_alter_table("parser_settings") as batch_op:
        batch_op.drop_column("autoupdate")
