"""schemaudit plan for postgresql: 17 step(s)

Revision ID: 20260221_ae112b6c5e
Revises: 
Create Date: 20260221

Written by `schemaudit plan --format alembic`; each block of upgrade() is one plan step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql  # noqa: F401 - MySQL integer types

revision = '20260221_ae112b6c5e'
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

    # 20260221_0001_rename_users_to_app_users: Rename table users to app_users
    # Risk: Medium — code and queries that name users break; 1 foreign key follows it
    op.rename_table('users', 'app_users')

    # 20260221_0002_rename_run_job_candidates_to_run_candidates: Rename table run_job_candidates to run_candidates
    # Risk: Medium — code and queries that name run_job_candidates break
    op.rename_table('run_job_candidates', 'run_candidates')

    # 20260221_0003_assets_rename_columns: Rename column assets.asset_kind to kind; rename column assets.meta_json to metadata_json; rename column assets.rel_path to storage_uri
    # Risk: Low
    op.alter_column('assets', 'asset_kind', new_column_name='kind')
    op.alter_column('assets', 'meta_json', new_column_name='metadata_json')
    op.alter_column('assets', 'rel_path', new_column_name='storage_uri')

    # 20260221_0004_projects_rename_columns: Rename column projects.user_id to owner_user_id
    # Risk: Low
    op.alter_column('projects', 'user_id', new_column_name='owner_user_id')

    # 20260221_0005_run_candidates_rename_columns: Rename column run_candidates.output_path to output_asset_id
    # Risk: Low
    op.alter_column('run_candidates', 'output_path', new_column_name='output_asset_id')

    # 20260221_0006_app_users_rename_objects: Rename unique constraint users_username_key on app_users to app_users_username_key; rename primary key constraint users_pkey on app_users to app_users_pkey
    # Risk: Low
    op.execute(_sql('ALTER TABLE "app_users" RENAME CONSTRAINT "users_username_key" TO "app_users_username_key"'))
    op.execute(_sql('ALTER TABLE "app_users" RENAME CONSTRAINT "users_pkey" TO "app_users_pkey"'))

    # 20260221_0007_projects_rename_objects: Rename unique constraint projects_user_id_slug_key on projects to projects_owner_user_id_slug_key; rename foreign key constraint projects_user_id_fkey on projects to projects_owner_user_id_fkey
    # Risk: Low
    op.execute(_sql('ALTER TABLE "projects" RENAME CONSTRAINT "projects_user_id_slug_key" TO "projects_owner_user_id_slug_key"'))
    op.execute(_sql('ALTER TABLE "projects" RENAME CONSTRAINT "projects_user_id_fkey" TO "projects_owner_user_id_fkey"'))

    # 20260221_0008_run_candidates_rename_objects: Rename primary key constraint run_job_candidates_pkey on run_candidates to run_candidates_pkey
    # Risk: Low
    op.execute(_sql('ALTER TABLE "run_candidates" RENAME CONSTRAINT "run_job_candidates_pkey" TO "run_candidates_pkey"'))

    # 20260221_0009_create_project_storage: Create table project_storage (4 columns)
    # Risk: Low
    op.create_table('project_storage',
        sa.Column('id', _type('integer'), nullable=False, autoincrement=False),
        sa.Column('project_id', _type('integer'), nullable=False, autoincrement=False),
        sa.Column('backend', _type('character varying(200)'), nullable=False, server_default=sa.text("'local'::character varying"), autoincrement=False),
        sa.Column('root_uri', _type('character varying(200)'), nullable=True, autoincrement=False),
        sa.PrimaryKeyConstraint('id', name=op.f('project_storage_pkey')),
        sa.UniqueConstraint('project_id', name=op.f('project_storage_project_id_key')),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('project_storage_project_id_fkey'), ondelete='CASCADE'),
    )

    # 20260221_0010_assets_add_columns: Add column assets.storage_backend character varying(200) NOT NULL DEFAULT 'local'::character varying; add column assets.mime_type character varying(200)
    # Risk: Low
    op.add_column('assets', sa.Column('storage_backend', _type('character varying(200)'), nullable=False, server_default=sa.text("'local'::character varying"), autoincrement=False))
    op.add_column('assets', sa.Column('mime_type', _type('character varying(200)'), nullable=True, autoincrement=False))

    # 20260221_0011_assets_drop_constraints: Drop index idx_assets_project on assets
    # Risk: Low
    op.drop_index(op.f('idx_assets_project'), table_name='assets')

    # 20260221_0012_run_candidates_drop_constraints: Drop index idx_candidates_job on run_candidates
    # Risk: Low
    op.drop_index(op.f('idx_candidates_job'), table_name='run_candidates')

    # 20260221_0013_run_candidates_alter: Alter column run_candidates.output_asset_id (type)
    # Risk: High — values must be converted run_candidates.output_asset_id: character varying(200) -> integer
    # Data migration: run_candidates.output_asset_id (was output_path) held character varying(200) values and now references assets(id): translate the stored values into the referenced keys (look each one up) before the foreign key is validated.
    op.alter_column('run_candidates', 'output_asset_id', type_=_type('integer'), postgresql_using='"output_asset_id"::integer', existing_type=_type('character varying(200)'), existing_nullable=True)

    # 20260221_0014_assets_constraints: Create index idx_assets_sha on assets (project_id, sha256); create index idx_assets_project on assets (project_id, kind, created_at DESC)
    # Risk: Low
    op.create_index(op.f('idx_assets_sha'), 'assets', [sa.text('"project_id"'), sa.text('"sha256"')], unique=False)
    op.create_index(op.f('idx_assets_project'), 'assets', [sa.text('"project_id"'), sa.text('"kind"'), sa.text('"created_at" DESC')], unique=False)

    # 20260221_0015_run_candidates_constraints: Create index idx_candidates_job on run_candidates (job_id, candidate_index)
    # Risk: Low
    op.create_index(op.f('idx_candidates_job'), 'run_candidates', [sa.text('"job_id"'), sa.text('"candidate_index"')], unique=False)

    # 20260221_0016_run_candidates_foreign_keys: Add foreign key run_candidates(output_asset_id) -> assets(id)
    # Risk: Medium — foreign key added to existing data on run_candidates
    op.create_foreign_key(op.f('run_candidates_output_asset_id_fkey'), 'run_candidates', 'assets', ['output_asset_id'], ['id'], postgresql_not_valid=True)

    # 20260221_0017_run_candidates_validate: Validate the constraints added to run_candidates
    # Risk: Medium — existing rows of run_candidates must satisfy the new constraints
    with op.get_context().autocommit_block():
        op.execute(_sql('ALTER TABLE "run_candidates" VALIDATE CONSTRAINT "run_candidates_output_asset_id_fkey"'))


def downgrade() -> None:
    # Not undone (the data is gone, or the revision ran it as plain SQL): restore a backup for these:
    #   alter column run_candidates.output_asset_id (type)
    # undo 20260221_0016_run_candidates_foreign_keys
    op.drop_constraint(op.f('run_candidates_output_asset_id_fkey'), 'run_candidates', type_='foreignkey')
    # undo 20260221_0015_run_candidates_constraints
    op.drop_index(op.f('idx_candidates_job'), table_name='run_candidates')
    # undo 20260221_0014_assets_constraints
    op.drop_index(op.f('idx_assets_project'), table_name='assets')
    op.drop_index(op.f('idx_assets_sha'), table_name='assets')
    # undo 20260221_0012_run_candidates_drop_constraints
    op.create_index(op.f('idx_candidates_job'), 'run_candidates', [sa.text('"job_id"')], unique=False)
    # undo 20260221_0011_assets_drop_constraints
    op.create_index(op.f('idx_assets_project'), 'assets', [sa.text('"project_id"')], unique=False)
    # undo 20260221_0010_assets_add_columns
    op.drop_column('assets', 'mime_type')
    op.drop_column('assets', 'storage_backend')
    # undo 20260221_0009_create_project_storage
    op.drop_table('project_storage')
    # undo 20260221_0008_run_candidates_rename_objects
    op.execute(_sql('ALTER TABLE "run_candidates" RENAME CONSTRAINT "run_candidates_pkey" TO "run_job_candidates_pkey"'))
    # undo 20260221_0007_projects_rename_objects
    op.execute(_sql('ALTER TABLE "projects" RENAME CONSTRAINT "projects_owner_user_id_fkey" TO "projects_user_id_fkey"'))
    op.execute(_sql('ALTER TABLE "projects" RENAME CONSTRAINT "projects_owner_user_id_slug_key" TO "projects_user_id_slug_key"'))
    # undo 20260221_0006_app_users_rename_objects
    op.execute(_sql('ALTER TABLE "app_users" RENAME CONSTRAINT "app_users_pkey" TO "users_pkey"'))
    op.execute(_sql('ALTER TABLE "app_users" RENAME CONSTRAINT "app_users_username_key" TO "users_username_key"'))
    # undo 20260221_0005_run_candidates_rename_columns
    op.alter_column('run_candidates', 'output_asset_id', new_column_name='output_path')
    # undo 20260221_0004_projects_rename_columns
    op.alter_column('projects', 'owner_user_id', new_column_name='user_id')
    # undo 20260221_0003_assets_rename_columns
    op.alter_column('assets', 'storage_uri', new_column_name='rel_path')
    op.alter_column('assets', 'metadata_json', new_column_name='meta_json')
    op.alter_column('assets', 'kind', new_column_name='asset_kind')
    # undo 20260221_0002_rename_run_job_candidates_to_run_candidates
    op.rename_table('run_candidates', 'run_job_candidates')
    # undo 20260221_0001_rename_users_to_app_users
    op.rename_table('app_users', 'users')
