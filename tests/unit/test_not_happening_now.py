"""The "not now" kinds (nlu/no_danger.py, nlu/safety_net.py), engine-independent: a danger that is
over (a past day and its resolution) or only imagined ("以后…找谁", "if I ever…") is never an
emergency, even when an engine is sure it is; a danger named inside a word for something else
(防走失手环, 急救站, "a fire waiting to happen") is no cue; "不是煤气味 / not gas" denies
the danger. The other side of each line stays an emergency: a past day with the danger still
going on, a resolution of one danger beside another. Both languages.
"""

from __future__ import annotations

import pytest

from nlu.device_faults import device_fault
from nlu.no_danger import not_happening_now
from nlu.safety_net import emergency_cue, without_negated_clauses
from nlu.types import LabelScore, prediction_from_ranking

SURE = [LabelScore("emergency", 0.95), LabelScore("report_property_management", 0.03),
        LabelScore("out_of_scope", 0.02)]  # fmt: skip

NOT_NOW = [
    # over: a past day and its resolution
    ("zh", "昨天电梯困人了 已经救出来了 希望检查一下"),
    ("zh", "前天晚上门口有人打架 警察已经处理了 想问问门禁能不能修"),
    ("zh", "上周三号楼厨房着火 已经扑灭了 墙还是黑的"),
    ("zh", "那天我家老人走丢了 后来找到了 社区有没有定位手环"),
    ("en", "my kid went missing for an hour on Sunday but we found him, any safety talks?"),
    ("en", "someone was trapped in the lift yesterday, they were rescued, please inspect it"),
    ("en", "there was a fight last night, police already dealt with it, the glass is still there"),
    ("en", "someone got stuck in the lift yesterday, they got out fine, please check it"),
    ("zh", "昨天电梯关人了 后来放出来了 希望检查"),
    # imagined: what to do if it ever happens
    ("zh", "以后闻到煤气味应该找谁"),
    ("zh", "以后要是遇到有人晕倒 我们应该先做什么"),
    ("zh", "万一电梯困人了打什么电话"),
    ("en", "what should I do if I ever smell gas in the stairwell"),
    ("en", "who do I call if someone gets stuck in the lift in future"),
    ("en", "if my old mum ever wanders off, who do I call"),
]

STILL_NOW = [
    # a past day, the danger still going on
    ("zh", "我妈昨天出门 到现在还没回来 她有点糊涂"),
    ("zh", "孩子昨天放学没回家 到现在都没找到"),
    ("en", "my dad went out yesterday and hasn't come back, he has dementia"),
    ("en", "my son didn't come home from school yesterday and still isn't back"),
    # one danger resolved, another not
    ("zh", "火已经灭了但是我爸还昏迷着"),
    ("en", "yesterday's fire is out but my neighbour is still trapped in the basement"),
    ("zh", "不是煤气味 是有人晕倒了"),
    # a danger now with its consequence imagined: still now
    ("zh", "有个小孩爬到窗外空调架上了 万一掉下来怎么办"),
    ("en", "my kid is on the window ledge, what should I do if he falls"),
]

NO_CUE = [
    ("zh", "家里老人有点糊涂 社区能办防走失手环吗"),  # prevention gear
    ("zh", "学校放假前搞防溺水宣传吗"),
    ("zh", "急救站门口乱停车"),  # a facility's name
    ("zh", "急救中心旁边的垃圾桶满了"),
    ("en", "e-bikes charging in the stairwell every night, it's a fire waiting to happen"),
    ("en", "that stairwell full of junk is a death trap"),
    ("en", "the stove almost caught fire last night"),  # a near miss
    ("en", "should I call 119 for a faint gas smell"),
    ("en", "the old tree could fall one day"),
    ("en", "it's not gas, it's the bins smelling in the heat"),  # denied
    ("zh", "不是煤气味 是垃圾桶臭"),
    ("zh", "垃圾臭味熏得我想吐"),  # a stink that turns the stomach: sanitation
    ("zh", "燃气费太贵了 想吐"),  # the gas bill
    ("zh", "高层热水器都打不着火 物业说不归他们管"),  # a heater that will not light
    ("en", "we are drowning in bills since my husband lost his job"),
    ("zh", "那棵树要是倒了砸到人就麻烦了"),  # a consequence imagined
    ("en", "what happens if the gas is leaking and nobody is home"),
    ("zh", "小孩老在马路上玩 很危险"),  # a habit: a risk to report, not danger now
    ("zh", "电梯门缝太大 怕卡到手"),
]

CUE_STAYS = [
    # ways residents say it that no cue had (from cross-validation misses)
    ("en", "patient at home suddenly lost consciousness what do i do"),
    ("en", "my kid gone almost two hours, what should i do"),  # a time, not a near miss
    ("en", "our old neighbour with dementia walked off and nobody can find him"),
    ("en", "grandma is forgetful, went for a walk and hasn't returned, it's getting dark"),
    ("en", "my boy said he was going to a friend's but they say he never came"),
    ("en", "a guy with a big chopper is chasing people through the night market"),
    ("en", "bedridden old woman left alone for days, she's calling out"),
    ("en", "workers on the tilted gondola could fall any second"),
    ("zh", "小孩不见了 在小区游乐场那边 一转身就没了"),
    ("zh", "快叫急救 有人倒地了"),
    ("zh", "有人晕倒了 快急救"),
    ("en", "fire in the stairwell, people can't get out"),
    ("en", "not gas but there's thick smoke and my son is inside"),
    ("zh", "打火机点着火了窗帘 快来人"),
    ("en", "a kid is drowning in the pond"),
    ("zh", "树倒了砸到人了"),
    ("en", "we are trapped in the lift"),
]


@pytest.mark.parametrize(("lang", "text"), NOT_NOW)
def test_a_danger_over_or_only_imagined_is_never_an_emergency(lang: str, text: str) -> None:
    assert not_happening_now(text)
    assert emergency_cue(text) is None
    prediction = prediction_from_ranking(SURE, "rasa", text=text)
    assert prediction.intent != "emergency", (lang, prediction.ranking[:2])


@pytest.mark.parametrize(("lang", "text"), STILL_NOW)
def test_a_danger_still_going_on_stays_an_emergency(lang: str, text: str) -> None:
    assert not not_happening_now(text)
    # Whatever the cues make of it (a 万一 turns them off), an engine's alarm stands.
    assert prediction_from_ranking(SURE, "rasa", text=text).intent == "emergency", lang


@pytest.mark.parametrize(("lang", "text"), NO_CUE)
def test_a_danger_inside_a_word_for_something_else_is_no_cue(lang: str, text: str) -> None:
    assert emergency_cue(text) is None, lang


@pytest.mark.parametrize(("lang", "text"), CUE_STAYS)
def test_the_danger_itself_is_still_a_cue(lang: str, text: str) -> None:
    assert emergency_cue(text) is not None, lang


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("不是煤气味 是垃圾桶臭", "是垃圾桶臭"),  # a space is a comma in voice-typed Chinese
        ("it's not gas, it's the bins", "it's the bins"),
        ("没有着火 有人晕倒了", "有人晕倒了"),
    ],
)
def test_a_denied_danger_is_set_aside_by_its_clause(text: str, kept: str) -> None:
    assert without_negated_clauses(text) == kept


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("smoke detector beeping for battery", True),
        ("燃气报警器滴滴响 应该是没电了", True),
        ("CO alarm chirping, needs a new battery", True),
        # someone unwell beside it: the alarm sounds for a reason
        ("carbon monoxide alarm beeping and my head is pounding", False),
        ("gas detector beeping non stop my daughter says her head hurts", False),
        ("一氧化碳报警器一直叫 我头好晕", False),
        ("燃气报警器乱响 家里老人恶心想吐", False),
    ],
)
def test_an_alarm_with_someone_unwell_beside_it_is_no_device_fault(text: str, fault: bool) -> None:
    assert device_fault(text) is fault
    assert (emergency_cue(text) is None) is fault


# Emergency on top of a flat ranking, below the share that always gets the numbers (0.30).
WEAK = [LabelScore("emergency", 0.28), LabelScore("report_other", 0.26),
        LabelScore("out_of_scope", 0.24), LabelScore("report_noise", 0.22)]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "emergency"),
    [
        # a figure of speech or a pet alone: a weak (or pet-only) guess is taken away
        ("热死了", False),
        ("这噪音吵死人了", False),
        ("this heat is killing me", False),
        ("我家狗跑出去了 一下午没回来", False),
        ("my cat is stuck on the roof of the bike shed", False),
        # a person in danger stays, whatever else is said
        ("热死了 老人中暑晕倒了", True),
        ("孩子还在车里 热死了", True),  # a person named: the engine's guess stands
        ("我被狗咬了 流了好多血", True),  # "I" am the person
        ("孙子被狗扑倒了 脸上全是血", True),
        ("吓死我了 有人站在楼顶边上", True),
        ("a dog is biting a kid in the playground", True),
        ("狗咬人了 孩子流了好多血", True),
        ("the shopkeeper is slumped on the counter, no reaction when I shake him", True),
        ("a pram rolled into the road with a baby in it", True),
        ("独居的残疾大哥被反锁在家里 两天没吃东西", True),
    ],
)
def test_a_weak_guess_on_a_figure_of_speech_or_a_pet_is_no_emergency(
    text: str, emergency: bool
) -> None:
    assert (prediction_from_ranking(WEAK, "rasa", text=text).intent == "emergency") is emergency
