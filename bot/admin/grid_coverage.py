"""Overlaps between grids (exact) and gaps inside each community (a sampled estimate).

An overlap sends one resident's location to two workers, so it is an error. A gap
leaves a location with no grid, but a community's outline may be concave on purpose
(a park, a river), so gaps are reported for the admin to judge, not refused. The gap
search samples a lattice over each community's convex hull: anything narrower than
one lattice step can slip through, and the reported area is an estimate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.admin.grid_file import GridShape
from config import geo

SAMPLES_PER_SIDE = 120
METRES_PER_DEGREE = 111_320.0
Progress = Callable[[int, int], None]  # (done, total)


def _no_progress(_done: int, _total: int) -> None:
    return None


@dataclass(frozen=True)
class Overlap:
    first: GridShape
    second: GridShape

    def __str__(self) -> str:
        return (
            f"features[{self.second.index}]: grid {self.second.grid_id!r} overlaps grid "
            f"{self.first.grid_id!r} (features[{self.first.index}])"
        )


@dataclass(frozen=True)
class Gap:
    community_id: str
    hull_m2: float
    uncovered_m2: float
    example: geo.Point | None  # one uncovered (lon, lat), to look up on a map
    step_m: float  # lattice step: gaps narrower than this may be missed

    @property
    def share(self) -> float:
        return self.uncovered_m2 / self.hull_m2 if self.hull_m2 else 0.0


def find_overlaps(shapes: Sequence[GridShape], progress: Progress = _no_progress) -> list[Overlap]:
    """Every overlapping pair, swept west to east so far-apart grids are never compared."""
    boxes = {id(s): geo.bounding_box(s.polygon) for s in shapes}
    order = sorted(shapes, key=lambda s: boxes[id(s)].min_lon)
    found: list[Overlap] = []
    for pos, a in enumerate(order):
        for b in order[pos + 1 :]:
            if boxes[id(b)].min_lon >= boxes[id(a)].max_lon:
                break
            if geo.polygons_overlap(a.polygon, b.polygon):
                first, second = sorted((a, b), key=lambda s: s.index)
                found.append(Overlap(first, second))
        progress(pos + 1, len(order))
    return sorted(found, key=lambda o: (o.second.index, o.first.index))


def convex_hull(points: Sequence[geo.Point]) -> geo.Ring:
    """Andrew's monotone chain; a closed ring, counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return (*pts, pts[0]) if pts else ()

    def cross(o: geo.Point, a: geo.Point, b: geo.Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    def half(seq: Sequence[geo.Point]) -> list[geo.Point]:
        chain: list[geo.Point] = []
        for p in seq:
            while len(chain) >= 2 and cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain

    lower, upper = half(pts), half(pts[::-1])
    hull = lower[:-1] + upper[:-1]
    return (*hull, hull[0])


def estimate_gaps(shapes: Sequence[GridShape], progress: Progress = _no_progress) -> list[Gap]:
    """One entry per community, in id order; `uncovered_m2` 0 means no gap was seen."""
    by_community: dict[str, list[GridShape]] = {}
    for shape in shapes:
        by_community.setdefault(shape.community_id, []).append(shape)
    gaps = []
    for done, community_id in enumerate(sorted(by_community), start=1):
        gaps.append(_community_gap(community_id, by_community[community_id], shapes))
        progress(done, len(by_community))
    return gaps


def _community_gap(
    community_id: str, own: Sequence[GridShape], everyone: Sequence[GridShape]
) -> Gap:
    hull = convex_hull([p for shape in own for p in shape.polygon[0]])
    box = geo.bounding_box((hull,))
    step_lon = (box.max_lon - box.min_lon) / SAMPLES_PER_SIDE
    step_lat = (box.max_lat - box.min_lat) / SAMPLES_PER_SIDE
    metres_lon = METRES_PER_DEGREE * math.cos(math.radians((box.min_lat + box.max_lat) / 2))
    cell_m2 = step_lon * metres_lon * step_lat * METRES_PER_DEGREE
    # Grids of neighbouring communities count as cover: their ground has a worker.
    nearby = [
        (geo.bounding_box(s.polygon), s.polygon)
        for s in everyone
        if geo.bounding_box(s.polygon).overlaps(box)
    ]
    inside = uncovered = 0
    example: geo.Point | None = None
    for i in range(SAMPLES_PER_SIDE):
        lon = box.min_lon + (i + 0.5) * step_lon
        for j in range(SAMPLES_PER_SIDE):
            lat = box.min_lat + (j + 0.5) * step_lat
            if not geo.contains_point((hull,), lon, lat):
                continue
            inside += 1
            if not any(b.contains(lon, lat) and geo.contains_point(p, lon, lat) for b, p in nearby):
                uncovered += 1
                example = example or (round(lon, 6), round(lat, 6))
    return Gap(
        community_id,
        hull_m2=inside * cell_m2,
        uncovered_m2=uncovered * cell_m2,
        example=example,
        step_m=max(step_lon * metres_lon, step_lat * METRES_PER_DEGREE),
    )
