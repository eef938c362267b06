"""Due times as people say them (bot/due_text.py), from the shipped catalog.

Fuller rows (working days across holidays, said in both languages) are in
tests/unit/test_working_calendar.py; these pin the plural forms and the year rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast
from zoneinfo import ZoneInfo

import pytest

from bot.due_text import resolve_span, say_due, say_moment, say_span
from bot.i18n import Catalog
from config.schema import CaseType
from domain.calendar import SlaSpan, SlaUnit

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("lang", "span", "said"),
    [
        ("en", SlaSpan(1, SlaUnit.WORKING_DAYS), "1 working day"),
        ("en", SlaSpan(3, SlaUnit.WORKING_DAYS), "3 working days"),
        ("en", SlaSpan(1, SlaUnit.HOURS), "1 hour"),
        ("en", SlaSpan(4, SlaUnit.WORKING_HOURS), "4 working hours"),
        ("zh", SlaSpan(3, SlaUnit.WORKING_DAYS), "3个工作日"),
        ("zh", SlaSpan(4, SlaUnit.WORKING_HOURS), "4个工作小时"),
    ],
)
def test_say_span(catalog: Catalog, lang: str, span: SlaSpan, said: str) -> None:
    assert say_span(catalog, lang, span) == said


def test_a_moment_names_the_year_only_when_it_is_another(catalog: Catalog) -> None:
    moment = datetime(2027, 1, 4, 9, 30, tzinfo=UTC)  # Mon 4 Jan 17:30 in Shanghai
    same_year = datetime(2027, 1, 1, tzinfo=UTC)
    last_year = datetime(2026, 12, 31, tzinfo=UTC)
    assert say_moment(catalog, "en", moment, SHANGHAI, same_year) == "Mon 4 Jan, 17:30"
    assert say_moment(catalog, "en", moment, SHANGHAI, last_year) == "Mon 4 Jan 2027, 17:30"
    assert say_moment(catalog, "zh", moment, SHANGHAI, last_year) == "2027年1月4日 周一 17:30"


def test_say_due(catalog: Catalog) -> None:
    due = datetime(2026, 12, 3, 17, 30, tzinfo=SHANGHAI)
    span = SlaSpan(3, SlaUnit.WORKING_DAYS)
    assert (
        say_due(catalog, "en", due, span, SHANGHAI) == "within 3 working days (by Thu 3 Dec, 17:30)"
    )
    assert say_due(catalog, "zh", due, span, SHANGHAI) == "3个工作日内（12月3日 周四 17:30 前）"


@dataclass(frozen=True)
class StandInType:
    sla_resolve: SlaSpan


def test_an_urgent_case_is_due_on_the_clock() -> None:
    case_type = cast(CaseType, StandInType(SlaSpan(2, SlaUnit.WORKING_DAYS)))
    assert resolve_span(case_type, urgent=False) == SlaSpan(2, SlaUnit.WORKING_DAYS)
    assert resolve_span(case_type, urgent=True) == SlaSpan(2, SlaUnit.DAYS)
