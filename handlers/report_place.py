"""Where the problem is: a typed or shared place for the open report (step 3).

Reading a place is the subtlest part of a report: the same words can be a place, a question
or a new report, and a place can come before the type is confirmed (kept for later) or be
corrected by an edit. handlers.emergency asks the same question for an urgent case
(reads_as_place), so the rule lives here once, below both conversations' dispatchers.
"""

from __future__ import annotations

from bot.callback_data import button_data
from handlers.edge import Turn
from handlers.emergency_reach import say_if_outside
from handlers.replies import inline
from handlers.report_draft import DETAILS, LOCATION, save_draft
from handlers.report_questions import more_words
from handlers.report_steps import ask_details, pick_grid, remind
from handlers.resident_words import another_problem
from handlers.typed import fold
from services.cases import emergency as emergency_service
from services.cases.drafts import ReportDraft
from services.places import MAX_ADDRESS, TypedPlace, is_place_only, place_named_in, read_place


def names_a_known_place(turn: Turn) -> bool:
    """Nothing but a place the city knows (an alias with a building or flat, or not)."""
    text = turn.incoming.text
    return (
        more_words(turn)
        and is_place_only(turn.runtime.city, text)
        and read_place(turn.runtime.city, text).grid is not None
    )


def reads_as_place(turn: Turn, case_type: str | None) -> bool:
    """Is this typed text an answer to "where is it?"

    A place (an alias, a building or flat form, a street) is; words the NLU cannot place
    are kept as an address too. A question, a greeting, or a sure report that does not
    restate this one with its place is not: intent routing answers it and asks again.
    """
    text = turn.incoming.text
    if not more_words(turn):
        return False
    if is_place_only(turn.runtime.city, text):
        return True
    if another_problem(text) and place_named_in(turn.runtime.city, text) is not None:
        return False  # "另外，阳光花园3栋的路灯也坏了": another problem, asked about, not a place
    understanding = turn.understanding
    if understanding is None:
        return True
    if understanding.prediction.question:  # "以后闻到煤气味应该找谁": answered, not an address
        return False
    prediction = turn.sure_prediction()
    if prediction is None or prediction.intent == "out_of_scope":
        return True
    place = read_place(turn.runtime.city, text)
    named = place.grid is not None or place.community is not None or place.has_unit
    return prediction.intent == "report" and prediction.case_type == case_type and named


async def share_with_urgent(
    turn: Turn,
    draft: ReportDraft,
    address: str | None,
    grid_id: str | None,
    point: tuple[float, float] | None = None,
) -> None:
    """A report begun while the resident's urgent case still had no place: the place given
    for the report reaches the urgent case too (its staff are told), and the resident hears
    so. Nothing happens when the urgent case knows its place already."""
    number = draft.urgent_case
    if not number or await emergency_service.knows_where(turn.session, number):
        return
    rt, now = turn.runtime, turn.runtime.clock.now()
    duty = rt.settings.duty_chat_id
    if point is not None:
        await emergency_service.locate_emergency_case(
            turn.session, number, *point, rt.city, rt.catalog, now, duty_chat=duty
        )
    else:
        await emergency_service.place_emergency_case(
            turn.session, number, address or "", grid_id, rt.city, rt.catalog, now, duty_chat=duty
        )
    turn.out.say(turn.t("emergency.place_also", number=number))
    await say_if_outside(turn, number)  # sent to staff, but none of ours can go there


async def keep_known_place(turn: Turn, state: str, draft: ReportDraft) -> None:
    """A known place typed before the type is confirmed: kept for later, the step shown again."""
    place = read_place(turn.runtime.city, turn.incoming.text)
    grid = place.grid
    assert grid is not None
    await share_with_urgent(turn, draft, place.address, grid.id)
    draft.grid_id, draft.community_id, draft.address = grid.id, grid.community_id, place.address
    await save_draft(turn.session, turn.runtime, turn.caller, state, draft)
    turn.out.say(turn.t("report.place_kept_for_later", grid=grid.name.get(turn.lang)))
    await remind(turn, state, draft)


async def take_shared_place(turn: Turn, state: str, draft: ReportDraft) -> None:
    """Step 3 by shared location (a live location's first point; later ones are edits).
    Shared before the type is confirmed, the place is kept for later."""
    rt, incoming = turn.runtime, turn.incoming
    lat, lon = incoming.latitude or 0.0, incoming.longitude or 0.0
    grid = rt.city.grid_at(lat, lon)
    if grid is None:
        turn.out.say(turn.t("report.outside_grids"))
        return
    draft.grid_id, draft.community_id = grid.id, grid.community_id
    draft.latitude, draft.longitude = lat, lon
    await share_with_urgent(turn, draft, None, grid.id, (lat, lon))
    if state in (LOCATION, DETAILS):
        await ask_details(turn.session, rt, turn.caller, draft, turn.out)
        return
    await save_draft(turn.session, rt, turn.caller, state, draft)
    turn.out.say(turn.t("report.place_kept_for_later", grid=grid.name.get(turn.lang)))
    await remind(turn, state, draft)


async def take_typed_place(turn: Turn, draft: ReportDraft) -> None:
    """Step 3 by words: an estate/building alias finds the grid; anything else is kept as
    the address and the resident picks community, then grid (the worker sees the words)."""
    session, rt, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    place = read_place(rt.city, turn.incoming.text)
    community = rt.city.communities.get(draft.community_id or "")
    if draft.address and community is not None and place.grid is None and place.community is None:
        # Words at "which grid?" that name no place ("不知道哪个网格"): the address typed
        # before stays; the grids are shown again.
        out.say(turn.t("report.grid_still_needed", address=draft.address))
        pick_grid(rt, caller.lang, draft, community, out)
        return
    # A second answer adds to the first ("Block 7 flat 1203", then "sunshine one, yangguang"
    # or "Sunshine Garden"): nothing typed for this place is lost, the worker sees it all.
    address = joined_address(draft.address if draft.grid_id is None else None, place)
    await share_with_urgent(turn, draft, address, place.grid.id if place.grid else None)
    if place.community is not None:
        draft.community_id = place.community.id
        pick_grid(rt, caller.lang, draft, place.community, out)
        await save_draft(session, rt, caller, LOCATION, draft)
        return
    draft.address, draft.place_message_id = address, turn.incoming.message_id
    if place.grid is not None:
        draft.grid_id, draft.community_id = place.grid.id, place.grid.community_id
        await ask_details(session, rt, caller, draft, out)
        return
    if draft.unlisted:  # "none of these" said before: the address goes to the street office
        await ask_details(session, rt, caller, draft, out)
        return
    _which_community(turn, draft, address)
    await save_draft(session, rt, caller, LOCATION, draft)


def _which_community(
    turn: Turn, draft: ReportDraft, address: str, key: str = "report.address_kept"
) -> None:
    """ "Address noted: which community?": the communities in config order, "none of these"."""
    rows = [
        [(c.name.get(turn.lang), button_data("rep", "com", draft.token, c.id))]
        for c in turn.runtime.city.communities.values()
    ]
    rows.append([(turn.t("button.no_community"), button_data("rep", "nocom", draft.token))])
    turn.out.say(turn.t(key, address=address), inline(rows))


async def pick_listed(turn: Turn, draft: ReportDraft, number: int) -> bool:
    """A number typed while the place step shows a list picks from it: a grid of the chosen
    community, or a community after a typed address ("2" is never added to the address);
    out of range, the list again. False when no list is shown (the first "where is it?",
    where "3" may be a building)."""
    rt, out = turn.runtime, turn.out
    community = rt.city.communities.get(draft.community_id or "")
    listed = list(rt.city.communities.values())
    if community is not None and 1 <= number <= len(community.grid_ids):
        draft.grid_id = community.grid_ids[number - 1]
        await ask_details(turn.session, rt, turn.caller, draft, out)
    elif community is not None:
        pick_grid(rt, turn.lang, draft, community, out)
    elif not draft.address or draft.unlisted:
        return False
    elif 1 <= number <= len(listed):
        draft.community_id = listed[number - 1].id
        pick_grid(rt, turn.lang, draft, listed[number - 1], out)
        await save_draft(turn.session, rt, turn.caller, LOCATION, draft)
    else:
        _which_community(turn, draft, draft.address)
    return True


async def take_hedge(turn: Turn, draft: ReportDraft) -> None:
    """ "不知道", "not sure" where a place is asked: a "don't know", never address words. At
    "which grid?" the grids come again; at "which community?" after a typed address the list
    again, pointing at "🤷 None of these" (the address goes to the street office) or a typed
    estate; at the first "where is it?" the address is asked for as best they can."""
    community = turn.runtime.city.communities.get(draft.community_id or "")
    if community is not None:
        key, values = (
            ("report.grid_still_needed", {"address": draft.address})
            if draft.address
            else ("report.hedge_grid", {})
        )
        turn.out.say(turn.t(key, **values))
        pick_grid(turn.runtime, turn.lang, draft, community, turn.out)
        return
    if draft.address:  # "which community?": the list again, "none of these" pointed at
        _which_community(turn, draft, draft.address, "report.hedge_community")
        return
    draft.unlisted = True
    turn.out.say(turn.t("report.hedge_where"))
    await save_draft(turn.session, turn.runtime, turn.caller, LOCATION, draft)


async def take_unlisted(turn: Turn, draft: ReportDraft) -> None:
    """ "None of these" at "which community?": the typed address is kept and goes without a
    grid (the street office routes it; the resident is told so); with no address yet, it is
    asked for, and the next words are it."""
    draft.unlisted, draft.community_id = True, None
    if draft.address:
        await ask_details(turn.session, turn.runtime, turn.caller, draft, turn.out)
        return
    turn.out.say(turn.t("report.no_community_address"))
    await save_draft(turn.session, turn.runtime, turn.caller, LOCATION, draft)


def moved_by_edit(turn: Turn, draft: ReportDraft, message_id: int, text: str) -> bool:
    """The report's own words, edited, name a known place: the draft's place follows them
    (the place read from words is read again when they change). A map pin stays; False
    when the words name no known place or the same one."""
    named = place_named_in(turn.runtime.city, text)
    if draft.latitude is not None or named is None or named.grid is None:
        return False
    if (named.grid.id, named.address) == (draft.grid_id, draft.address):
        return False
    draft.grid_id, draft.community_id = named.grid.id, named.grid.community_id
    draft.address, draft.place_message_id, draft.unlisted = named.address, message_id, False
    return True


def joined_address(earlier: str | None, place: TypedPlace) -> str:
    """The address from the words typed before at this step and the new ones: one that
    holds the other is kept whole; a known estate without a building or flat goes before
    the earlier words (they are more specific); otherwise both, in the order typed."""
    new = place.address
    if not earlier or fold(new) in fold(earlier):
        return earlier or new
    if fold(earlier) in fold(new):
        return new
    joint = ", " if (earlier + new).isascii() else "，"
    known = place.grid is not None or place.community is not None
    both = f"{new} {earlier}" if known and not place.has_unit else f"{earlier}{joint}{new}"
    return both[:MAX_ADDRESS]


async def reread_place(turn: Turn, state: str, draft: ReportDraft, text: str) -> None:
    """The typed place was corrected by an edit: read it again (a known estate moves the grid)."""
    place = read_place(turn.runtime.city, text)
    draft.address = place.address
    if place.grid is not None:
        draft.grid_id, draft.community_id = place.grid.id, place.grid.community_id
    await save_draft(turn.session, turn.runtime, turn.caller, state, draft)
    turn.out.say(turn.t("conversation.place_edit_applied", address=place.address))
