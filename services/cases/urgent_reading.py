"""What an urgent case's words say beyond "help": its kind, a street nobody configured, and
words about the person concerned. Pure readings of text (no city aliases: a known estate or
street is services.places' to find, and comes first).

- `kind_of`: a missing person ("我妈有老年痴呆…还没回来", "my son is missing") or the rest
  (someone trapped, hurt, a fire...): the resident's wording fits the kind.
- `street_in`: a street address typed inside the words ("25 Binhai Avenue", "滨海大道和建设路"),
  kept as the urgent case's address so its staff see it, although no grid knows it.
- `describes_person`: clothes, age, looks, where last seen ("穿红色外套，75岁", "he's wearing
  a blue jacket", "last seen near the school gate"): news for the staff looking, never an
  address or a new report.
"""

from __future__ import annotations

import re
from enum import StrEnum


class UrgentKind(StrEnum):
    """The kind of emergency, as far as its wording tells the resident's next sentence."""

    MISSING = "missing"  # a person nobody can find
    OTHER = "other"  # someone in danger where they are


_MISSING = re.compile(
    r"走丢|走失|失踪|跑丢|弄丢|搞丢|看丢|跟丢|走散|不见了|找不到|找不着|联系不上|没影|"
    r"没(有)?回(来|家)|(孩子|小孩|儿子|女儿|老人|宝宝|娃)(给|被)?丢了|"
    r"\bmissing\b|wandered (off|away|out)|can'?t find|cannot find|lost my|disappeared|"
    r"(hasn'?t|has not|didn'?t|did not|never) (come|came|got|been) (back|home)|"
    r"not (come )?(back|home)|(isn'?t|is not) (back|home)|nowhere to be (found|seen)|gone missing"
)
# A danger where the person is: then "stay safe, help is coming" fits better than a search
# ("楼里着火了，找不到我儿子" is a fire first).
_DANGER_HERE = re.compile(
    r"火|烟|烧|炸|困|压|塌|血|晕|昏|倒地|溺|淹|掉|坠|触电|煤气|燃气|打架|砍|刀|"
    r"fire|smoke|burn|flame|trapped|stuck|collapse|bleed|blood|unconscious|faint|drown|flood|"
    r"fell|fallen|gas|knife|stab|fight|not breathing|ledge|window"
)


def kind_of(text: str) -> UrgentKind:
    """The kind of emergency the words tell: MISSING when someone cannot be found and no
    danger where anyone is is named; else OTHER."""
    lowered = text.lower()
    if _MISSING.search(lowered) and not _DANGER_HERE.search(lowered):
        return UrgentKind.MISSING
    return UrgentKind.OTHER


_EN_STREET_NOUN = r"road|rd|street|st|avenue|ave|boulevard|blvd|lane|highway|expressway|drive|dr"
# Words that sit before a street in a sentence but are no part of its name.
_EN_NOT_NAME = (
    r"the|a|an|on|at|in|into|near|by|of|to|from|off|my|our|his|her|their|we|we'?re|i|i'?m|is|"
    r"are|was|were|and|or|outside|opposite|behind|beside|across|corner|down|up|along|this|that|"
    r"same|main|busy|next|side|cross|crossing|middle|end|past|he|she|they|it|it'?s|there|"
    r"someone|somebody|man|woman|child|kid|car|bike|fire|smoke|help|please|now|just"
)
_EN_NAME_WORD = rf"(?!(?:{_EN_NOT_NAME}|{_EN_STREET_NOUN})\b)[a-z][a-z'-]*"
_EN_ONE_STREET = rf"(?:{_EN_NAME_WORD} ){{1,3}}(?:{_EN_STREET_NOUN})\b\.?"
_EN_STREET = re.compile(
    rf"(?<![a-z0-9])(?:\d{{1,5}}[a-z]? )?{_EN_ONE_STREET}(?: (?:and|&) {_EN_ONE_STREET})?",
    re.IGNORECASE,
)
# Characters that never sit inside a street's name but do in a sentence before one.
_ZH_NOT_NAME = (
    "了的着在有没被是不要吗呢啊吧把给让晕倒死掉摔困丢孩娃爸爷他她我你们人过走跑去来到上下"
    "从往回家这那个一条边旁门口车马公里出进开短电线水铁道网思套退半，。、！？,.!? "
)
_ZH_NAME_CHAR = rf"[^{_ZH_NOT_NAME}\sA-Za-z0-9]"
_ZH_NAME = rf"(?:人民{_ZH_NAME_CHAR}{{0,4}}?|{_ZH_NAME_CHAR}{{2,6}}?)"  # 人民路, not 老人路
_ZH_ONE_STREET = rf"{_ZH_NAME}(?:大道|大街|路|街)"
_ZH_NUMBER = r"(?:\d+|[一二三四五六七八九十百零]+)号"
_ZH_STREET = re.compile(
    rf"{_ZH_ONE_STREET}(?:{_ZH_NUMBER}|(?:和|与|跟|及|、){_ZH_ONE_STREET})?"
    r"(?:交叉口|交汇处|十字路口|路口|口)?"
)


def street_in(text: str) -> str | None:
    """A street address inside the words ("we're on the 9th floor at 25 Binhai Avenue" ->
    "25 Binhai Avenue", "滨海大道和建设路路口有人被撞了" -> "滨海大道和建设路路口"), as written;
    None when the words name no street."""
    found = _ZH_STREET.search(text) or _EN_STREET.search(text)
    return found.group(0).strip(" .") if found else None


_DESCRIBES = re.compile(
    # what they wear and carry
    r"穿(着|了|的)?|戴(着|了)?|外套|衣服|上衣|裤子|裙子|鞋|帽子|眼镜|书包|背包|拐杖|拄(着)?拐|"
    # age, build, looks, speech
    r"\d+\s*岁|[一二三四五六七八九十]+岁|个子|身高|一米[五六七八九]|\d+\s*(公分|厘米|cm)|"
    r"头发|白发|光头|胡子|口音|长相|胖胖|瘦瘦|"
    # where and when last seen
    r"最后(一次)?(看到|看见|见到|出现)|(上次|刚才)(看到|看见)|出门的时候|"
    r"wearing|dressed in|\b(jacket|coat|shirt|t-shirt|trousers|pants|jeans|dress|skirt|shoes|"
    r"trainers|sneakers|hat|cap|glasses|backpack|hoodie|sweater|jumper|walking stick|cane)\b|"
    r"\b\d+\s*(years?|yrs?)\s*old\b|\baged? \d+|\babout \d+\b|\b(hair|bald|beard|tall|height)\b|"
    r"\b\d+\s*cm\b|last seen|was last|\baccent\b",
    re.IGNORECASE,
)


def describes_person(text: str) -> bool:
    """Do the words describe the person concerned (clothes, age, looks, where last seen)?"""
    return _DESCRIBES.search(text) is not None


# The responders' own coming and going ("消防车到了", "the ambulance is here", "警察把人带走了"):
# news of the urgent case, whatever type the model guesses ("消防车" reads as traffic).
_RESPONDERS = re.compile(
    r"(消防车|消防员|救护车|急救车|120|110|119|警察|民警|警车|医生|护士|救援队|物业的人|保安)"
    r"\S{0,6}(到了|来了|走了|拉走|带走|送去|送走|进去了|上去了|在处理|抬下来|背下来|救出来)|"
    r"(?<![a-z])(fire ?(engine|truck|fighters|brigade|men)|ambulance|paramedics|police|cops)"
    r"( \w+){0,3} (is|are|has|have|just)? ?(here|arrived|came|come|left|gone|took|taking|inside|"
    r"on (the|their) way)(?![a-z])"
)


def speaks_of_responders(text: str) -> bool:
    """The fire engine, ambulance or police arriving, leaving or at work: news for the
    urgent case of the last minutes, not a new report."""
    return _RESPONDERS.search(text.lower()) is not None
