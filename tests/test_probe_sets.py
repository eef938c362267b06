"""Probe sets written by hands that saw neither the training data nor the held-out split,
each line through the whole prediction path (the embedded model with the shipped city's
places, the safety net), as the bot reads a resident's first message:

- tests/data/dependant_probe.jsonl: 80 dependant-in-danger emergencies (zh 45 / en 35);
- tests/data/dependant_probe2.jsonl: 130 more of them over 25 kinds, and 70 near misses about
  the same people and places with nobody in danger now (a child back safe, a pet, a drill);
- tests/data/false_alarm_probe.jsonl: 260 messages with alarming words that are not
  emergencies (school questions, hazards that may hurt someone one day, the news, figures of
  speech, lost phones);
- tests/data/emergency_probe3.jsonl: 150 emergencies of the five kinds issue 12 names as
  missed (a missing child or confused elder, a child in a hot car, a child out on a height, an
  e-bike battery fire with people who cannot get out, a child not home from school), 30 each,
  and 70 near misses on the same topics (found, a past fire, a risk, news from elsewhere);
- tests/data/violence_probe.jsonl: 140 fights, beatings, robberies and abductions happening
  now, worded the hard ways (an argument that escalated, a hedge, first seen in the owners'
  group, calmed and restarted, a pet in it, a figure of speech beside it), and 60 near misses;
- tests/data/violence_probe2.jsonl: 160 more over 41 scenarios (an intruder in the home, a door
  being broken down, a knife held to someone, a hostage, strangling, screams of "别打了", a
  crossbow, debt collectors hitting a father...) and 60 near misses (a film shoot, the TV, a
  question about domestic violence, a dog fight nobody was bitten in, a wish to smack a child);
- tests/data/emergency_probe4.jsonl: 170 emergencies over eight kinds worded the unexpected ways
  (a colour instead of "fire", a hissing pipe, "叫她不应", a farewell post from a rooftop, a
  neighbour gone down to a flooding garage, a bystander doing CPR) and 70 near misses (fiction,
  a far-off straw fire, a barbecue, a scare said sorry for, "what is this button for").
  Measured before its rules: 12 of 170 without an urgent case (6 without the numbers), 15 near
  misses with one. One near miss keeps its alarm on purpose (KEPT_ALARMS).
- tests/data/emergency_probe5.jsonl: 180 emergencies over the eight categories told as a scene
  rather than named (a red glow and someone banging on the glass, a worker lying still after
  touching a wire, a family sick and dizzy with the windows shut, a driver who locked the
  doors, a child collected by someone nobody sent) and 80 near misses (a burnt sweet potato,
  a bump on the head already forgotten, a lift stopped with nobody in it, a film). Measured
  before its rules: 17 of 180 without an urgent case (3 without the numbers), 5 near misses
  with one (nlu/scene_cues.py).
- tests/data/dependant_probe3.jsonl: 150 dependants in danger over 54 scenarios (a detergent
  pod bitten, magnets swallowed, a cord round a baby's neck, a newborn in a box by the bins,
  waters broken with the lift out, a bedridden man whose carer has not come, a baby crying all
  night and then silent, children on cracking ice or on the rails) and 60 near misses (a dog in
  a car with its owner nearby, a pram in the hallway, a suggestion to add a railing). Measured
  before its rules: 24 of 150 without an urgent case (10 without the numbers), 4 near misses
  with one.

An emergency must get an urgent case (`emergency` from a cue, or from the model at 0.85); a
line that is none must not get one. (A weak `emergency` guess still shows the numbers with a
"not an emergency" button and no case: when unsure, the numbers go first, issue 12.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import SHIPPED_CONFIG_DIR, load_config
from handlers.edge import EMERGENCY_CASE_CONFIDENCE
from nlu.embedded import EmbeddedBackend
from nlu.places import PlaceNames
from nlu.types import Prediction
from services.places import city_place_names

DATA = Path(__file__).parent / "data"
CITY_PLACES = PlaceNames.of(city_place_names(load_config(SHIPPED_CONFIG_DIR)))


def rows(name: str) -> list[dict[str, str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def is_emergency(row: dict[str, str]) -> bool:
    """The three files say it three ways: no label (all emergencies), `expect`, `intent`."""
    return row.get("expect", row.get("intent", "emergency")) == "emergency"


PROBES = {
    name: rows(name)
    for name in (
        "dependant_probe.jsonl",
        "dependant_probe2.jsonl",
        "dependant_probe3.jsonl",
        "false_alarm_probe.jsonl",
        "emergency_probe3.jsonl",
        "emergency_probe4.jsonl",
        "emergency_probe5.jsonl",
        "violence_probe.jsonl",
        "violence_probe2.jsonl",
    )
}
EMERGENCIES = [r["text"] for probe in PROBES.values() for r in probe if is_emergency(r)]
# Near misses the bot still treats as an alarm, on purpose: a resident who writes they are about
# to jump from a building gets the numbers and a worker's call even when it sounds like a joke
# (the resident can say it is not an emergency).
KEPT_ALARMS = {"哈哈哈这个月加班多到我快跳楼了 对了健身房几点开"}
NOT_EMERGENCIES = [
    r["text"]
    for probe in PROBES.values()
    for r in probe
    if not is_emergency(r) and r["text"] not in KEPT_ALARMS
]


# The other side of every rule that takes an alarm away (a harm that may come, a scare said to
# be settled, the news, a hedge, a figure of speech, a pet): emergencies that share its words.
RULE_GUARDS = [
    "吓死我了 楼下两个男的打起来了 一个拿着棍子",
    "吵死了 隔壁两口子又在打 女的一直在喊",
    "楼下一群人在打架 要命了 有人拿砖头",
    "气死我了 有个男的在小区门口打一个老太太",
    "我家楼上的男人在打老婆 吓死人了",
    "两个男的为了狗打起来了 拿着刀",
    "有人拿刀在追一个女的 就在3栋楼下",
    "外卖小哥被几个人围着打 满头是血",
    "保安和业主打起来了 保安拿着电棍",
    "快来 有个男的拿着刀在超市门口乱砍",
    "小区里有个醉汉拿着酒瓶子砸人",
    "a guy is punching a woman at the bus stop right now",
    # someone breaking in or in, strangling, a cry to stop, a weapon named after "with"
    "楼上有人在撬我家门 我一个人在家 好怕",
    "有个陌生人闯进我家了 现在在客厅",
    "there's a stranger in my flat right now, I'm hiding in the bathroom",
    "someone is trying to break into our apartment, my kids are here",
    "隔壁男人在掐他媳妇脖子",
    "he is choking his girlfriend in the stairwell",
    "对门一直传来女人哭着喊不要打了",
    "a man with a golf club and he is hitting the security guard",
    "有人拿弹弓对着行人打",
    "guy on the 5th floor is threatening to stab his neighbour",
    "there is blood everywhere and the two men keep fighting",
    "two men are kicking an old man outside the shop",
    "楼下两个人正在打 快来",
    "原来是在拍戏 但是旁边真有个老人晕倒了",
    "孩子找到了 但是没有呼吸",
    # the other side of the water-leak, faint-smell and help-question rules
    "水漫到腰了 我们一家困在一楼出不去",
    "楼上漏水 漏到我家电箱了 一直冒火花 有人被电了",
    "strong smell of gas and I feel faint",
    "老公正在家暴我 救命",
    "my husband is beating me right now, domestic violence, help",
    "two men fighting with a bat outside block 5, one is on the ground",
    "my neighbour is beating his wife again, she's screaming",
    "someone is attacking the security guard with a knife",
    "my husband is hitting me and the kids are scared, please come",
    "吓死人了 对面楼有个男的在打孩子 孩子哭得撕心裂肺",
    "邻居大哥喝醉了在楼道里拿菜刀乱挥 说要砍人",
    "一个女的被拖进车里了 她在喊救命",
    "不得了了 楼下有人抢包 还把人推倒了",
    "我以为是吵架 结果是男的拿刀砍人了",
    "原来是隔壁男的在打老婆 打得好凶 快来人",
    "不用担心我 但是楼下有人在打人 拿着铁棍",
    "刚刷到业主群 说3栋楼下有人持刀伤人 是真的吗 就在我们小区",
    "物业说处理好了 可是那两个人又打起来了 拿着砖头",
    "报警了还没来 他还在打她",
    "he was fine this morning but now her ex is beating him in the stairwell",
    "the security guard dealt with the first guy, now another one is swinging a knife",
    "my dad came home drunk and is hitting my mum with a belt",
    "不是紧急情况吧 邻居家一直有人在打孩子 孩子一直哭喊",
    "新来的保安跟业主打起来了 都见血了",
    "朋友圈有人发视频 我们小区门口有人打架 有人倒地了",
    "不知道算不算紧急 楼上夫妻打架 女的在喊救命",
    "网上看到的那个人就在我们楼下打人",
    "有个男的在楼下追着一个女的打 演练吗这是",
    "孩子坐在窗台外面 随时可能掉下来",
    "高空作业的吊篮歪了一边 工人随时会掉下来",
    "孩子找到了 但是在河里 没有呼吸",
    "狗回来了 人没回来 我爸有老年痴呆",
    "my kid is home alone and his hand is stuck in the washing machine, he's crying on the phone",
    "我在外地 家里三岁的孩子一个人在家 视频里看到他爬上了窗台",
    "dad has brain shrinkage and walked out this afternoon, still haven't found him",
    "被狗咬了 咬得很深 血止不住",
    "女儿在电梯里出不来 电梯灯都灭了 她才六岁",
    "狗咬过人 现在又在咬一个小孩",
    "他们先是吵架 后来打起来了 男的拿着刀",
    "我以为是放鞭炮 原来是有人在砸车打人",
    "结果是两个人打架 一个倒在地上不动了",
    "turned out he was beating his wife, she is screaming now",
    "上周打过我的那个人今天又来了 在门口砸门",
    "the guy who attacked me last week is back again outside my door with a knife",
    "后来那个男的又回来了 拿着砖头砸人",
    "原来是隔壁两口子打架 女的被打得满脸是血",
    "那条狗追过来咬了一个小孩 腿上全是血",
    "他拿着刀追过来了",
    "老人摔倒了 腿好像断了 起不来",
    "我们家楼下井盖没了，刚才一个骑车的掉进去了，腿好像断了",
    "老公喝醉酒回来了 在打孩子",
    "他喝醉了回来了 在家里砸东西打我妈",
    "my husband came home drunk, smashing everything and my mum is crying",
    "my dad got home drunk and is beating my mum, she is screaming",
    "有人受伤 怎么办",
    "他拿砖头砸人 怎么办啊",
    "吵死了 楼上两口子打起来了 男的拿着凳子",
    "不知道紧不紧急 楼下两个业主在打 一个拿着拖把杆",
    "this may not be an emergency but a man is beating a dog walker with a stick",
    "是不是紧急情况我也不知道 阿姨被醉汉推倒了 还在骂",
    "别担心 我已经报警了 他们还在打",
    "不太紧急 可是他还在砸门 说要砍人",
    "气死我了 业主和保安又打起来了 有人头破了",
    # (ninth trial) first aid called for, a strong gas smell said before the noun
    "快叫急救 有个老人倒在电梯口",
    "等下 我闻到好大的煤气味 隔壁敲门没人应",
    "楼道里一大股煤气味 邻居家没人开门",
    # (tenth trial) someone pinned under a fallen tree; smoke from under a neighbour's door
    "树底下压着一个人",
    "树倒了压着一个人 一动也不动",
    "someone is stuck under the fallen tree",
    "there's smoke under my neighbour's door",
    "邻居家门缝里往外冒烟 敲门没人应",
]


# The other side of the cues above: the same words with nobody in danger now (a show, a
# question, a wish, work, a scare over, a gas smell nobody feels).
NEAR_MISS_GUARDS = [
    "刚才听到楼下有人喊救命 原来是在拍短视频 虚惊一场 不过挺吵的",
    "请问反家暴的热线电话是多少",
    "楼下在拍电视剧 演打架的戏 围了好多人",
    "两只狗在草坪上打架 主人拉开了 没人被咬",
    "孩子太调皮了 真想揍他一顿",
    "工地正在打地基 噪音很大",
    "对面那个人正在打电话 声音好大",
    "家里煤气味有点大 已经开窗了 家人都没事 但还是想请人来检查一下",
    "楼道里有股燃气味 好几天了 没人觉得不舒服",
    "my kids were play fighting with water guns, it's fine just noisy",
    "小孩子老是爬到楼顶天台边上玩 门也不锁",
    # from the eighth newcomer trial: a help question, a faint smell, a leak from upstairs
    "请问遭受家暴的话可以去哪里求助？",
    "where can my sister get help for domestic violence?",
    "有一点点煤气味 很淡 应该没事",
    "smells a bit like gas near the bins but it's faint, probably nothing",
    "翠湖苑2栋302漏水到楼下了",
    "楼上卫生间一直往我家天花板渗水",
    "water is leaking from the ceiling of the flat above into our kitchen",
    # (ninth trial) first aid as a volunteer's skill, a kit, a course
    "急救和开车",
    "我会急救，也有驾照",
    "楼道里的急救箱空了",
    "社区什么时候有急救培训",
    # (tenth trial) someone barbecuing downstairs and the smoke coming up
    "楼下有人烧烤，烟飘到我家阳台了",
]


@pytest.fixture(scope="module")
def city_nlu(embedded_nlu: EmbeddedBackend) -> EmbeddedBackend:
    return EmbeddedBackend(embedded_nlu.classifier, CITY_PLACES)


def test_the_probes_are_whole() -> None:
    counts = {name: len(probe) for name, probe in PROBES.items()}
    assert counts == {
        "dependant_probe.jsonl": 80,
        "dependant_probe2.jsonl": 200,
        "false_alarm_probe.jsonl": 260,
        "emergency_probe3.jsonl": 220,
        "emergency_probe4.jsonl": 240,
        "emergency_probe5.jsonl": 260,
        "dependant_probe3.jsonl": 210,
        "violence_probe.jsonl": 200,
        "violence_probe2.jsonl": 220,
    }
    assert (len(EMERGENCIES), len(NOT_EMERGENCIES)) == (1160, 729)


def urgent(prediction: Prediction) -> bool:
    """What the bot files an urgent case for."""
    sure = prediction.safety_net is not None or prediction.confidence >= EMERGENCY_CASE_CONFIDENCE
    return prediction.intent == "emergency" and sure


@pytest.mark.parametrize("text", EMERGENCIES)
def test_an_emergency_gets_an_urgent_case(city_nlu: EmbeddedBackend, text: str) -> None:
    prediction = city_nlu.parse_sync(text)
    assert urgent(prediction), prediction.ranking[:3]


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_no_danger_now_gets_no_urgent_case(city_nlu: EmbeddedBackend, text: str) -> None:
    prediction = city_nlu.parse_sync(text)
    assert not urgent(prediction), (prediction.safety_net, prediction.ranking[:3])


@pytest.mark.parametrize("text", RULE_GUARDS)
def test_a_rule_that_takes_an_alarm_away_leaves_these(city_nlu: EmbeddedBackend, text: str) -> None:
    prediction = city_nlu.parse_sync(text)
    assert prediction.intent == "emergency", (prediction.safety_net, prediction.ranking[:3])


@pytest.mark.parametrize("text", NEAR_MISS_GUARDS)
def test_the_same_words_with_nobody_in_danger_get_no_urgent_case(
    city_nlu: EmbeddedBackend, text: str
) -> None:
    prediction = city_nlu.parse_sync(text)
    assert not urgent(prediction), (prediction.safety_net, prediction.ranking[:3])
