"""Trial 9, item 10: a resident who had blocked the bot can still confirm the fix.

The resolution reached a chat that refused it; while the chat is blocked nothing more is
tried (rows are kept, not sent); when the resident writes again or unblocks, what was kept
goes out. The case card of /mycases carries "fixed? / not fixed" while the case waits for
their word, and a typed "解决了 / fixed" answers the one case waiting. Both languages; each
row asserts what the resident sees and what the store holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Case, OutboxMessage
from tests.conftest import make_settings
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import WORKER, centre_of, enrol

RESIDENT = 1020
REPORT = {"zh": "路灯坏了，3栋门口黑漆漆的", "en": "The street light outside building 3 is broken"}
YES = {"zh": "对", "en": "Yes"}
SUBMIT = {"zh": "提交", "en": "Submit"}
CODE = {"zh": "zh-hans", "en": "en"}


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    back: list[tuple[str, str]]  # what the resident does on return: ("text"|"press", words)
    sees: str  # a catalog key (or words) in what they are sent back
    status: str  # the case's status after


def rows() -> list[Row]:
    table = []
    for lang, fixed, not_fixed in [("zh", "解决了", "没解决"), ("en", "fixed", "not fixed")]:
        mycases = [("text", "/mycases"), ("press", "📋")]
        table += [
            Row(f"typed-fixed-{lang}", lang, [("text", fixed)], "office.evaluation.ask", "closed"),
            Row(
                f"typed-label-{lang}",
                lang,
                [("text", "✅ " + fixed)],
                "office.evaluation.ask",
                "closed",
            ),
            Row(
                f"typed-not-fixed-{lang}",
                lang,
                [("text", not_fixed)],
                "followup.reopened",
                "reopened",
            ),
            Row(
                f"card-press-fixed-{lang}",
                lang,
                [*mycases, ("press", "✅")],
                "office.evaluation.ask",
                "closed",
            ),
            Row(
                f"card-press-not-{lang}",
                lang,
                [*mycases, ("press", "❌")],
                "followup.reopened",
                "reopened",
            ),
            Row(
                f"card-typed-fixed-{lang}",
                lang,
                [*mycases, ("text", fixed)],
                "office.evaluation.ask",
                "closed",
            ),
        ]
    return table


ROWS = rows()


async def _resolved_while_blocked(bot: BotHarness, lang: str) -> Case:
    """A report filed, the chat blocked, the case accepted and resolved meanwhile."""
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await bot.send(RESIDENT, REPORT[lang], language_code=CODE[lang])
    await bot.press(RESIDENT, YES[lang])
    await bot.share_location(RESIDENT, *centre_of(bot, "xinji-02"))
    await bot.press_keyboard(RESIDENT, SUBMIT[lang])
    await deliver_outbox(bot)
    bot.api.block(RESIDENT)
    await bot.feed(bot.api.chat_status_update(RESIDENT, blocked=True))
    await bot.press(WORKER, "Accept")
    await bot.press(WORKER, "Resolve")
    await bot.send(WORKER, "New bulb fitted")
    await deliver_outbox(bot)
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case))).scalar_one()
        assert case.status == "resolved"
    return case


async def _held(bot: BotHarness) -> list[OutboxMessage]:
    async with bot.runtime.db.transaction() as session:
        found = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.chat_id == RESIDENT, OutboxMessage.status != "sent"
            )
        )
        return list(found)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_a_returning_resident_confirms(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        case = await _resolved_while_blocked(bot, row.lang)
        # Blocked: nothing tried after the refusal; the resolution is kept for later.
        held = await _held(bot)
        assert held and all(m.status == "failed" and m.error == "blocked" for m in held)
        bot.api.unblock(RESIDENT)
        seen = len(bot.texts(RESIDENT))
        for kind, words in row.back:
            if kind == "text":
                await bot.send(RESIDENT, words, language_code=CODE[row.lang])
            else:
                await bot.press(RESIDENT, words)
        replies = bot.texts(RESIDENT)[seen:]
        expected = bot.runtime.catalog.t(row.lang, row.sees, number=case.number)
        assert any(expected in r for r in replies), replies
        stale = bot.runtime.catalog.t(row.lang, "conversation.label_of_finished_step")
        assert stale not in replies
        async with bot.runtime.db.transaction() as session:
            after = await session.get(Case, case.id)
            assert after is not None and after.status == row.status
        # Writing again released what was kept: it goes out now.
        assert all(m.status == "pending" for m in await _held(bot))
        await deliver_outbox(bot)
        assert await _held(bot) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_unblocking_sends_the_resolution_with_its_buttons(
    lang: str, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        case = await _resolved_while_blocked(bot, lang)
        calls = len(bot.calls(RESIDENT))
        await deliver_outbox(bot)  # still blocked: nothing is tried
        assert len(bot.calls(RESIDENT)) == calls
        bot.api.unblock(RESIDENT)
        await bot.feed(bot.api.chat_status_update(RESIDENT, blocked=False))
        await deliver_outbox(bot)
        labels = [label for c in bot.calls(RESIDENT)[calls:] for label, _ in bot.api.buttons(c)]
        assert bot.runtime.catalog.t(lang, "button.fixed") in labels, labels
        await bot.press(RESIDENT, "✅")
        async with bot.runtime.db.transaction() as session:
            after = await session.get(Case, case.id)
            assert after is not None and after.status == "closed"
