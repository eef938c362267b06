"""Emergencies told as a scene rather than named (nlu/scene_cues.py), and the near misses beside
them: siblings of the kinds emergency_probe5 found, written here, not taken from the probe.

Each line goes through the whole prediction path (the embedded model with the city's places,
the safety net); an emergency must get an urgent case, a near miss must not.
"""

from __future__ import annotations

import pytest

from config import SHIPPED_CONFIG_DIR, load_config
from handlers.edge import EMERGENCY_CASE_CONFIDENCE
from nlu.embedded import EmbeddedBackend
from nlu.places import PlaceNames
from nlu.safety_net import emergency_cue
from services.places import city_place_names

CITY_PLACES = PlaceNames.of(city_place_names(load_config(SHIPPED_CONFIG_DIR)))

SCENES = [
    # a glow or a bang with someone still inside
    "隔壁单元窗户里一片红光 窗帘都烧没了 里面有人在喊",
    "刚才轰的一声 饭店后厨的师傅还没出来",
    "loud boom in the garage below, a man is still inside and we can hear coughing",
    # lying still after a wire
    "电工摸到电箱里的电线 现在躺在地上动不了",
    "the cleaner touched the exposed cable and is lying on the floor not responding",
    # the signs of a heart attack
    "楼下保安大叔捂着胸口蹲在地上 满头冷汗",
    "my neighbour is clutching his chest and sweating, he can barely talk",
    # a charging battery sparking
    "楼道里充电的电瓶一直在冒火花 滋滋响",
    "the scooter battery on charge by the lift is popping and spitting sparks",
    # carbon monoxide: a household sick with a heater and the windows shut
    "全家人都头晕想吐 屋里烧着炭火 窗户都关着",
    "we all have headaches and the kids are drowsy, the gas heater has been on all night with "
    "the windows shut",
    # a lift stopped with someone vulnerable inside
    "电梯卡在8楼半个多小时了 里面有个老人喘不过来",
    # an elder out for hours, a child collected by a stranger
    "我爸八十多了 早上出门买菜 已经五个小时没回来 打电话关机",
    "学校说女儿被一个阿姨接走了 可我们根本没叫人去接",
    "my son was picked up from nursery by a man, we didn't send anyone",
    "our kid went with the neighbour to the mall five hours ago and her phone is switched off",
    # someone in the water, someone at the edge
    "一个老人散步时掉进河里了 在水里扑腾",
    "a boy slipped into the canal by the bridge and can't get out",
    "天台上坐着个女孩 鞋都脱了 一直盯着下面",
    "my friend is sitting on the balcony railing on the 20th floor and says nobody would miss her",
    # screams with blows, held against one's will
    "楼上女人在尖叫 还有啪啪抽打的声音 好久了",
    "有个男的把我堵在电梯口 不让我走 还拽我的包",
    "the driver locked the doors and won't let me out, he's driving the wrong way",
    # shut in somewhere that kills
    "工人被关在冰库里出不来了",
    # a grey hallway that smells of burning, people shouting
    "the stairwell is going hazy and smells like burning rubber, people are yelling upstairs",
]
NEAR_MISSES = [
    "吓一跳以为着火了 原来是楼下在熏腊肉",
    "turned out the burning smell was my toast, all fine",
    "孩子从床上滑下来磕了一下 又在玩了 想问下社康几点开门",
    "奶奶在广场摔了一跤 自己爬起来了 没什么事",
    "the lift on block 5 stopped at the 9th floor, nobody in it, please send a repair man",
    "电梯停在6楼不动了 里面没人 物业什么时候来修",
    "saw a movie last night where a toddler fell in a pool, are there lifeguards at our pool?",
    "消防演练 今天下午会有烟 不用打119",
    "楼下有人抽烟 烟往楼道里飘 我儿子一闻就咳嗽",
    "my dad had a stroke last year and half his body is weak, is there home care help?",
    "邻居晒的被子挂在我家窗户外面 滴水",
    "昨天在菜市场被人推了一下 现在人没事 想问问怎么投诉",
]


@pytest.fixture(scope="module")
def city_nlu(embedded_nlu: EmbeddedBackend) -> EmbeddedBackend:
    return EmbeddedBackend(embedded_nlu.classifier, CITY_PLACES)


def _urgent(nlu: EmbeddedBackend, text: str) -> bool:
    prediction = nlu.parse_sync(text)
    sure = prediction.safety_net is not None or prediction.confidence >= EMERGENCY_CASE_CONFIDENCE
    return prediction.intent == "emergency" and sure


@pytest.mark.parametrize("text", SCENES)
def test_a_scene_of_danger_gets_an_urgent_case(city_nlu: EmbeddedBackend, text: str) -> None:
    assert _urgent(city_nlu, text), city_nlu.parse_sync(text).ranking[:3]


@pytest.mark.parametrize("text", SCENES)
def test_the_safety_net_alone_catches_the_scene(text: str) -> None:
    """The cue, not the model's luck: a retrained model must not lose these."""
    assert emergency_cue(text) is not None


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_near_miss_gets_no_urgent_case(city_nlu: EmbeddedBackend, text: str) -> None:
    assert not _urgent(city_nlu, text), city_nlu.parse_sync(text).ranking[:3]
