"""After the numbers, what the resident types next (from the sixth newcomer trial):

- a question while the urgent case waits for its place is answered, never kept as its address;
- a typed "不是紧急情况 / not an emergency" stands the urgent case down wherever the resident
  is: straight after the numbers, after "算了 / never mind", after the place was given.
Both languages, through the real Application.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.models import Attachment, Case, CaseEvent
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import RESIDENT, SUPERVISOR, WORKER, enrol

FIRE = {"zh": "楼道里着火了，好多烟", "en": "there's a fire in our stairwell, smoke everywhere"}
CODE = {"zh": "zh-hans", "en": "en"}


async def urgent_case(bot: BotHarness) -> Case:
    async with bot.runtime.db.transaction() as session:
        return (await session.execute(select(Case))).scalar_one()


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("zh", "以后闻到煤气味应该找谁"),
        ("zh", "消防站的电话是多少？"),
        ("en", "what should I do if I ever smell gas?"),
        ("en", "where is the nearest fire station?"),
    ],
)
async def test_a_question_is_not_the_urgent_case_s_place(
    bot: BotHarness, lang: str, question: str
) -> None:
    await enrol(bot, SUPERVISOR, "supervisor")
    await bot.send(RESIDENT, FIRE[lang], language_code=CODE[lang])
    assert "119" in bot.texts(RESIDENT)[0]
    await bot.send(RESIDENT, question)
    case = await urgent_case(bot)
    assert case.address is None and case.grid_id is None, case.address
    await bot.send(RESIDENT, "翠湖苑3栋" if lang == "zh" else "Emerald Lake Court block 3")
    case = await urgent_case(bot)
    assert case.grid_id == "xinji-02", case.address  # the place still reaches the case


@pytest.mark.parametrize(
    ("lang", "before", "calm"),
    [
        ("zh", [], "不是紧急情况哦"),
        ("zh", ["算了"], "不是紧急情况"),
        ("zh", ["翠湖苑3栋"], "不是紧急情况哦"),
        ("zh", ["/cancel"], "🙅 不是紧急情况"),
        ("en", [], "it's not an emergency"),
        ("en", ["never mind"], "not an emergency"),
        ("en", ["Emerald Lake Court block 5"], "Not an emergency"),
        ("en", ["/cancel"], "🙅 Not an emergency"),
        # in the resident's own words (the seventh newcomer trial)
        ("zh", [], "不是紧急的，就是停水"),
        ("zh", ["翠湖苑3栋"], "虚惊一场 是楼下烧烤"),
        ("zh", [], "不好意思 发错了"),
        ("en", [], "false alarm, it was just someone's barbecue"),
        ("en", ["Emerald Lake Court block 5"], "sorry my son was playing with my phone"),
        ("en", [], "no no, that was just news from elsewhere"),
    ],
)
async def test_typing_not_an_emergency_stands_it_down_wherever_the_resident_is(
    bot: BotHarness, lang: str, before: list[str], calm: str
) -> None:
    await enrol(bot, SUPERVISOR, "supervisor")
    await bot.send(RESIDENT, FIRE[lang], language_code=CODE[lang])
    for text in before:
        await bot.send(RESIDENT, text)
    urgent = await urgent_case(bot)
    assert urgent.priority == "urgent"
    await bot.send(RESIDENT, calm)
    confirm = bot.runtime.catalog.t(lang, "emergency.calm_confirm", number=urgent.number)
    if confirm in bot.last_text(RESIDENT):  # the button's label alone asks once more
        await bot.send(RESIDENT, "是的" if lang == "zh" else "yes")
    case = await urgent_case(bot)
    assert case.priority != "urgent", bot.texts(RESIDENT)[-3:]
    assert any(case.number in text for text in bot.texts(RESIDENT)[-2:])


@pytest.mark.parametrize(
    ("lang", "report", "place", "caption"),
    [
        ("zh", "楼道里堆满了杂物", "翠湖苑3栋", "现在杂物着火了！"),
        ("en", "The stairwell is full of junk", "Emerald Lake Court block 3",
         "now the junk is on fire!"),
    ],
)  # fmt: skip
async def test_an_alarm_in_a_photo_s_caption_keeps_the_report_s_place_and_the_photo(
    bot: BotHarness, lang: str, report: str, place: str, caption: str
) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await bot.send(RESIDENT, report, language_code=CODE[lang])
    await bot.send(RESIDENT, "是的" if lang == "zh" else "yes")
    await bot.send(RESIDENT, place)
    await bot.feed(bot.api.photo_update(RESIDENT, caption=caption))
    assert "119" in " ".join(bot.texts(RESIDENT)[-6:])
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case).where(Case.priority == "urgent"))).scalar_one()
        photos = await session.scalar(
            select(func.count(Attachment.id)).where(Attachment.case_id == case.id)
        )
    assert (case.grid_id, case.address, photos) == ("xinji-02", place, 1)
    await deliver_outbox(bot)
    assert any(case.number in text for text in bot.texts(WORKER))  # the grid's worker alerted
    # the report it interrupted goes on at once (its place is known): it can be submitted
    await bot.press_keyboard(RESIDENT, "提交" if lang == "zh" else "Submit")
    assert len(await all_cases(bot)) == 2, bot.texts(RESIDENT)[-3:]


REPORT_LIGHT = {"zh": "路灯坏了，3栋门口黑漆漆的", "en": "The street light at building 3 is broken"}
BINS = {"zh": "门口的垃圾桶也满了好几天了", "en": "the bins by the gate are overflowing too"}
PLACE = {"zh": "翠湖苑3栋", "en": "Emerald Lake Court block 3"}
ALSO = {"zh": "也已记在紧急案件", "en": "also put on urgent case"}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_report_begun_while_the_urgent_case_has_no_place_gives_it_the_place(
    bot: BotHarness, lang: str
) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await bot.send(RESIDENT, FIRE[lang], language_code=CODE[lang])
    await bot.send(RESIDENT, BINS[lang])  # a new problem starts as itself
    await bot.send(RESIDENT, PLACE[lang])  # typed at the new report's step
    assert any(ALSO[lang] in text for text in bot.texts(RESIDENT)[-3:]), bot.texts(RESIDENT)[-3:]
    case = await urgent_case(bot)
    assert (case.grid_id, case.address) == ("xinji-02", PLACE[lang])
    await deliver_outbox(bot)
    assert any(case.number in text for text in bot.texts(WORKER))


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_cancelling_that_report_asks_the_urgent_case_s_place_again(
    bot: BotHarness, lang: str
) -> None:
    await enrol(bot, SUPERVISOR, "supervisor")
    await bot.send(RESIDENT, FIRE[lang], language_code=CODE[lang])
    await bot.send(RESIDENT, BINS[lang])
    await bot.send(RESIDENT, "/cancel")
    assert (await urgent_case(bot)).number in bot.last_text(RESIDENT)  # "…still needs its place"
    await bot.send(RESIDENT, PLACE[lang])
    assert (await urgent_case(bot)).grid_id == "xinji-02"


@pytest.mark.parametrize(
    ("lang", "typed", "reason"),
    [
        ("zh", "没解决，井盖还是没盖好，只是放了块木板", "井盖还是没盖好，只是放了块木板"),
        ("zh", "不是 灯还是不亮", "灯还是不亮"),
        ("en", "not fixed, the light is still off at night", "the light is still off at night"),
        ("en", "not fixed still flickering and sparking", "still flickering and sparking"),
        ("en", "no it is not fixed", None),  # the answer alone: asked why, as a press is
    ],
)
async def test_not_fixed_with_the_reason_in_one_message_reopens_with_it(
    bot: BotHarness, lang: str, typed: str, reason: str | None
) -> None:
    await enrol(bot, WORKER, "worker", lang=lang, grid_id="xinji-02")
    for text in (REPORT_LIGHT[lang], "是的" if lang == "zh" else "yes", PLACE[lang]):
        await bot.send(RESIDENT, text, language_code=CODE[lang])
    await bot.press_keyboard(RESIDENT, "提交" if lang == "zh" else "Submit")
    await deliver_outbox(bot)
    await bot.press(WORKER, "接单" if lang == "zh" else "Accept")
    await bot.press(WORKER, "办结" if lang == "zh" else "Resolve")
    await bot.send(WORKER, "换了灯泡" if lang == "zh" else "Replaced the bulb")
    await deliver_outbox(bot)
    await bot.send(RESIDENT, typed)
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case))).scalar_one()
        notes = list((await session.execute(select(CaseEvent.note))).scalars())
    assert case.status == "reopened", bot.texts(RESIDENT)[-3:]
    assert case.priority != "urgent"
    if reason is not None:
        assert any(reason in (note or "") for note in notes), notes  # the reason is on the case
        # the longest answer first: "not fixed", never "not" leaving "fixed, still…" as reason
        assert not any((note or "").startswith(("fixed", "解决")) for note in notes), notes


@pytest.mark.parametrize(
    ("lang", "crossing", "community", "unsure"),
    [
        ("zh", "东城路和红棉路交叉口", "新基", "不知道哪个网格"),
        ("en", "corner of Dongcheng Road and Hongmian Road", "Xinji", "no idea which grid"),
    ],
)
async def test_words_at_which_grid_keep_the_address_typed_before(
    bot: BotHarness, lang: str, crossing: str, community: str, unsure: str
) -> None:
    for text in (REPORT_LIGHT[lang], "是的" if lang == "zh" else "yes", crossing):
        await bot.send(RESIDENT, text, language_code=CODE[lang])
    await bot.press(RESIDENT, community)
    await bot.send(RESIDENT, unsure)
    # the grids again (a question is answered as one; other words are told the address stays)
    assert community in bot.last_text(RESIDENT), bot.texts(RESIDENT)[-2:]
    await bot.press(RESIDENT, "新基第二网格" if lang == "zh" else "Xinji Grid 2")
    await bot.press_keyboard(RESIDENT, "提交" if lang == "zh" else "Submit")
    case = (await all_cases(bot))[0]
    assert (case.address, case.grid_id) == (crossing, "xinji-02")


async def all_cases(bot: BotHarness) -> list[Case]:
    async with bot.runtime.db.transaction() as session:
        return list((await session.execute(select(Case))).scalars())


@pytest.mark.parametrize(
    ("lang", "alarm", "place", "more"),
    [
        ("zh", "我妈有老年痴呆 下午出门到现在还没回来", "翠湖苑3栋", "她穿着红色外套，75岁"),
        ("en", "my dad has dementia and hasn't come back since lunch", "Emerald Lake Court block 3",
         "he is 80, wearing a grey jacket and a blue cap"),
        # news for the staff once the place is known (the seventh newcomer trial)
        ("zh", "楼道里着火了，好多烟", "翠湖苑3栋", "消防车到了"),
        ("zh", "楼道里着火了，好多烟", "翠湖苑3栋", "火已经扑灭了，三楼的王阿姨被消防员背下来了"),
        ("en", "someone collapsed in the lobby and isn't breathing", "Emerald Lake Court block 3",
         "the ambulance is here now, they're taking him to hospital"),
        ("zh", "我妈有老年痴呆 下午出门到现在还没回来", "翠湖苑3栋", "外婆自己回来了 谢谢你们"),
        # the responders' coming and going, whatever type the model guesses (seventh session)
        ("zh", "楼道里着火了，好多烟", "翠湖苑3栋", "救护车来了 人已经抬下来了"),
        ("zh", "楼道里着火了，好多烟", "翠湖苑3栋", "警车到了"),
        ("en", "fire in the stairwell, lots of smoke", "Emerald Lake Court block 3",
         "the fire engine just arrived"),
        ("en", "someone collapsed in the lobby and isn't breathing", "Emerald Lake Court block 3",
         "paramedics are here"),
    ],
)  # fmt: skip
async def test_more_words_about_an_emergency_reach_the_staff_alerted(
    bot: BotHarness, lang: str, alarm: str, place: str, more: str
) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await bot.send(RESIDENT, alarm, language_code=CODE[lang])
    await bot.send(RESIDENT, place)
    await deliver_outbox(bot)
    await bot.send(RESIDENT, more)
    await deliver_outbox(bot)
    case = await urgent_case(bot)
    assert more in case.text and case.address == place
    assert any(more in text for text in bot.texts(WORKER)), bot.texts(WORKER)[-2:]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_urgent_cases_come_first_and_marked_on_desk_and_tasks(
    bot: BotHarness, lang: str
) -> None:
    await enrol(bot, SUPERVISOR, "supervisor", lang=lang, community_id="xinji")
    for text in (REPORT_LIGHT[lang], "是的" if lang == "zh" else "yes", PLACE[lang]):
        await bot.send(RESIDENT, text, language_code=CODE[lang])
    await bot.press_keyboard(RESIDENT, "提交" if lang == "zh" else "Submit")  # nobody on duty
    await bot.send(RESIDENT + 1, FIRE[lang] + " " + PLACE[lang], language_code=CODE[lang])
    urgent = next(c for c in await all_cases(bot) if c.priority == "urgent")
    await bot.send(SUPERVISOR, "/desk")
    lines = [
        line
        for text in bot.texts(SUPERVISOR)[-6:]
        for line in text.splitlines()
        if "GD-" in line and line.startswith(("•", "🚨"))
    ]
    assert len(lines) == 2 and lines[0].startswith("🚨"), bot.texts(SUPERVISOR)[-6:]
    assert urgent.number in lines[0] and not lines[1].startswith("🚨")


RUBBISH = {"zh": "楼下的垃圾三天没人收了，臭死了", "en": "Rubbish has not been collected for days"}
CONTINUE = {"zh": "继续刚才那件", "en": "Continue"}
START_NEW = {"zh": "开始新的一件", "en": "Start"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("choice", ["continue", "start new"])
async def test_continue_or_new_keeps_both_reports(bot: BotHarness, lang: str, choice: str) -> None:
    """Two reports at once (sixth newcomer trial): whichever is chosen, the other waits and
    comes next (the new one waiting is offered first: "you also mentioned …"); both are filed."""
    yes, submit = ("是的", "提交") if lang == "zh" else ("yes", "Submit")
    for text in (REPORT_LIGHT[lang], yes, PLACE[lang]):
        await bot.send(RESIDENT, text, language_code=CODE[lang])
    await bot.send(RESIDENT, RUBBISH[lang])  # a clearly new problem: "continue or new?"
    await bot.press(RESIDENT, CONTINUE[lang] if choice == "continue" else START_NEW[lang])
    if choice == "continue":
        await bot.press_keyboard(RESIDENT, submit)  # the street light, filed
        await bot.send(RESIDENT, yes)  # "you also mentioned the rubbish: file it now?"
        await bot.send(RESIDENT, yes)  # the rubbish comes next: its type confirmed
        await bot.send(RESIDENT, PLACE[lang])
        await bot.press_keyboard(RESIDENT, submit)
    else:
        await bot.send(RESIDENT, yes)  # the rubbish first
        await bot.send(RESIDENT, PLACE[lang])
        await bot.press_keyboard(RESIDENT, submit)
        await bot.press_keyboard(RESIDENT, submit)  # the street light comes back at its step
    texts = sorted(c.text for c in await all_cases(bot))
    assert texts == sorted([REPORT_LIGHT[lang], RUBBISH[lang]]), bot.texts(RESIDENT)[-6:]


COLLAPSE = {"zh": "有个老人晕倒在路边了，叫不醒", "en": "my neighbour collapsed, not breathing"}


@pytest.mark.parametrize(
    ("lang", "typed", "kind"),
    [
        ("zh", "她穿红色外套，七十多岁", "details"),
        ("en", "she is wearing a red coat", "details"),
        ("zh", "要不要先给他喂点水？", "question"),
        ("en", "should I do CPR?", "question"),
        ("zh", "不是紧急情况哦，他们已经散了", "calm"),
        ("en", "it is not an emergency, they got out", "calm"),
    ],
)
async def test_words_before_the_urgent_case_s_place(
    bot: BotHarness, lang: str, typed: str, kind: str
) -> None:
    """Typed while the urgent case waits for its place (second trial of the session): details
    join the case and reach the staff alerted; a question is pointed to 120's first-aid
    guidance; 'not an emergency' with more words stands it down. Never the case's address."""
    await enrol(bot, SUPERVISOR, "supervisor")
    await bot.send(RESIDENT, COLLAPSE[lang], language_code=CODE[lang])
    await deliver_outbox(bot)
    await bot.send(RESIDENT, typed)
    await deliver_outbox(bot)
    case = await urgent_case(bot) if kind != "calm" else (await all_cases(bot))[0]
    assert case.address is None, case.address
    if kind == "details":
        assert typed in case.text
        assert any(typed in text for text in bot.texts(SUPERVISOR)), bot.texts(SUPERVISOR)[-2:]
    elif kind == "question":
        assert "120" in " ".join(bot.texts(RESIDENT)[-2:]), bot.texts(RESIDENT)[-2:]
    else:
        assert case.priority != "urgent"


@pytest.mark.parametrize(
    ("lang", "first", "edited"),
    [
        ("zh", "楼道里有烟", "楼道里有烟，有人晕倒在门口了"),
        ("en", "there is smoke in the stairwell", "smoke in the stairwell, a man collapsed"),
    ],
)  # fmt: skip
async def test_an_edit_into_more_emergency_words_reaches_the_staff_alerted(
    bot: BotHarness, lang: str, first: str, edited: str
) -> None:
    """Second trial of the session: with an urgent case open, such an edit got only "edits do
    not change what was noted"; its words now join the case and reach the staff alerted."""
    await enrol(bot, SUPERVISOR, "supervisor")
    update = bot.api.text_update(RESIDENT, first, language_code=CODE[lang])
    await bot.feed(update)
    await deliver_outbox(bot)
    message = dict(update["message"], text=edited, edit_date=update["message"]["date"] + 5)
    await bot.feed({"update_id": 10**6, "edited_message": message})
    await deliver_outbox(bot)
    case = await urgent_case(bot)
    assert edited in case.text and len(await all_cases(bot)) == 1
    assert any(edited in text for text in bot.texts(SUPERVISOR)), bot.texts(SUPERVISOR)[-2:]


@pytest.mark.parametrize(
    ("lang", "first", "edited", "case_type"),
    [
        ("zh", "楼道灯不亮了", "楼下垃圾桶满了好几天没人清，臭死了", "sanitation"),
        ("en", "the hallway light is out", "the bins downstairs have not been emptied for days",
         "sanitation"),
    ],
)  # fmt: skip
async def test_an_edit_at_the_confirm_step_is_read_again(
    bot: BotHarness, lang: str, first: str, edited: str, case_type: str
) -> None:
    """Second trial of the session: the type to confirm stayed the one read before the edit,
    and a typed yes filed the edited words under it."""
    update = bot.api.text_update(RESIDENT, first, language_code=CODE[lang])
    await bot.feed(update)
    message = dict(update["message"], text=edited, edit_date=update["message"]["date"] + 5)
    await bot.feed({"update_id": 10**6, "edited_message": message})
    await bot.send(RESIDENT, "是的" if lang == "zh" else "yes")
    await bot.send(RESIDENT, PLACE[lang])
    await bot.press_keyboard(RESIDENT, "提交" if lang == "zh" else "Submit")
    (case,) = await all_cases(bot)
    assert (case.text, case.case_type) == (edited, case_type)


@pytest.mark.parametrize(
    ("lang", "place", "kind", "not_kind"),
    [
        ("zh", "翠湖苑3栋", "紧急情况", "安全隐患"),
        ("en", "Emerald Lake Court block 3", "emergency", "Safety hazard"),
    ],
)
async def test_an_urgent_case_is_said_as_an_emergency_not_as_its_report_type(
    bot: BotHarness, lang: str, place: str, kind: str, not_kind: str
) -> None:
    """Filed under a report type for its duty chain, an urgent case is still told to the
    resident and the worker as an emergency (the seventh newcomer trial read "a fire with
    people inside (safety hazard) went to the grid worker")."""
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await bot.send(RESIDENT, FIRE[lang], language_code=CODE[lang])
    await bot.send(RESIDENT, place)
    await deliver_outbox(bot)
    number = (await urgent_case(bot)).number
    told = [t for t in bot.texts(RESIDENT) + bot.texts(WORKER) if number in t]
    assert any(kind in t for t in told), told
    assert not any(not_kind in t for t in told), told


@pytest.mark.parametrize(
    ("lang", "undone", "withdraw", "confirm"),
    [
        ("zh", "发错了，其实是电视里的声音", "撤回这个问题", "确认撤回"),
        ("zh", "虚惊一场 是邻居在烧纸", "撤回这个问题", "确认撤回"),
        ("en", "sorry, false alarm, it was the TV", "Withdraw this case", "Withdraw it"),
    ],
)
async def test_a_false_alarm_stands_down_and_may_then_be_withdrawn(
    bot: BotHarness, lang: str, undone: str, withdraw: str, confirm: str
) -> None:
    """Nothing happened at all: stood down as any "not an emergency" (staff told), and the
    resident is offered to withdraw the case, so nobody goes out for it."""
    await enrol(bot, SUPERVISOR, "supervisor")
    await bot.send(RESIDENT, FIRE[lang], language_code=CODE[lang])
    await bot.send(RESIDENT, undone)
    case = await urgent_case(bot)
    assert case.priority != "urgent" and case.status != "cancelled"
    await bot.press(RESIDENT, withdraw)
    await bot.press(RESIDENT, confirm)
    assert (await urgent_case(bot)).status == "cancelled", bot.texts(RESIDENT)[-3:]
