"""How a case is described to someone who is not its reporter (a duplicate offer, 并单).

Nobody's words, no address, no pin: the case type, its place as the grid and community (the
estate level a neighbour would recognise), when it was reported, and how many have joined.
"""

from __future__ import annotations

from bot.i18n import Catalog
from config.schema import CityConfig
from storage.models import Case


def describe_case_for_stranger(case: Case, city: CityConfig, catalog: Catalog, lang: str) -> str:
    """One line in `lang`, e.g. "市政设施 · 新基社区 2 网格 · 11-30 09:12 · 3 人反映"; the time is
    the city's local time."""
    grid = city.grids.get(case.grid_id or "")
    community = city.communities.get(
        (grid.community_id if grid is not None else case.community_id) or ""
    )
    place = " ".join(
        part.name.get(lang) for part in (community, grid) if part is not None
    ) or catalog.t(lang, "privacy.place_unknown")
    return catalog.t(
        lang,
        "privacy.stranger_case",
        number=case.number,
        case_type=city.case_type(case.case_type).name.get(lang),
        place=place,
        when=case.created_at.astimezone(city.timezone).strftime("%m-%d %H:%M"),
        count=case.reporter_count,
    )
