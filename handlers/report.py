"""The resident's report conversation (DESIGN.md "A resident's report", steps 1-6).

State lives in the database (conversation_states), so a restart resumes a
half-finished report. Each step loads the draft, acts, and saves it in the
same transaction as the update's other writes.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.callback_data import CallbackData, button_data
from bot.i18n import script_language
from bot.runtime import Runtime
from config.schema import Community
from domain.ids import FAQ_PREFIX, REPORT_PREFIX
from handlers import ask
from handlers.common import Caller
from handlers.edge import Turn, has_words
from handlers.inputs import InputKind
from handlers.replies import REMOVE_KEYBOARD, Replies, inline, keyboard
from handlers.typed import answer_of
from nlu.types import LabelScore, Prediction
from services.cases import emergency as emergency_service
from services.cases.descriptions import describe_case_for_stranger
from services.cases.drafts import ReportDraft
from services.cases.due_text import say_due
from services.cases.duplicates import join_case, likely_duplicates
from services.cases.filing import file_report
from services.places import is_place_only, read_place
from storage.repositories import ConversationRepository

CONVERSATION = "report"
# States, in the order a resident meets them.
DESCRIBE = "describe"  # a photo came first; waiting for words
CONFIRM_TYPE = "confirm_type"
LOCATION = "location"
DETAILS = "details"
DUPLICATE = "duplicate"  # similar open cases offered; join one or file anew
EMERGENCY_LOCATION = "emergency_location"  # handled by handlers.emergency

_K = InputKind
# Which inputs each step accepts (handlers.registry offers only these).
STATES: dict[str, frozenset[InputKind]] = {
    DESCRIBE: frozenset({_K.TEXT, _K.PHOTO, _K.CONTACT}),
    CONFIRM_TYPE: frozenset({_K.TEXT, _K.PHOTO, _K.LOCATION, _K.CONTACT}),
    LOCATION: frozenset({_K.TEXT, _K.LOCATION, _K.PHOTO, _K.CONTACT}),
    DETAILS: frozenset({_K.TEXT, _K.PHOTO, _K.CONTACT, _K.LOCATION}),
    DUPLICATE: frozenset({_K.TEXT, _K.PHOTO, _K.CONTACT}),
}
# A sure report of another type at the details step is a new problem, not more words.
NEW_REPORT_CONFIDENCE = 0.8
PREVIEW = 60

MAX_PHOTOS = 5
MAX_CHOICES = 3


async def load_draft(
    session: AsyncSession, caller: Caller, text: str | None = None
) -> tuple[str, ReportDraft] | None:
    """The open draft, if any. A button, location or scriptless text continues in the
    draft's language unless the resident chose one with /lang."""
    row = await ConversationRepository(session).load(caller.telegram_id, CONVERSATION)
    if row is None:
        return None
    draft = ReportDraft.from_dict(row.data)
    if caller.user.language is None and (text is None or script_language(text) is None):
        caller.lang = draft.language or caller.lang
    return row.state, draft


async def save_draft(
    session: AsyncSession, rt: Runtime, caller: Caller, state: str, draft: ReportDraft
) -> None:
    await ConversationRepository(session).save(
        caller.telegram_id, CONVERSATION, state, draft.to_dict(), rt.clock.now()
    )


async def drop_draft(session: AsyncSession, caller: Caller) -> None:
    await ConversationRepository(session).clear(caller.telegram_id, CONVERSATION)


def _type_label(rt: Runtime, lang: str, case_type: str) -> str:
    return rt.city.case_type(case_type).name.get(lang)


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
) -> None:
    """Step 2: say what was understood and ask to confirm, or offer choices when unsure."""
    draft = ReportDraft(text="", language=caller.lang, photo_file_ids=list(photo_file_ids or []))
    draft.add_piece(message_id, text, rt.settings.max_text_length)
    draft.albums = list(albums or [])
    draft.confidence = prediction.confidence
    draft.faq_topics = _faq_topics(prediction)
    sure = (
        prediction.intent == "report" and prediction.confidence >= rt.settings.nlu_confirm_threshold
    )
    if sure and prediction.case_type in rt.city.case_types:
        draft.case_type = prediction.case_type
    else:
        draft.choices = _report_choices(prediction, rt)
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
            [(_type_label(rt, lang, c), button_data("rep", "type", token, c))]
            for c in draft.choices
        ]
        rows.append([(t(lang, "button.more_types"), button_data("rep", "types", token))])
    out.say(text, inline([*rows, question, cancel]))


def _report_choices(prediction: Prediction, rt: Runtime) -> list[str]:
    ranked = [
        s.label.removeprefix("report_") for s in prediction.ranking if s.label.startswith("report_")
    ]
    choices = [c for c in ranked if c in rt.city.case_types and c != "other"][:MAX_CHOICES]
    return [*choices, "other"]


async def on_button(turn: Turn) -> None:
    """Buttons of the report conversation: `rep:<action>:<draft token>[:<arg>]`."""
    await _press(turn.session, turn.runtime, turn.caller, turn.incoming.data, turn.out)


async def _press(
    session: AsyncSession, rt: Runtime, caller: Caller, data: str, out: Replies
) -> None:
    t, lang = rt.catalog.t, caller.lang
    pressed = CallbackData.decode(data)  # rep:<action>:<draft token>[:<arg>]
    loaded = await load_draft(session, caller)
    if not pressed.args or loaded is None or loaded[1].token != pressed.args[0]:
        out.callback_notice = t(lang, "error.stale_button")
        out.say(t(lang, "error.stale_button_hint"))
        return
    state, draft = loaded
    action, arg = pressed.action, (pressed.args[1] if len(pressed.args) > 1 else "")
    if action == "cancel":
        await drop_draft(session, caller)
        out.say(t(lang, "report.cancelled"), REMOVE_KEYBOARD)
    elif action == "ok" and state == CONFIRM_TYPE and draft.case_type:
        await _ask_location(session, rt, caller, draft, out)
    elif action == "types" and state == CONFIRM_TYPE:
        rows = [
            [(ct.name.get(lang), button_data("rep", "type", draft.token, ct.id))]
            for ct in rt.city.case_types.values()
        ]
        rows.append([(t(lang, "button.cancel"), button_data("rep", "cancel", draft.token))])
        out.say(t(lang, "report.pick_type"), inline(rows))
    elif action == "type" and state == CONFIRM_TYPE and arg in rt.city.case_types:
        draft.case_type = arg
        out.say(t(lang, "report.type_chosen", case_type=_type_label(rt, lang, arg)))
        await _ask_location(session, rt, caller, draft, out)
    elif action == "com" and state == LOCATION and arg in rt.city.communities:
        _pick_grid(rt, lang, draft, rt.city.communities[arg], out)
        draft.community_id = arg
        await save_draft(session, rt, caller, LOCATION, draft)
    elif action == "ask" and state == CONFIRM_TYPE:
        await drop_draft(session, caller)
        await ask.offer_topics(session, rt, caller, draft.text, _faq_guess(draft), out)
    elif action == "stay":
        await remind_step(session, rt, caller, state, draft, out)
    elif action == "keep" and draft.pending is not None:
        draft.pending = None
        await save_draft(session, rt, caller, state, draft)
        await remind_step(session, rt, caller, state, draft, out)
    elif action == "fresh" and draft.pending is not None:
        await _start_pending(session, rt, caller, draft, out)
    elif action == "grid" and state == LOCATION and arg in rt.city.grids:
        draft.grid_id = arg
        await _ask_details(session, rt, caller, draft, out)
    elif action == "join" and state == DUPLICATE and arg.isdigit() and int(arg) in draft.offered:
        case = await join_case(session, int(arg), caller.user, rt.clock.now())
        await drop_draft(session, caller)
        out.say(
            t(lang, "report.joined", number=case.number, count=case.reporter_count), REMOVE_KEYBOARD
        )
    elif action == "new" and state == DUPLICATE:
        await submit(session, rt, caller, draft, out)
    else:
        out.callback_notice = t(lang, "error.stale_button")
        out.say(t(lang, "error.stale_button_hint"))


async def _ask_location(
    session: AsyncSession, rt: Runtime, caller: Caller, draft: ReportDraft, out: Replies
) -> None:
    if draft.grid_id is not None:  # shared before the type was confirmed
        await _ask_details(session, rt, caller, draft, out)
        return
    t, lang = rt.catalog.t, caller.lang
    rows: list[list[KeyboardButton | str]] = [
        [KeyboardButton(t(lang, "button.share_location"), request_location=True)]
    ]
    rows += [[c.name.get(lang)] for c in rt.city.communities.values()]
    rows.append([t(lang, "button.cancel")])
    out.say(t(lang, "report.ask_location"), keyboard(rows))
    await save_draft(session, rt, caller, LOCATION, draft)


async def _ask_details(
    session: AsyncSession, rt: Runtime, caller: Caller, draft: ReportDraft, out: Replies
) -> None:
    t, lang = rt.catalog.t, caller.lang
    grid = rt.city.grids[draft.grid_id or ""]
    out.say(t(lang, "report.location_ok", grid=grid.name.get(lang)))
    text = t(lang, "report.ask_details")
    if caller.user.consent_at is None:
        text += "\n\n" + t(lang, "privacy.consent_notice")
    out.say(text, _details_keyboard(rt, lang))
    await save_draft(session, rt, caller, DETAILS, draft)


def _details_keyboard(rt: Runtime, lang: str) -> ReplyKeyboardMarkup:
    t = rt.catalog.t
    return keyboard(
        [
            [t(lang, "button.submit")],
            [KeyboardButton(t(lang, "button.share_phone"), request_contact=True)],
            [t(lang, "button.cancel")],
        ]
    )


async def take(turn: Turn, state: str) -> bool:
    """The open report's step takes this input, or says False to let intent routing have it."""
    session, rt, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    loaded = await load_draft(session, caller, turn.incoming.text or None)
    if loaded is None:
        return False
    state, draft = loaded
    incoming = turn.incoming
    text = incoming.text
    if incoming.kind is InputKind.PHOTO:
        await _photo(turn, state, draft)
    elif incoming.kind is InputKind.LOCATION:
        await _shared_place(turn, state, draft)
    elif incoming.kind is InputKind.CONTACT:
        await _contact(turn, state, draft)
    elif turn.labels.means(text, "button.cancel"):
        await cancel(session, rt, caller, out)
    elif state == DESCRIBE and _more_words(turn):
        await _describe_photo(turn, draft)
    elif state == LOCATION and reads_as_place(turn, draft.case_type):
        await _typed_place(turn, draft)
    elif state == CONFIRM_TYPE and draft.grid_id is None and _names_a_known_place(turn):
        place = read_place(rt.city, text)
        grid = place.grid
        assert grid is not None
        draft.grid_id, draft.community_id, draft.address = grid.id, grid.community_id, place.address
        await save_draft(session, rt, caller, state, draft)
        out.say(turn.t("report.place_kept_for_later", grid=grid.name.get(turn.lang)))
        await remind(turn, state, draft)
    elif state == DETAILS and (
        turn.labels.means(text, "button.submit") or answer_of(text) == "yes"
    ):
        await offer_duplicates_or_submit(session, rt, caller, draft, out)
    elif state == DETAILS and _more_words(turn) and not _clearly_new(turn, draft):
        draft.add_piece(incoming.message_id, text, rt.settings.max_text_length)
        out.say(turn.t("report.text_added"), _details_keyboard(rt, caller.lang))
        await save_draft(session, rt, caller, DETAILS, draft)
    else:
        # Typed answers to the confirm/duplicate steps were taken as presses already; a
        # question, a greeting, a new report or an emoji goes to intent routing, which
        # answers and shows this step again.
        return False
    return True


# What the resident may say at any step that is not part of the report itself.
_ASIDES = frozenset({"faq", "greet", "thanks", "check_status", "volunteer_signup", "cancel"})


def _aside(turn: Turn) -> bool:
    """A sure question, greeting, status check or the like: answered, not filed."""
    understanding = turn.understanding
    if understanding is None:
        return False
    prediction = understanding.prediction
    sure = prediction.confidence >= turn.runtime.settings.nlu_confirm_threshold
    return sure and prediction.intent in _ASIDES


def _more_words(turn: Turn) -> bool:
    """Words about the problem: not an emoji, a typed answer, or an aside."""
    text = turn.incoming.text
    return has_words(text) and not turn.labels.is_typed_answer(text) and not _aside(turn)


def _names_a_known_place(turn: Turn) -> bool:
    """Nothing but a place the city knows (an alias with a building or flat, or not)."""
    text = turn.incoming.text
    return (
        _more_words(turn)
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
    if not _more_words(turn):
        return False
    if is_place_only(turn.runtime.city, text):
        return True
    understanding = turn.understanding
    if understanding is None:
        return True
    prediction = understanding.prediction
    sure = prediction.confidence >= turn.runtime.settings.nlu_confirm_threshold
    if not sure or prediction.intent == "out_of_scope":
        return True
    place = read_place(turn.runtime.city, text)
    named = place.grid is not None or place.community is not None or place.has_unit
    return prediction.intent == "report" and prediction.case_type == case_type and named


def _clearly_new(turn: Turn, draft: ReportDraft) -> bool:
    """A sure report of another type: a new problem, not more words about this one."""
    understanding = turn.understanding
    if understanding is None:
        return False
    prediction = understanding.prediction
    return (
        prediction.intent == "report"
        and prediction.case_type not in (None, draft.case_type, "other")
        and prediction.confidence >= NEW_REPORT_CONFIDENCE
    )


async def _describe_photo(turn: Turn, draft: ReportDraft) -> None:
    """Words after a photo-first report: now the type can be understood."""
    understanding = turn.understanding
    if understanding is None:
        turn.out.say(turn.t("report.describe_photo"))
        return
    await begin(
        turn.session,
        turn.runtime,
        turn.caller,
        turn.incoming.text,
        understanding.prediction,
        turn.out,
        photo_file_ids=draft.photo_file_ids,
        message_id=turn.incoming.message_id,
        albums=draft.albums,
    )


async def _shared_place(turn: Turn, state: str, draft: ReportDraft) -> None:
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
    if state in (LOCATION, DETAILS):
        await _ask_details(turn.session, rt, turn.caller, draft, turn.out)
        return
    await save_draft(turn.session, rt, turn.caller, state, draft)
    turn.out.say(turn.t("report.place_kept_for_later", grid=grid.name.get(turn.lang)))
    await remind(turn, state, draft)


async def _typed_place(turn: Turn, draft: ReportDraft) -> None:
    """Step 3 by words: an estate/building alias finds the grid; anything else is kept as
    the address and the resident picks community, then grid (the worker sees the words)."""
    session, rt, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    place = read_place(rt.city, turn.incoming.text)
    if place.community is not None:
        draft.community_id = place.community.id
        _pick_grid(rt, caller.lang, draft, place.community, out)
        await save_draft(session, rt, caller, LOCATION, draft)
        return
    draft.address, draft.place_message_id = place.address, turn.incoming.message_id
    if place.grid is not None:
        draft.grid_id, draft.community_id = place.grid.id, place.grid.community_id
        await _ask_details(session, rt, caller, draft, out)
        return
    rows = [
        [(c.name.get(caller.lang), button_data("rep", "com", draft.token, c.id))]
        for c in rt.city.communities.values()
    ]
    out.say(turn.t("report.address_kept", address=place.address), inline(rows))
    await save_draft(session, rt, caller, LOCATION, draft)


def _pick_grid(
    rt: Runtime, lang: str, draft: ReportDraft, community: Community, out: Replies
) -> None:
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


async def _photo(turn: Turn, state: str, draft: ReportDraft) -> None:
    """A photo for the open report; its caption joins the description. An album is one
    acknowledgement: its later photos are kept quietly."""
    session, rt, caller, out, incoming = (
        turn.session,
        turn.runtime,
        turn.caller,
        turn.out,
        turn.incoming,
    )
    album = incoming.album
    seen_album = album is not None and album in draft.albums
    if len(draft.photo_file_ids) >= MAX_PHOTOS:
        if album is None or album not in draft.albums_over:  # told once per album
            key = "report.album_over" if album is not None else "report.too_many_photos"
            out.say(turn.t(key, limit=MAX_PHOTOS))
            if album is not None:
                draft.albums_over.append(album)
                await save_draft(session, rt, caller, state, draft)
        return
    draft.photo_file_ids.append(incoming.photo_file_id or "")
    if incoming.album is not None and not seen_album:
        draft.albums.append(incoming.album)
    if incoming.text:
        draft.add_piece(incoming.message_id, incoming.text, rt.settings.max_text_length)
    await save_draft(session, rt, caller, state, draft)
    if seen_album:
        return
    if album is not None:  # one answer for the album: its count is not known yet
        out.say(turn.t("report.album_added", limit=MAX_PHOTOS))
    else:
        key = "report.photo_caption_added" if incoming.text else "report.photo_added"
        out.say(turn.t(key, count=len(draft.photo_file_ids), limit=MAX_PHOTOS))
    if state != DETAILS:
        await remind_step(session, rt, caller, state, draft, out)


async def start_with_photo(turn: Turn) -> None:
    """A photo with no report open: with a caption the report starts from it; without,
    the bot asks for a sentence. Photos of one album share the draft."""
    session, rt, caller, out, incoming = (
        turn.session,
        turn.runtime,
        turn.caller,
        turn.out,
        turn.incoming,
    )
    photos, albums = [incoming.photo_file_id or ""], [incoming.album] if incoming.album else []
    if incoming.text and turn.understanding is not None:
        await begin(
            session,
            rt,
            caller,
            incoming.text,
            turn.understanding.prediction,
            out,
            photo_file_ids=photos,
            message_id=incoming.message_id,
            albums=albums,
        )
        return
    draft = ReportDraft(text="", language=caller.lang, photo_file_ids=photos, albums=albums)
    await save_draft(session, rt, caller, DESCRIBE, draft)
    out.say(turn.t("report.describe_photo"))


async def _contact(turn: Turn, state: str, draft: ReportDraft) -> None:
    session, rt, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    if not turn.incoming.own_contact:
        out.say(turn.t("report.contact_not_own"))
        return
    draft.contact_phone = (turn.incoming.phone or "")[:32]
    if caller.user.consent_at is None:
        caller.user.consent_at = rt.clock.now()
    out.say(turn.t("report.contact_saved"))
    await save_draft(session, rt, caller, state, draft)


async def apply_edit(turn: Turn) -> bool:
    """An edited message that is part of the open draft updates it. False otherwise."""
    incoming = turn.incoming
    loaded = await load_draft(turn.session, turn.caller, incoming.text or None)
    if loaded is None or incoming.message_id is None or not incoming.text:
        return False
    state, draft = loaded
    if incoming.message_id == draft.place_message_id and draft.latitude is None:
        # The typed place was corrected: read it again (a known estate moves the grid).
        place = read_place(turn.runtime.city, incoming.text)
        draft.address = place.address
        if place.grid is not None:
            draft.grid_id, draft.community_id = place.grid.id, place.grid.community_id
        await save_draft(turn.session, turn.runtime, turn.caller, state, draft)
        turn.out.say(turn.t("conversation.place_edit_applied", address=place.address))
        return True
    if not draft.edit_piece(
        incoming.message_id, incoming.text, turn.runtime.settings.max_text_length
    ):
        return False
    await save_draft(turn.session, turn.runtime, turn.caller, state, draft)
    turn.out.say(turn.t("conversation.edit_applied"))
    return True


async def remind(turn: Turn, state: str, draft: ReportDraft) -> None:
    await remind_step(turn.session, turn.runtime, turn.caller, state, draft, turn.out)


async def remind_step(
    session: AsyncSession, rt: Runtime, caller: Caller, state: str, draft: ReportDraft, out: Replies
) -> None:
    """Show the open step again, with its buttons: where the resident is, what it needs."""
    if state == CONFIRM_TYPE:
        _confirm_screen(rt, caller.lang, draft, out)
    elif state == LOCATION and draft.community_id in rt.city.communities:
        _pick_grid(rt, caller.lang, draft, rt.city.communities[draft.community_id or ""], out)
    elif state == LOCATION:
        await _ask_location(session, rt, caller, draft, out)
    elif state == DETAILS:
        out.say(rt.catalog.t(caller.lang, "report.ask_details"), _details_keyboard(rt, caller.lang))
    elif state == DUPLICATE:
        await offer_duplicates_or_submit(session, rt, caller, draft, out)
    elif state == DESCRIBE:
        out.say(rt.catalog.t(caller.lang, "report.describe_photo"))
    elif state == EMERGENCY_LOCATION:
        key = "emergency.case_opened" if draft.emergency else "emergency.still_need_place"
        if draft.emergency and not await emergency_service.staff_were_told(
            session, draft.case_number or ""
        ):
            key = "delivery.emergency_nobody"
        out.say(
            rt.catalog.t(caller.lang, key, number=draft.case_number or ""),
            keyboard(
                [
                    [
                        KeyboardButton(
                            rt.catalog.t(caller.lang, "button.share_location"),
                            request_location=True,
                        )
                    ]
                ]
            ),
        )


def _faq_topics(prediction: Prediction) -> list[str]:
    """The FAQ topics the NLU also saw, best first ("It's a question" offers them)."""
    ranked = [s.label for s in prediction.ranking if s.label.startswith(FAQ_PREFIX)]
    return [label.removeprefix(FAQ_PREFIX) for label in ranked][:MAX_CHOICES]


def _ask_about_open(
    turn: Turn, key: str, draft: ReportDraft, other_label: str, other: str, keep: str
) -> None:
    """A question about the open report: its other course first, then "continue it"."""
    token = draft.token
    turn.out.say(
        turn.t(key, open=draft.text[:PREVIEW]),
        inline(
            [
                [(turn.t(f"button.{other_label}"), button_data("rep", other, token))],
                [(turn.t("button.continue_open"), button_data("rep", keep, token))],
            ]
        ),
    )


async def ask_to_cancel(turn: Turn, state: str, draft: ReportDraft) -> None:
    """Words that sound like "cancel" drop nothing by themselves: the resident says which."""
    _ask_about_open(turn, "conversation.cancel_really", draft, "cancel_report", "cancel", "stay")


async def offer_continue_or_new(
    turn: Turn, opened: tuple[str, ReportDraft], prediction: Prediction
) -> None:
    """A clearly new report while one is open: never replace it silently."""
    state, draft = opened
    draft.pending = {
        "text": turn.incoming.text,
        "message_id": turn.incoming.message_id,
        "case_type": prediction.case_type,
        "confidence": prediction.confidence,
        "choices": _report_choices(prediction, turn.runtime),
        "faq_topics": _faq_topics(prediction),
    }
    await save_draft(turn.session, turn.runtime, turn.caller, state, draft)
    _ask_about_open(turn, "conversation.continue_or_new", draft, "start_new", "fresh", "keep")


async def _start_pending(
    session: AsyncSession, rt: Runtime, caller: Caller, draft: ReportDraft, out: Replies
) -> None:
    pending = draft.pending or {}
    ranking = tuple(LabelScore(REPORT_PREFIX + c, 0.0) for c in pending.get("choices", []))
    ranking += tuple(LabelScore(FAQ_PREFIX + c, 0.0) for c in pending.get("faq_topics", []))
    prediction = Prediction(
        intent="report",
        confidence=float(pending.get("confidence") or 0.0),
        case_type=pending.get("case_type"),
        ranking=ranking,
    )
    await begin(
        session,
        rt,
        caller,
        str(pending.get("text", "")),
        prediction,
        out,
        message_id=pending.get("message_id"),
    )


def _faq_guess(draft: ReportDraft) -> Prediction:
    """The FAQ topics the NLU saw in the text, as a prediction for ask.offer_topics."""
    ranking = tuple(LabelScore(FAQ_PREFIX + topic, 0.0) for topic in draft.faq_topics)
    return Prediction(intent="faq", confidence=0.0, ranking=ranking)


async def offer_duplicates_or_submit(
    session: AsyncSession, rt: Runtime, caller: Caller, draft: ReportDraft, out: Replies
) -> None:
    """Step 5: "Is it this one?" when similar open cases exist in the grid (并单)."""
    similar = await likely_duplicates(
        session,
        draft.grid_id,
        draft.case_type or "other",
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
    lines = [t(lang, "report.duplicates")]
    rows = []
    for case in similar:
        lines.append("• " + describe_case_for_stranger(case, rt.city, rt.catalog, lang))
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
            case_type=_type_label(rt, lang, filed.case_type),
            grid=grid.name.get(lang) if grid else t(lang, "report.grid_unknown"),
            due=say_due(
                rt.catalog, lang, filed.due_at, filed.resolve_span, rt.city.timezone, rt.clock.now()
            ),
        ),
        REMOVE_KEYBOARD,
    )


async def cancel(session: AsyncSession, rt: Runtime, caller: Caller, out: Replies) -> None:
    loaded = await load_draft(session, caller)
    if loaded is None:
        out.say(rt.catalog.t(caller.lang, "report.nothing_to_cancel"), REMOVE_KEYBOARD)
        return
    await drop_draft(session, caller)
    urgent = loaded[1].urgent_case
    if urgent:  # this report was set aside by an emergency, which stays open
        out.say(rt.catalog.t(caller.lang, "report.cancelled_urgent_stays", number=urgent))
    else:
        out.say(rt.catalog.t(caller.lang, "report.cancelled"), REMOVE_KEYBOARD)
