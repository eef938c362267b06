"""Eleventh newcomer trial, item 4: `status of GD-2026-000001` (someone else's case) quietly
showed the resident's own GD-2026-000002.

The kind: a case number typed by a resident (whole or short: GD-2026-000001, GD-1, with
"status of", "进度怎么样", "查一下", a question mark) names that case only
(handlers.case_number_question): one of theirs shows its card; any other number gets "not a
case number of yours" (never whether it exists for someone else: an unknown number reads the
same) and then their own list. Each row asserts what the resident sees and what the store
holds (no report begun, no case added or changed). The real Application on a real SQLite file.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.conversation import REACH, UID, Runner, facts_of

OTHER = 5151
SUBMIT = {"zh": "提交", "en": "Submit"}
NOT_YOURS = {"zh": "不是您反映过的案件编号", "en": "is not a case number of yours"}
THEIRS = "GD-2026-000001"
MINE = "GD-2026-000002"

ROWS = [
    # someone else's number, or one nobody has: the same answer, then their own list
    ("zh", "GD-2026-000001 进度怎么样", False),
    ("zh", "查一下GD-2026-000001", False),
    ("zh", "GD-1 修好了吗？", False),
    ("zh", "GD-2026-000099 怎么样了", False),
    ("en", "status of GD-2026-000001", False),
    ("en", "GD-1?", False),
    ("en", "any update on GD-2026-000001", False),
    ("en", "status of GD-2026-000099", False),
    # their own number: its card
    ("zh", "GD-2026-000002 进度怎么样", True),
    ("en", "status of GD-2", True),
]


def test_both_languages_and_enough_rows() -> None:
    assert {r[0] for r in ROWS} == {"zh", "en"} and len(ROWS) >= 8


GARBAGE = {"zh": "翠湖苑门口垃圾堆了好几天", "en": "Rubbish has piled up at the gate of Emerald Lake Court for days"}  # noqa: E501


async def _file(bot: BotHarness, lang: str, uid: int) -> None:
    runner = Runner(bot, lang, uid)
    actions = (
        [*REACH[lang]["details"], ("text", SUBMIT[lang])]
        if uid == OTHER  # a street light; the resident's own: rubbish (no duplicate offered)
        else [("text", GARBAGE[lang]), ("text", "对" if lang == "zh" else "yes"),
              ("text", SUBMIT[lang])]
    )  # fmt: skip
    for action in actions:
        await runner.run(action)


@pytest.mark.parametrize(("lang", "text", "own"), ROWS, ids=[f"{r[0]}-{r[1]}" for r in ROWS])
async def test_a_case_number_names_that_case_only(
    lang: str, text: str, own: bool, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await _file(bot, lang, OTHER)  # THEIRS
        await _file(bot, lang, UID)  # MINE
        before = await facts_of(bot)
        assert [c.number for c in before.cases] == [THEIRS, MINE]
        seen = len(bot.texts(UID))
        await Runner(bot, lang).run(("text", text))
        replies = bot.texts(UID)[seen:]
        after = await facts_of(bot)
        assert MINE in "\n".join(replies), replies
        # of the other case nothing but the number the resident typed, said back
        assert not any(THEIRS in r for r in replies if NOT_YOURS[lang] not in r), replies
        assert not any(w in r for r in replies for w in ("路灯", "street light")), replies
        assert any(NOT_YOURS[lang] in r for r in replies) is not own, replies
        assert after.draft is None  # no report begun from the question
        assert [(c.number, c.status) for c in after.cases] == [
            (c.number, c.status) for c in before.cases
        ]
