"""Words a resident types beside a report's step that are no answer to it (eleventh trial):
"by the way" before a question ("对了，社区办居住证要带什么材料？", "ok, by the way how do I…")
and hedges ("不知道", "not sure") where a place is asked. Read by handlers.registry (a "by the
way" question never presses the yes of "对了"/"ok") and handlers.report (a hedge is no address).
"""

from __future__ import annotations

import re

from handlers.typed_fold import fold, made_of
from handlers.typed_words import FILLERS

# "by the way", after an optional yes word: what follows is an aside, not the answer.
_BY_THE_WAY = re.compile(
    r"^\s*(?:(?:ok|okay|yes|yeah|好的?|嗯|是的?|哦|噢|啊)\s*[,，、.。!！]?\s*)?"
    r"(?:by the way|btw|oh,? and|oh,? also|and also|also|one more thing|one more question"
    r"|哦?对了|噢对了|啊对了|顺便(?:问(?:一)?下|问问|说(?:一)?下|再问(?:一)?下)?|还想问(?:一)?下"
    r"|还想问问|另外(?:问|想问)(?:一)?下|再问(?:一)?下|我还想问|还有个问题|还有一个问题)"
    r"[\s,，、:：.。]*(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)
# A question, in either language: its mark or its words.
_QUESTION = re.compile(
    r"[?？]|怎么|什么|哪|吗|如何|多少|几(?:点|号|天|个)|能不能|可不可以|可以不|是不是|有没有|要不要|为啥|为什么"
    r"|\b(?:how|what|where|when|who|which|why|can i|could i|do i|does|is there|are there"
    r"|should i|may i|is it|any)\b",
    re.IGNORECASE,
)


def asks(text: str | None) -> bool:
    """Does the text ask something (its mark or question words, in either language)?"""
    return bool(text) and _QUESTION.search(text or "") is not None


def by_the_way_rest(text: str | None) -> str | None:
    """The question after "by the way" words ("对了，还想问一下，老年卡怎么办？" → 老年卡怎么办？),
    or None when the text is no such aside (see by_the_way_question)."""
    rest, found = text or "", None
    while (match := _BY_THE_WAY.match(rest)) is not None and fold(match["rest"]):
        rest, found = match["rest"], match["rest"]
    return found if found is not None and asks(found) else None


def by_the_way_question(text: str | None) -> bool:
    """ "对了，社区办居住证要带什么材料？", "ok, by the way how do I apply for…", "oh and is…?":
    an aside that asks something, never the yes of its first word. "对", "对了", "ok" alone
    and "对了，3栋门口" (no question) are not."""
    return by_the_way_rest(text) is not None


# Words that bring up another problem ("另外，阳光花园3栋的路灯也坏了", "also the light at…").
_ANOTHER = re.compile(
    r"^\s*(?:另外|还有|此外|另一个|另一件|再就是|顺便说一下|also\b|another\b|and also\b|plus\b"
    r"|one more thing\b)",
    re.IGNORECASE,
)


def another_problem(text: str | None) -> bool:
    """Does the text start by bringing up another problem ("另外…", "also…")?"""
    return bool(text) and _ANOTHER.match(text or "") is not None


# "Don't know": an answer to "where / which community?", never words of the address.
HEDGES = (
    "不知道", "不清楚", "不太清楚", "不太知道", "不确定", "不太确定", "不晓得", "搞不清",
    "搞不清楚", "说不清", "说不清楚", "不记得", "忘了", "没注意", "不懂", "也不知道", "不知",
    "not sure", "unsure", "dont know", "don't know", "do not know", "no idea", "not certain",
    "dunno", "idk", "no clue", "cant remember", "can't remember", "cant say", "not really sure",
    "have no idea", "i have no idea", "not 100% sure", "beats me",
)  # fmt: skip
_AROUND_HEDGE = ("我", "i", "im", "i'm", "am", "really", "either", "也", "真", "真的", "其实",
                 "hmm", "um", "sorry", "抱歉", "不好意思", "哪个", "哪个社区", "which one", "which",
                 "community", "社区", "是", "about", "that", "grid", "网格", "the", "it",
                 "where", "在哪", "呢", "诶", "额")  # fmt: skip
_HEDGE_WORDS = frozenset(fold(w) for w in HEDGES)
_HEDGE_AROUND = _HEDGE_WORDS | frozenset(fold(w) for w in (*FILLERS, *_AROUND_HEDGE))


def hedge_only(text: str | None) -> bool:
    """ "not sure", "不知道", "I don't know which one", "不清楚是哪个社区": a "don't know" and
    nothing else (fillers around it aside)."""
    folded = fold(text or "")
    return (
        bool(folded) and any(w in folded for w in _HEDGE_WORDS) and made_of(folded, _HEDGE_AROUND)
    )
