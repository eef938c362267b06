"""Text fitting to Telegram's limits (bot/telegram_limits.py): UTF-16 units, never half an
emoji, an ellipsis when something was cut."""

from __future__ import annotations

import pytest

from bot.telegram_limits import (
    ELLIPSIS,
    MAX_CAPTION,
    MAX_TEXT,
    MAX_TOAST,
    PING_EXCERPT,
    CallbackDataTooLong,
    checked_callback_data,
    excerpt,
    fit,
    fit_caption,
    fit_text,
    fit_toast,
    split_text,
    utf16_len,
)


@pytest.mark.parametrize(
    ("text", "units"), [("", 0), ("abc", 3), ("路灯", 2), ("🔥", 2), ("a🔥b", 4)]
)
def test_utf16_len(text: str, units: int) -> None:
    assert utf16_len(text) == units


@pytest.mark.parametrize(
    ("text", "limit", "fitted"),
    [
        ("hello", 5, "hello"),  # fits: unchanged
        ("hello world", 8, "hello w…"),
        ("hello world", 7, "hello…"),  # the space before the cut goes
        ("路灯坏了很久了", 4, "路灯坏…"),
        ("ab🔥cd", 4, "ab…"),  # the emoji would be cut in half: it goes whole
        ("ab🔥cd", 5, "ab🔥…"),
    ],
)
def test_fit(text: str, limit: int, fitted: str) -> None:
    assert fit(text, limit) == fitted
    assert utf16_len(fit(text, limit)) <= limit


def test_the_limits_of_texts_captions_and_toasts() -> None:
    long = "路" * 5000
    assert utf16_len(fit_text(long)) == MAX_TEXT and fit_text(long).endswith(ELLIPSIS)
    assert utf16_len(fit_caption(long)) == MAX_CAPTION
    assert len(fit_toast(long)) == MAX_TOAST and fit_toast(long).endswith(ELLIPSIS)
    assert fit_toast("ok") == "ok"


def test_excerpt_says_whether_it_shortened() -> None:
    assert excerpt("路灯坏了") == ("路灯坏了", False)
    quoted, shortened = excerpt("路" * (PING_EXCERPT + 1))
    assert shortened and utf16_len(quoted) == PING_EXCERPT


@pytest.mark.parametrize(
    ("data", "ok"), [("wk:acc:1", True), ("x" * 64, True), ("x" * 65, False), ("", False),
                     ("案" * 22, False)]
)  # fmt: skip
def test_checked_callback_data(data: str, ok: bool) -> None:
    if ok:
        assert checked_callback_data(data) == data
    else:
        with pytest.raises(CallbackDataTooLong):
            checked_callback_data(data)


def test_split_text_cuts_at_a_break_and_loses_nothing() -> None:
    text = "\n".join(f"第{i}行" + "路" * 30 for i in range(400))
    pieces = split_text(text, 1000)
    assert "".join(pieces) == text
    assert all(utf16_len(p) <= 1000 for p in pieces) and len(pieces) > 1
    assert all(p.endswith("\n") for p in pieces[:-1])  # cut after a line break
    # with spaces nearer the limit than the last line break, the cut is after a space
    words = split_text("路路 " * 40, 100)
    assert all(p.endswith(" ") for p in words[:-1]) and "".join(words) == "路路 " * 40


def test_split_text_never_halves_an_emoji() -> None:
    text = "🔥" * 10
    pieces = split_text(text, 5)
    assert "".join(pieces) == text and pieces[0] == "🔥🔥"
    assert split_text("") == [""] and split_text("short") == ["short"]
