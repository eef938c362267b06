"""What each step of a report shows and asks (DESIGN.md "A resident's report", steps 2-4).

The screens live apart from the code that reads the resident's answers because every answer
ends by showing one of them: a place moves on to the details step, a photo or a question
shows the open step again (remind_step), a new report starts at the confirm step (begin).
Placed below handlers.report_place, report_media and report_questions, which all use it.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.callback_data import button_data
from bot.runtime import Runtime
from config.schema import Community
from domain.ids import FAQ_PREFIX
from handlers.common import Caller
from handlers.edge import Turn
from handlers.replies import Replies, inline, keyboard
from handlers.report_draft import (
    CONFIRM_TYPE,
    DESCRIBE,
    DETAILS,
    DUPLICATE,
    EMERGENCY_LOCATION,
    LOCATION,
    save_draft,
    type_label,
)
from handlers.report_submit import offer_duplicates_or_submit
from nlu.types import Prediction
from services.cases import emergency as emergency_service
from services.cases.drafts import ReportDraft
from services.places import place_named_in

MAX_CHOICES = 3
MAX_PHOTOS = 5  # photos a report holds (handlers.report_media)


async def begin(
    session: AsyncSession,
    rt: Runtime,
    caller: Caller,
    text: str,
    prediction: Prediction,
    out: Replies,
    photo_file_ids: list[str] | None = None,
    *,
    message_id: int | None = None,
    albums: list[str] | None = None,
    urgent_case: str | None = None,
) -> None:
    """Step 2: say what was understood and ask to confirm, or offer choices when unsure.
    `urgent_case`: the resident's urgent case still waiting for its place (the place given
    for this report reaches it too)."""
    draft = ReportDraft(text="", language=caller.lang, photo_file_ids=list(photo_file_ids or []))
    draft.urgent_case = urgent_case
    draft.add_piece(message_id, text, rt.settings.max_text_length)
    draft.albums = list(albums or [])
    draft.confidence = prediction.confidence
    draft.faq_topics = faq_topics(prediction)
    sure = (
        prediction.intent == "report" and prediction.confidence >= rt.settings.nlu_confirm_threshold
    )
    if sure and prediction.case_type in rt.city.case_types:
        draft.case_type = prediction.case_type
    else:
        draft.choices = report_choices(prediction, rt)
    named = place_named_in(rt.city, text)  # "翠湖苑3栋楼下…": not asked "where?" again
    if named is not None and named.grid is not None:
        grid = named.grid
        draft.grid_id, draft.community_id, draft.address = grid.id, grid.community_id, named.address
        draft.place_message_id = message_id  # an edit of these words may move it
    _confirm_screen(rt, caller.lang, draft, out)
    await save_draft(session, rt, caller, CONFIRM_TYPE, draft)


def _confirm_screen(rt: Runtime, lang: str, draft: ReportDraft, out: Replies) -> None:
    """ "Street light problem — right?" or, when unsure, the top choices; both can say
    "It's a question" (the text then goes to the FAQ / ask-staff path)."""
    t, token = rt.catalog.t, draft.token
    question = [(t(lang, "button.its_a_question"), button_data("rep", "ask", token))]
    cancel = [(t(lang, "button.cancel"), button_data("rep", "cancel", token))]
    if draft.case_type:
        case_type = rt.city.case_type(draft.case_type)
        text = t(
            lang,
            "report.understood",
            case_type=case_type.name.get(lang),
            short=case_type.short.get(lang),
        )
        rows = [
            [(t(lang, "button.confirm"), button_data("rep", "ok", token))],
            [(t(lang, "button.other_type"), button_data("rep", "types", token))],
        ]
    else:
        text = t(lang, "report.unsure")
        rows = [
            [(type_label(rt, lang, c), button_data("rep", "type", token, c))] for c in draft.choices
        ]
        rows.append([(t(lang, "button.more_types"), button_data("rep", "types", token))])
    out.say(text, inline([*rows, question, cancel]))


def report_choices(prediction: Prediction, rt: Runtime) -> list[str]:
    """The case types the NLU ranked highest (at most MAX_CHOICES), then "other"."""
    ranked = [
        s.label.removeprefix("report_") for s in prediction.ranking if s.label.startswith("report_")
    ]
    choices = [c for c in ranked if c in rt.city.case_types and c != "other"][:MAX_CHOICES]
    return [*choices, "other"]


# A topic the NLU "also saw" holds at least this share: the ranking's tail holds topics at
# 0.0 ("vaccination" for a street light), which are no reading of the text.
FAQ_SEEN_MIN_SHARE = 0.05


def faq_topics(prediction: Prediction) -> list[str]:
    """The FAQ topics the NLU also saw, best first ("It's a question" offers them)."""
    ranked = [
        s.label
        for s in prediction.ranking
        if s.label.startswith(FAQ_PREFIX) and s.confidence >= FAQ_SEEN_MIN_SHARE
    ]
    return [label.removeprefix(FAQ_PREFIX) for label in ranked][:MAX_CHOICES]


def pick_type(rt: Runtime, lang: str, draft: ReportDraft, out: Replies) -> None:
    """Every case type of the city as a button ("Another type" / "More types")."""
    t = rt.catalog.t
    rows = [
        [(ct.name.get(lang), button_data("rep", "type", draft.token, ct.id))]
        for ct in rt.city.case_types.values()
    ]
    rows.append([(t(lang, "button.cancel"), button_data("rep", "cancel", draft.token))])
    out.say(t(lang, "report.pick_type"), inline(rows))


async def ask_location(
    session: AsyncSession, rt: Runtime, caller: Caller, draft: ReportDraft, out: Replies
) -> None:
    """Step 3: share a location or name the community (a place given earlier skips it)."""
    if draft.grid_id is not None:  # shared before the type was confirmed
        await ask_details(session, rt, caller, draft, out)
        return
    t, lang = rt.catalog.t, caller.lang
    rows: list[list[KeyboardButton | str]] = [
        [KeyboardButton(t(lang, "button.share_location"), request_location=True)]
    ]
    rows += [[c.name.get(lang)] for c in rt.city.communities.values()]
    rows += [[t(lang, "button.no_community")], [t(lang, "button.cancel")]]
    out.say(t(lang, "report.ask_location"), keyboard(rows))
    await save_draft(session, rt, caller, LOCATION, draft)


def pick_grid(
    rt: Runtime, lang: str, draft: ReportDraft, community: Community, out: Replies
) -> None:
    """The community's grids as buttons, each with two of its aliases as a hint."""
    rows = []
    for grid_id in community.grid_ids:
        grid = rt.city.grids[grid_id]
        hint = " / ".join(grid.aliases[:2])
        rows.append(
            [(f"{grid.name.get(lang)} · {hint}", button_data("rep", "grid", draft.token, grid_id))]
        )
    out.say(
        rt.catalog.t(lang, "report.pick_grid", community=community.name.get(lang)), inline(rows)
    )


async def ask_details(
    session: AsyncSession, rt: Runtime, caller: Caller, draft: ReportDraft, out: Replies
) -> None:
    """Step 4: the grid is known (or the address is one no listed community has: the street
    office routes it); more words, photos or a phone number, then "submit"."""
    t, lang = rt.catalog.t, caller.lang
    grid = rt.city.grids.get(draft.grid_id or "")
    if grid is not None:
        out.say(t(lang, "report.location_ok", grid=grid.name.get(lang)))
    else:
        out.say(t(lang, "report.no_community", address=draft.address or ""))
    text = details_prompt(rt, lang, draft)
    if caller.user.consent_at is None:
        text += "\n\n" + t(lang, "privacy.consent_notice")
    out.say(text, details_keyboard(rt, lang))
    await save_draft(session, rt, caller, DETAILS, draft)


def details_prompt(rt: Runtime, lang: str, draft: ReportDraft) -> str:
    """ "A photo, then submit", in words that follow the photos the draft holds: "send a
    photo" before any, "another" after one, none past the limit."""
    count, limit = len(draft.photo_file_ids), MAX_PHOTOS
    if count >= limit:
        return rt.catalog.t(lang, "report.ask_details_full", limit=limit)
    if count:
        return rt.catalog.t(lang, "report.ask_details_more", count=count, limit=limit)
    return rt.catalog.t(lang, "report.ask_details")


def details_keyboard(rt: Runtime, lang: str) -> ReplyKeyboardMarkup:
    """The details step's keyboard: submit, share my phone number, cancel."""
    t = rt.catalog.t
    return keyboard(
        [
            [t(lang, "button.submit")],
            [KeyboardButton(t(lang, "button.share_phone"), request_contact=True)],
            [t(lang, "button.cancel")],
        ]
    )


async def remind(turn: Turn, state: str, draft: ReportDraft) -> None:
    """remind_step for the turn's caller."""
    await remind_step(turn.session, turn.runtime, turn.caller, state, draft, turn.out)


async def remind_step(
    session: AsyncSession, rt: Runtime, caller: Caller, state: str, draft: ReportDraft, out: Replies
) -> None:
    """Show the open step again, with its buttons: where the resident is, what it needs."""
    if state == CONFIRM_TYPE and draft.picking:  # the list stays what was asked
        pick_type(rt, caller.lang, draft, out)
    elif state == CONFIRM_TYPE:
        _confirm_screen(rt, caller.lang, draft, out)
    elif state == LOCATION and draft.community_id in rt.city.communities:
        pick_grid(rt, caller.lang, draft, rt.city.communities[draft.community_id or ""], out)
    elif state == LOCATION:
        await ask_location(session, rt, caller, draft, out)
    elif state == DETAILS:
        out.say(details_prompt(rt, caller.lang, draft), details_keyboard(rt, caller.lang))
    elif state == DUPLICATE:
        await offer_duplicates_or_submit(session, rt, caller, draft, out)
    elif state == DESCRIBE and draft.address and not draft.photo_file_ids:  # a place first
        out.say(rt.catalog.t(caller.lang, "report.what_problem_at", place=draft.address))
    elif state == DESCRIBE:
        out.say(rt.catalog.t(caller.lang, "report.describe_photo"))
    elif state == EMERGENCY_LOCATION:
        number = draft.case_number or ""
        key = "emergency.case_opened" if draft.emergency else "emergency.still_need_place"
        share = KeyboardButton(
            rt.catalog.t(caller.lang, "button.share_location"), request_location=True
        )
        rows: list[list[KeyboardButton | str]] = [[share]]
        if draft.emergency and not await emergency_service.staff_were_told(session, number):
            placed = await emergency_service.knows_where(session, number)
            key = "delivery.emergency_nobody" if placed else "delivery.emergency_nobody_yet"
        elif draft.resume and await emergency_service.knows_where(session, number):
            # filed at the interrupted report's place: is the danger there?
            key = "emergency.is_it_here"
            rows.append([KeyboardButton(rt.catalog.t(caller.lang, "button.place_is_here"))])
        out.say(rt.catalog.t(caller.lang, key, number=number), keyboard(rows))
