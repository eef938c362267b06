"""The service-station finder: nearest stations with distance, today's hours, open now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from config.schema import CityConfig, ServiceStation

NEAREST = 3


@dataclass(frozen=True)
class NearbyStation:
    station: ServiceStation
    metres: float
    open_now: bool
    hours_today: str  # "08:30-12:00, 14:00-17:30", or "" when closed all day


def hours_on(station: ServiceStation, moment: datetime) -> str:
    local = moment.astimezone(station.timezone) if station.timezone else moment
    return ", ".join(str(r) for r in station.hours.get(local.weekday(), ()))


def nearby_stations(
    city: CityConfig, lat: float, lon: float, now: datetime, limit: int = NEAREST
) -> list[NearbyStation]:
    return [
        NearbyStation(station, metres, station.is_open(now), hours_on(station, now))
        for station, metres in city.nearest_stations(lat, lon, limit)
    ]


def format_distance(metres: float) -> str:
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.1f} km"
