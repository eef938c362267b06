"""A resident asking after their own case (trial 10, item 4): "垃圾清了吗", "is the light fixed
yet?", "我报的那个怎么样了", "any update on my report?" shows where that case stands (its
/mycases card, with its buttons), not a new report.

Read before intent routing, only for a resident with an open (or resolved, awaiting their
word) case and no report draft. A question about progress names the case: the one case
open, or the one of the type the words are about; several left: the list (/mycases). A
question the model is sure is about something else (an FAQ: "办居住证要多久"), or a problem of
a type none of their cases has ("路灯坏了什么时候能修" with only a garbage case), goes on as
before, unless the words point at their own report ("我报的", "my report").
"""

from __future__ import annotations

import re

from bot.callback_data import button_data
from domain.lifecycle import OPEN_STATUS_VALUES
from handlers import mycases
from handlers.edge import Turn
from services.cases.resident import my_cases_page
from storage.models import Case

_ASKS = re.compile(
    r"[?？]|吗|嘛|了没|没有$|么$|怎么样|如何了|咋样|进展|进度|到哪|什么时候|啥时候|何时|多久"
    r"|怎么还|还没(?:有)?人?来|还要等|\byet\b|\bany (?:news|update|progress)\b|\bstatus\b"
    r"|\bwhen\b|\bhow long\b|\bhow(?:'s| is| are) (?:it|my|the)\b|\bwhat(?:'s| is) happening\b",
    re.IGNORECASE,
)
_PROGRESS = re.compile(
    r"修|清|处理|解决|弄|搞|办|好了|来人|人来|派人|怎么样|咋样|进展|进度|结果|到哪"
    r"|\bfix|\bclean|\bclear|\brepair|\bsort|\bdone\b|\bupdate|\bstatus\b|\bprogress"
    r"|\bhappen|\bhandled|\bcome\b|\bcoming\b",
    re.IGNORECASE,
)
_OWN = re.compile(
    r"我(?:报|反映|提交|投诉|说|登记)(?:过)?的|我那个|我的(?:问题|案件|单子|反映|投诉)"
    r"|上次(?:报|反映|说)的|\bmy (?:report|case|complaint|request|ticket)\b|\bi reported\b"
    r"|\bthe one i\b",
    re.IGNORECASE,
)
WAITING = frozenset({*OPEN_STATUS_VALUES, "resolved"})
# Intents that, when the model is sure, are about something other than the case.
ELSEWHERE = frozenset({"faq", "emergency", "volunteer_signup", "greet", "cancel"})


def asks_status(text: str) -> bool:
    """Does the text ask how a reported problem is getting on?"""
    if len(text) > 120:
        return False
    asks, progress = _ASKS.search(text), _PROGRESS.search(text)
    own = _OWN.search(text)
    return bool(asks and progress) or bool(own and (asks or progress))


async def take(turn: Turn) -> bool:
    """Show the case a status question is about. False when it is no such question (for
    this resident: staff, no waiting case, or about something else)."""
    text = turn.incoming.text
    user = turn.caller.user
    if user.role in ("worker", "supervisor") or not asks_status(text):
        return False
    page = await my_cases_page(turn.session, user, 0)
    waiting = [c for c in page.cases if c.status in WAITING]
    if not waiting:
        return False
    own = _OWN.search(text) is not None
    meant = _about(turn, waiting)
    if meant is None and not own:
        return False
    if len(meant or waiting) == 1:
        case = (meant or waiting)[0]
        turn.incoming = turn.incoming.pressed(button_data("mc", "o", case.id))
        await mycases.on_mycases_button(turn)
    else:
        await mycases.show_my_cases(turn.session, turn.runtime, turn.caller, turn.out)
    return True


def _about(turn: Turn, waiting: list[Case]) -> list[Case] | None:
    """The waiting cases the words are about; None when the model reads them as something
    else (a sure FAQ or other intent, or a report of a type none of these cases has)."""
    understanding = turn.understanding
    if understanding is None:
        return waiting
    prediction = understanding.prediction
    sure = prediction.confidence >= turn.runtime.settings.nlu_confirm_threshold
    if prediction.intent in ELSEWHERE and sure:
        return None
    if prediction.intent == "report" and prediction.case_type:
        same = [c for c in waiting if c.case_type == prediction.case_type]
        if same:
            return same
        return None if sure else waiting
    return waiting
