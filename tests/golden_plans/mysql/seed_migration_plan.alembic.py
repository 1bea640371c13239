"""schemaudit plan for mysql: 12 step(s)

Revision ID: 20260221_25f587b588
Revises: 
Create Date: 20260221

Written by `schemaudit plan --format alembic`; each block of upgrade() is one plan step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql  # noqa: F401 - MySQL integer types

revision = '20260221_25f587b588'
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

    # 20260221_0001_rename_users_to_app_users: Rename table users to app_users
    # Risk: Medium — code and queries that name users break; 1 foreign key follows it
    op.rename_table('users', 'app_users')

    # 20260221_0002_rename_run_job_candidates_to_run_candidates: Rename table run_job_candidates to run_candidates
    # Risk: Medium — code and queries that name run_job_candidates break
    op.rename_table('run_job_candidates', 'run_candidates')

    # 20260221_0003_assets_rename_columns: Rename column assets.asset_kind to kind; rename column assets.meta_json to metadata_json; rename column assets.rel_path to storage_uri
    # Risk: Low
    op.execute(_sql('ALTER TABLE `assets`\n    RENAME COLUMN `asset_kind` TO `kind`,\n    RENAME COLUMN `meta_json` TO `metadata_json`,\n    RENAME COLUMN `rel_path` TO `storage_uri`'))

    # 20260221_0004_projects_rename_columns: Rename column projects.user_id to owner_user_id
    # Risk: Low
    op.execute(_sql('ALTER TABLE `projects` RENAME COLUMN `user_id` TO `owner_user_id`'))

    # 20260221_0005_run_candidates_rename_columns: Rename column run_candidates.output_path to output_asset_id
    # Risk: Low
    op.execute(_sql('ALTER TABLE `run_candidates` RENAME COLUMN `output_path` TO `output_asset_id`'))

    # 20260221_0006_projects_rename_objects: Rename index user_id on projects to owner_user_id
    # Risk: Low
    op.execute(_sql('ALTER TABLE `projects` RENAME INDEX `user_id` TO `owner_user_id`'))

    # 20260221_0007_create_project_storage: Create table project_storage (4 columns)
    # Risk: Low
    op.create_table('project_storage',
        sa.Column('id', _type('int(11)'), nullable=False, autoincrement=False),
        sa.Column('project_id', _type('int(11)'), nullable=False, autoincrement=False),
        sa.Column('backend', _type('varchar(200)'), nullable=False, server_default=sa.text("'local'"), autoincrement=False),
        sa.Column('root_uri', _type('varchar(200)'), nullable=True, autoincrement=False),
        sa.PrimaryKeyConstraint('id', name=None),
        sa.UniqueConstraint('project_id', name=op.f('project_id')),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('project_storage_ibfk_1'), ondelete='CASCADE'),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
        mysql_collate='utf8mb4_general_ci',
    )

    # 20260221_0008_assets_add_columns: Add column assets.storage_backend varchar(200) NOT NULL DEFAULT 'local'; add column assets.mime_type varchar(200)
    # Risk: Low
    op.add_column('assets', sa.Column('storage_backend', _type('varchar(200)'), nullable=False, server_default=sa.text("'local'"), autoincrement=False))
    op.add_column('assets', sa.Column('mime_type', _type('varchar(200)'), nullable=True, autoincrement=False))

    # 20260221_0009_run_candidates_alter: Alter column run_candidates.output_asset_id (type)
    # Risk: High — values must be converted run_candidates.output_asset_id: varchar(200) -> int(11)
    # Data migration: run_candidates.output_asset_id (was output_path) held varchar(200) values and now references assets(id): translate the stored values into the referenced keys (look each one up) before the foreign key is validated.
    op.alter_column('run_candidates', 'output_asset_id', type_=_type('int(11)'), existing_type=_type('varchar(200)'), existing_nullable=True)

    # 20260221_0010_assets_constraints: Create index idx_assets_sha on assets (project_id, sha256); replace index idx_assets_project on assets by idx_assets_project (project_id, kind, created_at DESC)
    # Risk: Low
    op.execute(_sql('ALTER TABLE `assets`\n    ADD INDEX `idx_assets_sha` (`project_id`, `sha256`),\n    DROP INDEX `idx_assets_project`,\n    ADD INDEX `idx_assets_project` (`project_id`, `kind`, `created_at` DESC)'))

    # 20260221_0011_run_candidates_constraints: Create index output_asset_id on run_candidates (output_asset_id); replace index idx_candidates_job on run_candidates by idx_candidates_job (job_id, candidate_index)
    # Risk: Low
    op.execute(_sql('ALTER TABLE `run_candidates`\n    ADD INDEX `output_asset_id` (`output_asset_id`),\n    DROP INDEX `idx_candidates_job`,\n    ADD INDEX `idx_candidates_job` (`job_id`, `candidate_index`)'))

    # 20260221_0012_run_candidates_foreign_keys: Add foreign key run_candidates(output_asset_id) -> assets(id)
    # Risk: Medium — foreign key added to existing data on run_candidates
    op.create_foreign_key(op.f('run_candidates_ibfk_1'), 'run_candidates', 'assets', ['output_asset_id'], ['id'])


def downgrade() -> None:
    # Not undone (the data is gone, or the revision ran it as plain SQL): restore a backup for these:
    #   replace index idx_candidates_job on run_candidates by idx_candidates_job (job_id, candidate_index)
    #   replace index idx_assets_project on assets by idx_assets_project (project_id, kind, created_at DESC)
    #   alter column run_candidates.output_asset_id (type)
    #   rename index user_id on projects to owner_user_id
    # undo 20260221_0012_run_candidates_foreign_keys
    op.drop_constraint(op.f('run_candidates_ibfk_1'), 'run_candidates', type_='foreignkey')
    # undo 20260221_0011_run_candidates_constraints
    op.drop_index(op.f('output_asset_id'), table_name='run_candidates')
    # undo 20260221_0010_assets_constraints
    op.drop_index(op.f('idx_assets_sha'), table_name='assets')
    # undo 20260221_0008_assets_add_columns
    op.drop_column('assets', 'mime_type')
    op.drop_column('assets', 'storage_backend')
    # undo 20260221_0007_create_project_storage
    op.drop_table('project_storage')
    # undo 20260221_0005_run_candidates_rename_columns
    op.execute(_sql('ALTER TABLE `run_candidates` RENAME COLUMN `output_asset_id` TO `output_path`'))
    # undo 20260221_0004_projects_rename_columns
    op.execute(_sql('ALTER TABLE `projects` RENAME COLUMN `owner_user_id` TO `user_id`'))
    # undo 20260221_0003_assets_rename_columns
    op.execute(_sql('ALTER TABLE `assets` RENAME COLUMN `storage_uri` TO `rel_path`'))
    op.execute(_sql('ALTER TABLE `assets` RENAME COLUMN `metadata_json` TO `meta_json`'))
    op.execute(_sql('ALTER TABLE `assets` RENAME COLUMN `kind` TO `asset_kind`'))
    # undo 20260221_0002_rename_run_job_candidates_to_run_candidates
    op.rename_table('run_candidates', 'run_job_candidates')
    # undo 20260221_0001_rename_users_to_app_users
    op.rename_table('app_users', 'users')
