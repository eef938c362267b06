"""Questions: answer from the knowledge base, offer the top topics when unsure, and hand
anything else to community staff as a consultation case (never a dead end).

Buttons: `faq:t:<topic>` answer a topic, `faq:staff` ask staff, `faq:c:<community>` the
community the question is about.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callback_data import CallbackData, button_data
from bot.due_text import say_due
from bot.runtime import Runtime
from domain.ids import FAQ_PREFIX
from handlers import faq
from handlers.common import Caller
from handlers.edge import Turn
from handlers.replies import Replies, inline
from nlu.types import Prediction
from services.consultations import community_of, open_consultation
from storage.conversations import ConversationRepository

CONVERSATION = "ask"
TOP_TOPICS = 3


async def remember_question(
    session: AsyncSession, runtime: Runtime, caller: Caller, text: str
) -> None:
    await ConversationRepository(session).save(
        caller.telegram_id, CONVERSATION, "asked", {"text": text}, runtime.clock.now()
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
    """Out of the bot's scope: say so, and still offer a person."""
    t, lang = runtime.catalog.t, caller.lang
    await remember_question(session, runtime, caller, text)
    out.say(
        t(lang, "chat.out_of_scope"),
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
            rows = [
                [(c.name.get(lang), button_data("faq", "c", c.id))]
                for c in runtime.city.communities.values()
            ]
            out.say(t(lang, "consult.which_community"), inline(rows))
        else:
            await _hand_to_staff(session, runtime, caller, str(asked.data["text"]), community, out)
    elif pressed.action == "c" and topic_or_community in runtime.city.communities:
        await _hand_to_staff(
            session, runtime, caller, str(asked.data["text"]), topic_or_community, out
        )
    else:
        out.callback_notice = t(lang, "error.stale_button")


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
