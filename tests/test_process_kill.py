"""Kill -9 the real `griddesk run` process mid-report; a new process resumes the report."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from config.loader import load_config
from nlu.embedded import EmbeddedBackend

GRIDDESK = str(Path(sys.executable).with_name("griddesk"))
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


def test_killed_process_resumes_the_report(
    tmp_path: Path, nlu_cache_dir: Path, embedded_nlu: EmbeddedBackend
) -> None:
    cache = nlu_cache_dir.parent  # the model trained for this session is reused
    first = _start(tmp_path, cache)
    try:
        _say(
            first, "the street light outside building 3 is broken, it's pitch dark", "Is that right"
        )
        _say(first, "/press Yes", "Where is it?")  # the console presses by label or number
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    grid = load_config(Path(__file__).resolve().parent.parent / "config").grids["yangguang-02"]
    lat, lon = grid.centre()
    second = _start(tmp_path, cache)
    try:
        _say(second, f"/loc {lat} {lon}", "Location confirmed")
        out = _say(second, "✅ Submit", "Filed as")
        assert "GD-" in out
    finally:
        second.send_signal(signal.SIGKILL)
        second.wait(10)
    with sqlite3.connect(tmp_path / "gd.sqlite3") as conn:
        rows = conn.execute("SELECT case_type, grid_id FROM cases").fetchall()
    assert rows == [("public_facility", "yangguang-02")]
