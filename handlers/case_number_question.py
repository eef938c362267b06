"""A resident naming a case number (eleventh trial, item 4): "status of GD-2026-000001",
"GD-2026-000007 进度怎么样", "GD-7?". One of their own (reported or joined) shows its card; any
other number gets "that case number is not one of yours" (whether it exists for someone else
is never said) and then their own cases. Read before handlers.status_question, which would
show their own case for a question about another's."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.callback_data import button_data
from handlers import mycases
from handlers.edge import Turn
from handlers.status_question import asks_status
from handlers.typed_fold import fold
from storage.models import Case, CaseFollower

_NUMBER = re.compile(
    r"(?<![A-Za-z0-9])GD[-\s]?(?:(?P<year>\d{4})[-\s]?)?(?P<seq>\d{1,6})(?!\d)", re.IGNORECASE
)
_OWN_NUMBER = re.compile(r"GD-(?P<year>\d{4})-(?P<seq>\d+)")
SHORT_REST = 12  # letters beside the number: "GD-7?", "查一下 GD-7", "status GD-7"


async def take(turn: Turn) -> bool:
    """The case a typed number names, if it is the resident's; else "not one of yours" and
    their list. False when the text names no case number or is no question about one."""
    text, user = turn.incoming.text, turn.caller.user
    found = _NUMBER.search(text)
    if found is None or user.role in ("worker", "supervisor"):
        return False
    rest = fold(text[: found.start()] + text[found.end() :])
    if not asks_status(text) and len(rest) > SHORT_REST:
        return False  # a report that mentions a number: not a question about it
    followed = select(CaseFollower.case_id).where(CaseFollower.user_id == user.id)
    mine = (
        await turn.session.execute(
            select(Case).where((Case.reporter_id == user.id) | Case.id.in_(followed))
        )
    ).scalars()
    year, seq = found["year"], int(found["seq"])
    case = next((c for c in mine if _names(c.number, year, seq)), None)
    if case is not None:
        turn.incoming = turn.incoming.pressed(button_data("mc", "o", case.id))
        await mycases.on_mycases_button(turn)
        return True
    turn.out.say(turn.t("report.number_not_yours", number=found[0].upper()))
    await mycases.show_my_cases(turn.session, turn.runtime, turn.caller, turn.out)
    return True


def _names(number: str, year: str | None, seq: int) -> bool:
    own = _OWN_NUMBER.fullmatch(number)
    return own is not None and int(own["seq"]) == seq and year in (None, own["year"])
