"""Rows of a resident's conversation played through the real Application (tests.harness):
from a step of the report (tests.support.conversation.REACH), a few actions, then what the
resident was sent and what the store holds. For the tenth newcomer trial's resident tables
(tests/test_trial10_resident_*.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from storage.models import User
from tests.harness import BotHarness
from tests.support.cases import enrol
from tests.support.conversation import (
    ANY,
    REACH,
    STATE_OF_STEP,
    UID,
    UNCHANGED,
    Action,
    Facts,
    Runner,
    facts_of,
)

SUPERVISOR = 3001


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    step: str  # a key of REACH: where the row starts
    actions: list[Action]
    sees: tuple[str, ...] = ()  # pieces each found in some reply sent after the actions
    never: tuple[str, ...] = ()  # pieces found in no reply sent after the actions
    state: str | None = UNCHANGED  # the report draft's state after (ANY: not looked at)
    cases: int | None = None  # cases in the store after
    language: str | None = None  # the resident's remembered language after (last_language)
    check: Callable[[Facts], None] | None = field(default=None, compare=False)
    supervisor: bool = False  # a city-wide supervisor is enrolled first (questions reach them)


async def play(bot: BotHarness, row: Row) -> list[str]:
    """Play the row and assert it; returns the replies after the step was reached."""
    if row.supervisor:
        await enrol(bot, SUPERVISOR, "supervisor")
    runner = Runner(bot, row.lang)
    for action in REACH[row.lang][row.step]:
        await runner.run(action)
    before = await facts_of(bot)
    assert before.state == STATE_OF_STEP[row.step], bot.texts(UID)
    seen = len(bot.texts(UID))
    for action in row.actions:
        await runner.run(action)
    replies = bot.texts(UID)[seen:]
    assert replies, "the resident got no answer"
    after = await facts_of(bot)
    for piece in row.sees:
        assert any(piece in r for r in replies), (piece, replies)
    for piece in row.never:
        assert not any(piece in r for r in replies), (piece, replies)
    if row.state == UNCHANGED:
        assert after.state == before.state, (after.state, replies)
    elif row.state != ANY:
        assert after.state == row.state, (after.state, replies)
    if row.cases is not None:
        assert len(after.cases) == row.cases, ([c.text for c in after.cases], replies)
    if row.language is not None:
        assert await remembered_language(bot) == row.language, replies
    if row.check is not None:
        row.check(after)
    return replies


async def remembered_language(bot: BotHarness, uid: int = UID) -> str | None:
    """The language the store keeps for the resident's later messages (the outbox's)."""
    async with bot.runtime.db.transaction() as session:
        user = (await session.execute(select(User).where(User.telegram_id == uid))).scalar_one()
        return user.language or user.last_language
