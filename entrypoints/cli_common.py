"""What every `griddesk` command group shares: settings (or exit 2 naming the key) and stderr."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.status import Status

from bot.settings import Settings, SettingsError, load_settings


class Stream:
    """A rich console made anew at each use, so the terminal width (COLUMNS) and the current
    stdout are read then: a console made at import keeps the width of whoever imported it
    first (a test runner, another command)."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr

    def print(self, *objects: Any, **options: Any) -> None:
        """`rich.console.Console.print` on a fresh console."""
        Console(stderr=self._stderr).print(*objects, **options)

    def status(self, message: str) -> Status:
        """`rich.console.Console.status` on a fresh console (a spinner while work runs)."""
        return Console(stderr=self._stderr).status(message)


out = Stream()
err = Stream(stderr=True)

Backend = Annotated[str | None, typer.Option("--backend", help="embedded or rasa")]


def settings_or_exit(**overrides: object) -> Settings:
    """Settings with ``overrides`` (None means "not given"), and logging configured by them."""
    try:
        settings = load_settings(**{k: v for k, v in overrides.items() if v is not None})
    except SettingsError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    from bot.observability import configure_logging, secrets_of

    json_logs = settings.log_json if settings.log_json is not None else not settings.local_mode
    configure_logging(settings.log_level, json_logs, secrets_of(settings))
    return settings
