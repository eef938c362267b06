"""Delivery: reachability apart from staff enablement, accept-SLA flags, per-resident answers,
webhook claim owners

- ``users.unreachable_at``: when Telegram last refused a send to the user (blocked bot); cleared
  by their next update. ``users.active`` keeps meaning "staff switched on".
- ``cases.accept_remind_at`` / ``accept_reminded_at`` / ``accept_escalated_at``: the accept-SLA
  as a clock (reminder to the worker, then the supervisor), like the resolve-SLA flags.
- ``case_followers.answered_at`` / ``fixed`` / ``rating``: each follower (并单) confirms and rates
  for themselves; the reporter's answer stays on the case.
- ``processed_updates.owner``: which instance holds an update "processing", so only the owner's
  heartbeat keeps the claim fresh.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when() -> storage.types.UTCDateTime:
    return storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("unreachable_at", _when(), nullable=True))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("accept_remind_at", _when(), nullable=True))
        batch.add_column(sa.Column("accept_reminded_at", _when(), nullable=True))
        batch.add_column(sa.Column("accept_escalated_at", _when(), nullable=True))
    with op.batch_alter_table("case_followers") as batch:
        batch.add_column(sa.Column("answered_at", _when(), nullable=True))
        batch.add_column(sa.Column("fixed", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("rating", sa.Integer(), nullable=True))
    with op.batch_alter_table("processed_updates") as batch:
        batch.add_column(sa.Column("owner", sa.String(length=64), nullable=True))
    # Cases already waiting to be accepted: remind at their accept due time (no earlier mark known).
    op.execute(
        "UPDATE cases SET accept_remind_at = accept_due_at "
        "WHERE status IN ('new', 'assigned') AND accept_remind_at IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("processed_updates") as batch:
        batch.drop_column("owner")
    with op.batch_alter_table("case_followers") as batch:
        batch.drop_column("rating")
        batch.drop_column("fixed")
        batch.drop_column("answered_at")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("accept_escalated_at")
        batch.drop_column("accept_reminded_at")
        batch.drop_column("accept_remind_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("unreachable_at")
