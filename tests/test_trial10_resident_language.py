"""Tenth newcomer trial, item 8: one Chinese word in an English resident's message ("the 路灯
outside block 3 is broken", "ok 好的") switched the resident to Chinese. The kind: the
language follows a message only when the message is clearly in the other language
(bot.i18n.script_language: Chinese characters against Latin words, each side needing a
minimum and a clear lead); a mixed or short text keeps the resident's language, in both
directions; a clear sentence still switches, and /lang still chooses outright. Each row
asserts the language the resident is answered in and the one the store keeps for them (the
outbox writes to them in it). The real Application on a real SQLite file.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.i18n import script_guess, script_language
from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.resident_rows import Row, play

ROWS = [
    # English residents: one Chinese word in English words keeps English
    Row("en-word-at-place", "en", "location", [("text", "the 路灯 outside block 3 is broken")],
        sees=("Address noted",), never=("地址已记下",), language="en"),
    Row("en-ok-haode-at-confirm", "en", "confirm", [("text", "ok 好的")],
        sees=("Where is it",), never=("在哪里",), state="location", language="en"),
    Row("en-first-message-mixed", "en", "none", [("text", "the 路灯 outside block 3 is broken")],
        sees=("I understood",), never=("我理解的是",), state="confirm_type", language="en"),
    Row("en-word-at-details", "en", "details",
        [("text", "also the 井盖 next to the lamp is loose")], sees=("Added to the description",),
        never=("已补充",), language="en"),
    Row("en-thanks-xiexie", "en", "details", [("text", "thanks 谢谢")], never=("谢谢您",),
        language="en"),
    Row("en-xiexie", "en", "details", [("text", "谢谢")], never=("谢谢您",), language="en"),
    # Chinese residents: one English word in Chinese keeps Chinese
    Row("zh-word-at-details", "zh", "details", [("text", "旁边的lift也坏了")],
        never=("Added to the description", "Continue it"), language="zh"),
    Row("zh-ok-thanks", "zh", "confirm", [("text", "ok thanks")], sees=("在哪里",),
        never=("Where is it",), state="location", language="zh"),
    Row("zh-hello", "zh", "confirm", [("text", "hello")], sees=("对吗",), never=("Hello!",),
        language="zh"),
    # a message clearly in the other language still switches
    Row("en-to-zh-sentence", "en", "details", [("text", "另外楼道里的灯也不亮了，晚上很黑")],
        sees=("已补充",), language="zh"),
    Row("zh-to-en-sentence", "zh", "details",
        [("text", "also the corridor light is out, it is very dark at night")],
        sees=("Added to the description",), language="en"),
    # /lang chooses outright, whatever is typed after
    Row("en-lang-zh-then-english", "en", "none",
        [("text", "/lang"), ("press", "中文"), ("text", "hello there, how are you")],
        never=("Sorry",), state=None, language="zh"),
]  # fmt: skip


def test_both_languages_and_enough_rows() -> None:
    assert {r.lang for r in ROWS} == {"zh", "en"} and len(ROWS) >= 8


@pytest.mark.parametrize(
    ("text", "clear", "guess"),
    [
        ("the 路灯 outside block 3 is broken", "en", "en"),
        ("ok 好的", None, "zh"),
        ("旁边的lift也坏了", "zh", "zh"),
        ("ok thanks 谢谢", None, "zh"),
        ("hello", None, "en"),
        ("路灯坏了", "zh", "zh"),
        ("GD-2026-000007 进度怎么样", "zh", "zh"),
        ("谢谢", None, "zh"),
        ("ok thanks", None, "en"),
        ("123", None, None),
    ],
)
def test_a_message_is_clearly_in_a_language_or_not(
    text: str, clear: str | None, guess: str | None
) -> None:
    assert (script_language(text), script_guess(text)) == (clear, guess)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_one_word_of_the_other_language_keeps_the_resident_s(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await play(bot, row)
