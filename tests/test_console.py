"""The console plays every role: the README's tour typed line by line, messages that arrive
while it waits for input, and buttons pressed on earlier messages."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.settings import Settings, load_settings
from devtools.console import Console, ReadLine
from devtools.console_view import ChatView, People
from devtools.local_api import LocalBotApi, LocalBotApiRequest, UploadedFile
from entrypoints.app import build_application, build_runtime, prepare_database
from entrypoints.console import run_console
from nlu.embedded import EmbeddedBackend
from services.notify import queue_to_chat
from storage.db import Database
from storage.models import Case, Evaluation, User

README = Path(__file__).resolve().parent.parent / "README.md"
TOUR_MARK = "<!-- console-tour"


def readme_tour() -> list[tuple[str, str]]:
    """(prompt, typed line) pairs of the README's tour block."""
    text = README.read_text(encoding="utf-8")
    block = text.split(TOUR_MARK, 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    return [tuple(line.split("> ", 1)) for line in block.splitlines() if line]  # type: ignore[misc]


def read_json(path: Path) -> object:
    return json.loads(path.read_bytes())


@pytest.fixture
def settings(tmp_path: Path, nlu_cache_dir: Path) -> Settings:
    return load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'console.sqlite3'}",
        cache_dir=nlu_cache_dir.parent,  # the embedded model the session already trained
    )


async def test_the_readme_tour_works_as_written(
    settings: Settings, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> None:
    tour = readme_tour()
    assert len(tour) >= 10
    typed = iter(tour)
    shown: list[str] = []

    async def read_line(prompt: str) -> str | None:
        step = next(typed, None)
        if step is None:
            return None
        expected_prompt, line = step
        assert prompt == f"{expected_prompt}> ", (line, shown[-8:])
        shown.append(prompt + line)
        return line

    console_dir = tmp_path / "griddesk-console"
    await run_console(settings, read_line, shown.append, console_dir)
    assert next(typed, None) is None  # every line was typed

    database = Database(settings.database_url)
    async with database.transaction() as session:
        case = (await session.scalars(select(Case))).one()
        worker = (await session.scalars(select(User).where(User.role == "worker"))).one()
        grades = (await session.scalars(select(Evaluation.grade))).all()
    await database.dispose()
    assert (case.status, grades) == ("closed", ["satisfied"]), "\n".join(shown[-30:])
    assert (case.assignee_id, worker.telegram_id) == (worker.id, 10002)  # 李, the second person
    # Messages to both people were shown, each labelled with its recipient.
    assert any(line.startswith("→ 李·worker: ") and case.number in line for line in shown)
    assert any(line.startswith("→ Resident: ") and case.number in line for line in shown)
    assert not any(" INFO " in line or " WARNING " in line for line in shown)  # logs: the file
    assert (console_dir / "console.log").is_file()
    # /mydata's file is saved where the line says.
    (saved,) = [line for line in shown if line.startswith("→ Resident: 📄 ")]
    path = Path(re.search(r" · 已保存 saved to (.+)$", saved).group(1))  # type: ignore[union-attr]
    assert path.parent == console_dir / "files" / "Resident"
    assert case.number in json.dumps(read_json(path))


async def test_a_message_shows_while_the_console_waits_for_input(
    settings: Settings, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> None:
    shown: list[str] = []
    database = Database(settings.database_url)

    async def read_line(prompt: str) -> str | None:
        async with database.transaction() as session:
            now = datetime.now(UTC)
            queue_to_chat(session, 10001, "停水通知：明天 9:00-12:00", now, kind="notice")
        for _ in range(100):  # the console is waiting on us; the dispatcher is not
            if any("停水通知" in line for line in shown):
                return None
            await asyncio.sleep(0.05)
        raise AssertionError(f"not shown while waiting for input: {shown[-3:]}")

    await run_console(settings, read_line, shown.append, tmp_path / "c")
    await database.dispose()
    assert "→ Resident: 停水通知：明天 9:00-12:00" in shown


@pytest.fixture
async def console(
    settings: Settings, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[tuple[Console, list[str]]]:
    runtime = build_runtime(settings, nlu=embedded_nlu)
    await prepare_database(runtime)
    api = LocalBotApi()
    request = LocalBotApiRequest(api)
    app = build_application(runtime, request=request, get_updates_request=request)
    shown: list[str] = []
    async with app:
        yield Console(runtime, app, api, tmp_path / "files", shown.append), shown
    await runtime.db.dispose()


async def test_buttons_of_an_earlier_message_and_of_another_persons_chat(
    console: tuple[Console, list[str]],
) -> None:
    chat, shown = console
    await chat.handle("/start")
    welcome_buttons = shown[-1]
    first = re.search(r"\[(\d+)\] ", welcome_buttons)
    assert first is not None
    await chat.handle("/as resident 王")
    assert chat.prompt == "王> "
    await chat.handle("/start")
    # The first resident's welcome is older and in another chat: pressing it makes you them.
    await chat.handle(first.group(1))
    assert chat.prompt == "Resident> "
    assert (
        "(console) 这个按钮在 Resident 的聊天里，你现在是 Resident · "
        "that button is in Resident's chat: you are Resident"
    ) in shown
    assert shown[-1].startswith("→ Resident: ") or shown[-2].startswith("→ Resident: ")


async def test_unknown_presses_and_bad_input_are_explained(
    console: tuple[Console, list[str]],
) -> None:
    chat, shown = console
    await chat.handle("/press 没有这个按钮")
    await chat.handle("99")
    assert shown[-2:] == [
        "(console) Resident 没有按钮 '没有这个按钮' · no button '没有这个按钮' for Resident "
        "(/? 帮助 help)",
        "(console) Resident 没有按钮 '99' · no button '99' for Resident (/? 帮助 help)",
    ]
    await chat.handle("/as supervisor 张 nowhere")
    assert "unknown community 'nowhere'" in shown[-1]
    # One name is one person: a worker asked for as a resident stays a worker, and says so.
    await chat.handle("/as worker 李")
    await chat.handle("/as resident 李")
    assert "李 是工作人员" in shown[-2] and "stays so" in shown[-2]
    await chat.handle("/as 赵")
    assert shown[-2] == "(console) 新的人 new person: 赵"


async def test_photos_documents_pins_and_places_are_one_labelled_line(tmp_path: Path) -> None:
    api = LocalBotApi()
    people = People()
    resident, worker = people.add("Resident"), people.add("李", "worker")
    shown: list[str] = []
    view = ChatView(people, tmp_path / "files", shown.append)
    api.add_listener(view.on_call)
    api.text_update(resident.user_id, "hi")  # the chat exists, as after a first message
    png = UploadedFile("chart.png", b"\x89PNG\r\n\x1a\n" + bytes(2000), "image/png")
    await api.handle("sendPhoto", {"chat_id": worker.user_id, "photo": png, "caption": "周报"})
    await api.handle("pinChatMessage", {"chat_id": worker.user_id, "message_id": 1})
    place = {"chat_id": worker.user_id, "latitude": 23.036, "longitude": 113.7435}
    await api.handle("sendLocation", place)
    report = UploadedFile("我的数据.json", b'{"cases": []}', "application/json")
    await api.handle("sendDocument", {"chat_id": resident.user_id, "document": report})
    files = tmp_path / "files"
    assert shown == [
        f"→ 李·worker: 🖼 照片 photo (2.0 kB): 周报 · 已保存 saved to "
        f"{files / '李_worker' / 'chart.png'}",
        "→ 李·worker: 📌 置顶 pinned #1: 周报",
        "→ 李·worker: 📍 23.036000, 113.743500",
        f"→ Resident: 📄 我的数据.json (13 B) · 已保存 saved to "
        f"{files / 'Resident' / '我的数据.json'}",
    ]
    assert read_json(files / "Resident" / "我的数据.json") == {"cases": []}


def typed(*lines: str) -> tuple[ReadLine, list[str]]:
    """A console input that types ``lines`` then ends, and the list of what was shown."""
    pending = list(lines)
    shown: list[str] = []

    async def read_line(prompt: str) -> str | None:
        line = pending.pop(0) if pending else None
        shown.append(f"{prompt}{line}")
        return line

    return read_line, shown


def ids_of(shown: list[str]) -> dict[str, int]:
    """Who /users listed: label -> Telegram id."""
    rows = (re.fullmatch(r"[* ] (\S+) \(id (\d+)\)", line) for line in shown)
    return {row.group(1): int(row.group(2)) for row in rows if row}


async def test_a_restarted_console_never_reuses_someone_elses_id(
    settings: Settings, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> None:
    console_dir = tmp_path / "griddesk-console"
    read_line, first = typed("/as worker 李", "/as resident", "/users")
    await run_console(settings, read_line, first.append, console_dir)
    assert ids_of(first) == {"Resident": 10001, "李·worker": 10002}

    # Same database, same folder: names come back as the same users, 李 still a worker (the
    # store says so), and a new name is a new user.
    read_line, second = typed("/as 王", "/as 李", "/users")
    await run_console(settings, read_line, second.append, console_dir)
    assert "李·worker> /users" in second
    assert any(line.startswith("上次的人 people from the last run") for line in second)
    again = ids_of(second)
    assert (again["Resident"], again["李·worker"]) == (10001, 10002)
    assert again["王"] not in (10001, 10002)

    # Without the people file (another folder), new names start past every user in the store.
    read_line, third = typed("/as 王", "/users")
    await run_console(settings, read_line, third.append, tmp_path / "elsewhere")
    database = Database(settings.database_url)
    async with database.transaction() as session:
        in_store = set((await session.scalars(select(User.telegram_id))).all())
    await database.dispose()
    assert {10001, 10002} <= in_store
    fresh = ids_of(third)
    assert min(fresh.values()) > max(in_store - set(fresh.values()))
    # The console's own lines speak both languages, like its help.
    own = [
        line
        for line in first + second + third
        if line.startswith(("(console)", "GridDesk", "日志", "上次"))
    ]
    assert len(own) >= 8
    for line in own:
        assert re.search(r"[\u4e00-\u9fff]", line) and re.search(r"[A-Za-z]{3}", line), line
