"""Notifications out of the outbox table, within Telegram's limits (DESIGN.md "Notifications").

Senders add rows with ``storage.repositories.OutboxRepository.add`` in the transaction of the
change that causes them; an :class:`OutboxDispatcher` (or several, on PostgreSQL) sends them.
"""

from bot.outbox.claims import ClaimedMessage
from bot.outbox.dispatcher import DispatchResult, OutboxDispatcher
from bot.outbox.limits import SendLimits
from bot.outbox.outcomes import Outcome, Verdict

__all__ = [
    "ClaimedMessage",
    "DispatchResult",
    "OutboxDispatcher",
    "Outcome",
    "SendLimits",
    "Verdict",
]
