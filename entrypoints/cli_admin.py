"""`griddesk grids|staff|cases|stats|backup`: the admin's command line over `services.admin`.

Each command parses options, calls one `services.admin` function and draws the result.
Input the admin must fix (a date, a file, an id) exits 2 with the reason on stderr.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.settings import Settings, SettingsError, load_settings
from entrypoints.cli_common import err, out
from services.admin.errors import AdminInputError

grids_app = typer.Typer(help="Grid polygons (grids.geojson).", no_args_is_help=True)
staff_app = typer.Typer(help="Grid workers and supervisors.", no_args_is_help=True)
cases_app = typer.Typer(help="Cases: export for the street office.", no_args_is_help=True)
invite_app = typer.Typer(
    help="Invite codes: `griddesk invite --role …` makes one; list and revoke them."
)
T = TypeVar("T")

FromDay = Annotated[str | None, typer.Option("--from", help="first day, YYYY-MM-DD (city time)")]
ToDay = Annotated[str | None, typer.Option("--to", help="last day, inclusive, YYYY-MM-DD")]


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def _settings() -> Settings:
    try:
        settings = load_settings()
    except SettingsError as exc:
        _fail(str(exc))
    from bot.observability import configure_logging, secrets_of

    configure_logging(settings.log_level, False, secrets_of(settings), stream=sys.stderr)
    return settings


def _say(message: str) -> None:
    out.print(message, soft_wrap=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[red]{message}[/red]", soft_wrap=True, highlight=False)
    raise typer.Exit(code)


@contextmanager
def _admin_input() -> Iterator[None]:
    try:
        yield
    except AdminInputError as exc:
        _fail(str(exc))


def _run(work: Coroutine[Any, Any, T]) -> T:
    with _admin_input():
        return asyncio.run(work)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


@grids_app.command("import")
def grids_import(
    file: Annotated[Path, typer.Argument(help="a GeoJSON FeatureCollection of grid polygons")],
    write: Annotated[
        bool, typer.Option("--write", help="install it as the config's grids.geojson")
    ] = False,
) -> None:
    """Check grid polygons (shape, config, overlaps, gaps); install them only with --write."""
    from services.admin.grid_import import check_grid_file, install_grid_file
    from services.admin.render import gaps_table

    settings = _settings()
    with _progress() as progress:

        def phase(name: str) -> Callable[[int, int], None]:
            task = progress.add_task(f"checking {name}")
            return lambda done, total: progress.update(task, completed=done, total=total)

        check = check_grid_file(file, settings.config_dir, phase)
    if check.gaps:
        out.print(gaps_table(check.gaps))
    if not check.ok:
        for line in check.errors:
            err.print(f"[red]error[/red] {line}", soft_wrap=True, highlight=False)
        _fail(f"{file}: {len(check.errors)} problem(s); nothing written")
    target = settings.config_dir / "grids.geojson"
    _say(f"{file}: {len(check.grid_file.shapes)} grids, no overlaps, valid")
    if not write:
        _say(f"dry run: nothing written; add --write to install it as {target}")
        return
    try:
        installed = install_grid_file(check.grid_file.raw, settings.config_dir)
    except OSError as exc:
        _fail(f"could not write into {settings.config_dir}: {exc}", code=1)
    kept = f" (previous file kept as {installed.backup})" if installed.backup else ""
    _say(f"installed {installed.path}{kept}; restart the bot to route by it")


@staff_app.command("list")
def staff_list() -> None:
    """Workers and supervisors: role, scope, active, open cases (ids masked)."""
    from services.admin.render import staff_table
    from services.admin.staff import StaffMember, list_staff
    from services.admin.store import open_store

    settings = _settings()

    async def go() -> list[StaffMember]:
        async with open_store(settings) as db, db.transaction() as session:
            return await list_staff(session)

    members = _run(go())
    if members:
        out.print(staff_table(members))
    else:
        _say("no staff yet: make invite codes with `griddesk invite`")


@staff_app.command("disable")
def staff_disable(
    staff_id: Annotated[int, typer.Argument(help="the id `griddesk staff list` shows")],
    telegram_id: Annotated[
        bool, typer.Option("--telegram-id", help="the number is a full Telegram user id")
    ] = False,
) -> None:
    """Take a worker or supervisor off duty; their open cases are listed for reassignment."""
    from services.admin.render import open_cases_table
    from services.admin.staff import DisabledStaff, disable_staff
    from services.admin.store import load_city, open_store

    settings = _settings()
    with _admin_input():
        city = load_city(settings)

    async def go() -> DisabledStaff:
        async with open_store(settings) as db, db.transaction() as session:
            return await disable_staff(session, staff_id, by_telegram_id=telegram_id)

    done = _run(go())
    state = "disabled" if done.was_active else "was already disabled:"
    _say(f"{done.role} {done.masked_id} {state}; the bot no longer routes to them")
    if done.open_cases:
        out.print(open_cases_table(done.open_cases, city.timezone, datetime.now(UTC)))
        _say(
            f"{len(done.open_cases)} open case(s) stay assigned to them: a supervisor "
            "reassigns each one in the bot"
        )
    else:
        _say("no open cases assigned to them")


@invite_app.command("list")
def invite_list() -> None:
    """Every invite code (masked), newest first: open, used, expired or revoked."""
    from services.admin.invites import InviteRow, list_invites
    from services.admin.store import load_city, open_store

    settings = _settings()
    with _admin_input():
        city = load_city(settings)

    async def go() -> list[InviteRow]:
        async with open_store(settings) as db, db.transaction() as session:
            return await list_invites(session, datetime.now(UTC))

    rows = _run(go())
    if not rows:
        _say("no invite codes yet: make one with `griddesk invite --role worker --grid …`")
        return
    table = Table("id", "code", "role", "scope", "made", "valid until", "state", title="Invites")
    for row in rows:
        made, until = (
            t.astimezone(city.timezone).strftime("%Y-%m-%d %H:%M")
            for t in (row.created_at, row.expires_at)
        )
        table.add_row(str(row.id), row.code, row.role, row.scope, made, until, row.state)
    out.print(table)


@invite_app.command("revoke")
def invite_revoke(
    invite: Annotated[str, typer.Argument(help="the id `griddesk invite list` shows, or the code")],
) -> None:
    """Make an unused invite code unusable (a code that leaked or went to the wrong person)."""
    from services.admin.invites import InviteRow, revoke_invite
    from services.admin.store import open_store

    settings = _settings()

    async def go() -> InviteRow:
        async with open_store(settings) as db, db.transaction() as session:
            return await revoke_invite(session, invite, datetime.now(UTC))

    row = _run(go())
    _say(f"invite {row.id} ({row.code}, {row.role} for {row.scope}): {row.state}")


@cases_app.command("export")
def cases_export(
    from_day: Annotated[
        str | None,
        typer.Option(
            "--from", help="first day, YYYY-MM-DD (city time); default: 29 days before --to"
        ),
    ] = None,
    to_day: Annotated[
        str | None,
        typer.Option("--to", help="last day, inclusive, YYYY-MM-DD; default: today (city time)"),
    ] = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv or xlsx")] = ExportFormat.csv,
    out_file: Annotated[Path | None, typer.Option("--out", help="default: cases-FROM-TO.EXT")] = (
        None
    ),
) -> None:
    """One row per case filed in the period (default: the last 30 days, today included, in the
    city's time zone); no phone numbers or Telegram ids."""
    from services.admin.case_facts import count_cases
    from services.admin.export import export_cases
    from services.admin.period import parse_day, parse_period
    from services.admin.store import load_city, open_store

    settings = _settings()
    with _admin_input():
        city = load_city(settings)
        to_day = to_day or datetime.now(city.timezone).date().isoformat()
        if from_day is None:
            from_day = (parse_day(to_day, "--to") - timedelta(days=29)).isoformat()
        period = parse_period(from_day, to_day, city.timezone)
    path = out_file or Path(f"cases-{from_day}-{to_day}.{fmt.value}")
    if not path.parent.is_dir():
        _fail(f"--out: no directory {path.parent}")

    async def go() -> int:
        async with open_store(settings) as db, db.transaction() as session:
            total = await count_cases(session, period)
            with _progress() as progress:
                task = progress.add_task(f"exporting {path.name}", total=total)
                return await export_cases(
                    session,
                    city,
                    period,
                    datetime.now(UTC),
                    path,
                    fmt.value,
                    on_row=lambda n: progress.update(task, completed=n),
                )

    written = _run(go())
    _say(f"{written} case(s) filed {period.label} written to {path}")


def stats_command(
    from_day: FromDay = None,
    to_day: ToDay = None,
    lang: Annotated[str, typer.Option("--lang", help="names in zh or en")] = "zh",
) -> None:
    """Per grid and case type: received, disposed, rate, median times, overdue, rating;
    then the KPIs (响应率, 按时办结率, 满意率, 重办率, median to close) by community, grid and
    case type."""
    from services.admin.case_facts import count_cases
    from services.admin.kpi_tables import kpi_table, names
    from services.admin.period import parse_period
    from services.admin.render import stats_table
    from services.admin.stats import StatsReport, compute_stats
    from services.admin.store import load_city, open_store
    from services.statistics.kpi import KpiCase, read_kpi_cases

    settings = _settings()
    with _admin_input():
        city = load_city(settings)
        period = parse_period(from_day, to_day, city.timezone)

    if lang not in ("zh", "en"):
        _fail(f"--lang: {lang!r} is not zh or en")
    now = datetime.now(UTC)

    async def go() -> tuple[StatsReport, list[KpiCase]]:
        async with open_store(settings) as db, db.transaction() as session:
            total = await count_cases(session, period)
            with _progress() as progress:
                task = progress.add_task("reading cases", total=total)
                report = await compute_stats(
                    session,
                    period,
                    now,
                    on_row=lambda n: progress.update(task, completed=n),
                )
            return report, await read_kpi_cases(session, period.start, period.end)

    report, kpi_cases = _run(go())
    name_of = names(city, lang)
    out.print(stats_table(report, name_of["grid"], name_of["case_type"]))
    for dimension in ("community", "grid", "case_type"):
        out.print(kpi_table(kpi_cases, now, dimension, name_of[dimension], period.label))


def backup_command(
    out_dir: Annotated[Path, typer.Option("--out", help="directory for the copy")] = Path(
        "backups"
    ),
) -> None:
    """Copy the SQLite store while the bot runs, verified by PRAGMA integrity_check."""
    from services.admin.backup import BackupFailedError, backup_sqlite, sqlite_file

    settings = _settings()
    with _admin_input():
        source = sqlite_file(settings.database_url)
    try:
        with err.status(f"copying {source}…"):
            result = backup_sqlite(source, out_dir, datetime.now(UTC))
    except (BackupFailedError, OSError) as exc:
        _fail(f"backup failed: {exc}", code=1)
    cases = "no cases table" if result.cases is None else f"{result.cases} cases"
    _say(
        f"backup {result.path} ({result.size_bytes:,} bytes, {cases}); "
        f"integrity_check: {result.integrity}"
    )
