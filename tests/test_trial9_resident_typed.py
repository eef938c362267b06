"""Trial 9, items 9 and 12: typed answers stay the open step's.

- A command that shows its own text (/help, /start) leaves the open step's buttons current:
  the next typed yes, label or part of a label is still that step's answer.
- An answer with more words after it: the words that name another button of the same
  keyboard are the one meant ("不对，我是想问问" is the question button); words that name a
  button the answer opened press it too ("no, property management" picks the type).
- The step keeps its earlier keyboards' labels while it is open ("我是想问问题" at the type
  list shown after "不对").
- A label with fillers around it is the label ("property management I guess").
- The rest of a long message the client split joins the draft's description; the
  resident's own case is never offered as someone else's report.

Each row asserts what the resident sees and what the store holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from services.cases.drafts import ReportDraft
from storage.models import Case, ConversationState
from tests.conftest import make_settings
from tests.harness import BotHarness

UID = 4343
ZH = "路灯坏了，3栋门口黑漆漆的"
EN = "The bins at Sunshine Plaza haven't been emptied since Monday"
LONG_ZH = ("翠湖苑3栋门口的路灯坏了好几天了，晚上黑漆漆的，老人小孩出门很不方便。" * 200)[:4090]
LONG_EN = ("The street light outside block 3 of Emerald Lake Court is broken. " * 80)[:4095]
CODE = {"zh": "zh-hans", "en": "en"}
ASKED = "consult.no_topic|consult.which_topic"  # the question path, with or without topics


@dataclass
class Facts:
    state: str | None
    draft: ReportDraft | None
    cases: list[Case]


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    actions: list[str]  # typed by the resident, in order ("/help" is a command)
    sees: str  # a catalog key whose text (or these words) is among the last replies
    state: str | None  # the report draft's state after (None: no draft)
    check: Callable[[Facts], None] | None = field(default=None, compare=False)
    refused: tuple[str, ...] = ("conversation.label_not_now", "conversation.not_understood_step")


def _type(case_type: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.draft.case_type == case_type

    return check


def _no_draft_no_case(facts: Facts) -> None:
    assert facts.draft is None and facts.cases == []


def _one_case_with(*pieces: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert len(facts.cases) == 1, [c.text[:40] for c in facts.cases]
        for piece in pieces:
            assert piece in facts.cases[0].text

    return check


def _draft_has(*pieces: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.draft.pending is None
        for piece in pieces:
            assert piece in facts.draft.text

    return check


def _two_cases(facts: Facts) -> None:
    assert len(facts.cases) == 2 and facts.draft is None


def rows() -> list[Row]:
    table: list[Row] = []
    add = table.append
    # A command that shows its own text, then the step's answer (yes, its label, a part of it).
    for command in ("/help", "/start"):
        for answer in ("对", "是的", "✅ 对，就是这个", "对，就是这个"):
            add(Row(f"{command}-then-{answer}-zh", "zh", [ZH, command, answer],
                    "report.ask_location", "location"))  # fmt: skip
        for answer in ("yes", "ok", "✅ Yes, that's it"):
            add(Row(f"{command}-then-{answer}-en", "en", [EN, command, answer],
                    "report.location_ok", "details"))  # fmt: skip
        add(Row(f"{command}-then-no-zh", "zh", [ZH, command, "不对"], "report.pick_type",
                "confirm_type"))  # fmt: skip
        add(Row(f"{command}-then-no-en", "en", [EN, command, "no"], "report.pick_type",
                "confirm_type"))  # fmt: skip
        add(Row(f"{command}-then-question-zh", "zh", [ZH, command, "我是想问问题"],
                ASKED, None, _no_draft_no_case))  # fmt: skip
    # No, then the button meant: the rest of the answer names it.
    add(Row("no-its-a-question-zh", "zh", [ZH, "不对，我是想问问"], ASKED, None,
            _no_draft_no_case))  # fmt: skip
    add(Row("no-its-a-question-en", "en", [EN, "no, it's a question"], ASKED,
            None, _no_draft_no_case))  # fmt: skip
    add(Row("no-then-type-zh", "zh", [ZH, "不对，是物业管理"], "report.ask_location",
            "location", _type("property_management")))  # fmt: skip
    add(Row("no-then-type-en", "en", [EN, "no, property management"],
            "report.location_ok", "details", _type("property_management")))  # fmt: skip
    # The step's earlier keyboard, still open: its label is still an answer.
    add(Row("types-then-question-zh", "zh", [ZH, "不对", "我是想问问题"], ASKED,
            None, _no_draft_no_case))  # fmt: skip
    add(Row("types-then-question-en", "en", [EN, "no", "It's a question"], ASKED,
            None, _no_draft_no_case))  # fmt: skip
    # A type's label with fillers at the type list.
    for lang, first, said in [
        ("en", EN, "property management I guess"), ("en", EN, "Property management please"),
        ("en", EN, "maybe property management"), ("zh", ZH, "应该是物业管理吧"),
        ("zh", ZH, "我猜是物业管理"), ("zh", ZH, "物业管理吧"),
    ]:  # fmt: skip
        no, after = ("no", "details") if lang == "en" else ("不对", "location")
        add(Row(f"type-with-fillers-{said}", lang, [first, no, said], "report.type_chosen",
                after, _type("property_management")))  # fmt: skip
    # The type list, once asked, is what the step shows again (not "is it <type>?").
    for lang, first, no, aside in [
        ("zh", ZH, "不对", "你好"), ("zh", ZH, "不对", "/help"), ("en", EN, "no", "hello"),
        ("en", EN, "no", "what can you do?"),
    ]:  # fmt: skip
        if aside.startswith("/"):  # a command shows its own text; the list stays the answer
            add(Row(f"types-stay-{aside}-{lang}", lang, [first, no, aside, "物业管理"],
                    "report.type_chosen", "location", _type("property_management")))  # fmt: skip
            continue
        add(Row(f"types-stay-{aside}-{lang}", lang, [first, no, aside], "report.pick_type",
                "confirm_type", refused=("report.understood",)))  # fmt: skip
    # A long message split by the client: the rest joins the description, no second report.
    for lang, long, rest, yes, place, submit in [
        ("zh", LONG_ZH, "所以请尽快派人来修一下，谢谢", "对", "翠湖苑", "提交"),
        ("en", LONG_EN, "so please send someone soon, thanks", "yes", "Emerald Lake Court",
         "Submit"),
    ]:  # fmt: skip
        add(Row(f"split-joins-{lang}", lang, [long, rest], "conversation.split_joined",
                "confirm_type", _draft_has(long[:50], rest)))  # fmt: skip
        add(Row(f"split-filed-whole-{lang}", lang, [long, rest, yes, place, submit],
                "GD-", None, _one_case_with(long[-30:], rest)))  # fmt: skip
    # The resident's own earlier case is theirs, never "someone else reported it".
    for lang, text, yes, place, submit in [
        ("zh", ZH, "对", "翠湖苑", "提交"), ("en", EN, "yes", "Emerald Lake Court", "Submit"),
    ]:  # fmt: skip
        again = [text + (" 还是没人修" if lang == "zh" else ", still not done"), yes, place]
        add(Row(f"own-case-{lang}", lang, [text, yes, place, submit, *again, submit],
                "report.duplicates_own", "duplicate",
                refused=("report.duplicates",)))  # fmt: skip
    return table


ROWS = rows()


async def facts_of(bot: BotHarness) -> Facts:
    async with bot.runtime.db.transaction() as session:
        cases = list((await session.execute(select(Case).order_by(Case.id))).scalars())
        row = await session.get(ConversationState, (UID, "report"))
        draft = ReportDraft.from_dict(row.data) if row is not None else None
        return Facts(row.state if row is not None else None, draft, cases)


def test_the_table_covers_both_languages() -> None:
    assert {r.lang for r in ROWS} == {"zh", "en"} and len(ROWS) >= 36


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_row(row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        catalog = bot.runtime.catalog
        for words in row.actions[:-1]:
            await bot.send(UID, words, language_code=CODE[row.lang])
        seen = len(bot.texts(UID))
        await bot.send(UID, row.actions[-1], language_code=CODE[row.lang])
        replies = bot.texts(UID)[seen:]
        # a catalog text's words before its first value ("好的，类型：{case_type}" → "好的，类型：")
        expected = [
            catalog.t(row.lang, key).split("{")[0] if key in catalog.keys() else key  # noqa: SIM118
            for key in row.sees.split("|")
        ]
        assert any(e in r for r in replies for e in expected), replies
        for key in row.refused:
            refused = catalog.t(row.lang, key).split("{")[0]
            assert not any(refused in r for r in replies), replies
        facts = await facts_of(bot)
        assert facts.state == row.state, (facts.state, replies)
        if row.check is not None:
            row.check(facts)
