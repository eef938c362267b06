"""Accept-SLA scan indexes: only cases still waiting for their accept reminder or escalation

Like 0007 for the resolve-SLA: the predicates name the waiting statuses, which the scan's
queries spell the same way, so the scan never walks the closed cases.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not imported: a migration keeps meaning what it meant when it was written.
ACCEPT_REMIND_PENDING = (
    "accept_reminded_at IS NULL AND status = 'assigned' AND assignee_id IS NOT NULL"
)
ACCEPT_ESCALATE_PENDING = "accept_escalated_at IS NULL AND status IN ('assigned', 'new')"


def upgrade() -> None:
    op.create_index(
        "ix_cases_accept_remind_pending", "cases", ["accept_remind_at"],
        postgresql_where=sa.text(ACCEPT_REMIND_PENDING),
        sqlite_where=sa.text(ACCEPT_REMIND_PENDING),
    )  # fmt: skip
    op.create_index(
        "ix_cases_accept_escalate_pending", "cases", ["accept_due_at"],
        postgresql_where=sa.text(ACCEPT_ESCALATE_PENDING),
        sqlite_where=sa.text(ACCEPT_ESCALATE_PENDING),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_cases_accept_escalate_pending", table_name="cases")
    op.drop_index("ix_cases_accept_remind_pending", table_name="cases")
