"""From the ninth newcomer trial (item 6): an emergency whose place is outside every grid.

A map pin outside all grids, or a street no grid knows (typed in the alarm or as its place):
the resident is told plainly that the place is outside the area GridDesk's grid staff cover
and to call 110/119/120 directly; at most that a supervisor was told, never "stay safe and
wait for help" or "staff may be on their way". The staff alert shows the typed street as the
address instead of "the resident has not said where yet". Inside a grid the wording is as
before; /cancel says only what is true of who was reached. Both languages, through the real
Application; the store is read after every row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from services.cases.urgent_reading import street_in
from storage.models import Case
from tests.delivery_helpers import drain
from tests.harness import BotHarness
from tests.support.cases import RESIDENT, WORKER, centre_of, enrol

CITY_SUP = 3002
CODE = {"zh": "zh-hans", "en": "en"}
OUTSIDE_PIN = (23.10, 113.90)  # south of every configured grid
PIN = "<pin outside>"
PIN_INSIDE = "<pin inside>"

OUTSIDE = {
    "zh": "不在我们网格工作人员负责的范围内",
    "en": "outside the area GridDesk's grid staff cover",
}
# A typed street no grid knows may still be inside the area (a street the aliases miss): the
# resident is told it matches none of the grids, not that it is outside (tenth trial).
OPENED_OUTSIDE = {"zh": "对不上我们任何一个网格", "en": "matches none of our grids"}
SUPERVISOR_TOLD = {"zh": "主管", "en": "supervisor"}
# promises that are false when nobody of the area can come
FALSE_HOPE = {
    "zh": ("等待救援", "可能正在赶来"),
    "en": ("wait for help", "may be on their way"),
}
NOT_SAID_WHERE = "has not said where yet"


@dataclass(frozen=True)
class Row:
    lang: str
    alarm: str
    then: list[str] = field(default_factory=list)
    says: tuple[str, ...] = ()  # in the resident's replies after the alarm
    never: tuple[str, ...] = ()  # nowhere in the resident's replies
    address: str | None = None  # the urgent case's address in the store
    grid: str | None = None
    staff_sees: tuple[str, ...] = ()  # in the city supervisor's messages
    worker: bool = False  # a grid worker enrolled in xinji-02


ROWS = [
    # the trial's GD-5: the street in the alarm, then a pin outside every grid
    Row("en", "my 4 year old climbed out onto the window ledge, we're on the 9th floor at "
        "25 Binhai Avenue", [PIN],
        says=(OPENED_OUTSIDE["en"], "call 110 / 119 / 120 directly", OUTSIDE["en"]),
        never=FALSE_HOPE["en"], address="25 Binhai Avenue",
        staff_sees=("Address: 25 Binhai Avenue", "not in any grid")),
    Row("zh", "我家4岁的孩子爬到窗台外面了，9楼，地址是滨海大道25号", [PIN],
        says=(OPENED_OUTSIDE["zh"], "直接拨打 110 / 119 / 120", SUPERVISOR_TOLD["zh"]),
        never=FALSE_HOPE["zh"], address="滨海大道25号",
        staff_sees=("Address: 滨海大道25号", "not in any grid")),
    # the trial's GD-6: an unknown crossing typed as the place, then /cancel
    Row("zh", "救命 有人从楼上掉下来了 一动不动", ["滨海大道和建设路", "/cancel"],
        says=(OUTSIDE["zh"], SUPERVISOR_TOLD["zh"]), never=FALSE_HOPE["zh"],
        address="滨海大道和建设路", staff_sees=("滨海大道和建设路",)),
    Row("en", "help, a man collapsed and he's not breathing", ["corner of Renmin Road and "
        "Jianshe Road"], says=(OUTSIDE["en"], SUPERVISOR_TOLD["en"]), never=FALSE_HOPE["en"],
        address="corner of Renmin Road and Jianshe Road",  # a place alone: kept as typed
        staff_sees=("corner of Renmin Road and Jianshe Road",)),
    # the street in the alarm's own words, then /cancel while the step still waits
    Row("zh", "救命 滨海大道和建设路有人被车撞了 流了好多血", ["/cancel"],
        says=(OPENED_OUTSIDE["zh"], "不会取消", OUTSIDE["zh"]), never=FALSE_HOPE["zh"],
        address="滨海大道和建设路",
        staff_sees=("Address: 滨海大道和建设路", "not in any grid")),
    Row("en", "HELP a man just collapsed outside the Metro exit on Harbour Road, he's not "
        "breathing", ["/cancel"], says=(OPENED_OUTSIDE["en"], "is not cancelled", OUTSIDE["en"]),
        never=FALSE_HOPE["en"], address="Harbour Road",
        staff_sees=("Address: Harbour Road",)),
    # a pin outside every grid, no words of place at all
    Row("zh", "楼道里着火了，好多烟", [PIN], says=(OUTSIDE["zh"],), never=FALSE_HOPE["zh"]),
    Row("en", "there's a fire in our stairwell, smoke everywhere", [PIN], says=(OUTSIDE["en"],),
        never=FALSE_HOPE["en"]),
    # no place yet: /cancel says staff do not know where, no "on their way"
    Row("zh", "楼道里着火了，好多烟", ["/cancel"], says=("还不知道在哪里",),
        never=("可能正在赶来",)),
    Row("en", "there's a fire in our stairwell, smoke everywhere", ["/cancel"],
        says=("do not know where it is yet",), never=("may be on their way",)),
    # inside a grid, as before: its worker was told, help is promised
    Row("zh", "楼道里着火了，好多烟", ["翠湖苑3栋"], says=("请注意安全，等待救援",),
        never=(OUTSIDE["zh"],), address="翠湖苑3栋", grid="xinji-02", worker=True),
    Row("en", "there's a fire in our stairwell, smoke everywhere", [PIN_INSIDE],
        says=("Stay safe and wait for help",), never=(OUTSIDE["en"],), grid="xinji-02",
        worker=True),
    Row("en", "there's a fire at Emerald Lake Court block 3, smoke everywhere", ["/cancel"],
        says=("may be on their way",), never=(OUTSIDE["en"],),
        address="Emerald Lake Court block 3", grid="xinji-02", worker=True),
]  # fmt: skip


async def the_case(bot: BotHarness) -> Case:
    async with bot.runtime.db.transaction() as session:
        return (await session.execute(select(Case))).scalar_one()


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.lang}:{r.alarm[:24]}+{len(r.then)}")
async def test_a_place_outside_every_grid_is_said_to_be_outside(bot: BotHarness, row: Row) -> None:
    await enrol(bot, CITY_SUP, "supervisor")
    if row.worker:
        await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await bot.send(RESIDENT, row.alarm, language_code=CODE[row.lang])
    assert "110" in bot.texts(RESIDENT)[0]
    for step in row.then:
        if step == PIN:
            await bot.share_location(RESIDENT, *OUTSIDE_PIN)
        elif step == PIN_INSIDE:
            await bot.share_location(RESIDENT, *centre_of(bot, "xinji-02"))
        else:
            await bot.send(RESIDENT, step)
    said = "\n".join(bot.texts(RESIDENT))
    for words in row.says:
        assert words in said, said
    for words in row.never:
        assert words not in said, said
    case = await the_case(bot)
    assert (case.priority, case.address, case.grid_id) == ("urgent", row.address, row.grid)
    await drain(bot)
    staff_saw = "\n".join(bot.texts(CITY_SUP))
    assert case.number in staff_saw
    for words in row.staff_sees:
        assert words in staff_saw, staff_saw
    if row.address is not None and not row.then:
        assert NOT_SAID_WHERE not in staff_saw  # the first alert already has the street


STREETS = [
    ("we're on the 9th floor at 25 Binhai Avenue", "25 Binhai Avenue"),
    ("a man collapsed outside the Metro exit on Harbour Road", "Harbour Road"),
    ("corner of Renmin Road and Jianshe Road, fire", "Renmin Road and Jianshe Road"),
    ("fire at 12 oak st. now", "12 oak st"),
    ("救命 滨海大道和建设路有人被车撞了", "滨海大道和建设路"),
    ("人民路123号着火了", "人民路123号"),
    ("在建设路口有人打架", "建设路口"),
    # no street: a road or a street as a thing, a circuit, a way home
    ("someone fell on the road", None),
    ("a man collapsed on the street outside", None),
    ("the fire is on the 3rd floor", None),
    ("有人在马路上被车撞了", None),
    ("插座短路冒烟了", None),
    ("老人路上摔倒了", None),
    ("我走路回家看见有人倒地", None),
]


@pytest.mark.parametrize(("text", "street"), STREETS)
def test_a_street_is_read_out_of_the_words(text: str, street: str | None) -> None:
    assert street_in(text) == street
