"""SLA scan indexes: only open cases still waiting for their reminder or escalation

Most cases end before their reminder and never get ``sla_reminded_at`` (nor, when on time,
``sla_escalated_at``), so the partial indexes of 0002, on the flags alone, held nearly every
closed case and the scan walked through all of them. The predicates now also name the open
statuses (and, for reminders, an assignee), as the scan's queries do.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not imported: a migration keeps meaning what it meant when it was written.
OPEN = "'accepted', 'assigned', 'escalated', 'in_progress', 'new', 'reopened'"
REMIND_PENDING = f"sla_reminded_at IS NULL AND status IN ({OPEN}) AND assignee_id IS NOT NULL"
ESCALATE_PENDING = f"sla_escalated_at IS NULL AND status IN ({OPEN})"


def _create(remind: str, escalate: str) -> None:
    op.create_index('ix_cases_remind_pending', 'cases', ['remind_at'],
                    postgresql_where=sa.text(remind), sqlite_where=sa.text(remind))
    op.create_index('ix_cases_escalate_pending', 'cases', ['due_at'],
                    postgresql_where=sa.text(escalate), sqlite_where=sa.text(escalate))


def _drop() -> None:
    op.drop_index('ix_cases_escalate_pending', table_name='cases')
    op.drop_index('ix_cases_remind_pending', table_name='cases')


def upgrade() -> None:
    _drop()
    _create(REMIND_PENDING, ESCALATE_PENDING)


def downgrade() -> None:
    _drop()
    _create('sla_reminded_at IS NULL', 'sla_escalated_at IS NULL')
