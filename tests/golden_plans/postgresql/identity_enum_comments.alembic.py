"""schemaudit plan for postgresql: 3 step(s)

Revision ID: 20260221_2a7fa6dd60
Revises: 
Create Date: 20260221

Written by `schemaudit plan --format alembic`; each block of upgrade() is one plan step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql  # noqa: F401 - MySQL integer types

revision = '20260221_2a7fa6dd60'
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

    # 20260221_0001_types_and_sequences: Create enum type ticket_state
    # Risk: Low
    op.execute(_sql('CREATE TYPE "ticket_state" AS ENUM (\'open\', \'closed\')'))

    # 20260221_0002_tickets_add_columns: Add column tickets.words integer GENERATED AS (length(body))
    # Risk: Low
    op.add_column('tickets', sa.Column('words', _type('integer'), sa.Computed('length(body)', persisted=True), nullable=True, autoincrement=False))

    # 20260221_0003_tickets_alter: Alter table tickets (comment); alter column tickets.id (identity); alter column tickets.state (nullable, type); alter column tickets.title (comment, type)
    # Risk: High — values must be converted tickets.state: text -> ticket_state
    # Data migration: tickets.state changes from text to ticket_state: existing values are converted by a cast; check them, or convert them in a data migration first.
    # Data migration: Fill the NULLs in tickets.state first: a row holding NULL stops the step.
    op.execute(_sql('COMMENT ON TABLE "tickets" IS \'Support tickets\''))
    op.execute(_sql('ALTER TABLE "tickets" ALTER COLUMN "id" DROP DEFAULT'))
    op.execute(_sql('DROP SEQUENCE IF EXISTS "tickets_id_seq"'))
    op.execute(_sql('ALTER TABLE "tickets" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY'))
    op.execute(_sql('SELECT setval(pg_get_serial_sequence(\'"tickets"\', \'id\'), COALESCE(MAX("id"), 0) + 1, false) FROM "tickets"'))
    op.execute(_sql('ALTER TABLE "tickets"\n    ALTER COLUMN "state" DROP DEFAULT,\n    ALTER COLUMN "state" TYPE ticket_state USING "state"::ticket_state,\n    ALTER COLUMN "state" SET DEFAULT \'open\',\n    ALTER COLUMN "state" SET NOT NULL,\n    ALTER COLUMN "title" TYPE character varying(200)'))
    op.execute(_sql('COMMENT ON COLUMN "tickets"."title" IS \'One line\''))


def downgrade() -> None:
    # Not undone (the data is gone, or the revision ran it as plain SQL): restore a backup for these:
    #   alter column tickets.state (nullable, type)
    #   alter column tickets.id (identity)
    # undo 20260221_0003_tickets_alter
    op.alter_column('tickets', 'title', type_=_type('character varying(50)'), existing_type=_type('character varying(200)'), existing_nullable=False, comment=None, existing_comment='One line')
    op.drop_table_comment('tickets')
    # undo 20260221_0002_tickets_add_columns
    op.drop_column('tickets', 'words')
    # undo 20260221_0001_types_and_sequences
    op.execute(_sql('DROP TYPE "ticket_state"'))
