"""From the eleventh newcomer trial: the urgent case and what follows it.

Item 1: an emergency raised in the middle of a report, in a grid with no worker and no
supervisor (Hongmian: 红棉苑, Kapok Villa), was said to have "alerted staff there" with no alert
in the outbox. What the resident is told now comes from the outbox rows of the urgent case,
the same reading as for an alarm on its own: nobody reached, call 110/119/120 yourself.

Each row asserts what the resident sees and what the store and the outbox hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from storage.models import Case, OutboxMessage
from tests.harness import BotHarness
from tests.support.cases import RESIDENT, SUPERVISOR, WORKER, enrol

CODE = {"zh": "zh-hans", "en": "en"}
YES = {"zh": "是的", "en": "yes"}


async def _cases(bot: BotHarness) -> list[Case]:
    async with bot.runtime.db.transaction() as session:
        return list((await session.scalars(select(Case).order_by(Case.id))).all())


async def _alerts(bot: BotHarness, case_id: int) -> list[OutboxMessage]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.case_id == case_id, OutboxMessage.kind == "assignment"
            )
        )
        return list(rows.all())


def _said(bot: BotHarness, seen: int = 0) -> str:
    return "\n".join(bot.texts(RESIDENT)[seen:])


# ---- item 1: "staff alerted" only when an alert is in the outbox -------------------------


@dataclass(frozen=True)
class Reached:
    id: str
    lang: str
    before: tuple[str, ...]  # the report begun (and confirmed) before the alarm
    alarm: str
    grid: str
    staffed: bool  # a worker and supervisor enrolled in that grid's community


REACHED = [
    # the trial's rows: a report in Hongmian, then the alarm
    Reached("zh-hongmian-fire", "zh", ("红棉苑4栋门口垃圾堆了好几天", "是的"), "楼上着火了，冒黑烟",
            "hongmian-01", False),
    Reached("en-kapok-gas", "en", ("rubbish piled up at Kapok Villa block 2 for days", "yes"),
            "I smell gas and feel dizzy", "hongmian-02", False),
    # siblings: another alarm, the report's own subject (no "is it there?"), another estate
    Reached("zh-hongmian-collapse", "zh", ("木棉山庄2栋路灯坏了，晚上黑漆漆的", "是的"),
            "楼下有个老人晕倒了，叫不醒", "hongmian-02", False),
    Reached("zh-hongmian-same-subject", "zh", ("红棉苑4栋门口垃圾堆了好几天", "是的"),
            "现在垃圾着火了，烧起来了", "hongmian-01", False),
    Reached("en-hongmian-court-fight", "en",
            ("the street light at Hongmian Court block 1 is broken", "yes"),
            "a man is beating his wife upstairs, she is screaming for help", "hongmian-01",
            False),
    # a grid with staff: told so, and the outbox has the alerts
    Reached("zh-xinji-staffed", "zh", ("翠湖苑3栋门口垃圾堆了好几天", "是的"), "楼上着火了，冒黑烟",
            "xinji-02", True),
    Reached("en-xinji-staffed", "en",
            ("rubbish piled up at Emerald Lake Court block 3 for days", "yes"),
            "I smell gas and feel dizzy", "xinji-02", True),
]  # fmt: skip


@pytest.mark.parametrize("row", REACHED, ids=[r.id for r in REACHED])
async def test_staff_alerted_only_when_an_alert_is_queued(bot: BotHarness, row: Reached) -> None:
    if row.staffed:
        await enrol(bot, WORKER, "worker", lang=row.lang, grid_id="xinji-02")
        await enrol(bot, SUPERVISOR, "supervisor", lang=row.lang, community_id="xinji")
    for words in row.before:
        await bot.send(RESIDENT, words, language_code=CODE[row.lang])
    seen = len(bot.texts(RESIDENT))
    await bot.send(RESIDENT, row.alarm, language_code=CODE[row.lang])
    said = _said(bot, seen)
    t = bot.runtime.catalog.t
    assert "110" in said and "119" in said
    (urgent,) = [c for c in await _cases(bot) if c.priority == "urgent"]
    assert urgent.grid_id == row.grid and urgent.text == row.alarm
    alerts = await _alerts(bot, urgent.id)
    nobody = t(row.lang, "delivery.emergency_nobody", number=urgent.number)
    if row.staffed:
        assert alerts, "the grid's staff were alerted"
        assert nobody not in said, said
        assert ("通知了" if row.lang == "zh" else "alerted staff") in said, said
    else:
        assert alerts == []
        assert nobody in said, said  # call 110/119/120 yourself
        assert "通知了" not in said and "alerted staff" not in said, said
