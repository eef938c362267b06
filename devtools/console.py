"""Local mode: chat with the bot in a terminal as any number of people, through the same
Application and handlers.

No token and no network: the Bot API is the in-process stand-in. Every message the bot sends
to anyone is printed the moment it is sent, labelled with its recipient; ``/as`` switches who
you are (a worker or supervisor joins through a real invite code and ``/join``). Log lines go
to a file, and files the bot sends are saved, both under one folder named at start-up.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from telegram import Update

from bot.runtime import Runtime
from devtools.console_view import ChatView, People, Person, describe
from devtools.local_api import LocalBotApi
from services.staff import STAFF_ROLES, InviteError, create_invite
from storage.models import User

CONSOLE_DIR = Path("griddesk-console")
FIRST_PERSON = "Resident"
ROLES = ("resident", *STAFF_ROLES)
ROLE_ZH = {"resident": "居民", "worker": "网格员", "supervisor": "主管"}
# The console's own instructions (not the bot's words), in both languages for newcomers.
HELP = """\
像居民一样输入。所有人收到的消息都会显示（→ 收件人: 内容）。
Type as a resident would. Every message the bot sends anyone is shown (→ recipient: text).
  1, 2 …            按任意一条消息上的按钮 press that button, on any earlier message
  k1, k2 …          按当前用户的键盘按钮 press a keyboard button of the current person
  /press 文字 TEXT   按含这段文字的最新按钮 press the newest button whose label has TEXT
  /as worker 李 [网格 GRID] | /as supervisor 张 [社区 COMMUNITY] | /as resident 王 | /as 王
                    换人（新名字就是新用户）switch person (a new name is a new user)
  /users            所有人 everyone · /loc [纬度 经度 LAT LON] 位置 location
  /photo [说明 caption] 照片 · /contact 电话 PHONE · /sticker · /? 本帮助 this help · /quit"""

ReadLine = Callable[[str], Awaitable[str | None]]
Write = Callable[[str], None]
JSON = dict[str, Any]


async def _stdin_line(prompt: str) -> str | None:
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


class Console:
    """Turns typed lines into the current person's updates, and console commands."""

    def __init__(
        self,
        runtime: Runtime,
        app: Any,
        api: LocalBotApi,
        files_dir: Path,
        write: Write,
        people_file: Path | None = None,
    ) -> None:
        self.runtime = runtime
        self.people_file = people_file
        self.app = app
        self.api = api
        self.write = write
        self.people = People()
        self.view = ChatView(self.people, files_dir, write)
        api.add_listener(self.view.on_call)
        first_grid = next(iter(runtime.city.grids.values()))
        self.home_grid = first_grid.id
        self.default_point = first_grid.centre()  # (lat, lon)
        self.me = self.people.add(FIRST_PERSON)

    async def restore(self) -> list[Person]:
        """Pick up where an earlier run on this database left off: its people (``people_file``)
        come back under their names, with the roles the store gives them, and a new name gets
        an id past every user the store knows, never one of theirs. Returns those people."""
        database = self.runtime.settings.database_url
        people = self.people  # the view holds this object: refill it in place
        people.by_name.clear()
        kept = people.load(self.people_file, database) if self.people_file else []
        async with self.runtime.db.transaction() as session:
            people.taken = await session.scalar(select(func.max(User.telegram_id))) or 0
            rows = await session.execute(
                select(User.telegram_id, User.role).where(
                    User.telegram_id.in_([p.user_id for p in kept])
                )
            )
            roles: dict[int, str] = {telegram_id: role for telegram_id, role in rows}
        for person in kept:
            people.put(Person(person.name, person.user_id, roles.get(person.user_id, "resident")))
        self.me = people.find(FIRST_PERSON) or people.add(FIRST_PERSON)
        self._keep()
        return [p for p in people.by_name.values() if p.user_id in roles]

    def _keep(self) -> None:
        if self.people_file is not None:
            self.people.save(self.people_file, self.runtime.settings.database_url)

    @property
    def prompt(self) -> str:
        return f"{self.me.label}> "

    async def feed(self, update: JSON | None) -> None:
        if update is None:
            return
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def handle(self, line: str) -> None:
        """One typed line: a console command, a press, or a message from the current person."""
        text = line.strip()
        if not text:
            return
        words = _words(text)
        command = words[0] if words and words[0].startswith("/") else ""
        if command == "/as":
            await self.switch(words[1:])
        elif command == "/users":
            for row in describe(self.people, self.me):
                self.write(row)
        elif command == "/?":
            self.write(HELP)
        elif command == "/press" and len(words) > 1:
            await self.press(" ".join(words[1:]))
        elif text.isdigit() or (text[0] == "k" and text[1:].isdigit()):
            await self.press(text)
        else:
            await self.feed(self.message(text, words))

    def message(self, text: str, words: list[str]) -> JSON:
        user = self.me.user_id
        name = self.me.name
        if words[:1] == ["/loc"]:
            lat, lon = (float(words[1]), float(words[2])) if len(words) == 3 else self.default_point
            return self.api.location_update(user, lat, lon, first_name=name)
        if words[:1] == ["/photo"]:
            return self.api.photo_update(user, caption=" ".join(words[1:]) or None, first_name=name)
        if words[:1] == ["/sticker"]:
            return self.api.sticker_update(user, first_name=name)
        if words[:1] == ["/contact"] and len(words) == 2:
            return self.api.contact_update(user, words[1], first_name=name)
        if text.startswith("/"):
            return self.api.command_update(user, text, first_name=name)
        return self.api.text_update(user, text, first_name=name)

    async def press(self, wanted: str) -> None:
        """A number (a button on any earlier message), ``kN`` (this person's keyboard), or a
        label: the newest of this person's buttons that has it, inline before keyboard."""
        user = self.me.user_id
        if wanted.isdigit():
            press = self.view.presses.get(int(wanted))
            if press is not None:
                await self._press_button(press.chat_id, press.message_id, press.data)
                return
        elif wanted[0] == "k" and wanted[1:].isdigit():
            keys = self.view.keyboards.get(user, [])
            if 0 < int(wanted[1:]) <= len(keys):
                await self.feed(self._key_update(keys[int(wanted[1:]) - 1]))
                return
        else:
            press = self.view.find_press(user, wanted)
            if press is not None:
                await self._press_button(press.chat_id, press.message_id, press.data)
                return
            key = self.view.find_key(user, wanted)
            if key is not None:
                await self.feed(self._key_update(key))
                return
        self.write(
            f"(console) {self.me.label} 没有按钮 {wanted!r} · no button {wanted!r} for "
            f"{self.me.label} (/? 帮助 help)"
        )

    def _key_update(self, key: Any) -> JSON:
        user, name = self.me.user_id, self.me.name
        if key.request_location:
            return self.api.location_update(user, *self.default_point, first_name=name)
        if key.request_contact:
            return self.api.contact_update(user, "13800000000", first_name=name)
        return self.api.text_update(user, key.text, first_name=name)

    async def _press_button(self, chat_id: int, message_id: int, data: str) -> None:
        """Only a chat's owner can press its buttons: pressing another's switches to them."""
        owner = self.people.by_id(chat_id)
        if owner is not None and owner != self.me:
            self.me = owner
            self.write(
                f"(console) 这个按钮在 {owner.label} 的聊天里，你现在是 {owner.label} · "
                f"that button is in {owner.label}'s chat: you are {owner.label}"
            )
        self.view.toast_chat = chat_id
        await self.feed(self.api.callback_update(chat_id, message_id, data))

    async def switch(self, args: list[str]) -> None:
        """``/as [ROLE] NAME [SCOPE]``: a known name switches; a new name is a new user."""
        role = args[0].lower() if args and args[0].lower() in ROLES else None
        rest = args[1:] if role else args
        if not args:
            for row in describe(self.people, self.me):
                self.write(row)
            return
        if not rest:
            if role == "resident":
                self.me = self.people.find(FIRST_PERSON) or self.me
                self.write(_you_are(self.me.label))
            else:
                self.write(
                    "(console) 用法 usage: /as worker 名字 NAME [网格 GRID] · "
                    "/as supervisor 名字 NAME [社区 COMMUNITY]"
                )
            return
        name, scope = rest[0], (rest[1] if len(rest) > 1 else None)
        person = self.people.find(name)
        if person is None:
            person = self.people.add(name)
            self._keep()
            self.write(f"(console) 新的人 new person: {name}")
        self.me = person
        if role in STAFF_ROLES and person.role != role:
            await self.enrol(person, role, scope)
            return
        if role == "resident" and person.role in STAFF_ROLES:
            # One name is one person: staff stay staff; say so instead of ignoring "resident".
            self.write(f"(console) {name} 是工作人员，仍按工作人员身份 is staff and stays so; "
                       "用新名字做居民 use a new name for a resident")  # fmt: skip
        self.write(_you_are(self.me.label))

    async def enrol(self, person: Person, role: str, scope: str | None) -> None:
        """The same staff service an admin uses (``griddesk invite``), then ``/join`` in chat."""
        grid = (scope or self.home_grid) if role == "worker" else None
        community = scope if role == "supervisor" else None
        try:
            async with self.runtime.db.transaction() as session:
                made = await create_invite(
                    session, self.runtime.city, role, self.runtime.clock.now(),
                    grid_id=grid, community_id=community,
                )  # fmt: skip
        except InviteError as exc:
            self.write(f"(console) 邀请码做不成 no invite: {exc}")
            return
        self.write(
            f"(console) 邀请码 invite {made.code}: {ROLE_ZH.get(role, role)} {role} · "
            f"{made.scope}; {person.name} 加入 joins"
        )
        self.me = self.people.promote(person, role)
        self._keep()
        await self.feed(
            self.api.command_update(person.user_id, f"/join {made.code}", first_name=person.name)
        )


def _you_are(label: str) -> str:
    return f"(console) 你现在是 {label} · you are {label}"


def _words(text: str) -> list[str]:
    if not text.startswith("/"):
        return []
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


@contextmanager
def logs_to(path: Path) -> Iterator[None]:
    """Log lines go to a file, not between the chat lines; the old handlers come back after."""
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    saved = root.handlers[:]
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.handlers[:] = [handler]
    try:
        yield
    finally:
        root.handlers[:] = saved
        handler.close()


class Terminal:
    """stdin/stdout; a message that arrives while you type redraws the prompt under it."""

    def __init__(self) -> None:
        self.prompt: str | None = None  # shown and waiting for a line
        self.tty = sys.stdout.isatty()

    async def read_line(self, prompt: str) -> str | None:
        self.prompt = prompt
        try:
            return await _stdin_line(prompt)
        finally:
            self.prompt = None

    def write(self, line: str) -> None:
        if self.prompt is None or not self.tty:
            print(line, flush=True)
            return
        print(f"\r\x1b[K{line}", flush=True)  # over the prompt, then the prompt again
        print(self.prompt, end="", flush=True)
