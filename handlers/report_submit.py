"""The end of a report: similar open cases offered (并单), the case filed, or the draft dropped.

Apart from the steps before it because every way out of the conversation comes here: the
details step's "submit", the duplicate step's "join"/"file anew" buttons, showing the
duplicate step again (handlers.report_steps), and /cancel (handlers.basics). It needs only
the stored draft (handlers.report_draft), so nothing above it is imported.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callback_data import button_data
from bot.case_descriptions import describe_case_for_stranger
from bot.due_text import say_due
from bot.runtime import Runtime
from handlers.common import Caller
from handlers.replies import REMOVE_KEYBOARD, Replies, inline
from handlers.report_draft import (
    DUPLICATE,
    EMERGENCY_LOCATION,
    drop_draft,
    load_draft,
    save_draft,
    type_label,
)
from services.cases import emergency as emergency_service
from services.cases.drafts import ReportDraft
from services.cases.duplicates import join_case, likely_duplicates
from services.cases.filing import file_report
from storage.models import Case, CaseFollower


async def offer_duplicates_or_submit(
    session: AsyncSession, rt: Runtime, caller: Caller, draft: ReportDraft, out: Replies
) -> None:
    """Step 5: "Is it this one?" when similar open cases exist in the grid (并单)."""
    similar = await likely_duplicates(
        session,
        draft.grid_id,
        draft.text,
        rt.clock.now(),
        latitude=draft.latitude,
        longitude=draft.longitude,
    )
    if not similar:
        await submit(session, rt, caller, draft, out)
        return
    t, lang = rt.catalog.t, caller.lang
    draft.offered = [c.id for c in similar]
    # The resident's own case (or one they joined) is theirs, not "someone else's report".
    own = await _own_cases(session, caller, draft.offered)
    lines = [t(lang, "report.duplicates_own" if own == set(draft.offered) else "report.duplicates")]
    rows = []
    for case in similar:
        line = describe_case_for_stranger(case, rt.city, rt.catalog, lang)
        if case.id in own:
            name = type_label(rt, lang, case.case_type)
            line = t(lang, "report.own_case", number=case.number, case_type=name)
        lines.append("• " + line)
        rows.append(
            [
                (
                    t(lang, "button.join_case", number=case.number),
                    button_data("rep", "join", draft.token, case.id),
                )
            ]
        )
    rows.append([(t(lang, "button.file_new"), button_data("rep", "new", draft.token))])
    out.say("\n".join(lines), inline(rows))
    await save_draft(session, rt, caller, DUPLICATE, draft)


async def _own_cases(session: AsyncSession, caller: Caller, ids: list[int]) -> set[int]:
    """Which of these cases the resident reported or joined."""
    me = caller.user.id
    mine = select(Case.id).where(Case.id.in_(ids), Case.reporter_id == me)
    joined = select(CaseFollower.case_id).where(
        CaseFollower.case_id.in_(ids), CaseFollower.user_id == me
    )
    return set(await session.scalars(mine.union(joined)))


async def join_offered(
    session: AsyncSession, rt: Runtime, caller: Caller, case_id: int, out: Replies
) -> None:
    """The resident said "it is this one": they join the open case and the draft goes."""
    case = await join_case(session, case_id, caller.user, rt.clock.now())
    await drop_draft(session, caller)
    out.say(
        rt.catalog.t(caller.lang, "report.joined", number=case.number, count=case.reporter_count),
        REMOVE_KEYBOARD,
    )


async def submit(
    session: AsyncSession, rt: Runtime, caller: Caller, draft: ReportDraft, out: Replies
) -> None:
    """Step 6: store the case and tell the resident its number and expected time."""
    filed = await file_report(
        session,
        draft,
        caller.user,
        rt.city,
        rt.catalog,
        rt.clock.now(),
        duty_chat=rt.settings.duty_chat_id,
    )
    await drop_draft(session, caller)
    t, lang = rt.catalog.t, caller.lang
    grid = rt.city.grids.get(draft.grid_id or "")
    out.say(
        t(
            lang,
            "report.filed",
            number=filed.number,
            case_type=type_label(rt, lang, filed.case_type),
            grid=grid.name.get(lang) if grid else t(lang, "report.grid_unknown"),
            due=say_due(
                rt.catalog, lang, filed.due_at, filed.resolve_span, rt.city.timezone, rt.clock.now()
            ),
        ),
        REMOVE_KEYBOARD,
    )


async def cancel(session: AsyncSession, rt: Runtime, caller: Caller, out: Replies) -> None:
    """/cancel or the cancel button: drop the open draft (an emergency set aside stays)."""
    loaded = await load_draft(session, caller)
    if loaded is None:
        out.say(rt.catalog.t(caller.lang, "report.nothing_to_cancel"), REMOVE_KEYBOARD)
        return
    await drop_draft(session, caller)
    urgent = loaded[1].urgent_case
    if urgent:  # this report was set aside by (or begun after) an emergency, which stays open
        out.say(rt.catalog.t(caller.lang, "report.cancelled_urgent_stays", number=urgent))
        if not await emergency_service.knows_where(session, urgent):  # ask its place again
            waiting = ReportDraft(text="", language=caller.lang, emergency=True, case_number=urgent)
            await save_draft(session, rt, caller, EMERGENCY_LOCATION, waiting)
            out.say(rt.catalog.t(caller.lang, "emergency.still_need_place", number=urgent))
    else:
        out.say(rt.catalog.t(caller.lang, "report.cancelled"), REMOVE_KEYBOARD)
