"""data access log (staff reads of personal data); outbox batch key (broadcasts)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_data_access_log_case_id_cases")),
        sa.ForeignKeyConstraint(["staff_id"], ["users.id"],
                                name=op.f("fk_data_access_log_staff_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_access_log")),
    )
    op.create_index(op.f("ix_data_access_log_case_id"), "data_access_log", ["case_id"])
    op.create_index(op.f("ix_data_access_log_staff_id"), "data_access_log", ["staff_id"])
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_key", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_batch_key"), ["batch_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_batch_key"))
        batch_op.drop_column("batch_key")
    op.drop_index(op.f("ix_data_access_log_staff_id"), table_name="data_access_log")
    op.drop_index(op.f("ix_data_access_log_case_id"), table_name="data_access_log")
    op.drop_table("data_access_log")
