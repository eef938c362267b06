"""What became of one send, and what that means for the row.

Telegram's answers fall into four kinds: delivered; refused for good (blocked, bad request);
refused for now (network, timeouts, server errors: try again later, with backoff); and flood
control, which is not the row's fault and is waited out on the spot (see the dispatcher).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

BACKOFF_START = timedelta(seconds=1)
BACKOFF_CAP = timedelta(minutes=5)
BLOCKED = "blocked"


class Verdict(Enum):
    SENT = "sent"
    RETRY = "retry"  # back to pending with backoff; failed after max_attempts
    FAILED = "failed"  # retrying will not help
    BLOCKED = "blocked"  # the user blocked the bot (or left, or the bot was removed)
    RELEASED = "released"  # not sent: the lease was running out; back to pending as it was


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    reason: str | None = None
    delivered_parts: int = 0  # calls of the row Telegram accepted (photo/text, location)
    flood_waits: int = 0  # RetryAfter answers met on the way (waited out, or handed back)
    # RELEASED by a RetryAfter longer than the claim: due again when Telegram allows.
    not_before: datetime | None = None


def judge(error: TelegramError) -> Outcome:
    """The verdict for a refusal other than ``RetryAfter``."""
    if isinstance(error, Forbidden):
        return Outcome(Verdict.BLOCKED, BLOCKED)
    if isinstance(error, ChatMigrated):
        return Outcome(Verdict.FAILED, f"chat migrated to {error.new_chat_id}")
    if isinstance(error, BadRequest):  # a subclass of NetworkError: test it first
        return Outcome(Verdict.FAILED, f"BadRequest: {error.message}")
    # NetworkError, TimedOut, and whatever else Telegram may mean for now (InvalidToken during
    # a token rotation, Conflict): not the row's fault, so it gets its attempts.
    return Outcome(Verdict.RETRY, f"{type(error).__name__}: {error.message}")


def backoff(attempts: int) -> timedelta:
    """1 s after the first failure, doubling, at most 5 minutes."""
    doublings = min(max(attempts - 1, 0), 30)  # past the cap anyway; avoids overflow
    return min(BACKOFF_START * (1 << doublings), BACKOFF_CAP)


def retry_after_seconds(error: RetryAfter) -> float:
    """``retry_after`` in seconds: a timedelta under ``PTB_TIMEDELTA`` (set in ``bot/__init__``),
    an int if a deployment turned that off."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
