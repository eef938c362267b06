"""Trial 10, item 5: a case named by staff, and finishing words with its number.

A supervisor's bare "2", "case 2", "#2", "2号", "/case 2" got "I did not take that as an
action" or a resident's "you haven't reported any problems"; `/case 2` from the worker the
case is assigned to said "no case 2"; "done 2", "finished 2", "2 done", "2号完成了", "办完了 2"
were offered as a note. The kind: a case number typed by staff in any of its forms (bare,
named, with `#` or 号, after /case) and the ways of saying "finished" on either side of it.
Now the case is shown with the sender's own buttons, or they hear why not; finishing words
resolve (asking for the note, or taking the words after the number as the note), and a
supervisor hears that accepting is the grid worker's.

The worker of xinji-02 has the urgent GD-2026-000001 (assigned) and GD-2026-000002 (accepted);
the supervisor of the xinji community sees both; with `other`, GD-2026-000003 is another
worker's in xinji-03. Each row: who types what, what they see, the cases' statuses after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import CaseEvent, ConversationState
from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.cases import SUPERVISOR, WORKER, enrol
from tests.support.worker_work import CODE, case_statuses, worker_with_cases

ONE, TWO, THREE = "GD-2026-000001", "GD-2026-000002", "GD-2026-000003"
A, ACC, RES = "assigned", "accepted", "resolved"
CARD = "card"  # the case's card with the sender's buttons


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    who: int
    steps: list[str]
    told: str  # CARD, or the catalog key of the last reply (number filled)
    number: str
    statuses: dict[int, str]
    note: str = ""  # the resolution note stored on the case, if any
    other: bool = False
    waits: str = ""  # the conversation left waiting for the sender's words


SUP, WK = SUPERVISOR, WORKER
BEFORE = {1: A, 2: ACC}


def rows() -> list[Row]:
    return [
        # a supervisor names a case: it is shown with the desk's buttons
        Row("sup-bare-en", "en", SUP, ["2"], CARD, TWO, BEFORE),
        Row("sup-case-en", "en", SUP, ["case 2"], CARD, TWO, BEFORE),
        Row("sup-hash-en", "en", SUP, ["#2"], CARD, TWO, BEFORE),
        Row("sup-case-no-en", "en", SUP, ["Case No. 1"], CARD, ONE, BEFORE),
        Row("sup-hao-zh", "zh", SUP, ["2号"], CARD, TWO, BEFORE),
        Row("sup-anjian-zh", "zh", SUP, ["案件2"], CARD, TWO, BEFORE),
        Row("sup-command-zh", "zh", SUP, ["/case 2"], CARD, TWO, BEFORE),
        Row("sup-command-gd-en", "en", SUP, ["/case GD-1"], CARD, ONE, BEFORE),
        Row("sup-unknown-en", "en", SUP, ["99"], "staff_case.not_found", "GD-99", BEFORE),
        Row("sup-unknown-zh", "zh", SUP, ["/case 99"], "staff_case.not_found", "GD-99", BEFORE),
        # a supervisor's finishing words: the desk's resolve (note asked, or the words after)
        Row("sup-done-en", "en", SUP, ["done 2"], "office.desk.ask_note", TWO, BEFORE,
            waits="desk"),
        Row("sup-finish-zh", "zh", SUP, ["2号完成了"], "office.desk.ask_note", TWO, BEFORE,
            waits="desk"),
        Row("sup-done-then-note-en", "en", SUP, ["finished 2", "bins emptied"],
            "office.desk.resolved", TWO, {1: A, 2: RES}, note="bins emptied"),
        Row("sup-resolve-words-zh", "zh", SUP, ["办结 2 已清理干净"], "office.desk.resolved",
            TWO, {1: A, 2: RES}, note="已清理干净"),
        # accepting is the grid worker's: said, and the case shown to reassign
        Row("sup-accept-en", "en", SUP, ["accept 1"], "staff_case.worker_only", ONE, BEFORE),
        Row("sup-accept-zh", "zh", SUP, ["接单 1"], "staff_case.worker_only", ONE, BEFORE),
        # the assigned worker's /case with a short number
        Row("wk-command-en", "en", WK, ["/case 2"], CARD, TWO, BEFORE),
        Row("wk-command-zh", "zh", WK, ["/case 1"], CARD, ONE, BEFORE),
        Row("wk-command-hash-en", "en", WK, ["/case #2"], CARD, TWO, BEFORE),
        Row("wk-typed-hash-zh", "zh", WK, ["#2"], CARD, TWO, BEFORE),
        Row("wk-others-en", "en", WK, ["/case 3"], "staff_case.not_found", "GD-3", BEFORE | {3: A},
            other=True),
        Row("wk-others-typed-zh", "zh", WK, ["3号"], "staff_case.not_found", "GD-3",
            BEFORE | {3: A}, other=True),
        # the worker's finishing words, the number either side
        Row("wk-done-en", "en", WK, ["done 2"], "staff.ask_resolve_note", TWO, BEFORE,
            waits="staff"),
        Row("wk-finished-en", "en", WK, ["finished 2"], "staff.ask_resolve_note", TWO, BEFORE,
            waits="staff"),
        Row("wk-number-done-en", "en", WK, ["2 done"], "staff.ask_resolve_note", TWO, BEFORE,
            waits="staff"),
        Row("wk-hao-wancheng-zh", "zh", WK, ["2号完成了"], "staff.ask_resolve_note", TWO,
            BEFORE, waits="staff"),
        Row("wk-banwan-zh", "zh", WK, ["办完了 2"], "staff.ask_resolve_note", TWO, BEFORE,
            waits="staff"),
        Row("wk-done-note-en", "en", WK, ["done 2 replaced the bins"], "staff.resolved_ok", TWO,
            {1: A, 2: RES}, note="replaced the bins"),
        Row("wk-banwan-note-zh", "zh", WK, ["办完了 2 垃圾已清运"], "staff.resolved_ok", TWO,
            {1: A, 2: RES}, note="垃圾已清运"),
        Row("wk-done-then-note-zh", "zh", WK, ["2号搞定了", "已经清走"], "staff.resolved_ok",
            TWO, {1: A, 2: RES}, note="已经清走"),
        Row("wk-done-others-en", "en", WK, ["done 3"], "staff_work.not_yours", "GD-3",
            BEFORE | {3: A}, other=True),
    ]  # fmt: skip


ROWS = rows()


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_staff_name_a_case(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await enrol(bot, SUPERVISOR, "supervisor", lang=row.lang, community_id="xinji")
        await worker_with_cases(bot, row.lang, other=row.other)
        await bot.send(WORKER, "接单 2" if row.lang == "zh" else "accept 2",
                       language_code=CODE[row.lang])  # fmt: skip
        assert (await case_statuses(bot))[2] == ACC
        seen = len(bot.texts(row.who))
        for step in row.steps:
            await bot.send(row.who, step, language_code=CODE[row.lang])
        replies = bot.texts(row.who)[seen:]
        t = bot.runtime.catalog.t
        assert replies, row.steps
        if row.told == CARD:
            card = next((c for c in bot.calls(row.who)[::-1] if bot.api.buttons(c)), None)
            assert card is not None and any(row.number in r for r in replies), replies
            data = [d for _, d in bot.api.buttons(card)]
            prefix = "sv:pick" if row.who == SUP else "wk:"
            assert any(d.startswith(prefix) for d in data), data
        else:
            assert any(r == t(row.lang, row.told, number=row.number) for r in replies), replies
        for resident_says in ("mycases.none", "staff.free_text_supervisor",
                              "staff.free_text_worker"):  # fmt: skip
            assert all(t(row.lang, resident_says) not in r for r in replies), replies
        assert await case_statuses(bot) == row.statuses
        if row.note:
            assert await _resolution_note(bot, 2) == row.note
        async with bot.runtime.db.transaction() as session:
            waiting = {"staff", "desk"}
            for name in waiting:
                state = await session.get(ConversationState, (row.who, name))
                assert (state is not None) == (name == row.waits), (name, replies)


async def _resolution_note(bot: BotHarness, case_id: int) -> str | None:
    async with bot.runtime.db.transaction() as session:
        return await session.scalar(
            select(CaseEvent.note)
            .where(CaseEvent.case_id == case_id, CaseEvent.to_status == RES)
            .limit(1)
        )
