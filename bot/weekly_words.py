"""The weekly report's words: the caption as a :class:`~bot.notices.Notice`, and the chart's
labels in one language.

``services.statistics.weekly_report`` counts the week (``domain.statistics.WeeklyFigures``)
and queues the notice; the renderer says it in each supervisor's language. Names the city no
longer has (a removed case type, grid or community) are shown as their ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from bot.notices import Notice, Renderer, Say, Value, Worded
from bot.weekly_chart import ChartData, ChartTexts
from domain.statistics import Ratio, WeeklyFigures, median_span

TOP_IN_SUMMARY = 3


def _say(key: str, **values: Value) -> Say:
    return Say(f"report_weekly.{key}", **values)


@dataclass(frozen=True)
class ScopeName(Worded):
    """A community's name (None: the city's); an unknown id as it is."""

    community_id: str | None

    def word(self, render: Renderer, lang: str) -> str:
        if self.community_id is None:
            return render.city.city_name.get(lang)
        community = render.city.communities.get(self.community_id)
        return community.name.get(lang) if community else self.community_id


@dataclass(frozen=True)
class TypeName(Worded):
    """A case type's name; an unknown id as it is."""

    case_type: str

    def word(self, render: Renderer, lang: str) -> str:
        known = render.city.case_types.get(self.case_type)
        return known.name.get(lang) if known else self.case_type


@dataclass(frozen=True)
class GridOrNone(Worded):
    """A grid's name; an unknown id as it is; None as the "no grid" words."""

    grid_id: str | None

    def word(self, render: Renderer, lang: str) -> str:
        known = render.city.grids.get(self.grid_id) if self.grid_id else None
        if known is not None:
            return known.name.get(lang)
        return self.grid_id or render.say(lang, _say("no_grid"))


@dataclass(frozen=True)
class Counted(Worded):
    """(name, count) pairs as one line, e.g. "环境卫生 3 件、噪音 2 件" / "Noise (2), ..."."""

    items: tuple[tuple[Worded, int], ...]

    def word(self, render: Renderer, lang: str) -> str:
        separator = render.say(lang, _say("separator"))
        return separator.join(
            render.say(lang, _say("item", name=name, count=count)) for name, count in self.items
        )


def duration(span: timedelta) -> Say:
    """A clock span in minutes under an hour, hours (one decimal) under a day, else days and
    hours."""
    minutes = round(span.total_seconds() / 60)
    if minutes < 60:
        return _say("minutes", minutes=minutes)
    hours = minutes / 60
    if hours < 24:
        return _say("hours", hours=f"{hours:.1f}")
    return _say("days_hours", days=int(hours // 24), hours=round(hours % 24))


def period(figures: WeeklyFigures) -> Say:
    """The week's first and last local days (ISO dates) in words."""
    return _say("period", first=figures.first_day.isoformat(), last=figures.last_day.isoformat())


def rate(ratio: Ratio) -> str:
    """A ratio as a percentage with one decimal; "—" when nothing counts."""
    return "—" if ratio.rate is None else f"{ratio.rate:.1%}"


def weekly_notice(figures: WeeklyFigures) -> Notice:
    """The report's text lines under the chart: scope, period, counts, median, overdue, and
    the KPIs when any report was filed. The chart is attached by the caller."""
    notice = Notice().line(_say("title", scope=ScopeName(figures.community_id)))
    notice.line(period(figures))
    if figures.received:
        disposal = figures.disposal_rate or 0.0
        notice.line(_say("received", received=figures.received, disposed=figures.disposed,
                         rate=f"{disposal:.1%}"))  # fmt: skip
        top = list(figures.received_by_type.items())[:TOP_IN_SUMMARY]
        notice.line(_say("top_types", types=Counted(tuple((TypeName(k), n) for k, n in top))))
    else:
        notice.line(_say("nothing_received"))
    middle = figures.median_resolve
    if middle is None:
        notice.line(_say("median_none"))
    else:
        notice.line(_say("median", median=duration(middle), count=figures.resolved))
    if figures.overdue:
        top_grids = list(figures.overdue_by_grid.items())[:TOP_IN_SUMMARY]
        grids = Counted(tuple((GridOrNone(g), n) for g, n in top_grids))
        notice.line(_say("overdue", count=figures.overdue, grids=grids))
    else:
        notice.line(_say("overdue_none"))
    if figures.kpis is not None and figures.kpis.cases:
        k = figures.kpis
        notice.line(Say("office.kpi.line", response=rate(k.response), on_time=rate(k.on_time),
                        satisfaction=rate(k.satisfaction), redo=rate(k.redo)))  # fmt: skip
    return notice


def _kpi_bars(figures: WeeklyFigures) -> list[tuple[Say, Ratio]]:
    """The chart's KPI panel: the disposal rate, then the four office KPIs."""
    rows = [(_say("chart_disposal"), Ratio(figures.disposed, figures.received))]
    if figures.kpis is not None:
        k = figures.kpis
        rows += [
            (Say("office.kpi.response"), k.response),
            (Say("office.kpi.on_time"), k.on_time),
            (Say("office.kpi.satisfaction"), k.satisfaction),
            (Say("office.kpi.redo"), k.redo),
        ]
    return rows


def weekly_chart_data(figures: WeeklyFigures, render: Renderer, lang: str) -> ChartData:
    """The chart's data with labels in `lang`; medians in hours (float)."""

    def say(item: Say | Worded) -> str:
        return str(render.value(lang, item))

    def names(rows: Iterable[tuple[Worded, int]]) -> list[tuple[str, int]]:
        return [(say(name), n) for name, n in rows]

    times = figures.resolve_times_by_type
    by_median = sorted(
        ((say(TypeName(k)), _hours(median_span(v))) for k, v in times.items()),
        key=lambda row: -row[1],
    )
    overall = figures.median_resolve
    return ChartData(
        texts=ChartTexts(
            title=f"{say(ScopeName(figures.community_id))} · {say(period(figures))}",
            by_type=say(_say("chart_by_type")),
            disposal=say(Say("office.kpi.chart_title")),
            median=say(_say("chart_median")),
            overdue=say(_say("chart_overdue")),
            disposed=say(_say("chart_disposed")),
            not_disposed=say(_say("chart_not_disposed")),
            overall=say(_say("chart_overall")),
            no_data=say(_say("chart_no_data")),
            no_overdue=say(_say("chart_no_overdue")),
        ),
        by_type=[
            (say(TypeName(k)), n, figures.disposed_by_type.get(k, 0))
            for k, n in figures.received_by_type.items()
        ],
        received=figures.received,
        disposed=figures.disposed,
        median_hours=by_median,
        overall_median_hours=_hours(overall) if overall is not None else None,
        overdue=names((GridOrNone(g), n) for g, n in figures.overdue_by_grid.items()),
        kpis=[
            (say(name), ratio.rate, f"{ratio.hit}/{ratio.of}") for name, ratio in _kpi_bars(figures)
        ],
    )


def _hours(span: timedelta) -> float:
    return span.total_seconds() / 3600
