"""Kinds of danger that no single phrase names, for the safety net (nlu.safety_net).

A child alone by deep water, a child shut in a hot car, a confused parent who went out and
is not back: each part alone is ordinary speech, all of them together are an emergency.
"""

from __future__ import annotations

import re

from nlu.scene_cues import SCENE_COMBINATIONS

# Kinds of danger no single phrase names: WHO is in it, the STATE they are in, WHERE or WITH
# WHAT. Every part of one combination must appear in the text (in any order), so a child
# near a lake is a cue only when nobody is with the child, and a confused parent only when
# they have gone out and not come back. A habit ("经常", "every day") is a report about a
# risk, not danger now, so it turns the combinations off.
_ZH_CHILD = (
    r"(孩子|小孩|小朋友|小娃|娃|伢|宝宝|婴儿|幼儿|孙子|孙女|外孙|儿子|女儿|闺女|崽|老二|老三|老幺)"
)
_ZH_ELDER = (
    r"(老人|老头|老太|老爷子|老太太|大爷|大妈|奶奶|爷爷|外婆|外公|姥姥|姥爷|老妈|老爸|我妈|我爸|"
    r"俺娘|俺爹|老伴|婆婆|公公|岳父|岳母)"
)
_EN_CHILD = (
    r"\b(kids?|child|children|toddlers?|bab(y|ies)|infant|newborn|boy|girl|son|daughter|"
    r"little one|grand(son|daughter|kid|child)|\d+ ?(yo|year old|yr old)s?)\b"
)
_EN_ELDER = (
    r"\b(grand(ma|pa|mother|father|dad|mum|mom)|granny|gran|nan|mum|mom|mother|dad|father|"
    r"old (man|woman|lady|guy|person)|elderly \w+|husband|wife|aunt|uncle)\b"
)
_COMBINATIONS: tuple[tuple[str, ...], ...] = (
    # a child with nobody minding them, somewhere that kills
    (_ZH_CHILD, r"(一个人|独自|没(有)?大人|大人(都|也)?(不在|没(有)?)|家长不在|没人(看|管|跟)|"
     r"周围没人|没人在身边|工人都下班|就(他|她)一个|只有(他|她)一个|家里没(有)?(人|大人))",
     r"(河|湖|江|海边|塘|水库|水池|泳池|水边|水沟|马路(中间|上|边)|公路|高速|铁轨|铁路|"
     r"窗外|窗台|窗户外|阳台(外|边|栏杆)|楼顶|顶楼|天台|屋顶|楼边|空调(外机|架)|工地|基坑|深坑|施工坑|"
     r"井边|冰面|插座|电线|电闸|煤气灶|燃气灶|打火机|火柴)"),
    (_EN_CHILD, r"(alone|by (him|her|it)self|on (his|her|its) own|no (adults?|parents?|grown-?ups?|"
     r"one)( (around|there|watching|with))?|parents? (not|aren'?t|are not|nowhere|gone)|"
     r"nobody (watching|around|with)|unattended|left behind)",
     r"\b(lake|river|pond|pool|canal|reservoir|sea|shore|water|road|highway|motorway|traffic|"
     r"rail(way)?|tracks|window|balcony|roof|rooftop|ledge|building site|construction site|"
     r"well|ice)\b"),
    # a child climbed onto something with nothing below: "伢在阳台上爬到花架上去了 外面就是空的"
    (_ZH_CHILD, r"(爬|翻|站|蹲|探|坐)(到|在|上|出)",
     r"(花架|栏杆|护栏|窗台|防盗网|空调|雨棚|外面就是空的|下面就是空的|悬空)"),
    (_EN_CHILD, r"\b(on the outside of|outside (it|the|of the|her|his|their)|over the|"
     r"(squeezed|crawled|got|slipped) (out|through)|"
     r"climb\w* (out|over|onto|on|up)|hanging (off|from|out)|sitting on|standing on|out on)\b",
     r"\b(balcony|window\w*|railings?|grill\w*|ledge|sill|ac unit|air ?con\w*|bracket|roof|"
     r"parapet)\b"),
    # a child or dependant shut in a car
    (_ZH_CHILD, r"(车(里|内|上)|后座|安全座椅|婴儿座椅)",
     r"(锁|关着|晒|热|太阳|闷|哭|没人|大人不在|车主不在|窗(户)?(都)?关|车窗(全|都)?关|熄火|满头(大)?汗|"
     r"脸(都)?(红|紫)|[三四]十(几|多)?度|[34]\d度)"),
    (_EN_CHILD, r"\b(in|inside) (a|the|an|his|her|their|that|this|my|our|some|\w+'s|\w+) "
     r"(\w+ )?(car|van|suv|minibus|bus)\b",
     r"\b(hot|heat|sun|sunshine|locked|windows? (up|closed|shut)|nobody|no one|alone|crying|"
     r"screaming|sweat\w*|degrees|boiling|owner|parents? (gone|not))"),
    # someone who cannot look after themselves shut in, without food or help for days
    (r"\b(disabled|bedridden|paralys\w+|paralyz\w+|elderly|old (man|woman|lady)|grand\w+|"
     r"dementia)\b",
     r"\b(locked in|left alone|alone at home|on (his|her) own)\b",
     r"\b(days|no food|without food|weak|calling|shouting|crying|hasn'?t eaten|not eaten)\b"),
    # someone who cannot leave their bed, with nobody bringing food or coming for days
    (r"(瘫在床|瘫痪|卧床|下不了床|起不来床|动不了)",
     r"(没吃没喝|没饭吃|没水喝|饿了|没人(管|送饭|照顾)|[两三四五六七\d几]天没(人)?(来|露面|上门)|"
     r"好几天没(人)?(来|露面)|没露面|哼哼|呻吟|喊饿|没人拿)"),
    (r"\b(bedridden|bed-?bound|paralys\w+|paralyz\w+|can'?t get out of bed|disabled)\b",
     r"\b(carer|caregiver|nurse|helper|nobody|no one|family)\b.{0,30}"
     r"(hasn'?t|has not|didn'?t|did not|not|never) (come|came|been|shown up|turned up)",
     r"\b(hungry|no food|without food|weak|knocking|calling|crying|shouting|thirsty|alone|"
     r"can'?t reach|no water)\b"),
    # someone who cannot look after themselves, alone where it kills
    (r"(轮椅|瘫痪|残疾|痴呆|失智|糊涂)", r"(一个人|没人|家属不在|家属不知道|家里人不在|没有家人)",
     r"(水边|河边|湖边|河里|湖里|马路|路中间|楼梯|台阶|火车道|铁轨)"),
    # a confused or demented elderly person who went out and is not back
    (r"(痴呆|糊涂|记性不好|记不住|认不得路|不认路|不记得路|阿尔茨海默|阿兹海默|脑萎缩|失智)",
     r"(出去|出门|走出|跑出|溜出|没回|找不到|找不着|联系不上|不见|走丢|走失|没影)"),
    (r"(dementia|alzheimer\w*|confused|memory (loss|problems?)|forgetful|gets lost|senile|"
     r"not in (his|her) right mind)",
     r"(went out|walked out|walked (off|away)|wandered|left (home|the (house|flat|building))|"
     r"got out|slipped out|let (him|her)self out|"
     r"not (come )?back|(hasn'?t|has not|not) returned|"
     r"hasn'?t come (back|home)|(hasn'?t|has not) been (back|home)|can'?t find|cannot find|"
     r"missing|disappeared|nobody knows where|"
     r"no idea where|gone (for|since))"),
    # a child or parent out of reach for hours: not back, cannot be found or reached
    (_ZH_CHILD + r"|" + _ZH_ELDER,
     r"(跟丢|走散|没影了|联系不上|打不通|找不着|找遍|到处找|哪都找不到)"),
    (_EN_CHILD,
     r"(separated from|can'?t (find|reach)|cannot (find|reach)|not (back|home)( yet)?|"
     r"isn'?t (back|home)|hasn'?t (come|been|got) (back|home)|never (came|got) (back|home)|"
     r"should(n'?t)? (have|'ve) been (back|home)|late (home|back|from)|vanished|disappeared|"
     r"nowhere to be (found|seen))"),
    # a supply cut with someone on a machine that keeps them alive
    (r"(停电|断电|没电|跳闸|来电|power|electricity|blackout|outage)",
     r"(停|断|没|跳|cut|out|off|down|went|outage|blackout)",
     r"(呼吸机|制氧机|吸氧|氧气|透析|ventilator|oxygen|dialysis|life support|breathing machine|"
     r"cpap)"),
    # a lift stopped with someone in it (the lift alone is a repair: "电梯停了")
    (r"(电梯|升降梯)", r"(停了|停住|停电|断电|没电|卡住|卡在|不动|停在|掉电|坏在|坏了)",
     r"(里(面|头)?(还)?有人|(?<!没)(?<!没有)人(还)?在里(面|头)|(?<!没)(?<!没有)关着(人|\S{0,4}(孩子|老人|小孩))|"
     r"(孩子|老人|小孩|小朋友|我妈|我爸|奶奶|爷爷)\S{0,3}在(电梯)?里(面|头)?)"),
    (r"\b(lift|elevator)s?\b", r"\b(stopped|stuck|stalled|power|broke down|dead|jammed)\b",
     r"\b(someone|somebody|people|person|a (man|woman|kid|child|lady|boy|girl)|kids?|children|"
     r"\w+ people|my \w+|(he|she|they)('s|'re| is| are))( is| are)?( still)? "
     r"(inside|in (it|there|the lift|the elevator))\b"),
    # a gas hob or pipe hissing, with a smell or its symptoms
    (r"\bhiss\w*", r"\b(gas|stove|hob|cooker|pipe|valve|smell\w*|eyes? sting\w*|dizzy|"
     r"headache|sick|can'?t turn it off)\b"),
    # a farewell message with a height or a way to end it
    (r"\b((texted|messaged|sent|posted|wrote|said) (me |us |her |him )?(a )?(goodbye|farewell)|"
     r"goodbye (note|letter|message|text|post)|suicide note)",
     r"\b(roof|rooftop|bridge|ledge|top floor|jump|pills|river|end (it|her life|his life))"),
    # fire seen only as its glow or smoke that hides the way out
    (r"\b(orange|glow\w*|smoke|smoky|flames?|heat|hot)\b",
     r"\b(can'?t|cannot|couldn'?t) see (the |a )?(door|exit|stairs|way out|anything)\b"),
    # someone gone down where water is rising and not able to get out
    (r"\b(water|flood\w*)\b",
     r"\b(door (won'?t|will not|doesn'?t|does not|can'?t) open|can'?t get (out|up|back)|"
     r"hasn'?t come (back )?up)\b",
     r"\b(neighbou?r|someone|somebody|he|she|my \w+|people|kids?)\b"),
    # fire or smoke with people unable to get out
    (r"(着火|起火|失火|火(很|好|太|越来越)?大|冒火|火苗|火势|烧(起来|着)|着了|浓烟|黑烟|全是烟|"
     r"烟(很|好|太)大|冒烟|烟雾|炸了|爆了|爆炸|爆燃)",
     r"(下不来|下不去|出不去|出不来|跑不出|逃不出|困在|堵在(家|楼上|屋)|门都打不开|不敢出去)"),
    (r"\b(fire|smoke|smoky|flames?|burning|blaze|exploded|blew up)\b",
     r"((can'?t|cannot|unable to|couldn'?t) (get|go|come|run) (out|down|downstairs)|"
     r"stuck (upstairs|inside|in (the|our|my) (flat|room|home))|trapped|cut off)"),
)  # fmt: skip
HABIT = re.compile(
    r"经常|老是|总是|天天|每天|常常|(?<![大])老(在|去|跑|往|爬|趴|坐|站|蹲|玩|打|不)|总(在|去|跑|往|爬)|"
    r"几年(?!级)|多年|"
    r"\b(often|always|every (day|night|week|weekend|morning|evening)|usually|all the time|"
    r"keeps? (going|leaving)|"
    r"in future|one day|for (years|months)|every \w+day|"
    r"on (the )?weekends?|at weekends)\b"
)
_COMBINED = tuple(
    tuple(re.compile(part) for part in parts) for parts in (*_COMBINATIONS, *SCENE_COMBINATIONS)
)
# Under a habit, a cue about a child somewhere risky is the risk report, unless the child
# has already fallen in or come to harm.
CHILD_CUE = re.compile(_ZH_CHILD + "|" + _EN_CHILD)
HARM = re.compile(r"掉|落水|溺|摔|fell|fallen|drown")


def combined_cue(lowered: str) -> str | None:
    """ "孩子+一个人+河边", "kid+alone+lake": a combination whose every part is in the text."""
    if HABIT.search(lowered):
        return None
    for parts in _COMBINED:
        found = [p.search(lowered) for p in parts]
        if all(found):
            return "+".join(m.group(0) for m in found if m is not None)
    return None
