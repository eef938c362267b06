"""Volunteer display names (rosters show "王芳", not "志愿者 #1"), and department chats bound
by `/join CODE` (转办 without editing chat ids in departments.yaml).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("volunteers") as batch:
        batch.add_column(sa.Column("display_name", sa.String(length=64), nullable=True))
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("department_id", sa.String(length=64), nullable=True))
    op.create_table(
        "department_chats",
        sa.Column("department_id", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_kind", sa.String(length=16), nullable=False),
        sa.Column("bound_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("bound_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["bound_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("department_id"),
    )


def downgrade() -> None:
    op.drop_table("department_chats")
    with op.batch_alter_table("invites") as batch:
        batch.drop_column("department_id")
    with op.batch_alter_table("volunteers") as batch:
        batch.drop_column("display_name")
