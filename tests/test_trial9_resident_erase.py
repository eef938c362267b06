"""Trial 9, item 17: /forgetme answered in words, and everyone told of a case hears it goes.

At the /forgetme confirmation "删吧" ("delete it") was read as cancel; now the buttons' other
words (button_said.erase / keep, privacy.typed.withdraw_and_erase) answer it. Erasing withdrew
an urgent case while only its worker was told: now every chat sent a message about the case
(the supervisors an urgent case alerted) hears it is withdrawn. Each row asserts what the
resident sees and what the store holds; zh and en.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Case, User
from tests.conftest import make_settings
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import SUPERVISOR, WORKER, enrol

UID = 4747
CODE = {"zh": "zh-hans", "en": "en"}
URGENT = {
    "zh": "翠湖苑3栋楼道里着火了，好多烟，有人被困",
    "en": "fire in the stairwell at Emerald Lake Court, people trapped",
}
ORDINARY = {"zh": "路灯坏了，3栋门口黑漆漆的", "en": "The street light outside building 3 is out"}
PLACE = {"zh": "翠湖苑", "en": "Emerald Lake Court"}
SUBMIT = {"zh": "提交", "en": "Submit"}


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    urgent: bool
    said: str  # typed at the /forgetme confirmation
    erased: bool


ROWS = [
    *[Row(f"urgent-{w}-zh", "zh", True, w, True) for w in ("删吧", "删掉", "删了吧", "确定删")],
    *[Row(f"urgent-{w}-en", "en", True, w, True) for w in ("delete it", "go ahead", "erase it")],
    # "withdraw and erase" is shown (and typed) only with an ordinary case to withdraw: an
    # urgent one stays open for the responders (trial 10, item 2)
    *[Row(f"ordinary-{w}-zh", "zh", False, w, True) for w in ("撤回并删除", "🗑 撤回并删除")],
    Row("ordinary-withdraw-en", "en", False, "Withdraw them and erase", True),
    Row("keep-zh", "zh", True, "不删了", False),
    Row("keep-en", "en", True, "don't delete", False),
    Row("ordinary-zh", "zh", False, "删吧", True),
    Row("ordinary-en", "en", False, "delete it", True),
]  # fmt: skip


async def _file(bot: BotHarness, row: Row) -> Case:
    if row.urgent:
        await bot.send(UID, URGENT[row.lang], language_code=CODE[row.lang])
    else:
        for words in (ORDINARY[row.lang], "对" if row.lang == "zh" else "yes", PLACE[row.lang],
                      SUBMIT[row.lang]):  # fmt: skip
            await bot.send(UID, words, language_code=CODE[row.lang])
    await deliver_outbox(bot)
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case))).scalar_one()
    assert (case.priority == "urgent") == row.urgent
    return case


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_row(row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await enrol(bot, WORKER, "worker", grid_id="xinji-02")
        await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
        case = await _file(bot, row)
        alerted = {WORKER, SUPERVISOR} if row.urgent else {WORKER}
        for chat in alerted:
            assert any(case.number in text for text in bot.texts(chat)), chat
        await bot.send(UID, "/forgetme", language_code=CODE[row.lang])
        seen = len(bot.texts(UID))
        await bot.send(UID, row.said, language_code=CODE[row.lang])
        replies = bot.texts(UID)[seen:]
        catalog = bot.runtime.catalog
        # trial 10 (item 2): a live urgent case is kept open for the responders, not withdrawn
        key = (
            "privacy.kept"
            if not row.erased
            else ("privacy.forgotten_live_urgent" if row.urgent else "privacy.forgotten_withdrawn")
        )
        assert any(catalog.t(row.lang, key).split("{")[0] in r for r in replies), replies
        nothing = catalog.t(row.lang, "report.nothing_to_cancel")
        assert nothing not in replies
        async with bot.runtime.db.transaction() as session:
            after = await session.get(Case, case.id)
            reporter = await session.scalar(select(User).where(User.telegram_id == UID))
        assert after is not None
        assert (after.status == "cancelled") == (row.erased and not row.urgent)
        assert (reporter is None) == row.erased  # the Telegram id is gone with the data
        seen_staff = {chat: len(bot.texts(chat)) for chat in (WORKER, SUPERVISOR)}
        await deliver_outbox(bot)
        for chat in (WORKER, SUPERVISOR):
            told = [t for t in bot.texts(chat)[seen_staff[chat] :] if case.number in t]
            # every chat told of the case hears once that it is withdrawn; nobody else
            withdrawn = row.erased and not row.urgent
            assert len(told) == (1 if withdrawn and chat in alerted else 0), (chat, told)
