"""The resident's report conversation (DESIGN.md "A resident's report", steps 1-6).

State lives in the database (conversation_states), so a restart resumes a
half-finished report. Each step loads the draft, acts, and saves it in the
same transaction as the update's other writes.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.i18n import script_language
from bot.runtime import Runtime
from bot.services.drafts import ReportDraft
from bot.services.duplicates import join_case, likely_duplicates
from bot.services.due_text import say_due
from bot.services.reporting import file_report
from handlers.common import Caller
from handlers.replies import REMOVE_KEYBOARD, Replies, inline, keyboard
from nlu.types import Prediction
from storage.repositories import ConversationRepository

CONVERSATION = "report"
# States, in the order a resident meets them.
DESCRIBE = "describe"  # a photo came first; waiting for words
CONFIRM_TYPE = "confirm_type"
LOCATION = "location"
DETAILS = "details"
DUPLICATE = "duplicate"  # similar open cases offered; join one or file anew
EMERGENCY_LOCATION = "emergency_location"

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
) -> None:
    """Step 2: say what was understood and ask to confirm, or offer choices when unsure."""
    draft = ReportDraft(text=text, language=caller.lang, photo_file_ids=list(photo_file_ids or []))
    draft.confidence = prediction.confidence
    t = rt.catalog.t
    lang = caller.lang
    sure = (
        prediction.intent == "report" and prediction.confidence >= rt.settings.nlu_confirm_threshold
    )
    if sure and prediction.case_type in rt.city.case_types:
        case_type = rt.city.case_type(prediction.case_type or "")
        draft.case_type = case_type.id
        out.say(
            t(
                lang,
                "report.understood",
                case_type=case_type.name.get(lang),
                short=case_type.short.get(lang),
            ),
            inline(
                [
                    [(t(lang, "button.confirm"), f"rep:{draft.token}:ok")],
                    [(t(lang, "button.other_type"), f"rep:{draft.token}:types")],
                    [(t(lang, "button.cancel"), f"rep:{draft.token}:cancel")],
                ]
            ),
        )
    else:
        draft.choices = _report_choices(prediction, rt)
        rows = [[(_type_label(rt, lang, c), f"rep:{draft.token}:type:{c}")] for c in draft.choices]
        rows.append([(t(lang, "button.more_types"), f"rep:{draft.token}:types")])
        rows.append([(t(lang, "button.cancel"), f"rep:{draft.token}:cancel")])
        out.say(t(lang, "report.unsure"), inline(rows))
    await save_draft(session, rt, caller, CONFIRM_TYPE, draft)


def _report_choices(prediction: Prediction, rt: Runtime) -> list[str]:
    ranked = [
        s.label.removeprefix("report_") for s in prediction.ranking if s.label.startswith("report_")
    ]
    choices = [c for c in ranked if c in rt.city.case_types and c != "other"][:MAX_CHOICES]
    return [*choices, "other"]


async def on_button(
    session: AsyncSession, rt: Runtime, caller: Caller, data: str, out: Replies
) -> None:
    """Buttons of the report conversation: `rep:<draft token>:<action>[:<arg>]`."""
    t, lang = rt.catalog.t, caller.lang
    parts = data.split(":")
    loaded = await load_draft(session, caller)
    if len(parts) < 3 or loaded is None or loaded[1].token != parts[1]:
        out.callback_notice = t(lang, "error.stale_button")
        out.say(t(lang, "error.stale_button_hint"))
        return
    state, draft = loaded
    action, arg = parts[2], (parts[3] if len(parts) > 3 else "")
    if action == "cancel":
        await drop_draft(session, caller)
        out.say(t(lang, "report.cancelled"), REMOVE_KEYBOARD)
    elif action == "ok" and state == CONFIRM_TYPE and draft.case_type:
        await _ask_location(session, rt, caller, draft, out)
    elif action == "types" and state == CONFIRM_TYPE:
        rows = [
            [(ct.name.get(lang), f"rep:{draft.token}:type:{ct.id}")]
            for ct in rt.city.case_types.values()
        ]
        rows.append([(t(lang, "button.cancel"), f"rep:{draft.token}:cancel")])
        out.say(t(lang, "report.pick_type"), inline(rows))
    elif action == "type" and state == CONFIRM_TYPE and arg in rt.city.case_types:
        draft.case_type = arg
        out.say(t(lang, "report.type_chosen", case_type=_type_label(rt, lang, arg)))
        await _ask_location(session, rt, caller, draft, out)
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


async def on_location(
    session: AsyncSession, rt: Runtime, caller: Caller, lat: float, lon: float, out: Replies
) -> bool:
    """Step 3 by shared location. False when no report is waiting for a place."""
    loaded = await load_draft(session, caller)
    if loaded is None or loaded[0] != LOCATION:
        return False
    _, draft = loaded
    grid = rt.city.grid_at(lat, lon)
    if grid is None:
        out.say(rt.catalog.t(caller.lang, "report.outside_grids"))
        return True
    draft.grid_id, draft.community_id = grid.id, grid.community_id
    draft.latitude, draft.longitude = lat, lon
    await _ask_details(session, rt, caller, draft, out)
    return True


async def on_text(
    session: AsyncSession, rt: Runtime, caller: Caller, text: str, out: Replies
) -> bool:
    """Typed text while a report is open. False when the text starts something new."""
    loaded = await load_draft(session, caller, text)
    if loaded is None:
        return False
    state, draft = loaded
    t, lang = rt.catalog.t, caller.lang
    if text in rt.catalog.all_variants("button.cancel"):
        await drop_draft(session, caller)
        out.say(t(lang, "report.cancelled"), REMOVE_KEYBOARD)
        return True
    if state == LOCATION:
        return await _typed_place(session, rt, caller, draft, text, out)
    if state == DETAILS:
        if text in rt.catalog.all_variants("button.submit"):
            await offer_duplicates_or_submit(session, rt, caller, draft, out)
        else:
            draft.text = f"{draft.text}\n{text}"[: rt.settings.max_text_length]
            out.say(t(lang, "report.text_added"), _details_keyboard(rt, lang))
            await save_draft(session, rt, caller, DETAILS, draft)
        return True
    return False


async def _typed_place(
    session: AsyncSession,
    rt: Runtime,
    caller: Caller,
    draft: ReportDraft,
    text: str,
    out: Replies,
) -> bool:
    t, lang = rt.catalog.t, caller.lang
    community = next(
        (c for c in rt.city.communities.values() if text.strip() in (c.name.zh, c.name.en)), None
    )
    if community is not None:
        draft.community_id = community.id
        rows = []
        for grid_id in community.grid_ids:
            grid = rt.city.grids[grid_id]
            hint = " / ".join(grid.aliases[:2])
            rows.append([(f"{grid.name.get(lang)} · {hint}", f"rep:{draft.token}:grid:{grid_id}")])
        out.say(t(lang, "report.pick_grid", community=community.name.get(lang)), inline(rows))
        await save_draft(session, rt, caller, LOCATION, draft)
        return True
    found = rt.city.grid_by_alias(text)
    if found is None:
        out.say(t(lang, "report.place_unknown"))
        return True
    draft.grid_id, draft.community_id = found.id, found.community_id
    draft.address = text.strip()
    await _ask_details(session, rt, caller, draft, out)
    return True


async def on_photo(
    session: AsyncSession, rt: Runtime, caller: Caller, file_id: str, out: Replies
) -> bool:
    """Step 4: a photo for the open report. False when no report is open."""
    loaded = await load_draft(session, caller)
    if loaded is None:
        return False
    state, draft = loaded
    t, lang = rt.catalog.t, caller.lang
    if len(draft.photo_file_ids) >= MAX_PHOTOS:
        out.say(t(lang, "report.too_many_photos", limit=MAX_PHOTOS))
        return True
    draft.photo_file_ids.append(file_id)
    out.say(t(lang, "report.photo_added", count=len(draft.photo_file_ids), limit=MAX_PHOTOS))
    await save_draft(session, rt, caller, state, draft)
    return True


async def on_contact(
    session: AsyncSession, rt: Runtime, caller: Caller, phone: str, own: bool, out: Replies
) -> bool:
    loaded = await load_draft(session, caller)
    if loaded is None or loaded[0] != DETAILS:
        return False
    _, draft = loaded
    t, lang = rt.catalog.t, caller.lang
    if not own:
        out.say(t(lang, "report.contact_not_own"))
        return True
    draft.contact_phone = phone[:32]
    if caller.user.consent_at is None:
        caller.user.consent_at = rt.clock.now()
    out.say(t(lang, "report.contact_saved"))
    await save_draft(session, rt, caller, DETAILS, draft)
    return True


async def offer_duplicates_or_submit(
    session: AsyncSession, rt: Runtime, caller: Caller, draft: ReportDraft, out: Replies
) -> None:
    """Step 5: "Is it this one?" when similar open cases exist in the grid (并单)."""
    similar = await likely_duplicates(
        session, draft.grid_id, draft.case_type or "other", draft.text, rt.clock.now()
    )
    if not similar:
        await submit(session, rt, caller, draft, out)
        return
    t, lang = rt.catalog.t, caller.lang
    draft.offered = [c.id for c in similar]
    lines = [t(lang, "report.duplicates")]
    rows = []
    for case in similar:
        lines.append(f"• {case.number}: {case.text[:80]}")
        rows.append(
            [(t(lang, "button.join_case", number=case.number), f"rep:{draft.token}:join:{case.id}")]
        )
    rows.append([(t(lang, "button.file_new"), f"rep:{draft.token}:new")])
    out.say("\n".join(lines), inline(rows))
    await save_draft(session, rt, caller, DUPLICATE, draft)


async def submit(
    session: AsyncSession, rt: Runtime, caller: Caller, draft: ReportDraft, out: Replies
) -> None:
    """Step 6: store the case and tell the resident its number and expected time."""
    filed = await file_report(session, draft, caller.user, rt.city, rt.catalog, rt.clock.now())
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
    if await load_draft(session, caller) is None:
        out.say(rt.catalog.t(caller.lang, "report.nothing_to_cancel"), REMOVE_KEYBOARD)
        return
    await drop_draft(session, caller)
    out.say(rt.catalog.t(caller.lang, "report.cancelled"), REMOVE_KEYBOARD)
