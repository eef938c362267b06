"""A real `griddesk run` long-polling the HTTP stand-in, and residents who talk to it.

Shared by the fault tests, the short load test and ``bench/load.py``. The bot is the shipped
command in its own process (token set, so long polling through PTB's HTTPXRequest); the test
process holds the Bot API stand-in (:func:`devtools.local_api.serve_http`), pushes updates with
``push_update`` and watches what the bot delivers. Each resident waits for the bot's answer
before the next step, as a person on a phone would.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.i18n import Catalog
from config.schema import CityConfig
from devtools.local_api import ApiCall, LocalBotApi, LocalBotApiServer
from devtools.local_api.calls import DELIVERY_METHODS, buttons, reply_buttons

GRIDDESK = str(Path(sys.executable).with_name("griddesk"))
TOKEN = "7000000001:LIVE-griddesk-local"
PROBE_USER = 1  # the chat used to see that the bot answers; not a resident
CASE_NUMBER = re.compile(r"GD-\d{4}-\d+")
# Texts the embedded model reads as reports with high confidence; a tag makes each unique.
REPORT_TEXTS: tuple[tuple[str, str], ...] = (
    ("路灯坏了，3栋门口黑漆漆的", "zh-hans"),
    ("楼下垃圾桶满了好几天没人清", "zh-hans"),
    ("the street light outside building 3 is broken", "en"),
    ("cars parked on the fire lane again at block 5", "en"),
)
# Tags are spelt in consonants: digits would do, but a "120" inside a number is an emergency cue
# to the NLU, and vowels could spell an English one.
_TAG_LETTERS = "bcdfghjklmnpqrstvwxz"
# Texts that end a step at once: the bot answered, just not with the next step.
ERROR_KEYS = ("error.internal", "error.flood", "error.stale_button_hint")

Messages = list[ApiCall]
Expect = Callable[[Messages], bool]


def always() -> bool:
    return True


def nothing(messages: Messages) -> bool:
    """For a step whose only right answer is an error: wait for that (or the time limit)."""
    return False


class BotProcess:
    """One `griddesk run` process and its log; stopped politely or killed."""

    def __init__(self, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.proc = proc
        self.log = log

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def cpu_seconds(self) -> float | None:
        """User plus system CPU time the process used so far (Linux ``/proc``), else None."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rpartition(")")[2].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the machine loses power."""
        if self.alive:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM (PTB stops polling and finishes its updates), then SIGKILL if it hangs."""
        if self.alive:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return int(self.proc.returncode)


def start_bot(
    server: LocalBotApiServer,
    database_url: str,
    workdir: Path,
    *,
    cache_dir: Path | None = None,
    log_name: str = "bot.log",
    **settings: str,
) -> BotProcess:
    """`griddesk run` with a token, polling ``server``; ``settings`` become GRIDDESK_* vars.

    The working directory is ``workdir`` so no stray ``.env`` is read.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDDESK_")}
    env.update(
        PYTHONUNBUFFERED="1",
        GRIDDESK_TELEGRAM_TOKEN=TOKEN,
        GRIDDESK_TELEGRAM_BASE_URL=server.base_url,
        GRIDDESK_DATABASE_URL=database_url,
        GRIDDESK_LOG_LEVEL="WARNING",
        GRIDDESK_LOG_JSON="false",
    )
    cache = cache_dir or os.environ.get("GRIDDESK_CACHE_DIR")
    if cache:
        env["GRIDDESK_CACHE_DIR"] = str(cache)
    env.update({f"GRIDDESK_{name.upper()}": value for name, value in settings.items()})
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / log_name
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [GRIDDESK, "run"],
            env=env,
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return BotProcess(proc, log)


def chat_of(call: ApiCall) -> int | None:
    chat = call.params.get("chat_id")
    try:
        return int(chat) if chat is not None else None
    except (TypeError, ValueError):
        return None


class Inbox:
    """What the bot delivered, per chat, as it arrives: a listener on the stand-in.

    ``LocalBotApi.wait_for_sent`` rescans every call for every waiter; with a thousand residents
    waiting that is quadratic, so residents wait on their own chat's event here instead.
    """

    def __init__(self, api: LocalBotApi) -> None:
        self.api = api
        self.by_chat: dict[int, Messages] = {}
        self._events: dict[int, asyncio.Event] = {}
        api.add_listener(self._on_call)

    def _on_call(self, call: ApiCall) -> None:
        if not call.ok or call.method not in DELIVERY_METHODS:
            return
        chat = chat_of(call)
        if chat is None:
            return
        self.by_chat.setdefault(chat, []).append(call)
        event = self._events.pop(chat, None)
        if event is not None:
            event.set()

    def messages(self, chat: int) -> Messages:
        return self.by_chat.get(chat, [])

    async def wait(self, chat: int, since: int, done: Expect, within: float) -> Messages:
        """Messages to ``chat`` after the first ``since``, once ``done`` holds for them or
        ``within`` seconds passed (then whatever came)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            new = self.messages(chat)[since:]
            remaining = deadline - loop.time()
            if done(new) or remaining <= 0:
                return new
            event = self._events.setdefault(chat, asyncio.Event())
            with suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)


def text_of(call: ApiCall) -> str:
    return str(call.params.get("text") or call.params.get("caption") or "")


def inline_data(messages: Messages, pattern: Callable[[str], bool]) -> tuple[int, str] | None:
    """(message_id, callback_data) of the newest inline button whose data matches."""
    for call in reversed(messages):
        for _, data in buttons(call):
            if pattern(data) and isinstance(call.result, dict):
                return int(call.result["message_id"]), data
    return None


def is_confirm(data: str) -> bool:
    return data.startswith(("rep:ok:", "rep:type:"))


def is_file_new(data: str) -> bool:
    return data.startswith("rep:new:")


def asks_location(messages: Messages) -> bool:
    return any(b.request_location for call in messages for b in reply_buttons(call))


def submit_button(messages: Messages) -> str | None:
    for call in reversed(messages):
        for button in reply_buttons(call):
            if button.text.startswith("✅"):
                return button.text
    return None


def filed_number(messages: Messages) -> str | None:
    """The case number of a "filed" answer (it also removes the reply keyboard)."""
    for call in messages:
        markup = call.params.get("reply_markup")
        if isinstance(markup, dict) and markup.get("remove_keyboard"):
            found = CASE_NUMBER.search(text_of(call))
            if found:
                return found.group(0)
    return None


@dataclass
class Step:
    """One update a resident sent and what came back."""

    name: str
    pushed_at: float
    first_reply_at: float | None = None
    replies: int = 0
    answered: bool = False  # the expected answer came
    error: str | None = None  # the bot answered with one of ERROR_KEYS instead
    seen: list[str] = field(default_factory=list)  # what came instead, when not answered

    @property
    def lost(self) -> bool:
        """No answer at all: the update vanished, or the bot never got to it."""
        return self.replies == 0

    @property
    def latency(self) -> float | None:
        return None if self.first_reply_at is None else self.first_reply_at - self.pushed_at


@dataclass
class Report:
    """One report flow: text, confirm, location, submit (and "file separately" if offered)."""

    text: str
    steps: list[Step] = field(default_factory=list)
    number: str | None = None  # the case number the resident was told
    abandoned: bool = False  # stopped between steps (end of the run)

    @property
    def failed_step(self) -> Step | None:
        return next((s for s in self.steps if not s.answered), None)


class Resident:
    """A person on a phone: sends one update, waits for the answer, reads the buttons."""

    def __init__(
        self,
        api: LocalBotApi,
        inbox: Inbox,
        user_id: int,
        language_code: str,
        errors: dict[str, str],
    ) -> None:
        self.api = api
        self.inbox = inbox
        self.user_id = user_id
        self.language_code = language_code
        self.errors = errors  # error text -> catalog key

    def _error_in(self, messages: Messages) -> str | None:
        return next((self.errors[t] for c in messages if (t := text_of(c)) in self.errors), None)

    async def send(
        self, name: str, update: dict[str, Any], expect: Expect, within: float
    ) -> tuple[Step, Messages]:
        since = len(self.inbox.messages(self.user_id))
        step = Step(name, time.monotonic())
        self.api.push_update(update)

        def done(new: Messages) -> bool:
            return expect(new) or self._error_in(new) is not None

        new = await self.inbox.wait(self.user_id, since, done, within)
        step.replies = len(new)
        step.first_reply_at = new[0].at if new else None
        step.answered = expect(new)
        if not step.answered:
            step.error = self._error_in(new)
            step.seen = [text_of(call)[:120] for call in new]
        return step, new

    async def _step(
        self,
        flow: Report,
        name: str,
        update: Callable[[], dict[str, Any]],
        expect: Expect,
        within: float,
        keep_going: Callable[[], bool],
    ) -> Messages | None:
        """One step of ``flow``: the answer's messages, or None when it ended here."""
        if not keep_going():
            flow.abandoned = True
            return None
        step, new = await self.send(name, update(), expect, within)
        flow.steps.append(step)
        return new if step.answered else None

    async def report(
        self,
        text: str,
        point: tuple[float, float],
        within: float,
        keep_going: Callable[[], bool] = always,
    ) -> Report:
        """The whole flow, each answer awaited ``within`` seconds; stops at the first step not
        answered as expected, or between steps once ``keep_going`` says so."""
        flow = Report(text)
        if await self.begin(flow, within, keep_going):
            await self.finish(flow, point, within, keep_going)
        return flow

    async def begin(
        self, flow: Report, within: float, keep_going: Callable[[], bool] = always
    ) -> bool:
        """Describe the problem and confirm its type; True once asked where it is."""
        api, user = self.api, self.user_id

        def text() -> dict[str, Any]:
            return api.text_update(user, flow.text, language_code=self.language_code)

        def has_confirm(new: Messages) -> bool:
            return inline_data(new, is_confirm) is not None

        new = await self._step(flow, "text", text, has_confirm, within, keep_going)
        pressed = inline_data(new, is_confirm) if new is not None else None
        if pressed is None:
            return False

        def press() -> dict[str, Any]:
            assert pressed is not None
            return api.callback_update(user, *pressed)

        return (
            await self._step(flow, "confirm", press, asks_location, within, keep_going) is not None
        )

    async def finish(
        self,
        flow: Report,
        point: tuple[float, float],
        within: float,
        keep_going: Callable[[], bool] = always,
    ) -> None:
        """Share the location and submit, filing separately if a similar case is offered;
        sets ``flow.number`` when the resident is told the case number."""
        api, user = self.api, self.user_id

        def asks_details(new: Messages) -> bool:
            return submit_button(new) is not None

        def share() -> dict[str, Any]:
            return api.location_update(user, *point)

        new = await self._step(flow, "location", share, asks_details, within, keep_going)
        label = submit_button(new) if new is not None else None
        if label is None:
            return

        def filed_or_offer(new: Messages) -> bool:
            return filed_number(new) is not None or inline_data(new, is_file_new) is not None

        def submit() -> dict[str, Any]:
            assert label is not None
            return api.text_update(user, label)

        new = await self._step(flow, "submit", submit, filed_or_offer, within, keep_going)
        offer = inline_data(new, is_file_new) if new and filed_number(new) is None else None
        if offer is not None:  # a similar open case nearby: file this one separately

            def file_new() -> dict[str, Any]:
                assert offer is not None
                return api.callback_update(user, *offer)

            def filed(new: Messages) -> bool:
                return filed_number(new) is not None

            new = await self._step(flow, "file_new", file_new, filed, within, keep_going)
        flow.number = filed_number(new) if new is not None else None


def report_tag(user_id: int, flow: int) -> str:
    """A tag that makes one resident's one report text unique, e.g. ``[dbbbbb-c]``."""

    def spell(n: int) -> str:
        letters = ""
        while True:
            n, digit = divmod(n, len(_TAG_LETTERS))
            letters = _TAG_LETTERS[digit] + letters
            if n == 0:
                return letters

    return f"[{spell(user_id)}-{spell(flow)}]"


def error_texts(catalog: Catalog | None = None) -> dict[str, str]:
    """Every language's text of the answers that end a step early."""
    catalog = catalog or Catalog.load()
    texts = {}
    for key in ERROR_KEYS:
        for lang in ("zh", "en"):
            text = catalog.t(lang, key)
            texts[text] = texts[html.escape(text)] = key  # on_error escapes its text
    return texts


def grid_points(city: CityConfig) -> dict[str, tuple[float, float]]:
    """(lat, lon) of each grid's centre, where that point lies inside the grid."""
    points = {}
    for grid in city.grids.values():
        lat, lon = grid.centre()
        found = city.grid_at(lat, lon)
        if found is not None and found.id == grid.id:
            points[grid.id] = (lat, lon)
    return points


async def wait_until_answering(
    api: LocalBotApi, inbox: Inbox, bot: BotProcess, within: float = 180.0
) -> None:
    """Block until the bot answers /start (it has migrated, loaded the model, and polls)."""
    since = len(inbox.messages(PROBE_USER))
    api.push_update(api.command_update(PROBE_USER, "/start"))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not inbox.messages(PROBE_USER)[since:]:
        if not bot.alive:
            raise AssertionError(f"griddesk run exited:\n{bot.output()[-4000:]}")
        if loop.time() > deadline:
            raise AssertionError(f"griddesk run never answered:\n{bot.output()[-4000:]}")
        await inbox.wait(PROBE_USER, since, bool, 0.5)
