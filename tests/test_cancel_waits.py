"""/cancel (or a typed "取消" / "cancel") while a step waits for typed words cancels that step
and says so; the next message is not taken as the note it waited for. From the sixth newcomer
trial: "办结" -> /cancel -> "nothing to cancel" -> "路上堵车，我晚点到" resolved the case.
Both languages; the worker's three typed steps and the resident's evaluation comment.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.cases.drafts import BUTTON_MEMORY
from storage.models import Case, CaseEvent, ConversationState
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import RESIDENT, WORKER, case_row, enrol

REPORT = {"zh": "路灯坏了，3栋门口黑漆漆的", "en": "The street light outside building 3 is broken"}
PLACE = {"zh": "翠湖苑3栋", "en": "Emerald Lake Court block 3"}
SUBMIT = {"zh": "提交", "en": "Submit"}
LATE = {"zh": "路上堵车，我晚点到", "en": "stuck in traffic, there in 10 minutes"}
CANCELLED = {"zh": "已取消", "en": "cancelled"}


async def _accepted_case(bot: BotHarness, lang: str) -> Case:
    code = "zh-hans" if lang == "zh" else "en"
    await enrol(bot, WORKER, "worker", lang=lang, grid_id="xinji-02")  # speaking `lang`
    for text in (REPORT[lang], "对" if lang == "zh" else "yes", PLACE[lang], SUBMIT[lang]):
        await bot.send(RESIDENT, text, language_code=code)
    await deliver_outbox(bot)
    await bot.send(WORKER, "接单" if lang == "zh" else "Accept", language_code=code)
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case))).scalar_one()
    assert case.status == "accepted", bot.texts(WORKER)[-2:]
    return case


async def _waiting(bot: BotHarness, telegram_id: int) -> list[str]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.execute(
            select(ConversationState.conversation).where(
                ConversationState.telegram_id == telegram_id
            )
        )
        return [name for name in rows.scalars() if name != BUTTON_MEMORY]


@pytest.mark.parametrize(
    ("lang", "action", "cancel"),
    [
        ("zh", "办结", "/cancel"),
        ("zh", "办结", "取消"),
        ("zh", "上报", "/cancel"),
        ("zh", "补充记录", "/cancel"),
        ("en", "Resolve", "/cancel"),
        ("en", "Resolve", "cancel"),
        ("en", "Escalate", "/cancel"),
        ("en", "Add note", "/cancel"),
    ],
)
async def test_cancel_stops_a_worker_s_typed_step(
    bot: BotHarness, lang: str, action: str, cancel: str
) -> None:
    case = await _accepted_case(bot, lang)
    status = "accepted"
    if action in ("补充记录", "Add note"):  # a note is added once the work has started
        await bot.press(WORKER, "开始处理" if lang == "zh" else "Start")
        status = "in_progress"
    await bot.press(WORKER, action)
    assert case.number in bot.last_text(WORKER)  # asked for the note / reason
    assert await _waiting(bot, WORKER) == ["staff"]
    await bot.send(WORKER, cancel)
    assert CANCELLED[lang] in bot.last_text(WORKER), bot.texts(WORKER)[-2:]
    assert await _waiting(bot, WORKER) == []
    await bot.send(WORKER, LATE[lang])
    assert (await case_row(bot, case.id)).status == status
    async with bot.runtime.db.transaction() as session:
        notes = await session.execute(select(CaseEvent.id).where(CaseEvent.note == LATE[lang]))
        assert notes.first() is None  # the words after /cancel are no note on the case


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_cancel_stops_the_evaluation_comment(bot: BotHarness, lang: str) -> None:
    case = await _accepted_case(bot, lang)
    await bot.press(WORKER, "办结" if lang == "zh" else "Resolve")
    await bot.send(WORKER, "换了灯泡" if lang == "zh" else "Replaced the bulb")
    await deliver_outbox(bot)
    await bot.send(RESIDENT, "解决了" if lang == "zh" else "Fixed")
    await deliver_outbox(bot)
    await bot.press(RESIDENT, "基本满意" if lang == "zh" else "Basically satisfied")
    await bot.press(RESIDENT, "写意见" if lang == "zh" else "comment")
    assert await _waiting(bot, RESIDENT) == ["evaluation"]
    await bot.send(RESIDENT, "/cancel")
    assert await _waiting(bot, RESIDENT) == []
    assert (await case_row(bot, case.id)).status == "closed"


@pytest.mark.parametrize(
    ("lang", "words", "press"),
    [
        ("zh", "已联系物业，明天上午换灯", "记到"),
        ("en", "Called the property company, they will replace the bulb tomorrow", "Note on"),
    ],
)
async def test_a_worker_s_progress_words_go_on_the_case_with_one_tap(
    bot: BotHarness, lang: str, words: str, press: str
) -> None:
    """Typed with no step waiting, a worker's words began a resident report under their name
    (sixth newcomer trial); the report now offers to file them as the note of the case the
    worker acted on last."""
    case = await _accepted_case(bot, lang)
    await bot.send(WORKER, words)
    assert case.number in bot.last_text(WORKER)  # "a note for GD-…?"
    await bot.press(WORKER, press)
    async with bot.runtime.db.transaction() as session:
        notes = list((await session.execute(select(CaseEvent.note).where(
            CaseEvent.case_id == case.id))).scalars())  # fmt: skip
    assert words in notes
    assert await _waiting(bot, WORKER) == []  # the report draft is gone
