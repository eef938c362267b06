"""What the resident is told of an urgent case's reach: help is promised only where a grid's
staff were told (services.cases.urgent_reach.Reach); a place outside every grid gets "outside
the area our staff cover, call 110/119/120" and at most "a supervisor was told"; the wording
fits the kind of emergency (a missing person is searched for, not rescued). Used by
handlers.emergency and handlers.report_place.
"""

from __future__ import annotations

from sqlalchemy import select

from handlers.edge import Turn
from handlers.replies import Markup
from services.cases.urgent_reach import Reach, reach_of
from services.cases.urgent_reading import UrgentKind, kind_of
from storage.models import Case


async def _reach(turn: Turn, number: str) -> Reach:
    return await reach_of(turn.session, number, turn.runtime.city)


async def _kind(turn: Turn, number: str) -> UrgentKind:
    words = await turn.session.scalar(select(Case.text).where(Case.number == number))
    return kind_of(words or "")


async def nobody_reached(turn: Turn, number: str) -> bool:
    """No alert about the urgent case is in the outbox for anyone: the resident must hear
    that nobody could be reached (call 110/119/120 yourself), never "staff alerted"."""
    return await _reach(turn, number) is Reach.NOBODY


async def located_key(turn: Turn, number: str) -> str:
    """The sentence after the urgent case got its place (a pin or typed words)."""
    reach = await _reach(turn, number)
    if reach is Reach.NOBODY:
        return "emergency.located_nobody"
    if reach is Reach.OUTSIDE:
        return "emergency.located_outside"
    if await _kind(turn, number) is UrgentKind.MISSING:
        return "emergency.located_missing"
    return "emergency.located"


async def say_located(turn: Turn, number: str, markup: Markup | None = None) -> None:
    key = await located_key(turn, number)
    turn.out.say(turn.t(key, number=number), markup)


async def say_if_outside(turn: Turn, number: str) -> None:
    """ "Outside the area our staff cover: call 110/119/120", when the urgent case's place is."""
    if await _reach(turn, number) is Reach.OUTSIDE:
        turn.out.say(turn.t("emergency.located_outside", number=number))


async def cancel_key(turn: Turn, number: str) -> str:
    """/cancel after the numbers: the urgent case stays; what may be said of it."""
    return {
        Reach.LOCAL: "emergency.cancel_keeps_case",
        Reach.NO_PLACE: "emergency.cancel_keeps_case_no_place",
        Reach.OUTSIDE: "emergency.cancel_keeps_case_outside",
        Reach.NOBODY: "emergency.cancel_keeps_case_nobody",
    }[await _reach(turn, number)]
