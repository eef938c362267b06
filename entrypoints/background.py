"""Work that runs beside update handling: the outbox dispatcher and the periodic jobs.

Started after the Application initialises and stopped before it shuts down,
in every mode (polling, webhook, console).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from telegram.ext import Application

from bot.outbox import ClaimedMessage, OutboxDispatcher, SendLimits
from bot.runtime import Runtime
from bot.settings import SEND_CALL_BOUND_SECONDS, Settings
from entrypoints.scheduler import register_jobs
from services.delivery import alert_failed_delivery, mark_unreachable

log = logging.getLogger(__name__)
BACKGROUND_KEY = "griddesk.background"
# The longest one Bot API call of the outbox may take (see bot.settings).
SEND_CALL_BOUND = timedelta(seconds=SEND_CALL_BOUND_SECONDS)
# The default claim: it outlasts that call plus the flood waits the dispatcher will sit out on
# the spot; a longer wait hands the row back (due when Telegram allows) instead of outliving
# the claim. GRIDDESK_OUTBOX_LEASE_SECONDS sets it (validated there to outlast the call).
SEND_LEASE = timedelta(seconds=Settings.model_fields["outbox_lease_seconds"].default)


class Background:
    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], runtime: Runtime) -> None:
        settings = runtime.settings
        self.runtime = runtime
        self.dispatcher = OutboxDispatcher(
            runtime.db,
            app.bot,
            runtime.clock,
            SendLimits(
                settings.send_per_second,
                settings.send_per_chat_per_second,
                settings.send_per_group_per_minute,
            ),
            lease=timedelta(seconds=settings.outbox_lease_seconds),
            on_blocked=self._mark_unreachable,
            on_failed=self._alert_failed,
            call_time_bound=SEND_CALL_BOUND,
        )
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _mark_unreachable(self, chat_id: int) -> None:
        """A chat that blocked the bot is routed around until the user writes again; a staff
        member stays staff (``active`` is the admin's switch, not Telegram's)."""
        async with self.runtime.db.transaction() as session:
            await mark_unreachable(session, chat_id, self.runtime.clock.now())
        log.info("chat %s blocked the bot; marked unreachable", chat_id)

    async def _alert_failed(self, message: ClaimedMessage, reason: str) -> None:
        runtime = self.runtime
        async with runtime.db.transaction() as session:
            told = await alert_failed_delivery(
                session,
                runtime.city,
                runtime.catalog,
                runtime.clock.now(),
                chat_id=message.chat_id,
                kind=message.kind,
                case_id=message.case_id,
                reason=reason,
                duty_chat=runtime.settings.duty_chat_id,
            )
        if told:
            log.warning("outbox: row %s failed for good (%s); %d told", message.id, reason, told)

    def start(self) -> None:
        self._task = asyncio.create_task(
            self.dispatcher.run_forever(self._stop), name="outbox-dispatcher"
        )

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task


def attach_background(app: Application[Any, Any, Any, Any, Any, Any], runtime: Runtime) -> None:
    """Register the jobs now; start the dispatcher when the Application starts."""
    register_jobs(app, runtime)
    background = Background(app, runtime)
    app.bot_data[BACKGROUND_KEY] = background


def background_of(app: Application[Any, Any, Any, Any, Any, Any]) -> Background:
    background = app.bot_data[BACKGROUND_KEY]
    assert isinstance(background, Background)
    return background
