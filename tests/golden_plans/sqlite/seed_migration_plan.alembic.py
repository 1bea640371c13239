"""schemaudit plan for sqlite: 10 step(s)

Revision ID: 20260221_75f60a26da
Revises: 
Create Date: 20260221

Written by `schemaudit plan --format alembic`; each block of upgrade() is one plan step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql  # noqa: F401 - MySQL integer types

revision = '20260221_75f60a26da'
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

    # 20260221_0006_create_project_storage: Create table project_storage (4 columns)
    # Risk: Low
    op.create_table('project_storage',
        sa.Column('id', sa.Integer(), nullable=True),
        sa.Column('project_id', _type('INTEGER'), nullable=False, autoincrement=False),
        sa.Column('backend', _type('TEXT'), nullable=False, server_default=sa.text("'local'"), autoincrement=False),
        sa.Column('root_uri', _type('TEXT'), nullable=True, autoincrement=False),
        sa.PrimaryKeyConstraint('id', name=None),
        sa.UniqueConstraint('project_id', name=None),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=None, ondelete='CASCADE'),
    )

    # 20260221_0007_assets_add_columns: Add column assets.storage_backend TEXT NOT NULL DEFAULT 'local'; add column assets.mime_type TEXT
    # Risk: Low
    op.add_column('assets', sa.Column('storage_backend', _type('TEXT'), nullable=False, server_default=sa.text("'local'"), autoincrement=False))
    op.add_column('assets', sa.Column('mime_type', _type('TEXT'), nullable=True, autoincrement=False))

    # 20260221_0008_assets_drop_constraints: Drop index idx_assets_project on assets
    # Risk: Low
    op.drop_index(op.f('idx_assets_project'), table_name='assets')

    # 20260221_0009_run_candidates_rebuild: Rebuild table run_candidates (create the new table, copy the rows, drop the old, rename); alter column run_candidates.output_asset_id (type); add foreign key run_candidates(output_asset_id) -> assets(id); replace index idx_candidates_job on run_candidates by idx_candidates_job (job_id, candidate_index)
    # Risk: High — values must be converted run_candidates.output_asset_id: TEXT -> INTEGER
    # Data migration: run_candidates.output_asset_id (was output_path) held TEXT values and now references assets(id): translate the stored values into the referenced keys (look each one up) before the foreign key is validated.
    op.execute('PRAGMA legacy_alter_table = ON')
    _copy_from = sa.Table('run_candidates', _stubs(sa.MetaData(), ('assets', ('id',))),
        sa.Column('id', sa.Integer(), nullable=True),
        sa.Column('job_id', _type('INTEGER'), nullable=False, autoincrement=False),
        sa.Column('candidate_index', _type('INTEGER'), nullable=False, autoincrement=False),
        sa.Column('output_asset_id', _type('INTEGER'), nullable=True, autoincrement=False),
        sa.PrimaryKeyConstraint('id', name=None),
        sa.ForeignKeyConstraint(['output_asset_id'], ['assets.id'], name=None),
    )
    with op.batch_alter_table('run_candidates', recreate='always', copy_from=_copy_from):
        pass  # the new definition is the copy_from table itself
    op.execute('PRAGMA legacy_alter_table = OFF')
    op.create_index(op.f('idx_candidates_job'), 'run_candidates', [sa.text('"job_id"'), sa.text('"candidate_index"')], unique=False)
    _violations = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check("run_candidates")').fetchall()
    if _violations:
        raise RuntimeError(f'{_violations[0]}: foreign key violations after the rebuild (PRAGMA foreign_key_check("run_candidates"))')

    # 20260221_0010_assets_constraints: Create index idx_assets_sha on assets (project_id, sha256); create index idx_assets_project on assets (project_id, kind, created_at DESC)
    # Risk: Low
    op.create_index(op.f('idx_assets_sha'), 'assets', [sa.text('"project_id"'), sa.text('"sha256"')], unique=False)
    op.create_index(op.f('idx_assets_project'), 'assets', [sa.text('"project_id"'), sa.text('"kind"'), sa.text('"created_at" DESC')], unique=False)


def downgrade() -> None:
    # Not undone (the data is gone, or the revision ran it as plain SQL): restore a backup for these:
    #   alter column run_candidates.output_asset_id (type)
    #   add foreign key run_candidates(output_asset_id) -> assets(id)
    #   replace index idx_candidates_job on run_candidates by idx_candidates_job (job_id, candidate_index)
    #   rename column run_candidates.output_path to output_asset_id
    #   rename column projects.user_id to owner_user_id
    #   rename column assets.rel_path to storage_uri
    #   rename column assets.meta_json to metadata_json
    #   rename column assets.asset_kind to kind
    # undo 20260221_0010_assets_constraints
    op.drop_index(op.f('idx_assets_project'), table_name='assets')
    op.drop_index(op.f('idx_assets_sha'), table_name='assets')
    # undo 20260221_0008_assets_drop_constraints
    op.create_index(op.f('idx_assets_project'), 'assets', [sa.text('"project_id"')], unique=False)
    # undo 20260221_0007_assets_add_columns
    op.drop_column('assets', 'mime_type')
    op.drop_column('assets', 'storage_backend')
    # undo 20260221_0006_create_project_storage
    op.drop_table('project_storage')
    # undo 20260221_0002_rename_run_job_candidates_to_run_candidates
    op.rename_table('run_candidates', 'run_job_candidates')
    # undo 20260221_0001_rename_users_to_app_users
    op.rename_table('app_users', 'users')
