"""A resident's own words for "fixed?" (trial 10, item 3): "修好了 谢谢", "灯已经亮了", "yes it
works now, thanks", "好了好了" say fixed; "还是不亮", "still broken", "没人来修" say not fixed.

Pure reading, no store: handlers.followup reads them only while a case of theirs waits for
that answer. A question ("修好了吗", "is it fixed yet?") is no answer (handlers.status_question
shows the case), nor are words that say both ("路灯好了 但垃圾还没收"): those go on as before.
"""

from __future__ import annotations

import re

FIXED, NOT_FIXED = "fixed", "notfixed"
LONGEST = 60  # characters: a longer message is a story, read by the usual steps

# "not any more": a symptom that stopped is fixed ("不漏了", "doesn't leak anymore").
_STOPPED = re.compile(
    r"不(?:再)?(?:漏|滴|响|吵|臭|堵|冒|积水|闪)(?:水|了)|没(?:有)?(?:问题|事)了?"
    r"|\b(?:no longer|not any ?more|doesn'?t (?:leak|smell|flicker|buzz)\w* any ?more)\b",
    re.IGNORECASE,
)
_NOT_FIXED = re.compile(
    r"(?:还是|还|仍然|依然|又|根本|压根)(?:不|没|坏|漏|在|有|那样|老样子|黑|堵|臭)"
    r"|没(?:有)?(?:修|好|解决|处理|弄|搞|清|收|人来|来人|亮|通|动)"
    r"|不(?:亮|通|能用|行|好使|灵)|坏(?:的|着)|未(?:解决|修好)"
    r"|\b(?:not|isn'?t|wasn'?t|aren'?t|hasn'?t been|never) (?:been )?"
    r"(?:fixed|working|solved|resolved|done|sorted|cleaned|cleared|repaired)\b"
    r"|\bstill\b|\b(?:doesn'?t|does not|don'?t|won'?t|can'?t) (?:work|turn on|light)"
    r"|\bbroken\b|\bnobody came\b|\bno one came\b|\bnothing (?:changed|happened|was done)\b",
    re.IGNORECASE,
)
_FIXED = re.compile(
    r"(?:修|弄|搞|处理|整|办|清理|清扫|打扫)(?:好|完|妥|干净)了?|(?:已经|都|也|终于|总算)?好了"
    r"|亮了|通了|干净了|(?:清|收|拉|运|搬|挪|拆|拖)(?:走|掉|完)了|解决了|恢复了|正常了"
    r"|(?:可以|能)用了|有(?:水|电|热水|信号)了|来(?:水|电)了|搞定|满意"
    r"|\b(?:fixed|repaired|solved|resolved|sorted|cleaned|cleared|gone|done|fine now|good now"
    r"|all good|works?(?: now| again| fine| great)?|working(?: now| again| fine)?|it'?s on"
    r"|lights? (?:is |are )?(?:on|back)|back on|back to normal)\b",
    re.IGNORECASE,
)
# Clauses: parted by punctuation, "but", or a space between Chinese words ("修好了 谢谢").
_CLAUSE = re.compile(
    r"\s*[,，。.!！;；、~～]+\s*|但是|但|可是|\bbut\b|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])",
    re.IGNORECASE,
)
# A question: the resident asks, does not answer.
_QUESTION = re.compile(
    r"[?？]|吗|了没|没有[?？]?$|么$|怎么样|\byet\b|^(?:is|are|has|have|did|was|when|why)\b",
    re.IGNORECASE,
)


def fixed_or_not(text: str) -> str | None:
    """FIXED or NOT_FIXED when the words answer "fixed?" one way; None otherwise."""
    words = text.strip()
    if not words or len(words) > LONGEST or _QUESTION.search(words):
        return None
    stopped = _STOPPED.search(words) is not None
    clauses = [c for c in _CLAUSE.split(_STOPPED.sub(" ", words)) if c]
    negated = [c for c in clauses if _NOT_FIXED.search(c)]
    unfixed = bool(negated)
    # "not fixed", "还没修好呢": a clause that negates says nothing fixed
    fixed = stopped or any(_FIXED.search(c) for c in clauses if c not in negated)
    if fixed == unfixed:  # neither, or both ("路灯好了 但垃圾还没收")
        return None
    return FIXED if fixed else NOT_FIXED
