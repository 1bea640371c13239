"""add parser publish tables

Revision ID: 0011
Revises: 0010
Create Date: 2026-01-19 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("anime", sa.Column("title_ru", sa.String(length=255), nullable=True))
    op.add_column("anime", sa.Column("title_en", sa.String(length=255), nullable=True))
    op.add_column("anime", sa.Column("poster_url", sa.Text(), nullable=True))
    op.add_column("anime", sa.Column("season", sa.String(length=32), nullable=True))
    op.add_column("anime", sa.Column("genres", sa.JSON(), nullable=True))
    op.add_column("episodes", sa.Column("iframe_url", sa.Text(), nullable=True))
    op.add_column("episodes", sa.Column("available_translations", sa.JSON(), nullable=True))
    op.add_column("episodes", sa.Column("available_qualities", sa.JSON(), nullable=True))
    op.add_column("anime_external", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "anime_external_binding",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("anime_external_id", sa.Integer(), nullable=False),
        sa.Column("anime_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["anime_external_id"],
            ["anime_external.id"],
            name=op.f("fk_anime_external_binding_anime_external_id_anime_external"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["anime_id"], ["anime.id"], name=op.f("fk_anime_external_binding_anime_id_anime"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anime_external_binding")),
        sa.UniqueConstraint("anime_external_id", name=op.f("uq_anime_external_binding_anime_external_id")),
    )


def downgrade() -> None:
    op.drop_table("anime_external_binding")
    with op.batch_alter_table("anime_external") as batch_op:
        batch_op.drop_column("published_at")
    with op.batch_alter_table("episodes") as batch_op:
        for column in ("available_qualities", "available_translations", "iframe_url"):
            batch_op.drop_column(column)
    with op.batch_alter_table("anime") as batch_op:
        for column in ("genres", "season", "poster_url", "title_en", "title_ru"):
            batch_op.drop_column(column)
