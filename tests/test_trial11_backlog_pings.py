"""Trial 11, item 5: the cases that waited in a grid reach its worker as live pings do.

The pings sent when a worker joins (`/join`) had no photos, while a live assignment's ping
carries the resident's photo (the rest as an album). The kind: every way a waiting case
becomes a worker's (joining the grid, coming back after blocking the bot) pings through the
one assignment ping (services.cases.filing.ping_assignee): urgent as an emergency (🚨, 110),
the case's photos with it. Each row: how the worker arrives, their language, how many photos
the resident sent; asserted: the pings' calls and words, and the cases assigned in the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from services.staff import create_invite
from storage.models import Case, User
from tests.conftest import make_settings
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import RESIDENT, WORKER, centre_of, enrol
from tests.support.worker_work import CODE, NEIGHBOUR, URGENT

JOIN, RETURN = "join", "return"


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    how: str  # JOIN: /join after the cases; RETURN: unblocks the bot after them
    photos: int


ROWS = [
    Row("zh-join-album", "zh", JOIN, 2),
    Row("en-join-one-photo", "en", JOIN, 1),
    Row("zh-return-one-photo", "zh", RETURN, 1),
    Row("en-return-album", "en", RETURN, 3),
]


async def _file_with_photos(bot: BotHarness, count: int) -> list[str]:
    await bot.send(RESIDENT, "新基村3巷的路灯坏了，晚上黑漆漆的", language_code="zh-hans")
    await bot.press(RESIDENT, "对")
    await bot.share_location(RESIDENT, *centre_of(bot, "xinji-02"))
    ids = [f"AgAD-lane-lamp-{n}" for n in range(count)]
    for file_id in ids:
        update = bot.api.photo_update(RESIDENT, file_id=file_id)
        if count > 1:
            update["message"]["media_group_id"] = "lamp-album"
        await bot.feed(update)
    await bot.press_keyboard(RESIDENT, "提交")
    return ids


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_waiting_cases_ping_as_live_ones(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        if row.how == RETURN:
            await enrol(bot, WORKER, "worker", lang=row.lang, grid_id="xinji-02")
            await bot.feed(bot.api.chat_status_update(WORKER, blocked=True))
        await bot.send(NEIGHBOUR, URGENT, language_code="zh-hans")  # GD-1, urgent
        photos = await _file_with_photos(bot, row.photos)  # GD-2
        await deliver_outbox(bot)
        async with bot.runtime.db.transaction() as session:
            waiting = {c.id: c.status for c in (await session.scalars(select(Case))).all()}
        assert waiting == {1: "new", 2: "new"}, waiting
        seen = len(bot.calls(WORKER))
        if row.how == JOIN:
            async with bot.runtime.db.transaction() as session:
                made = await create_invite(session, bot.runtime.city, "worker", bot.clock.now(),
                                           grid_id="xinji-02")  # fmt: skip
            await bot.send(WORKER, f"/join {made.code}", language_code=CODE[row.lang])
            offered = bot.runtime.catalog.t(row.lang, "delivery.waiting_offered", count=2)
            assert offered in bot.texts(WORKER)[seen:], bot.texts(WORKER)[seen:]
        else:
            await bot.feed(bot.api.chat_status_update(WORKER, blocked=False))
        await deliver_outbox(bot)
        calls = bot.calls(WORKER)[seen:]
        words = [str(c.params.get("text") or c.params.get("caption") or "") for c in calls]
        urgent = [w for w in words if "GD-2026-000001" in w and "110" in w]
        assert urgent and urgent[0].startswith("🚨") and "📌" not in urgent[0], words
        ping = next(c for c in calls if c.method == "sendPhoto")
        assert ping.params["photo"] == photos[0], ping
        assert str(ping.params.get("caption")).startswith("📌"), ping
        assert "GD-2026-000002" in str(ping.params.get("caption"))
        rest = [c for c in calls if c.method in ("sendMediaGroup", "sendPhoto") and c != ping]
        sent_after = [m["media"] for c in rest for m in c.params.get("media", [])]
        sent_after += [c.params["photo"] for c in rest if c.method == "sendPhoto"]
        assert sent_after == photos[1:], [c.method for c in calls]
        async with bot.runtime.db.transaction() as session:
            worker = (await session.scalars(select(User).where(User.telegram_id == WORKER))).one()
            cases = (await session.scalars(select(Case))).all()
            assert {(c.id, c.status, c.assignee_id) for c in cases} == {
                (1, "assigned", worker.id),
                (2, "assigned", worker.id),
            }
