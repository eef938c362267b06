"""`griddesk stats`: the KPIs by community, grid and case type, under the names people use.

Reports in, rich tables out, no I/O. The figures come from `services.statistics.kpi`, the same
service the weekly report and the export use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.table import Table

from config.schema import CityConfig
from services.admin.render import DASH, duration
from services.statistics.kpi import Dimension, KpiCase, Kpis, Ratio, compute_kpis, kpis_by

TITLES: dict[Dimension, str] = {
    "community": "KPIs by community",
    "grid": "KPIs by grid",
    "case_type": "KPIs by case type",
}
CAPTION = (
    "响应率 accepted within the accept-SLA · 按时办结率 resolved by the due time (open and "
    "past due counts against) · 满意率 满意 or 基本满意 · 重办率 reopened after resolution"
)


def names(city: CityConfig, lang: str) -> dict[Dimension, Callable[[str | None], str]]:
    """Id -> name in `lang` for each dimension; an unknown id is shown as it is."""

    def of(table: dict[str, str]) -> Callable[[str | None], str]:
        return lambda key: table.get(key or "", key or DASH)

    return {
        "community": of({k: c.name.get(lang) for k, c in city.communities.items()}),
        "grid": of({k: g.name.get(lang) for k, g in city.grids.items()}),
        "case_type": of({k: t.name.get(lang) for k, t in city.case_types.items()}),
    }


def _ratio(ratio: Ratio) -> str:
    return DASH if ratio.rate is None else f"{ratio.rate:.1%} ({ratio.hit}/{ratio.of})"


def _cells(name: str, kpis: Kpis) -> list[str]:
    return [
        name,
        str(kpis.cases),
        _ratio(kpis.response),
        _ratio(kpis.on_time),
        _ratio(kpis.satisfaction),
        _ratio(kpis.redo),
        duration(kpis.median_close),
    ]


def kpi_table(
    cases: Sequence[KpiCase],
    now: datetime,
    dimension: Dimension,
    name_of: Callable[[str | None], str],
    period_label: str,
) -> Table:
    """A rich Table of the KPIs per `dimension` value (named by `name_of`) and a total row;
    `now` is aware UTC; rates as percentages, "—" when nothing counts."""
    table = Table(
        dimension.replace("_", " "),
        "cases",
        "响应率 response",
        "按时办结率 on time",
        "满意率 satisfied",
        "重办率 redo",
        "median to close",
        title=f"{TITLES[dimension]}, reports filed {period_label}",
        caption=CAPTION,
    )
    for column in table.columns[1:]:
        column.justify = "right"
    for key, kpis in kpis_by(cases, now, dimension).items():
        table.add_row(*_cells(name_of(key), kpis))
    table.add_section()
    table.add_row(*_cells("total", compute_kpis(cases, now)), style="bold")
    return table
