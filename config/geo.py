"""Plane geometry on grid polygons, in plain Python.

Grids are a few hundred metres across, so treating lon/lat as plane coordinates is exact
enough for "which grid is this point in"; only distances use the sphere (haversine).
Points are (lon, lat), the GeoJSON order, everywhere in this module.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import NamedTuple

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


def _side(a: Point, b: Point, c: Point) -> int:
    """Which side of line a→b point c lies on: 1 left, -1 right, 0 on it (within epsilon)."""
    cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    if abs(cross) <= _OVERLAP_EPSILON_DEG * math.dist(a, b):
        return 0
    return 1 if cross > 0 else -1


def segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """True only for a proper crossing; touching at an end or running along each other is not."""
    return _side(q1, q2, p1) * _side(q1, q2, p2) < 0 and _side(p1, p2, q1) * _side(p1, p2, q2) < 0


def _inside_intervals(polygon: Polygon, lon: float) -> list[tuple[float, float]]:
    """Latitude intervals where the vertical line at `lon` is inside the polygon."""
    crossings = sorted(
        y1 + (lon - x1) * (y2 - y1) / (x2 - x1)
        for (x1, y1), (x2, y2) in _edges(polygon)
        if min(x1, x2) < lon < max(x1, x2)
    )
    return list(zip(crossings[::2], crossings[1::2], strict=False))


def _intervals_overlap(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> bool:
    return any(
        min(a_hi, b_hi) - max(a_lo, b_lo) > _OVERLAP_EPSILON_DEG
        for a_lo, a_hi in a
        for b_lo, b_hi in b
    )


def polygons_overlap(a: Polygon, b: Polygon) -> bool:
    """True when the interiors share area; neighbours sharing an edge do not overlap.

    Exact rather than sampled: once no edges cross, edges only meet at vertices, so between
    two consecutive vertex longitudes the edges keep their order and one vertical line in
    the middle of that slab sees any overlap the whole slab has.
    """
    box_a, box_b = bounding_box(a), bounding_box(b)
    if not box_a.overlaps(box_b):
        return False
    edges_b = list(_edges(b))
    if any(segments_cross(p1, p2, q1, q2) for p1, p2 in _edges(a) for q1, q2 in edges_b):
        return True
    lo, hi = max(box_a.min_lon, box_b.min_lon), min(box_a.max_lon, box_b.max_lon)
    cuts = sorted({x for poly in (a, b) for ring in poly for x, _ in ring if lo < x < hi})
    bounds = [lo, *cuts, hi]
    return any(
        _intervals_overlap(_inside_intervals(a, mid), _inside_intervals(b, mid))
        for mid in ((left + right) / 2 for left, right in pairwise(bounds))
    )


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
