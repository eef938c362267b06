"""Trial 9, item 8: a grid worker's free text is read as work on their cases first.

"明天上午带电工过来换灯" (after accepting a case) began a resident's report draft; "是的，记到
案件上" then got an FAQ answer and "yes" a "Sorry, I didn't understand". Now a worker with open
cases is asked whether the words are a note for the case they are on (the one they acted on
last; several and none acted on: which), and typed yes / no / a case number answers that
question. "备注：…" / "add note: …" is a note at once. A worker reports a problem as a resident
when they say so ("反映：…" / "report: …", the rule said in the question) or press "📣". Each row:
what the worker types or presses, what they are told, the notes in the store, and whether a
report draft is open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.cases import WORKER
from tests.support.worker_work import CODE, notes, open_steps, worker_with_cases

ONE, TWO = "GD-2026-000001", "GD-2026-000002"
NOTE = {"zh": "明天上午带电工过来换灯", "en": "will bring an electrician tomorrow morning for it"}
ACCEPT = {"zh": "接单 1", "en": "accept 1"}


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    steps: list[str]  # "press:<part>" presses; "{note}" is the language's note words
    told: str | None  # catalog key of the worker's last reply (None: not checked)
    notes: dict[int, list[str]]
    number: str = ONE
    drafting: bool = False  # a resident's report draft is open after
    asked: str | None = "staff_work.note_offer"  # said on the way
    accepted_first: bool = True  # the worker accepted GD-1 first (the case they are on)
    never: list[str] = field(default_factory=list)


def rows() -> list[Row]:
    table: list[Row] = []
    for lang, yes, no, more, press in [
        ("zh", "是的，记到案件上", "不是", "是的，另外要带梯子", "记到"),
        ("en", "yes", "no", "yes, and bring a ladder", "Note on"),
    ]:
        note = NOTE[lang]
        extra = more.split("，" if lang == "zh" else ", ", 1)[1]
        table += [
            Row(f"{lang}-note-yes", lang, [note, yes], "staff.note_ok", {1: [note]}),
            Row(f"{lang}-note-no", lang, [note, no], "staff_work.dropped_note", {}),
            Row(f"{lang}-note-yes-more", lang, [note, more], "staff.note_ok",
                {1: [f"{note}\n{extra}"]}),
            Row(f"{lang}-note-press", lang, [note, f"press:{press}"], "staff.note_ok",
                {1: [note]}),
            Row(f"{lang}-report-press", lang, [note, "press:📣"], None, {}, drafting=True),
            Row(f"{lang}-which-then-1", lang, [note, "1"], "staff.note_ok", {1: [note]},
                asked="staff_work.note_which", accepted_first=False),
            Row(f"{lang}-which-then-2", lang, [note, "GD-2"], "staff.note_ok", {2: [note]},
                number=TWO, asked="staff_work.note_which", accepted_first=False),
            Row(f"{lang}-which-then-yes", lang, [note, yes], "staff_work.which_again", {},
                asked="staff_work.note_which", accepted_first=False),
        ]  # fmt: skip
    table += [
        Row("zh-prefixed-note", "zh", ["备注：已联系物业，明天换灯"], "staff.note_ok",
            {1: ["已联系物业，明天换灯"]}, asked=None),
        Row("en-prefixed-note", "en", ["add note: vendor told to move, will check again at 5pm"],
            "staff.note_ok", {1: ["vendor told to move, will check again at 5pm"]}, asked=None),
        Row("zh-prefixed-note-2", "zh", ["备注 2：门口垃圾桶下午清运"], "staff.note_ok",
            {2: ["门口垃圾桶下午清运"]}, number=TWO, asked=None),
        Row("zh-report-prefix", "zh", ["反映：翠湖苑5栋楼道的灯坏了"], None, {}, drafting=True,
            asked=None, never=["staff_work.note_offer"]),
        Row("en-report-prefix", "en", ["report: the bin at the Emerald Lake Court gate is full"],
            None, {}, drafting=True, asked=None, never=["staff_work.note_offer"]),
        Row("zh-greeting", "zh", ["你好"], "staff.free_text_worker", {}, asked=None),
        Row("en-question", "en", ["what are the office hours?"], None, {}, asked=None,
            never=["staff_work.note_offer"]),
    ]  # fmt: skip
    return table


ROWS = rows()


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_a_workers_words_are_work_on_their_case(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await worker_with_cases(bot, row.lang)
        if row.accepted_first:
            await bot.send(WORKER, ACCEPT[row.lang], language_code=CODE[row.lang])
        seen = len(bot.texts(WORKER))
        for step in row.steps:
            if step.startswith("press:"):
                await bot.press(WORKER, step.removeprefix("press:"))
            else:
                await bot.send(WORKER, step, language_code=CODE[row.lang])
        replies = bot.texts(WORKER)[seen:]
        t = bot.runtime.catalog.t

        def said(key: str) -> str:
            return t(row.lang, key, number=row.number if key != row.asked else ONE, count=2)

        if row.told is not None:
            assert replies and replies[-1] == said(row.told), replies
        if row.asked is not None:
            assert said(row.asked) in replies, replies
        for key in [*row.never, "emergency.numbers", "conversation.not_understood_step"]:
            assert said(key) not in replies, replies
        assert await notes(bot) == row.notes
        assert ("report" in await open_steps(bot, WORKER)) is row.drafting
