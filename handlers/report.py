"""The resident's report conversation (DESIGN.md "A resident's report", steps 1-6): its ways in.

handlers.registry hands this module what the open report may take: typed input and media
(take), the `rep:` buttons (on_button) and edited messages (apply_edit). Each is a dispatch to
the module that owns the answer:

- handlers.report_draft: the states and the stored draft (lowest; imports no other part);
- handlers.report_submit: duplicates offered, the case filed, the draft cancelled;
- handlers.report_steps: what each step shows and asks, and showing it again;
- handlers.report_questions: asides, "cancel?", a new report while one is open;
- handlers.report_place: a typed or shared place;
- handlers.report_media: photos, albums, a phone number, a photo-first report.

State lives in the database (conversation_states), so a restart resumes a half-finished
report. Each step loads the draft, acts, and saves it in the same transaction as the update's
other writes.
"""

from __future__ import annotations

from bot.callback_data import CallbackData, button_data
from handlers import ask
from handlers.edge import Turn
from handlers.inputs import InputKind
from handlers.replies import REMOVE_KEYBOARD
from handlers.report_draft import (
    CONFIRM_TYPE,
    DESCRIBE,
    DETAILS,
    DUPLICATE,
    LOCATION,
    drop_draft,
    load_draft,
    save_draft,
    type_label,
)
from handlers.report_media import add_photo, describe_photo, keep_contact
from handlers.report_place import (
    keep_known_place,
    moved_by_edit,
    names_a_known_place,
    pick_listed,
    reads_as_place,
    reread_place,
    take_hedge,
    take_shared_place,
    take_typed_place,
    take_unlisted,
)
from handlers.report_questions import (
    answer_later,
    ask_to_cancel,
    bring_next_up,
    clearly_new,
    continues_split,
    faq_guess,
    join_split,
    keep_other_for_later,
    mentions_phone,
    more_words,
)
from handlers.report_steps import (
    ask_details,
    ask_location,
    details_keyboard,
    pick_grid,
    pick_type,
    remind,
    remind_step,
)
from handlers.report_submit import cancel, join_offered, offer_duplicates_or_submit, submit
from handlers.resident_words import by_the_way_question, hedge_only
from handlers.typed import SHOWN, answer_of
from handlers.typed_fold import list_number
from handlers.worker import file_as_note
from services.cases.drafts import ReportDraft
from storage.conversations import ConversationRepository


async def take(turn: Turn, state: str) -> bool:
    """The open report's step takes this input, or says False to let intent routing have it."""
    session, rt, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    loaded = await load_draft(session, caller, turn.incoming.text or None)
    if loaded is None:
        return False
    state, draft = loaded
    incoming = turn.incoming
    text = incoming.text
    number = list_number(text) if incoming.kind is InputKind.TEXT else None
    if incoming.kind is InputKind.TEXT and by_the_way_question(text):
        return False  # "对了，…怎么办？": a question beside the step, answered by intent routing
    if state == LOCATION and number is not None and await pick_listed(turn, draft, number):
        return True  # "2" picked from the list shown ("which community?", "which grid?")
    if state == CONFIRM_TYPE and draft.picking and number is not None:
        out.say(turn.t("report.type_number"))  # the type list has no numbers: its buttons
        pick_type(rt, caller.lang, draft, out)
        return True
    if incoming.kind is InputKind.PHOTO:
        await add_photo(turn, state, draft)
    elif incoming.kind is InputKind.LOCATION:
        await take_shared_place(turn, state, draft)
    elif incoming.kind is InputKind.CONTACT:
        await keep_contact(turn, state, draft)
    elif turn.labels.means(text, "button.cancel"):
        await _cancel_words(turn, state, draft)
    elif state != DESCRIBE and await continues_split(turn, draft):
        await join_split(turn, state, draft)
    elif state == DESCRIBE and more_words(turn):
        await describe_photo(turn, draft)
    elif state == LOCATION and turn.labels.means(text, "button.no_community"):
        await take_unlisted(turn, draft)
    elif state == LOCATION and hedge_only(text):  # "不知道", "not sure": no address words
        await take_hedge(turn, draft)
    elif state == LOCATION and reads_as_place(turn, draft.case_type):
        await take_typed_place(turn, draft)
    elif state == CONFIRM_TYPE and draft.grid_id is None and names_a_known_place(turn):
        await keep_known_place(turn, state, draft)
    elif state == DETAILS and (
        turn.labels.means(text, "button.submit") or answer_of(text) == "yes"
    ):
        await offer_duplicates_or_submit(session, rt, caller, draft, out)
        await bring_next_up(turn, draft)
    elif state == DETAILS and mentions_phone(text):
        out.say(turn.t("report.phone_by_button"), details_keyboard(rt, caller.lang))
    elif state == DETAILS and more_words(turn) and not clearly_new(turn, draft):
        draft.add_piece(incoming.message_id, text, rt.settings.max_text_length)
        out.say(turn.t("report.text_added"), details_keyboard(rt, caller.lang))
        await save_draft(session, rt, caller, DETAILS, draft)
    else:
        # Typed answers to the confirm/duplicate steps were taken as presses already; a
        # question, a greeting, a new report or an emoji goes to intent routing, which
        # answers and shows this step again.
        return False
    return True


async def on_button(turn: Turn) -> None:
    """Buttons of the report conversation: `rep:<action>:<draft token>[:<arg>]`."""
    pressed = CallbackData.decode(turn.incoming.data)
    later = pressed.action in ("later", "nolater") and bool(pressed.args)
    if later and await answer_later(turn, pressed.action == "later", pressed.args[0]):
        return  # "you also mentioned …: file it now?"
    loaded = await load_draft(turn.session, turn.caller)
    await _press(turn, loaded)
    if loaded is not None and loaded[1].next_up:
        await bring_next_up(turn, loaded[1])  # when that press filed or cancelled it


async def _press(turn: Turn, loaded: tuple[str, ReportDraft] | None) -> None:
    """The press of `turn` on the open draft `loaded` (as it was before the press)."""
    session, rt, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    t, lang = rt.catalog.t, caller.lang
    pressed = CallbackData.decode(turn.incoming.data)  # rep:<action>:<draft token>[:<arg>]
    if not pressed.args or loaded is None or loaded[1].token != pressed.args[0]:
        out.callback_notice = t(lang, "error.stale_button")
        out.say(t(lang, "error.stale_button_hint"))
        return
    state, draft = loaded
    action, arg = pressed.action, (pressed.args[1] if len(pressed.args) > 1 else "")
    if action == "cancel" and turn.incoming.text:  # its label typed: words ask first
        await _cancel_words(turn, state, draft)
    elif action == "cancel":
        await drop_draft(session, caller)
        out.say(t(lang, "report.cancelled"), REMOVE_KEYBOARD)
    elif action == "drop":  # "yes, cancel it" to "cancel the report?"
        await cancel(session, rt, caller, out)
    elif action == "ok" and state == CONFIRM_TYPE and draft.case_type:
        await ask_location(session, rt, caller, draft, out)
    elif action == "types" and state == CONFIRM_TYPE:
        draft.picking = True
        pick_type(rt, lang, draft, out)
        await save_draft(session, rt, caller, CONFIRM_TYPE, draft)
    elif action == "type" and state == CONFIRM_TYPE and arg in rt.city.case_types:
        draft.case_type, draft.picking = arg, False
        out.say(t(lang, "report.type_chosen", case_type=type_label(rt, lang, arg)))
        await ask_location(session, rt, caller, draft, out)
    elif action == "com" and state == LOCATION and arg in rt.city.communities:
        pick_grid(rt, lang, draft, rt.city.communities[arg], out)
        draft.community_id = arg
        await save_draft(session, rt, caller, LOCATION, draft)
    elif action == "ask" and state == CONFIRM_TYPE:
        await drop_draft(session, caller)
        await ask.offer_topics(session, rt, caller, draft.text, faq_guess(draft), out)
    elif action == "stay":
        await remind_step(session, rt, caller, state, draft, out)
    elif action == "keep" and draft.pending is not None:
        await keep_other_for_later(turn, state, draft, fresh=False)
        await remind_step(session, rt, caller, state, draft, out)
    elif action == "asnote" and state == CONFIRM_TYPE and arg.isdigit():
        await file_as_note(turn, draft, int(arg))
    elif action == "fresh" and draft.pending is not None:
        await keep_other_for_later(turn, state, draft, fresh=True)
    elif action == "nocom" and state == LOCATION:
        await take_unlisted(turn, draft)
    elif action == "grid" and state == LOCATION and arg in rt.city.grids:
        draft.grid_id = arg
        await ask_details(session, rt, caller, draft, out)
    elif action == "join" and state == DUPLICATE and arg.isdigit() and int(arg) in draft.offered:
        await join_offered(session, rt, caller, int(arg), out)
    elif action == "new" and state == DUPLICATE:
        await submit(session, rt, caller, draft, out)
    else:
        out.callback_notice = t(lang, "error.stale_button")
        out.say(t(lang, "error.stale_button_hint"))


async def _cancel_words(turn: Turn, state: str, draft: ReportDraft) -> None:
    """Typed cancel words ("取消", "算了", "never mind", the ✖ label) ask first at every step:
    the draft holds the resident's words. Said again to "cancel the report?", they are its
    yes. /cancel and a press of ✖ drop the draft at once (handlers.basics, _press)."""
    shown = await ConversationRepository(turn.session).load(turn.caller.telegram_id, SHOWN)
    newest = (shown.data.get("keyboards") or [[]])[0] if shown is not None else []
    if any(data == button_data("rep", "drop", draft.token) for _, data in newest):
        await cancel(turn.session, turn.runtime, turn.caller, turn.out)
        await bring_next_up(turn, draft)
        return
    await ask_to_cancel(turn, state, draft)


async def apply_edit(turn: Turn) -> bool:
    """An edited message that is part of the open draft updates it. False otherwise."""
    incoming = turn.incoming
    loaded = await load_draft(turn.session, turn.caller, incoming.text or None)
    if loaded is None or incoming.message_id is None or not incoming.text:
        return False
    state, draft = loaded
    message_id, limit = incoming.message_id, turn.runtime.settings.max_text_length
    if not draft.edit_piece(message_id, incoming.text, limit):
        if message_id != draft.place_message_id or draft.latitude is not None:
            return False
        await reread_place(turn, state, draft, incoming.text)  # the answer to "where?"
        return True
    retyped = state == CONFIRM_TYPE and _another_type(turn, draft)
    moved = moved_by_edit(turn, draft, message_id, incoming.text)  # "在新基大厦2号楼门口"
    await save_draft(turn.session, turn.runtime, turn.caller, state, draft)
    turn.out.say(turn.t("conversation.edit_applied"))
    if moved:
        turn.out.say(turn.t("conversation.place_edit_applied", address=draft.address))
    if moved and state == LOCATION:  # the place asked for is given: on to the details
        await ask_details(turn.session, turn.runtime, turn.caller, draft, turn.out)
    elif retyped:  # the type to confirm follows the edited words
        await remind(turn, state, draft)
    return True


def _another_type(turn: Turn, draft: ReportDraft) -> bool:
    """The edited words are surely a report of another type: the draft takes it (to be
    confirmed again). False when the NLU is unsure or says the same type."""
    prediction = turn.sure_prediction()
    if prediction is None or prediction.intent != "report":
        return False
    new = prediction.case_type
    if new in (None, draft.case_type):
        return False
    if new not in turn.runtime.city.case_types:
        return False
    draft.case_type, draft.choices, draft.picking = new, [], False
    return True
