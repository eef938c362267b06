"""The outbox dispatcher: claims due rows, sends them within Telegram's limits, settles each.

Delivery is at least once, and only just: a row is marked ``sent`` in its own short transaction
right after Telegram accepted it. If the process dies in between (or Telegram accepted a request
whose answer timed out), the row is still ``sending``; when its lease runs out another dispatcher
sends it again. That gap is the only way a recipient sees a message twice. A row marked ``sent``
is never claimed again.

Rows of one chat go one after another in id order, also across dispatchers (a claim leaves alone
a chat another dispatcher is sending to); different chats go concurrently, bounded by the
limiter. A row waiting out a retry backoff does not hold its chat: later rows may overtake it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, fields, replace
from datetime import timedelta

from telegram import Bot
from telegram.error import RetryAfter, TelegramError

from bot.clock import Clock
from bot.outbox.claims import ChatShare, ClaimedMessage, OutboxClaims
from bot.outbox.limits import SendLimiter, SendLimits, Sleep, SlotUnusable
from bot.outbox.outcomes import Outcome, Verdict, backoff, judge, retry_after_seconds
from bot.outbox.send import EXPIRED, PayloadError, expired, plan
from storage.db import Database
from storage.payloads import DELIVERED_PARTS, OutboxPayload

_LOG = logging.getLogger(__name__)

OnBlocked = Callable[[int], Awaitable[None]]
# A row that will never be delivered (refused for good, attempts used up, or blocked), with the
# reason stored on it: the place to make that failure visible to a person.
OnFailed = Callable[[ClaimedMessage, str], Awaitable[None]]


@dataclass
class DispatchResult:
    """Counts of one run (``run_once``) or, summed, of a dispatcher's life (``totals``)."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0  # for good, max_attempts exhausted included; blocked not included
    retried: int = 0  # back to pending with backoff
    blocked: int = 0
    released: int = 0  # lease running out before the send: back to pending untouched
    flood_waits: int = 0  # RetryAfter answers waited out

    def add(self, other: DispatchResult) -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


_COUNTED = {
    Verdict.SENT: "sent",
    Verdict.FAILED: "failed",
    Verdict.RETRY: "retried",
    Verdict.BLOCKED: "blocked",
    Verdict.RELEASED: "released",
}


class OutboxDispatcher:
    """Sends the outbox. Any number may run against one PostgreSQL; use one ``run_once`` or
    ``run_forever`` at a time per instance.

    Give ``bot`` a connection pool at least ``max_in_flight`` wide (PTB's ``HTTPXRequest``
    defaults to one connection, which would queue the concurrent sends).
    """

    def __init__(
        self,
        db: Database,
        bot: Bot,
        clock: Clock,
        limits: SendLimits = SendLimits(),  # noqa: B008 - frozen, shared safely
        batch_size: int = 100,
        lease: timedelta = timedelta(seconds=60),
        max_attempts: int = 8,
        *,
        on_blocked: OnBlocked | None = None,
        on_failed: OnFailed | None = None,
        sleep: Sleep = asyncio.sleep,
        max_in_flight: int = 16,
        idle_interval: float = 1.0,
        call_time_bound: timedelta | None = None,
    ) -> None:
        self._claims = OutboxClaims(db)
        self._bot = bot
        self._clock = clock
        self._limiter = SendLimiter(limits, max_in_flight=max_in_flight, sleep=sleep)
        self._share = ChatShare(
            private=limits.rows_per_chat(batch_size, group=False),
            group=limits.rows_per_chat(batch_size, group=True),
        )
        self._batch_size = batch_size
        self._lease = lease
        # A send must finish inside the lease, or a second dispatcher may take the row: no
        # send starts (nor is a flood wait waited out) unless the lease has this much left,
        # the longest one Bot API call may take (``call_time_bound``; see entrypoints.background).
        self._lease_margin = call_time_bound or lease / 4
        if self._lease_margin >= lease:
            raise ValueError("the lease must outlast the longest call")
        self._max_attempts = max_attempts
        self._on_blocked = on_blocked
        self._on_failed = on_failed
        self._idle_interval = idle_interval
        self._totals = DispatchResult()

    @property
    def totals(self) -> DispatchResult:
        """Counters since this dispatcher started."""
        return replace(self._totals)

    async def backlog(self) -> int:
        """Rows waiting to be sent (pending, backing off, or being sent)."""
        return await self._claims.backlog()

    async def run_once(self) -> DispatchResult:
        """Claim one batch of due rows and send it all; the counts of this run."""
        batch = await self.claim()
        result = DispatchResult(claimed=len(batch))
        by_chat: dict[int, list[ClaimedMessage]] = {}
        for message in batch:
            by_chat.setdefault(message.chat_id, []).append(message)
        chats = [self._run_chat(rows, result) for rows in by_chat.values()]
        errors = await asyncio.gather(*chats, return_exceptions=True)
        for chat_id, error in zip(by_chat, errors, strict=True):
            if isinstance(error, BaseException):
                # Its rows stay leased and come back when the lease ends.
                _LOG.error("outbox: sending to chat %s broke off", chat_id, exc_info=error)
        self._limiter.prune()
        self._totals.add(result)
        return result

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Dispatch until ``stop`` is set; a failing run is logged and tried again."""
        while not stop.is_set():
            try:
                result = await self.run_once()
            except Exception:
                _LOG.exception("outbox: dispatch run failed")
                result = DispatchResult()
            if not result.claimed:
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self._idle_interval)

    # -- the three steps of one row; separate so a test can stop between send and record --

    async def claim(self) -> list[ClaimedMessage]:
        """Lease the next batch of due rows (see ``claims``)."""
        now = self._clock.now()
        return await self._claims.claim(now, now + self._lease, self._batch_size, self._share)

    async def send(self, message: ClaimedMessage) -> Outcome:
        """Make the row's Bot API calls within the limits; touches no database."""
        if expired(message.payload, self._clock.now()):
            return Outcome(Verdict.FAILED, EXPIRED)
        try:
            steps = plan(message.chat_id, message.payload)
        except PayloadError as error:
            return Outcome(Verdict.FAILED, f"bad payload: {error}")
        flood_waits = 0
        def usable() -> bool:
            return self._clock.now() + self._lease_margin < message.lease_until

        for index in range(int(message.payload.get(DELIVERED_PARTS, 0)), len(steps)):
            while True:
                try:
                    # Checked again after any wait in the limiter: a row whose claim may run
                    # out before Telegram answers is not sent by us (another may take it).
                    async with self._limiter.slot(message.chat_id, usable):
                        await steps[index].call(self._bot)
                    break
                except SlotUnusable:
                    return Outcome(Verdict.RELEASED, None, index, flood_waits)
                except RetryAfter as error:
                    flood_waits += 1
                    seconds = retry_after_seconds(error)
                    _LOG.warning("outbox: flood control, pausing all sends for %.0f s", seconds)
                    resume = self._clock.now() + timedelta(seconds=seconds)
                    if resume + self._lease_margin >= message.lease_until:
                        # Waiting here would outlive the claim: hand the row back, due when
                        # Telegram allows, and hold every send meanwhile.
                        self._limiter.pause_soon(seconds)
                        return Outcome(Verdict.RELEASED, None, index, flood_waits, resume)
                    await self._limiter.pause(seconds)
                except TelegramError as error:
                    return replace(judge(error), delivered_parts=index, flood_waits=flood_waits)
                except Exception as error:  # a bug, not Telegram: give it its attempts anyway
                    _LOG.exception("outbox: %s to %s failed", steps[index].method, message.chat_id)
                    return Outcome(Verdict.RETRY, repr(error), index, flood_waits)
        return Outcome(Verdict.SENT, None, len(steps), flood_waits)

    async def record(self, message: ClaimedMessage, outcome: Outcome) -> Verdict:
        """Settle the row after ``send``; returns the verdict stored (a retry may become failed)."""
        now = self._clock.now()
        verdict = outcome.verdict
        attempts = message.attempts + 1
        reason = outcome.reason or ""
        if verdict is Verdict.SENT:
            settled = await self._claims.mark_sent(message, now)
        elif verdict is Verdict.RELEASED:
            payload = _with_progress(message, outcome)
            settled = await self._claims.put_back(
                message, outcome.not_before or now, message.attempts, message.error, payload
            )
        elif verdict is Verdict.RETRY and attempts < self._max_attempts:
            payload = _with_progress(message, outcome)
            not_before = now + backoff(attempts)
            settled = await self._claims.put_back(message, not_before, attempts, reason, payload)
        else:
            verdict = Verdict.FAILED if verdict is Verdict.RETRY else verdict
            settled = await self._claims.mark_failed(message, attempts, reason)
            _LOG.warning("outbox: row %s to %s failed: %s", message.id, message.chat_id, reason)
        if not settled:
            _LOG.warning("outbox: row %s was taken over before it was settled", message.id)
        if verdict is Verdict.BLOCKED:
            await self._report_blocked(message.chat_id)
        if verdict in (Verdict.FAILED, Verdict.BLOCKED) and settled:
            await self._report_failed(message, reason)
        return verdict

    async def _run_chat(self, rows: list[ClaimedMessage], result: DispatchResult) -> None:
        for message in rows:
            outcome = await self.send(message)
            verdict = await self.record(message, outcome)
            field = _COUNTED[verdict]
            setattr(result, field, getattr(result, field) + 1)
            result.flood_waits += outcome.flood_waits

    async def _report_blocked(self, chat_id: int) -> None:
        if self._on_blocked is None:
            return
        try:
            await self._on_blocked(chat_id)
        except Exception:
            _LOG.exception("outbox: on_blocked(%s) failed", chat_id)

    async def _report_failed(self, message: ClaimedMessage, reason: str) -> None:
        on_failed = self._on_failed
        if on_failed is None:
            return
        await _call_safely(lambda: on_failed(message, reason), f"on_failed(row {message.id})")


async def _call_safely(hook: Callable[[], Awaitable[None]], what: str) -> None:
    try:
        await hook()
    except Exception:
        _LOG.exception("outbox: %s failed", what)


def _with_progress(message: ClaimedMessage, outcome: Outcome) -> OutboxPayload:
    """The payload, noting calls Telegram already accepted so a retry does not repeat them."""
    if not outcome.delivered_parts:
        return message.payload
    progressed: OutboxPayload = {**message.payload, DELIVERED_PARTS: outcome.delivered_parts}
    return progressed
