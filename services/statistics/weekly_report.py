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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from statistics import median
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from config.schema import CityConfig
from domain.lifecycle import OPEN_STATUS_VALUES, CaseStatus
from services import notify
from services.statistics.kpi import Kpis, Ratio, compute_kpis, read_kpi_cases
from services.statistics.weekly_chart import ChartData, ChartTexts, chart_language, render_chart
from storage.models import Case, Grid, User

DAYS = 7
DISPOSED = (CaseStatus.RESOLVED.value, CaseStatus.CLOSED.value)
TOP_IN_SUMMARY = 3
KIND = "weekly_report"
_Row = TypeVarTuple("_Row")


@dataclass(frozen=True)
class WeeklyFigures:
    """Last week's figures in one scope; days are the city's local dates, spans clock time."""

    community_id: str | None  # None: the whole city
    first_day: date  # local, inclusive
    last_day: date  # local, inclusive
    received_by_type: dict[str, int]  # most first
    disposed_by_type: dict[str, int]
    resolve_times_by_type: dict[str, list[timedelta]]
    overdue_by_grid: dict[str | None, int]  # most first; None: cases without a grid
    kpis: Kpis | None = None  # over the reports filed in the week

    @property
    def received(self) -> int:
        """Cases filed in the week."""
        return sum(self.received_by_type.values())

    @property
    def disposed(self) -> int:
        """Of those, the ones resolved or closed by the time the report is made."""
        return sum(self.disposed_by_type.values())

    @property
    def disposal_rate(self) -> float | None:
        """disposed / received as a fraction 0..1; None when nothing was received."""
        return self.disposed / self.received if self.received else None

    @property
    def resolved(self) -> int:
        """Cases resolved in the week (filed whenever) and still resolved or closed."""
        return sum(len(times) for times in self.resolve_times_by_type.values())

    @property
    def median_resolve(self) -> timedelta | None:
        """Median filing-to-resolution clock time over all types; None when none resolved."""
        times = [t for per_type in self.resolve_times_by_type.values() for t in per_type]
        return median_span(times) if times else None

    @property
    def overdue(self) -> int:
        """Open cases past their due time when the report is made."""
        return sum(self.overdue_by_grid.values())


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


class WeeklyWords:
    """The report's words in one language: the caption, and the chart's labels."""

    def __init__(self, city: CityConfig, catalog: Catalog, lang: str) -> None:
        self.city, self.catalog, self.lang = city, catalog, lang

    def t(self, key: str, **values: object) -> str:
        """The catalog text `report_weekly.<key>` in this language, filled with `values`."""
        return self.catalog.t(self.lang, f"report_weekly.{key}", **values)

    def scope(self, community_id: str | None) -> str:
        """The community's name (None: the city's); an unknown id is shown as it is."""
        if community_id is None:
            return self.city.city_name.get(self.lang)
        community = self.city.communities.get(community_id)
        return community.name.get(self.lang) if community else community_id

    def case_type(self, case_type_id: str) -> str:
        """The case type's name; an unknown id is shown as it is."""
        known = self.city.case_types.get(case_type_id)
        return known.name.get(self.lang) if known else case_type_id

    def grid(self, grid_id: str | None) -> str:
        """The grid's name; an unknown id as it is; None as the "no grid" words."""
        known = self.city.grids.get(grid_id) if grid_id else None
        if known is not None:
            return known.name.get(self.lang)
        return grid_id or self.t("no_grid")

    def duration(self, span: timedelta) -> str:
        """A clock span in minutes under an hour, hours (one decimal) under a day, else days
        and hours."""
        minutes = round(span.total_seconds() / 60)
        if minutes < 60:
            return self.t("minutes", minutes=minutes)
        hours = minutes / 60
        if hours < 24:
            return self.t("hours", hours=f"{hours:.1f}")
        return self.t("days_hours", days=int(hours // 24), hours=round(hours % 24))

    def list_of(self, items: Iterable[tuple[str, int]]) -> str:
        """(name, count) pairs as one line, e.g. "环境卫生 3 件、噪音 2 件" / "Noise (2), ..."."""
        return self.t("separator").join(self.t("item", name=n, count=c) for n, c in items)

    def period(self, figures: WeeklyFigures) -> str:
        """The week's first and last local days (ISO dates) in words."""
        first, last = figures.first_day.isoformat(), figures.last_day.isoformat()
        return self.t("period", first=first, last=last)

    def caption(self, figures: WeeklyFigures) -> str:
        """The report's text lines under the chart: scope, period, counts, median, overdue,
        and the KPIs when any report was filed."""
        lines = [self.t("title", scope=self.scope(figures.community_id)), self.period(figures)]
        if figures.received:
            rate = figures.disposal_rate or 0.0
            lines.append(self.t("received", received=figures.received,
                                disposed=figures.disposed, rate=f"{rate:.1%}"))  # fmt: skip
            top = list(figures.received_by_type.items())[:TOP_IN_SUMMARY]
            types = self.list_of((self.case_type(k), n) for k, n in top)
            lines.append(self.t("top_types", types=types))
        else:
            lines.append(self.t("nothing_received"))
        middle = figures.median_resolve
        if middle is None:
            lines.append(self.t("median_none"))
        else:
            lines.append(self.t("median", median=self.duration(middle), count=figures.resolved))
        if figures.overdue:
            top_grids = list(figures.overdue_by_grid.items())[:TOP_IN_SUMMARY]
            grids = self.list_of((self.grid(g), n) for g, n in top_grids)
            lines.append(self.t("overdue", count=figures.overdue, grids=grids))
        else:
            lines.append(self.t("overdue_none"))
        if figures.kpis is not None and figures.kpis.cases:
            k = figures.kpis
            lines.append(
                self.catalog.t(
                    self.lang,
                    "office.kpi.line",
                    response=self.rate(k.response),
                    on_time=self.rate(k.on_time),
                    satisfaction=self.rate(k.satisfaction),
                    redo=self.rate(k.redo),
                )
            )
        return "\n".join(lines)

    def rate(self, ratio: Ratio) -> str:
        """A ratio as a percentage with one decimal; "—" when nothing counts."""
        return "—" if ratio.rate is None else f"{ratio.rate:.1%}"

    def kpi_bars(self, figures: WeeklyFigures) -> list[tuple[str, float | None, str]]:
        """The chart's KPI panel: the disposal rate, then the four office KPIs."""
        t = self.catalog.t
        rows = [(self.t("chart_disposal"), Ratio(figures.disposed, figures.received))]
        if figures.kpis is not None:
            k = figures.kpis
            rows += [
                (t(self.lang, "office.kpi.response"), k.response),
                (t(self.lang, "office.kpi.on_time"), k.on_time),
                (t(self.lang, "office.kpi.satisfaction"), k.satisfaction),
                (t(self.lang, "office.kpi.redo"), k.redo),
            ]
        return [(name, ratio.rate, f"{ratio.hit}/{ratio.of}") for name, ratio in rows]

    def chart(self, figures: WeeklyFigures) -> ChartData:
        """The chart's data with labels in this language; medians in hours (float)."""
        times = figures.resolve_times_by_type
        by_median = sorted(
            ((self.case_type(k), _hours(median_span(v))) for k, v in times.items()),
            key=lambda row: -row[1],
        )
        overall = figures.median_resolve
        return ChartData(
            texts=ChartTexts(
                title=f"{self.scope(figures.community_id)} · {self.period(figures)}",
                by_type=self.t("chart_by_type"),
                disposal=self.catalog.t(self.lang, "office.kpi.chart_title"),
                median=self.t("chart_median"),
                overdue=self.t("chart_overdue"),
                disposed=self.t("chart_disposed"),
                not_disposed=self.t("chart_not_disposed"),
                overall=self.t("chart_overall"),
                no_data=self.t("chart_no_data"),
                no_overdue=self.t("chart_no_overdue"),
            ),
            by_type=[
                (self.case_type(k), n, figures.disposed_by_type.get(k, 0))
                for k, n in figures.received_by_type.items()
            ],
            received=figures.received,
            disposed=figures.disposed,
            median_hours=by_median,
            overall_median_hours=_hours(overall) if overall is not None else None,
            overdue=[(self.grid(g), n) for g, n in figures.overdue_by_grid.items()],
            kpis=self.kpi_bars(figures),
        )


def median_span(spans: list[timedelta]) -> timedelta:
    """The median of clock spans.

    Raises:
        statistics.StatisticsError: `spans` is empty.
    """
    return timedelta(seconds=median(span.total_seconds() for span in spans))


def _hours(span: timedelta) -> float:
    return span.total_seconds() / 3600


async def queue_weekly_reports(
    session: AsyncSession, city: CityConfig, catalog: Catalog, now: datetime
) -> int:
    """One photo message per active supervisor, in their language; returns how many.
    `now` is aware UTC and picks the week (see week_before); queues outbox rows, no flush.

    Figures are read once per scope and each chart drawn once per scope and language, in a
    worker thread so the bot keeps answering meanwhile.
    """
    supervisors = (
        await session.execute(
            select(User)
            .where(User.role == "supervisor", User.active.is_(True))
            .order_by(User.id)
        )
    ).scalars().all()  # fmt: skip
    figures: dict[str | None, WeeklyFigures] = {}
    charts: dict[tuple[str | None, str], str] = {}
    for supervisor in supervisors:
        scope = supervisor.community_id
        if scope not in figures:
            figures[scope] = await weekly_figures(session, city.timezone, scope, now)
        lang = notify.language_of(supervisor, catalog.default_language)
        drawn_in = await asyncio.to_thread(chart_language, lang)  # may load matplotlib's fonts
        if (scope, drawn_in) not in charts:
            data = WeeklyWords(city, catalog, drawn_in).chart(figures[scope])
            png = await asyncio.to_thread(render_chart, data)
            charts[scope, drawn_in] = base64.b64encode(png).decode("ascii")
        caption = WeeklyWords(city, catalog, lang).caption(figures[scope])
        notify.queue(
            session, supervisor, caption, now, kind=KIND,
            extra={"photo_png_b64": charts[scope, drawn_in]},  # uploaded with sendPhoto
        )  # fmt: skip
    return len(supervisors)
