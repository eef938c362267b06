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
    if any(_says(c, ANY_TIME) for c in clauses):
        times = list(AVAILABILITY)
    else:
        times = [a for a in AVAILABILITY if any(_says(c, AVAILABILITY_WORDS[a]) for c in clauses)]
    return Heard(tuple(found_skills), tuple(times))
