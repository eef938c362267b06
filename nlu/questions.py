"""Is a text asked as a question? ("请问…有没有…", "能不能…", "is there…", "where can I…")

A resident who asks "is there a summer day camp for kids?" wants an answer, not a
case; the words of a question often overlap a report's ("托管班", "money for old
people"), so the model alone leans to a report. `prediction_from_ranking` uses
this to put a close FAQ topic first (nlu/types.py, QUESTION_FAQ_MIN_SHARE).
"""

from __future__ import annotations

import re
import unicodedata

_ZH_QUESTION = re.compile(
    r"请问|问一下|问下|想问|问问|咨询|有没有|有无|能不能|能否|可不可以|可以.{0,12}吗|是否|要不要|"
    r"需不需要|怎么|如何|怎样|咋|哪里|哪儿|哪个|在哪|什么时候|啥时候|几点|多少|多久|什么|啥|"
    r"[吗嘛呢][\s？?。!！~]*$|[？?]|(应该|该)(找谁|怎么办|打什么|先做什么|往哪)|找谁[\s。~]*$"
)
_EN_QUESTION = re.compile(
    r"^(is|are|do|does|did|can|could|where|when|what|how|which|who|will|would|may|should|"
    r"am i|any)\b|\?|\b(is there|are there|where can i|where do i|how do i|how can i|how much|"
    r"how long|what time|can i|do i need|do you know|i want to know|i'd like to know|"
    r"wondering)\b"
)
# "Can you fix…" / "能不能修一下" ask for an action: still a report.
_ZH_REQUEST = re.compile(
    r"(能不能|可不可以|可以|能否|麻烦|请).{0,6}(修|处理|管|清|派|来|帮忙(处理|看)|拆|搬|挪)"
)
_EN_REQUEST = re.compile(
    r"\b(can|could|would|will) (you|someone|somebody|u)\b.{0,20}\b(fix|repair|clean|remove|come|"
    r"send|sort|deal|take|check|look)\b"
)
_CJK = re.compile(r"[\u3400-\u9fff]")


def is_question(text: str) -> bool:
    """True for a question asked for information, False for a statement or a request to act."""
    folded = unicodedata.normalize("NFKC", text).lower().strip()
    if not folded:
        return False
    if _CJK.search(folded):
        return bool(_ZH_QUESTION.search(folded)) and not _ZH_REQUEST.search(folded)
    return bool(_EN_QUESTION.search(folded)) and not _EN_REQUEST.search(folded)
