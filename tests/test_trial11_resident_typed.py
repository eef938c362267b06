"""Eleventh newcomer trial, items 5, 6 and 7: what a resident types where the bot had no
answer.

Item 5: `8` at the type list got "I can't help". The kind: a number typed while the list is
shown picks a numbered option; the type list has no numbers, so it says "press one of the
buttons" and shows the list again (handlers.report), the draft untouched.

Item 6: `/language` was no command and `请用中文` did not switch while "English please" did.
The kind: /language is /lang; words asking for a language (请用中文, 说中文, 中文, 用英文,
English please, in Chinese please…) switch it in both directions (bot.i18n.requested_language,
handlers.basics.switch_language) and the store keeps the choice; an open step comes again.

Item 7: `翠湖苑 3栋` alone, nothing open, got "I can't help". The kind: a place alone begins a
report at "what's the problem at <place>?" with the place kept (handlers.report_media.
start_with_place); the words that follow are the report, at that place.

Each row asserts what the resident sees and what the store holds. The real Application on a
real SQLite file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import User
from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.conversation import EN_REPORT, UID, ZH_REPORT, Facts
from tests.support.resident_rows import Row, play

PICK = {"zh": "请选择问题类型", "en": "Please pick the type"}
NO_NUMBERS = {"zh": "列表没有编号", "en": "The list has no numbers"}
CANT = {"zh": "帮不上忙", "en": "can't help"}
CHOOSE = "请选择语言 / Choose a language"
SET = {"zh": "以后用中文", "en": "in English from now on"}
WHERE = {"zh": "问题在哪里", "en": "Where is it"}
WHAT_AT = {"zh": "有什么问题", "en": "What's the problem at"}
CONFIRM = {"zh": "对吗", "en": "Is that right"}


def _untouched(facts: Facts) -> None:
    assert facts.draft is not None and facts.draft.text in (ZH_REPORT, EN_REPORT)
    assert facts.draft.picking and facts.cases == []


def _placed(address: str, grid: str | None, text: str = "") -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.cases == []
        assert (facts.draft.address, facts.draft.grid_id) == (address, grid), facts.draft
        assert facts.draft.text == text, facts.draft.text

    return check


def _rows() -> list[Row]:
    rows: list[Row] = []
    add = rows.append
    # 5. a number at the type list: "press a button", the list again
    for lang, no, number in [("zh", "不对", "8"), ("zh", "不对", "3"), ("zh", "不对", "第2个"),
                             ("en", "no", "8"), ("en", "no", "3"), ("en", "no", "1")]:  # fmt: skip
        add(Row(f"type-number-{lang}-{number}", lang, "confirm",
                [("text", no), ("text", number)], sees=(NO_NUMBERS[lang], PICK[lang]),
                never=(CANT[lang],), cases=0, check=_untouched))  # fmt: skip
    # 6. /language is /lang; language words switch in both directions
    for lang in ("zh", "en"):
        add(Row(f"slash-language-{lang}", lang, "none", [("text", "/language")],
                sees=(CHOOSE,), state=None))  # fmt: skip
    for start, words, to in [("en", "请用中文", "zh"), ("en", "说中文", "zh"), ("en", "中文", "zh"),
                             ("en", "in Chinese please", "zh"), ("zh", "用英文", "en"),
                             ("zh", "English please", "en"), ("zh", "英文", "en"),
                             ("zh", "speak English", "en")]:  # fmt: skip
        add(Row(f"language-words-{start}-{words}", start, "none", [("text", words)],
                sees=(SET[to],), never=(CANT[start], CANT[to]), state=None,
                language=to))  # fmt: skip
    for start, words, to in [("zh", "English please", "en"), ("en", "请用中文", "zh")]:
        add(Row(f"language-words-at-step-{start}", start, "location", [("text", words)],
                sees=(SET[to], WHERE[to]), language=to))  # fmt: skip
    # 7. a place alone: "what's the problem there?", the place kept for the report
    for lang, place, grid in [("zh", "翠湖苑 3栋", "xinji-02"), ("zh", "阳光花园", "yangguang-01"),
                              ("en", "Emerald Lake Court", "xinji-02"),
                              ("en", "Sunshine Garden block 2", "yangguang-01")]:  # fmt: skip
        add(Row(f"place-alone-{lang}-{place}", lang, "none", [("text", place)],
                sees=(WHAT_AT[lang], place), never=(CANT[lang],), state="describe",
                check=_placed(place, grid)))  # fmt: skip
    for lang, place, words, grid in [
        ("zh", "翠湖苑 3栋", "路灯坏了", "xinji-02"),
        ("en", "Emerald Lake Court", "the street light is broken", "xinji-02"),
    ]:
        add(Row(f"place-then-words-{lang}", lang, "none", [("text", place), ("text", words)],
                sees=(CONFIRM[lang],), state="confirm_type",
                check=_placed(place, grid, words)))  # fmt: skip
    return rows


ROWS = _rows()


def test_both_languages_and_enough_rows() -> None:
    assert {r.lang for r in ROWS} == {"zh", "en"} and len(ROWS) >= 20


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_typed_words_get_an_answer(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await play(bot, row)
        if row.id.startswith("language-words"):  # chosen, as /lang does: not only last seen
            async with bot.runtime.db.transaction() as session:
                user = (
                    await session.execute(select(User).where(User.telegram_id == UID))
                ).scalar_one()
                assert user.language == row.language
