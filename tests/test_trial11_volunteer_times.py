"""Trial 11, item 4: a volunteer's free times read with their qualifiers.

`周末上午有空，工作日晚上7点以后也行` was stored as 工作日白天、晚上、周末: "weekday daytime"
was never said. The kind: a day and a part of the day said together qualify each other
(周末上午, Saturday mornings: the weekend; 工作日晚上, weekday evenings, after 7pm on weekdays:
evenings, never the weekday daytime), while a day and a part said apart (晚上和周末, weekdays
and evenings) each count; a clause that says no still names nothing. Each row types the words
at a step of the sign-up and asserts what is said back (the slots' names) and what the draft
in the store holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from storage.models import ConversationState
from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.volunteer_steps import CODE, TO_AVAILABLE, TO_SKILLS, UID

WD, EV, WE = "weekdays", "evenings", "weekends"


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    words: str
    availability: tuple[str, ...]  # in AVAILABILITY order, as said back
    at_available: bool = False  # typed at the free-times step (else at the skills step)


ROWS = [
    # the trial's words, at both steps
    Row("zh-trial-skills", "zh", "周末上午有空，工作日晚上7点以后也行", (EV, WE)),
    Row("zh-trial-available", "zh", "周末上午有空，工作日晚上7点以后也行", (EV, WE), True),
    Row("zh-saturday-morning-weekday-evening", "zh", "周六上午可以，平时晚上也行", (EV, WE)),
    Row("zh-weekday-of-evening", "zh", "工作日的晚上有空", (EV,)),
    Row("zh-weekend-evening-hour", "zh", "周末晚上八点以后", (WE,)),
    Row("zh-weekday-daytime", "zh", "工作日白天有空", (WD,)),
    Row("zh-apart", "zh", "晚上和周末都可以", (EV, WE)),
    Row("zh-negation", "zh", "只有周末，晚上不行", (WE,)),
    Row("en-trial", "en", "free Saturday mornings, and weekday evenings after 7pm", (EV, WE)),
    Row("en-weekday-evenings", "en", "weekday evenings", (EV,)),
    Row("en-after-7pm-weekdays", "en", "after 7pm on weekdays", (EV,), True),
    Row("en-weekend-evenings", "en", "weekend evenings work for me", (WE,)),
    Row("en-weekday-mornings", "en", "mornings on weekdays", (WD,)),
    Row("en-apart", "en", "weekdays and evenings", (WD, EV)),
    Row("en-negation", "en", "only weekends, never evenings", (WE,)),
]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_free_times_with_qualifiers(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        for kind, words in (TO_AVAILABLE if row.at_available else TO_SKILLS)[row.lang]:
            if kind == "text":
                await bot.send(UID, words, language_code=CODE[row.lang])
            else:
                await bot.press(UID, words)
        seen = len(bot.texts(UID))
        await bot.send(UID, row.words, language_code=CODE[row.lang])
        replies = bot.texts(UID)[seen:]
        t = bot.runtime.catalog.t
        names = [t(row.lang, f"volunteer.availability.{a}") for a in row.availability]
        said = t(row.lang, "volunteer.register.typed_kept",
                 kept=("、" if row.lang == "zh" else ", ").join(names))  # fmt: skip
        assert said in replies, replies
        async with bot.runtime.db.transaction() as session:
            draft = await session.get(ConversationState, (UID, "volunteer"))
            assert draft is not None
            assert draft.state == ("consent" if row.at_available else "skills"), replies
            assert tuple(draft.data.get("availability", [])) == row.availability, replies
