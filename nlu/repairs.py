"""Repairs, not dangers: a water leak, a supply cut, smoke from a barbecue.

Said alone they share words with emergencies ("漏水" with 漏气, "停电了" with people trapped in
a lift, "烟" with a fire), so a model gives them a share of `emergency`; without a cue, that
share is taken away (nlu.types.prediction_from_ranking). Beside a danger or someone who cannot
look after themselves, the engine decides.
"""

from __future__ import annotations

import re

from nlu.no_danger import DANGER_WORD

# Water where it should not be (a leak from upstairs, a seeping ceiling, a burst pipe) is a
# repair, never danger to life by itself (a flood is another matter, not read here): with no
# cue, the engine's `emergency` for it is taken away ("漏水到楼下了" shares 漏 with 漏气). Not
# beside gas, electricity or someone trapped: "漏到电箱冒火花".
_WATER = re.compile(
    r"漏水|渗水|滲水|滴水|返水|水管(爆|破|裂)|漏到(楼下|我家|隔壁)|"
    r"(?<![a-z])(water (is )?(leak|drip|seep|pour|coming)\w*|leak\w* (water|from (the )?"
    r"(ceiling|upstairs|flat|roof|pipe))|burst pipe|pipe (has )?burst|ceiling (is )?(leak|drip)\w*)"
)
_NOT_ONLY_WATER = re.compile(
    r"煤气|燃气|天然气|液化气|电箱|电线|插座|电闸|配电|火花|冒烟|着火|触电|困|出不去|淹|溺|冲走|"
    r"(?<![a-z])(gas|spark\w*|sockets?|electric\w*|wires?|wiring|fuse ?box|smok\w*|fire|trapped|"
    r"stuck|drown\w*|swept)(?![a-z])"
)


def water_leak_only(text: str) -> bool:
    """A water leak with no gas or electricity beside it ("翠湖苑2栋302漏水到楼下了")."""
    lowered = text.lower()
    return _WATER.search(lowered) is not None and _NOT_ONLY_WATER.search(lowered) is None


# Someone who cannot look after themselves: beside a supply cut or smoke, the engine decides
# ("停电了 瘫痪的老人一个人在家 屋里四十度", "no power and the baby is alone upstairs").
_AT_RISK = (
    r"老人|孩子|小孩|婴儿|宝宝|娃|瘫痪|卧床|独居|一个人|孕妇|病人|残疾|轮椅|痴呆|"
    r"(?<![a-z])(elderly|old (man|woman|lady)|bab(y|ies)|kids?|child(ren)?|toddler|infant|"
    r"bedridden|alone|pregnant|patient|disabled|wheelchair|dementia)(?![a-z])"
)


# A supply cut (water, electricity, gas, heating, hot water, pressure) is the estate manager's
# repair ("停水了", "no heating"); a phone or a bike out of charge is none ("手机没电了").
_SUPPLY_CUT = re.compile(
    r"停水|断水|(?<!手机)(?<!电话)(?<!电池)(?<!车)没(有)?水|不出水|来水|停电|断电|"
    r"(?<!手机)(?<!电话)(?<!电池)(?<!车)没(有)?电(?!话|梯|池|瓶|车)|"
    r"来电|跳闸|停气|停暖|(燃气|煤气|天然气)(停|没)|(燃气|煤气|天然气|灶)\S{0,2}(打|点)不着|"
    r"没(有)?(暖气|热水)|暖气(片)?(不热|冰凉|不暖|没(有)?温度)|"
    r"热水没了|水压(太|很|特别)?(低|小|不够)|"
    r"(?<![a-z])(no (running )?(water|power|electricity|gas|heating|heat|hot water)|"
    r"(water|power|electricity|gas|heating|hot water)('s| is| has been| was| got)? "
    r"(off|out|cut( off)?|gone|down)|(power|water|gas) (cut|outage|failure)s?|outage|blackout|"
    r"(water|gas|power|electricity|heating) supply (has )?(stopped|cut|off|gone)|"
    r"(power|electricity|lights|heating) (went|has gone|have gone|goes) (out|off)|"
    r"radiators? (are |is )?cold|(low|weak) water pressure|water pressure (is )?(too |very )?low|"
    r"taps? (is |are )?dry)(?![a-z])"
)
# Beside a cut, a danger: someone trapped, on a breathing machine, hurt or ill, a fire or a gas
# smell, or a person missing ("停电了 电梯里关着人", "power's out and dad is on oxygen").
_NOT_ONLY_SUPPLY = re.compile(
    r"困|关(在|着)|出不去|呼吸机|制氧|吸氧|氧气|透析|晕|昏|倒地|抽搐|中暑|冻僵|失温|摔|(?<!打不)(?<!点不)着火|火花|"
    r"冒烟|烧|煤气味|燃气味|气味|闻到|漏气|没回来|找不到|走丢|失踪|联系不上|不见了|救命|"
    + _AT_RISK
    + "|"
    r"(?<![a-z])(trapped|stuck|oxygen|ventilator|dialysis|life support|faint\w*|collaps\w*|"
    r"unconscious|fire|smoke|smell\w*|spark\w*|burn\w*|missing|not back|hasn'?t come (home|back)|"
    r"can'?t find|help)(?![a-z])"
)


# Smoke with its everyday source named (a barbecue, burning straw, a chimney): the cues' fire
# words are vetoed beside it (nlu.safety_net), and so is the engine's guess when nothing
# says fire, people in it or anyone struggling to breathe.
SMOKE_SOURCE = re.compile(
    r"烟囱|烧垃圾|烧烤|烤肉|烧纸|秸秆|烧香|烧树叶|"
    r"(?<![a-z])(bbq|barbecue|grill\w*|chimney|burning (rubbish|trash|garbage|leaves|incense|"
    r"straw)|firework\w*|hot ?pot)(?![a-z])"
)
_NOT_ONLY_SMOKE = re.compile(
    r"着火|起火|火(很|好|太|越来越)?大|火苗|烧起来|困|出不去|喘不|呛得|晕|救命|电瓶|电池|炸|爆|"
    r"人还|楼道(里)?(全|都)是|头(晕|疼|痛)|恶心|想吐|一氧化碳|炭|门窗(都)?(紧)?(关|闭)|"
    + _AT_RISK
    + "|"
    r"(?<![a-z])(on fire|flames?|caught fire|spread\w*|trapped|stuck|can'?t breathe|battery|"
    r"choking|faint\w*|collaps\w*|help|explo\w*|people|filling|woozy|dizzy|drowsy|headache|"
    r"sick|vomit\w*|passed out|charcoal|carbon monoxide|windows? (shut|closed))(?![a-z])"
)


_SMOKE = re.compile(r"烟|(?<![a-z])(smoke|smoky|fumes)(?![a-z])")


def smoke_from_a_source(text: str) -> bool:
    """Smoke whose everyday source is named, with no fire or struggling person beside it
    ("lots of smoke from the BBQ area", "窗外有浓烟 是那边在烧秸秆")."""
    lowered = text.lower()
    return (
        _SMOKE.search(lowered) is not None  # the smoke itself, not only a barbecue stall
        and SMOKE_SOURCE.search(lowered) is not None
        and _NOT_ONLY_SMOKE.search(lowered) is None
        and DANGER_WORD.search(_SMOKE.sub(" ", SMOKE_SOURCE.sub(" ", lowered))) is None
    )


def supply_cut_only(text: str) -> bool:
    """A cut of water, electricity, gas or heating and no danger beside it ("停水了",
    "no heating since Monday")."""
    lowered = text.lower()
    return _SUPPLY_CUT.search(lowered) is not None and _NOT_ONLY_SUPPLY.search(lowered) is None
