"""What the console shows: every Bot API call the bot makes, one labelled line per message.

The view listens to the stand-in (``LocalBotApi.add_listener``), so a message appears the
moment the bot sends it, whoever it is for. Inline buttons get numbers that stay valid until
their message is edited or deleted, so any earlier message's buttons can be pressed; reply
keyboards are kept per chat. Photos and documents the bot sends are saved under a folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devtools.local_api.calls import ApiCall, ReplyButton, UploadedFile, buttons, reply_buttons

Write = Callable[[str], None]
INDENT = "    "
_UNSAFE = re.compile(r"[^\w.\-]+")
_LEADING_SYMBOLS = re.compile(r"^\W+")  # emoji and marks before a button's words


@dataclass(frozen=True)
class Person:
    name: str
    user_id: int
    role: str = "resident"  # what the console made them; the bot's store is the authority

    @property
    def label(self) -> str:
        return self.name if self.role == "resident" else f"{self.name}·{self.role}"


@dataclass
class People:
    """Console users by name; each new name is a new Telegram user id, past ``taken`` (the
    highest id the store already has) so a new name never becomes someone of an earlier run."""

    first_id: int = 10001
    by_name: dict[str, Person] = field(default_factory=dict)
    taken: int = 0

    def add(self, name: str, role: str = "resident") -> Person:
        used = [self.first_id - 1, self.taken, *(p.user_id for p in self.by_name.values())]
        return self.put(Person(name, max(used) + 1, role))

    def put(self, person: Person) -> Person:
        self.by_name[person.name.casefold()] = person
        return person

    def load(self, path: Path, database: str) -> list[Person]:
        """The people an earlier run kept in ``path`` for this database (none if unreadable)."""
        try:
            kept = json.loads(path.read_text(encoding="utf-8")).get(_key(database), [])
            people = [Person(str(p["name"]), int(p["user_id"]), str(p["role"])) for p in kept]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return []
        for person in people:
            self.put(person)
        return people

    def save(self, path: Path, database: str) -> None:
        """Keep everyone's name and id per database, so the next run maps names to the same
        users (other databases' people in the file are left as they are)."""
        try:
            books = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(books, dict):
                books = {}
        except (OSError, ValueError):
            books = {}
        books[_key(database)] = [
            {"name": p.name, "user_id": p.user_id, "role": p.role} for p in self.by_name.values()
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(books, ensure_ascii=False, indent=1), encoding="utf-8")

    def find(self, name: str) -> Person | None:
        return self.by_name.get(name.casefold())

    def promote(self, person: Person, role: str) -> Person:
        return self.put(Person(person.name, person.user_id, role))

    def by_id(self, chat_id: object) -> Person | None:
        return next((p for p in self.by_name.values() if p.user_id == chat_id), None)

    def label(self, chat_id: object) -> str:
        person = self.by_id(chat_id)
        return person.label if person else f"chat {chat_id}"


@dataclass(frozen=True)
class Press:
    """One inline button as printed: pressing it is a callback from the chat's owner."""

    chat_id: int
    message_id: int
    data: str
    label: str


class ChatView:
    def __init__(self, people: People, files_dir: Path, write: Write) -> None:
        self.people = people
        self.files_dir = files_dir
        self.write = write
        self.presses: dict[int, Press] = {}
        self.keyboards: dict[int, list[ReplyButton]] = {}
        self.toast_chat: int | None = None  # who pressed last: toasts carry no chat id
        self._numbers: dict[tuple[int, int], list[int]] = {}
        self._texts: dict[tuple[int, int], str] = {}
        self._next_number = 1

    # -- pressing ------------------------------------------------------------------------

    def find_press(self, chat_id: int, wanted: str) -> Press | None:
        """The chat's inline button that best matches ``wanted`` (see :func:`match`), newest
        first among equals: "对" presses "✅ 对", not "❌ 不对"."""
        ranked = [
            (match(press.label, wanted), number, press)
            for number, press in self.presses.items()
            if press.chat_id == chat_id and match(press.label, wanted)
        ]
        return max(ranked, key=lambda row: row[:2])[2] if ranked else None

    def find_key(self, chat_id: int, wanted: str) -> ReplyButton | None:
        keys = self.keyboards.get(chat_id, [])
        ranked = [(match(key.text, wanted), -n, key) for n, key in enumerate(keys)]
        best = max(ranked, key=lambda row: row[:2], default=None)
        return best[2] if best and best[0] else None

    # -- showing -------------------------------------------------------------------------

    def on_call(self, call: ApiCall) -> None:
        """The stand-in's listener: print what a person would see, as it happens."""
        if not call.ok:
            return
        if call.method == "answerCallbackQuery":
            if call.params.get("text") and self.toast_chat is not None:
                self._say(self.toast_chat, f"💬 {call.params['text']}")
            return
        chat_id = call.params.get("chat_id")
        if not isinstance(chat_id, int):
            return
        render = _RENDERERS.get(call.method)
        if render is None:
            return
        message_id = _message_id(call)
        self._say(chat_id, render(self, call, chat_id, message_id))
        if call.method.startswith(("send", "edit")):
            self._buttons(call, chat_id, message_id)
        if call.method == "deleteMessage":
            self._forget(chat_id, message_id)

    def _say(self, chat_id: int, text: str) -> None:
        first, *rest = text.splitlines() or [""]
        self.write(f"→ {self.people.label(chat_id)}: {first}")
        for line in rest:
            self.write(f"{INDENT}{line}")

    def _buttons(self, call: ApiCall, chat_id: int, message_id: int) -> None:
        inline = buttons(call)
        if "reply_markup" in call.params or call.method.startswith("edit"):
            self._forget(chat_id, message_id)
        shown = []
        for label, data in inline:
            if data.startswith(("http://", "https://", "tg://")):
                shown.append(f"[{label}]({data})")
                continue
            number = self._next_number
            self._next_number += 1
            self.presses[number] = Press(chat_id, message_id, data, label)
            self._numbers.setdefault((chat_id, message_id), []).append(number)
            shown.append(f"[{number}] {label}")
        if shown:
            self.write(INDENT + "  ".join(shown))
        markup = call.params.get("reply_markup")
        if isinstance(markup, dict) and "keyboard" in markup:
            self.keyboards[chat_id] = reply_buttons(call)
            keys = enumerate(self.keyboards[chat_id], start=1)
            self.write(INDENT + "  ".join(f"[k{n}] {key.text}" for n, key in keys))
        elif isinstance(markup, dict) and markup.get("remove_keyboard"):
            self.keyboards.pop(chat_id, None)

    def _forget(self, chat_id: int, message_id: int) -> None:
        for number in self._numbers.pop((chat_id, message_id), []):
            self.presses.pop(number, None)

    def _remember(self, chat_id: int, message_id: int, text: str) -> str:
        self._texts[chat_id, message_id] = text
        return text

    def _save(self, chat_id: int, upload: object, fallback: str) -> str:
        """Keep what the bot sent under files/<person>/, never over an earlier file; the path
        ends the line, so it can be copied (or read by a test) whole."""
        if not isinstance(upload, UploadedFile):
            return ""  # sent again by file_id: the first copy is already saved
        folder = self.files_dir / _UNSAFE.sub("_", self.people.label(chat_id))
        folder.mkdir(parents=True, exist_ok=True)
        name = _UNSAFE.sub("_", Path(upload.filename or fallback).name) or fallback
        target = folder / name
        serial = 1
        while target.exists():
            serial += 1
            target = folder / f"{Path(name).stem}-{serial}{Path(name).suffix}"
        target.write_bytes(upload.content)
        return f" · 已保存 saved to {target}"


def _key(database: str) -> str:
    """A database's entry in the people file: a digest, so no password lands in the file."""
    return hashlib.sha256(database.encode()).hexdigest()[:16]


def match(label: str, wanted: str) -> int:
    """3 the label is ``wanted`` (after its emoji), 2 starts with it, 1 contains it, else 0."""
    core = _LEADING_SYMBOLS.sub("", label.strip()).casefold()
    wanted = wanted.strip().casefold()
    if core == wanted or label.strip().casefold() == wanted:
        return 3
    return 2 if core.startswith(wanted) else 1 if wanted in label.casefold() else 0


def _message_id(call: ApiCall) -> int:
    result = call.result if isinstance(call.result, dict) else {}
    value = result.get("message_id", call.params.get("message_id", 0))
    return value if isinstance(value, int) else 0


def _size(content: bytes) -> str:
    return f"{len(content) / 1024:.1f} kB" if len(content) >= 1024 else f"{len(content)} B"


def _text(view: ChatView, call: ApiCall, chat_id: int, message_id: int) -> str:
    return view._remember(chat_id, message_id, str(call.params.get("text", "")))


def _edited(view: ChatView, call: ApiCall, chat_id: int, message_id: int) -> str:
    text = str(call.params.get("text") or call.params.get("caption") or "")
    return f"✎ #{message_id}: {view._remember(chat_id, message_id, text)}"


def _markup_changed(view: ChatView, call: ApiCall, chat_id: int, message_id: int) -> str:
    return f"✎ #{message_id}: 按钮已改 buttons changed"


def _photo(view: ChatView, call: ApiCall, chat_id: int, message_id: int) -> str:
    photo = call.params.get("photo")
    size = f" ({_size(photo.content)})" if isinstance(photo, UploadedFile) else ""
    saved = view._save(chat_id, photo, f"photo-{message_id}.jpg")
    caption = view._remember(chat_id, message_id, str(call.params.get("caption") or ""))
    return f"🖼 照片 photo{size}" + (f": {caption}" if caption else "") + saved


def _document(view: ChatView, call: ApiCall, chat_id: int, message_id: int) -> str:
    document = call.params.get("document")
    name = document.filename if isinstance(document, UploadedFile) else "document"
    size = f" ({_size(document.content)})" if isinstance(document, UploadedFile) else ""
    saved = view._save(chat_id, document, f"document-{message_id}")
    caption = view._remember(chat_id, message_id, str(call.params.get("caption") or ""))
    return f"📄 {name}{size}" + (f": {caption}" if caption else "") + saved


def _location(view: ChatView, call: ApiCall, chat_id: int, message_id: int) -> str:
    lat, lon = call.params.get("latitude"), call.params.get("longitude")
    if isinstance(lat, float) and isinstance(lon, float):
        return f"📍 {lat:.6f}, {lon:.6f}"
    return f"📍 {lat}, {lon}"


def _venue(view: ChatView, call: ApiCall, chat_id: int, message_id: int) -> str:
    return f"📍 {call.params.get('title')}, {call.params.get('address')}"


def _pin(view: ChatView, call: ApiCall, chat_id: int, message_id: int) -> str:
    pinned = view._texts.get((chat_id, message_id), "")
    return f"📌 置顶 pinned #{message_id}" + (f": {pinned}" if pinned else "")


def _unpin(view: ChatView, call: ApiCall, chat_id: int, message_id: int) -> str:
    return "📌 取消置顶 unpinned" + (f" #{message_id}" if message_id else "")


def _deleted(view: ChatView, call: ApiCall, chat_id: int, message_id: int) -> str:
    return f"🗑 #{message_id} 已删除 deleted"


_RENDERERS: dict[str, Callable[[ChatView, ApiCall, int, int], str]] = {
    "sendMessage": _text,
    "sendPhoto": _photo,
    "sendDocument": _document,
    "sendLocation": _location,
    "sendVenue": _venue,
    "editMessageText": _edited,
    "editMessageCaption": _edited,
    "editMessageReplyMarkup": _markup_changed,
    "pinChatMessage": _pin,
    "unpinChatMessage": _unpin,
    "deleteMessage": _deleted,
}


def describe(people: People, current: Any) -> list[str]:
    """The console's own list of people, current one marked."""
    return [
        f"{'*' if person == current else ' '} {person.label} (id {person.user_id})"
        for person in people.by_name.values()
    ]
