"""The report conversation's states and where its draft is kept.

Every other part of the resident's report (handlers.report and its report_* modules, and
handlers.emergency, which sets an open report aside) reads and writes the draft through
here, so this module sits below them all and imports none of them. State lives in the
database (conversation_states), so a restart resumes a half-finished report; each step
loads the draft, acts, and saves it in the same transaction as the update's other writes.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import script_language
from bot.runtime import Runtime
from handlers.common import Caller
from handlers.inputs import InputKind
from services.cases.drafts import ReportDraft
from storage.conversations import ConversationRepository

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


def type_label(rt: Runtime, lang: str, case_type: str) -> str:
    """The case type's name in the resident's language (buttons, "type chosen", "filed")."""
    return rt.city.case_type(case_type).name.get(lang)
