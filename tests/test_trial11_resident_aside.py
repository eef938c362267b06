"""Eleventh newcomer trial, items 1 and 8: a question beside the report, and a question the FAQ
cannot answer.

Item 1: at "…对吗？" `对了，社区办居住证要带什么材料？` was read as the yes of 对了 and the
question lost ("ok, by the way how do I apply…" likewise). The kind: "by the way" words
(对了, 顺便问一下, 还想问一下, ok by the way, btw, oh and…) followed by a question are no answer
to the step (handlers.resident_words; handlers.registry presses nothing for them): the
question is read without them and answered (an FAQ answer, or offered to staff) and the open
step is shown again, the draft kept. Plain `对`, `对的`, `ok` are still a yes.

Item 8: `fire drill tomorrow?` got "I can't help". The kind: a question the FAQ cannot answer
is offered to staff as a question (handlers.ask.offer_staff, kept for them), never an alarm.

Each row asserts what the resident sees and what the store holds. The real Application on a
real SQLite file.
"""

from __future__ import annotations

from typing import Any

import pytest

from storage.models import ConversationState
from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.conversation import EN_REPORT, UID, ZH_REPORT, Facts
from tests.support.resident_rows import Row, play

CONFIRM = {"zh": "对吗", "en": "Is that right"}
DETAILS = {"zh": "提交", "en": "Submit"}
WHERE = {"zh": "在哪里", "en": "Where is it"}
STAFF = {"zh": "问工作人员", "en": "Ask staff"}
CANT = {"zh": "帮不上忙", "en": "can't help"}
PERMIT = {"zh": "居住证办理", "en": "Residence permit"}
NUMBERS = ("110", "119", "120")


def _kept(facts: Facts) -> None:
    """The report is still open with the resident's words only: the question is not in it."""
    assert facts.draft is not None and facts.draft.text in (ZH_REPORT, EN_REPORT), facts.draft
    assert facts.cases == [] and facts.draft.address in (None, "翠湖苑", "Emerald Lake Court")


def _nothing(facts: Facts) -> None:
    assert facts.draft is None and facts.cases == []  # no report, no urgent case


def _rows() -> list[Row]:
    rows: list[Row] = []
    add = rows.append
    # 1. "by the way" + a question: answered, the step again, the draft kept
    for lang, step, text, answer, again in [
        ("zh", "confirm", "对了，社区办居住证要带什么材料？", PERMIT["zh"], CONFIRM["zh"]),
        ("zh", "confirm", "对了，还想问一下，老年卡怎么办？", STAFF["zh"], CONFIRM["zh"]),
        ("zh", "details", "顺便问一下，办居住证要带什么？", PERMIT["zh"], DETAILS["zh"]),
        ("zh", "location", "哦对了，居住证怎么办理？", PERMIT["zh"], WHERE["zh"]),
        ("en", "confirm", "ok, by the way how do I apply for a residence permit?", PERMIT["en"],
         CONFIRM["en"]),
        ("en", "details", "oh and how do I apply for a residence permit?", PERMIT["en"],
         DETAILS["en"]),
        ("en", "location", "btw where do I get a parking permit?", STAFF["en"], WHERE["en"]),
        ("en", "confirm", "yes, by the way what do I need for a residence permit?", PERMIT["en"],
         CONFIRM["en"]),
    ]:  # fmt: skip
        add(Row(f"by-the-way-{lang}-{step}-{text[:12]}", lang, step, [("text", text)],
                sees=(answer, again), never=NUMBERS, cases=0, check=_kept))  # fmt: skip
    # plain yes words still confirm
    for lang, text in [("zh", "对"), ("zh", "对的"), ("en", "ok"), ("zh", "对了")]:
        add(Row(f"plain-yes-{lang}-{text}", lang, "confirm", [("text", text)],
                sees=(WHERE[lang],), state="location", cases=0))  # fmt: skip
    # 8. a question the FAQ cannot answer: offered to staff, never "I can't help" or an alarm
    for lang, text in [
        ("en", "fire drill tomorrow?"),
        ("en", "Is there a fire drill at Emerald Lake Court tomorrow?"),
        ("en", "when is the next fire drill?"),
        ("zh", "明天有消防演习吗？"),
        ("zh", "翠湖苑明天搞消防演练吗？"),
        ("zh", "老年卡怎么办？"),
    ]:
        add(Row(f"question-for-staff-{lang}-{text[:14]}", lang, "none", [("text", text)],
                sees=(STAFF[lang],), never=(CANT[lang], *NUMBERS), state=None,
                check=_nothing))  # fmt: skip
    return rows


ROWS = _rows()


def test_both_languages_and_enough_rows() -> None:
    assert {r.lang for r in ROWS} == {"zh", "en"} and len(ROWS) >= 16


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_a_question_beside_the_step_is_answered_and_the_step_kept(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await play(bot, row)
        if STAFF[row.lang] in row.sees:  # the question is kept for staff, as typed
            async with bot.runtime.db.transaction() as session:
                asked = await session.get(ConversationState, (UID, "ask"))
                assert asked is not None and asked.data["text"] == row.actions[-1][1]
