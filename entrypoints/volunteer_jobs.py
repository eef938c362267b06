"""Periodic volunteer jobs on the JobQueue, each a read of the database per tick.

Reminders, the coordinator's broadcast watch and the monthly recognition keep no timers of
their own: flags on the rows make every tick idempotent and safe on several instances.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram.ext import Application, ContextTypes

from bot.runtime import Runtime
from config.volunteers import volunteer_config
from services.volunteers.desk import VolunteerDesk
from services.volunteers.reminders import Reminded, monthly_recognition, send_reminders
from services.volunteers.watch import WatchResult, watch_broadcasts

log = logging.getLogger(__name__)
REMINDER_SECONDS = 60.0
WATCH_SECONDS = 10.0
RECOGNITION_SECONDS = 3600.0
T = TypeVar("T")


async def _desk_run(runtime: Runtime, work: Callable[[VolunteerDesk], Awaitable[T]]) -> T:
    """One transaction per tick: the job's flags and the messages it queues commit together."""
    async with runtime.db.transaction() as session:
        desk = VolunteerDesk(
            session=session,
            city=runtime.city,
            catalog=runtime.catalog,
            config=volunteer_config(runtime.settings.config_dir),
            now=runtime.clock.now(),
            send_per_second=runtime.settings.send_per_second,
        )
        return await work(desk)


async def run_callout_reminders(runtime: Runtime) -> Reminded:
    done = await _desk_run(runtime, send_reminders)
    if done.day or done.hour:
        log.info("call-out reminders: %s", done)
    return done


async def run_broadcast_watch(runtime: Runtime) -> WatchResult:
    result = await _desk_run(runtime, watch_broadcasts)
    if result.finished or result.blocked or result.stopped:
        log.info("broadcast watch: %s", result)
    return result


async def run_monthly_recognition(runtime: Runtime) -> int:
    told = await _desk_run(runtime, monthly_recognition)
    if told:
        log.info("monthly recognition sent for %d grids", told)
    return told


def register_volunteer_jobs(
    app: Application[Any, Any, Any, Any, Any, Any], runtime: Runtime
) -> None:
    queue = app.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")

    async def reminders(_: ContextTypes.DEFAULT_TYPE) -> None:
        await run_callout_reminders(runtime)

    async def watch(_: ContextTypes.DEFAULT_TYPE) -> None:
        await run_broadcast_watch(runtime)

    async def recognition(_: ContextTypes.DEFAULT_TYPE) -> None:
        await run_monthly_recognition(runtime)

    queue.run_repeating(reminders, interval=REMINDER_SECONDS, first=7, name="callout_reminders")
    queue.run_repeating(watch, interval=WATCH_SECONDS, first=3, name="broadcast_watch")
    queue.run_repeating(
        recognition, interval=RECOGNITION_SECONDS, first=60, name="volunteer_recognition"
    )
