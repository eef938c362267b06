"""From the ninth newcomer trial (item 5): staff who come back hear of the urgent cases they
missed, and their free text gets a staff answer.

Every staff member had blocked the bot, so urgent cases reached nobody. A supervisor or worker
who comes back (unblocks, /start, or just writes) is told of the urgent cases of their scope
that nobody has taken on and that never reached them, named in one line, each followed by its
urgent alert (number, place): a city-wide supervisor the whole city, a community supervisor
their community and the emergencies with no grid, a worker their grid (given to them, as the
grid's waiting cases are). An alert that did reach them is not sent again. Staff words such
as "hi I'm back" get a pointer to /tasks or /desk, never the resident's "I can't help / Ask
staff". Both languages; the store's outbox is read after every row.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from storage.models import Case, OutboxMessage
from tests.delivery_helpers import drain
from tests.harness import BotHarness
from tests.support.cases import RESIDENT, SUPERVISOR, WORKER, enrol

CITY_SUP = 3002
STAFF = {CITY_SUP: "city", SUPERVISOR: "xinji", WORKER: "worker"}
CODE = {"zh": "zh-hans", "en": "en"}
# urgent cases filed while every staff member was blocked: no grid, xinji-02, yangguang
NO_GRID = "HELP a man just collapsed outside the Metro exit on Harbour Road, he's not breathing"
XINJI = "翠湖苑3栋楼道着火了，好多烟"
YANGGUANG = "fire at Sunshine Garden block 4, smoke everywhere"
ORDINARY = "路灯坏了，3栋门口黑漆漆的"
MISSED = {"zh": "还没有人接手", "en": "nobody has taken them on yet"}
STAFF_HINT = {"zh": "这句话我没有当成对案件的操作", "en": "I did not take that as an action"}
RESIDENT_ANSWER = {"zh": "这个我帮不上忙", "en": "I can't help with that"}


async def set_blocked(bot: BotHarness, user_id: int, blocked: bool) -> None:
    (bot.api.block if blocked else bot.api.unblock)(user_id)
    await bot.feed(bot.api.chat_status_update(user_id, blocked=blocked))


async def numbers_by_text(bot: BotHarness) -> dict[str, str]:
    async with bot.runtime.db.transaction() as session:
        return {c.text: c.number for c in (await session.execute(select(Case))).scalars()}


async def alerts_to(bot: BotHarness, chat_id: int) -> list[int]:
    """Case ids of the urgent-case pings queued to `chat_id` that did not fail."""
    async with bot.runtime.db.transaction() as session:
        rows = await session.execute(
            select(OutboxMessage.case_id).where(
                OutboxMessage.chat_id == chat_id,
                OutboxMessage.kind == "assignment",
                OutboxMessage.status != "failed",
            )
        )
        return [r for (r,) in rows]


@dataclass(frozen=True)
class Row:
    lang: str
    who: int
    back: str  # "unblock", or what they send after unblocking
    missed: tuple[str, ...]  # the alarms whose cases they are sent, in the summary line
    not_sent: tuple[str, ...]
    given: tuple[str, ...] = ()  # ordinary cases that waited in a worker's grid, now theirs


ROWS = [
    Row("en", CITY_SUP, "unblock", (NO_GRID, XINJI, YANGGUANG), (ORDINARY,)),
    Row("zh", CITY_SUP, "/start", (NO_GRID, XINJI, YANGGUANG), (ORDINARY,)),
    Row("zh", SUPERVISOR, "unblock", (NO_GRID, XINJI), (YANGGUANG, ORDINARY)),
    Row("en", SUPERVISOR, "hi I'm back", (NO_GRID, XINJI), (YANGGUANG, ORDINARY)),
    Row("zh", WORKER, "我回来了", (XINJI,), (NO_GRID, YANGGUANG), given=(ORDINARY,)),
    Row("en", WORKER, "unblock", (XINJI,), (NO_GRID, YANGGUANG), given=(ORDINARY,)),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.lang}:{STAFF[r.who]}:{r.back}")
async def test_a_returning_staff_member_gets_the_urgent_cases_they_missed(
    bot: BotHarness, row: Row
) -> None:
    await enrol(bot, CITY_SUP, "supervisor", lang=row.lang)
    await enrol(bot, SUPERVISOR, "supervisor", lang=row.lang, community_id="xinji")
    await enrol(bot, WORKER, "worker", lang=row.lang, grid_id="xinji-02")
    for staff in STAFF:
        await set_blocked(bot, staff, True)
    for offset, alarm in enumerate((NO_GRID, XINJI, YANGGUANG)):
        await bot.send(RESIDENT + offset, alarm, language_code="en")
    await bot.send(RESIDENT + 3, ORDINARY, language_code="zh-hans")  # filed in xinji-02
    await bot.press(RESIDENT + 3, "对")
    await bot.send(RESIDENT + 3, "翠湖苑3栋")
    await bot.press_keyboard(RESIDENT + 3, "提交")
    await drain(bot)
    numbers = await numbers_by_text(bot)
    async with bot.runtime.db.transaction() as session:
        urgent = (await session.scalars(select(Case).where(Case.priority == "urgent"))).all()
    assert len(urgent) == 3
    for staff in STAFF:
        assert await alerts_to(bot, staff) == []  # routed round them: nobody was told
    before = len(bot.texts(row.who))

    if row.back == "unblock":
        await set_blocked(bot, row.who, False)
    else:
        bot.api.unblock(row.who)
        await bot.send(row.who, row.back, language_code=CODE[row.lang])
    said = "\n".join(bot.texts(row.who)[before:])
    assert MISSED[row.lang] in said, said
    for alarm in row.missed:
        assert numbers[alarm] in said, said
    for alarm in row.not_sent:
        assert numbers[alarm] not in said, said
    if row.back not in ("unblock", "/start"):
        assert STAFF_HINT[row.lang] in said and RESIDENT_ANSWER[row.lang] not in said, said

    await drain(bot)
    alerts = "\n".join(bot.texts(row.who)[before:])
    for alarm in row.missed:
        assert any(numbers[alarm] in t and "🚨" in t for t in bot.texts(row.who)), alerts
    async with bot.runtime.db.transaction() as session:
        ids = {c.number: c.id for c in (await session.scalars(select(Case))).all()}
    sent = await alerts_to(bot, row.who)
    assert sorted(sent) == sorted(ids[numbers[a]] for a in (*row.missed, *row.given))

    # coming back again sends nothing twice
    await set_blocked(bot, row.who, True)
    await set_blocked(bot, row.who, False)
    assert sorted(await alerts_to(bot, row.who)) == sorted(sent)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_an_alert_that_reached_a_supervisor_is_not_sent_again(
    bot: BotHarness, lang: str
) -> None:
    await enrol(bot, SUPERVISOR, "supervisor", lang=lang, community_id="xinji")
    await bot.send(RESIDENT, XINJI, language_code="zh-hans")
    await drain(bot)
    assert len(await alerts_to(bot, SUPERVISOR)) == 1
    await set_blocked(bot, SUPERVISOR, True)
    before = len(bot.texts(SUPERVISOR))
    await set_blocked(bot, SUPERVISOR, False)
    assert not any(MISSED[lang] in t for t in bot.texts(SUPERVISOR)[before:])
    assert len(await alerts_to(bot, SUPERVISOR)) == 1


@pytest.mark.parametrize(
    ("lang", "who", "text", "pointer"),
    [
        ("en", CITY_SUP, "hi I'm back", "/desk"),
        ("zh", SUPERVISOR, "在吗", "/desk"),
        ("zh", SUPERVISOR, "我回来了", "/desk"),
        ("en", WORKER, "hello", "/tasks"),
        ("zh", WORKER, "你好", "/tasks"),
        ("en", WORKER, "what's the weather like tomorrow", "/tasks"),
    ],
)
async def test_staff_free_text_gets_a_staff_answer(
    bot: BotHarness, lang: str, who: int, text: str, pointer: str
) -> None:
    scope = {"grid_id": "xinji-02"} if who == WORKER else {}
    if who == SUPERVISOR:
        scope = {"community_id": "xinji"}
    await enrol(bot, who, "worker" if who == WORKER else "supervisor", lang=lang, **scope)
    before = len(bot.texts(who))
    await bot.send(who, text, language_code=CODE[lang])
    said = "\n".join(bot.texts(who)[before:])
    assert STAFF_HINT[lang] in said and pointer in said, said
    assert RESIDENT_ANSWER[lang] not in said, said
    async with bot.runtime.db.transaction() as session:
        assert (await session.scalar(select(Case.id))) is None  # nothing filed


@pytest.mark.parametrize(("lang", "text"), [("en", "hi I'm back"), ("zh", "你好")])
async def test_a_resident_s_greeting_is_answered_as_before(
    bot: BotHarness, lang: str, text: str
) -> None:
    await bot.send(RESIDENT, text, language_code=CODE[lang])
    assert not any(STAFF_HINT[lang] in t for t in bot.texts(RESIDENT))
