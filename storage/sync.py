"""Mirror the city's communities and grids from config into the store (for keys and reports)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from config.schema import CityConfig
from storage.models import Community, Grid


async def sync_city(session: AsyncSession, city: CityConfig) -> None:
    for community in city.communities.values():
        await session.merge(
            Community(id=community.id, name_zh=community.name.zh, name_en=community.name.en)
        )
    await session.flush()
    for grid in city.grids.values():
        await session.merge(
            Grid(
                id=grid.id,
                community_id=grid.community_id,
                name_zh=grid.name.zh,
                name_en=grid.name.en,
            )
        )
