"""`griddesk run` without a token: the bot on the in-process Bot API stand-in, in a terminal.

The console itself (people, views, the help text) is dev support in ``devtools.console``; this
module wires it to the composition root, so devtools never imports the entry points.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.settings import Settings
from devtools.console import CONSOLE_DIR, HELP, Console, ReadLine, Terminal, Write, logs_to
from devtools.local_api import LocalBotApi, LocalBotApiRequest
from entrypoints.app import build_application, build_runtime, prepare_database
from entrypoints.background import Background, background_of

SETTLE_SECONDS = 5.0  # the longest the console waits for the outbox before the next prompt


async def settle(background: Background, seconds: float = SETTLE_SECONDS) -> None:
    """Send what the last input queued (worker pings, status pushes) before the next prompt."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        sent = await background.dispatcher.run_once()
        if not sent.claimed and not await background.dispatcher.backlog():
            return
        await asyncio.sleep(0.05)


async def run_console(
    settings: Settings,
    read_line: ReadLine | None = None,
    write: Write | None = None,
    console_dir: Path = CONSOLE_DIR,
) -> None:
    """The console on the terminal, or on ``read_line``/``write`` (tests drive it so)."""
    terminal = Terminal()
    read_line = read_line or terminal.read_line
    write = write or terminal.write
    with logs_to(console_dir / "console.log"):
        runtime = build_runtime(settings)
        await prepare_database(runtime)
        api = LocalBotApi()
        request = LocalBotApiRequest(api)
        app = build_application(runtime, request=request, get_updates_request=request)
        people_file = console_dir / "people.json"
        console = Console(runtime, app, api, console_dir / "files", write, people_file)
        back = await console.restore()
        write(
            f"GridDesk 本地模式 local mode · 数据库 database {settings.database_url} · "
            f"NLU {runtime.nlu.name}"
        )
        write(
            f"日志 log: {console_dir / 'console.log'} · "
            f"机器人发的文件 files the bot sends: {console_dir / 'files'}"
        )
        if back:
            names = ", ".join(person.label for person in back)
            write(f"上次的人 people from the last run ({people_file}): {names}")
        write(HELP)
        async with app:
            await app.start()  # the job queue (SLA scan, digest)
            background = background_of(app)
            background.start()  # the outbox dispatcher: everyone's notifications show up here
            await console.handle("/start")
            await settle(background)
            while (line := await read_line(console.prompt)) is not None:
                if line.strip() in ("/quit", "/exit"):
                    break
                try:
                    await console.handle(line)
                except ValueError as exc:  # e.g. /loc with words for numbers
                    write(f"(console) 看不懂这一行 could not read that line: {exc}")
                await settle(background)
            await background.stop()
            await app.stop()
        await runtime.db.dispose()
