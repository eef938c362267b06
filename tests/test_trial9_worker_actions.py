"""Trial 9, item 7: a grid worker's typed action acts on the case they mean.

The worker of xinji-02 has the urgent GD-2026-000001 (a child locked in a hot car) and the
ordinary GD-2026-000002 (garbage), both assigned. A typed "接单" used to accept the newest
ping's case silently; "接单 7" ignored the number and "接GD-2026-000007" got a resident's
"you have no cases". Now: a case number typed with the action (whole, `GD-7`, or `7`) acts
on that case when it is theirs (a number naming someone else's case changes nothing); without
one, the only case it fits is acted on, and when several fit the worker is asked which, the
urgent one first. Each row: what the worker types (or presses), what they are told, and each
case's status in the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.cases import WORKER
from tests.support.worker_work import CODE, case_statuses, worker_with_cases

ONE, TWO, THREE = "GD-2026-000001", "GD-2026-000002", "GD-2026-000003"
A, ACC, PROG, RES = "assigned", "accepted", "in_progress", "resolved"


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    steps: list[str]  # typed; "press:<part>" presses the newest button with that label part
    told: str  # catalog key of the worker's last reply (`number` filled from `number`)
    statuses: dict[int, str]
    number: str = ""
    count: int = 0
    setup: dict[str, bool] = field(default_factory=dict)


def rows() -> list[Row]:
    only_urgent = {"ordinary": False}
    other = {"other": True}
    return [
        # no number, two cases fit: asked which, nothing accepted
        Row("zh-accept-asks", "zh", ["接单"], "staff_work.which.acc", {1: A, 2: A}, count=2),
        Row("en-accept-asks", "en", ["Accept"], "staff_work.which.acc", {1: A, 2: A}, count=2),
        Row("zh-label-asks", "zh", ["✅ 接单"], "staff_work.which.acc", {1: A, 2: A}, count=2),
        Row("zh-ack-asks", "zh", ["收到马上过去"], "staff_work.which.acc", {1: A, 2: A}, count=2),
        Row("en-ack-asks", "en", ["on my way"], "staff_work.which.acc", {1: A, 2: A}, count=2),
        # the question answered by a number, or by the button (urgent listed first)
        Row("zh-asked-then-1", "zh", ["接单", "1"], "staff.accepted", {1: ACC, 2: A}, ONE),
        Row("en-asked-then-GD-2", "en", ["Accept", "GD-2"], "staff.accepted", {1: A, 2: ACC},
            TWO),
        Row("zh-asked-then-press", "zh", ["接单", "press:🚨"], "staff.accepted",
            {1: ACC, 2: A}, ONE),
        Row("en-asked-then-press", "en", ["accept", "press:🚨"], "staff.accepted",
            {1: ACC, 2: A}, ONE),
        Row("zh-asked-then-9", "zh", ["接单", "9"], "staff_work.not_listed", {1: A, 2: A},
            "GD-9"),
        # a number typed with the action
        Row("zh-accept-2", "zh", ["接单 2"], "staff.accepted", {1: A, 2: ACC}, TWO),
        Row("en-accept-2", "en", ["accept 2"], "staff.accepted", {1: A, 2: ACC}, TWO),
        Row("zh-accept-whole", "zh", ["接GD-2026-000001"], "staff.accepted", {1: ACC, 2: A},
            ONE),
        Row("en-accept-whole", "en", ["accept GD-2026-000001"], "staff.accepted",
            {1: ACC, 2: A}, ONE),
        Row("zh-number-first", "zh", ["GD-1 接单"], "staff.accepted", {1: ACC, 2: A}, ONE),
        Row("en-short-form", "en", ["accept gd-1"], "staff.accepted", {1: ACC, 2: A}, ONE),
        # a number that is not theirs: nothing changes, no resident's answer
        Row("zh-accept-7", "zh", ["接单 7"], "staff_work.not_yours", {1: A, 2: A}, "GD-7"),
        Row("en-accept-unknown", "en", ["accept GD-2026-000007"], "staff_work.not_yours",
            {1: A, 2: A}, "GD-2026-000007"),
        Row("zh-others-case", "zh", ["接GD-2026-000003"], "staff_work.not_yours",
            {1: A, 2: A, 3: A}, THREE, setup=other),
        Row("en-others-case", "en", ["accept 3"], "staff_work.not_yours", {1: A, 2: A, 3: A},
            "GD-3", setup=other),
        # one case fits: acted on
        Row("zh-only-urgent", "zh", ["接单"], "staff.accepted", {1: ACC}, ONE,
            setup=only_urgent),
        Row("zh-ack-only-urgent", "zh", ["收到马上过去"], "staff.accepted", {1: ACC}, ONE,
            setup=only_urgent),
        Row("en-ack-only-urgent", "en", ["got it, on my way"], "staff.accepted", {1: ACC}, ONE,
            setup=only_urgent),
        Row("zh-start", "zh", ["接单 1", "开始处理吧"], "staff.started", {1: PROG, 2: A}, ONE),
        Row("en-start", "en", ["accept 1", "start"], "staff.started", {1: PROG, 2: A}, ONE),
        Row("zh-start-by-number", "zh", ["接单 1", "接单 2", "开始处理 2"], "staff.started",
            {1: ACC, 2: PROG}, TWO),
        Row("zh-start-asks", "zh", ["接单 1", "接单 2", "开始处理"], "staff_work.which.start",
            {1: ACC, 2: ACC}, count=2),
        Row("zh-resolve-with-note", "zh", ["接单 1", "办结 1 孩子已经救出来了"],
            "staff.resolved_ok", {1: RES, 2: A}, ONE),
        Row("en-resolve-with-note", "en", ["accept 1", "resolve GD-1: child is out, safe"],
            "staff.resolved_ok", {1: RES, 2: A}, ONE),
        Row("zh-resolve-asks-note", "zh", ["接单 1", "办结"], "staff.ask_resolve_note",
            {1: ACC, 2: A}, ONE),
        Row("zh-nothing-to-resolve", "zh", ["办结"], "staff_work.none_fits.res", {1: A, 2: A}),
        Row("en-nothing-to-start", "en", ["Start"], "staff_work.none_fits.start", {1: A, 2: A}),
    ]  # fmt: skip


ROWS = rows()


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_a_typed_action_acts_on_the_case_meant(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await worker_with_cases(bot, row.lang, **row.setup)
        seen = len(bot.texts(WORKER))
        for step in row.steps:
            if step.startswith("press:"):
                await bot.press(WORKER, step.removeprefix("press:"))
            else:
                await bot.send(WORKER, step, language_code=CODE[row.lang])
        replies = bot.texts(WORKER)[seen:]
        t = bot.runtime.catalog.t
        expected = t(row.lang, row.told, number=row.number, count=row.count)
        assert replies and replies[-1] == expected, replies
        # never a resident's answer to a worker's action
        for resident_says in ("conversation.label_of_finished_step", "mycases.none"):
            assert all(t(row.lang, resident_says) not in r for r in replies)
        assert await case_statuses(bot) == row.statuses
        if row.told == "staff_work.which.acc":  # the urgent case is listed first, marked
            labels = [label for label, _ in bot.api.buttons(bot.calls(WORKER)[-1])]
            assert labels[0].startswith("🚨 " + ONE) and TWO in labels[1], labels
