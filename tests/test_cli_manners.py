"""The admin command as a newcomer meets it: from a fresh clone's script, with readable help."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from entrypoints.cli import command

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"<\w+>")  # typer 0.27+: <str>, <int>, <bool>
TYPE_NAME = re.compile(r"│\s+\*?\s*--[\w-]+\s+(TEXT|INTEGER|FLOAT)\b")  # an option's value by type


def command_paths(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from command_paths(sub, (*path, name))


def help_of(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        command()([*path, "--help"], prog_name="griddesk")
    assert done.value.code == 0
    return capsys.readouterr().out


def test_every_help_names_values_instead_of_types(capsys: pytest.CaptureFixture[str]) -> None:
    paths = list(command_paths(command()))
    assert ("invite",) in paths and ("nlu", "env") in paths and len(paths) > 20
    for path in paths:
        text = help_of(path, capsys)
        assert not PLACEHOLDER.search(text), (path, PLACEHOLDER.search(text))
        assert not TYPE_NAME.search(text), (path, TYPE_NAME.search(text))
    invite = help_of(("invite",), capsys)
    assert re.search(r"--grid\s+GRID\s", invite) and re.search(r"--hours\s+HOURS\s", invite)


def test_scripts_griddesk_reaches_the_admin_command_and_join_is_one_line(
    tmp_path: Path, nlu_cache_dir: Path
) -> None:
    env = {
        **os.environ,
        "COLUMNS": "40",  # narrower than the line: it must still not wrap
        "GRIDDESK_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'admin.sqlite3'}",
        "GRIDDESK_CACHE_DIR": str(nlu_cache_dir.parent),
    }
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [ROOT / "scripts" / "griddesk", "invite", "--role", "worker", "--grid", "xinji-01"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    code = done.stdout.strip()
    assert re.fullmatch(r"[A-Z2-9]{10}", code)
    assert f"Send to the bot: /join {code}" in done.stderr.splitlines()


@pytest.mark.skipif(sys.platform != "linux", reason="the shortcut is a bash script")
def test_rasa_env_shortcut_refuses_what_griddesk_nlu_does_not_have() -> None:
    done = subprocess.run(
        [ROOT / "scripts" / "rasa-env", "bogus"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and "usage: scripts/rasa-env" in done.stderr
