"""The weekly chart's Chinese labels come from the bundled Noto Sans CJK SC subset, every glyph.

matplotlib warns "Glyph ... missing from font(s)" and draws an empty box when no font in the
family list has a character; these tests turn that warning into a failure.
"""

from __future__ import annotations

import io
import warnings
from datetime import date, timedelta
from itertools import cycle, islice

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from bot import weekly_chart
from bot.i18n import Catalog
from bot.notices import Renderer
from bot.settings import SHIPPED_CONFIG_DIR
from bot.weekly_chart import BUNDLED_CJK_FONT, ChartData, render_chart
from bot.weekly_words import weekly_chart_data
from config.loader import load_config
from config.schema import CityConfig
from domain.statistics import WeeklyFigures

H = timedelta(hours=1)


@pytest.fixture(scope="module")
def city() -> CityConfig:
    return load_config(SHIPPED_CONFIG_DIR)


def figures(city: CityConfig, community_id: str | None) -> WeeklyFigures:
    """A week where every case type was received and every grid of the scope has overdue cases,
    so each shipped name becomes a label somewhere on the chart."""
    types = list(city.case_types)
    grids = [g.id for g in city.grids.values() if community_id in (None, g.community_id)]
    return WeeklyFigures(
        community_id=community_id,
        first_day=date(2026, 11, 16),
        last_day=date(2026, 11, 22),
        received_by_type={t: 20 - i for i, t in enumerate(types)},
        disposed_by_type={t: 10 - i // 2 for i, t in enumerate(types)},
        resolve_times_by_type={t: [(i + 1) * H, (i + 3) * H] for i, t in enumerate(types)},
        overdue_by_grid=dict(zip(grids, islice(cycle(range(9, 0, -1)), len(grids)), strict=True)),
    )


def chinese_charts(city: CityConfig) -> list[ChartData]:
    render = Renderer(Catalog.load(), city)
    scopes: list[str | None] = [None, *city.communities]
    charts = [weekly_chart_data(figures(city, scope), render, "zh") for scope in scopes]
    # Each panel also has an empty form ("no data", "no overdue cases").
    empty = WeeklyFigures(None, date(2026, 11, 16), date(2026, 11, 22), {}, {}, {}, {})
    return [*charts, weekly_chart_data(empty, render, "zh")]


def labels(chart: ChartData) -> str:
    return "".join(
        [
            *vars(chart.texts).values(),
            *(name for name, _, _ in chart.by_type),
            *(name for name, _ in chart.median_hours),
            *(name for name, _ in chart.overdue),
        ]
    )


def render_strictly(chart: ChartData) -> bytes:
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from font")
        return render_chart(chart)


def test_the_bundled_subset_is_what_the_chart_uses() -> None:
    assert BUNDLED_CJK_FONT.is_file()
    assert (BUNDLED_CJK_FONT.parent / "OFL.txt").is_file()
    assert weekly_chart.cjk_family() == "Noto Sans CJK SC"
    assert weekly_chart.chart_language("zh") == "zh"


def test_every_shipped_chart_label_has_a_glyph_in_the_subset(city: CityConfig) -> None:
    with TTFont(BUNDLED_CJK_FONT) as font:
        font_has = font.getBestCmap()
    text = "".join(labels(chart) for chart in chinese_charts(city))
    assert any("\u4e00" <= c <= "\u9fff" for c in text)  # the labels really are Chinese
    missing = sorted({c for c in text if not c.isspace() and ord(c) not in font_has})
    assert missing == []


def test_chinese_charts_render_with_no_glyph_missing(city: CityConfig) -> None:
    for chart in chinese_charts(city)[:2] + chinese_charts(city)[-1:]:
        png = render_strictly(chart)
        with Image.open(io.BytesIO(png)) as image:
            assert (image.format, image.size) == ("PNG", (1100, 800))


def test_a_character_outside_the_subset_is_caught(city: CityConfig) -> None:
    """The strict render does fail on a missing glyph (𠀀 is outside GB 2312 and the subset)."""
    chart = chinese_charts(city)[0]
    odd = ChartData(
        texts=chart.texts, by_type=[("𠀀", 2, 1)], received=2, disposed=1,
        median_hours=[], overall_median_hours=None, overdue=[],
    )  # fmt: skip
    with pytest.raises(UserWarning, match="missing from font"):
        render_strictly(odd)
