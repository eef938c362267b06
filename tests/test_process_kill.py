"""Kill -9 the real `griddesk run` process mid-report; a new process resumes the report."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from config.loader import load_config
from nlu.embedded import EmbeddedBackend
from tests.support.processes import _say, _start


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
