"""What no open step took: route by intent, answer edits, and never guess on low confidence.

A resident with an open report keeps it: a question gets its answer and the report's step
again; a clearly new report asks "continue or start a new one?"; anything unclear re-shows
the current step. Typed labels of finished steps get a true answer, not a guess.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.callback_data import button_data
from handlers import (
    ask,
    basics,
    case_number_question,
    emergency,
    emergency_calm,
    faq,
    followup,
    mycases,
    report,
    report_draft,
    report_media,
    report_questions,
    report_steps,
    staff_work,
    stations,
    status_question,
    volunteer_entry,
    worker,
)
from handlers.edge import Turn
from handlers.inputs import InputKind
from handlers.replies import inline
from handlers.resident_words import asks
from handlers.typed import points_only
from nlu.no_danger import says_settled
from services.cases import emergency as emergency_service
from services.cases.drafts import ReportDraft
from services.cases.staff_photos import recent_open_case
from services.cases.urgent_reading import describes_person, speaks_of_responders
from services.places import emergency_words
from storage.models import Case

# A second "✅ 提交" this soon after a filing is the same press, not a new report.
RECENT_FILING = timedelta(minutes=30)


async def acceptable_text(turn: Turn) -> bool:
    """Empty and over-long texts get their own answer and go no further."""
    text, limit = turn.incoming.text, turn.runtime.settings.max_text_length
    if not text:
        turn.out.say(turn.t("error.empty_text"))
    elif len(text) > limit:
        turn.out.say(turn.t("error.text_too_long", limit=limit))
    else:
        return True
    return False


async def on_edit(turn: Turn) -> None:
    """An edit updates the open draft it belongs to; it never starts a report or an urgent
    case, but an edit into the words of an emergency gets the numbers and is asked to come as
    a new message, the draft left as it was (never filed with them as an ordinary report).
    Later positions of a live location arrive as edits and are ignored quietly."""
    if turn.incoming.kind is InputKind.LOCATION:
        return
    runtime, now, words = turn.runtime, turn.runtime.clock.now(), turn.incoming.text
    cue, _ = emergency_words(runtime.city, words)
    urgent = (
        await emergency_service.recent_urgent_case(turn.session, turn.caller.user, now)
        if cue is not None
        else None
    )
    if urgent is not None:  # an urgent case is open: the edited words join it, staff told
        await emergency_service.add_words(
            turn.session, urgent, words, now, runtime.city, runtime.catalog
        )
        turn.out.say(turn.t("emergency.numbers"))
        await emergency.say_added(turn, urgent)
        return
    if cue is not None:  # words of an emergency now: the numbers, and how to alert staff;
        turn.out.say(turn.t("emergency.numbers"))  # the draft keeps its words (an emergency
        turn.out.say(turn.t("conversation.edit_emergency"))  # is no ordinary report's text)
        return
    if not await report.apply_edit(turn):
        turn.out.say(turn.t("conversation.edit_not_read"))


async def route(turn: Turn) -> None:
    kind = turn.incoming.kind
    if kind is InputKind.TEXT:
        await _route_text(turn)
    elif kind is InputKind.PHOTO:
        if not await worker.attach_to_recent(turn) and not await emergency.attach_to_recent(turn):
            await report_media.start_with_photo(turn)
    elif kind is InputKind.LOCATION:
        incoming = turn.incoming
        lat, lon = incoming.latitude or 0.0, incoming.longitude or 0.0
        args = (turn.session, turn.runtime, turn.caller, lat, lon, turn.out)
        if not await volunteer_entry.on_location(*args) and not await emergency.attach_to_recent(
            turn
        ):
            stations.answer_nearby(turn.runtime, turn.caller, lat, lon, turn.out)
    elif kind is InputKind.CONTACT:
        turn.out.say(turn.t("report.contact_without_report"))
    else:
        turn.out.say(
            turn.t("error.sticker" if turn.incoming.sticker else "error.unsupported_media")
        )


async def _route_text(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    text = turn.incoming.text
    if (key := turn.labels.key_of(text)) is not None:
        await _finished_label(turn, key)
        return
    if points_only(text):  # "这个", "this one": no cancel, no content; the step again
        await _not_understood(turn, await report_draft.load_draft(session, caller, text))
        return
    opened = await report_draft.load_draft(session, caller, text)
    # An urgent case still waiting for its place is filed, not a half-written report: a new
    # problem starts as itself (a pin or photo within 30 minutes still joins the urgent case).
    urgent_waiting = opened is not None and opened[0] == report_draft.EMERGENCY_LOCATION
    if emergency_calm.says_not_an_emergency(turn) and await _stand_down_recent(turn):
        return  # "不是紧急的，就是停水", "false alarm, it was a barbecue"
    if (opened is None or urgent_waiting) and describes_person(text) and await _join_recent(turn):
        return  # "个子不高，白头发", "last seen near the school gate": for the staff looking
    if opened is None and await staff_work.take_free_text(turn):
        return  # a worker's words: a note for their case, or "反映：…" a report
    if opened is None and await _staff_free_text(turn):
        return  # "hi I'm back" from staff: their commands, not a resident's "I can't help"
    if opened is None and await case_number_question.take(turn):
        return  # "status of GD-2026-000001": theirs, or "not one of yours" and their own
    if opened is None and await status_question.take(turn):
        return  # "垃圾清了吗", "is the light fixed yet?": where their own case stands
    understanding = turn.understanding
    if opened is None and understanding is not None and understanding.place_only and not asks(text):
        await report_media.start_with_place(turn)  # "翠湖苑 3栋": what is the problem there?
        return
    if understanding is None:
        await _not_understood(turn, opened)
        return
    prediction = understanding.prediction
    sure = prediction.confidence >= runtime.settings.nlu_confirm_threshold
    intent, lang = prediction.intent, caller.lang
    news = (
        intent == "out_of_scope"
        or not sure
        or (intent == "thanks" and says_settled(text))
        or (intent != "emergency" and speaks_of_responders(text))
    )
    if opened is None and news and await _join_recent(turn):
        return  # "消防车到了", "外婆自己回来了 谢谢": news for the staff on the urgent case
    if intent == "emergency":
        # The model thinks so, but not enough to file an urgent case: the numbers go first
        # anyway, then the words are handled as an ordinary report.
        out.say(turn.t("emergency.numbers"))
        out.say(turn.t("conversation.maybe_emergency"))
        if opened is None:
            await report_steps.begin(session, runtime, caller, text, prediction, out)
        else:
            await report_steps.remind(turn, *opened)
        return
    if not sure and asks(text) and intent != "report":
        # A question the model cannot place ("对了，停车证在哪办？"): staff are offered, the
        # question kept for them; an open report's step comes again.
        await ask.offer_staff(session, runtime, caller, text, out)
        if opened is not None:
            await report_steps.remind(turn, *opened)
        return
    if not sure and opened is not None:
        await _not_understood(turn, opened)
        return
    if intent == "cancel" and sure and urgent_waiting:
        await basics.on_cancel(turn)  # "算了" after the numbers: what becomes of the urgent case
        return
    if intent == "cancel" and sure and opened is not None:
        # Words the model reads as "cancel" ("continue", "算了吧"?) never drop a report: ask.
        await report_questions.ask_to_cancel(turn, *opened)
        return
    if intent == "cancel" and sure:
        await basics.on_cancel(turn)
        return
    if intent == "report" or not sure:
        if opened is None or (urgent_waiting and intent == "report"):
            waiting_for = opened[1].case_number if opened is not None and urgent_waiting else None
            await report_steps.begin(
                session, runtime, caller, text, prediction, out,
                message_id=turn.incoming.message_id, urgent_case=waiting_for,
            )  # fmt: skip
            await _offer_as_note(turn)
        else:
            await report_questions.offer_continue_or_new(turn, opened, prediction)
        return
    if intent == "greet":
        out.say(turn.t("chat.greet"))
    elif intent == "thanks":
        out.say(turn.t("chat.thanks"))
    elif intent == "check_status":
        await basics.list_my_cases(session, runtime, caller, out)
    elif intent == "volunteer_signup":
        await basics.start_volunteering(session, runtime, caller, out)
    elif intent == "faq" and (prediction.topic or "") in runtime.city.faq:
        faq.answer(runtime, lang, prediction.topic or "", out)
        await ask.offer_staff_after_answer(session, runtime, caller, text, out)
    elif intent == "faq":
        await ask.offer_topics(session, runtime, caller, text, prediction, out)
    elif intent == "out_of_scope":
        await ask.offer_staff(session, runtime, caller, text, out)
    else:
        await report_steps.begin(
            session, runtime, caller, text, prediction, out, message_id=turn.incoming.message_id
        )
        return
    if opened is not None:
        await report_steps.remind(turn, *opened)


async def _not_understood(turn: Turn, opened: tuple[str, ReportDraft] | None) -> None:
    """Never cancel, file or discard on a guess: say so and show where the resident is."""
    if opened is None:
        turn.out.say(
            turn.t("conversation.not_understood"), basics.help_menu(turn.runtime, turn.lang)
        )
        return
    turn.out.say(turn.t("conversation.not_understood_step"))
    await report_steps.remind(turn, *opened)


# A worker's words soon after acting on a case may be a progress note ("已联系物业，明天上午换灯").
NOTE_WINDOW = timedelta(hours=12)


async def _offer_as_note(turn: Turn) -> None:
    """A report just begun by staff who acted on an open case lately: one tap files the words
    as that case's note instead (the report is dropped)."""
    if not worker.is_staff(turn.caller):
        return
    now = turn.runtime.clock.now()
    case = await recent_open_case(turn.session, turn.caller.user, now, NOTE_WINDOW)
    opened = await report_draft.load_draft(turn.session, turn.caller)
    if case is None or opened is None:
        return
    press = button_data("rep", "asnote", opened[1].token, case.id)
    turn.out.say(
        turn.t("staff.note_or_report", number=case.number),
        inline([[(turn.t("button.as_note", number=case.number), press)]]),
    )


async def _staff_free_text(turn: Turn) -> bool:
    """Staff words that are no report, question or action ("hi I'm back", "在吗"): where their
    work is (/tasks, /desk), never the resident's "I can't help / ask staff". False for
    residents and for anything else."""
    understanding = turn.understanding
    intent = understanding.prediction.intent if understanding is not None else None
    if not worker.is_staff(turn.caller) or intent not in (None, "greet", "out_of_scope"):
        return False
    role = "supervisor" if turn.caller.user.role == "supervisor" else "worker"
    turn.out.say(turn.t(f"staff.free_text_{role}"))
    return True


async def _join_recent(turn: Turn) -> bool:
    """Words soon after an urgent case was placed that are no new report, question or
    greeting ("消防车到了", "火已经扑灭了 王阿姨被背下来了"): they join that case and reach the
    staff alerted. False when there is no urgent case of the last 30 minutes."""
    now = turn.runtime.clock.now()
    number = await emergency_service.recent_urgent_case(turn.session, turn.caller.user, now)
    if number is None:
        return False
    runtime = turn.runtime
    await emergency_service.add_words(
        turn.session, number, turn.incoming.text, now, runtime.city, runtime.catalog
    )
    await emergency.say_added(turn, number)
    return True


async def _stand_down_recent(turn: Turn) -> bool:
    """A typed "不是紧急情况 / not an emergency" wherever the resident is: their urgent case
    of the last 30 minutes becomes an ordinary report, as its button does. False when there
    is none."""
    now = turn.runtime.clock.now()
    number = await emergency_service.recent_urgent_case(turn.session, turn.caller.user, now)
    return number is not None and await emergency_calm.stand_down(turn, number)


async def _finished_label(turn: Turn, key: str) -> None:
    """A typed button label that no open step uses: with a report open, it is not this
    step's (show the step again); otherwise the step it belonged to is over."""
    if key == "button.cancel":
        await basics.on_cancel(turn)
        return
    if key == "button.not_emergency" and await _stand_down_recent(turn):
        return
    if key in ("button.fixed", "button.not_fixed"):  # a resolution they never got
        waiting = len(turn.out.items)
        case_id = await mycases.ask_fixed_again(turn)
        if case_id is not None:
            action = "fixed" if key == "button.fixed" else "notfixed"
            turn.incoming = turn.incoming.pressed(button_data("fu", action, case_id))
            await followup.on_followup_button(turn)
        if case_id is not None or len(turn.out.items) > waiting:
            return
    opened = await report_draft.load_draft(turn.session, turn.caller)
    if opened is not None:
        turn.out.say(turn.t("conversation.label_not_now"))
        await report_steps.remind(turn, *opened)
        return
    if key == "button.submit":
        since = turn.runtime.clock.now() - RECENT_FILING
        number = await turn.session.scalar(
            select(Case.number)
            .where(Case.reporter_id == turn.caller.user.id, Case.created_at >= since)
            .order_by(Case.id.desc())
            .limit(1)
        )
        if number is not None:
            turn.out.say(turn.t("conversation.already_filed", number=number))
            return
    turn.out.say(
        turn.t("conversation.label_of_finished_step"), basics.help_menu(turn.runtime, turn.lang)
    )
