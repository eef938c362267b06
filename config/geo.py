"""Geometry on grid polygons: which grid a point is in, validity, overlaps and areas.

Grids are a few hundred metres across, so treating lon/lat as plane coordinates is exact
enough for "which grid is this point in" and for overlaps; areas and distances use the sphere.
Point-in-grid is a few lines of ray casting, kept by hand for its half-open edge rule; the
polygon questions (validity with reasons, overlaps, unions, areas) are shapely's (GEOS).
Points are (lon, lat), the GeoJSON order, everywhere in this module.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any, NamedTuple

import numpy as np
import shapely

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # outer ring first, then holes

EARTH_RADIUS_M = 6_371_008.8
# Shared edges computed from opposite ends differ in the last bits; anything thinner than
# this (about 0.1 mm) is a shared boundary, not an overlap.
_OVERLAP_EPSILON_DEG = 1e-9


class BoundingBox(NamedTuple):
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat

    def overlaps(self, other: BoundingBox) -> bool:
        """True when the boxes share some area; touching along an edge does not count."""
        return (
            self.min_lon < other.max_lon
            and other.min_lon < self.max_lon
            and self.min_lat < other.max_lat
            and other.min_lat < self.max_lat
        )


def bounding_box(polygon: Polygon) -> BoundingBox:
    lons = [lon for lon, _ in polygon[0]]
    lats = [lat for _, lat in polygon[0]]
    return BoundingBox(min(lons), min(lats), max(lons), max(lats))


def _edges(polygon: Polygon) -> Iterator[tuple[Point, Point]]:
    for ring in polygon:
        yield from pairwise(ring)


def contains_point(polygon: Polygon, lon: float, lat: float) -> bool:
    """Even-odd ray casting over all rings, so holes fall out without special cases.

    The half-open edge test gives a point on an edge shared by two neighbouring grids to
    exactly one of them, so a resident standing on a grid boundary is never lost.
    """
    inside = False
    for (x1, y1), (x2, y2) in _edges(polygon):
        if (y1 > lat) != (y2 > lat):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x_cross:
                inside = not inside
    return inside


def shape(polygon: Polygon) -> shapely.Polygon:
    """The polygon as shapely sees it (cached: config and imports ask about one grid often)."""
    return _shape(polygon)


@functools.lru_cache(maxsize=4096)
def _shape(polygon: Polygon) -> shapely.Polygon:
    return shapely.Polygon(polygon[0], polygon[1:])


def valid(geometry: shapely.Geometry) -> shapely.Geometry:
    """Area arithmetic needs valid input; a bow-tie becomes the two triangles it draws."""
    return geometry if geometry.is_valid else shapely.make_valid(geometry)


def validity_problem(polygon: Polygon) -> tuple[int | None, str] | None:
    """Why the polygon cannot bound a grid, as (ring number or None, reason), or None.

    GEOS decides (shapely's ``is_valid_reason``); each ring is checked alone first so the
    reason names the ring an admin has to redraw.
    """
    for ring_no, ring in enumerate(polygon):
        reason = shapely.is_valid_reason(shapely.Polygon(ring))
        if reason != "Valid Geometry":
            return ring_no, _plain_reason(reason)
    reason = shapely.is_valid_reason(shape(polygon))
    return None if reason == "Valid Geometry" else (None, _plain_reason(reason))


_REASONS = {
    "Self-intersection": "the ring crosses itself",
    "Ring Self-intersection": "the ring touches itself",
    "Hole lies outside shell": "a hole lies outside the outer ring",
    "Interior is disconnected": "the holes cut the polygon in pieces",
    "Nested holes": "a hole lies inside another hole",
    "Too few points": "a ring needs at least 3 distinct positions",
}


def _plain_reason(reason: str) -> str:
    """``Self-intersection[113.74 23.036]`` -> ``the ring crosses itself at [113.74, 23.036]``."""
    kind, _, where = reason.partition("[")
    words = _REASONS.get(kind.strip(), kind.strip())
    position = where.rstrip("]").split()
    return f"{words} at [{', '.join(position)}]" if position else words


def has_area(geometry: shapely.Geometry) -> bool:
    """More than a sliver: shared edges computed from opposite ends differ in the last bits,
    so what is thinner than about 0.1 mm (twice the area over the perimeter) is a boundary."""
    width = 2 * geometry.area / geometry.length if geometry.length else 0.0
    return width > _OVERLAP_EPSILON_DEG


def polygons_overlap(a: Polygon, b: Polygon) -> bool:
    """True when the interiors share area; neighbours sharing an edge do not overlap.

    Exact (GEOS overlay), not sampled; a shared sliver thinner than about 0.1 mm is a
    boundary (see :func:`has_area`).
    """
    if not bounding_box(a).overlaps(bounding_box(b)):
        return False
    return has_area(valid(shape(a)).intersection(valid(shape(b))))


def overlap_area_m2(a: Polygon, b: Polygon) -> float:
    """Square metres the two grids both claim (0 for neighbours)."""
    if not polygons_overlap(a, b):
        return 0.0
    return area_m2(valid(shape(a)).intersection(valid(shape(b))))


def area_m2(geometry: shapely.Geometry) -> float:
    """Area in square metres of a lon/lat geometry, through the sinusoidal projection.

    That projection is equal-area on the sphere (x = R·λ·cos φ, y = R·φ), so for grids a few
    hundred metres across the only error is the sphere itself (well under 0.5 %).
    """
    return float(shapely.transform(geometry, _sinusoidal).area)


def _sinusoidal(coords: Any) -> Any:
    lon, lat = np.radians(coords[:, 0]), np.radians(coords[:, 1])
    return np.column_stack((EARTH_RADIUS_M * lon * np.cos(lat), EARTH_RADIUS_M * lat))


def centroid(ring: Ring) -> Point:
    """Area-weighted centroid of a closed ring (a good map pin for a convex grid)."""
    twice_area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in pairwise(ring):
        cross = x1 * y2 - x2 * y1
        twice_area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if twice_area == 0:
        xs, ys = zip(*ring, strict=True)
        return (sum(xs) / len(xs), sum(ys) / len(ys))
    return (cx / (3 * twice_area), cy / (3 * twice_area))


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres (haversine) between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def ring_problem(ring: Sequence[Point]) -> str | None:
    """Why a ring cannot bound a grid, or None; GeoJSON wants closed rings of 4+ positions."""
    if len(ring) < 4:
        return f"a ring needs at least 4 positions (first repeated last), got {len(ring)}"
    if tuple(ring[0]) != tuple(ring[-1]):
        return f"ring is not closed: first position {list(ring[0])} != last {list(ring[-1])}"
    return None


def coordinate_problem(lon: float, lat: float) -> str | None:
    if not -180.0 <= lon <= 180.0:
        return f"longitude {lon} is out of range -180..180 (positions are [lon, lat])"
    if not -90.0 <= lat <= 90.0:
        return f"latitude {lat} is out of range -90..90 (positions are [lon, lat])"
    return None
