"""Trial 11, items 1-3: a supervisor's reassignment said in one sentence, and what it changes.

`把 GD-2026-000007 改派给李明` got "您还没有反映过问题。" (only `改派 GD-…` then `李明` worked); the
reassignment moved the case into the new worker's grid although its place is in another; and
the new worker's ping of an urgent case was a plain "📌 新案件" with a next-day due time. The
kinds: a reassignment typed in one sentence, either language, the case and the worker named
(by the name they gave with /name, a part of it, or their grid); a name that fits nobody gets
the list of who can take it; reassigning changes the assignee only (grid, priority and due
times stay); the new worker's ping is the one every assignment gets (urgent: 🚨 with 110, the
case's photos with it).

Xinji has the worker 王芳 / Wang Fang in xinji-02 (WORKER) and 李明 / Li Ming in xinji-03
(OTHER_WORKER); the urgent GD-2026-000001 is WORKER's in xinji-02, the ordinary
GD-2026-000002 (with a photo) is OTHER_WORKER's in xinji-03. Each row: what the supervisor
types, what they see, who has the case after, its grid, and the ping the new worker gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Case, User
from tests.conftest import make_settings
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import OTHER_WORKER, RESIDENT, SUPERVISOR, WORKER, centre_of, enrol
from tests.support.worker_work import CODE, NEIGHBOUR, URGENT

ONE, TWO = "GD-2026-000001", "GD-2026-000002"
PHOTO = "AgAD-banyan-market-0"
NAMES = {WORKER: {"zh": "王芳", "en": "Wang Fang"}, OTHER_WORKER: {"zh": "李明", "en": "Li Ming"}}
LISTED = "listed"  # the supervisor is shown who can take it; nothing changes


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    typed: str
    case_id: int
    to: int | str  # the new assignee's telegram id, or LISTED
    said: str = ""  # LISTED: the name as the reply quotes it


def rows() -> list[Row]:
    return [
        Row("zh-ba-gaipai-gei", "zh", "把 GD-2026-000002 改派给王芳", 2, WORKER),
        Row("zh-gaipai-then-gei", "zh", "改派 GD-2026-000002 给 王芳", 2, WORKER),
        Row("zh-urgent-zhuan-gei", "zh", "把 GD-2026-000001 转给李明", 1, OTHER_WORKER),
        Row("zh-hao-jiao-gei", "zh", "2号交给王芳处理吧", 2, WORKER),
        Row("zh-grid-name", "zh", "把2号派给新基第二网格", 2, WORKER),
        Row("zh-unknown-name", "zh", "把 GD-2026-000002 改派给张三", 2, LISTED, "张三"),
        Row("en-reassign-to", "en", "reassign GD-2026-000002 to Wang Fang", 2, WORKER),
        Row("en-urgent-give", "en", "give GD-1 to Li Ming", 1, OTHER_WORKER),
        Row("en-part-of-name", "en", "Reassign case 2 to wang please", 2, WORKER),
        Row("en-hand-over", "en", "hand over GD-2 to Wang Fang.", 2, WORKER),
        Row("en-unknown-name", "en", "give GD-2 to Bob", 2, LISTED, "Bob"),
    ]


ROWS = rows()


async def _staffed_cases(bot: BotHarness, lang: str) -> None:
    await enrol(bot, SUPERVISOR, "supervisor", lang=lang, community_id="xinji")
    for uid, grid in ((WORKER, "xinji-02"), (OTHER_WORKER, "xinji-03")):
        await enrol(bot, uid, "worker", lang=lang, grid_id=grid)
        await bot.send(uid, f"/name {NAMES[uid][lang]}", language_code=CODE[lang])
    await bot.send(NEIGHBOUR, URGENT, language_code="zh-hans")  # GD-1, xinji-02
    await bot.send(RESIDENT, "榕树市场门口的垃圾好几天没人收了", language_code="zh-hans")
    await bot.press(RESIDENT, "对")
    await bot.share_location(RESIDENT, *centre_of(bot, "xinji-03"))
    await bot.feed(bot.api.photo_update(RESIDENT, file_id=PHOTO))
    await bot.press_keyboard(RESIDENT, "提交")
    await deliver_outbox(bot)


async def _cases(bot: BotHarness) -> dict[int, tuple[Any, ...]]:
    """Each case: assignee's telegram id, grid, priority, accept-by, due."""
    async with bot.runtime.db.transaction() as session:
        found = {}
        for case in (await session.scalars(select(Case))).all():
            user = await session.get(User, case.assignee_id) if case.assignee_id else None
            found[case.id] = (user.telegram_id if user else None, case.grid_id, case.priority,
                              case.accept_due_at, case.due_at)  # fmt: skip
        return found


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_supervisor_reassigns_in_one_sentence(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await _staffed_cases(bot, row.lang)
        before = await _cases(bot)
        assert before[1][:3] == (WORKER, "xinji-02", "urgent"), before
        assert before[2][:2] == (OTHER_WORKER, "xinji-03"), before
        seen = {uid: len(bot.calls(uid)) for uid in (SUPERVISOR, WORKER, OTHER_WORKER)}
        await bot.send(SUPERVISOR, row.typed, language_code=CODE[row.lang])
        replies = bot.texts(SUPERVISOR)[seen[SUPERVISOR] :]
        t = bot.runtime.catalog.t
        number = ONE if row.case_id == 1 else TWO
        assert all(t(row.lang, "mycases.none") not in r for r in replies), replies
        await deliver_outbox(bot)
        after = await _cases(bot)
        if row.to == LISTED:
            assert replies[-1] == t(row.lang, "staff_case.no_such_worker", name=row.said,
                                    number=number), replies  # fmt: skip
            listing = bot.calls(SUPERVISOR)[-1]
            assert number in replies[-1] and "sv:to" in str(bot.api.buttons(listing)), replies
            labels = [label for label, _ in bot.api.buttons(listing)]
            assert any(NAMES[WORKER][row.lang] in label for label in labels), labels
            assert after == before
            return
        assert isinstance(row.to, int)
        grid = bot.runtime.city.grids["xinji-02" if row.to == WORKER else "xinji-03"]
        name, where = NAMES[row.to][row.lang], grid.name.get(row.lang)
        label = f"{name}（{where}）" if row.lang == "zh" else f"{name} ({where})"
        said = t(row.lang, "staff_case.reassigned_to", number=number, name=label)
        assert said in replies, replies
        # the assignee changes; the grid of the place, the priority and the due times stay
        assert after[row.case_id][0] == row.to
        assert after[row.case_id][1:] == before[row.case_id][1:], (before, after)
        pings = bot.calls(row.to)[seen[row.to] :]
        assert pings, "the new worker was not pinged"
        ping = pings[0]
        words = str(ping.params.get("text") or ping.params.get("caption") or "")
        assert number in words
        if row.case_id == 1:  # urgent: as a new urgent assignment, never a plain new case
            assert words.startswith("🚨") and "110" in words and "📌" not in words, words
        else:  # the case's photo with it, as the live assignment sent it
            assert ping.method == "sendPhoto" and ping.params["photo"] == PHOTO, ping
            assert words.startswith("📌"), words
