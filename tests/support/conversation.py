"""The resident's report conversation driven through the real Application, for table tests
(tests/test_conversation_table.py, tests/test_typed_probe.py): how each step is reached, what
the store holds, and a runner for typed text, presses, photos, albums, edits and locations."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from services.cases.drafts import ReportDraft
from storage.models import Attachment, Case, ConversationState
from tests.harness import BotHarness

UID = 4242
Action = tuple[Any, ...]
ZH_REPORT = "路灯坏了，3栋门口黑漆漆的"
EN_REPORT = "The street light outside building 3 is broken, it's pitch dark at night"
# Steps a row starts from, per language: the actions that reach them.
REACH: dict[str, dict[str, list[Action]]] = {
    "zh": {
        "none": [],
        "confirm": [("text", ZH_REPORT)],
        "location": [("text", ZH_REPORT), ("press", "对")],
        "details": [("text", ZH_REPORT), ("press", "对"), ("text", "翠湖苑")],
        "emergency": [("text", "楼道里着火了，好多烟")],
        # an alarm at the details step: filed where the report is, "is it there?" asked
        "emergency_here": [
            ("text", ZH_REPORT),
            ("press", "对"),
            ("text", "翠湖苑"),
            ("text", "楼上有个男的在打老婆，一直在喊救命"),
        ],
        "duplicate": [
            *[("text", ZH_REPORT), ("press", "对"), ("text", "翠湖苑"), ("text", "提交")],
            *[("text", ZH_REPORT + "，还是没人修"), ("press", "对"), ("text", "翠湖苑")],
            ("text", "提交"),
        ],
    },
    "en": {
        "none": [],
        "confirm": [("text", EN_REPORT)],
        "location": [("text", EN_REPORT), ("press", "Yes")],
        "details": [("text", EN_REPORT), ("press", "Yes"), ("text", "Emerald Lake Court")],
        "emergency": [("text", "There's a fire in the stairwell, smoke everywhere")],
        "emergency_here": [
            ("text", EN_REPORT),
            ("press", "Yes"),
            ("text", "Emerald Lake Court"),
            ("text", "my neighbour is beating his wife now, she is screaming"),
        ],
        "duplicate": [
            *[("text", EN_REPORT), ("press", "Yes"), ("text", "Emerald Lake Court")],
            ("text", "Submit"),
            *[("text", EN_REPORT + ", still not fixed"), ("press", "Yes")],
            *[("text", "Emerald Lake Court"), ("text", "Submit")],
        ],
    },
}
UNCHANGED = "(unchanged)"
ANY = "(any)"
STATE_OF_STEP = {
    "none": None,
    "confirm": "confirm_type",
    "location": "location",
    "details": "details",
    "emergency": "emergency_location",
    "emergency_here": "emergency_location",
    "duplicate": "duplicate",
}


@dataclass
class Facts:
    cases: list[Case]
    photos: int
    draft: ReportDraft | None
    state: str | None


class Runner:
    def __init__(self, bot: BotHarness, lang: str, uid: int = UID) -> None:
        self.bot, self.lang, self.uid = bot, lang, uid
        self.language_code = "zh-hans" if lang == "zh" else "en"
        self.sent: list[dict[str, Any]] = []  # the resident's own messages, for edits
        self.next_update = 900_000

    async def feed(self, update: dict[str, Any]) -> None:
        await self.bot.feed(update)

    async def run(self, action: Action) -> None:
        bot, api, uid = self.bot, self.bot.api, self.uid
        kind = action[0]
        if kind == "text":
            if action[1].startswith("/"):
                await bot.send(uid, action[1], language_code=self.language_code)
                return
            update = api.text_update(uid, action[1], language_code=self.language_code)
            self.sent.append(update)
            await self.feed(update)
        elif kind == "press":
            await bot.press(uid, action[1])
        elif kind == "photo":
            update = api.photo_update(uid, caption=action[1], language_code=self.language_code)
            self.sent.append(update)
            await self.feed(update)
        elif kind == "sticker":
            update = api.sticker_update(uid, emoji=action[1], language_code=self.language_code)
            self.sent.append(update)
            await self.feed(update)
        elif kind == "contact":
            await self.feed(api.contact_update(uid, action[1], language_code=self.language_code))
        elif kind == "album":
            for _ in range(action[1]):  # one album: one media_group_id
                update = api.photo_update(uid, language_code=self.language_code)
                update["message"]["media_group_id"] = "album-1"
                await self.feed(update)
        elif kind == "edit":
            original = copy.deepcopy(self.sent[action[1]])
            message = original.pop("message")
            message["caption" if "photo" in message else "text"] = action[2]
            message["edit_date"] = message["date"] + 5
            self.next_update += 1
            await self.feed({"update_id": self.next_update, "edited_message": message})
        elif kind == "live":
            lat, lon = bot.runtime.city.grids[action[1]].centre()
            update = api.location_update(uid, lat, lon, language_code=self.language_code)
            update["message"]["location"]["live_period"] = 900
            self.sent.append(update)
            await self.feed(update)
        elif kind == "move":
            moved = copy.deepcopy(self.sent[-1])
            message = moved.pop("message")
            message["location"]["latitude"] += 0.00001
            message["edit_date"] = message["date"] + 30
            self.next_update += 1
            await self.feed({"update_id": self.next_update, "edited_message": message})
        else:
            raise AssertionError(f"unknown action {action!r}")


async def facts_of(bot: BotHarness, uid: int = UID) -> Facts:
    async with bot.runtime.db.transaction() as session:
        cases = list((await session.execute(select(Case).order_by(Case.id))).scalars())
        photos = int(await session.scalar(select(func.count(Attachment.id))) or 0)
        row = await session.get(ConversationState, (uid, "report"))
        draft = ReportDraft.from_dict(row.data) if row is not None else None
        return Facts(cases, photos, draft, row.state if row is not None else None)
