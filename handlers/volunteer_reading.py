"""A new volunteer's own words for skills and availability (trial 10, item 1): "会开车，周末有空",
"我懂急救 晚上可以", "I can drive, free on weekends", "any time".

Pure reading, no store: handlers.volunteer keeps what is read at whichever step the words
come (the skills step may hear the availability too), so nothing typed is lost. A clause
that says no ("周末不行", "can't drive") names nothing. Skills are the config's ids: their
names in both languages always count; the shipped ones have more words here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from config.schema import Localized
from services.volunteers.profiles import AVAILABILITY, VolunteerDraft

SKILL_WORDS: dict[str, tuple[str, ...]] = {
    "driving": ("开车", "驾驶", "司机", "有车", "驾照", "会开", "drive", "driving", "driver",
                "car"),
    "first_aid": ("急救", "心肺复苏", "护士", "医生", "包扎", "first aid", "cpr", "nurse",
                  "doctor", "paramedic"),
    "elderly_visits": ("探访老人", "陪老人", "看望老人", "老人", "长者", "elderly", "seniors",
                       "old people", "visiting"),
    "epidemic_control": ("防疫", "核酸", "值守", "疫情", "消杀", "epidemic", "covid",
                         "pandemic", "disinfect"),
    "translation": ("翻译", "英语", "外语", "英文", "translate", "translation", "translating",
                    "interpret", "interpreting", "english"),
    "cleanup": ("清洁", "打扫", "捡垃圾", "扫地", "大扫除", "clean", "cleaning", "clean-up",
                "cleanup", "litter", "tidy", "sweep"),
}  # fmt: skip
AVAILABILITY_WORDS: dict[str, tuple[str, ...]] = {
    "weekdays": ("工作日", "平时", "平日", "周一到周五", "星期一到星期五", "weekday", "weekdays",
                 "monday to friday", "mon-fri", "during the week"),
    "evenings": ("晚上", "傍晚", "下班后", "夜里", "晚间", "evening", "evenings", "night",
                 "nights", "after work"),
    "weekends": ("周末", "星期六", "星期天", "星期日", "周六", "周日", "礼拜六", "礼拜天",
                 "weekend", "weekends", "saturday", "saturdays", "sunday", "sundays"),
}  # fmt: skip
ANY_TIME = ("随时", "都可以", "什么时候都", "都有空", "任何时间", "全天", "anytime", "any time",
            "whenever", "all week")  # fmt: skip
# A clause that says no names nothing ("周末不行", "不会开车", "can't drive").
_NO = re.compile(
    r"不会|不懂|不行|不可以|不方便|不能|没空|没时间|没有时间|除了"
    r"|\b(?:not|no|can'?t|cannot|don'?t|except|never|busy)\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(
    r"\s*[,，。.!！;；、/]+\s*|但是|但|可是|\bbut\b|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Heard:
    skills: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.skills or self.availability)

    def tick(self, draft: VolunteerDraft) -> None:
        """Add what was heard to the draft's choices; nothing chosen before is unticked."""
        draft.skills = [*draft.skills, *(s for s in self.skills if s not in draft.skills)]
        more = [a for a in self.availability if a not in draft.availability]
        draft.availability = [*draft.availability, *more]


def _says(clause: str, words: Iterable[str]) -> bool:
    for word in words:
        if word.isascii():
            if re.search(rf"\b{re.escape(word)}\b", clause, re.IGNORECASE):
                return True
        elif word in clause:
            return True
    return False


def read_volunteer_words(text: str, skills: Mapping[str, Localized]) -> Heard:
    """The skills (config ids, in config order) and availability the words offer."""
    clauses = [c for c in _CLAUSE.split(text.strip()) if c and not _NO.search(c)]
    found_skills = [
        skill
        for skill, name in skills.items()
        if any(_says(c, (name.zh, name.en, *SKILL_WORDS.get(skill, ()))) for c in clauses)
    ]
    # "都可以" is any time unless the clause names the times it is ("晚上和周末都可以")
    if any(_says(c, ANY_TIME) and not _mentions(c) for c in clauses):
        times = set(AVAILABILITY)
    else:
        times = {slot for c in clauses for slot in _times(c)}
    return Heard(tuple(found_skills), tuple(a for a in AVAILABILITY if a in times))


# Free times are days ("工作日", "weekends") and parts of a day ("上午", "evenings", "7点以后",
# "after 7pm"). Said next to each other they qualify each other: "周末上午" and "Saturday
# mornings" are weekends, "工作日晚上" and "evenings on weekdays" are evenings, never the
# weekday daytime; said apart ("晚上和周末", "weekdays and evenings") each counts alone.
WEEKDAY, WEEKEND, EVENING, DAYTIME = "weekday", "weekend", "evening", "daytime"
DAYTIME_WORDS = ("上午", "早上", "早晨", "白天", "中午", "下午", "上班时间", "morning",
                 "mornings", "afternoon", "afternoons", "daytime", "during the day",
                 "midday")  # fmt: skip
EVENING_WORDS = (*AVAILABILITY_WORDS["evenings"], "晚", "夜间", "weeknight", "weeknights",
                 "tonight")  # fmt: skip
_PART_WORDS = {
    WEEKDAY: AVAILABILITY_WORDS["weekdays"],
    WEEKEND: AVAILABILITY_WORDS["weekends"],
    EVENING: EVENING_WORDS,
    DAYTIME: DAYTIME_WORDS,
}
_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10}  # fmt: skip
_HOUR = r"(\d{1,2}|十[一二]?|[一二两三四五六七八九十])"
# "7点以后", "19点后", "after 7pm", "from 19:00", "7pm onwards": a time of day from an hour.
_FROM_HOUR = re.compile(
    rf"{_HOUR}\s*点(?:半|钟)?\s*(?:以后|之后|后|起|开始)"
    rf"|\b(?:after|from|past)\s+{_HOUR}(?::\d\d)?\s*(?P<half>am|pm|a\.m\.|p\.m\.)?"
    rf"|\b{_HOUR}(?::\d\d)?\s*(?P<half2>pm|p\.m\.)\s*(?:on|onwards)?",
    re.IGNORECASE,
)
# What may stand between a day and its part of the day ("工作日的晚上", "evenings on weekdays").
_GLUE = re.compile(r"(?:\s|的|都|也|\b(?:on|at|in|during|every|each|the|of|most)\b)*",
                   re.IGNORECASE)  # fmt: skip


def _hour(said: str) -> int:
    if said.isdigit():
        return int(said)
    if said.startswith("十"):
        return 10 + (_ZH_DIGITS[said[1]] if len(said) > 1 else 0)
    return _ZH_DIGITS[said]


def _mentions(clause: str) -> list[tuple[int, int, str]]:
    """Where the clause names a day or a part of the day: (start, end, kind), in order, a
    word inside a longer one left out ("weekday" in "weekdays", "晚" in "晚上")."""
    found: list[tuple[int, int, str]] = []
    for kind, words in _PART_WORDS.items():
        for word in words:
            pattern = rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word)
            found += [(m.start(), m.end(), kind) for m in re.finditer(pattern, clause, re.I)]
    for m in _FROM_HOUR.finditer(clause):
        hour = _hour(next(g for g in m.groups() if g))
        half = (m.group("half") or m.group("half2") or "").lower().replace(".", "")
        evening = hour >= 17 or (half != "am" and 5 <= hour <= 11)
        found.append((m.start(), m.end(), EVENING if evening else DAYTIME))
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in found:
        if kept and start < kept[-1][1]:
            continue  # inside (or across) the one before
        kept.append((start, end, kind))
    return kept


def _times(clause: str) -> set[str]:
    """The availability slots one clause offers, days and parts said together read as one."""
    groups: list[set[str]] = []
    last_end = None
    for start, end, kind in _mentions(clause):
        if last_end is not None and _GLUE.fullmatch(clause[last_end:start]):
            groups[-1].add(kind)
        else:
            groups.append({kind})
        last_end = end
    slots: set[str] = set()
    for kinds in groups:
        if WEEKEND in kinds:
            slots.add("weekends")  # a weekend's morning or evening is the weekend
        if EVENING in kinds and (WEEKEND not in kinds or WEEKDAY in kinds):
            slots.add("evenings")
        if WEEKDAY in kinds and (DAYTIME in kinds or EVENING not in kinds):
            slots.add("weekdays")  # weekday daytime only when no evening qualifies it
    return slots
