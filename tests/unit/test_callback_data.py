"""The one callback-data codec: what buttons carry and how a press is read back."""

from __future__ import annotations

import pytest

from bot.callback_data import MAX_BYTES, BadCallbackData, CallbackData, button_data


@pytest.mark.parametrize(
    ("built", "data", "prefix", "action", "args"),
    [
        (("wk", "acc", 123), "wk:acc:123", "wk", "acc", ("123",)),
        (
            ("rep", "type", "a1b2c3", "noise"),
            "rep:type:a1b2c3:noise",
            "rep",
            "type",
            ("a1b2c3", "noise"),
        ),
        (("faq", "staff"), "faq:staff", "faq", "staff", ()),
        (("menu", "report"), "menu:report", "menu", "report", ()),
        (("lang", "zh"), "lang:zh", "lang", "zh", ()),
        (("em", "calm", 7), "em:calm:7", "em", "calm", ("7",)),
    ],
)
def test_round_trip(
    built: tuple[object, ...], data: str, prefix: str, action: str, args: tuple[str, ...]
) -> None:
    assert button_data(*built) == data  # type: ignore[arg-type]
    decoded = CallbackData.decode(data)
    assert (decoded.prefix, decoded.action, decoded.args) == (prefix, action, args)
    assert decoded.encode() == data


@pytest.mark.parametrize(
    "parts",
    [("wk", "acc", "1:2"), ("rep", "x" * MAX_BYTES), ("co", "j", "案" * 22)],
    ids=["separator-inside", "too-long", "too-long-multibyte"],
)
def test_data_telegram_would_refuse_is_refused_where_it_is_built(parts: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        button_data(*parts)


@pytest.mark.parametrize(
    ("data", "read"),
    [("wk:acc:abc", "int"), ("wk:acc", "arg"), ("", "decode"), ("x" * 65, "decode")],
)
def test_forged_data_is_a_clear_error(data: str, read: str) -> None:
    with pytest.raises(BadCallbackData):
        decoded = CallbackData.decode(data)
        if read == "int":
            decoded.int_arg(0)
        elif read == "arg":
            decoded.arg(0)
