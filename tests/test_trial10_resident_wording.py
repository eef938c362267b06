"""Tenth newcomer trial, item 4: the details step said "再发一张照片" (send ANOTHER photo) before
any photo was sent. The kind: a step's words that depend on what the draft holds must follow
it: the details prompt (handlers.report_steps.details_prompt) says "send a photo" with none,
"another" with some (how many), and asks for none at the limit, wherever the step is shown
(reached, or shown again after an aside). Both languages; each row asserts what the resident
sees and the photos the draft holds. The real Application on a real SQLite file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.conversation import Facts
from tests.support.resident_rows import Row, play

PHOTO = ("photo", None)
TO_DETAILS = {"zh": [("press", "对"), ("text", "翠湖苑")],
              "en": [("press", "Yes"), ("text", "Emerald Lake Court")]}  # fmt: skip


def _photos(count: int) -> Callable[[Facts], None]:
    def check(facts: Facts) -> None:
        assert facts.draft is not None and len(facts.draft.photo_file_ids) == count

    return check


ROWS = [
    # no photo yet: "send a photo", never "another"
    Row("zh-none", "zh", "location", [("text", "翠湖苑")], sees=("可以发一张照片",),
        never=("再发",), state="details", check=_photos(0)),
    Row("en-none", "en", "location", [("text", "Emerald Lake Court")],
        sees=("You can send a photo",), never=("another",), state="details", check=_photos(0)),
    # a photo sent at "is it this type?": the details step counts it
    Row("zh-one", "zh", "confirm", [PHOTO, *TO_DETAILS["zh"]], sees=("已经有 1 张照片", "再发一张"),
        state="details", check=_photos(1)),
    Row("en-one", "en", "confirm", [PHOTO, *TO_DETAILS["en"]],
        sees=("You have 1 photo so far", "send another"), state="details", check=_photos(1)),
    Row("zh-two", "zh", "confirm", [PHOTO, PHOTO, *TO_DETAILS["zh"]], sees=("已经有 2 张照片",),
        state="details", check=_photos(2)),
    Row("en-two", "en", "confirm", [PHOTO, PHOTO, *TO_DETAILS["en"]],
        sees=("You have 2 photos so far",), state="details", check=_photos(2)),
    # at the limit: no more asked for
    Row("zh-full", "zh", "confirm", [("album", 5), *TO_DETAILS["zh"]],
        sees=("已经有 5 张照片",), never=("再发", "可以发一张"), state="details", check=_photos(5)),
    Row("en-full", "en", "confirm", [("album", 6), *TO_DETAILS["en"]],
        sees=("You have 5 photos",), never=("send a photo", "send another"), state="details",
        check=_photos(5)),
    # shown again after an aside, the words still count the photos
    Row("zh-again-after-photo", "zh", "details", [PHOTO, ("text", "🤔")],
        sees=("已经有 1 张照片",), state="details", check=_photos(1)),
    Row("en-again-without-photo", "en", "details", [("text", "🤔")],
        sees=("You can send a photo",), never=("another",), state="details", check=_photos(0)),
    # a report that began with a photo
    Row("zh-photo-first", "zh", "none", [PHOTO, ("text", "路灯坏了，3栋门口黑漆漆的"),
        *TO_DETAILS["zh"]], sees=("已经有 1 张照片",), never=("可以发一张",), state="details",
        check=_photos(1)),
]  # fmt: skip


def test_both_languages_and_enough_rows() -> None:
    assert {r.lang for r in ROWS} == {"zh", "en"} and len(ROWS) >= 8


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_the_photo_prompt_follows_the_photos_held(
    row: Row, sqlite_url: str, tmp_path: Any, embedded_nlu: Any
) -> None:
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as bot:
        await play(bot, row)
