"""Words beside an open report: asides, "cancel?" and a new report while one is open.

A resident with a report open still asks questions, greets, says something that sounds like
"cancel" or starts describing another problem. This module tells those apart from more words
about the report (more_words, clearly_new) and asks instead of guessing: nothing is dropped or
replaced without a press (ask_to_cancel, offer_continue_or_new, start_pending). Used by the
step readers (handlers.report, handlers.report_place) and by intent routing (handlers.intents).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callback_data import button_data
from bot.runtime import Runtime
from domain.ids import FAQ_PREFIX, REPORT_PREFIX
from handlers.common import Caller
from handlers.edge import Turn, has_words
from handlers.replies import Replies, inline
from handlers.report_draft import CONVERSATION, load_draft, save_draft
from handlers.report_steps import begin, faq_topics, remind, report_choices
from handlers.resident_words import another_problem
from handlers.typed import points_only
from nlu.types import LabelScore, Prediction
from services.cases.drafts import ReportDraft
from services.places import place_named_in
from services.privacy.phone_redaction import redact_phone_numbers
from storage.conversations import ConversationRepository

# A sure report of another type at the details step is a new problem, not more words.
NEW_REPORT_CONFIDENCE = 0.8
PREVIEW = 60

# What the resident may say at any step that is not part of the report itself.
_ASIDES = frozenset({"faq", "greet", "thanks", "check_status", "volunteer_signup", "cancel"})


def _aside(turn: Turn) -> bool:
    """A sure question, greeting, status check or the like: answered, not filed."""
    prediction = turn.sure_prediction()
    return prediction is not None and prediction.intent in _ASIDES


def more_words(turn: Turn) -> bool:
    """Words about the problem: not an emoji, a typed answer, or an aside."""
    text = turn.incoming.text
    return (
        has_words(text)
        and not turn.labels.is_typed_answer(text)
        and not points_only(text)  # "这个", "this one": pointing, no content
        and not _aside(turn)
    )


# Telegram's clients split a text longer than 4,096 characters into messages sent at once
# (at a space or line end a little before the limit): the next one, this soon, goes on.
SPLIT_SLACK = 300
SPLIT_WINDOW = timedelta(seconds=10)


async def continues_split(turn: Turn, draft: ReportDraft) -> bool:
    """The rest of a long message the client split: the draft's last words were about as
    long as a message may be and this text came straight after them."""
    limit, pieces = turn.runtime.settings.max_text_length, draft.pieces
    if not pieces or len(pieces[-1][1]) < limit - SPLIT_SLACK or not has_words(turn.incoming.text):
        return False
    row = await ConversationRepository(turn.session).load(turn.caller.telegram_id, CONVERSATION)
    return row is not None and turn.runtime.clock.now() - row.updated_at <= SPLIT_WINDOW


async def join_split(turn: Turn, state: str, draft: ReportDraft) -> None:
    """Add the rest of a split message to the description, whole (one more message's worth)."""
    draft.splits += 1
    limit = turn.runtime.settings.max_text_length
    draft.add_piece(turn.incoming.message_id, turn.incoming.text, limit)
    await save_draft(turn.session, turn.runtime, turn.caller, state, draft)
    turn.out.say(turn.t("conversation.split_joined"))
    await remind(turn, state, draft)


def clearly_new(turn: Turn, draft: ReportDraft) -> bool:
    """A sure report of another type, or one brought up as another at another known place
("另外，阳光花园3栋的路灯也坏了"): a new problem, not more words about this one."""
    understanding = turn.understanding
    if understanding is None:
        return False
    prediction = understanding.prediction
    if another_problem(turn.incoming.text) and prediction.intent == "report":
        named = place_named_in(turn.runtime.city, turn.incoming.text)
        if named is not None and named.grid is not None and named.grid.id != draft.grid_id:
            return True
    return (
        prediction.intent == "report"
        and prediction.case_type not in (None, draft.case_type, "other")
        and prediction.confidence >= NEW_REPORT_CONFIDENCE
    )


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
    _ask_about_open(turn, "conversation.cancel_really", draft, "cancel_report", "drop", "stay")


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
        "choices": report_choices(prediction, turn.runtime),
        "faq_topics": faq_topics(prediction),
    }
    await save_draft(turn.session, turn.runtime, turn.caller, state, draft)
    _ask_about_open(turn, "conversation.continue_or_new", draft, "start_new", "fresh", "keep")


async def start_pending(
    session: AsyncSession,
    rt: Runtime,
    caller: Caller,
    pending: dict[str, Any] | None,
    out: Replies,
) -> None:
    """The new words kept by offer_continue_or_new (a draft's `pending`) begin as a report."""
    pending = pending or {}
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


def faq_guess(draft: ReportDraft) -> Prediction:
    """The FAQ topics the NLU saw in the text, as a prediction for ask.offer_topics."""
    ranking = tuple(LabelScore(FAQ_PREFIX + topic, 0.0) for topic in draft.faq_topics)
    return Prediction(intent="faq", confidence=0.0, ranking=ranking)


_PHONE_ASK = re.compile(
    r"我的(电话|手机|号码)|留(下|个)?(我的)?(电话|手机|号码|联系方式)|(打|联系)我"
    r"|\bmy (phone|number|mobile)|\bleave (my |a )?(phone|number|contact)|\b(call|contact) me",
    re.IGNORECASE,
)
SHORT_ASK = 24  # "留下我的电话", "leave my phone number": a short ask, not a description


def mentions_phone(text: str) -> bool:
    """A phone number typed out, or a short ask to leave one: the number goes by the
    share-contact button (with its consent), never into the description."""
    if redact_phone_numbers(text, "") != text:  # the export's detector, however it is written
        return True
    return len(text) <= SHORT_ASK and _PHONE_ASK.search(text) is not None


def _words_of(pending: dict[str, Any] | None) -> str:
    return str((pending or {}).get("text", ""))[:PREVIEW]


async def keep_other_for_later(turn: Turn, state: str, draft: ReportDraft, fresh: bool) -> None:
    """The answer to "continue or start a new one?": the chosen report goes on and the other
    waits for it (nothing is dropped). `fresh`: the new words begin now, the open report waits."""
    session, rt, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    pending, draft.pending = draft.pending, None
    if not fresh:
        draft.next_up = {"pending": pending}
        await save_draft(session, rt, caller, state, draft)
        out.say(turn.t("conversation.other_waits", other=_words_of(pending)))
        return
    earlier = {"state": state, "draft": draft.to_dict()}
    await start_pending(session, rt, caller, pending, out)
    opened = await load_draft(session, caller)
    if opened is not None:
        opened[1].next_up = earlier
        await save_draft(session, rt, caller, opened[0], opened[1])
        out.say(turn.t("conversation.other_waits", other=draft.text[:PREVIEW]))


async def bring_next_up(turn: Turn, finished: ReportDraft) -> None:
    """The report just filed or cancelled had another waiting: it begins (or comes back)."""
    after = finished.next_up
    session, rt, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    if not after or await load_draft(session, caller) is not None:
        return
    if after.get("pending"):  # offered, not begun: kept until the resident answers
        pending = dict(after["pending"])
        await ConversationRepository(session).save(
            caller.telegram_id, LATER, "offer", {"pending": pending, "token": finished.token},
            rt.clock.now(),
        )  # fmt: skip
        press = finished.token
        out.say(
            turn.t("report.other_offer", other=_words_of(pending)),
            inline(
                [
                    [(turn.t("button.later_now"), button_data("rep", "later", press))],
                    [(turn.t("button.later_no"), button_data("rep", "nolater", press))],
                ]
            ),
        )
    elif after.get("draft"):
        state, earlier = str(after["state"]), ReportDraft.from_dict(after["draft"])
        await save_draft(session, rt, caller, state, earlier)
        out.say(turn.t("conversation.now_the_other", other=earlier.text[:PREVIEW]))
        await remind(turn, state, earlier)


# The other report a resident chose to leave for later ("continue the first one"): once the
# first is filed or cancelled it is offered ("您刚才还提到：…，现在登记吗？"), kept here until
# answered.
LATER = "report_later"


async def answer_later(turn: Turn, file_it: bool, token: str) -> bool:
    """The answer to "you also mentioned …, file it now?": it begins (or waits behind a report
    opened meanwhile), or is dropped. False when no such offer is kept (a stale press)."""
    session, rt, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    conversations = ConversationRepository(session)
    kept = await conversations.load(caller.telegram_id, LATER)
    if kept is None or kept.data.get("token") != token:
        return False
    pending = kept.data.get("pending")
    await conversations.clear(caller.telegram_id, LATER)
    if not file_it:
        out.say(turn.t("report.other_dropped"))
        return True
    opened = await load_draft(session, caller)
    if opened is not None:  # another report was begun meanwhile: this one waits behind it
        opened[1].next_up = opened[1].next_up or {"pending": pending}
        await save_draft(session, rt, caller, opened[0], opened[1])
        out.say(turn.t("conversation.other_waits", other=_words_of(pending)))
        await remind(turn, *opened)
        return True
    await start_pending(session, rt, caller, pending, out)
    return True
