"""`cases export`: the cases filed in a period, one row each, streamed into a file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.export_words import ExportWords
from bot.i18n import Catalog
from config.schema import CityConfig
from services.admin.case_facts import stream_case_facts
from services.admin.export_rows import HEADERS, export_row
from services.admin.period import Period
from services.admin.sheets import open_sheet
from services.statistics.kpi import grades_by_number


def _no_progress(_: int) -> None:
    return None


async def export_cases(
    session: AsyncSession,
    city: CityConfig,
    period: Period,
    now: datetime,
    path: Path,
    fmt: str,
    on_row: Callable[[int], None] = _no_progress,
    catalog: Catalog | None = None,
) -> int:
    """Write the file and return how many cases it holds; `on_row` drives a progress bar.

    `catalog` gives the status and evaluation names (the shipped one by default)."""
    words = ExportWords(catalog or Catalog.load())
    written = 0
    grades = await grades_by_number(session, period.start, period.end)
    with open_sheet(path, fmt, HEADERS) as sheet:
        async for facts in stream_case_facts(session, period):
            sheet.add(export_row(facts, city, now, words, grades.get(facts.number, ())))
            written += 1
            on_row(written)
    return written
