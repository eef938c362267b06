"""Text is cleaned at the storage edge: NUL and other control characters never reach a
store, whichever path wrote them (a report, its draft, a typed address, an ORM write)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.cleaning import clean_text
from storage.models import Case, ConversationState
from tests.harness import BotHarness
from tests.privacy_scenes import RESIDENT, report

DIRTY = "路灯坏了\x00，3栋\x07门口\x1b[31m黑漆漆\u0085的\ud800"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("a\x00b", "ab"),
        ("line one\nline two\ttabbed\r\n", "line one\nline two\ttabbed\r\n"),
        ("\x7fdel\x9fc1", "delc1"),
        ("lone \ud83d surrogate", "lone  surrogate"),
        ("emoji 🚨 stays", "emoji 🚨 stays"),
    ],
)
def test_clean_text_keeps_words_and_line_breaks_only(raw: str, stored: str) -> None:
    assert clean_text(raw) == stored


async def test_a_report_with_nul_and_control_characters_submits_on_both_stores(
    bot: BotHarness,
) -> None:
    case = await report(bot, words=DIRTY, address="地址是东城路88号\x003栋")
    assert case.number in bot.last_text(RESIDENT)  # filed, not stuck
    async with bot.runtime.db.transaction() as session:
        stored = (await session.execute(select(Case).where(Case.id == case.id))).scalar_one()
    assert stored.text == "路灯坏了，3栋门口[31m黑漆漆的"
    assert stored.address == "地址是东城路88号3栋"


async def test_json_values_are_cleaned_too(bot: BotHarness) -> None:
    async with bot.runtime.db.transaction() as session:
        session.add(
            ConversationState(
                telegram_id=RESIDENT,
                conversation="report",
                state="where",
                data={"text": "a\x00b", "nested": ["c\x01d", {"k\x00": "e\x02"}]},
                updated_at=bot.clock.now(),
            )
        )
    async with bot.runtime.db.transaction() as session:
        row = (await session.execute(select(ConversationState))).scalar_one()
    assert row.data == {"text": "ab", "nested": ["cd", {"k": "e"}]}
