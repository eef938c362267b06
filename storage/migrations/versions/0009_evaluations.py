"""12345 evaluations: 满意 / 基本满意 / 不满意 with an optional comment, and the 回访 that an
unsatisfied answer opens for the community supervisor.

One row per resident and case (the reporter and each follower evaluate for themselves).
Legacy 1-5 star ratings stay in ``cases.rating`` / ``case_followers.rating``.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when() -> storage.types.UTCDateTime:
    return storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=24), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", _when(), nullable=False),
        sa.Column("revisit_due_at", _when(), nullable=True),
        sa.Column("revisit_by_id", sa.Integer(), nullable=True),
        sa.Column("revisit_at", _when(), nullable=True),
        sa.Column("revisit_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["revisit_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "user_id"),
    )
    op.create_index("ix_evaluations_case_id", "evaluations", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_evaluations_case_id", table_name="evaluations")
    op.drop_table("evaluations")
