"""Trial 9, item 11: a second typed place adds to the first, never overwrites it.

"Block 7 flat 1203", then "sunshine one, yangguang" kept only the latter. Now the words of
both answers are kept (a known estate without a building goes first: the flat is more
specific), and the worker's ping shows the whole address. Each row asserts what the resident
sees and what the store holds; both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from services.cases.drafts import ReportDraft
from storage.models import Case, ConversationState
from tests.conftest import make_settings
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import WORKER, enrol

UID = 4545
REPORT = {"zh": "健身房门口的路灯坏了", "en": "The street light outside the gym is broken"}
YES = {"zh": "对", "en": "yes"}
CODE = {"zh": "zh-hans", "en": "en"}


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    places: list[str]  # typed at "where is it?", in order
    address: str  # the draft's address after
    grid: str | None  # the draft's grid after (None: still to be picked)


ROWS = [
    Row("unknown-then-unknown-en", "en", ["Block 7 flat 1203", "sunshine one, yangguang"],
        "Block 7 flat 1203, sunshine one, yangguang", None),
    Row("flat-then-estate-en", "en", ["Block 7 flat 1203", "Sunshine Garden"],
        "Sunshine Garden Block 7 flat 1203", "yangguang-01"),
    Row("flat-then-estate-lower-en", "en", ["flat 1203, block 7", "emerald lake court"],
        "emerald lake court flat 1203, block 7", "xinji-02"),
    Row("same-twice-en", "en", ["Block 7 flat 1203", "block 7 flat 1203"],
        "Block 7 flat 1203", None),
    Row("more-then-less-en", "en", ["Block 7 flat 1203", "Block 7"], "Block 7 flat 1203", None),
    Row("less-then-more-en", "en", ["Block 7", "Block 7 flat 1203"], "Block 7 flat 1203", None),
    Row("flat-then-estate-zh", "zh", ["7栋1203", "阳光花园"], "阳光花园 7栋1203", "yangguang-01"),
    Row("flat-then-estate-cuihu-zh", "zh", ["5栋2单元301", "翠湖苑"], "翠湖苑 5栋2单元301",
        "xinji-02"),
    Row("unknown-then-unknown-zh", "zh", ["7栋1203", "阳光一期那边"], "7栋1203，阳光一期那边",
        None),
    Row("more-then-less-zh", "zh", ["7栋1203", "7栋"], "7栋1203", None),
    Row("estate-with-flat-replaces-nothing-zh", "zh", ["7栋1203", "阳光花园7栋1203"],
        "阳光花园7栋1203", "yangguang-01"),
]  # fmt: skip


async def draft_of(bot: BotHarness) -> tuple[str | None, ReportDraft | None]:
    async with bot.runtime.db.transaction() as session:
        row = await session.get(ConversationState, (UID, "report"))
        return (row.state, ReportDraft.from_dict(row.data)) if row is not None else (None, None)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_row(row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await bot.send(UID, REPORT[row.lang], language_code=CODE[row.lang])
        await bot.send(UID, YES[row.lang], language_code=CODE[row.lang])
        for place in row.places:
            seen = len(bot.texts(UID))
            await bot.send(UID, place, language_code=CODE[row.lang])
        replies = bot.texts(UID)[seen:]
        state, draft = await draft_of(bot)
        assert draft is not None and draft.address == row.address, (draft, replies)
        assert draft.grid_id == row.grid
        if row.grid is None:  # still asked which community, with the whole address said
            assert state == "location" and any(row.address in r for r in replies), replies
        else:
            ok = bot.runtime.catalog.t(row.lang, "report.location_ok", grid="")
            assert state == "details" and any(ok.split("{")[0][:5] in r for r in replies)


@pytest.mark.parametrize(
    ("lang", "places", "submit", "whole"),
    [
        ("en", ["Block 7 flat 1203", "Sunshine Garden"], "Submit",
         "Sunshine Garden Block 7 flat 1203"),
        ("zh", ["7栋1203", "阳光花园"], "提交", "阳光花园 7栋1203"),
    ],
)  # fmt: skip
async def test_the_worker_sees_the_whole_address(
    lang: str, places: list[str], submit: str, whole: str,
    sqlite_url: str, tmp_path: Any, embedded_nlu: Any,
) -> None:  # fmt: skip
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await enrol(bot, WORKER, "worker", grid_id="yangguang-01")
        for words in [REPORT[lang], YES[lang], *places, submit]:
            await bot.send(UID, words, language_code=CODE[lang])
        assert "GD-" in bot.last_text(UID)
        async with bot.runtime.db.transaction() as session:
            case = (await session.execute(select(Case))).scalar_one()
        assert case.address == whole and case.grid_id == "yangguang-01"
        await deliver_outbox(bot)
        assert any(whole in text for text in bot.texts(WORKER)), bot.texts(WORKER)
