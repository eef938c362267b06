"""Periodic jobs on python-telegram-bot's JobQueue (APScheduler underneath).

The database is the source of truth: each job reads it on every tick, so
there is never one pickled job per case, and a restart loses nothing.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import time, timedelta
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.runtime import Runtime
from entrypoints.volunteer_jobs import register_volunteer_jobs
from services.cases.sla import daily_digest, scan_sla
from services.privacy.erasure import (
    TOUCHED_TABLES,
    RetentionPolicy,
    finish_erasures,
    purge_expired,
)
from services.statistics.weekly_report import queue_weekly_reports
from storage.compaction import compact
from storage.repositories import JobTickRepository, ProcessedUpdateRepository, prune_job_ticks

log = logging.getLogger(__name__)


async def run_sla_scan(runtime: Runtime) -> None:
    async with runtime.db.transaction() as session:
        result = await scan_sla(
            session,
            runtime.city,
            runtime.catalog,
            runtime.clock.now(),
            timedelta(days=runtime.settings.followup_timeout_days),
            duty_chat=runtime.settings.duty_chat_id,
        )
    if result.reminded or result.escalated or result.auto_closed:
        log.info("sla scan: %s", result)


def retention_policy(runtime: Runtime) -> RetentionPolicy:
    settings = runtime.settings
    return RetentionPolicy(
        finished_cases=timedelta(days=settings.retention_days),
        sent_messages=timedelta(days=settings.outbox_sent_keep_days),
        drafts=timedelta(hours=settings.draft_keep_hours),
    )


async def run_retention_purge(runtime: Runtime) -> None:
    now = runtime.clock.now()
    async with runtime.db.transaction() as session:
        purged = await purge_expired(session, now, retention_policy(runtime))
        # urgent cases kept open through a /forgetme: erased now that they are finished
        finished = await finish_erasures(session, now, runtime.city, runtime.catalog)
    tables = purged.touched_tables + (TOUCHED_TABLES if finished else ())
    if tables:
        await compact(runtime.db, tuple(dict.fromkeys(tables)))
    log.info(
        "retention purge: %d finished cases, %d outbox rows, %d drafts, %d erasures finished",
        purged.cases, purged.messages, purged.drafts, finished,
    )


async def run_bookkeeping_prune(runtime: Runtime) -> None:
    """Webhook update ids and job ticks only matter near their time; keep them a while."""
    now, settings = runtime.clock.now(), runtime.settings
    async with runtime.db.transaction() as session:
        updates = await ProcessedUpdateRepository(session).prune(
            now - timedelta(days=settings.processed_updates_keep_days)
        )
        ticks = await prune_job_ticks(session, now - timedelta(days=settings.job_ticks_keep_days))
    log.info("bookkeeping prune: %d processed updates, %d job ticks", updates, ticks)


async def run_daily_digest(runtime: Runtime) -> None:
    async with runtime.db.transaction() as session:
        told = await daily_digest(session, runtime.city, runtime.catalog, runtime.clock.now())
    log.info("daily digest sent to %d workers", told)


async def run_weekly_report(runtime: Runtime) -> None:
    async with runtime.db.transaction() as session:
        told = await queue_weekly_reports(
            session, runtime.city, runtime.catalog, runtime.clock.now()
        )
    log.info("weekly report queued for %d supervisors", told)


INSTANCE = f"{socket.gethostname()}:{os.getpid()}"
# Monday 08:00 on the city's clock; PTB numbers the days from Sunday = 0.
WEEKLY_REPORT_DAY, WEEKLY_REPORT_AT = 1, time(8)


async def claim_tick(runtime: Runtime, job: str, tick: int) -> bool:
    """With several instances, only the first to claim a tick runs it."""
    async with runtime.db.transaction() as session:
        return await JobTickRepository(session).claim(job, tick, INSTANCE, runtime.clock.now())


async def weekly_report_tick(runtime: Runtime) -> bool:
    """The weekly job's body: runs once per local week (its Monday's date is the tick)."""
    today = runtime.clock.now().astimezone(runtime.city.timezone).date()
    monday = today - timedelta(days=today.weekday())
    if not await claim_tick(runtime, "weekly_report", monday.toordinal()):
        return False
    await run_weekly_report(runtime)
    return True


def register_jobs(app: Application[Any, Any, Any, Any, Any, Any], runtime: Runtime) -> None:
    queue = app.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    interval = runtime.settings.sla_scan_seconds

    async def sla(_: ContextTypes.DEFAULT_TYPE) -> None:
        if await claim_tick(runtime, "sla", int(runtime.clock.now().timestamp() // interval)):
            await run_sla_scan(runtime)

    async def digest(_: ContextTypes.DEFAULT_TYPE) -> None:
        today = runtime.clock.now().astimezone(runtime.city.timezone).date()
        if await claim_tick(runtime, "digest", today.toordinal()):
            await run_daily_digest(runtime)

    async def retention(_: ContextTypes.DEFAULT_TYPE) -> None:
        today = runtime.clock.now().astimezone(runtime.city.timezone).date()
        if await claim_tick(runtime, "retention", today.toordinal()):
            await run_retention_purge(runtime)

    queue.run_repeating(sla, interval=interval, first=5, name="sla")

    async def prune(_: ContextTypes.DEFAULT_TYPE) -> None:
        today = runtime.clock.now().astimezone(runtime.city.timezone).date()
        if await claim_tick(runtime, "prune", today.toordinal()):
            await run_bookkeeping_prune(runtime)

    queue.run_daily(prune, time(3, 30, tzinfo=runtime.city.timezone), name="prune")
    queue.run_daily(retention, time(3, tzinfo=runtime.city.timezone), name="retention")
    queue.run_daily(
        digest, time(runtime.settings.digest_hour, tzinfo=runtime.city.timezone), name="digest"
    )

    async def weekly(_: ContextTypes.DEFAULT_TYPE) -> None:
        await weekly_report_tick(runtime)

    queue.run_daily(
        weekly,
        WEEKLY_REPORT_AT.replace(tzinfo=runtime.city.timezone),
        days=(WEEKLY_REPORT_DAY,),
        name="weekly_report",
    )
    register_volunteer_jobs(app, runtime)
