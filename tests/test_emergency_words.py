"""Emergencies as the third newcomer trial typed them, through the real Application.

- An emergency that names a known estate is placed by its own words: the urgent case gets
  the estate's grid and address, and that grid's worker is alerted.
- A call for help with only a place ("赶紧来 5栋", "hurry Block 7"), typed as the answer to
  "where is it?", is an emergency (the numbers and an urgent case), not the report's place.
- /cancel after the numbers cancels the report the emergency interrupted; while the urgent
  case has no place, the place typed next is the urgent case's.
- A typed yes to "is it the same problem?" with one similar case joins it.
- A smoke alarm beeping for its battery is an ordinary report, never an urgent case.
Both languages.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from devtools.local_api.calls import buttons
from storage.models import Case, CaseFollower
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import RESIDENT, SUPERVISOR, WORKER, enrol, report_street_light

FIRST_MESSAGES = [
    ("zh", "翠湖苑3栋楼道有烟", "翠湖苑3栋"),
    ("zh", "有人持刀 翠湖苑", "翠湖苑"),
    ("zh", "快来 翠湖苑3栋", "翠湖苑3栋"),
    ("zh", "东城路88号 有人晕倒了", "东城路88号"),
    ("en", "fire at Emerald Lake Court", "Emerald Lake Court"),
    ("en", "Emerald Lake Court block 3 on fire", "Emerald Lake Court block 3"),
    ("en", "someone collapsed at 88 Dongcheng Road", "88 Dongcheng Road"),
]


async def urgent_cases(bot: BotHarness) -> list[Case]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.execute(select(Case).where(Case.priority == "urgent"))
        return list(rows.scalars())


@pytest.mark.parametrize(("lang", "text", "address"), FIRST_MESSAGES)
async def test_an_emergency_naming_an_estate_is_placed_by_its_words(
    bot: BotHarness, lang: str, text: str, address: str
) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    await bot.send(RESIDENT, text, language_code=lang)
    replies = bot.texts(RESIDENT)
    assert "110" in replies[0], replies
    [case] = await urgent_cases(bot)
    assert (case.grid_id, case.address) == ("xinji-02", address)
    assert any(address in reply and case.number in reply for reply in replies), replies
    await deliver_outbox(bot)
    assert any(case.number in text for text in bot.texts(WORKER)), bot.texts(WORKER)
    # One alert, already with its place: never "has not said where" followed by a second one.
    about = [t for t in bot.texts(SUPERVISOR) if case.number in t]
    assert len([t for t in about if t.startswith("🚨")]) == 1, about
    assert not any("has not said where" in t for t in about), about


CALLS_FOR_HELP = [
    ("zh", "赶紧来 5栋"), ("zh", "求救 3栋"), ("zh", "紧急 5栋"), ("zh", "救火 5栋"),
    ("zh", "快点来 翠湖苑3栋"), ("zh", "3栋有人受伤"), ("zh", "3栋有人流血"),
    ("zh", "叫救护车 3栋"), ("zh", "5栋火灾"), ("zh", "3栋打架"), ("zh", "快报警 4栋"),
    ("zh", "4栋快报警"),
    ("en", "ambulance Block 3"), ("en", "come quickly Block 7"), ("en", "urgent Block 7"),
    ("en", "smoke in block 3 stairwell"), ("en", "man with knife Block 5"), ("en", "help Block 7"),
    ("en", "Block 7 fire"), ("en", "call the police, block 2"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text"), CALLS_FOR_HELP)
async def test_a_call_for_help_typed_where_the_place_goes_is_an_emergency(
    bot: BotHarness, lang: str, text: str
) -> None:
    bins = "楼下垃圾桶满了好几天没人清" if lang == "zh" else "The bins downstairs are overflowing"
    await bot.send(RESIDENT, bins, language_code=lang)
    await bot.send(RESIDENT, "是的" if lang == "zh" else "yes")
    asked = bot.last_text(RESIDENT)
    assert "哪里" in asked or "Where" in asked, asked
    await bot.send(RESIDENT, text)
    assert any("110" in reply for reply in bot.texts(RESIDENT)[-4:]), bot.texts(RESIDENT)[-4:]
    assert len(await urgent_cases(bot)) == 1


@pytest.mark.parametrize(
    ("lang", "opening", "alarm", "place"),
    [
        ("zh", "楼下垃圾桶满了好几天没人清", "5栋火灾", "翠湖苑5栋"),
        ("en", "The bins downstairs are overflowing", "Block 7 fire", "Emerald Lake Court block 7"),
    ],
)
async def test_cancel_after_the_numbers_drops_the_interrupted_report(
    bot: BotHarness, lang: str, opening: str, alarm: str, place: str
) -> None:
    await bot.send(RESIDENT, opening, language_code=lang)
    await bot.send(RESIDENT, "是的" if lang == "zh" else "yes")
    await bot.send(RESIDENT, alarm)
    await bot.send(RESIDENT, "/cancel")
    said = " ".join(bot.texts(RESIDENT)[-4:])
    assert "已取消" in said or "is cancelled" in said, said
    await bot.send(RESIDENT, place)
    [case] = await urgent_cases(bot)
    assert (case.grid_id, case.address) == ("xinji-02", place)
    async with bot.runtime.db.transaction() as session:
        filed = (await session.execute(select(Case))).scalars().all()
    assert [c.number for c in filed] == [case.number]  # the bins report was not filed


NEIGHBOUR = RESIDENT + 7


async def offered_the_similar_case(bot: BotHarness, lang: str) -> None:
    """A neighbour reports the same street light at the same spot: "is it the same problem?"."""
    text = "3栋门口的路灯坏了" if lang == "zh" else "the street light at block 3 is broken"
    await bot.send(NEIGHBOUR, text, language_code=lang)
    await bot.send(NEIGHBOUR, "是的" if lang == "zh" else "yes")
    await bot.share_location(NEIGHBOUR, *bot.runtime.city.grids["xinji-02"].centre())
    await bot.press_keyboard(NEIGHBOUR, "提交" if lang == "zh" else "Submit")
    asked = bot.last_text(NEIGHBOUR)
    assert "同一件" in asked or "same" in asked, asked


@pytest.mark.parametrize(
    ("lang", "yes"),
    [("zh", "是的"), ("zh", "对"), ("zh", "对，是同一件事"), ("zh", "同一件"), ("zh", "是同一个"),
     ("en", "yes"), ("en", "yes please"), ("en", "the same problem")],
)  # fmt: skip
async def test_a_typed_yes_joins_the_one_similar_case(bot: BotHarness, lang: str, yes: str) -> None:
    first = await report_street_light(bot)
    await offered_the_similar_case(bot, lang)
    await bot.send(NEIGHBOUR, yes)
    async with bot.runtime.db.transaction() as session:
        followers = (await session.execute(select(CaseFollower))).scalars().all()
        cases = (await session.execute(select(Case))).scalars().all()
    assert [f.case_id for f in followers] == [first.id]
    assert len(cases) == 1


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Smoke alarm beeping in block 3, battery low"),
        ("en", "the fire alarm in block 5 is faulty and keeps going off"),
        ("zh", "楼道烟感一直在响 好像没电了"),
        ("zh", "3栋的烟雾报警器坏了 老是误报"),
        ("zh", "火灾报警器误报"),
        ("en", "the fire alarm in Block 5 went off by mistake, no fire"),
        ("en", "carbon monoxide detector beeping low battery"),
        ("en", "smoke alarm beeping"),
        ("zh", "一氧化碳报警器没电了"),
        ("zh", "消防警报误响了"),
        ("zh", "火警铃误响"),
    ],
)
async def test_a_safety_device_fault_is_not_an_emergency(
    bot: BotHarness, lang: str, text: str
) -> None:
    await bot.send(RESIDENT, text, language_code=lang)
    assert not any("110" in reply for reply in bot.texts(RESIDENT)), bot.texts(RESIDENT)
    assert await urgent_cases(bot) == []


@pytest.mark.parametrize(
    ("lang", "alarm", "new"),
    [("zh", "求救 3栋", "楼下广场舞太吵了"),
     ("en", "help Block 7", "The bins downstairs are overflowing")],
)  # fmt: skip
async def test_after_cancel_a_new_problem_starts_as_itself(
    bot: BotHarness, lang: str, alarm: str, new: str
) -> None:
    """An urgent case still waiting for its place is filed, not a half-written report."""
    await bot.send(RESIDENT, alarm, language_code=lang)
    await bot.send(RESIDENT, "/cancel")
    await bot.send(RESIDENT, new)
    asked = bot.last_text(RESIDENT)
    assert "没填完" not in asked and "in progress" not in asked, asked
    assert "对吗" in asked or "right?" in asked or "哪一类" in asked or "kind" in asked, asked


async def test_an_unplaced_emergency_is_on_every_alerted_supervisors_desk(bot: BotHarness) -> None:
    """Every supervisor is alerted about an urgent case whose place is not known yet; a
    community supervisor finds it on /desk too, and may act on it."""
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    await bot.send(RESIDENT, "楼里着火了，浓烟很大，有人被困", language_code="zh-hans")
    [case] = await urgent_cases(bot)
    assert case.grid_id is None
    await deliver_outbox(bot)
    assert any(case.number in text for text in bot.texts(SUPERVISOR))
    await bot.send(SUPERVISOR, "/desk")
    assert any(case.number in text for text in bot.texts(SUPERVISOR)[-4:]), bot.texts(SUPERVISOR)


@pytest.mark.parametrize(
    ("lang", "no"), [("zh", "不是同一件事"), ("zh", "不是一回事"), ("en", "not the same")]
)
async def test_a_typed_no_files_it_separately(bot: BotHarness, lang: str, no: str) -> None:
    await report_street_light(bot)
    await offered_the_similar_case(bot, lang)
    await bot.send(NEIGHBOUR, no)
    async with bot.runtime.db.transaction() as session:
        assert (await session.execute(select(CaseFollower))).first() is None
        assert len((await session.execute(select(Case))).scalars().all()) == 2


async def test_a_place_typed_later_does_not_alert_the_supervisor_again(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    await bot.send(RESIDENT, "楼里着火了，浓烟很大，有人被困", language_code="zh-hans")
    await deliver_outbox(bot)
    await bot.send(RESIDENT, "翠湖苑3栋")
    await deliver_outbox(bot)
    [case] = await urgent_cases(bot)
    assert case.grid_id == "xinji-02"
    about = [t for t in bot.texts(SUPERVISOR) if case.number in t]
    assert len([t for t in about if t.startswith("🚨")]) == 1, about
    assert any("翠湖苑3栋" in t for t in about), about  # told where, once
    assert any(case.number in t for t in bot.texts(WORKER))  # the grid's worker has it


async def test_the_desk_says_how_many_when_it_shows_the_most_urgent(bot: BotHarness) -> None:
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    for n in range(10):
        await bot.send(RESIDENT + 100 + n, "楼里着火了，有人被困", language_code="zh-hans")
    await bot.send(SUPERVISOR, "/desk")
    unassigned = next(t for t in bot.texts(SUPERVISOR)[-4:] if t.startswith("🆕"))
    assert ": 10" in unassigned and "8 most urgent of 10" in unassigned, unassigned


async def test_an_urgent_case_offers_no_withdraw(bot: BotHarness) -> None:
    """/cancel says an urgent case stays; /mycases does not offer to withdraw it either."""
    await bot.send(RESIDENT, "楼里着火了，浓烟很大，有人被困", language_code="zh-hans")
    [case] = await urgent_cases(bot)
    await bot.send(RESIDENT, "/mycases")
    await bot.press(RESIDENT, f"📋 {case.number}")
    offered = [label for label, _ in buttons(bot.api.sent_to(RESIDENT)[-1])]
    withdraw = bot.runtime.catalog.t("zh", "office.mycases.withdraw_button")
    assert offered and withdraw not in offered, offered
