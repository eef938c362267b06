"""Tenth newcomer trial, items 2 and 3: "which community?".

Item 2: after an FAQ answer the resident asked staff; at "which community?" they typed an
estate ("翠湖苑") and the typed words REPLACED the question kept for staff. The kind: typed
words at a choice step are the answer to that step (a community's name, an estate or street
of it, its number in the list), never new content; what is no answer shows the step again
with the question kept (handlers.ask.take, declared in handlers.registry). The report's lists
("which community?" after an address, "which grid?") take a typed number the same way: it
was added to the address ("龙华街道清湖路5号，2"; handlers.report_place.pick_listed).

Item 3: no "none of these" at "which community?": a resident whose community is not listed
was stuck. Now 🤷 都不是 / None of these (pressed or typed in words) sends the question to the
street office (city supervisors, then the duty chat) with the words they gave for where they
live, and a report's typed address goes without a grid to the same office, told honestly.

Each row asserts what the resident sees and what the store holds. The real Application on a
real SQLite file; a city-wide supervisor is enrolled so a question reaches someone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.conversation import ANY, Facts
from tests.support.resident_rows import Row, play

QUESTION = {
    "zh": "办居住证需要什么材料？",
    "en": "what documents do I need for a residence permit?",
}
ASK_STAFF = {"zh": "问工作人员", "en": "Ask staff"}
PASSED = {"zh": "已转给社区工作人员", "en": "passed it to community staff"}
OFFICE = {"zh": "已转给街道办事处", "en": "passed to the street office"}
AGAIN = {"zh": "还留着", "en": "is kept"}
NONE_OF_THESE = {"zh": "都不是", "en": "None of these"}


def _asked(lang: str, *then: str) -> list[tuple[str, str]]:
    """The question read from free text (FAQ answer, "ask staff?"), "ask staff" typed, then
    the words typed at "which community?"."""
    return [("text", QUESTION[lang]), ("text", ASK_STAFF[lang]), *[("text", t) for t in then]]


def _consultation(community: str | None, address: str | None = None) -> Callable[[Facts], None]:
    """One consultation case, holding the question (never the typed answer) for `community`
    (None: no listed one, the street office's), with the resident's words for where."""

    def check(facts: Facts) -> None:
        (case,) = facts.cases
        assert case.kind == "consultation", case.kind
        assert case.text in QUESTION.values(), case.text
        assert case.community_id == community, case.community_id
        assert case.address == address, case.address

    return check


def _no_case(facts: Facts) -> None:
    assert facts.cases == []


def _report(grid: str | None, address: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        (case,) = facts.cases
        assert case.kind != "consultation" and case.grid_id == grid, case.grid_id
        assert case.address == address, case.address
        assert "路灯" in case.text or "street light" in case.text, case.text

    return check


def _draft_unlisted(address: str | None) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.draft.unlisted, facts.draft
        assert facts.draft.address == address and facts.draft.grid_id is None

    return check


ROWS = [
    # item 2: an estate typed at "which community?" is its community; the question stays
    Row("zh-estate", "zh", "none", _asked("zh", "翠湖苑"), sees=(PASSED["zh"],), state=None,
        check=_consultation("xinji"), supervisor=True),
    Row("en-estate", "en", "none", _asked("en", "Sunshine Garden"), sees=(PASSED["en"],),
        state=None, check=_consultation("yangguang"), supervisor=True),
    Row("zh-sentence-with-estate", "zh", "none", _asked("zh", "我住在红棉苑"),
        sees=(PASSED["zh"],), state=None, check=_consultation("hongmian"), supervisor=True),
    # its number in the list (config order: 新基, 阳光, 红棉)
    Row("en-number", "en", "none", _asked("en", "2"), sees=(PASSED["en"],), state=None,
        check=_consultation("yangguang"), supervisor=True),
    Row("zh-ordinal", "zh", "none", _asked("zh", "第3个"), sees=(PASSED["zh"],), state=None,
        check=_consultation("hongmian"), supervisor=True),
    # the community's name, whole or its start, presses its button
    Row("zh-name", "zh", "none", _asked("zh", "新基社区"), sees=(PASSED["zh"],), state=None,
        check=_consultation("xinji"), supervisor=True),
    Row("en-name-start", "en", "none", _asked("en", "hongmian"), sees=(PASSED["en"],),
        state=None, check=_consultation("hongmian"), supervisor=True),
    # no answer: the step again, the question kept and nothing filed; then an answer
    Row("zh-no-answer-then-estate", "zh", "none", _asked("zh", "不知道", "金丰花园"),
        sees=(AGAIN["zh"], PASSED["zh"]), state=None, check=_consultation("xinji"),
        supervisor=True),
    Row("en-no-answer", "en", "none", _asked("en", "what?"), sees=(AGAIN["en"],), state=None,
        check=_no_case, supervisor=True),
    Row("en-out-of-range", "en", "none", _asked("en", "7"), sees=(AGAIN["en"],), state=None,
        check=_no_case, supervisor=True),
    # cancel words drop the question, nothing filed
    Row("zh-cancel", "zh", "none", _asked("zh", "算了"), sees=("没有转给",), state=None,
        check=_no_case, supervisor=True),
    # item 3: none of these, pressed or said: the street office, told honestly
    Row("zh-none-pressed", "zh", "none",
        [("text", QUESTION["zh"]), ("text", ASK_STAFF["zh"]), ("press", NONE_OF_THESE["zh"])],
        sees=(OFFICE["zh"],), state=None, check=_consultation(None), supervisor=True),
    Row("en-none-typed", "en", "none", _asked("en", "none of these"), sees=(OFFICE["en"],),
        state=None, check=_consultation(None), supervisor=True),
    Row("zh-none-said", "zh", "none", _asked("zh", "我的社区不在里面"), sees=(OFFICE["zh"],),
        state=None, check=_consultation(None), supervisor=True),
    # where they live, typed first, goes with the question
    Row("zh-where-then-none", "zh", "none", _asked("zh", "龙华街道清湖社区", "都不是"),
        sees=(AGAIN["zh"], OFFICE["zh"]), state=None,
        check=_consultation(None, "龙华街道清湖社区"), supervisor=True),
    Row("en-where-then-none", "en", "none", _asked("en", "Qinghu Estate, Longhua", "not listed"),
        sees=(OFFICE["en"],), state=None, check=_consultation(None, "Qinghu Estate, Longhua"),
        supervisor=True),
    # nobody at the office: said so, never "passed on"
    Row("en-none-nobody", "en", "none", _asked("en", "None of these"),
        sees=("no staff member can receive",), never=(OFFICE["en"],), state=None,
        check=_consultation(None)),
    # a report's "which community?" after an unknown address: none of these keeps the
    # address, no grid, the street office routes it
    Row("zh-report-none-pressed", "zh", "location",
        [("text", "龙华街道清湖路5号"), ("press", NONE_OF_THESE["zh"])],
        sees=("街道办事处",), state="details", check=_draft_unlisted("龙华街道清湖路5号")),
    Row("en-report-none-typed-submit", "en", "location",
        [("text", "5 Qinghu Road, Longhua"), ("text", "none of them"), ("text", "Submit")],
        sees=("street office", "GD-"), state=None, cases=1,
        check=_report(None, "5 Qinghu Road, Longhua")),
    # none of these first (the reply keyboard's button), then the address
    Row("zh-report-none-first", "zh", "location",
        [("text", "🤷 都不是"), ("text", "龙华街道清湖路5号"), ("text", "提交")],
        sees=("请打字告诉我地址", "GD-"), state=None, cases=1,
        check=_report(None, "龙华街道清湖路5号")),
    Row("en-report-none-first", "en", "location", [("text", "None of these")],
        sees=("type the address",), state="location", check=_draft_unlisted(None)),
    # a listed estate after "none of these" still finds its grid
    Row("en-report-none-then-estate", "en", "location",
        [("text", "None of these"), ("text", "Emerald Lake Court")], sees=("Xinji Grid 2",),
        state="details", check=lambda f: _grid(f, "xinji-02")),
    # a number at the report's lists picks from them, never joins the address
    Row("zh-report-community-number", "zh", "location",
        [("text", "龙华街道清湖路5号"), ("text", "2")], sees=("阳光社区",), state="location",
        check=lambda f: _community_at(f, "yangguang", "龙华街道清湖路5号")),
    Row("zh-report-community-ordinal", "zh", "location",
        [("text", "龙华街道清湖路5号"), ("text", "第3个")], sees=("红棉社区",), state="location",
        check=lambda f: _community_at(f, "hongmian", "龙华街道清湖路5号")),
    Row("en-report-grid-number", "en", "location", [("text", "Xinji Community"), ("text", "2")],
        sees=("Xinji Grid 2",), state="details", check=lambda f: _grid(f, "xinji-02")),
    Row("en-report-number-out-of-range", "en", "location",
        [("text", "5 Qinghu Road"), ("text", "9")], sees=("Which community",),
        state="location", check=lambda f: _community_at(f, None, "5 Qinghu Road")),
    Row("zh-report-community-typed-name", "zh", "location",
        [("text", "龙华街道清湖路5号"), ("text", "阳光社区")], sees=("阳光社区",), state=ANY,
        check=lambda f: _community(f, "yangguang")),
]  # fmt: skip


def _grid(facts: Facts, grid: str) -> None:
    assert facts.draft is not None and facts.draft.grid_id == grid, facts.draft


def _community_at(facts: Facts, community: str | None, address: str) -> None:
    assert facts.draft is not None and facts.draft.grid_id is None, facts.draft
    assert (facts.draft.community_id, facts.draft.address) == (community, address), facts.draft


def _community(facts: Facts, community: str) -> None:
    assert facts.draft is not None and facts.draft.community_id == community, facts.draft


def test_both_languages_and_enough_rows() -> None:
    assert {r.lang for r in ROWS} == {"zh", "en"} and len(ROWS) >= 8


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_which_community_takes_its_answer_and_has_a_way_out(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await play(bot, row)
