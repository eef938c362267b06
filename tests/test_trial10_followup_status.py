"""Trial 10, item 4: a resident asking after their own open case sees where it stands.

"垃圾清了吗", "is the light fixed yet?", "我报的那个怎么样了" from a resident whose case is open
began a new report ("I understood: sanitation, right?"). The kind: a question about the
progress of a problem they reported, in their words. Now it shows that case's /mycases card
(status, due time, timeline): the one case open, or the one of the type the words are about
(the street light, or the garbage, when both are open); several with nothing to tell them
apart: the list. Nothing new is filed or begun. A question the model is sure is about a
service ("办居住证要多久") still gets its answer. Each row: what the resident has open, what
they type, the case shown, and what the store holds (no new case, no report draft).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.cases import RESIDENT
from tests.support.followup import GARBAGE, LIGHT, cases_worked_on, open_conversations, statuses

CODE = {"zh": "zh-hans", "en": "en"}
LIST = 0  # the list of their cases, not one card


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    cases: list[str]
    said: str
    shown: int  # the case whose card is shown (its id), or LIST


ROWS = [
    Row("zh-garbage-cleared", "zh", [GARBAGE], "垃圾清了吗", 1),
    Row("zh-mine-how", "zh", [LIGHT], "我报的那个怎么样了", 1),
    Row("zh-light-fixed-yet", "zh", [LIGHT], "路灯修了没有", 1),
    Row("zh-nobody-came", "zh", [LIGHT], "怎么还没人来修", 1),
    Row("zh-which-of-two", "zh", [LIGHT, GARBAGE], "垃圾清了吗", 2),
    Row("zh-mine-of-two", "zh", [LIGHT, GARBAGE], "我反映的问题有进展吗", LIST),
    Row("en-light-fixed-yet", "en", [LIGHT], "is the light fixed yet?", 1),
    Row("en-update-report", "en", [GARBAGE], "any update on my report?", 1),
    Row("en-rubbish-cleared", "en", [GARBAGE], "has the rubbish been cleared yet?", 1),
    Row("en-when-come", "en", [LIGHT], "when will someone come to fix it?", 1),
    Row("en-light-of-two", "en", [GARBAGE, LIGHT], "is the street light fixed yet?", 2),
]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_status_question_shows_the_case(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await cases_worked_on(bot, row.cases, resolved=False)
        before = await statuses(bot)
        seen = len(bot.texts(RESIDENT))
        await bot.send(RESIDENT, row.said, language_code=CODE[row.lang])
        replies = bot.texts(RESIDENT)[seen:]
        t = bot.runtime.catalog.t
        if row.shown == LIST:
            header = t(row.lang, "office.mycases.header", page=1)
            assert replies and replies[0].startswith(header), replies
        else:
            number = f"GD-2026-{row.shown:06d}"
            others = [f"GD-2026-{i:06d}" for i in before if i != row.shown]
            status = t(row.lang, "status.assigned")
            assert len(replies) == 1 and number in replies[0] and status in replies[0], replies
            assert all(o not in replies[0] for o in others), replies
            assert row.said not in replies[0]  # their case's words, not the question's
        assert await statuses(bot) == before  # nothing filed, nothing changed
        assert "report" not in await open_conversations(bot, RESIDENT)


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "办居住证要多久"), ("en", "how long does a residence permit take?")]
)
async def test_a_service_question_is_still_answered(
    lang: str, said: str, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await cases_worked_on(bot, [LIGHT], resolved=False)
        seen = len(bot.texts(RESIDENT))
        await bot.send(RESIDENT, said, language_code=CODE[lang])
        replies = bot.texts(RESIDENT)[seen:]
        assert replies and all("GD-2026-000001" not in r for r in replies), replies
        assert await statuses(bot) == {1: "assigned"}
