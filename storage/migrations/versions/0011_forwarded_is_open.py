"""转办: `forwarded` (a case sent on to a department) is an open status, so the SLA scan's
partial indexes of 0007 name it too (their predicates must spell the scan's open list).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not imported: a migration keeps meaning what it meant when it was written.
BEFORE = "'accepted', 'assigned', 'escalated', 'in_progress', 'new', 'reopened'"
AFTER = "'accepted', 'assigned', 'escalated', 'forwarded', 'in_progress', 'new', 'reopened'"


def _recreate(open_statuses: str) -> None:
    remind = f"sla_reminded_at IS NULL AND status IN ({open_statuses}) AND assignee_id IS NOT NULL"
    escalate = f"sla_escalated_at IS NULL AND status IN ({open_statuses})"
    op.drop_index("ix_cases_escalate_pending", table_name="cases")
    op.drop_index("ix_cases_remind_pending", table_name="cases")
    op.create_index(
        "ix_cases_remind_pending", "cases", ["remind_at"],
        postgresql_where=sa.text(remind), sqlite_where=sa.text(remind),
    )  # fmt: skip
    op.create_index(
        "ix_cases_escalate_pending", "cases", ["due_at"],
        postgresql_where=sa.text(escalate), sqlite_where=sa.text(escalate),
    )  # fmt: skip


def upgrade() -> None:
    _recreate(AFTER)


def downgrade() -> None:
    _recreate(BEFORE)
