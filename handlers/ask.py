"""Questions: answer from the knowledge base, offer the top topics when unsure, and hand
anything else to community staff as a consultation case (never a dead end).

Buttons: `faq:t:<topic>` answer a topic, `faq:staff` ask staff, `faq:c:<community>` the
community the question is about, `faq:none` none of the listed communities (the street
office answers). "Which community?" is a step (COMMUNITY): typed words there answer it (a
name, an alias, a number, "none of these") and never replace the question kept for staff.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.callback_data import CallbackData, button_data
from bot.due_text import say_due
from bot.runtime import Runtime
from domain.ids import FAQ_PREFIX
from handlers import faq
from handlers.common import Caller
from handlers.edge import Turn, has_words
from handlers.replies import REMOVE_KEYBOARD, Replies, inline
from handlers.resident_words import asks
from handlers.typed import points_only
from handlers.typed_fold import list_number
from nlu.types import Prediction
from services.consultations import community_of, open_consultation
from services.places import MAX_ADDRESS, read_place
from storage.conversations import ConversationRepository

CONVERSATION = "ask"
ASKED = "asked"  # a question kept for "ask staff"
COMMUNITY = "community"  # "which community?" is open: typed words answer it
TOP_TOPICS = 3
PREVIEW = 60  # of the question, shown again at "which community?"


async def remember_question(
    session: AsyncSession, runtime: Runtime, caller: Caller, text: str
) -> None:
    await ConversationRepository(session).save(
        caller.telegram_id, CONVERSATION, ASKED, {"text": text}, runtime.clock.now()
    )


async def offer_topics(
    session: AsyncSession,
    runtime: Runtime,
    caller: Caller,
    text: str,
    prediction: Prediction,
    out: Replies,
) -> None:
    """The model is unsure which topic: the top three as buttons, plus "ask staff"."""
    t, lang = runtime.catalog.t, caller.lang
    topics = [
        s.label.removeprefix(FAQ_PREFIX)
        for s in prediction.ranking
        if s.label.startswith(FAQ_PREFIX)
    ]
    rows = [
        [(runtime.city.faq[topic].title.get(lang), button_data("faq", "t", topic))]
        for topic in topics[:TOP_TOPICS]
        if topic in runtime.city.faq
    ]
    key = "consult.which_topic" if rows else "consult.no_topic"  # never an empty "which?"
    rows.append([(t(lang, "button.ask_staff"), button_data("faq", "staff"))])
    await remember_question(session, runtime, caller, text)
    out.say(t(lang, key), inline(rows))


async def offer_staff(
    session: AsyncSession, runtime: Runtime, caller: Caller, text: str, out: Replies
) -> None:
    """Out of the bot's scope: say so, and still offer a person. A question the FAQ cannot
    answer ("fire drill tomorrow?") is offered to staff as one, not "I can't help"."""
    t, lang = runtime.catalog.t, caller.lang
    await remember_question(session, runtime, caller, text)
    out.say(
        t(lang, "consult.question_for_staff" if asks(text) else "chat.out_of_scope"),
        inline([[(t(lang, "button.ask_staff"), button_data("faq", "staff"))]]),
    )


async def offer_staff_after_answer(
    session: AsyncSession, runtime: Runtime, caller: Caller, text: str, out: Replies
) -> None:
    """After an FAQ answer read from free text: the model may have matched the wrong topic
    ("结婚登记" answered with rental registration), so the question is kept and a person
    offered."""
    t, lang = runtime.catalog.t, caller.lang
    await remember_question(session, runtime, caller, text)
    out.say(
        t(lang, "consult.not_this"),
        inline([[(t(lang, "button.ask_staff"), button_data("faq", "staff"))]]),
    )


async def on_ask_button(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    pressed = CallbackData.decode(turn.incoming.data)  # faq:t:<topic> | faq:staff | faq:c:<id>
    topic_or_community = pressed.args[0] if len(pressed.args) == 1 else ""
    t, lang = runtime.catalog.t, caller.lang
    conversations = ConversationRepository(session)
    asked = await conversations.load(caller.telegram_id, CONVERSATION)
    if pressed.action == "t" and topic_or_community in runtime.city.faq:
        faq.answer(runtime, lang, topic_or_community, out)
    elif asked is None:
        out.callback_notice = t(lang, "error.stale_button")
        out.say(t(lang, "error.stale_button_hint"))
    elif pressed.action == "staff" and not pressed.args:
        community = await community_of(session, runtime.city, caller.user)
        if community is None:
            out.say(t(lang, "consult.which_community"), _communities(runtime, lang))
            now = runtime.clock.now()
            await conversations.save(caller.telegram_id, CONVERSATION, COMMUNITY, asked.data, now)
        else:
            await _hand_to_staff(session, runtime, caller, str(asked.data["text"]), community, out)
    elif pressed.action == "c" and topic_or_community in runtime.city.communities:
        await _hand_to_staff(
            session, runtime, caller, str(asked.data["text"]), topic_or_community, out
        )
    elif pressed.action == "none":
        await _hand_to_office(turn, asked.data)
    else:
        out.callback_notice = t(lang, "error.stale_button")


def _communities(runtime: Runtime, lang: str) -> InlineKeyboardMarkup:
    """The communities to pick from, in config order (a typed number counts in it), and
    "none of these"."""
    rows = [
        [(c.name.get(lang), button_data("faq", "c", c.id))]
        for c in runtime.city.communities.values()
    ]
    rows.append([(runtime.catalog.t(lang, "button.no_community"), button_data("faq", "none"))])
    return inline(rows)


async def take(turn: Turn, state: str) -> bool:
    """Typed words at "which community?": a community's name or an estate of it, its number
    in the list, or "none of these" answer it; cancel words drop the question; anything else
    shows the step again (kept as where the resident lives, should they say "none of these"
    next). The question kept for staff is never replaced."""
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    conversations = ConversationRepository(session)
    row = await conversations.load(caller.telegram_id, CONVERSATION)
    if row is None or state != COMMUNITY:
        return False
    text, data = turn.incoming.text, dict(row.data)
    question = str(data["text"])
    if turn.labels.means(text, "button.cancel"):
        await conversations.clear(caller.telegram_id, CONVERSATION)
        out.say(turn.t("consult.cancelled"), REMOVE_KEYBOARD)
    elif turn.labels.means(text, "button.no_community"):
        await _hand_to_office(turn, data)
    elif (community := _community_named(runtime, text)) is not None:
        await _hand_to_staff(session, runtime, caller, question, community, out)
    else:
        if has_words(text) and not turn.labels.is_typed_answer(text) and not points_only(text):
            data["where"] = text[:MAX_ADDRESS]
            await conversations.save(
                caller.telegram_id, CONVERSATION, COMMUNITY, data, runtime.clock.now()
            )
        out.say(
            turn.t("consult.which_community_again", question=question[:PREVIEW]),
            _communities(runtime, turn.lang),
        )
    return True


def _community_named(runtime: Runtime, text: str) -> str | None:
    """The community a typed answer names: its number in the list ("2", "第2个"), its name, or
    an estate or street of it ("翠湖苑", "Sunshine Garden")."""
    listed = list(runtime.city.communities)
    number = list_number(text)
    if number is not None:
        return listed[number - 1] if 1 <= number <= len(listed) else None
    place = read_place(runtime.city, text)
    if place.community is not None:
        return place.community.id
    return place.grid.community_id if place.grid is not None else None


async def _hand_to_office(turn: Turn, asked: Mapping[str, Any]) -> None:
    """ "None of these": the question goes to the street office (city supervisors, then the
    duty chat) with where the resident said they live, and they are told so honestly."""
    runtime, caller = turn.runtime, turn.caller
    case, told = await open_consultation(
        turn.session,
        str(asked["text"]),
        caller.lang,
        caller.user,
        None,
        runtime.city,
        runtime.catalog,
        runtime.clock.now(),
        duty_chat=runtime.settings.duty_chat_id,
        where=str(asked.get("where") or "") or None,
    )
    await ConversationRepository(turn.session).clear(caller.telegram_id, CONVERSATION)
    if not told:
        turn.out.say(turn.t("consult.nobody", number=case.number), REMOVE_KEYBOARD)
        return
    due = say_due(
        runtime.catalog,
        caller.lang,
        case.due_at,
        runtime.city.consultation_sla,
        runtime.city.timezone,
        runtime.clock.now(),
    )
    turn.out.say(turn.t("consult.to_office", number=case.number, due=due), REMOVE_KEYBOARD)


async def _hand_to_staff(
    session: AsyncSession,
    runtime: Runtime,
    caller: Caller,
    text: str,
    community_id: str,
    out: Replies,
) -> None:
    case, told = await open_consultation(
        session,
        text,
        caller.lang,
        caller.user,
        community_id,
        runtime.city,
        runtime.catalog,
        runtime.clock.now(),
        duty_chat=runtime.settings.duty_chat_id,
    )
    await ConversationRepository(session).clear(caller.telegram_id, CONVERSATION)
    if not told:  # "passed on" only when a message was queued to someone
        out.say(runtime.catalog.t(caller.lang, "consult.nobody", number=case.number))
        return
    out.say(
        runtime.catalog.t(
            caller.lang,
            "consult.passed_on",
            number=case.number,
            due=say_due(
                runtime.catalog,
                caller.lang,
                case.due_at,
                runtime.city.consultation_sla,
                runtime.city.timezone,
                runtime.clock.now(),
            ),
        )
    )
