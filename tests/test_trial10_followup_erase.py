"""Trial 10, item 2: /forgetme never stands down a live emergency.

A resident erased their data while their fire was live: the urgent case was withdrawn
(cancelled, hidden from staff, the alert queued to them deleted). The kind: an erasure that
meets an urgent case still being worked on (fire, someone collapsed; typed or pressed; with
or without an ordinary case beside it). Now the urgent case stays open with its words, place
and the alerts queued for staff; the resident is told so (and the emergency numbers) before
and after, and is gone from it (no Telegram id, no updates); ordinary open cases are still
withdrawn and erased. Once the urgent case is finished, the daily purge erases what it held.
Each row asserts what the resident and the staff see and what the store holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from entrypoints.scheduler import run_retention_purge
from storage.models import Case, OutboxMessage, User
from tests.conftest import make_settings
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import SUPERVISOR, WORKER, enrol

UID = 4848
CODE = {"zh": "zh-hans", "en": "en"}
FIRE = {"zh": "翠湖苑3栋楼道里着火了，好多烟，有人被困",
        "en": "fire in the stairwell at Emerald Lake Court, people trapped"}  # fmt: skip
COLLAPSE = {"zh": "翠湖苑5栋门口有个老人晕倒了，叫不醒，没有呼吸",
            "en": "an old man collapsed at Emerald Lake Court, not breathing"}  # fmt: skip
ORDINARY = {"zh": "路灯坏了，3栋门口黑漆漆的", "en": "The street light outside building 3 is out"}
PLACE = {"zh": "翠湖苑", "en": "Emerald Lake Court"}
SUBMIT = {"zh": "提交", "en": "Submit"}


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    emergency: str
    confirm: str  # typed at the confirmation, or "press:<label part>"
    ordinary: bool = False  # an ordinary report open beside it (filed first)


ROWS = [
    Row("zh-fire-typed", "zh", FIRE["zh"], "删吧"),
    Row("zh-collapse-pressed", "zh", COLLAPSE["zh"], "press:删除"),
    Row("en-fire-typed", "en", FIRE["en"], "delete it"),
    Row("en-collapse-typed", "en", COLLAPSE["en"], "erase it"),
    Row("zh-fire-beside-report", "zh", FIRE["zh"], "press:撤回并删除", ordinary=True),
    Row("en-fire-beside-report", "en", FIRE["en"], "go ahead", ordinary=True),
]


async def _file_ordinary(bot: BotHarness, lang: str) -> None:
    for words in (ORDINARY[lang], "对" if lang == "zh" else "yes", PLACE[lang], SUBMIT[lang]):
        await bot.send(UID, words, language_code=CODE[lang])


async def _cases(bot: BotHarness) -> dict[str, Case]:
    async with bot.runtime.db.transaction() as session:
        return {c.priority: c for c in (await session.scalars(select(Case))).all()}


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_erasure_keeps_a_live_emergency(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await enrol(bot, WORKER, "worker", lang=row.lang, grid_id="xinji-02")
        await enrol(bot, SUPERVISOR, "supervisor", lang=row.lang, community_id="xinji")
        if row.ordinary:
            await _file_ordinary(bot, row.lang)
            await deliver_outbox(bot)
        await bot.send(UID, row.emergency, language_code=CODE[row.lang])
        urgent = (await _cases(bot))["urgent"]
        staff_seen = {chat: len(bot.texts(chat)) for chat in (WORKER, SUPERVISOR)}
        # the alerts are still queued when the resident erases their data
        seen = len(bot.texts(UID))
        await bot.send(UID, "/forgetme", language_code=CODE[row.lang])
        t = bot.runtime.catalog.t
        live = t(row.lang, "privacy.forget_live_urgent", numbers=urgent.number)
        assert any(live in r for r in bot.texts(UID)[seen:]), bot.texts(UID)[seen:]
        if row.confirm.startswith("press:"):
            await bot.press(UID, row.confirm.removeprefix("press:"))
        else:
            await bot.send(UID, row.confirm, language_code=CODE[row.lang])
        replies = bot.texts(UID)[seen:]
        kept = t(row.lang, "privacy.forgotten_live_urgent", numbers=urgent.number)
        assert kept in replies, replies
        after = await _cases(bot)
        assert after["urgent"].status == urgent.status != "cancelled"
        assert after["urgent"].text == urgent.text and after["urgent"].address
        if row.ordinary:
            assert after["normal"].status == "cancelled"
            assert after["normal"].text != ORDINARY[row.lang]
        async with bot.runtime.db.transaction() as session:
            assert await session.scalar(select(User).where(User.telegram_id == UID)) is None
            to_them = await session.scalar(
                select(OutboxMessage).where(OutboxMessage.chat_id == UID)
            )
            assert to_them is None  # nothing more goes to the resident
        await deliver_outbox(bot)
        withdrawn = t(row.lang, "privacy.staff_withdrawn", number=urgent.number, case_type="",
                      grid="").split("(")[0]  # fmt: skip
        for chat in (WORKER, SUPERVISOR):
            new = bot.texts(chat)[staff_seen[chat] :]
            assert any(urgent.number in n for n in new), (chat, new)  # the alert went out
            assert all(withdrawn not in n for n in new if urgent.number in n), (chat, new)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_kept_emergency_is_erased_once_finished(
    lang: str, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await enrol(bot, WORKER, "worker", lang=lang, grid_id="xinji-02")
        await bot.send(UID, FIRE[lang], language_code=CODE[lang])
        await bot.send(UID, "/forgetme", language_code=CODE[lang])
        await bot.press(UID, "删除" if lang == "zh" else "Erase")
        await run_retention_purge(bot.runtime)  # still live: nothing erased yet
        urgent = (await _cases(bot))["urgent"]
        assert urgent.text == FIRE[lang] and urgent.address
        await bot.send(WORKER, "接单 1" if lang == "zh" else "accept 1")
        await bot.send(WORKER, "办结 1 火已扑灭" if lang == "zh" else "resolve 1: fire is out")
        async with bot.runtime.db.transaction() as session:  # no one left to confirm: closed
            case = await session.get(Case, urgent.id)
            assert case is not None and case.status == "resolved"
            case.status = "closed"
        await run_retention_purge(bot.runtime)
        erased = (await _cases(bot))["urgent"]
        assert erased.text == bot.runtime.catalog.t(lang, "privacy.erased_text")
        assert erased.address is None and erased.latitude is None
