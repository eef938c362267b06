"""Tenth newcomer trial, items 5, 6 and 7: what a typed word does at a report's step.

Item 5: `👍` at the submit step was not understood. The kind: approving emoji alone (👍 👌 ✅
🆗, skin tones aside, WeChat's [强]) are a yes wherever a yes is asked (handlers.typed.answer_of
and typed_press): "is it this type?", submit, "is it this one?"; other emoji never cancel,
file or move on.

Item 6: at the place step `取消` cancelled the report at once while `算了` asked first. The
kind: one rule for cancel words at every step of a report (it holds the resident's words):
typed words (取消, 算了, 不报了, cancel, never mind, forget it, the ✖ label typed) ask
"cancel the report?" first (handlers.report, the catalog's button_said.cancel); a typed yes
or the same words again cancel; /cancel and a press of ✖ act at once, as specified before.

Item 7: `这个` / `this one` were read as cancel. The kind: words that only point (这个, 就这个,
这个吧, this, this one, that one) are never a cancel and never content: where the step shows
one option to take (the type understood, the only similar case) they take it; else the step
is shown again (handlers.typed.points_only).

Each row asserts what the resident sees and what the store holds. The real Application on a
real SQLite file.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.conversation import EN_REPORT, ZH_REPORT, Facts
from tests.support.resident_rows import Row, play

ASKS = {"zh": "要取消正在填写的问题", "en": "Cancel the report you are filling in"}
CANCELLED = {"zh": "已取消，没有登记任何问题", "en": "Nothing was filed"}
NOT_UNDERSTOOD = {"zh": "没看懂", "en": "didn't understand"}
NOTHING_TO_CANCEL = {"zh": "没有要取消的事", "en": "nothing to cancel"}
WHERE = {"zh": "在哪里", "en": "Where is it"}
YES = {"zh": "是的", "en": "yes"}


def _kept(facts: Facts) -> None:
    """The report is still open with the resident's words, nothing added or placed anew."""
    assert facts.draft is not None and facts.draft.text in (ZH_REPORT, EN_REPORT), facts.draft
    assert facts.draft.address in (None, "翠湖苑", "Emerald Lake Court"), facts.draft.address


def _gone(facts: Facts) -> None:
    assert facts.draft is None and facts.cases == []


def _photo_kept(facts: Facts) -> None:
    assert facts.draft is not None and len(facts.draft.photo_file_ids) == 1


def _joined(facts: Facts) -> None:
    (case,) = facts.cases  # no second case: the resident joined the one offered
    assert case.reporter_count >= 1 and facts.draft is None


def _rows() -> list[Row]:
    rows: list[Row] = []
    add = rows.append
    # 5. Approving emoji are a yes at yes/no and submit steps.
    for lang, emoji in [("zh", "👍"), ("en", "ok 👍"), ("zh", "👍🏻"), ("en", "✅"),
                        ("zh", "👌👌")]:  # fmt: skip
        add(Row(f"emoji-submit-{lang}-{emoji}", lang, "details", [("text", emoji)],
                sees=("GD-",), state=None, cases=1))  # fmt: skip
    for lang, emoji in [("zh", "👌"), ("en", "✅"), ("en", "🆗"), ("zh", "[强]"), ("en", "👍")]:
        add(Row(f"emoji-confirm-{lang}-{emoji}", lang, "confirm", [("text", emoji)],
                sees=(WHERE[lang],), state="location", cases=0))  # fmt: skip
    add(Row("emoji-same-case-zh", "zh", "duplicate", [("text", "👍")], state=None, cases=1,
            check=_joined))  # fmt: skip
    # other emoji, or approving ones mixed with others, never file, cancel or move on
    for lang, emoji, step in [("zh", "😀", "details"), ("en", "🙏", "confirm"),
                              ("zh", "👍😡", "details"), ("en", "👍", "location"),
                              ("en", "🤔", "details")]:  # fmt: skip
        add(Row(f"emoji-other-{lang}-{emoji}-{step}", lang, step, [("text", emoji)],
                never=(ASKS[lang], CANCELLED[lang]), cases=0, check=_kept))  # fmt: skip
    # 6. Cancel words ask first at every step of a report.
    for lang, word, step in [
        ("zh", "取消", "location"), ("zh", "算了", "location"), ("zh", "取消", "confirm"),
        ("zh", "不报了", "details"), ("zh", "✖ 取消", "details"), ("zh", "取消", "duplicate"),
        ("en", "cancel", "details"), ("en", "forget it", "confirm"),
        ("en", "never mind", "location"), ("en", "Cancel", "confirm"),
        ("en", "cancel it", "duplicate"),
    ]:  # fmt: skip
        add(Row(f"cancel-asks-{lang}-{word}-{step}", lang, step, [("text", word)],
                sees=(ASKS[lang],), never=(CANCELLED[lang],), cases=1 if step == "duplicate"
                else 0, check=None if step == "duplicate" else _kept))  # fmt: skip
    add(Row("cancel-asks-zh-photo-first", "zh", "none", [("photo", None), ("text", "取消")],
            sees=(ASKS["zh"],), state="describe", check=_photo_kept))  # fmt: skip
    # the answer: a yes or the cancel words again cancel; "continue" keeps it
    for lang, first, then, step in [
        ("zh", "取消", YES["zh"], "location"), ("zh", "算了", "取消", "details"),
        ("en", "never mind", YES["en"], "details"), ("en", "cancel", "forget it", "location"),
        ("zh", "取消", "👍", "confirm"),
    ]:  # fmt: skip
        add(Row(f"cancel-then-{lang}-{first}-{then}-{step}", lang, step,
                [("text", first), ("text", then)], sees=(ASKS[lang], CANCELLED[lang]),
                state=None, check=_gone))  # fmt: skip
    for lang, keep in [("zh", "继续"), ("en", "continue")]:
        add(Row(f"cancel-kept-{lang}", lang, "details", [("text", "取消"), ("text", keep)],
                state="details", cases=0, check=_kept))  # fmt: skip
    # /cancel and the ✖ press act at once (tests/test_conversation_table.py's rows)
    for lang, step in [("zh", "location"), ("en", "details")]:
        add(Row(f"slash-cancel-{lang}-{step}", lang, step, [("text", "/cancel")],
                sees=(CANCELLED[lang],), never=(ASKS[lang],), state=None, check=_gone))  # fmt: skip
    add(Row("pressed-cancel-zh", "zh", "confirm", [("press", "取消")], sees=(CANCELLED["zh"],),
            never=(ASKS["zh"],), state=None, check=_gone))  # fmt: skip
    # 7. Pointing words are never cancel: the one option shown, or the step again.
    for lang, word in [("zh", "就这个"), ("en", "that one"), ("zh", "这个"), ("en", "this one")]:
        add(Row(f"point-confirm-{lang}-{word}", lang, "confirm", [("text", word)],
                sees=(WHERE[lang],), never=(ASKS[lang],), state="location", cases=0))  # fmt: skip
    for lang, word, step in [("zh", "这个", "details"), ("en", "this one", "details"),
                             ("zh", "这个吧", "location"), ("en", "this", "location"),
                             ("en", "that one", "details")]:  # fmt: skip
        add(Row(f"point-step-{lang}-{word}-{step}", lang, step, [("text", word)],
                sees=(NOT_UNDERSTOOD[lang],), never=(ASKS[lang], CANCELLED[lang]), cases=0,
                check=_kept))  # fmt: skip
    for lang, word in [("zh", "这个吧"), ("en", "this one"), ("zh", "就这个")]:
        add(Row(f"point-nothing-open-{lang}-{word}", lang, "none", [("text", word)],
                sees=(NOT_UNDERSTOOD[lang],), never=(NOTHING_TO_CANCEL[lang],), state=None,
                cases=0))  # fmt: skip
    for lang, word in [("zh", "就是这个"), ("en", "this one")]:  # the only similar case offered
        add(Row(f"point-same-case-{lang}", lang, "duplicate", [("text", word)], state=None,
                cases=1, check=_joined))  # fmt: skip
    return rows


ROWS = _rows()


def test_both_languages_and_enough_rows() -> None:
    assert {r.lang for r in ROWS} == {"zh", "en"} and len(ROWS) >= 24


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_a_typed_word_does_what_it_means_at_the_step(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await play(bot, row)
