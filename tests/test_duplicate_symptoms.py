"""Duplicates (issue 12) told by the symptom: two residents of one problem, one naming it
("停水了", "the lift is broken"), the other telling what they see, hear or smell ("拧开水龙头
一点水都没有", "had to take the stairs again"), in either language or across them, in
colloquial, dialect or misspelt words; and two problems that share a place or words but
are not one (the same door, another object; the same object, another fault).

Each kind is a block of rows: same-problem pairs must score at least MIN_SCORE and
different-problem pairs below it, with the two reports an hour apart and no location
shared (what a resident who types the address sends). Rows written for these tests, not
taken from the bench pair sets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.duplicate_symptoms import NEW_HOW, SYMPTOMS
from domain.duplicate_words import HOW, WHAT, WHERE
from services.cases.duplicate_reading import read
from services.cases.duplicates import MIN_SCORE, Sighting, duplicate_score

NOW = datetime(2026, 7, 1, 20, 0, tzinfo=UTC)

SAME = True
OTHER = False

# (first report, second report, one problem?)
PAIRS = [
    # Water cut told by a dry tap or a question about when it comes back.
    ("5栋停水了", "5号楼拧开没水 啥时候来水啊", SAME),
    ("5栋停水了", "Block 5 nothing comes out of the tap since this morning", SAME),
    ("No water in block 5", "五号楼水龙头干了 一点水都没有", SAME),
    ("5栋停水了", "5栋水管漏水 楼道全是水", OTHER),
    # Power cut told by the dark building or the breaker.
    ("8栋停电了", "8号楼整栋楼黑了 什么时候来电", SAME),
    ("8栋停电了", "Block 8 lost power about an hour ago", SAME),
    ("Power cut in block 8", "8栋没电了 电梯也停了", SAME),
    ("8栋停电了", "8栋楼下的充电桩坏了 充不上电", OTHER),
    # Gas: a smell of gas is a leak, a hob that will not light is a supply fault.
    ("3栋楼道燃气泄漏", "3号楼楼道里一股煤气味", SAME),
    ("Gas leak in block 3 stairwell", "3栋楼道里有煤气味 好吓人", SAME),
    ("3栋楼道一股煤气味", "3栋楼道灯不亮", OTHER),
    # Heating that is off, told by the cold at home.
    ("6栋暖气不热", "6号楼家里冷得要命 穿着羽绒服还冻得睡不着", SAME),
    ("Block 6 heating not working", "6栋屋里冰凉 暖气片摸着冷冰冰", SAME),
    ("6栋暖气不热", "6栋暖气管漏水 地板都泡了", OTHER),
    # Low water pressure told by the shower or the heater.
    ("12栋水压低", "12号楼洗澡水小得可怜 热水器打不着", SAME),
    ("Block 12 water pressure is low", "12栋水流很细 跟滴一样", SAME),
    # Leaks from above, told by a wet ceiling or dripping.
    ("7栋2单元楼道天花板漏水", "7号楼2单元走廊顶上滴水 地上一滩水", SAME),
    ("701卫生间天花板漏水", "701洗手间顶上湿了一大块 还在往下滴", SAME),
    ("flat 701 ceiling is leaking", "701天花板湿了一大块", SAME),
    ("701卫生间天花板漏水", "1201卫生间天花板漏水", OTHER),
    ("7栋楼道天花板漏水", "7栋楼道天花板的灯不亮了", OTHER),
    # Aircon dripping, told by the sound on a canopy or sill.
    ("楼上空调外机滴水 3栋", "3栋楼上空调一直滴答滴答打在我家雨棚上", SAME),
    ("Upstairs aircon dripping onto my window sill, block 3", "3栋楼上空调滴水", SAME),
    ("3栋楼上空调外机滴水", "3栋楼上空调外机噪音太大", OTHER),
    # A smell, told by its cause or by the nose.
    ("9栋楼道里很臭", "9号楼楼道里像什么东西死了 味儿特别大", SAME),
    ("9栋楼道有股死老鼠的味道", "9栋楼道进去就要捂着鼻子 好几天了", SAME),
    ("Block 9 stairwell stinks", "9栋楼道什么东西烂了 一股怪味", SAME),
    ("9栋楼道里很臭", "9栋楼道灯坏了", OTHER),
    # Noise told by what makes it.
    ("4栋902晚上太吵了", "4栋902半夜拖椅子 咚咚响", SAME),
    ("4栋902半夜拖椅子", "4栋902家里空调漏水到楼下", OTHER),
    # Lights out, told by the dark.
    ("10栋楼道灯坏了", "10号楼楼道里黑咕隆咚的 每天摸黑上楼", SAME),
    ("10栋楼道灯坏了", "Block 10 stairwell is pitch black at night", SAME),
    ("10栋楼道灯坏了", "10栋楼道里堆满了杂物", OTHER),
    # A lift that is down, told by the stairs.
    ("11栋电梯坏了", "11号楼又只能爬楼梯了 老人上不去", SAME),
    ("Block 11 lift is broken", "11栋电题又坏了", SAME),
    ("11栋电梯坏了", "Had to take the stairs again in block 11", SAME),
    ("11栋电梯坏了", "11栋电梯里贴满了小广告", OTHER),
    # Car barriers and access cards told by what they do.
    ("北门道闸坏了", "北门栏杆抬不起来 车都排到马路上了", SAME),
    ("北门道闸坏了", "北门认不出车牌 进不去", SAME),
    ("North gate barrier is broken", "北门杆子不抬 车进不来", SAME),
    ("北门道闸坏了", "北门人行门关不上", OTHER),
    ("2单元门禁坏了", "2单元门卡刷了没反应", SAME),
    ("Unit 2 door entry system is broken", "2单元门禁卡失效 进不去", SAME),
    # Parking: a car blocking in someone else's.
    ("车库有车堵住我的车", "车库有人把我堵死了 打电话也不来挪车", SAME),
    ("Someone parked across my car in the garage", "车库有辆车堵住我的车 出不去", SAME),
    # Rubbish that is not collected.
    ("3栋垃圾桶满了没人收", "3号楼垃圾桶满出来了 臭烘烘的", SAME),
    ("Block 3 bins haven't been collected", "3栋垃圾堆成山了", SAME),
    ("3栋垃圾桶满了没人收", "3栋门口的垃圾桶坏了 盖子掉了", OTHER),
    # Things thrown from height, told by what fell.
    ("6栋高空抛物", "6号楼天上掉下来一个酒瓶 差点砸到人", SAME),
    ("Someone throws things from height at block 6", "6栋楼上掉下来一袋垃圾", SAME),
    # Ice on paths, told by the fall.
    ("2栋门口台阶结冰了", "2号楼门口台阶冻成溜冰场了 摔了一跤", SAME),
    ("2栋门口台阶结冰了", "Steps outside block 2 are icy, I slipped", SAME),
    # Playground: sharp edges, told by the cut.
    ("儿童乐园滑梯边缘很锋利", "游乐场滑梯划破了孩子的手", SAME),
    ("儿童乐园滑梯边缘很锋利", "游乐场秋千链子断了", OTHER),
    # Pests, told by the droppings or the sound in the walls.
    ("5栋地下室有老鼠", "5号楼地下室到处是老鼠屎", SAME),
    ("5栋地下室有老鼠", "5栋地下室积水了", OTHER),
    # Graffiti is painted, flyers are stuck on: two problems on one wall.
    ("3栋外墙被人喷漆涂鸦", "Someone sprayed tags on the wall of block 3", SAME),
    ("3栋外墙被人喷漆涂鸦", "3栋外墙贴满了小广告", OTHER),
    # Flyposting told by how much is stuck on.
    ("4栋电梯里贴满了小广告", "4号楼电梯里贴满开锁办证的牛皮癣", SAME),
    # E-bike charging told by the cable from a window.
    ("8栋有人飞线充电", "8号楼有人从楼上拉线下来给电动车充电", SAME),
    ("8栋有人飞线充电", "8栋电动车乱停 堵住了楼道", OTHER),
    # A power cut is not a wiring fault; a cold radiator is not a leaking one.
    ("7栋楼道插座冒火花", "7栋停电了", OTHER),
    ("暖气不热", "暖气漏水了", OTHER),
    # One kind of pest, or of playground thing, is not another.
    ("楼道有蟑螂", "楼道里有老鼠", OTHER),
    ("秋千坏了", "滑梯坏了", OTHER),
    ("秋千坏了", "the swing chain in the playground is broken", SAME),
    # Abandoned cars told by dust and tyres; e-bikes taken into lifts; toilets that won't flush.
    ("小区里一辆僵尸车停了半年", "那辆车落满灰 轮胎都瘪了 好几个月没动", SAME),
    ("电动车进电梯", "someone took their e-bike into the lift", SAME),
    ("电动车进电梯", "电梯坏了", OTHER),
    ("马桶堵了", "厕所冲不下去 水漫出来了", SAME),
    # Mould told by its spots, discoloured water by its colour.
    ("卧室墙面发霉", "卧室墙上长了好多黑点 一股霉味", SAME),
    ("3栋自来水发黄", "3号楼放出来的水是黄的 像铁锈水", SAME),
    ("3栋自来水发黄", "block 3 tap water is brown", SAME),
    ("3栋自来水发黄", "3栋水压太低", OTHER),
]


@pytest.mark.parametrize(("first", "second", "same"), PAIRS)
def test_a_symptom_matches_the_problem_it_tells(first: str, second: str, same: bool) -> None:
    score = duplicate_score(Sighting(second, NOW), Sighting(first, NOW - timedelta(hours=1)))
    assert (score >= MIN_SCORE) is same, score


def test_each_symptom_form_has_one_meaning_and_reads_as_known_concepts() -> None:
    forms = [form for forms in SYMPTOMS.values() for form in forms]
    assert all(form == form.lower() and form.strip() == form for form in forms)
    assert len(forms) == len(set(forms)), "a symptom form in two entries"
    words = {form for table in (WHAT, HOW, WHERE) for forms in table.values() for form in forms}
    assert not words & set(forms), "a symptom form is already a word of the tables"
    tables = {"what": WHAT, "how": {*HOW, *NEW_HOW}, "where": WHERE}
    for key in SYMPTOMS:
        for concept in key.split():
            kind, _, name = concept.partition(":")
            assert name in tables.get(kind, ()), concept


@pytest.mark.parametrize(
    ("text", "has", "lacks"),
    [
        ("一点水都没有 啥时候来水", {"what:water_cut"}, set()),
        ("楼道里摸黑", {"what:light", "how:broken"}, set()),
        ("天花板湿了一大块", {"what:ceiling", "how:leaking"}, set()),
        ("一股煤气味", {"what:gas", "how:leaking"}, set()),
        ("took the stairs", {"what:lift", "how:broken"}, set()),
        ("自来水发黄", {"how:discoloured"}, {"what:water_cut"}),  # 来水 is no water cut here
        ("the barrier at the car park won't lift", {"what:car_barrier"}, {"what:fence"}),
        ("墙上被人涂鸦", {"what:graffiti"}, {"what:flyers"}),
    ],
)
def test_a_symptom_reads_as_its_concepts(text: str, has: set[str], lacks: set[str]) -> None:
    concepts = read(text).concepts
    assert has <= concepts and not lacks & concepts, concepts
