"""From the ninth newcomer trial (item 13): a missing person's details reach the staff.

Words about the person (clothes, age, looks, where last seen) after the alarm join the urgent
case and go to the staff alerted, whether they come with the place ("她平时爱去榕树头市场那边转，
穿红色外套"), before it (never taken as its address: "he is wearing a grey coat, about 80"), or
after it (never a new report or "I can't help"). The resident's wording fits the kind: a
missing person is searched for (call 110, keep the phone on, send what helps find them), not
"wait for rescue"; other emergencies keep "stay safe and wait for help". Both languages.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from services.cases.urgent_reading import UrgentKind, describes_person, kind_of
from storage.models import Case
from tests.delivery_helpers import drain
from tests.harness import BotHarness
from tests.support.cases import RESIDENT, WORKER, enrol

CITY_SUP = 3002
CODE = {"zh": "zh-hans", "en": "en"}
MUM = "我妈有老年痴呆，早上出门到现在还没回来，电话也打不通"
DAD = "my dad has dementia and wandered off, he hasn't come back"
SON = "my 6 year old son is missing, he was playing outside and now I can't find him"
FIRE = {"zh": "楼道里着火了，好多烟", "en": "there's a fire in our stairwell, smoke everywhere"}
SEARCHED = {"zh": "还没报警的话请马上拨打 110", "en": "If you have not yet, call 110 now"}
RESCUED = {"zh": "请注意安全，等待救援", "en": "Stay safe and wait for help"}
RESIDENT_ANSWERS = {  # what a description must never get
    "zh": ("这个我帮不上忙", "我不太确定您反映的是哪类问题"),
    "en": ("I can't help with that", "I'm not sure what kind of problem"),
}


@dataclass(frozen=True)
class Row:
    lang: str
    alarm: str
    then: list[str]
    kept: tuple[str, ...]  # in the urgent case's text and relayed to the staff
    address: str | None
    grid: str | None
    wording: str  # the resident's sentence once the place is known


ROWS = [
    # the trial's GD-3: the place and the clothes in one answer
    Row("zh", MUM, ["她平时爱去榕树头市场那边转，穿红色外套"], ("穿红色外套",), "榕树头市场",
        "xinji-03", SEARCHED["zh"]),
    # described before the place: words, not the address; then the place
    Row("zh", MUM, ["穿红色外套，灰裤子", "翠湖苑"], ("穿红色外套，灰裤子",), "翠湖苑",
        "xinji-02", SEARCHED["zh"]),
    Row("en", DAD, ["he is wearing a grey coat, about 80, short white hair",
                    "Emerald Lake Court"], ("grey coat, about 80",), "Emerald Lake Court",
        "xinji-02", SEARCHED["en"]),
    # described after the place: joins the case, no report, no "I can't help"
    Row("zh", MUM, ["翠湖苑", "个子不高，白头发，拄着拐杖", "最后看见她是在公园门口"],
        ("白头发，拄着拐杖", "最后看见她是在公园门口"), "翠湖苑", "xinji-02", SEARCHED["zh"]),
    Row("en", SON, ["Emerald Lake Court", "he's wearing a blue jacket and red shoes",
                    "last seen near the school gate at 3pm"],
        ("blue jacket and red shoes", "last seen near the school gate"), "Emerald Lake Court",
        "xinji-02", SEARCHED["en"]),
    # other emergencies keep their wording
    Row("zh", FIRE["zh"], ["翠湖苑3栋"], (), "翠湖苑3栋", "xinji-02", RESCUED["zh"]),
    Row("en", FIRE["en"], ["Emerald Lake Court block 3"], (), "Emerald Lake Court block 3",
        "xinji-02", RESCUED["en"]),
]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.lang}:{r.alarm[:12]}+{len(r.then)}")
async def test_words_about_the_person_reach_the_staff(bot: BotHarness, row: Row) -> None:
    await enrol(bot, CITY_SUP, "supervisor")
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await bot.send(RESIDENT, row.alarm, language_code=CODE[row.lang])
    assert "110" in bot.texts(RESIDENT)[0]
    for text in row.then:
        await bot.send(RESIDENT, text)
    said = "\n".join(bot.texts(RESIDENT))
    assert row.wording in said, said
    other = RESCUED if row.wording in SEARCHED.values() else SEARCHED
    assert other[row.lang] not in said, said
    for answer in RESIDENT_ANSWERS[row.lang]:
        assert answer not in said, said
    async with bot.runtime.db.transaction() as session:
        cases = (await session.execute(select(Case))).scalars().all()
    assert len(cases) == 1, [c.text for c in cases]  # no report begun from a description
    case = cases[0]
    assert (case.priority, case.address, case.grid_id) == ("urgent", row.address, row.grid)
    await drain(bot)
    staff = "\n".join(bot.texts(CITY_SUP))
    if row.grid == "xinji-02":
        staff += "\n" + "\n".join(bot.texts(WORKER))
    for words in row.kept:
        assert words in case.text, case.text
        assert words in staff, staff
        assert words not in (case.address or "")


KINDS = [
    (MUM, UrgentKind.MISSING),
    ("孩子在商场走丢了", UrgentKind.MISSING),
    ("放学两个小时了孩子还没回家", UrgentKind.MISSING),
    (DAD, UrgentKind.MISSING),
    (SON, UrgentKind.MISSING),
    ("楼里着火了，找不到我儿子", UrgentKind.OTHER),  # a fire first
    (FIRE["zh"], UrgentKind.OTHER),
    ("my 4 year old climbed out onto the window ledge", UrgentKind.OTHER),
    ("a man collapsed, he's not breathing", UrgentKind.OTHER),
]


@pytest.mark.parametrize(("text", "kind"), KINDS)
def test_the_kind_of_emergency_is_read_from_its_words(text: str, kind: UrgentKind) -> None:
    assert kind_of(text) is kind


DESCRIPTIONS = [
    ("她平时爱去榕树头市场那边转，穿红色外套", True),
    ("个子不高，白头发，拄着拐杖", True),
    ("她75岁，一米五几", True),
    ("最后看见她是在公园门口", True),
    ("he is wearing a grey coat, about 80, short white hair", True),
    ("last seen near the school gate at 3pm", True),
    ("翠湖苑3栋", False),
    ("楼道里烟更大了，三楼有人在喊", False),
    ("Emerald Lake Court block 3", False),
    ("the smoke is on the 3rd floor now", False),
]


@pytest.mark.parametrize(("text", "describes"), DESCRIPTIONS)
def test_a_description_of_the_person_is_read(text: str, describes: bool) -> None:
    assert describes_person(text) is describes
