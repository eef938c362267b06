"""Emergencies: the numbers first, then an urgent case that finds its grid later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.services.drafts import ReportDraft
from bot.services.reporting import FiledCase, dispatch_to_grid, file_report
from config.schema import CityConfig
from nlu.types import Prediction
from storage.models import Case, User


def is_emergency(prediction: Prediction) -> bool:
    # The NLU layer already puts a substantial emergency share on top
    # (nlu.types.EMERGENCY_MIN_SHARE), whichever engine answered.
    return prediction.intent == "emergency"


async def open_emergency_case(
    session: AsyncSession,
    text: str,
    lang: str,
    reporter: User,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> FiledCase:
    draft = ReportDraft(text=text, language=lang, emergency=True)
    return await file_report(session, draft, reporter, city, catalog, now)


async def locate_emergency_case(
    session: AsyncSession,
    number: str,
    lat: float,
    lon: float,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> Case | None:
    """Attach the shared place to the urgent case and ping that grid's staff."""
    case = (await session.execute(select(Case).where(Case.number == number))).scalar_one_or_none()
    if case is None:
        return None
    grid = city.grid_at(lat, lon)
    case.latitude, case.longitude, case.updated_at = lat, lon, now
    if grid is not None and case.grid_id is None:
        case.grid_id = grid.id
        await dispatch_to_grid(session, case, city, catalog, now, emergency=True)
    return case
