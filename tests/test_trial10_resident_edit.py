"""Tenth newcomer trial, item 1: an edit of the report's words that names another place moved
the description but not the place read from it ("翠湖苑3栋路灯坏了" edited to
"新基大厦2号楼路灯坏了" kept 翠湖苑3栋 and its grid). The kind: a place read from the
resident's words is read again when the words change (handlers.report_place.moved_by_edit),
at every step of the draft; a map pin stays. Each row asserts what the resident sees and
where the draft (or the filed case) is. The real Application on a real SQLite file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.conversation import Facts
from tests.support.resident_rows import Row, play

MOVED = {"zh": "位置已改为", "en": "the place is now"}


def _place(grid: str, address: str, *, text: str | None = None) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None, facts
        assert (facts.draft.grid_id, facts.draft.address) == (grid, address), facts.draft
        if text is not None:
            assert text in facts.draft.text, facts.draft.text

    return check


def _filed_at(grid: str, address: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        (case,) = facts.cases
        assert (case.grid_id, case.address) == (grid, address), (case.grid_id, case.address)

    return check


def _pinned(facts: Facts) -> None:
    assert facts.draft is not None and facts.draft.grid_id == "xinji-02"
    assert facts.draft.latitude is not None and "新基大厦" in facts.draft.text


ROWS = [
    # the trial's example: the first message named the place; its edit names another
    Row("zh-first-message-names-another", "zh", "none",
        [("text", "翠湖苑3栋路灯坏了"), ("edit", 0, "新基大厦2号楼路灯坏了")],
        sees=(MOVED["zh"], "新基大厦2号楼"), state="confirm_type",
        check=_place("xinji-01", "新基大厦2号楼", text="新基大厦2号楼路灯坏了")),
    Row("en-first-message-names-another", "en", "none",
        [("text", "The street light at Emerald Lake Court block 3 is broken"),
         ("edit", 0, "The street light at Sunshine Garden block 3 is broken")],
        sees=(MOVED["en"],), state="confirm_type",
        check=_place("yangguang-01", "Sunshine Garden block 3", text="Sunshine Garden")),
    # at "where is it?": the edited words answer it, on to the details
    Row("zh-edit-answers-where", "zh", "location", [("edit", 0, "路灯坏了，在新基大厦2号楼门口")],
        sees=(MOVED["zh"], "新基第一网格"), state="details",
        check=_place("xinji-01", "新基大厦2号楼")),
    Row("en-edit-answers-where", "en", "location",
        [("edit", 0, "The street light at Xinji Tower block 2 is broken")],
        sees=(MOVED["en"], "Xinji Grid 1"), state="details",
        check=_place("xinji-01", "Xinji Tower block 2")),
    # at the details step, a place typed at "where?" then the report's words corrected
    Row("zh-edit-at-details", "zh", "details", [("edit", 0, "路灯坏了，在阳光花园5栋门口")],
        sees=(MOVED["zh"],), state="details", check=_place("yangguang-01", "阳光花园5栋")),
    Row("en-edit-at-details", "en", "details",
        [("edit", 0, "The street light outside Bigui Court is broken")],
        sees=(MOVED["en"],), state="details", check=_place("yangguang-02", "Bigui Court")),
    # the corrected place is the one filed
    Row("zh-edit-then-submit", "zh", "none",
        [("text", "翠湖苑3栋路灯坏了"), ("edit", 0, "红棉苑3栋路灯坏了"), ("press", "对"),
         ("text", "提交")], sees=("GD-", "红棉第一网格"), state=None, cases=1,
        check=_filed_at("hongmian-01", "红棉苑3栋")),
    Row("en-edit-then-submit", "en", "none",
        [("text", "Street light broken at Emerald Lake Court"),
         ("edit", 0, "Street light broken at Kapok Villa"), ("press", "Yes"),
         ("text", "Submit")], sees=("GD-", "Hongmian Grid 2"), state=None, cases=1,
        check=_filed_at("hongmian-02", "Kapok Villa")),
    # an edit that names the same place, or none, leaves the place as it was
    Row("zh-edit-same-place", "zh", "none",
        [("text", "翠湖苑3栋路灯坏了"), ("edit", 0, "翠湖苑3栋路灯坏了，晚上很黑")],
        never=(MOVED["zh"],), state="confirm_type", check=_place("xinji-02", "翠湖苑3栋")),
    Row("en-edit-no-place", "en", "details",
        [("edit", 0, "The street light is broken and the cover fell off")],
        never=(MOVED["en"],), state="details", check=_place("xinji-02", "Emerald Lake Court")),
    # a map pin is where the resident stood: words edited later do not move it
    Row("zh-pin-stays", "zh", "location",
        [("live", "xinji-02"), ("edit", 0, "路灯坏了，在新基大厦2号楼门口")],
        never=(MOVED["zh"],), state="details", check=_pinned),
]  # fmt: skip


def test_both_languages_and_enough_rows() -> None:
    assert {r.lang for r in ROWS} == {"zh", "en"} and len(ROWS) >= 8


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_an_edit_moves_the_place_read_from_its_words(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await play(bot, row)
