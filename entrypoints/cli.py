"""`griddesk`: run the bot, migrate the store, make invite codes; the command groups live in
the ``cli_*`` modules beside this one (nlu, faq, admin, callout, outbox)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import typer
from rich.console import Console

from entrypoints.cli_admin import (
    backup_command,
    cases_app,
    grids_app,
    invite_app,
    staff_app,
    stats_command,
)
from entrypoints.cli_callout import callout_app
from entrypoints.cli_common import err
from entrypoints.cli_common import settings_or_exit as _settings
from entrypoints.cli_config import config_app
from entrypoints.cli_departments import departments_command
from entrypoints.cli_faq import faq_app
from entrypoints.cli_nlu import nlu_app
from entrypoints.cli_outbox import outbox_app
from nlu.types import Prediction

app = typer.Typer(
    help="GridDesk: the chat front door of grid-based community governance.",
    no_args_is_help=True,
    # A crash report must not print local variables: settings hold the token and secrets.
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(nlu_app, name="nlu")
app.add_typer(faq_app, name="faq")
app.add_typer(grids_app, name="grids")
app.add_typer(callout_app, name="callout")
app.add_typer(staff_app, name="staff")
app.add_typer(invite_app, name="invite")
app.add_typer(cases_app, name="cases")
app.add_typer(outbox_app, name="outbox")
app.add_typer(config_app, name="config")
app.command("stats")(stats_command)
app.command("backup")(backup_command)
app.command("departments")(departments_command)


@app.command()
def run(
    webhook: Annotated[
        bool, typer.Option(help="serve Telegram webhooks (GRIDDESK_WEBHOOK_*) instead of polling")
    ] = False,
) -> None:
    """Run the bot: long polling with a token, else a local console chat."""
    settings = _settings()
    if webhook:
        from entrypoints.app import build_application, build_runtime
        from entrypoints.webhook import run_webhook

        runtime = build_runtime(settings)
        run_webhook(runtime, build_application(runtime))
    elif settings.local_mode:
        from entrypoints.console import run_console

        asyncio.run(run_console(settings))
    else:
        from entrypoints.polling import run_polling

        run_polling(settings)


@invite_app.callback(invoke_without_command=True)
def invite(
    ctx: typer.Context,
    role: Annotated[str | None, typer.Option(help="worker, supervisor or department")] = None,
    grid: Annotated[str | None, typer.Option(help="the worker's grid id")] = None,
    community: Annotated[
        str | None, typer.Option(help="the supervisor's community id (omit: city-wide)")
    ] = None,
    department: Annotated[
        str | None, typer.Option(help="the department id (role department; see `departments`)")
    ] = None,
    hours: Annotated[int, typer.Option(help="how long the code stays valid")] = 72,
) -> None:
    """Make a one-time invite code; the staff member sends `/join CODE` to the bot."""
    from datetime import timedelta

    if ctx.invoked_subcommand is not None:  # `invite list` / `invite revoke`
        return
    if role is None:
        err.print("[red]--role is required: worker, supervisor or department[/red]")
        raise typer.Exit(2)

    from bot.due_text import say_moment
    from entrypoints.app import build_runtime, prepare_database
    from services.staff import InviteError, create_invite

    settings = _settings()
    # No holiday-data warning here: `griddesk config check` and the bot's start-up say it.
    runtime = build_runtime(settings, nlu=_NoNlu(), warn_holidays=False)

    async def go() -> None:
        await prepare_database(runtime)
        try:
            async with runtime.db.transaction() as session:
                made = await create_invite(
                    session,
                    runtime.city,
                    role,
                    runtime.clock.now(),
                    grid_id=grid,
                    community_id=community,
                    department_id=department,
                    valid_for=timedelta(hours=hours),
                )
        finally:
            await runtime.db.dispose()
        Console().print(f"{made.code}")
        until = say_moment(runtime.catalog, "en", made.expires_at, runtime.city.timezone)
        # soft_wrap: one line each whatever the terminal width, so the command can be copied.
        err.print(f"{made.role} for {made.scope}; valid until {until} ({runtime.city.timezone}).",
                  soft_wrap=True)  # fmt: skip
        where = "from the department's chat (its group, or the liaison's chat with the bot)"
        to = where if made.role == "department" else "to the bot"
        err.print(f"Send {to}: /join {made.code}", soft_wrap=True, highlight=False)

    try:
        asyncio.run(go())
    except InviteError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


class _NoNlu:
    """Admin commands never parse resident text; skip loading the model."""

    name = "none"

    async def parse(self, text: str) -> Prediction:
        raise RuntimeError("no NLU in admin commands")


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION."""
    from storage.db import Database
    from storage.migrate import upgrade

    settings = _settings()

    async def go() -> None:
        db = Database(settings.database_url)
        try:
            await upgrade(db, revision)
        finally:
            await db.dispose()

    asyncio.run(go())
    err.print(f"database at {revision}")


def main() -> None:
    command()(prog_name="griddesk")


def command() -> Any:
    """The click command behind ``app``, every option naming the value it wants.

    Click labels a value by its type (``TEXT``, ``INTEGER``); ``--grid GRID`` says what to type.
    Flags take no value and show none. (Typer 0.27+ shows ``<str>``/``<bool>`` whatever the
    metavar, hence its upper bound in pyproject.toml.)
    """
    root = typer.main.get_command(app)
    _name_values(root)
    return root


def _name_values(cmd: Any) -> None:
    # Duck-typed: Typer ships its own copy of click, so click's classes are not Typer's.
    for param in cmd.params:
        option = getattr(param, "param_type_name", "") == "option"
        if option and param.metavar is None and not getattr(param, "is_flag", False):
            param.metavar = (param.name or "value").upper()
    for sub in getattr(cmd, "commands", {}).values():
        _name_values(sub)
