"""From the eleventh newcomer trial: the urgent case and what follows it.

Item 1: an emergency raised in the middle of a report, in a grid with no worker and no
supervisor (Hongmian: 红棉苑, Kapok Villa), was said to have "alerted staff there" with no alert
in the outbox. What the resident is told now comes from the outbox rows of the urgent case,
the same reading as for an alarm on its own: nobody reached, call 110/119/120 yourself.

Item 2: "they've been found" after a missing-person alarm was lost (first-aid advice, a school
FAQ, a greeting, the place asked again). Words saying the person or the danger is found, safe
or over, while an urgent case of the resident's is open, join that case with an event, the
staff alerted are told to check and close it, and the resident hears so; the place is no
longer asked. A new danger after them ("找到了，但是他昏迷了") is still an emergency.

Item 3: a report edited into an emergency ("…里面困着一个老人，喊不应") got the numbers and "send it
as a new message", but its words were also folded into the draft, later filed as an ordinary
report. Now the draft is left as it was.

Item 4: a photo's caption on an urgent case joins its words and goes with the photo. Item 5: a
typed part or other words of "✅ 就在这里" ("就在这", "right there") is the button. Item 6: a case
stood down before it had a place is not asked for one any more and stays on every
supervisor's /desk. Item 7: "Not an emergency" asks once more (a typed yes/no answers).

Each row asserts what the resident sees and what the store and the outbox hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from storage.models import Case, CaseEvent, ConversationState, OutboxMessage
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import RESIDENT, SUPERVISOR, WORKER, enrol
from tests.support.conversation import REACH, Runner, facts_of

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


# ---- item 2: "found", "safe", "over" is news for the open urgent case ----------------------

MUM = "我妈有老年痴呆，早上出门到现在还没回来，电话也打不通"
KID = "我家孩子放学两个小时了还没回家，到处找不到"
DAD = "my dad has dementia and wandered off, he hasn't come back"
SON = "my 6 year old son is missing, he was playing outside and now I can't find him"
FIRE_ZH = "翠湖苑3栋楼道里着火了，好多烟"
FIRE_EN = "there's a fire in the stairwell at Emerald Lake Court"


@dataclass(frozen=True)
class Over:
    id: str
    lang: str
    alarm: str
    before: tuple[str, ...]  # said after the alarm, before the words
    words: str
    settled: bool  # False: a new danger after "found": still an emergency


OVER = [
    # the trial's rows
    Over("zh-mum-found", "zh", MUM, (), "找到了，她在邻居家坐着呢", True),
    Over("zh-kid-found", "zh", KID, (), "孩子找到了 在同学家", True),
    Over("en-dad-found", "en", DAD, (), "found him, he was at the neighbours. all good now", True),
    # siblings: home, back, safe, over, the fire out; before or after the place was given
    Over("zh-mum-home", "zh", MUM, (), "她已经到家了，没事了", True),
    Over("zh-kid-back-placed", "zh", KID, ("翠湖苑",), "人回来了，安全了", True),
    Over("zh-fire-out", "zh", FIRE_ZH, (), "火已经灭了，大家都没事", True),
    Over("en-son-home", "en", SON, (), "he's back home now, safe", True),
    Over("en-dad-found-placed", "en", DAD, ("Emerald Lake Court",),
         "we found my dad, he is safe now", True),
    Over("en-fire-out", "en", FIRE_EN, (), "the fire is out, it's over", True),
    # a new danger after "found": the numbers again, the words as an emergency's
    Over("zh-found-unconscious", "zh", MUM, (), "找到了，但是她昏迷了，叫不醒", False),
    Over("en-found-not-breathing", "en", DAD, (), "found him but he's not breathing", False),
]  # fmt: skip


@pytest.mark.parametrize("row", OVER, ids=[r.id for r in OVER])
async def test_found_safe_over_goes_to_the_urgent_case(bot: BotHarness, row: Over) -> None:
    await enrol(bot, WORKER, "worker", lang=row.lang, grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", lang=row.lang, community_id="xinji")
    code = CODE[row.lang]
    await bot.send(RESIDENT, row.alarm, language_code=code)
    for words in row.before:
        await bot.send(RESIDENT, words, language_code=code)
    await deliver_outbox(bot)
    staff_seen = len(bot.texts(SUPERVISOR))
    seen = len(bot.texts(RESIDENT))
    await bot.send(RESIDENT, row.words, language_code=code)
    said = _said(bot, seen)
    t = bot.runtime.catalog.t
    (urgent,) = await _cases(bot)  # no report, no second case
    assert urgent.priority == "urgent" and urgent.status not in ("closed", "cancelled")
    assert urgent.text.endswith(row.words), urgent.text
    settled = t(row.lang, "emergency.settled", number=urgent.number)
    need_place = t(row.lang, "emergency.still_need_place", number=urgent.number)
    first_aid = t(row.lang, "emergency.ask_on_the_phone")
    async with bot.runtime.db.transaction() as session:
        notes = list(await session.scalars(select(CaseEvent.note)))
        step = await session.get(ConversationState, (RESIDENT, "report"))
    await deliver_outbox(bot)
    staff = "\n".join(bot.texts(SUPERVISOR)[staff_seen:])
    heading = t(row.lang, "delivery.emergency_settled_to_staff", number=urgent.number)
    if row.settled:
        assert settled in said and need_place not in said and first_aid not in said, said
        assert "110" not in said.split(settled)[0], said  # no new alarm
        assert f"resident says it is over: {row.words}" in notes
        assert step is None or step.state != "emergency_location"  # the place is not asked
        assert heading in staff and row.words in staff, staff
    else:
        assert "110" in said and settled not in said, said
        assert not any((n or "").startswith("resident says it is over") for n in notes)
        assert heading not in staff and row.words in staff, staff


# ---- item 3: an edit into an emergency leaves the draft as it was ------------------------


@dataclass(frozen=True)
class Edited:
    id: str
    lang: str
    report: str
    edited: str
    place: str  # typed if "where is it?" is asked


EDITED = [
    # the trial's row
    Edited("zh-lift-trapped", "zh", "金丰花园3栋电梯坏了",
           "金丰花园3栋电梯坏了，里面困着一个老人，喊不应", "金丰花园"),
    # siblings: the report's own subject turning dangerous, or a person hurt beside it
    Edited("zh-rubbish-fire", "zh", "翠湖苑3栋楼道里堆满了杂物",
           "翠湖苑3栋楼道里堆满了杂物，现在着火了，好多烟", "翠湖苑"),
    Edited("zh-light-fall", "zh", "翠湖苑5栋路灯坏了",
           "翠湖苑5栋路灯坏了，有个老人摔倒了，流了好多血，叫不醒", "翠湖苑"),
    Edited("en-lift-trapped", "en", "The elevator in Jinfeng Garden block 3 is broken again",
           "The elevator in Jinfeng Garden block 3 is broken again, an old man is trapped inside "
           "and not answering", "Jinfeng Garden"),
    Edited("en-rubbish-fire", "en", "rubbish piled up in the stairwell at Emerald Lake Court",
           "rubbish piled up in the stairwell at Emerald Lake Court, now it's on fire, smoke "
           "everywhere", "Emerald Lake Court"),
]  # fmt: skip


@pytest.mark.parametrize("row", EDITED, ids=[r.id for r in EDITED])
async def test_an_edit_into_an_emergency_leaves_the_draft(bot: BotHarness, row: Edited) -> None:
    runner = Runner(bot, row.lang, uid=RESIDENT)
    await runner.run(("text", row.report))
    before = await facts_of(bot, RESIDENT)
    seen = len(bot.texts(RESIDENT))
    await runner.run(("edit", 0, row.edited))
    said = _said(bot, seen)
    t = bot.runtime.catalog.t
    assert "110" in said and t(row.lang, "conversation.edit_emergency") in said, said
    assert t(row.lang, "conversation.edit_applied") not in said, said
    after = await facts_of(bot, RESIDENT)
    assert after.cases == [] and after.state == before.state  # no urgent case from an edit
    assert after.draft is not None and after.draft.text == row.report
    # the report goes on with its own words, an ordinary one
    await runner.run(("press", "对" if row.lang == "zh" else "Yes"))
    if (await facts_of(bot, RESIDENT)).state == "location":
        await runner.run(("text", row.place))
    await runner.run(("text", "提交" if row.lang == "zh" else "Submit"))
    (filed,) = (await facts_of(bot, RESIDENT)).cases
    assert filed.text == row.report and filed.priority != "urgent"


# ---- item 4: a photo's caption joins the urgent case and goes with the photo -------------


@dataclass(frozen=True)
class Captioned:
    id: str
    lang: str
    alarm: str
    before: tuple[str, ...]
    caption: str


COLLAPSE_ZH = "翠湖苑5栋门口有个老人晕倒了，叫不醒"
COLLAPSE_EN = "an old man collapsed at Emerald Lake Court, he is not breathing"
CAPTIONED = [
    # the trial's row: the place known, the place step still open
    Captioned("zh-collapse-placed", "zh", COLLAPSE_ZH, (), "老人躺在单元门口"),
    # siblings: before the place, after it (no step open), in English
    Captioned("zh-missing-placeless", "zh", MUM, (), "这是我妈，穿红色外套"),
    Captioned("zh-missing-placed", "zh", MUM, ("翠湖苑",), "她最后出现在公园门口"),
    Captioned("en-collapse-placed", "en", COLLAPSE_EN, (), "he is lying at the door of block 5"),
    Captioned("en-missing-placed", "en", DAD, ("Emerald Lake Court",), "this is him, grey coat"),
]


@pytest.mark.parametrize("row", CAPTIONED, ids=[r.id for r in CAPTIONED])
async def test_a_photo_caption_joins_the_urgent_case(bot: BotHarness, row: Captioned) -> None:
    await enrol(bot, WORKER, "worker", lang=row.lang, grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", lang=row.lang, community_id="xinji")
    runner = Runner(bot, row.lang, uid=RESIDENT)
    for words in (row.alarm, *row.before):
        await runner.run(("text", words))
    await deliver_outbox(bot)
    seen, staff_seen = len(bot.texts(RESIDENT)), len(bot.texts(SUPERVISOR))
    await runner.run(("photo", row.caption))
    (urgent,) = await _cases(bot)
    t = bot.runtime.catalog.t
    assert t(row.lang, "emergency.photo_added", number=urgent.number) in _said(bot, seen)
    assert urgent.priority == "urgent" and urgent.text.endswith(row.caption), urgent.text
    assert (await facts_of(bot, RESIDENT)).photos == 1
    await deliver_outbox(bot)
    heading = t(row.lang, "delivery.emergency_photo_to_staff", number=urgent.number)
    photos = [
        str(c.params.get("caption") or "")
        for c in bot.calls(SUPERVISOR)[staff_seen:]
        if c.method.lower().endswith("photo")
    ]
    assert any(heading in p and row.caption in p for p in photos), photos


# ---- item 5: a part or other words of "✅ 就在这里" act as the button ----------------------


@dataclass(frozen=True)
class Here:
    id: str
    lang: str
    mid_report: bool  # the alarm came while a report was open at 翠湖苑 (then "is it there?")
    typed: str


HERE = [
    Here("zh-part", "zh", True, "就在这"),  # the trial's row
    Here("zh-there", "zh", True, "就在那里"),
    Here("zh-is-here", "zh", True, "是这里"),
    Here("zh-label-alone", "zh", False, "就在这"),
    Here("en-right-there", "en", True, "right there"),
    Here("en-part", "en", True, "it's right"),
    Here("en-here", "en", True, "it's here"),
    Here("en-label-alone", "en", False, "right there"),
]
HERE_ALARM = {"zh": "楼上有个男的在打老婆，一直在喊救命",
              "en": "my neighbour is beating his wife now, she is screaming"}  # fmt: skip
HERE_FIRE = {"zh": "翠湖苑3栋楼道里着火了，好多烟",
             "en": "there's a fire in the stairwell at Emerald Lake Court block 3"}  # fmt: skip


@pytest.mark.parametrize("row", HERE, ids=[r.id for r in HERE])
async def test_a_typed_part_of_here_is_the_button(bot: BotHarness, row: Here) -> None:
    await enrol(bot, WORKER, "worker", lang=row.lang, grid_id="xinji-02")
    runner = Runner(bot, row.lang, uid=RESIDENT)
    if row.mid_report:
        for action in REACH[row.lang]["details"]:
            await runner.run(action)
        await runner.run(("text", HERE_ALARM[row.lang]))
    else:
        await runner.run(("text", HERE_FIRE[row.lang]))
    (urgent,) = [c for c in (await facts_of(bot, RESIDENT)).cases if c.priority == "urgent"]
    seen = len(bot.texts(RESIDENT))
    await runner.run(("text", row.typed))
    said = _said(bot, seen)
    t = bot.runtime.catalog.t
    assert t(row.lang, "emergency.place_kept", number=urgent.number) in said, said
    assert t(row.lang, "emergency.is_it_here", number=urgent.number) not in said, said
    facts = await facts_of(bot, RESIDENT)
    (after,) = [c for c in facts.cases if c.priority == "urgent"]
    assert after.text == urgent.text and after.grid_id == "xinji-02"  # not "more words"
    # the report it interrupted comes back at its step; else nothing is asked any more
    assert facts.state == ("details" if row.mid_report else None)
    await deliver_outbox(bot)
    assert not any(row.typed in text for text in bot.texts(WORKER)), bot.texts(WORKER)


# ---- item 6: a stood-down case with no place: not asked for, still on a /desk -------------


@dataclass(frozen=True)
class Calmed:
    id: str
    lang: str
    alarm: str
    calm: tuple[str, ...]  # typed, or "press:<label part>"


CALMED = [
    Calmed("en-false-alarm", "en", DAD, ("false alarm, he is home now",)),  # the trial's row
    Calmed("zh-false-alarm", "zh", MUM, ("虚惊一场，她已经回来了",)),
    Calmed("zh-sent-by-mistake", "zh", KID, ("不好意思 发错了",)),
    Calmed("en-phone", "en", SON, ("sorry my son was playing with my phone",)),
    Calmed("zh-button", "zh", MUM, ("press:不是紧急情况", "是的")),
    Calmed("en-button", "en", DAD, ("press:Not an emergency", "press:Yes, not")),
]


@pytest.mark.parametrize("row", CALMED, ids=[r.id for r in CALMED])
async def test_a_stood_down_case_with_no_place(bot: BotHarness, row: Calmed) -> None:
    await enrol(bot, SUPERVISOR, "supervisor", lang=row.lang, community_id="xinji")
    code = CODE[row.lang]
    await bot.send(RESIDENT, row.alarm, language_code=code)
    seen = len(bot.texts(RESIDENT))
    for calm in row.calm:
        if calm.startswith("press:"):
            await bot.press(RESIDENT, calm.removeprefix("press:"))
        else:
            await bot.send(RESIDENT, calm, language_code=code)
    said = _said(bot, seen)
    t = bot.runtime.catalog.t
    (case,) = await _cases(bot)
    assert case.priority != "urgent" and case.grid_id is None
    assert t(row.lang, "emergency.stood_down", number=case.number) in said, said
    assert t(row.lang, "emergency.still_need_place", number=case.number) not in said, said
    assert (await facts_of(bot, RESIDENT)).state is None  # no step waits for its place
    # no grid: still on the community supervisor's /desk, as when it was urgent
    await bot.send(SUPERVISOR, "/desk", language_code=code)
    assert any(case.number in text for text in bot.texts(SUPERVISOR)[-8:])


# ---- item 7: "Not an emergency" asks once more before the case is downgraded --------------


@dataclass(frozen=True)
class Confirmed:
    id: str
    lang: str
    first: str  # "press:<label part>" or typed
    answer: str  # "press:<label part>" or typed
    downgraded: bool


COLLAPSE = {"zh": "有个老人倒在地上了，没有呼吸", "en": "a man collapsed here, he's not breathing"}
CONFIRMED = [
    Confirmed("zh-press-yes", "zh", "press:不是紧急情况", "press:是的，不是", True),
    Confirmed("zh-press-typed-yes", "zh", "press:不是紧急情况", "是的", True),
    Confirmed("zh-press-typed-no", "zh", "press:不是紧急情况", "不是", False),
    Confirmed("zh-press-no", "zh", "press:不是紧急情况", "press:仍是紧急", False),
    Confirmed("zh-typed-label-yes", "zh", "不是紧急情况", "确定", True),
    Confirmed("en-press-yes", "en", "press:Not an emergency", "press:Yes, not", True),
    Confirmed("en-press-typed-no", "en", "press:Not an emergency", "no", False),
    Confirmed("en-typed-label-yes", "en", "not an emergency", "yes", True),
    Confirmed("en-press-no", "en", "press:Not an emergency", "press:No, it is", False),
]


async def _act(bot: BotHarness, what: str, lang: str) -> None:
    if what.startswith("press:"):
        await bot.press(RESIDENT, what.removeprefix("press:"))
    else:
        await bot.send(RESIDENT, what, language_code=CODE[lang])


@pytest.mark.parametrize("row", CONFIRMED, ids=[r.id for r in CONFIRMED])
async def test_not_an_emergency_is_confirmed(bot: BotHarness, row: Confirmed) -> None:
    await enrol(bot, SUPERVISOR, "supervisor", lang=row.lang, community_id="xinji")
    await bot.send(RESIDENT, COLLAPSE[row.lang], language_code=CODE[row.lang])
    t = bot.runtime.catalog.t
    seen = len(bot.texts(RESIDENT))
    await _act(bot, row.first, row.lang)
    (case,) = await _cases(bot)
    assert case.priority == "urgent"  # not in one tap
    assert t(row.lang, "emergency.calm_confirm", number=case.number) in _said(bot, seen)
    seen = len(bot.texts(RESIDENT))
    await _act(bot, row.answer, row.lang)
    said = _said(bot, seen)
    (case,) = await _cases(bot)
    async with bot.runtime.db.transaction() as session:
        told = list(
            await session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.chat_id == SUPERVISOR, OutboxMessage.kind == "status"
                )
            )
        )
    if row.downgraded:
        assert case.priority != "urgent"
        assert t(row.lang, "emergency.stood_down", number=case.number) in said, said
        assert told, "the supervisor alerted is told it is no emergency"
    else:
        assert case.priority == "urgent"
        assert t(row.lang, "emergency.calm_kept", number=case.number) in said, said
        assert told == []
