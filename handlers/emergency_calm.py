"""Standing an emergency down: "不是紧急情况 / Not an emergency" (asked once more before an
urgent case becomes an ordinary report, staff told) and "they've been found" (the words join
the open urgent case and the staff alerted are told to check and close it). Buttons:
`em:calm|calmok|calmno:<case id>`.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.callback_data import CallbackData, button_data
from handlers import report_draft, report_steps
from handlers.edge import Turn
from handlers.inputs import InputKind
from handlers.replies import REMOVE_KEYBOARD, inline
from handlers.typed import leading_answers
from nlu.no_danger import denies_emergency, says_settled, undoes_alarm
from services.cases import emergency as service
from services.cases.drafts import ReportDraft
from services.places import emergency_words


async def resume_interrupted(turn: Turn, draft: ReportDraft) -> None:
    """Bring back the report the emergency interrupted, at the step it was on."""
    if not draft.resume:
        await report_draft.drop_draft(turn.session, turn.caller)
        return
    state, earlier = str(draft.resume["state"]), ReportDraft.from_dict(draft.resume["draft"])
    earlier.urgent_case = draft.case_number
    await report_draft.save_draft(turn.session, turn.runtime, turn.caller, state, earlier)
    turn.out.say(turn.t("conversation.resumed"))
    await report_steps.remind(turn, state, earlier)


async def stand_down(turn: Turn, number: str) -> bool:
    """A typed "not an emergency": the urgent case numbered `number` becomes an ordinary
    report, as its button does. False when there is no such case."""
    case_id = await service.case_id_of(turn.session, number)
    if not case_id:
        return False
    said = turn.incoming.text
    # Its words ("false alarm, he is home now") stand it down; the button's label alone
    # ("不是紧急情况") is the button, which asks once more.
    action = "calm" if turn.labels.key_of(said) == "button.not_emergency" else "calmok"
    turn.incoming = turn.incoming.pressed(button_data("em", action, case_id))
    await on_button(turn)
    if undoes_alarm(said):  # "false alarm, it was the TV": nothing to handle at all
        withdraw = [[(turn.t("office.mycases.withdraw_button"), button_data("mc", "w", case_id))]]
        turn.out.say(turn.t("emergency.withdraw_offer", number=number), inline(withdraw))
    return True


def says_it_is_over(turn: Turn) -> bool:
    """Words saying the person or the danger is found, safe or over ("找到了，她在邻居家",
    "已经到家了", "found him, all good now", "the fire is out"), with no emergency named after
    them ("找到了，但是他昏迷了" is one) and no "not an emergency" (that stands it down)."""
    if turn.incoming.kind is not InputKind.TEXT or says_not_an_emergency(turn):
        return False
    understanding = turn.understanding
    if understanding is not None and understanding.cue is not None:
        return False
    return says_settled(turn.incoming.text)


async def take_settled(turn: Turn) -> bool:
    """ "They've been found" while an urgent case of the resident's is open (its place still
    asked, the report it interrupted back, or within SETTLED_WINDOW): the words join the
    urgent case, the staff alerted are told to check and close it, and the resident hears so.
    The place is no longer asked; a report the alarm interrupted comes back. False when the
    words say no such thing or no urgent case of theirs is open."""
    if not says_it_is_over(turn):
        return False
    session, runtime, caller = turn.session, turn.runtime, turn.caller
    now = runtime.clock.now()
    opened = await report_draft.load_draft(session, caller)
    draft = opened[1] if opened is not None else None
    named = draft.case_number if draft is not None and draft.emergency else None
    named = named or (draft.urgent_case if draft is not None else None)
    number = await service.open_urgent_case(session, caller.user, now, named)
    if number is None and named is None:
        number = await service.open_urgent_case(session, caller.user, now)
    if number is None:
        return False
    told = await service.settle_words(session, number, turn.incoming.text, caller.user, now,
                                      runtime.city, runtime.catalog)  # fmt: skip
    key = "emergency.settled" if told else "emergency.settled_nobody"
    turn.out.say(turn.t(key, number=number), REMOVE_KEYBOARD)
    if opened is not None and opened[0] == report_draft.EMERGENCY_LOCATION:
        await resume_interrupted(turn, opened[1])  # no more "where is it?"
    elif opened is not None:
        await report_steps.remind(turn, opened[0], opened[1])
    return True


def says_not_an_emergency(turn: Turn) -> bool:
    """Does the text say "not an emergency", alone or first ("不是紧急情况哦，他们已经散了"), or
    in the resident's own words with no danger named ("不是紧急的，就是停水", "false alarm, it
    was a barbecue", "sorry my son was playing with my phone")?"""
    text = turn.incoming.text
    heads = [text, *(head for head, _ in leading_answers(text))]
    if any(turn.labels.key_of(head) == "button.not_emergency" for head in heads):
        return True
    return denies_emergency(text) and emergency_words(turn.runtime.city, text)[0] is None


async def on_button(turn: Turn) -> None:
    """`em:calm:<case id>`: "not an emergency" asks once more ("确定不是紧急情况吗？", typed yes /
    no answer it); `em:calmok:<case id>` then turns it into an ordinary report, `em:calmno:<case
    id>` keeps it urgent."""
    pressed = CallbackData.decode(turn.incoming.data)
    valid = len(pressed.args) == 1 and pressed.args[0].isdigit()
    said = turn.incoming.text  # typed: the label with more words ("不是紧急情况哦，他们已经散了")
    reasons = bool(said) and turn.labels.key_of(said) is None  # says why: no need to ask
    if valid and pressed.action == "calm" and not reasons:
        case_id = pressed.int_arg(0)
        number = await service.urgent_number(turn.session, case_id, turn.caller.user)
        if number is not None:  # "collapsed, not breathing" is not undone in one tap
            rows = [
                [(turn.t("button.calm_yes"), button_data("em", "calmok", case_id))],
                [(turn.t("button.calm_no"), button_data("em", "calmno", case_id))],
            ]
            turn.out.say(turn.t("emergency.calm_confirm", number=number), inline(rows))
            return
    elif valid and pressed.action == "calmno":
        number = await service.urgent_number(turn.session, pressed.int_arg(0), turn.caller.user)
        if number is not None:
            turn.out.new_markup = InlineKeyboardMarkup([])  # answered: its buttons go
            turn.out.say(turn.t("emergency.calm_kept", number=number))
            return
    elif valid and pressed.action in ("calm", "calmok") and await _calm(turn, pressed.int_arg(0)):
        turn.out.new_markup = InlineKeyboardMarkup([])
        return
    turn.out.callback_notice = turn.t("error.stale_button")
    turn.out.say(turn.t("emergency.calm_stale"))


async def _calm(turn: Turn, case_id: int) -> bool:
    """Not an emergency after all: the urgent case becomes an ordinary report, every chat it
    alerted is told. Its place is no longer asked (a case with no place is on every
    supervisor's /desk); a report the alarm interrupted comes back. False when it is no
    urgent case of the caller's."""
    stood_down = await service.stand_down(
        turn.session,
        case_id,
        turn.caller.user,
        turn.runtime.city,
        turn.runtime.catalog,
        turn.runtime.clock.now(),
    )
    if stood_down is None:
        return False
    case, told = stood_down
    key = "emergency.stood_down" if told else "emergency.stood_down_nobody_told"
    turn.out.say(turn.t(key, number=case.number), REMOVE_KEYBOARD)
    opened = await report_draft.load_draft(turn.session, turn.caller)
    if opened is not None and opened[1].case_number == case.number:
        # No more "where is it?" for something that is over.
        await resume_interrupted(turn, opened[1])
    return True
