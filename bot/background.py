"""Work that runs beside update handling: the outbox dispatcher and the periodic jobs.

Started after the Application initialises and stopped before it shuts down,
in every mode (polling, webhook, console).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import update
from telegram.ext import Application

from bot.outbox import OutboxDispatcher, SendLimits
from bot.runtime import Runtime
from bot.scheduler import register_jobs
from storage.models import User

log = logging.getLogger(__name__)
BACKGROUND_KEY = "griddesk.background"


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
            on_blocked=self._mark_inactive,
        )
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _mark_inactive(self, chat_id: int) -> None:
        """A user who blocked the bot gets no more pings (and counts as blocked, not lost)."""
        async with self.runtime.db.transaction() as session:
            await session.execute(
                update(User).where(User.telegram_id == chat_id).values(active=False)
            )
        log.info("chat %s blocked the bot; user marked inactive", chat_id)

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
