"""How a case is described to someone who is not its reporter (a duplicate offer, 并单).

Nobody's words, no address, no pin: the case type, its place as the grid and community (the
estate level a neighbour would recognise), when it was reported, and how many have joined.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.i18n import Catalog
from config.schema import CityConfig


class StrangerView(Protocol):
    """What a stranger is told of a case: a stored Case, or the columns a duplicate offer
    read (services.cases.duplicates.Offered)."""

    @property
    def number(self) -> str: ...
    @property
    def case_type(self) -> str: ...
    @property
    def grid_id(self) -> str | None: ...
    @property
    def community_id(self) -> str | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def reporter_count(self) -> int: ...


def describe_case_for_stranger(
    case: StrangerView, city: CityConfig, catalog: Catalog, lang: str
) -> str:
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
