"""Telegram's flood limits, enforced the way the real server does: refuse with retry_after.

The outbox dispatcher must obey ``RetryAfter``; it can only be tested against a server that
actually sends one, at the limits Telegram documents (about 30/s per bot, 1/s per chat,
20/min per group).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from devtools.local_api.calls import too_many_requests


@dataclass(frozen=True)
class RateLimits:
    """Send rates to enforce; ``None`` leaves that limit off."""

    per_second_global: float | None = None
    per_chat_per_second: float | None = None
    per_group_per_minute: float | None = None


class _SlidingWindow:
    """At most ``capacity`` events in any ``span`` seconds.

    A rate below one per period becomes one event per longer span (0.5/s is 1 per 2 s), so
    fractional limits keep their meaning.
    """

    def __init__(self, rate: float, period: float) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.capacity = max(1, math.floor(rate))
        self.span = period * self.capacity / rate
        self._events: deque[float] = deque()

    def wait_needed(self, now: float) -> float:
        while self._events and self._events[0] <= now - self.span:
            self._events.popleft()
        if len(self._events) < self.capacity:
            return 0.0
        return self._events[0] + self.span - now

    def note(self, now: float) -> None:
        self._events.append(now)


class FloodControl:
    """Checks a send before it happens and counts it only once it succeeded."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float]) -> None:
        self._limits = limits
        self._clock = clock
        self._global = (
            _SlidingWindow(limits.per_second_global, 1.0) if limits.per_second_global else None
        )
        self._per_chat: dict[int | str, _SlidingWindow] = {}
        self._per_group: dict[int | str, _SlidingWindow] = {}

    def _windows(self, chat_id: int | str) -> list[_SlidingWindow]:
        windows = [self._global] if self._global else []
        if self._limits.per_chat_per_second:
            rate = self._limits.per_chat_per_second
            windows.append(self._per_chat.setdefault(chat_id, _SlidingWindow(rate, 1.0)))
        if self._limits.per_group_per_minute and _is_group(chat_id):
            rate = self._limits.per_group_per_minute
            windows.append(self._per_group.setdefault(chat_id, _SlidingWindow(rate, 60.0)))
        return windows

    def check(self, chat_id: int | str) -> None:
        """Raise 429 with the seconds until every window would admit this send."""
        now = self._clock()
        wait = max((w.wait_needed(now) for w in self._windows(chat_id)), default=0.0)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))

    def note(self, chat_id: int | str) -> None:
        now = self._clock()
        for window in self._windows(chat_id):
            window.note(now)


def _is_group(chat_id: int | str) -> bool:
    return isinstance(chat_id, str) or chat_id < 0
