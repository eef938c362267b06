"""Trial 10, item 1: a new volunteer's typed skills and free times are kept at every step.

"会开车，周末有空" or "我懂急救 晚上可以" typed at "what can you help with?" was lost: the step
came again (or a report began) and nothing was stored. The kind: the answers to the wizard's
pick-any steps said in words, at whichever step they come. Now skills and free times in the
words are ticked (never unticked) and said back; words that answer the step's own question
move on; words at the name, home or consent step are kept and that step is asked again; the
buttons still work; words that answer nothing show the step again. Each row asserts what the
resident sees and what the draft in the store holds; two rows finish the registration and
check the stored profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import ConversationState
from storage.volunteers import Volunteer, VolunteerSkill
from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.volunteer_steps import (
    CODE,
    TO_AVAILABLE,
    TO_CONSENT,
    TO_GRID,
    TO_NAME,
    TO_SKILLS,
    UID,
)

KEPT, UNREAD = "volunteer.register.typed_kept", "volunteer.register.typed_unread"


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    reach: list[tuple[str, str]]
    typed: list[tuple[str, str]]  # ("text", words) or ("press", a label part)
    sees: str  # catalog key among the replies (its words before the first value)
    state: str  # the wizard's step after
    skills: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()


def _t(words: str) -> tuple[str, str]:
    return ("text", words)


ROWS = [
    # at the skills step: skills move on; free times said with them are kept for later
    Row("skills-zh-drive-weekend", "zh", TO_SKILLS["zh"], [_t("会开车，周末有空")], KEPT,
        "community", ("driving",), ("weekends",)),
    Row("skills-zh-firstaid-evening", "zh", TO_SKILLS["zh"], [_t("我懂急救 晚上可以")], KEPT,
        "community", ("first_aid",), ("evenings",)),
    Row("skills-zh-elderly-clean", "zh", TO_SKILLS["zh"], [_t("可以陪老人聊天，也会打扫卫生")],
        KEPT, "community", ("elderly_visits", "cleanup")),
    Row("skills-en-drive-firstaid", "en", TO_SKILLS["en"], [_t("I can drive and do first aid")],
        KEPT, "community", ("first_aid", "driving")),
    Row("skills-en-english-weekends", "en", TO_SKILLS["en"],
        [_t("I speak English, free on weekends")], KEPT, "community", ("translation",),
        ("weekends",)),
    Row("skills-zh-only-time", "zh", TO_SKILLS["zh"], [_t("周末有空")], KEPT, "skills", (),
        ("weekends",)),
    Row("skills-zh-cannot-drive", "zh", TO_SKILLS["zh"], [_t("不会开车，但是懂急救")], KEPT,
        "community", ("first_aid",)),
    # at the free-times step
    Row("avail-zh-firstaid-evening", "zh", TO_AVAILABLE["zh"], [_t("我懂急救 晚上可以")], KEPT,
        "consent", ("first_aid",), ("evenings",)),
    Row("avail-zh-not-weekend", "zh", TO_AVAILABLE["zh"], [_t("周末不行，晚上可以")], KEPT,
        "consent", ("first_aid",), ("evenings",)),
    Row("avail-en-any-time", "en", TO_AVAILABLE["en"], [_t("any time really")], KEPT,
        "consent", ("first_aid",), ("weekdays", "evenings", "weekends")),
    Row("avail-en-evenings-not-weekends", "en", TO_AVAILABLE["en"],
        [_t("evenings after work, not weekends")], "conversation.updated", "available",
        ("first_aid",), ("evenings",)),  # a label first: ticked as its tap, the "not" kept
    # at other steps: kept, the step asked again, its buttons still work
    Row("name-zh-words", "zh", TO_NAME["zh"], [_t("会开车，周末有空")], KEPT, "name",
        ("driving",), ("weekends",)),
    Row("name-en-words", "en", TO_NAME["en"], [_t("I can drive on Saturdays")], KEPT, "name",
        ("driving",), ("weekends",)),
    Row("grid-zh-words-then-press", "zh", TO_GRID["zh"], [_t("会开车"), ("press", "新基第二网格")],
        "volunteer.register.ask_available", "available", ("first_aid", "driving")),
    Row("consent-en-words", "en", TO_CONSENT["en"], [_t("I can also translate")], KEPT,
        "consent", ("first_aid", "translation"), ("weekends",)),
    Row("skills-en-words-then-next", "en", TO_SKILLS["en"],
        [_t("free on weekday evenings"), ("press", "Driving"), ("press", "Next")],
        "volunteer.register.ask_community", "community", ("driving",), ("evenings",)),
    # nothing to read: the step again
    Row("skills-zh-unread", "zh", TO_SKILLS["zh"], [_t("嗯让我想想")], UNREAD, "skills"),
    Row("avail-en-unread", "en", TO_AVAILABLE["en"], [_t("hmm let me think")], UNREAD,
        "available", ("first_aid",)),
]  # fmt: skip


async def _walk(bot: BotHarness, lang: str, steps: list[tuple[str, str]]) -> None:
    for kind, words in steps:
        if kind == "text":
            await bot.send(UID, words, language_code=CODE[lang])
        else:
            await bot.press(UID, words)


async def _draft(bot: BotHarness) -> tuple[str | None, dict[str, Any]]:
    async with bot.runtime.db.transaction() as session:
        row = await session.get(ConversationState, (UID, "volunteer"))
        assert await session.get(ConversationState, (UID, "report")) is None, "a report began"
        return (row.state, dict(row.data)) if row is not None else (None, {})


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_typed_answers_are_kept(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await _walk(bot, row.lang, row.reach)
        seen = len(bot.texts(UID))
        await _walk(bot, row.lang, row.typed)
        replies = bot.texts(UID)[seen:]
        expected = bot.runtime.catalog.t(row.lang, row.sees).split("{")[0][:8]
        state, draft = await _draft(bot)
        assert any(expected in r for r in replies), (replies, state, draft.get("availability"))
        assert state == row.state, (state, replies)
        assert sorted(draft.get("skills", [])) == sorted(row.skills), replies
        assert sorted(draft.get("availability", [])) == sorted(row.availability), replies


@pytest.mark.parametrize(
    ("lang", "answers", "agree", "skills", "availability"),
    [
        ("zh", ["小丽", "会开车，周末有空", "我住在翠湖苑"], "同意", {"driving"}, {"weekends"}),
        ("en", ["Lily", "first aid and translation", "I live in Emerald Lake Court",
                "weekday evenings"], "I agree", {"first_aid", "translation"},
         {"evenings"}),  # weekday evenings: the evenings, not the weekday daytime
    ],
)  # fmt: skip
async def test_registration_typed_through_is_stored(
    lang: str, answers: list[str], agree: str, skills: set[str], availability: set[str],
    sqlite_url: str, tmp_path: Any, embedded_nlu: Any,
) -> None:  # fmt: skip
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await bot.send(UID, "/volunteer", language_code=CODE[lang])
        for words in answers:
            await bot.send(UID, words, language_code=CODE[lang])
        state, _ = await _draft(bot)
        if state == "available":  # the zh answers gave the free times already: Next
            await bot.press(UID, "下一步" if lang == "zh" else "Next")
        await bot.send(UID, agree, language_code=CODE[lang])  # consent typed too
        done = bot.runtime.catalog.t(lang, "volunteer.register.done").split("{")[0][:8]
        assert any(done in r for r in bot.texts(UID)), bot.texts(UID)[-3:]
        async with bot.runtime.db.transaction() as session:
            volunteer = (await session.execute(select(Volunteer))).scalar_one()
            stored = set(
                await session.scalars(
                    select(VolunteerSkill.skill).where(VolunteerSkill.volunteer_id == volunteer.id)
                )
            )
        assert stored == skills
        assert set(volunteer.availability) == availability
        assert volunteer.grid_id == "xinji-02"
