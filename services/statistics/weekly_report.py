"""Monday's report to each supervisor: last week in their scope, as a chart and a few lines.

The week is the seven whole local days before the day the report is made, so a report made
on Monday morning (or late, after a restart) covers Monday to Sunday. Within a supervisor's
scope (their community, or the whole city):

- received: cases filed in the week, by case type;
- disposed: of those, the ones resolved or closed by now; disposal rate = disposed / received;
- median time to resolve: filing to resolution, over the cases resolved in the week and still
  resolved or closed (filed whenever: a week's fast cases alone would flatter it);
- overdue: open cases past their due time when the report is made, by grid;
- the street office's KPIs (响应率, 按时办结率, 满意率, 重办率) over the reports filed in the
  week, from `services.statistics.kpi` like `griddesk stats` and the export.

Consultations count in their community; a case of a grid counts in the grid's community.
"""

from __future__ import annotations

import asyncio
import base64
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import Renderer
from bot.weekly_chart import chart_language, render_chart
from bot.weekly_words import weekly_chart_data, weekly_notice
from config.schema import CityConfig
from domain.lifecycle import OPEN_STATUS_VALUES, CaseStatus
from domain.statistics import WeeklyFigures
from services import notify
from services.statistics.kpi import compute_kpis, read_kpi_cases
from storage.models import Case, Grid, User

DAYS = 7
DISPOSED = (CaseStatus.RESOLVED.value, CaseStatus.CLOSED.value)
KIND = "weekly_report"
_Row = TypeVarTuple("_Row")


def week_before(now: datetime, timezone: tzinfo) -> tuple[date, datetime, datetime]:
    """(first local day, start, end) of the seven whole local days before `now`'s local day
    in `timezone`; start and end are aware UTC (local midnights), end exclusive."""
    today = now.astimezone(timezone).date()
    first = today - timedelta(days=DAYS)
    return first, _midnight(first, timezone), _midnight(today, timezone)


def _midnight(day: date, timezone: tzinfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=timezone).astimezone(UTC)


def _scoped(statement: Select[*_Row], community_id: str | None) -> Select[*_Row]:
    if community_id is None:
        return statement
    community: ColumnElement[str | None] = func.coalesce(Case.community_id, Grid.community_id)
    return statement.outerjoin(Grid, Grid.id == Case.grid_id).where(community == community_id)


async def weekly_figures(
    session: AsyncSession, timezone: tzinfo, community_id: str | None, now: datetime
) -> WeeklyFigures:
    """The figures of the week before `now` (aware UTC) in the city's `timezone`, for one
    community or (None) the whole city. Reads only."""
    first, start, end = week_before(now, timezone)
    received = await session.execute(
        _scoped(
            select(Case.case_type, Case.status, func.count())
            .where(Case.created_at >= start, Case.created_at < end)
            .group_by(Case.case_type, Case.status),
            community_id,
        )
    )
    by_type: Counter[str] = Counter()
    disposed: Counter[str] = Counter()
    for case_type, status, count in received:
        by_type[case_type] += count
        if status in DISPOSED:
            disposed[case_type] += count
    resolved = await session.execute(
        _scoped(
            select(Case.case_type, Case.created_at, Case.resolved_at).where(
                Case.resolved_at >= start, Case.resolved_at < end, Case.status.in_(DISPOSED)
            ),
            community_id,
        )
    )
    times: defaultdict[str, list[timedelta]] = defaultdict(list)
    for case_type, created_at, resolved_at in resolved:
        if resolved_at is not None:
            times[case_type].append(resolved_at - created_at)
    overdue = await session.execute(
        _scoped(
            select(Case.grid_id, func.count())
            .where(Case.status.in_(OPEN_STATUS_VALUES), Case.due_at < now)
            .group_by(Case.grid_id),
            community_id,
        )
    )
    by_grid: Counter[str | None] = Counter()
    for grid_id, count in overdue:
        by_grid[grid_id] += count
    return WeeklyFigures(
        community_id=community_id,
        first_day=first,
        last_day=first + timedelta(days=DAYS - 1),
        received_by_type=dict(by_type.most_common()),
        disposed_by_type=dict(disposed),
        resolve_times_by_type=dict(times),
        overdue_by_grid=dict(by_grid.most_common()),
        kpis=compute_kpis(await read_kpi_cases(session, start, end, community_id), now),
    )


async def queue_weekly_reports(
    session: AsyncSession, city: CityConfig, catalog: Catalog, now: datetime
) -> int:
    """One photo message per active supervisor, in their language; returns how many.
    `now` is aware UTC and picks the week (see week_before); queues outbox rows, no flush.

    Figures are read once per scope and each chart drawn once per scope and language, in a
    worker thread so the bot keeps answering meanwhile. The words are ``bot.weekly_words``:
    the caption is a notice, the chart's labels are said in the language it is drawn in.
    """
    supervisors = (
        await session.execute(
            select(User)
            .where(User.role == "supervisor", User.active.is_(True))
            .order_by(User.id)
        )
    ).scalars().all()  # fmt: skip
    render = Renderer(catalog, city)
    figures: dict[str | None, WeeklyFigures] = {}
    charts: dict[tuple[str | None, str], str] = {}
    for supervisor in supervisors:
        scope = supervisor.community_id
        if scope not in figures:
            figures[scope] = await weekly_figures(session, city.timezone, scope, now)
        lang = notify.language_of(supervisor, catalog.default_language)
        drawn_in = await asyncio.to_thread(chart_language, lang)  # may load matplotlib's fonts
        if (scope, drawn_in) not in charts:
            data = weekly_chart_data(figures[scope], render, drawn_in)
            png = await asyncio.to_thread(render_chart, data)
            charts[scope, drawn_in] = base64.b64encode(png).decode("ascii")
        notice = weekly_notice(figures[scope])
        notice.extra["photo_png_b64"] = charts[scope, drawn_in]  # uploaded with sendPhoto
        notify.tell(session, supervisor.telegram_id, lang, notice, catalog, city, now, kind=KIND)
    return len(supervisors)
