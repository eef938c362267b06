"""Rich tables for the admin commands: reports in, renderables out, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo

from rich.table import Table

from services.admin.grid_coverage import Gap
from services.admin.staff import OpenCase, StaffMember
from services.admin.stats import StatsLine, StatsReport
from services.statistics.kpi import Ratio

DASH = "—"


def duration(value: timedelta | None) -> str:
    """Short and sortable by eye: 45m, 3h 05m, 2d 4h."""
    if value is None:
        return DASH
    minutes = round(value.total_seconds() / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def _percent(value: float | None) -> str:
    return DASH if value is None else f"{value:.1%}"


def _stars(value: float | None) -> str:
    return DASH if value is None else f"{value:.2f}"


def _grades(line: StatsLine) -> str:
    """满意/基本满意/不满意 counts, e.g. 2/1/0; a dash when nobody evaluated."""
    if not line.satisfaction.of:
        return DASH
    return f"{line.satisfied}/{line.basically_satisfied}/{line.unsatisfied}"


def _share(ratio: Ratio) -> str:
    return DASH if ratio.rate is None else f"{ratio.rate:.1%}"


def _same(value: str) -> str:
    return value


def _stats_cells(
    line: StatsLine, grid_name: Callable[[str], str], type_name: Callable[[str], str]
) -> list[str]:
    return [
        grid_name(line.grid),
        type_name(line.case_type),
        str(line.received),
        str(line.disposed),
        _percent(line.disposal_rate),
        duration(line.median_accept),
        duration(line.median_resolve),
        str(line.overdue),
        _grades(line),
        _share(line.satisfaction),
        _stars(line.average_stars),
    ]


def stats_table(
    report: StatsReport,
    grid_name: Callable[[str], str] = _same,
    type_name: Callable[[str], str] = _same,
) -> Table:
    """`grid_name` / `type_name` turn ids into the names people use (an id stays as is)."""
    table = Table(
        "grid",
        "case type",
        "received",
        "disposed",
        "disposal rate",
        "median to accept",
        "median to resolve",
        "overdue",
        "满意/基本/不满意",
        "满意率 satisfied",
        "avg ★ (older)",
        title=f"Cases filed {report.period.label}",
        caption=(
            "disposed: resolved or closed; overdue: open past due, or disposed after due; "
            "grades 满意/基本满意/不满意, older 1-5 stars counted as 4-5 满意, 3 基本满意, "
            "1-2 不满意; 满意率 as in the KPI tables; avg ★: the stars given before the grades"
        ),
    )
    for column in table.columns[2:]:
        column.justify = "right"
    for line in report.lines:
        table.add_row(*_stats_cells(line, grid_name, type_name))
    table.add_section()
    table.add_row(*_stats_cells(report.total, _same, _same), style="bold")
    return table


def staff_table(members: Sequence[StaffMember]) -> Table:
    """The `staff list` table."""
    table = Table(
        "id", "name", "Telegram id", "role", "scope", "active", "open cases", title="Staff"
    )
    for m in members:
        active = "yes" if m.active else "[red]no[/red]"
        name = m.name or DASH
        table.add_row(
            str(m.staff_id), name, m.masked_id, m.role, m.scope, active, str(m.open_cases)
        )
    return table


def open_cases_table(cases: Sequence[OpenCase], timezone: tzinfo, now: datetime) -> Table:
    """Cases left with someone taken off duty; due times in the city's local `timezone`, in
    red when before `now` (aware UTC)."""
    table = Table("case", "status", "type", "grid", "due", title="Still assigned: reassign these")
    for case in cases:
        due = case.due_at.astimezone(timezone).strftime("%Y-%m-%d %H:%M")
        if case.due_at < now:
            due = f"[red]{due} (overdue)[/red]"
        table.add_row(case.number, case.status, case.case_type, case.grid_id or DASH, due)
    return table


def gaps_table(gaps: Sequence[Gap]) -> Table:
    """Each community's uncovered ground: hull in km², uncovered in m², share, an example
    (lon, lat)."""
    table = Table(
        "community",
        "hull area (km²)",
        "uncovered (m²)",
        "share",
        "e.g. at (lon, lat)",
        title="Gaps inside each community's convex hull",
        caption="exact areas (shapely); a gap may be on purpose (a park, a river)",
    )
    for gap in gaps:
        example = f"{gap.example[0]}, {gap.example[1]}" if gap.example else DASH
        uncovered = f"[yellow]{gap.uncovered_m2:,.0f}[/yellow]" if gap.uncovered_m2 else "0"
        table.add_row(
            gap.community_id,
            f"{gap.hull_m2 / 1e6:.3f}",
            uncovered,
            _percent(gap.share),
            example,
        )
    return table
