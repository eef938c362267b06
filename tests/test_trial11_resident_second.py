"""Eleventh newcomer trial, item 2: a second report raised mid-report was lost, and a typed
"continue" was read as "cancel". `另外，阳光花园3栋的路灯也坏了` asked "继续那件，还是开始登记这件
新的？"; typed `先继续刚才那件吧` then asked "要取消正在填写的问题…吗？".

The kind: typed answers to "continue or start the new one?" act as its buttons (the catalog's
button_said.continue_open / start_new: 继续, 先继续刚才那件, continue the first one, keep going;
新的, 开始新的, start the new one), never as cancel; and the report left for later is kept with
the draft (next_up) and, once the first is filed, offered ("您刚才还提到：…，现在登记吗？" with
📝 File it now / No, thanks; handlers.report_questions.bring_next_up, answer_later): a typed yes
or its words begin it, a no drops it and says so.

Each row asserts what the resident sees and what the store holds. The real Application on a
real SQLite file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.conversation import EN_REPORT, ZH_REPORT, Action, Facts
from tests.support.resident_rows import Row, play

FIRST = {
    "zh": "翠湖苑门口垃圾堆了好几天",
    "en": "Rubbish has been piling up at the gate of Emerald Lake Court for days",
}
SECOND = {"zh": "另外，阳光花园3栋的路灯也坏了",
          "en": "also the street light at Sunshine Garden block 3 is broken"}  # fmt: skip
ASKS = {"zh": "要继续那件，还是开始登记这件新的", "en": "Continue it, or file this new one"}
WAITS = {"zh": "先记着", "en": "is kept"}
CANCEL_Q = {"zh": "要取消正在填写的问题", "en": "Cancel the report you are filling in"}
OFFER = {"zh": "您刚才还提到", "en": "You also mentioned"}
CONFIRM = {"zh": "对吗", "en": "Is that right"}
DROPPED = {"zh": "这条不登记了", "en": "that one is not filed"}
SUBMIT = {"zh": "提交", "en": "Submit"}


def _start(lang: str) -> list[Action]:
    return [("text", FIRST[lang]), ("text", SECOND[lang])]


def _second_waits(lang: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.draft.text == FIRST[lang], facts.draft
        waiting = (facts.draft.next_up or {}).get("pending") or {}
        assert waiting.get("text") == SECOND[lang], facts.draft.next_up

    return check


def _first_waits(lang: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.draft.text == SECOND[lang], facts.draft
        earlier = (facts.draft.next_up or {}).get("draft") or {}
        assert earlier.get("text") == FIRST[lang], facts.draft.next_up

    return check


def _second_begun(lang: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert [c.text for c in facts.cases] == [FIRST[lang]]
        assert facts.draft is not None and facts.draft.text == SECOND[lang], facts.draft

    return check


def _second_dropped(lang: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert [c.text for c in facts.cases] == [FIRST[lang]] and facts.draft is None

    return check


def _rows() -> list[Row]:
    rows: list[Row] = []
    add = rows.append
    for lang, words in [("zh", "先继续刚才那件吧"), ("zh", "继续"), ("zh", "继续那件"),
                        ("en", "continue the first one"), ("en", "keep going"),
                        ("en", "continue")]:  # fmt: skip
        add(Row(f"continue-{lang}-{words}", lang, "none", [*_start(lang), ("text", words)],
                sees=(ASKS[lang], WAITS[lang], CONFIRM[lang]), never=(CANCEL_Q[lang],),
                state="confirm_type", cases=0, check=_second_waits(lang)))  # fmt: skip
    for lang, words in [("zh", "开始新的"), ("zh", "新的"), ("en", "start the new one"),
                        ("en", "the new one")]:  # fmt: skip
        add(Row(f"new-{lang}-{words}", lang, "none", [*_start(lang), ("text", words)],
                sees=(WAITS[lang], CONFIRM[lang]), never=(CANCEL_Q[lang],),
                state="confirm_type", cases=0, check=_first_waits(lang)))  # fmt: skip
    # continued, filed: the other is offered, and a yes (or its words) begins it
    for lang, keep, yes in [("zh", "先继续刚才那件吧", "好的"), ("zh", "继续", "现在登记"),
                            ("en", "continue the first one", "yes"),
                            ("en", "keep going", "file it now")]:  # fmt: skip
        add(Row(f"offered-then-{lang}-{yes}", lang, "none",
                [*_start(lang), ("text", keep), ("text", "对" if lang == "zh" else "yes"),
                 ("text", SUBMIT[lang]), ("text", yes)],
                sees=(OFFER[lang], "GD-", CONFIRM[lang]), never=(CANCEL_Q[lang],),
                state="confirm_type", cases=1, check=_second_begun(lang)))  # fmt: skip
    for lang, no in [("zh", "不用了"), ("en", "no, thanks"), ("en", "no")]:
        add(Row(f"offered-dropped-{lang}-{no}", lang, "none",
                [*_start(lang), ("text", "继续" if lang == "zh" else "continue"),
                 ("text", "对" if lang == "zh" else "yes"), ("text", SUBMIT[lang]),
                 ("text", no)],
                sees=(OFFER[lang], DROPPED[lang]), state=None, cases=1,
                check=_second_dropped(lang)))  # fmt: skip
    # brought up as another problem at another place, at the place and details steps: asked
    # about (neither the place of the open one nor more words of it)
    for lang, step in [("zh", "location"), ("zh", "details"), ("en", "location"),
                       ("en", "details")]:  # fmt: skip
        add(Row(f"another-at-{lang}-{step}", lang, step, [("text", SECOND[lang])],
                sees=(ASKS[lang],), cases=0, check=_asked_about(lang, step)))  # fmt: skip
    return rows


def _asked_about(lang: str, step: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.draft.text in (ZH_REPORT, EN_REPORT)
        place = None if step == "location" else {"zh": "翠湖苑", "en": "Emerald Lake Court"}[lang]
        assert facts.draft.address == place, facts.draft.address
        assert (facts.draft.pending or {}).get("text") == SECOND[lang], facts.draft.pending

    return check


ROWS = _rows()


def test_both_languages_and_enough_rows() -> None:
    assert {r.lang for r in ROWS} == {"zh", "en"} and len(ROWS) >= 12


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_a_second_report_waits_and_is_offered(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await play(bot, row)
