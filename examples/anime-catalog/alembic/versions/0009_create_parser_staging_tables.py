"""create parser staging tables

Revision ID: 0009
Revises: 0008
Create Date: 2026-01-17 19:24:16.552370

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "parser_sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parser_sources")),
        sa.UniqueConstraint("code", name=op.f("uq_parser_sources_code")),
    )
    op.create_table(
        "parser_settings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("mode", sa.String(length=32), server_default="manual", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parser_settings")),
    )
    op.create_table(
        "parser_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["parser_sources.id"], name=op.f("fk_parser_jobs_source_id_parser_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parser_jobs")),
    )
    op.create_table(
        "parser_job_logs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["parser_jobs.id"], name=op.f("fk_parser_job_logs_job_id_parser_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parser_job_logs")),
    )
    op.create_table(
        "anime_external",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["parser_sources.id"], name=op.f("fk_anime_external_source_id_parser_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anime_external")),
        sa.UniqueConstraint("source_id", "external_id", name=op.f("uq_anime_external_source_id")),
    )
    op.create_table(
        "anime_schedule",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("anime_external_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["anime_external_id"],
            ["anime_external.id"],
            name=op.f("fk_anime_schedule_anime_external_id_anime_external"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anime_schedule")),
    )
    op.create_table(
        "anime_episodes_external",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("anime_external_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["anime_external_id"],
            ["anime_external.id"],
            name=op.f("fk_anime_episodes_external_anime_external_id_anime_external"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anime_episodes_external")),
    )
    op.create_table(
        "anime_translations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("anime_external_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("team", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["anime_external_id"],
            ["anime_external.id"],
            name=op.f("fk_anime_translations_anime_external_id_anime_external"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anime_translations")),
    )


def downgrade() -> None:
    for table in (
        "anime_translations",
        "anime_episodes_external",
        "anime_schedule",
        "anime_external",
        "parser_job_logs",
        "parser_jobs",
        "parser_settings",
        "parser_sources",
    ):
        op.drop_table(table)
