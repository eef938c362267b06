"""Typed answers (handlers/typed.py), the pure part: folding labels, yes/no phrases, and which
shown button a typed text presses, given the memory of shown keyboards as a plain dict."""

from __future__ import annotations

from typing import Any

import pytest

from bot.i18n import Catalog
from handlers.typed import (
    AMBIGUOUS,
    Labels,
    answer_of,
    exact_presses,
    fold,
    is_label,
    typed_press,
)


@pytest.fixture(scope="module")
def labels(catalog: Catalog) -> Labels:
    return Labels(catalog)


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("✅ 提交", "提交"),
        ("✅提交", "提交"),
        ("  Yes, that's it! ", "yesthatsit"),
        ("ＯＫ", "ok"),  # full-width
        ("👍", ""),
    ],
)
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded


ANSWERS = [
    ("是", "yes"),
    ("是的没错", "yes"),  # phrases chain
    ("好的 ok", "yes"),
    ("yes that is right", "yes"),  # connectors join an answer
    ("Yeah!", "yes"),
    ("不是", "no"),
    ("不对不对", "no"),
    ("nope", "no"),
    ("not really", "no"),
    ("it is", None),  # connectors alone are no answer
    ("了", None),
    ("", None),
    ("maybe", None),
    ("是不是", None),  # a question, neither
    ("yes no", None),
    ("路灯坏了", None),
    # particles and fillers change nothing; more words for yes and no
    ("好的呀", "yes"),
    ("是呀", "yes"),
    ("OK的", "yes"),
    ("ok啦", "yes"),
    ("嗯呐", "yes"),
    ("没问题", "yes"),
    ("sure thing", "yes"),
    ("absolutely", "yes"),
    ("不是啦", "no"),
    ("不对哦", "no"),
    ("不是这个", "no"),
    ("类型不对", "no"),
    ("no it isn't", "no"),
    ("nah", "no"),
    ("not this one", "no"),
    ("这个", None),  # words that only join an answer are none alone
    ("啦", None),
    ("not working", None),
    ("ok lah", "yes"),  # Singlish particles change nothing either
]


@pytest.mark.parametrize(("typed", "answer"), ANSWERS)
def test_answer_of(typed: str, answer: str | None) -> None:
    assert answer_of(typed) == answer


def test_is_label() -> None:
    assert is_label("提交", {"✅ 提交", "✖ 取消"})
    assert is_label("✅ SUBMIT", {"✅ Submit"})
    assert not is_label("提交吧", {"✅ 提交"})
    assert not is_label("✅", {"✅ 提交"})  # nothing left after folding


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("提交吧", "button.submit"),
        ("submit please", "button.submit"),
        ("请提交吧", "button.submit"),
        ("submit吧", "button.submit"),
        ("提交 please", "button.submit"),
        ("不是紧急情况哦", "button.not_emergency"),
        ("提交了一个问题", None),  # more than fillers around the label
        ("请", None),
    ],
)
def test_a_label_with_fillers_around_it_is_the_label(
    labels: Labels, typed: str, key: str | None
) -> None:
    assert labels.key_of(typed) == key
    assert (key is not None and labels.means(typed, key)) is (key is not None)


def test_labels_know_keys_roles_and_wrapped_answers(labels: Labels) -> None:
    assert labels.key_of("提交") == labels.key_of("submit") == "button.submit"
    assert labels.key_of("路灯坏了") is None
    assert labels.means("✅ Fixed", "button.fixed") and labels.means("解决了", "button.fixed")
    assert labels.role_of("✅ 对，就是这个") == "yes"
    assert labels.role_of("❌ Not fixed") == "no"
    assert labels.role_of("✅ 提交") is None
    assert labels.is_typed_answer("是的，已经解决了")  # a label wrapped in yes words
    assert labels.is_typed_answer("yes it is fixed")
    assert not labels.is_typed_answer("3栋门口路灯坏了")


CONFIRM = [["✅ 对，就是这个", "rep:ok:t1"], ["✏️ 不是，换一个类型", "rep:type:t1"]]
DUPLICATE = [["✅ 对，就是这个", "dup:join:7"], ["不是，单独登记", "dup:new:7"]]
SUBMIT = [["✅ Submit", "rep:submit:t1"], ["✖ Cancel", "rep:cancel:t1"]]
BOTH_YES = [["✅ 对，就是这个", "a"], ["✅ 解决了", "b"]]
ONE_SIMILAR = [["是这件：GD-2026-000007", "dup:join:7"], ["不是，单独登记", "dup:new:7"]]
TWO_SIMILAR = [["Yes, it's GD-2026-000007", "dup:join:7"],
               ["Yes, it's GD-2026-000008", "dup:join:8"],
               ["No, file it separately", "dup:new:7"]]  # fmt: skip
GRADES = [["😊 Satisfied", "ev:s"], ["🙂 Basically satisfied", "ev:b"], ["🙁 Unsatisfied", "ev:u"]]


def memory(*keyboards: list[list[str]], current: bool = True) -> dict[str, Any]:
    return {"keyboards": list(keyboards), "current": current}


PRESSES = [
    # (memory, typed, pressed)
    (memory(SUBMIT), "✅ Submit", "rep:submit:t1"),  # its exact label
    (memory(SUBMIT), "提交", "rep:submit:t1"),  # the label in the other language
    (memory(CONFIRM, SUBMIT, current=False), "cancel", "rep:cancel:t1"),  # an older keyboard
    (memory(CONFIRM), "是的", "rep:ok:t1"),  # yes: the one yes-button
    (memory(CONFIRM), "不是", "rep:type:t1"),  # no: the one no-button
    (memory(CONFIRM, current=False), "是的", None),  # replaced: a yes answers nothing
    (memory(BOTH_YES), "是的", AMBIGUOUS),  # two yes-buttons: ask which, press none
    (memory(TWO_SIMILAR), "yes", AMBIGUOUS), (memory(TWO_SIMILAR), "same", AMBIGUOUS),
    (memory(ONE_SIMILAR), "yes please", "dup:join:7"),  # "please" only joins the answer
    (memory(ONE_SIMILAR), "对，是同一件事", "dup:join:7"),  # its other words, with a yes
    (memory(ONE_SIMILAR), "the same problem", "dup:join:7"),
    (memory(ONE_SIMILAR), "不是", "dup:new:7"),
    (memory(DUPLICATE), "单独登记", "dup:new:7"),  # a part naming one button
    (memory(DUPLICATE), "登", None),  # too short a part
    (memory(SUBMIT), "路灯坏了", None),
    (memory(), "是的", None),  # nothing shown
    (memory(SUBMIT), "", None),
    # A grade typed in other words ("<x>.typed.<y>" in the catalog), fillers around them.
    (memory(GRADES), "还行吧，基本满意", "ev:b"), (memory(GRADES), "还行", "ev:b"),
    (memory(GRADES), "一般般吧", "ev:b"), (memory(GRADES), "很满意，谢谢", "ev:s"),
    (memory(GRADES), "挺好的", "ev:s"), (memory(GRADES), "不太满意", "ev:u"),
    (memory(GRADES), "差评", "ev:u"), (memory(GRADES), "not satisfied", "ev:u"),
    (memory(GRADES), "I think it was fine", "ev:b"), (memory(GRADES), "not bad", "ev:b"),
    (memory(GRADES), "bad", "ev:u"), (memory(GRADES), "very happy thanks", "ev:s"),
    (memory(GRADES), "不还行", None),  # a negated word is no grade
    (memory(GRADES), "poor service", None),  # more than the grade's words: not read as one
    (memory(GRADES, current=False), "还行", None),  # replaced: other words answer nothing
]  # fmt: skip


@pytest.mark.parametrize(("shown", "typed", "pressed"), PRESSES)
def test_typed_press(
    labels: Labels, shown: dict[str, Any], typed: str, pressed: str | None
) -> None:
    assert typed_press(labels, shown, typed) == pressed


DESK = [["👤 Reassign GD-1", "sv:pick:1"], ["🏛️ Forward", "fw:f:1"],
        ["👤 Reassign GD-2", "sv:pick:2"], ["🏛️ Forward", "fw:f:2"]]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "presses", "pressed"),
    [
        ("🏛️ Forward", ["fw:f:1", "fw:f:2"], None),  # one label per listed case: ask which
        ("forward", ["fw:f:1", "fw:f:2"], None),
        ("👤 Reassign GD-2", ["sv:pick:2"], "sv:pick:2"),  # a label naming its case is one
        ("Escalate", [], None),
    ],
)
def test_a_label_several_buttons_carry_presses_none(
    labels: Labels, typed: str, presses: list[str], pressed: str | None
) -> None:
    assert exact_presses(labels, [DESK], typed) == presses
    assert typed_press(labels, memory(DESK), typed) == pressed
