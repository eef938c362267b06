"""Trial 9, item 14: the volunteer wizard's typed answers.

- Typed choice words tick, never untick ("weekends mostly", then "Weekends" to confirm).
- "done", "ok", "好了" at a pick-any-number step is its Next.
- An estate or street typed at "which community / grid?" names the home grid ("I live in
  Emerald Lake Court"), never a report; the grid buttons name their estates.
- "count me in! 🙋‍♀️" at a call-out joins it (not the profile).

Each row asserts what the resident sees and what the store holds; zh and en.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import ConversationState, User
from storage.volunteers import Volunteer
from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.callouts import V1, V2, five_volunteers_and_a_callout_for_three
from tests.support.volunteer_steps import CODE, TO_AVAILABLE, TO_COMMUNITY, TO_GRID, TO_SKILLS
from tests.volunteer_helpers import statuses

UID = 4646


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    reach: list[tuple[str, str]]
    typed: list[str]
    sees: str  # a catalog key (its words before the first value) among the replies
    state: str | None  # the wizard's state after (None: no wizard open)
    skills: tuple[str, ...] | None = None
    availability: tuple[str, ...] | None = None
    grid: str | None = None
    reports: int = 0  # report drafts open after (never one, from these answers)


ROWS = [
    # ticks that stay ticked when typed again
    Row("weekends-twice-en", "en", TO_AVAILABLE["en"], ["weekends mostly", "Weekends"],
        "conversation.updated", "available", availability=("weekends",)),
    Row("weekends-twice-zh", "zh", TO_AVAILABLE["zh"], ["周末", "周末"],
        "conversation.updated", "available", availability=("weekends",)),
    Row("skill-twice-en", "en", TO_SKILLS["en"], ["Driving", "driving"],
        "conversation.updated", "skills", skills=("driving",)),
    Row("skill-twice-zh", "zh", TO_SKILLS["zh"], ["驾驶", "驾驶"],
        "conversation.updated", "skills", skills=("driving",)),
    # "done" is Next
    Row("done-skills-en", "en", TO_SKILLS["en"], ["Driving", "done"],
        "volunteer.register.ask_community", "community", skills=("driving",)),
    Row("ok-skills-en", "en", TO_SKILLS["en"], ["First aid", "ok"],
        "volunteer.register.ask_community", "community", skills=("first_aid",)),
    Row("done-skills-zh", "zh", TO_SKILLS["zh"], ["驾驶", "好了"],
        "volunteer.register.ask_community", "community", skills=("driving",)),
    Row("done-available-en", "en", TO_AVAILABLE["en"], ["Evenings", "done"],
        "volunteer.register.ask_consent", "consent", availability=("evenings",)),
    Row("done-available-zh", "zh", TO_AVAILABLE["zh"], ["晚上", "完成"],
        "volunteer.register.ask_consent", "consent", availability=("evenings",)),
    # a typed home
    Row("home-at-grid-en", "en", TO_GRID["en"], ["I live in Emerald Lake Court"],
        "volunteer.register.home_found", "available", grid="xinji-02"),
    Row("home-at-community-en", "en", TO_COMMUNITY["en"], ["Sunshine Garden"],
        "volunteer.register.home_found", "available", grid="yangguang-01"),
    Row("home-at-grid-zh", "zh", TO_GRID["zh"], ["我住在翠湖苑"],
        "volunteer.register.home_found", "available", grid="xinji-02"),
    Row("home-at-community-zh", "zh", TO_COMMUNITY["zh"], ["阳光花园7栋"],
        "volunteer.register.home_found", "available", grid="yangguang-01"),
    Row("home-unknown-en", "en", TO_GRID["en"], ["somewhere near the river"],
        "volunteer.register.home_unknown", "grid"),
    Row("home-unknown-zh", "zh", TO_GRID["zh"], ["河边那一片"],
        "volunteer.register.home_unknown", "grid"),
]  # fmt: skip


async def _draft(bot: BotHarness) -> tuple[str | None, dict[str, Any]]:
    async with bot.runtime.db.transaction() as session:
        row = await session.get(ConversationState, (UID, "volunteer"))
        report = await session.get(ConversationState, (UID, "report"))
        assert report is None, "a report draft was started"
        return (row.state, dict(row.data)) if row is not None else (None, {})


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_row(row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        for kind, words in row.reach:
            if kind == "text":
                await bot.send(UID, words, language_code=CODE[row.lang])
            else:
                await bot.press(UID, words)
        seen = len(bot.texts(UID))
        for words in row.typed:
            await bot.send(UID, words, language_code=CODE[row.lang])
        replies = bot.texts(UID)[seen:]
        expected = bot.runtime.catalog.t(row.lang, row.sees).split("{")[0][:8]
        assert any(expected in r for r in replies), replies
        state, draft = await _draft(bot)
        assert state == row.state, (state, replies)
        if row.skills is not None:
            assert tuple(draft["skills"]) == row.skills
        if row.availability is not None:
            assert tuple(draft["availability"]) == row.availability
        if row.grid is not None:
            assert draft["grid_id"] == row.grid


@pytest.mark.parametrize(("lang", "estate"), [("zh", "翠湖苑"), ("en", "Emerald Lake Court")])
async def test_grid_buttons_name_their_estates(
    lang: str, estate: str, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        for kind, words in TO_GRID[lang]:
            if kind == "text":
                await bot.send(UID, words, language_code=CODE[lang])
            else:
                await bot.press(UID, words)
        labels = [label for label, _ in bot.api.buttons(bot.calls(UID)[-1])]
        assert any(estate in label for label in labels), labels
        await bot.send(UID, estate, language_code=CODE[lang])  # the estate typed alone
        state, draft = await _draft(bot)
        assert state == "available" and draft["grid_id"] == "xinji-02"


@pytest.mark.parametrize(
    ("said", "lang"),
    [("count me in! 🙋‍♀️", "en"), ("I'm in", "en"), ("sign me up please", "en"),
     ("算我一个！", "zh"), ("我参加", "zh"), ("我报名吧", "zh")],
)  # fmt: skip
async def test_typed_join_words_answer_the_callout(
    said: str, lang: str, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        callout = await five_volunteers_and_a_callout_for_three(bot)
        async with bot.runtime.db.transaction() as session:
            user = (await session.execute(select(User).where(User.telegram_id == V1))).scalar_one()
            user.language = lang
        seen = len(bot.texts(V1))
        await bot.send(V1, said, language_code=CODE[lang])
        replies = bot.texts(V1)[seen:]
        left = await statuses(bot, callout.id)
        assert left.get(V1) == "joined", replies
        assert left.get(V2) != "joined"
        profile = bot.runtime.catalog.t(lang, "volunteer.register.profile", name="", skills="",
                                        grid="", availability="").split("\n")[0]  # fmt: skip
        assert not any(profile in r for r in replies), replies
        async with bot.runtime.db.transaction() as session:
            assert await session.scalar(select(Volunteer).limit(1)) is not None
