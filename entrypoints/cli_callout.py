"""`griddesk callout`: create, follow and cancel volunteer call-outs from the shell.

The same service as the bot's wizard (`create_callout`), so the same rules apply; the
broadcast is queued in the outbox and sent by the running bot's dispatcher.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from sqlalchemy import select

from bot.runtime import Runtime
from bot.settings import SettingsError, load_settings
from entrypoints.cli_common import err, out
from nlu.types import Prediction
from services.volunteers.desk import VolunteerDesk, VolunteerError
from storage.models import User

callout_app = typer.Typer(help="Volunteer call-outs.", no_args_is_help=True)
T = TypeVar("T")


class _NoNlu:
    """Call-out commands never parse resident text; skip loading the model."""

    name = "none"

    async def parse(self, text: str) -> Prediction:
        raise RuntimeError("no NLU in admin commands")


def _with_desk(work: Callable[[VolunteerDesk], Awaitable[T]]) -> T:
    """Run `work` in one transaction on a migrated store; errors become exit code 2."""
    from config.volunteers import volunteer_config
    from entrypoints.app import build_runtime, prepare_database

    try:
        settings = load_settings()
    except SettingsError as exc:
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise typer.Exit(2) from exc
    runtime: Runtime = build_runtime(settings, nlu=_NoNlu(), warn_holidays=False)

    async def go() -> T:
        await prepare_database(runtime)
        try:
            async with runtime.db.transaction() as session:
                desk = VolunteerDesk(
                    session=session,
                    city=runtime.city,
                    catalog=runtime.catalog,
                    config=volunteer_config(settings.config_dir),
                    now=runtime.clock.now(),
                    send_per_second=settings.send_per_second,
                )
                return await work(desk)
        finally:
            await runtime.db.dispose()

    try:
        return asyncio.run(go())
    except VolunteerError as exc:
        text = runtime.catalog.t("en", "volunteer." + exc.key, **exc.values)
        err.print(text, style="red", markup=False, highlight=False)
        raise typer.Exit(2) from exc


@callout_app.command("create")
def create(
    title: Annotated[str, typer.Option(help="what the volunteers will do")],
    place: Annotated[str, typer.Option(help="address or place name")],
    when: Annotated[str, typer.Option(help='city time, e.g. "2026-11-25 09:00-12:00"')],
    needed: Annotated[int, typer.Option(help="how many people")],
    skill: Annotated[list[str] | None, typer.Option(help="a skill id wanted; repeat")] = None,
    grid: Annotated[list[str] | None, typer.Option(help="send only to this grid; repeat")] = None,
    by_skills: Annotated[
        bool, typer.Option("--by-skills", help="send only to volunteers with a wanted skill")
    ] = False,
    lat: Annotated[float | None, typer.Option(help="map pin latitude")] = None,
    lon: Annotated[float | None, typer.Option(help="map pin longitude")] = None,
    community: Annotated[
        str | None, typer.Option(help="limit to this community (default: coordinator's)")
    ] = None,
    coordinator: Annotated[
        int | None, typer.Option(help="Telegram id of the supervisor who runs it")
    ] = None,
) -> None:
    """Create a call-out and queue its broadcast (target: --grid, --by-skills, or everyone)."""
    from bot.volunteer_words import when_examples
    from services.volunteers.callouts import CallOutSpec, create_callout
    from services.volunteers.windows import BadWindow, parse_window

    async def work(desk: VolunteerDesk) -> str:
        try:
            starts_at, ends_at = parse_window(when, desk.now, desk.city.timezone)
        except BadWindow as exc:
            examples = when_examples(desk.catalog, "en", desk.now, desk.city.timezone)
            raise VolunteerError("wizard.bad_when", examples=examples) from exc
        lead = await _coordinator(desk, coordinator)
        scope = community if community is not None else lead.community_id if lead else None
        if scope is not None and scope not in desk.city.communities:
            raise VolunteerError("callout.bad_community", community=scope)
        spec = CallOutSpec(
            title=title,
            place=place,
            starts_at=starts_at,
            ends_at=ends_at,
            needed=needed,
            skills=list(skill or []),
            target="grids" if grid else "skills" if by_skills else "all",
            target_grids=list(grid or []),
            latitude=lat,
            longitude=lon,
        )
        callout = await create_callout(desk, spec, lead, scope)
        minutes = callout.broadcast_total / desk.send_per_second / 60
        return (
            f"call-out {callout.id}: {callout.broadcast_total} messages queued "
            f"(about {minutes:.1f} min at {desk.send_per_second:g}/s)"
        )

    out.print(_with_desk(work), markup=False, highlight=False)


async def _coordinator(desk: VolunteerDesk, telegram_id: int | None) -> User | None:
    if telegram_id is None:
        return None
    user = (
        await desk.session.execute(select(User).where(User.telegram_id == telegram_id))
    ).scalar_one_or_none()
    if user is None or user.role != "supervisor" or not user.active:
        raise VolunteerError("callout.coordinator_not_supervisor", telegram_id=str(telegram_id))
    return user


@callout_app.command("status")
def status(callout_id: Annotated[int, typer.Argument(help="the call-out's number")]) -> None:
    """Broadcast progress and roster of a call-out."""
    from services.volunteers.batch import batch_progress
    from services.volunteers.callouts import load_callout
    from services.volunteers.roster import JOINED, WAITLISTED, count

    async def work(desk: VolunteerDesk) -> str:
        callout = await load_callout(desk.session, callout_id)
        p = await batch_progress(desk.session, callout.batch_key or "", desk.now)
        joined = await count(desk.session, callout.id, JOINED)
        waiting = await count(desk.session, callout.id, WAITLISTED)
        return (
            f"{callout.title} [{callout.status}]\n"
            f"broadcast: sent {p.sent}/{p.total}, waiting {p.waiting}, blocked {p.blocked}, "
            f"failed {p.failed}, cancelled {p.cancelled}, {p.per_second:.1f}/s\n"
            f"roster: {joined}/{callout.needed}, waitlist {waiting}"
        )

    out.print(_with_desk(work), markup=False, highlight=False)


@callout_app.command("cancel")
def cancel(callout_id: Annotated[int, typer.Argument(help="the call-out's number")]) -> None:
    """Cancel: unsent messages are stopped, everyone reached or on the roster is told."""
    from services.volunteers.callouts import load_callout
    from services.volunteers.changes import cancel_callout

    async def work(desk: VolunteerDesk) -> str:
        callout = await load_callout(desk.session, callout_id, lock=True)
        done = await cancel_callout(desk, callout)
        return f"cancelled: {done.stopped} unsent messages stopped, {done.told} people told"

    out.print(_with_desk(work), markup=False, highlight=False)
