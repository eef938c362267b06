"""The service-station finder: nearest stations with distance, today's hours, open now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from config.schema import CityConfig, ServiceStation

NEAREST = 3


@dataclass(frozen=True)
class NearbyStation:
    """A station near the resident: straight-line distance in metres, whether it is open at
    the moment asked, and that local day's hours."""

    station: ServiceStation
    metres: float
    open_now: bool
    hours_today: str  # "08:30-12:00, 14:00-17:30", or "" when closed all day


def hours_on(station: ServiceStation, moment: datetime) -> str:
    """The station's hours on `moment`'s local weekday (aware `moment`, read in the station's
    time zone), e.g. "08:30-12:00, 14:00-17:30"; "" when closed all day."""
    local = moment.astimezone(station.timezone) if station.timezone else moment
    return ", ".join(str(r) for r in station.hours.get(local.weekday(), ()))


def nearby_stations(
    city: CityConfig, lat: float, lon: float, now: datetime, limit: int = NEAREST
) -> list[NearbyStation]:
    """At most `limit` stations nearest to (lat, lon) in WGS84 degrees, nearest first; `now`
    is aware (UTC) and decides "open now" and today's hours."""
    return [
        NearbyStation(station, metres, station.is_open(now), hours_on(station, now))
        for station, metres in city.nearest_stations(lat, lon, limit)
    ]


def format_distance(metres: float) -> str:
    """Metres as "850 m" under a kilometre, else "1.2 km"."""
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.1f} km"
