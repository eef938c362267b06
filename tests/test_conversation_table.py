"""The conversation core as a table: every step of the resident's report × the ways people
really answer (typed yes/no and labels, places, captions, emoji, edits, albums, live
locations, explicit emergencies). Each row asserts what the resident sees and what the store
holds afterwards. The real Application on a real SQLite file (PostgreSQL rows marked).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.conversation import (
    ANY,
    EN_REPORT,
    REACH,
    STATE_OF_STEP,
    UID,
    UNCHANGED,
    ZH_REPORT,
    Action,
    Facts,
    Runner,
    facts_of,
)


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    step: str
    actions: list[Action]
    sees: str | None  # a piece of what the resident is sent in reply (None: nothing at all)
    state: str | None = UNCHANGED  # the report draft's state after
    cases: int | None = None  # cases in the store after
    urgent: int | None = None  # urgent cases in the store after
    check: Callable[[Facts], None] | None = field(default=None, compare=False)


def rows() -> list[Row]:
    table: list[Row] = []
    add = table.append
    # Typed yes at the confirm step acts as ✅.
    for lang, word in [
        ("zh", "是的"), ("zh", "是"), ("zh", "对的"), ("zh", "好"), ("zh", "嗯"), ("zh", "对"),
        ("zh", "沒錯"), ("zh", "對"), ("zh", "冇錯"), ("zh", "係呀"),  # traditional, Cantonese
        ("en", "yes"), ("en", "ok"), ("en", "Right"), ("en", "yep"), ("en", "Yes!"),
    ]:  # fmt: skip
        where = "哪里" if lang == "zh" else "Where"
        add(Row(f"yes-{word}", lang, "confirm", [("text", word)], where, "location", 0, 0))
    # Typed no offers another type; nothing is lost.
    for lang, word in [("zh", "不是"), ("zh", "不对"), ("en", "no"), ("en", "Nope")]:
        add(Row(f"no-{word}", lang, "confirm", [("text", word)], None, "confirm_type", 0))
    # A typed button label acts as that button.
    for lang, label in [
        ("zh", "✅ 对，就是这个"), ("zh", "对，就是这个"), ("en", "✅ Yes, that's it"),
        ("en", "yes, that's it"),
    ]:  # fmt: skip
        add(Row(f"label-{label}", lang, "confirm", [("text", label)], None, "location", 0, 0))
    # Places: configured estates with building and flat forms find the grid.
    for lang, place, grid in [
        ("zh", "翠湖苑 3栋", "xinji-02"), ("zh", "我在翠湖苑3栋", "xinji-02"),
        ("zh", "翠湖苑5栋一楼", "xinji-02"), ("zh", "新基大厦2号楼401", "xinji-01"),
        ("zh", "东城路88号", "xinji-02"), ("zh", "翠湖苑3棟", "xinji-02"),  # traditional 棟
        ("en", "Emerald Lake Court", "xinji-02"),
        ("en", "Emerald Lake Court Block 7", "xinji-02"),
        ("en", "flat 401, Xinji Tower", "xinji-01"),
        ("en", "I'm at 88 Dongcheng Road", "xinji-02"), ("en", "emerald lake court", "xinji-02"),
    ]:  # fmt: skip
        add(
            Row(
                f"place-{place}",
                lang,
                "location",
                [("text", place)],
                None,
                "details",
                0,
                0,
                check=_draft_place(grid, place),
            )
        )
    # Alarming-sounding or unknown places are kept as the address, never an emergency.
    for lang, place in [
        ("zh", "消防通道旁"), ("zh", "医院急诊楼门口"), ("zh", "人民路和建设路交叉口"),
        ("zh", "火车站广场"), ("en", "Fire Station Road"), ("en", "Gas Works Lane"),
        ("en", "corner of Renmin Road and Jianshe Road"),
    ]:  # fmt: skip
        add(
            Row(
                f"address-{place}",
                lang,
                "location",
                [("text", place)],
                place,
                "location",
                0,
                0,
                check=_draft_address(place),
            )
        )
    # Explicit emergencies are caught from every step; the open report is kept for later.
    # At the details step the report knows its place: the urgent case is filed there (its
    # staff hear at once), and the resident is asked whether the danger is there.
    for lang, text in [
        ("zh", "楼道里着火了，有人被困"),
        ("en", "fire in the stairwell, people trapped"),
    ]:
        for step in ("none", "confirm", "location", "details"):
            placed = step == "details"
            add(
                Row(
                    f"emergency-{lang}-{step}",
                    lang,
                    step,
                    [("text", text)],
                    "119",
                    "emergency_location",
                    1,
                    1,
                    check=_urgent_in("xinji-02") if placed else _resumes(STATE_OF_STEP[step]),
                )
            )
    # (ninth trial) An answer that goes on to name an emergency: the alarm, not the answer's
    # button ("对" confirmed the type and the man under the tree reached nobody).
    for lang, step, text in [
        ("zh", "confirm", "对，树底下还压着一个人，一动不动"),
        ("zh", "confirm", "不对 等下 我闻到好大的煤气味 隔壁敲门没人应"),
        ("zh", "location", "是的 楼道里着火了 有人下不来"),
        ("en", "confirm", "yes and there's a man trapped under it, he isn't moving"),
        ("en", "confirm", "no wait, there's smoke coming out from under my neighbour's door"),
        ("en", "location", "ok but someone just collapsed here, he's not breathing"),
    ]:
        resumes = _resumes(STATE_OF_STEP[step])
        add(Row(f"answer-then-emergency-{lang}-{text[:12]}", lang, step, [("text", text)],
                "110", "emergency_location", 1, 1, check=resumes))  # fmt: skip
    # ...then "it is there" (typed label, a yes) brings the report back; another place or a pin
    # moves the urgent case to that grid's staff; news about it is no address.
    for lang, answer, grid in [
        ("zh", "就在这里", "xinji-02"), ("zh", "✅ 就在这里", "xinji-02"),
        ("zh", "是的", "xinji-02"),
        ("zh", "不是这里，是在阳光花园2栋", "yangguang-01"),
        ("en", "It's right there", "xinji-02"), ("en", "yes", "xinji-02"),
        ("en", "no, it's at Sunshine Garden block 2", "yangguang-01"),
    ]:  # fmt: skip
        add(Row(f"emergency-here-{lang}-{answer}", lang, "emergency_here", [("text", answer)],
                None, "details", 1, 1, check=_urgent_in(grid, resumed=True)))  # fmt: skip
    # (second trial) "在…" is a place, not a greeting; "it's at …" a place, not a cancel
    for lang, answer, grid in [
        ("zh", "在阳光花园2栋", "yangguang-01"),
        ("en", "it's at Sunshine Garden block 4", "yangguang-01"),
    ]:  # fmt: skip
        add(Row(f"emergency-here-moved-{lang}", lang, "emergency_here", [("text", answer)],
                None, "details", 1, 1, check=_urgent_in(grid, resumed=True)))  # fmt: skip
        add(Row(f"emergency-placed-{lang}", lang, "emergency", [("text", answer)], None, None,
                1, 1, check=_urgent_in(grid, resumed=None)))  # fmt: skip
    # "no" to "is it there?" asks where, and keeps the question open
    for lang, no in [("zh", "不是"), ("en", "no")]:
        add(Row(f"emergency-here-no-{lang}", lang, "emergency_here", [("text", no)],
                "在哪里" if lang == "zh" else "where is it", UNCHANGED, 1, 1,
                check=_urgent_in("xinji-02", resumed=False)))  # fmt: skip
    # standing it down brings the interrupted report back at once
    for lang, calm, yes in [("zh", "不是紧急情况", "是的"), ("en", "not an emergency", "yes")]:
        add(Row(f"emergency-here-calm-{lang}", lang, "emergency_here",
                [("text", calm), ("text", yes)], None, "details", 1, 0))  # fmt: skip
    for lang in ("zh", "en"):
        add(Row(f"emergency-pin-elsewhere-{lang}", lang, "emergency_here",
                [("live", "yangguang-01")], None, "details", 1, 1,
                check=_urgent_in("yangguang-01", resumed=True, address=None)))  # fmt: skip
    for lang, news in [
        ("zh", "打得更凶了，三楼邻居也在喊"),
        ("en", "it's getting worse, the 3rd floor neighbours are shouting too"),
    ]:
        add(Row(f"emergency-news-{lang}", lang, "emergency_here", [("text", news)], None,
                UNCHANGED, 1, 1, check=_urgent_in("xinji-02", words=news)))  # fmt: skip
    # Emoji, stickers-as-text and nonsense never cancel, file or discard (an approving 👍 is a
    # yes where yes is asked: tests/test_trial10_resident_typed.py).
    for lang, text in [("zh", "😀"), ("zh", "🙏🙏"), ("en", "🤔"), ("en", "...")]:
        for step in ("confirm", "location", "details"):
            add(Row(f"emoji-{text}-{step}", lang, step, [("text", text)], None, UNCHANGED, 0, 0))
        add(Row(f"emoji-{text}-none", lang, "none", [("text", text)], None, None, 0, 0))
    # A captioned photo during a report attaches the photo and adds the caption.
    for lang, caption, step in [
        ("zh", "就是这盏灯，灯罩也掉了", "details"), ("zh", "就是这盏灯，灯罩也掉了", "location"),
        ("en", "This is the lamp, the cover fell off too", "details"),
        ("en", "This is the lamp, the cover fell off too", "confirm"),
    ]:  # fmt: skip
        add(
            Row(
                f"caption-{lang}-{step}",
                lang,
                step,
                [("photo", caption, None)],
                "1/5",
                UNCHANGED,
                0,
                check=_photos_and_text(1, caption),
            )
        )
    # Submitting by typing the label, twice fast: one case, then "already filed".
    for lang, label in [("zh", "✅ 提交"), ("zh", "提交"), ("en", "✅ Submit"), ("en", "submit")]:
        add(
            Row(
                f"submit-twice-{label}",
                lang,
                "details",
                [("text", label), ("text", label)],
                "GD-",
                None,
                1,
                0,
                check=_last_reply_is_already_filed,
            )
        )
    # Edits never start a report or an emergency; an edit of the draft's words updates it.
    for lang in ("zh", "en"):
        add(Row(f"edit-draft-{lang}", lang, "confirm", [("edit", 0, "路灯坏了，在5栋门口")],
                None, "confirm_type", 0, 0, check=_draft_text_contains("5栋")))  # fmt: skip
        add(Row(f"edit-old-{lang}", lang, "none", [("text", "你好"), ("edit", 0, "楼道着火了")],
                None, None, 0, 0))  # fmt: skip
        add(Row(f"edit-emergency-{lang}", lang, "emergency", [("edit", 0, "着火了着火了")],
                None, "emergency_location", 1, 1))  # fmt: skip
    # Live locations: the first point is used, later positions are quiet.
    for lang in ("zh", "en"):
        add(Row(f"live-{lang}", lang, "location", [("live", "xinji-02"), ("move",), ("move",)],
                None, "details", 0, 0, check=_draft_place("xinji-02", None)))  # fmt: skip
        add(Row(f"live-none-{lang}", lang, "none", [("live", "xinji-02"), ("move",)], None,
                None, 0, 0))  # fmt: skip
    # Albums: one acknowledgement, every photo kept.
    for lang in ("zh", "en"):
        add(Row(f"album-details-{lang}", lang, "details", [("album", 4, None)], None, "details",
                0, check=_photos_and_text(4, None)))  # fmt: skip
        add(Row(f"album-none-{lang}", lang, "none", [("album", 3, None)], None, "describe", 0,
                check=_photos_and_text(3, None)))  # fmt: skip
    # After an emergency: /cancel says what becomes of the urgent case and, while it has no
    # place yet, still asks where it is (a place typed next is the urgent case's).
    # "Not an emergency" asks once more; then its place is no longer asked (on every /desk).
    for lang, calm, yes in [("zh", "不是紧急情况", "是的"), ("en", "not an emergency", "yes")]:
        add(Row(f"cancel-after-emergency-{lang}", lang, "emergency", [("text", "/cancel")],
                "110", "emergency_location", 1, 1))  # fmt: skip
        add(Row(f"calm-{lang}", lang, "emergency", [("text", calm), ("text", yes)], None,
                None, 1, 0))  # fmt: skip
    # A clearly new report while one is open asks; a question gets answered and the step
    # comes back; "It's a question" moves the words to the FAQ path.
    add(Row("new-while-open-zh", "zh", "confirm", [("text", "楼下的垃圾三天没人收了，臭死了")],
            None, "confirm_type", 0, check=_pending))  # fmt: skip
    add(Row("new-while-open-en", "en", "confirm",
            [("text", "Rubbish has not been collected for three days and it stinks")], None,
            "confirm_type", 0, check=_pending))  # fmt: skip
    add(Row("question-zh", "zh", "confirm", [("text", "请问办居住证要带什么材料？")], None,
            "confirm_type", 0))  # fmt: skip
    # (a street light matches no service question: that is said, never an empty "which?")
    add(Row("its-a-question-zh", "zh", "confirm", [("text", "我是想问问题")],
            "没找到对应的办事问题", None, 0))  # fmt: skip
    add(Row("its-a-question-en", "en", "confirm", [("text", "It's a question")],
            "could not match that", None, 0))  # fmt: skip
    # Typed cancel labels and words always work: they ask first (the draft holds the
    # resident's words), and a typed yes cancels.
    for lang, word in [("zh", "✖ 取消"), ("zh", "取消"), ("en", "Cancel")]:
        yes = "是的" if lang == "zh" else "yes"
        for step in ("location", "details"):
            add(Row(f"cancel-{word}-{step}", lang, step, [("text", word)], None, UNCHANGED, 0,
                    0, check=_kept_open))  # fmt: skip
            add(Row(f"cancel-{word}-yes-{step}", lang, step, [("text", word), ("text", yes)],
                    None, None, 0, 0))  # fmt: skip
    # What is typed at the place step but is not a place: the step asks again, no address.
    for lang, text in [
        ("zh", "ok"), ("zh", "提交"), ("zh", "✅ 提交"), ("zh", "🙏"), ("zh", "发送我的位置"),
        ("zh", "请问办居住证要带什么材料？"), ("zh", "楼下有人乱停车，把出口都堵住了"),
        ("en", "submit"), ("en", "👍👍"), ("en", "is there money for old people?"),
        ("en", "Someone dumped an old sofa by the bins and it's blocking the path"),
    ]:  # fmt: skip
        add(Row(f"not-a-place-{text}", lang, "location", [("text", text)], None, "location", 0,
                0, check=_no_address))  # fmt: skip
    # What is typed at the details step but is not more about the problem is not appended.
    for lang, text in [
        ("zh", "请问办居住证要带什么材料？"),
        ("zh", "🙂"),
        ("en", "thanks!"),
        ("en", "😅"),
    ]:
        add(Row(f"details-aside-{text}", lang, "details", [("text", text)], None, "details", 0,
                check=_text_unchanged))  # fmt: skip
    for lang, word in [("zh", "好了"), ("zh", "好"), ("en", "ok"), ("en", "done")]:
        add(Row(f"details-done-{word}", lang, "details", [("text", word)], "GD-", None, 1, 0))
    # After an emergency, a new report is not taken as the emergency's place: it starts as
    # itself (the urgent case is filed, not a half-written report to continue).
    for lang, text in [
        ("zh", "翠湖苑的路灯坏了好几天了，晚上很黑"),
        ("en", "The street light at Emerald Lake Court has been broken for days"),
    ]:  # fmt: skip
        add(Row(f"emergency-then-report-{lang}", lang, "emergency", [("text", text)], None,
                "confirm_type", 1, 1, check=_new_report_urgent_unplaced(text)))  # fmt: skip
    # A caption edited after it was sent replaces its own words, nothing else.
    for lang, caption, edited in [
        ("zh", "灯罩", "灯罩掉了，还有电线露出来"), ("en", "light", "close-up of the pole"),
    ]:  # fmt: skip
        add(Row(f"edit-caption-{lang}", lang, "details", [("photo", caption, None),
                ("edit", -1, edited)], None, "details", 0,
                check=_caption_edited(caption, edited)))  # fmt: skip
    # An album over the photo limit: five kept, one clear answer about the rest.
    for lang in ("zh", "en"):
        add(Row(f"album-over-{lang}", lang, "details", [("album", 7, None)], "5", "details", 0,
                check=_photos_and_text(5, None)))  # fmt: skip
    # The duplicate question: a typed submit shows it again; typed labels answer it.
    for lang, again, file_new in [
        ("zh", "提交", "不是，单独登记"),
        ("en", "Submit", "No, file it separately"),
    ]:
        add(Row(f"duplicate-again-{lang}", lang, "duplicate", [("text", again)], None,
                "duplicate", 1))  # fmt: skip
        add(Row(f"duplicate-typed-{lang}", lang, "duplicate", [("text", again),
                ("text", file_new)], "GD-", None, 2))  # fmt: skip
    # A contact or a location shared before the step that asks for it is kept, not refused.
    for lang in ("zh", "en"):
        add(Row(f"contact-early-{lang}", lang, "confirm", [("contact", "+8613800138000")],
                None, "confirm_type", 0, check=_phone_kept))  # fmt: skip
        add(Row(f"location-early-{lang}", lang, "confirm", [("live", "xinji-02"),
                ("text", "是的" if lang == "zh" else "yes")], None, "details", 0,
                check=_draft_place("xinji-02", None)))  # fmt: skip
    # /cancel of a report an emergency interrupted says the urgent case stays.
    for lang, place in [("zh", "翠湖苑"), ("en", "Emerald Lake Court")]:
        text = "楼道里着火了，有人被困" if lang == "zh" else "fire in the stairwell, people trapped"
        add(Row(f"cancel-resumed-{lang}", lang, "confirm", [("text", text), ("text", place),
                ("text", "/cancel")], "GD-", None, 1, 1))  # fmt: skip
    # Typed parts of a label, chained yes words, and words the model reads as "cancel".
    for lang, new, keep in [
        ("zh", "楼下的垃圾三天没人收了，臭死了", "继续"),
        ("en", "Rubbish has not been collected for three days and it stinks", "continue"),
    ]:  # fmt: skip
        add(Row(f"continue-typed-{lang}", lang, "confirm", [("text", new), ("text", keep)],
                None, "confirm_type", 0, check=_kept_open))  # fmt: skip
    for lang, word in [("en", "continue"), ("en", "never mind"), ("zh", "算了")]:
        add(Row(f"cancel-words-ask-{word}", lang, "confirm", [("text", word)], None,
                "confirm_type", 0, check=_kept_open))  # fmt: skip
    for lang, words in [
        ("zh", "是的没错"),
        ("zh", "对对对"),
        ("en", "yes sure"),
        ("en", "ok right"),
    ]:
        add(Row(f"yes-chained-{words}", lang, "confirm", [("text", words)], None, "location",
                0))  # fmt: skip
    # A known place typed before the type is confirmed is kept; the place step is skipped.
    for lang, place, yes in [
        ("zh", "翠湖苑2号楼401", "对"),
        ("en", "Emerald Lake Court Block 7", "yes"),
    ]:
        add(Row(f"place-early-{lang}", lang, "confirm", [("text", place), ("text", yes)],
                None, "details", 0, check=_draft_place("xinji-02", place)))  # fmt: skip
    # More words about an emergency, and its map pin, join the urgent case already open.
    for lang, place, more in [
        ("zh", "翠湖苑", "孩子被锁在车里了，快来人"),
        ("en", "Emerald Lake Court", "a kid is locked in a hot car, hurry"),
    ]:  # fmt: skip
        add(Row(f"emergency-more-{lang}", lang, "emergency", [("text", place), ("text", more),
                ("live", "xinji-02")], None, None, 1, 1, check=_urgent_has_point))  # fmt: skip
    # Chat that only sounds alarming files no urgent case.
    for lang, text in [("zh", "师傅很快"), ("en", "it took too long")]:
        add(Row(f"no-alarm-{text}", lang, "none", [("text", text)], None, ANY, None, 0))
    # An edit of the typed place corrects the place (a known estate moves the grid).
    for lang, place, corrected, grid in [
        ("zh", "翠湖苑 5栋", "新基大厦 6栋", "xinji-01"),
        ("en", "Emerald Lake Court", "Xinji Tower flat 2", "xinji-01"),
    ]:  # fmt: skip
        add(Row(f"edit-place-{lang}", lang, "location", [("text", place), ("edit", -1, corrected)],
                None, "details", 0, check=_draft_place(grid, corrected)))  # fmt: skip
    for lang, words in [("en", "yes that is right"), ("en", "yes it is")]:
        add(Row(f"yes-joined-{words}", lang, "confirm", [("text", words)], None, "location", 0))
    # A community named by its start picks the community (then the grid).
    for lang, name in [("en", "Xinji"), ("zh", "新基")]:
        add(Row(f"community-start-{name}", lang, "location", [("text", name)],
                "Xinji Community" if lang == "en" else "新基社区", "location", 0,
                check=_community("xinji")))  # fmt: skip
    # A place name in the other script does not switch the resident's language.
    add(Row("language-kept-en", "en", "location", [("text", "翠湖苑 3栋")], "Location confirmed",
            "details", 0))  # fmt: skip
    # A typed "ok" keeps a Chinese resident's Chinese.
    add(Row("language-kept-zh", "zh", "location", [("text", "ok")], "位置", "location", 0))
    return table


def _community(community_id: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.draft.community_id == community_id

    return check


def _kept_open(facts: Facts) -> None:
    assert facts.draft is not None and facts.draft.pending is None
    assert facts.draft.text in (ZH_REPORT, EN_REPORT)


def _urgent_has_point(facts: Facts) -> None:
    (case,) = facts.cases
    assert case.latitude is not None and ("锁在车里" in case.text or "locked" in case.text)


def _no_address(facts: Facts) -> None:
    assert facts.draft is not None and facts.draft.address is None and facts.draft.grid_id is None


def _text_unchanged(facts: Facts) -> None:
    assert facts.draft is not None and facts.draft.text in (ZH_REPORT, EN_REPORT)


def _new_report_urgent_unplaced(text: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert [c.address for c in facts.cases] == [None]
        assert facts.draft is not None and facts.draft.pending is None
        assert facts.draft.text == text and not facts.draft.emergency

    return check


def _caption_edited(caption: str, edited: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None
        lines = facts.draft.text.split("\n")
        assert lines[0] in (ZH_REPORT, EN_REPORT), lines
        assert lines[-1] == edited and caption not in lines, lines

    return check


def _phone_kept(facts: Facts) -> None:
    assert facts.draft is not None and facts.draft.contact_phone == "+8613800138000"


def _draft_place(grid: str, address: str | None) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.draft.grid_id == grid
        if address is not None:
            assert facts.draft.address == address
        assert facts.draft.case_type == "public_facility"
        assert "路灯" in facts.draft.text or "street light" in facts.draft.text

    return check


def _draft_address(address: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.draft.address == address
        assert facts.draft.grid_id is None

    return check


def _urgent_in(
    grid: str, *, resumed: bool | None = False, words: str = "", address: str | None = ANY
) -> Callable[[Facts], None]:
    """The urgent case is in `grid` (its address not replaced by news); `resumed`: the report
    it interrupted is back; `words`: they joined the urgent case."""

    def check(facts: Facts) -> None:
        urgent = next(c for c in facts.cases if c.priority == "urgent")
        assert urgent.grid_id == grid, urgent.grid_id
        assert words in urgent.text and (not words or words not in (urgent.address or ""))
        assert address == ANY or urgent.address == address, urgent.address  # a pin elsewhere
        if resumed is not None:  # None: no report was interrupted, nothing to come back
            assert facts.draft is not None and facts.draft.emergency is not resumed

    return check


def _urgent_placed(facts: Facts) -> None:
    urgent = next(c for c in facts.cases if c.priority == "urgent")
    assert urgent.grid_id is not None and facts.draft is not None and not facts.draft.emergency


def _resumes(state: str | None) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and facts.draft.emergency
        if state is None:
            assert facts.draft.resume is None
        else:
            assert facts.draft.resume is not None and facts.draft.resume["state"] == state

    return check


def _photos_and_text(count: int, caption: str | None) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and len(facts.draft.photo_file_ids) == count
        assert len(set(facts.draft.photo_file_ids)) == count
        if caption is not None:
            assert caption in facts.draft.text

    return check


def _draft_text_contains(piece: str) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and piece in facts.draft.text

    return check


def _last_reply_is_already_filed(facts: Facts) -> None:
    assert len(facts.cases) == 1


def _pending(facts: Facts) -> None:
    assert facts.draft is not None and facts.draft.pending is not None
    assert "路灯" in facts.draft.text or "street light" in facts.draft.text


ROWS = rows()


def test_the_table_is_big_enough() -> None:
    assert len(ROWS) >= 80
    assert {r.lang for r in ROWS} == {"zh", "en"}


async def _play(bot: BotHarness, row: Row) -> None:
    runner = Runner(bot, row.lang)
    for action in REACH[row.lang][row.step]:
        await runner.run(action)
    before = await facts_of(bot)
    assert before.state == STATE_OF_STEP[row.step], bot.texts(UID)
    seen = len(bot.texts(UID))
    for action in row.actions:
        await runner.run(action)
    replies = bot.texts(UID)[seen:]
    after = await facts_of(bot)
    if row.sees is None:
        pass
    else:
        assert any(row.sees in r for r in replies), replies
    if row.state == UNCHANGED:
        assert after.state == before.state, (after.state, replies)
    elif row.state != ANY:
        assert after.state == row.state, (after.state, replies)
    if row.cases is not None:
        assert len(after.cases) == row.cases, [c.text for c in after.cases]
    if row.urgent is not None:
        assert sum(c.priority == "urgent" for c in after.cases) == row.urgent
    if row.check is not None:
        row.check(after)
    # Whatever happened, the resident was answered (edits of live locations excepted).
    if not all(a[0] == "move" for a in row.actions):
        assert replies, "the resident got no answer"


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_row(row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any) -> None:
    settings = make_settings(sqlite_url, tmp_path)
    async with BotHarness.start(settings, nlu=embedded_nlu) as bot:
        await _play(bot, row)


POSTGRES_ROWS = [r for r in ROWS if r.id.startswith(("album", "submit-twice", "emergency-zh"))]


@pytest.mark.postgres
@pytest.mark.parametrize("row", POSTGRES_ROWS, ids=[r.id for r in POSTGRES_ROWS])
async def test_row_on_postgres(row: Row, tmp_path: Any, embedded_nlu: Any) -> None:
    from tests.conftest import (
        create_postgres_database,
        drop_postgres_database,
        postgres_url_or_skip,
    )

    base = postgres_url_or_skip()
    url = await create_postgres_database(base)
    try:
        async with BotHarness.start(make_settings(url, tmp_path), nlu=embedded_nlu) as bot:
            await _play(bot, row)
    finally:
        await drop_postgres_database(base, url)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_moving_live_location_is_quiet_and_not_a_flood(
    lang: str, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    """Thirty positions of a live location within a minute, with a flood limit of five:
    the first point places the report, the rest are neither answered nor counted."""
    settings = make_settings(sqlite_url, tmp_path, rate_limit_per_minute=5)
    async with BotHarness.start(settings, nlu=embedded_nlu) as bot:
        runner = Runner(bot, lang)
        for action in REACH[lang]["location"]:
            await runner.run(action)
        await runner.run(("live", "xinji-02"))
        seen = len(bot.texts(UID))
        for _ in range(30):
            await runner.run(("move",))
        assert bot.texts(UID)[seen:] == []
        await runner.run(("text", "提交" if lang == "zh" else "Submit"))
        replies = bot.texts(UID)[seen:]
        assert any("GD-" in r for r in replies), replies
        flood = bot.runtime.catalog.t(lang, "error.flood")
        assert flood not in replies
        facts = await facts_of(bot)
        assert len(facts.cases) == 1 and facts.cases[0].grid_id == "xinji-02"


@pytest.mark.parametrize(
    ("lang", "cry"),
    [
        ("zh", "救命 我老公晕倒了 没有呼吸"),
        ("en", "HELP my husband collapsed and isn't breathing"),
        ("en", "help Block 7"),  # a call with only a place: read with the places set aside
    ],
)
async def test_a_call_for_help_past_the_flood_limit_still_gets_the_numbers(
    lang: str, cry: str, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    """A panicking resident types fast: with a flood limit of five, the sixth and seventh
    messages are held back (one warning), but a call for help after them is not."""
    settings = make_settings(sqlite_url, tmp_path, rate_limit_per_minute=5)
    async with BotHarness.start(settings, nlu=embedded_nlu) as bot:
        runner = Runner(bot, lang)
        for n in range(7):
            await runner.run(("text", f"你好 {n}" if lang == "zh" else f"hello {n}"))
        flood = bot.runtime.catalog.t(lang, "error.flood")
        assert bot.texts(UID).count(flood) == 1
        seen = len(bot.texts(UID))
        await runner.run(("text", cry))
        replies = bot.texts(UID)[seen:]
        assert replies and "120" in replies[0], replies
        facts = await facts_of(bot)
        assert [c.priority for c in facts.cases] == ["urgent"]
