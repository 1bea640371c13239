"""add admin core: roles, permissions, audit logs; ownership, locks, soft delete

Revision ID: 0013
Revises: 0012
Create Date: 2026-01-21 10:12:54.886301

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STRING_LIST = sa.JSON().with_variant(postgresql.ARRAY(sa.String(length=100)), "postgresql")


def upgrade() -> None:
    op.create_table(
        "roles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_system", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("name", name=op.f("uq_roles_name")),
    )
    op.create_index(op.f("ix_roles_name"), "roles", ["name"], unique=False)
    op.create_table(
        "permissions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("resource", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("is_system", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permissions")),
        sa.UniqueConstraint("name", name=op.f("uq_permissions_name")),
    )
    op.create_index(op.f("ix_permissions_name"), "permissions", ["name"], unique=False)
    op.create_index(op.f("ix_permissions_resource"), "permissions", ["resource"], unique=False)
    op.create_table(
        "role_permissions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.Column("permission_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["permission_id"],
            ["permissions.id"],
            name=op.f("fk_role_permissions_permission_id_permissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_role_permissions_role_id_roles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_permissions")),
    )
    op.create_index(op.f("ix_role_permissions_permission_id"), "role_permissions", ["permission_id"], unique=False)
    op.create_index(op.f("ix_role_permissions_role_id"), "role_permissions", ["role_id"], unique=False)
    op.create_table(
        "user_roles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.Column("granted_by", sa.Uuid(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["granted_by"], ["users.id"], name=op.f("fk_user_roles_granted_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_user_roles_role_id_roles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_roles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_roles")),
    )
    op.create_index(op.f("ix_user_roles_role_id"), "user_roles", ["role_id"], unique=False)
    op.create_index(op.f("ix_user_roles_user_id"), "user_roles", ["user_id"], unique=False)
    op.create_table(
        "audit_logs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_type", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("entity_type", sa.String(length=100), nullable=False),
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_logs_actor_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_logs")),
    )
    for column in ("actor_id", "actor_type", "action", "entity_type", "entity_id", "created_at"):
        op.create_index(op.f(f"ix_audit_logs_{column}"), "audit_logs", [column], unique=False)

    for table in ("anime", "episodes"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("created_by", sa.Uuid(), nullable=True))
            batch_op.add_column(sa.Column("updated_by", sa.Uuid(), nullable=True))
            batch_op.add_column(sa.Column("source", sa.String(length=50), server_default="manual", nullable=False))
            batch_op.add_column(sa.Column("is_locked", sa.Boolean(), server_default=sa.text("false"), nullable=False))
            batch_op.add_column(sa.Column("locked_fields", STRING_LIST, nullable=True))
            batch_op.add_column(sa.Column("locked_by", sa.Uuid(), nullable=True))
            batch_op.add_column(sa.Column("locked_reason", sa.Text(), nullable=True))
            batch_op.add_column(sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("is_deleted", sa.Boolean(), server_default=sa.text("false"), nullable=False))
            batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("deleted_by", sa.Uuid(), nullable=True))
            batch_op.add_column(sa.Column("delete_reason", sa.Text(), nullable=True))
            for column in ("created_by", "updated_by", "locked_by", "deleted_by"):
                batch_op.create_foreign_key(
                    op.f(f"fk_{table}_{column}_users"), "users", [column], ["id"], ondelete="SET NULL"
                )
            batch_op.create_index(op.f(f"ix_{table}_is_deleted"), ["is_deleted"], unique=False)
    with op.batch_alter_table("anime") as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=50), server_default="draft", nullable=False))
        batch_op.create_index(op.f("ix_anime_state"), ["state"], unique=False)
    with op.batch_alter_table("episodes") as batch_op:
        batch_op.add_column(
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("episodes") as batch_op:
        batch_op.drop_column("updated_at")
    with op.batch_alter_table("anime") as batch_op:
        batch_op.drop_index(op.f("ix_anime_state"))
        batch_op.drop_column("state")
    for table in ("anime", "episodes"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(op.f(f"ix_{table}_is_deleted"))
            for column in ("created_by", "updated_by", "locked_by", "deleted_by"):
                batch_op.drop_constraint(op.f(f"fk_{table}_{column}_users"), type_="foreignkey")
            for column in (
                "delete_reason",
                "deleted_by",
                "deleted_at",
                "is_deleted",
                "locked_at",
                "locked_reason",
                "locked_by",
                "locked_fields",
                "is_locked",
                "source",
                "updated_by",
                "created_by",
            ):
                batch_op.drop_column(column)
    for table in ("audit_logs", "user_roles", "role_permissions", "permissions", "roles"):
        op.drop_table(table)
