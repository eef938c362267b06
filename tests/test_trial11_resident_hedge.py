"""Eleventh newcomer trial, item 3: at "which community?" after a typed address no grid knows,
`not sure` was added to the address ("corner of Maple Street and 5th Avenue, not sure").

The kind: hedges (不知道, 不清楚, 不确定, not sure, don't know, no idea…, with fillers around
them) where a place is asked are an answer "don't know", never address words
(handlers.resident_words.hedge_only, handlers.report_place.take_hedge): at "which community?"
the list comes again pointing at "🤷 None of these" (the address untouched; a typed estate
afterwards still places it); at "which grid?" the grids again; at the first "where is it?"
the address is asked for as best they can.

Each row asserts what the resident sees and what the store holds. The real Application on a
real SQLite file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.conversation import Facts
from tests.support.resident_rows import Row, play

STREET = {"zh": "清湖路和建设路路口", "en": "corner of Maple Street and 5th Avenue"}
NONE_OF_THESE = {"zh": "都不是", "en": "None of these"}
GRID_AGAIN = {"zh": "选一个网格", "en": "pick a grid"}
TYPE_IT = {"zh": "请打出大概的地址", "en": "Please type the address"}
COMMUNITY = {"zh": "新基社区", "en": "Xinji Community"}
ESTATE = {"zh": "阳光花园", "en": "Sunshine Garden"}


def _address(expected: str | None, grid: str | None = None) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.draft.address == expected, facts.draft
        assert facts.draft.grid_id == grid and facts.cases == []

    return check


def _rows() -> list[Row]:
    rows: list[Row] = []
    add = rows.append
    for lang, hedge in [("en", "not sure"), ("en", "I don't know"), ("en", "no idea"),
                        ("zh", "不知道"), ("zh", "不清楚"), ("zh", "我也不确定")]:  # fmt: skip
        add(Row(f"community-{lang}-{hedge}", lang, "location",
                [("text", STREET[lang]), ("text", hedge)],
                sees=(NONE_OF_THESE[lang], STREET[lang]), never=(f"{STREET[lang]}, {hedge}",),
                check=_address(STREET[lang])))  # fmt: skip
    # a typed estate after the hedge places it; the hedge is in no address
    for lang, hedge in [("en", "not sure"), ("zh", "不知道")]:
        add(Row(f"community-then-estate-{lang}", lang, "location",
                [("text", STREET[lang]), ("text", hedge), ("text", ESTATE[lang])],
                never=(hedge + "\"", hedge + "」"), state="details",
                check=_address(f"{ESTATE[lang]} {STREET[lang]}", "yangguang-01")))  # fmt: skip
    for lang, hedge in [("en", "no idea"), ("zh", "不清楚")]:
        add(Row(f"grid-{lang}-{hedge}", lang, "location",
                [("text", COMMUNITY[lang]), ("text", hedge)], sees=(GRID_AGAIN[lang],),
                check=_address(None)))  # fmt: skip
    for lang, hedge in [("en", "don't know"), ("zh", "不知道呢")]:
        add(Row(f"where-{lang}-{hedge}", lang, "location", [("text", hedge)],
                sees=(TYPE_IT[lang],), check=_address(None)))  # fmt: skip
    return rows


ROWS = _rows()


def test_both_languages_and_enough_rows() -> None:
    assert {r.lang for r in ROWS} == {"zh", "en"} and len(ROWS) >= 10


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_a_hedge_is_no_address(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await play(bot, row)
