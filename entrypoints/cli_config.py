"""`griddesk config check`: the config as the bot will read it, and what runs out soon."""

from __future__ import annotations

import typer

from entrypoints.cli_common import err, settings_or_exit

config_app = typer.Typer(help="The city's configuration (config/).", no_args_is_help=True)


@config_app.command("check")
def config_check() -> None:
    """Load the config as the bot's start-up does (city, grids, case types, calendar, FAQ,
    volunteers, NLU labels); exit 1 on the first fault. Warn when the holiday data ends
    within 60 days (due times would count next year's holidays as working days)."""
    from bot.clock import SystemClock
    from bot.nlu_labels import nlu_label_problems
    from config.loader import ConfigError, load_config
    from config.volunteers import volunteer_config
    from entrypoints.app import holiday_warning

    settings = settings_or_exit()
    try:
        city = load_config(settings.config_dir)
        volunteer_config(settings.config_dir)
    except ConfigError as exc:
        err.print(f"[red]error[/red] {exc}", soft_wrap=True, highlight=False)
        raise typer.Exit(1) from exc
    problems = nlu_label_problems(city)
    for problem in problems:
        err.print(f"[red]error[/red] {problem}", soft_wrap=True, highlight=False)
    warning = holiday_warning(city, SystemClock())
    if warning:
        err.print(f"[yellow]warning[/yellow] {warning}", soft_wrap=True, highlight=False)
    known = city.calendar.holidays_known_until
    err.print(
        f"{settings.config_dir}: {len(city.grids)} grids, {len(city.case_types)} case types; "
        f"holiday data until {known or 'not used'}; {len(problems)} "
        f"error{'' if len(problems) == 1 else 's'}, "
        f"{int(bool(warning))} warning{'' if warning else 's'}",
        soft_wrap=True,
        highlight=False,
    )
    if problems:
        raise typer.Exit(1)
