"""GridDesk in processes of its own: the console and webhook instances, their ports and logs."""

from __future__ import annotations

import asyncio
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

GRIDDESK = str(Path(sys.executable).with_name("griddesk"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def read(log: Path) -> str:
    return log.read_text(errors="replace")


async def wait_healthy(
    client: httpx.AsyncClient, port: int, proc: subprocess.Popen[bytes], log: Path
) -> None:
    for _ in range(300):
        assert proc.poll() is None, read(log)
        try:
            if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise AssertionError(f"instance on {port} never became healthy: {read(log)}")


_OUTPUT: dict[int, queue.Queue[str]] = {}  # pid -> the console's output lines


def _start(tmp_path: Path, cache: Path) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        PYTHONUNBUFFERED="1",
        GRIDDESK_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/gd.sqlite3",
        GRIDDESK_CACHE_DIR=str(cache),
        GRIDDESK_LOG_LEVEL="WARNING",
    )
    env.pop("GRIDDESK_TELEGRAM_TOKEN", None)
    proc = subprocess.Popen(
        [GRIDDESK, "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    # A thread reads the output, so _say can give up after its timeout instead of blocking in
    # readline forever when the console never prints what it waits for.
    lines: queue.Queue[str] = queue.Queue()
    _OUTPUT[proc.pid] = lines

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put("")  # end of output

    threading.Thread(target=pump, daemon=True).start()
    return proc


def _say(proc: subprocess.Popen[str], line: str, expect: str, timeout: float = 60) -> str:
    """Type a line and read the bot's output until `expect` shows up."""
    assert proc.stdin is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    seen = ""
    deadline = time.monotonic() + timeout
    while expect not in seen:
        try:
            chunk = _OUTPUT[proc.pid].get(timeout=max(deadline - time.monotonic(), 0))
        except queue.Empty:
            raise AssertionError(f"no {expect!r} in {timeout:.0f} s; output: {seen}") from None
        assert chunk, f"process ended; output: {seen}"
        seen += chunk
    return seen
