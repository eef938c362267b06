"""Telegram's send limits, kept on our side so flood control is the exception, not the pacing.

Telegram allows a bot about 30 messages/s overall, 1/s per chat and 20/min per group, and answers
anything faster with 429 ``RetryAfter``, which stalls every chat of the bot at once. Waiting here
before each send costs nothing; being refused costs a pause of at least a second.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

Sleep = Callable[[float], Awaitable[None]]


class SlotUnusable(Exception):
    """The send may no longer start (its claim would run out): nothing was sent."""


@dataclass(frozen=True)
class SendLimits:
    """Rates one dispatcher keeps to. Several dispatchers on one bot share Telegram's budget:
    give each its share (e.g. 15/s each for two), or they will meet ``RetryAfter``."""

    per_second: float = 30
    per_chat_per_second: float = 1
    per_group_per_minute: float = 20

    def rows_per_chat(self, batch_size: int, group: bool) -> int:
        """How many rows of one chat a batch may take: what the chat can be sent while the
        whole batch goes out, so one busy group cannot hold a batch for minutes."""
        rate = self.per_chat_per_second
        if group:
            rate = min(rate, self.per_group_per_minute / 60)
        return max(1, math.floor(rate * batch_size / self.per_second))


class _Window:
    """At most ``capacity`` sends in any ``span`` seconds.

    A send occupies its place from the moment it starts until ``span`` seconds after its answer
    came back: Telegram counted it at some instant in between, so stamping it at the answer can
    only overestimate, and no network delay can make us exceed Telegram's own window.
    """

    def __init__(self, rate: float, period: float) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.capacity = max(1, math.floor(rate))
        self.span = period * self.capacity / rate  # 0.5/s becomes 1 per 2 s
        self._in_flight = 0
        self._answered: deque[float] = deque()

    def delay(self, now: float) -> float:
        """Seconds until a new send fits; ``inf`` when only an answer can free a place."""
        while self._answered and self._answered[0] + self.span <= now:
            self._answered.popleft()
        if self._in_flight + len(self._answered) < self.capacity:
            return 0.0
        if not self._answered:
            return math.inf
        return self._answered[0] + self.span - now

    def start(self) -> None:
        self._in_flight += 1

    def finish(self, now: float) -> None:
        self._in_flight -= 1
        self._answered.append(now)

    def idle(self, now: float) -> bool:
        self.delay(now)  # drops answers that left the window
        return not self._in_flight and not self._answered


class SendLimiter:
    """Awaited around every Bot API send: global, per-chat and per-group windows, a bound on
    requests in flight, and a gate that a ``RetryAfter`` closes for the whole bot."""

    def __init__(
        self,
        limits: SendLimits,
        max_in_flight: int = 16,
        sleep: Sleep = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = limits
        self._max_in_flight = max_in_flight
        self._sleep = sleep
        self._monotonic = monotonic
        self._global = _Window(limits.per_second, 1.0)
        self._per_chat: dict[int, _Window] = {}
        self._per_group: dict[int, _Window] = {}
        self._in_flight = 0
        self._pausers = 0
        self._open = asyncio.Event()
        self._open.set()
        self._changed = asyncio.Event()
        self._pausing: set[asyncio.Task[None]] = set()

    def _windows(self, chat_id: int) -> list[_Window]:
        windows = [self._global]
        chat = self._per_chat.get(chat_id)
        if chat is None:
            chat = self._per_chat[chat_id] = _Window(self._limits.per_chat_per_second, 1.0)
        windows.append(chat)
        if chat_id < 0:
            group = self._per_group.get(chat_id)
            if group is None:
                rate = self._limits.per_group_per_minute
                group = self._per_group[chat_id] = _Window(rate, 60.0)
            windows.append(group)
        return windows

    @asynccontextmanager
    async def slot(
        self, chat_id: int, usable: Callable[[], bool] = lambda: True
    ) -> AsyncIterator[None]:
        """Hold a place for one send to ``chat_id``; the send goes inside the block.

        ``usable`` is asked again right before the send starts, after any wait here (a flood
        pause can be long): when it says no, :class:`SlotUnusable` is raised and nothing is sent.
        """
        windows = self._windows(chat_id)
        while True:
            await self._open.wait()
            now = self._monotonic()
            wait = max(window.delay(now) for window in windows)
            if self._in_flight >= self._max_in_flight:
                wait = math.inf
            if wait <= 0:
                break
            await self._until_changed(wait)
        if not usable():
            raise SlotUnusable
        for window in windows:
            window.start()
        self._in_flight += 1
        try:
            yield
        finally:
            now = self._monotonic()
            for window in windows:
                window.finish(now)
            self._in_flight -= 1
            self._notify()

    def pause_soon(self, seconds: float) -> None:
        """``pause`` without waiting for it (for a caller that hands its work back instead);
        the gate closes at once, so no send slips through before the pause begins."""
        self._close()
        task = asyncio.create_task(self._reopen_after(seconds))
        self._pausing.add(task)
        task.add_done_callback(self._pausing.discard)

    async def pause(self, seconds: float) -> None:
        """Hold every send for ``seconds``: Telegram's flood control is per bot, not per chat."""
        self._close()
        await self._reopen_after(seconds)

    def _close(self) -> None:
        self._pausers += 1
        self._open.clear()

    async def _reopen_after(self, seconds: float) -> None:
        try:
            await self._sleep(seconds)
        finally:
            self._pausers -= 1
            if not self._pausers:
                self._open.set()

    def prune(self) -> None:
        """Forget chats with nothing in their window, so a long broadcast does not grow memory."""
        now = self._monotonic()
        for windows in (self._per_chat, self._per_group):
            for chat_id in [c for c, window in windows.items() if window.idle(now)]:
                del windows[chat_id]

    async def _until_changed(self, seconds: float) -> None:
        changed = self._changed.wait()
        with suppress(TimeoutError):
            await asyncio.wait_for(changed, None if math.isinf(seconds) else seconds)

    def _notify(self) -> None:
        """Wake every waiter; a fresh event serves the next round."""
        self._changed.set()
        self._changed = asyncio.Event()
