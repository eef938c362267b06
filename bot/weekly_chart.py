"""The weekly report's picture: four panels (cases by type, the office KPIs, median time to
resolve, overdue by grid) drawn with matplotlib's Agg renderer, as PNG bytes.

Takes plain, already translated values, so it knows nothing of cases or catalogs. Chinese
labels need a font with Chinese glyphs: the subset of Noto Sans CJK SC shipped beside this
module (``fonts/``, SIL OFL 1.1, made by ``scripts/subset-chart-font``), else one installed on
the system (Debian: ``fonts-noto-cjk`` or ``fonts-wqy-microhei``). With none,
:func:`chart_language` says to draw in English.
"""

from __future__ import annotations

import functools
import io
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

log = logging.getLogger(__name__)

BUNDLED_CJK_FONT = Path(__file__).with_name("fonts") / "NotoSansCJKsc-Regular-subset.otf"
# Installed Chinese fonts matplotlib may know by family name, best first.
SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)
LATIN_FAMILY = "DejaVu Sans"  # ships inside matplotlib
MOST_BARS = 12  # a panel with more would be unreadable on a phone
SIZE_INCHES, DPI = (11.0, 8.0), 100  # 1100 x 800 px
DISPOSED_COLOUR, OPEN_COLOUR = "#2e8b57", "#d9d9d9"
OVERDUE_COLOUR, TIME_COLOUR = "#c0392b", "#2c7fb8"
KPI_COLOUR = "#2e8b57"
# rcParams are process-wide: one drawing at a time.
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class ChartTexts:
    """The chart's titles, legends and empty-panel notes, already in the reader's language."""

    title: str
    by_type: str
    disposal: str
    median: str
    overdue: str
    disposed: str
    not_disposed: str
    overall: str  # the legend of the all-types median line
    no_data: str
    no_overdue: str


@dataclass(frozen=True)
class ChartData:
    """What the chart draws, plain values: counts, hours (float) and labels already
    translated; each panel shows at most MOST_BARS rows."""

    texts: ChartTexts
    by_type: Sequence[tuple[str, int, int]]  # (type, received, disposed), most received first
    received: int
    disposed: int
    median_hours: Sequence[tuple[str, float]]  # (type, median hours to resolve)
    overall_median_hours: float | None
    overdue: Sequence[tuple[str, int]]  # (grid, open cases past due), most first
    # (name, rate or None, "hit/of"): disposal rate and the office KPIs; empty: a donut of
    # the disposal rate alone.
    kpis: Sequence[tuple[str, float | None, str]] = ()


@functools.cache
def cjk_family() -> str | None:
    """The family name of a font with Chinese glyphs, registered with matplotlib; or None."""
    from matplotlib import font_manager

    try:
        font_manager.fontManager.addfont(BUNDLED_CJK_FONT)
        return str(font_manager.FontProperties(fname=BUNDLED_CJK_FONT).get_name())
    except (OSError, RuntimeError) as error:
        log.info("weekly chart: bundled Chinese font unavailable (%s); trying the system", error)
    for family in SYSTEM_CJK_FAMILIES:
        try:
            font_manager.findfont(family, fallback_to_default=False)
        except ValueError:
            continue
        return family
    log.warning("weekly chart: no font with Chinese glyphs; charts are labelled in English")
    return None


def chart_language(lang: str) -> str:
    """The language to label a chart in: the reader's, unless it needs a font we lack."""
    return lang if lang != "zh" or cjk_family() is not None else "en"


def render_chart(data: ChartData) -> bytes:
    """PNG bytes. CPU-bound for a few hundred milliseconds: call it off the event loop."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = cjk_family()
    fonts = [family, LATIN_FAMILY] if family else [LATIN_FAMILY]
    with _DRAWING, rc_context({"font.family": fonts, "axes.unicode_minus": False}):
        figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        figure.suptitle(data.texts.title, fontsize=15)
        (by_type, disposal), (median, overdue) = figure.subplots(2, 2)
        _by_type(by_type, data)
        _disposal(disposal, data)
        _median(median, data)
        _overdue(overdue, data)
        out = io.BytesIO()
        figure.savefig(out, format="png")
    return out.getvalue()


def _by_type(ax: Axes, data: ChartData) -> None:
    ax.set_title(data.texts.by_type)
    rows = list(data.by_type[:MOST_BARS])[::-1]  # barh draws bottom-up
    if not rows:
        _empty(ax, data.texts.no_data)
        return
    labels = [name for name, _, _ in rows]
    disposed = [done for _, _, done in rows]
    rest = [received - done for _, received, done in rows]
    ax.barh(labels, disposed, color=DISPOSED_COLOUR, label=data.texts.disposed)
    bars = ax.barh(labels, rest, left=disposed, color=OPEN_COLOUR, label=data.texts.not_disposed)
    ax.bar_label(bars, labels=[str(received) for _, received, _ in rows], padding=3)
    ax.legend(loc="lower right", fontsize=9)
    _whole_numbers(ax)


def _kpis(ax: Axes, data: ChartData) -> None:
    """One bar per rate, 0-100 %, labelled with the rate and its count ("—" when none)."""
    rows = list(data.kpis)[::-1]  # barh draws bottom-up
    values = [100 * rate if rate is not None else 0.0 for _, rate, _ in rows]
    bars = ax.barh([name for name, _, _ in rows], values, color=KPI_COLOUR)
    labels = [f"{rate:.1%} ({count})" if rate is not None else "—" for _, rate, count in rows]
    ax.bar_label(bars, labels=labels, padding=3)
    ax.set_xlim(0, 135)  # room for the labels of a full bar
    ax.set_xticks([0, 25, 50, 75, 100])


def _disposal(ax: Axes, data: ChartData) -> None:
    ax.set_title(data.texts.disposal)
    if data.kpis:
        _kpis(ax, data)
        return
    if not data.received:
        _empty(ax, data.texts.no_data)
        return
    ax.pie(
        [data.disposed, data.received - data.disposed],
        colors=[DISPOSED_COLOUR, OPEN_COLOUR],
        labels=[data.texts.disposed, data.texts.not_disposed],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.35},
    )
    rate = data.disposed / data.received
    ax.text(0, 0, f"{rate:.1%}\n{data.disposed}/{data.received}", ha="center", va="center",
            fontsize=16)  # fmt: skip
    ax.set_aspect("equal")


def _median(ax: Axes, data: ChartData) -> None:
    ax.set_title(data.texts.median)
    rows = list(data.median_hours[:MOST_BARS])[::-1]
    if not rows:
        _empty(ax, data.texts.no_data)
        return
    bars = ax.barh([name for name, _ in rows], [hours for _, hours in rows], color=TIME_COLOUR)
    ax.bar_label(bars, fmt="%.1f", padding=3)
    if data.overall_median_hours is not None:
        ax.axvline(data.overall_median_hours, color="#555555", linestyle="--",
                   label=f"{data.texts.overall}: {data.overall_median_hours:.1f}")  # fmt: skip
        ax.legend(loc="lower right", fontsize=9)
    ax.margins(x=0.15)


def _overdue(ax: Axes, data: ChartData) -> None:
    ax.set_title(data.texts.overdue)
    rows = list(data.overdue[:MOST_BARS])[::-1]
    if not rows:
        _empty(ax, data.texts.no_overdue)
        return
    bars = ax.barh([grid for grid, _ in rows], [count for _, count in rows], color=OVERDUE_COLOUR)
    ax.bar_label(bars, padding=3)
    _whole_numbers(ax)


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=13, color="#777777")
    ax.set_axis_off()


def _whole_numbers(ax: Axes) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(x=0.12)
