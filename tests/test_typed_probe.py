"""Typed answers at the report's steps, from a probe by a hand that saw nothing of the project
(tests/data/typed_probe.jsonl, 200 lines: 70 at "is it this type?", 80 at "where is it?", 50 at
the details step; zh and en): yes and no in dialect and slang, places written every way
residents write them, submit and cancel said in words, more details, emoji. Each line runs
through the real Application on a real SQLite file from the step it was written for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.conversation import REACH, STATE_OF_STEP, UID, Facts, Runner, facts_of

PROBE = Path(__file__).parent / "data" / "typed_probe.jsonl"
ROWS = [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines() if line]


def _asks_to_cancel(replies: list[str]) -> bool:
    return any(("要取消" in r and "吗" in r) or r.startswith("Cancel the report") for r in replies)


def _asks_continue_or_new(replies: list[str]) -> bool:
    return any("要继续那件" in r or "Continue it, or file this new one" in r for r in replies)


def _expected(row: dict[str, str], before: Facts, after: Facts, replies: list[str]) -> None:
    """What the resident's words must have done at their step (never an urgent case)."""
    assert not any(c.priority == "urgent" for c in after.cases), replies
    step, expect = row["step"], row["expect"]
    if step == "confirm":
        if expect == "yes":
            assert after.state == "location", replies
        elif expect == "no":
            assert after.state == "confirm_type" and after.cases == [], replies
        else:  # more words or a question: nothing confirmed, nothing filed
            assert after.state != "location" and after.cases == [], replies
    elif step == "location":
        assert after.draft is not None, replies
        if expect == "known":
            assert after.state == "details" and after.draft.grid_id is not None, replies
        elif expect == "unknown_place":
            assert after.draft.address, (after.state, replies)
        else:  # not a place: still asked where, nothing stored as the place
            assert after.state == "location" and after.draft.grid_id is None, replies
    else:
        if expect == "submit":
            assert len(after.cases) == 1, replies
        elif expect == "cancel":  # gone, or "cancel the report …?" first (test_…_typed_yes)
            assert after.cases == [], replies
            assert after.draft is None or _asks_to_cancel(replies), replies
        elif expect == "more_words":  # added, or "continue it or file this new one?"
            assert after.state == "details" and after.cases == [], replies
            assert after.draft is not None and before.draft is not None
            added = after.draft.text != before.draft.text
            assert added or _asks_continue_or_new(replies), replies
        else:  # emoji or noise: the step again, nothing filed or lost
            assert after.state == "details" and after.cases == [], replies


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r['step']}-{r['lang']}-{r['expect']}-{r['text'][:16]}" for r in ROWS]
)
async def test_a_typed_answer_does_what_it_says(
    row: dict[str, str], sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    settings = make_settings(sqlite_url, tmp_path)
    async with BotHarness.start(settings, nlu=embedded_nlu) as bot:
        runner = Runner(bot, row["lang"])
        for action in REACH[row["lang"]][row["step"]]:
            await runner.run(action)
        before = await facts_of(bot)
        assert before.state == STATE_OF_STEP[row["step"]]
        seen = len(bot.texts(UID))
        await runner.run(("text", row["text"]))
        replies = bot.texts(UID)[seen:]
        assert replies, "the resident got no answer"
        after = await facts_of(bot)
        _expected(row, before, after, replies)
        if row["expect"] == "cancel" and after.draft is not None:  # asked first: a typed yes
            await runner.run(("text", "是的" if row["lang"] == "zh" else "yes"))
            assert (await facts_of(bot)).draft is None, bot.texts(UID)[seen:]
