"""Trial 10, item 3: the resident's own words answer "fixed?".

Staff resolved the street light GD-2026-000001 and the resident was asked "fixed?". Natural
replies ("修好了 谢谢", "灯已经亮了", "好了好了") were read as thanks or a new report, and
"还是不亮", "still broken" as a new report: the case stayed resolved and the staff never heard.
The kind: words that answer the open question one way, said as people say them. Now, while
a case waits for that answer, they are its button: fixed closes it and asks for the grade;
not fixed reopens it and the words are kept as the reason. A question ("修好了吗") or words
that say both are no answer. Each row: what the resident types, what they see, the case's
status and what the store holds of their words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.cases import RESIDENT
from tests.support.followup import LIGHT, case_notes, cases_worked_on, statuses

NUMBER = "GD-2026-000001"
CODE = {"zh": "zh-hans", "en": "en"}
CARD = "card"


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    said: str
    sees: str  # catalog key among the replies (number filled)
    status: str
    reason_kept: bool = False  # the words stored as why it is not fixed


ROWS = [
    # fixed, in the resident's words
    Row("zh-fixed-thanks", "zh", "修好了 谢谢", "office.evaluation.ask", "closed"),
    Row("zh-light-on", "zh", "灯已经亮了", "office.evaluation.ask", "closed"),
    Row("zh-haole-haole", "zh", "好了好了", "office.evaluation.ask", "closed"),
    Row("zh-no-problem", "zh", "没问题了，谢谢你们", "office.evaluation.ask", "closed"),
    Row("en-works-now", "en", "yes it works now, thanks", "office.evaluation.ask", "closed"),
    Row("en-working-again", "en", "it's working again", "office.evaluation.ask", "closed"),
    Row("en-all-good", "en", "all good now, thank you", "office.evaluation.ask", "closed"),
    Row("en-light-back-on", "en", "the light is back on", "office.evaluation.ask", "closed"),
    # not fixed: reopened, and the words are the reason
    Row("zh-still-dark", "zh", "还是不亮", "followup.reopened", "reopened", reason_kept=True),
    Row("zh-not-yet-fixed", "zh", "还没修好呢", "followup.reopened", "reopened",
        reason_kept=True),
    Row("zh-nobody-came", "zh", "根本没有人来修", "followup.reopened", "reopened",
        reason_kept=True),
    Row("en-still-broken", "en", "the light is still broken", "followup.reopened", "reopened",
        reason_kept=True),
    # two English words keep the resident's language (bot.i18n): answered in Chinese
    Row("zh-resident-still-broken", "zh", "still broken", "followup.reopened", "reopened",
        reason_kept=True),
    Row("en-not-working", "en", "it's not working", "followup.reopened", "reopened",
        reason_kept=True),
    Row("en-nope-dark", "en", "nope, still dark at night", "followup.reopened", "reopened",
        reason_kept=True),
    # a question, or words that say both: no answer, nothing changes
    Row("zh-question", "zh", "修好了吗", CARD, "resolved"),
    Row("en-question", "en", "is it fixed yet?", CARD, "resolved"),
]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_words_answer_fixed(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await cases_worked_on(bot, [LIGHT], resolved=True)
        assert await statuses(bot) == {1: "resolved"}
        seen = len(bot.texts(RESIDENT))
        await bot.send(RESIDENT, row.said, language_code=CODE[row.lang])
        replies = bot.texts(RESIDENT)[seen:]
        t = bot.runtime.catalog.t
        if row.sees == CARD:  # the case's card: its number and where it stands
            status = t(row.lang, "status.resolved")
            assert any(NUMBER in r and status in r for r in replies), replies
        else:
            assert t(row.lang, row.sees, number=NUMBER) in replies, replies
        assert await statuses(bot) == {1: row.status}, replies
        kept = [n for n in await case_notes(bot, 1) if row.said in n]
        assert bool(kept) == row.reason_kept, await case_notes(bot, 1)
        # never a new report from these words
        for report_ask in ("report.pick_type", "report.understood", "report.unsure"):
            start = t(row.lang, report_ask).split("{")[0]
            assert all(not r.startswith(start) for r in replies), replies
