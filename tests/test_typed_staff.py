"""Staff and follow-up steps answered by typing: a worker types "接单" at the ping, a
resident types "解决了" or "是的" at "fixed?", a worker's after-photo joins the case, a
supervisor types "跳过" and "10人" in the call-out wizard. Both languages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from handlers.replies import Replies, inline
from handlers.typed import shown_buttons
from storage.models import Attachment, Case
from storage.volunteers import CallOut
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import (
    RESIDENT,
    SUPERVISOR,
    WORKER,
    case_row,
    centre_of,
    enrol,
    escalated_street_light,
    report_street_light,
)

NEIGHBOUR = RESIDENT + 77
REPORT = {"zh": "路灯坏了，3栋门口黑漆漆的", "en": "The street light outside building 3 is broken"}
PLACE = {"zh": "翠湖苑", "en": "Emerald Lake Court"}
SUBMIT = {"zh": "提交", "en": "Submit"}


async def _filed_and_pinged(bot: BotHarness, lang: str) -> Case:
    code = "zh-hans" if lang == "zh" else "en"
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    for text in (REPORT[lang], "对" if lang == "zh" else "yes", PLACE[lang], SUBMIT[lang]):
        await bot.send(RESIDENT, text, language_code=code)
    await deliver_outbox(bot)
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case))).scalar_one()
    return case


@pytest.mark.parametrize(
    ("lang", "accept", "fixed"),
    [
        ("zh", "接单", "解决了"),
        ("zh", "✅ 接单", "是的"),
        ("en", "Accept", "yes"),
        ("en", "accept", "Fixed"),
        ("en", "Accept", "yes it is fixed"),
        ("zh", "接单", "是的，已经解决了"),
    ],
)
async def test_typed_answers_to_delivered_messages(
    bot: BotHarness, lang: str, accept: str, fixed: str
) -> None:
    case = await _filed_and_pinged(bot, lang)
    await bot.send(WORKER, accept)
    assert (await case_row(bot, case.id)).status == "accepted", bot.texts(WORKER)[-2:]
    await bot.send(WORKER, "办结" if lang == "zh" else "Resolve")
    await bot.send(WORKER, "换了灯泡，路灯亮了" if lang == "zh" else "Replaced the bulb")
    assert (await case_row(bot, case.id)).status == "resolved", bot.texts(WORKER)[-2:]
    # The after-photo, sent once the note was typed, joins the case (no new report).
    await bot.feed(bot.api.photo_update(WORKER, caption="修好后" if lang == "zh" else "after"))
    assert case.number in bot.last_text(WORKER)
    async with bot.runtime.db.transaction() as session:
        photos = await session.scalar(
            select(func.count(Attachment.id)).where(Attachment.case_id == case.id)
        )
    assert photos == 1
    await deliver_outbox(bot)
    await bot.send(RESIDENT, fixed)
    assert (await case_row(bot, case.id)).status == "closed", bot.texts(RESIDENT)[-2:]


@pytest.mark.parametrize(
    ("skip", "needed", "count"), [("跳过", "10人", 10), ("Skip", "12", 12), ("skip", "5个人", 5)]
)
async def test_the_callout_wizard_typed_through(
    bot: BotHarness, skip: str, needed: str, count: int
) -> None:
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    for text in ("/callout", "Flu jabs for the elderly", "Xinji community hall", skip):
        await bot.send(SUPERVISOR, text)
    await bot.send(SUPERVISOR, "Saturday 9:00-11:30")
    await bot.press(SUPERVISOR, "First aid")
    await bot.press(SUPERVISOR, "Next")
    await bot.send(SUPERVISOR, needed)
    await bot.press(SUPERVISOR, "All volunteers")
    await bot.press(SUPERVISOR, "Send")
    async with bot.runtime.db.transaction() as session:
        callout = (await session.execute(select(CallOut))).scalar_one()
        urgent = await session.scalar(select(func.count(Case.id)).where(Case.priority == "urgent"))
    assert callout.needed == count and urgent == 0


@pytest.mark.parametrize(
    ("lang", "question"),
    [("zh", "请问社区能帮忙找律师吗"), ("en", "can the community help me find a lawyer")],
)
async def test_a_question_nobody_can_receive_is_not_called_passed_on(
    bot: BotHarness, lang: str, question: str
) -> None:
    """No supervisor and no duty chat: the resident hears the truth, not "passed on"."""
    code = "zh-hans" if lang == "zh" else "en"
    await bot.send(RESIDENT, question, language_code=code)
    ask_staff = "工作人员" if lang == "zh" else "staff"
    if not any(ask_staff in label for label, _ in bot.api.buttons(bot.calls(RESIDENT)[-1])):
        # Read as a report: the confirm screen's "It's a question" moves it to the FAQ path.
        await bot.press(RESIDENT, "问问题" if lang == "zh" else "question")
    await bot.press(RESIDENT, ask_staff)
    await bot.press(RESIDENT, "新基" if lang == "zh" else "Xinji")
    async with bot.runtime.db.transaction() as session:
        (case,) = (await session.execute(select(Case))).scalars().all()
    told = bot.runtime.catalog.t(lang, "consult.nobody", number=case.number)
    assert bot.last_text(RESIDENT) == told


@pytest.mark.parametrize(
    ("lang", "alarm", "more"),
    [
        ("zh", "楼里着火了，浓烟很大，有人被困", "对"),
        ("en", "There is a gas leak, strong smell of gas", "yes"),
    ],
)
async def test_with_nobody_to_tell_no_step_says_help_is_coming(
    bot: BotHarness, lang: str, alarm: str, more: str
) -> None:
    """No staff and no duty chat: every answer after the numbers says to call them yourself,
    never "staff alerted" or "wait for help"."""
    code = "zh-hans" if lang == "zh" else "en"
    t = bot.runtime.catalog.t
    await bot.send(RESIDENT, alarm, language_code=code)
    await bot.send(RESIDENT, more, language_code=code)
    await bot.share_location(RESIDENT, *bot.runtime.city.grids["xinji-02"].centre())
    async with bot.runtime.db.transaction() as session:
        number = (await session.execute(select(Case.number))).scalar_one()
    replies = bot.texts(RESIDENT)
    for promise in ("emergency.case_opened", "emergency.located", "emergency.added"):
        assert t(lang, promise, number=number) not in replies
    assert t(lang, "emergency.located_nobody", number=number) in replies
    # the first says so and asks where: a place could find its grid's worker
    assert t(lang, "delivery.emergency_nobody_yet", number=number) in replies


async def test_a_label_on_a_newer_ping_wins_over_an_older_reply(bot: BotHarness) -> None:
    # /tasks showed case 1's buttons; then case 2's ping arrived. "Escalate" means case 2.
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    first = await report_street_light(bot)
    await deliver_outbox(bot)
    await bot.send(WORKER, "/tasks")
    assert any(first.number in t for t in bot.texts(WORKER)[-3:])
    await bot.send(NEIGHBOUR, "垃圾桶满了好几天没人清理，臭得不行")
    await bot.press(NEIGHBOUR, "对")
    await bot.share_location(NEIGHBOUR, *centre_of(bot, "xinji-02"))
    await bot.press_keyboard(NEIGHBOUR, "提交")
    await deliver_outbox(bot)
    async with bot.runtime.db.transaction() as session:
        second = (await session.execute(select(Case).order_by(Case.id.desc()))).scalars().first()
    assert second is not None and second.id != first.id
    await bot.send(WORKER, "escalate")
    assert f"Why does {second.number} need escalating?" in bot.last_text(WORKER)


def test_every_inline_keyboard_of_a_reply_is_remembered() -> None:
    # /desk answers in several messages, each with its buttons: all are remembered, newest
    # first, so a typed label finds its button whichever message it was on.
    out = Replies()
    out.say("escalated", inline([[("👤 Reassign", "sv:pick:1")]]))
    out.say("overdue", inline([[("🏛️ Forward", "fw:f:2")]]))
    out.say("none")
    keyboards, superseded = shown_buttons(out)
    assert keyboards == [[["🏛️ Forward", "fw:f:2"]], [["👤 Reassign", "sv:pick:1"]]]
    assert not superseded


@pytest.mark.parametrize("typed", ["转办", "🏛️ 转办", "forward"])
async def test_a_desk_label_typed_in_either_language_presses_it(
    bot: BotHarness, typed: str
) -> None:
    # The English supervisor types the Chinese label (or the English one): the case is
    # forwarded, and one Chinese word does not switch the supervisor's language.
    case = await escalated_street_light(bot)
    await bot.send(SUPERVISOR, "/desk")
    await bot.send(SUPERVISOR, typed)
    # Forward was pressed (this city has no department chat yet: the press says so, in English)
    assert bot.last_text(SUPERVISOR).startswith("Not forwarded: the Urban Management")
    assert (await case_row(bot, case.id)).status == "escalated"
    await bot.send(SUPERVISOR, "/desk")
    assert any("Escalated" in t or "Nobody has these" in t for t in bot.texts(SUPERVISOR)[-4:])
