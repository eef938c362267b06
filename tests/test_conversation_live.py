"""The conversation core through the real `griddesk run`, long-polling the Bot API stand-in
over HTTP: a resident who types instead of tapping, in both languages, with an emoji, a
captioned photo, an edit and a double "submit" on the way. The same behaviour the in-process
table (tests/test_conversation_table.py) checks row by row, end to end once.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from devtools.local_api import LocalBotApi, serve_http
from storage.db import Database
from storage.models import Attachment, Case
from tests.live import Inbox, Messages, start_bot, text_of, wait_until_answering

QUIET = 0.5  # seconds without a new message: the bot has answered this update in full
JOURNEYS = [
    # lang code, report text, typed yes, typed place, caption, submit label, expected texts
    (
        "zh-hans",
        "路灯坏了，3栋门口黑漆漆的",
        "是的",
        "翠湖苑 3栋",
        "就是这盏灯，灯罩也掉了",
        "✅ 提交",
        {"where": "哪里", "not_understood": "没看懂", "filed": "已登记", "again": "已经提交过"},
    ),
    (
        "en",
        "The street light outside building 3 is broken",
        "yes",
        "Emerald Lake Court",
        "This is the lamp, the cover fell off too",
        "Submit",
        {
            "where": "Where",
            "not_understood": "didn't understand",
            "filed": "GD-",
            "again": "already",
        },
    ),
]


def _longer_than(count: int) -> Callable[[Messages], bool]:
    return lambda messages: len(messages) > count


class Resident:
    def __init__(self, api: LocalBotApi, inbox: Inbox, user_id: int, language_code: str) -> None:
        self.api, self.inbox, self.user_id, self.code = api, inbox, user_id, language_code
        self.sent: list[dict[str, Any]] = []

    async def say(self, update: dict[str, Any], within: float = 30.0) -> Messages:
        """Send, wait for the first answer, then until the bot has been quiet for a moment
        (one update may bring several messages)."""
        since = len(self.inbox.messages(self.user_id))
        self.api.push_update(update)
        got = await self.inbox.wait(self.user_id, since, bool, within)
        while True:
            seen = len(got)
            more = await self.inbox.wait(self.user_id, since, _longer_than(seen), QUIET)
            if len(more) == seen:
                return got
            got = more

    async def type(self, text: str) -> str:
        update = self.api.text_update(self.user_id, text, language_code=self.code)
        self.sent.append(update)
        return "\n".join(text_of(m) for m in await self.say(update))

    async def photo(self, caption: str) -> str:
        update = self.api.photo_update(self.user_id, caption=caption, language_code=self.code)
        return "\n".join(text_of(m) for m in await self.say(update))

    async def edit_first(self, text: str) -> str:
        edited = copy.deepcopy(self.sent[0])
        message = edited.pop("message")
        message["text"], message["edit_date"] = text, message["date"] + 5
        edited["edited_message"] = message
        edited["update_id"] = edited["update_id"] + 100_000
        return "\n".join(text_of(m) for m in await self.say(edited))


@pytest.mark.parametrize("journey", JOURNEYS, ids=["zh", "en"])
async def test_a_typing_resident_files_one_case_over_http(
    journey: tuple[Any, ...], tmp_path: Path, nlu_cache_dir: Path
) -> None:
    code, report, yes, place, caption, submit, expect = journey
    api = LocalBotApi()
    inbox = Inbox(api)
    server = await serve_http(api)
    url = f"sqlite+aiosqlite:///{tmp_path / 'griddesk.sqlite3'}"
    bot = start_bot(server, url, tmp_path, cache_dir=nlu_cache_dir.parent)
    try:
        await wait_until_answering(api, inbox, bot)
        resident = Resident(api, inbox, 5151, code)
        assert await resident.type(report)
        assert expect["not_understood"] in await resident.type("😀")
        assert await resident.edit_first(report + " !!")  # an edit: never a second draft
        assert expect["where"] in await resident.type(yes)
        assert await resident.type(place)
        assert "1/5" in await resident.photo(caption)
        assert expect["filed"] in await resident.type(submit)
        assert expect["again"] in await resident.type(submit)
    finally:
        assert bot.stop() == 0, bot.output()[-3000:]
        await server.close()
    db = Database(url)
    try:
        async with db.transaction() as session:
            cases = list((await session.execute(select(Case))).scalars())
            photos = list((await session.execute(select(Attachment))).scalars())
    finally:
        await db.dispose()
    assert len(cases) == 1, [c.text for c in cases]
    case = cases[0]
    assert case.priority != "urgent" and case.grid_id == "xinji-02"
    assert case.address == place and caption in case.text and "!!" in case.text
    assert len(photos) == 1
