"""The handler edge: what every update goes through, in one place.

1. The update becomes an `Incoming` (handlers.inputs).
2. Free text is understood (NLU) BEFORE the database transaction opens, so a slow Rasa
   call for one resident never holds a connection or SQLite's write lock for the others.
3. One transaction: load the caller, run the step, remember the inline buttons shown
   (so a typed label can press them later).
4. Replies are sent after commit (handlers.replies).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.runtime import Runtime
from handlers.common import Caller, Context, load_caller, rt
from handlers.inputs import Incoming, InputKind, read_update
from handlers.replies import Replies
from handlers.resident_words import by_the_way_rest
from handlers.typed import SHOWN, Labels, remember_shown
from nlu.types import Prediction
from services.cases.urgent_reach import alert_missed_urgent, urgent_waiting
from services.places import emergency_words
from services.staff import offer_waiting_cases
from storage.conversations import ConversationRepository

LABELS_KEY = "griddesk.labels"
# Free text files an urgent case when it names an emergency outright (a cue of
# nlu.safety_net) or the model is this sure; below, an emergency guess gets the numbers
# and becomes an ordinary report (handlers.intents). An answer to the bot's own question
# counts only when its words name the emergency: short answers ("10人") fool the model.
EMERGENCY_CASE_CONFIDENCE = 0.85


@dataclass(frozen=True)
class Understanding:
    """What the NLU made of a text, with the facts the emergency rule needs."""

    prediction: Prediction
    cue: str | None  # the explicit emergency words, if any
    place_only: bool  # nothing but a place: never an emergency

    def emergency(self, answering: bool) -> bool:
        """Is this a call for help now? `answering`: the text answers the bot's question."""
        if self.place_only:
            return False
        if self.cue is not None:
            return True
        if answering or self.prediction.intent != "emergency":
            return False
        return self.prediction.confidence >= EMERGENCY_CASE_CONFIDENCE


@dataclass
class Turn:
    """One update being handled: the caller's transaction and what they sent."""

    session: AsyncSession
    runtime: Runtime
    caller: Caller
    incoming: Incoming
    out: Replies
    understanding: Understanding | None
    labels: Labels

    @property
    def lang(self) -> str:
        return self.caller.lang

    def t(self, key: str, **values: object) -> str:
        return self.runtime.catalog.t(self.caller.lang, key, **values)

    def sure_prediction(self) -> Prediction | None:
        """What the NLU made of the text when it is sure enough to act on (the confirm
        threshold); None when it is unsure or read nothing."""
        if self.understanding is None:
            return None
        prediction = self.understanding.prediction
        sure = prediction.confidence >= self.runtime.settings.nlu_confirm_threshold
        return prediction if sure else None


Step = Callable[[Turn], Awaitable[None]]
Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]


def labels_of(context: Context) -> Labels:
    labels = context.application.bot_data.get(LABELS_KEY)
    if not isinstance(labels, Labels):
        labels = Labels(rt(context).catalog)
        context.application.bot_data[LABELS_KEY] = labels
    return labels


# WeChat's emoji typed as text ("[捂脸]", "[强]", "[Smile]"): an emoji, not words.
_EMOJI_CODE = re.compile(r"\[[^\[\]\s]{1,8}\]")


def has_words(text: str) -> bool:
    """Letters or digits, not only emoji, emoji codes and punctuation (nothing to read)."""
    return any(ch.isalnum() for ch in _EMOJI_CODE.sub("", text))


async def understand(runtime: Runtime, labels: Labels, incoming: Incoming) -> Understanding | None:
    """NLU for free text and captions (edits too: an edited report may name another type; an
    edit never raises an alarm, handlers.intents.on_edit); None for answers, labels and
    emoji-only text."""
    if incoming.kind not in (InputKind.TEXT, InputKind.PHOTO):
        return None
    text = incoming.text
    if not text or not has_words(text) or labels.is_typed_answer(text):
        return None
    if len(text) > runtime.settings.max_text_length:
        return None
    # "对了，老年卡怎么办？": the question after "by the way" is read (handlers.resident_words)
    prediction = await runtime.nlu.parse(by_the_way_rest(text) or text)
    runtime.metrics.nlu.labels(prediction.backend).inc()
    return Understanding(prediction, *emergency_words(runtime.city, text))


async def welcome_back(turn: Turn) -> None:
    """A staff member whose chat had refused us reaches us again: a worker gets the cases that
    waited in their grid meanwhile (nobody to take them), as on /join; and anyone of staff is
    sent the urgent cases of their scope nobody has taken on that never reached them, named
    first (services.cases.urgent_reach)."""
    session, runtime, user = turn.session, turn.runtime, turn.caller.user
    now = runtime.clock.now()
    urgent = await urgent_waiting(session, user)  # given to the worker just below
    offered = await offer_waiting_cases(session, user, runtime.city, runtime.catalog, now)
    urgent += await alert_missed_urgent(session, user, runtime.city, runtime.catalog, now)
    if urgent:
        numbers = ", ".join(urgent)
        turn.out.say(turn.t("delivery.urgent_missed", count=len(urgent), numbers=numbers))
    if offered:
        turn.out.say(turn.t("delivery.waiting_offered", count=offered))


async def _open_steps(turn: Turn) -> dict[str, tuple[str, Any]]:
    """Each open conversation's state and when it was saved (the buttons shown aside)."""
    rows = await ConversationRepository(turn.session).all_for(turn.caller.telegram_id)
    return {r.conversation: (r.state, r.updated_at) for r in rows if r.conversation != SHOWN}


def edge(step: Step, *, nlu: bool = False) -> Callback:
    """Wrap a step into a python-telegram-bot callback (see the module docstring)."""

    async def callback(update: Update, context: Context) -> None:
        runtime, labels = rt(context), labels_of(context)
        incoming = read_update(update)
        understanding = await understand(runtime, labels, incoming) if nlu else None
        out = Replies()
        async with runtime.db.transaction() as session:
            # A command's Latin letters say nothing about the resident's language.
            # Nor does a typed "ok" or a button label: the resident's language stays as it was.
            words = incoming.text if incoming.kind in (InputKind.TEXT, InputKind.PHOTO) else ""
            said = labels.is_typed_answer(words) or bool(labels.keys_of(words))
            if said or (understanding and understanding.place_only):
                words = ""  # a typed "ok", a label or a place name (翠湖苑 3栋) keeps it as is
            blocked = incoming.kind is InputKind.CHAT_STATUS and incoming.blocked
            caller = await load_caller(session, update, runtime, words or None,
                                       reachable=not blocked)  # fmt: skip
            turn = Turn(session, runtime, caller, incoming, out, understanding, labels)
            steps = await _open_steps(turn)
            await step(turn)
            # Replies that show their own text and ask nothing (/help, /start), leaving every
            # step as it was: their buttons go beside the open step's, which stay current.
            aside = out.aside and steps == await _open_steps(turn)
            if caller.returned:
                await welcome_back(turn)
            out.refreshed_text = runtime.catalog.t(caller.lang, "conversation.updated")
            if caller.user.telegram_id == caller.telegram_id:  # not just erased (/forgetme)
                now = runtime.clock.now()
                await remember_shown(session, caller.telegram_id, out, now, aside=aside)
        await out.send(update)

    return callback
