"""Overlaps between grids and gaps inside each community, both exact (shapely/GEOS).

An overlap sends one resident's location to two workers, so it is an error. A gap
leaves a location with no grid, but a community's outline may be concave on purpose
(a park, a river), so gaps are reported for the admin to judge, not refused. A gap is
what the community's convex hull holds that no grid (of any community) covers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import shapely

from config import geo
from services.admin.grid_file import GridShape

Progress = Callable[[int, int], None]  # (done, total)


def _no_progress(_done: int, _total: int) -> None:
    return None


@dataclass(frozen=True)
class Overlap:
    """Two grids that claim the same ground, `area_m2` square metres of it."""

    first: GridShape
    second: GridShape
    area_m2: float = 0.0  # ground both grids claim

    def __str__(self) -> str:
        return (
            f"features[{self.second.index}]: grid {self.second.grid_id!r} overlaps grid "
            f"{self.first.grid_id!r} (features[{self.first.index}]) over {self.area_m2:,.0f} m²"
        )


@dataclass(frozen=True)
class Gap:
    """Ground inside a community's convex hull that no grid of it covers, in square metres."""

    community_id: str
    hull_m2: float
    uncovered_m2: float
    example: geo.Point | None  # one uncovered (lon, lat) inside the gap, to look up on a map

    @property
    def share(self) -> float:
        """Uncovered share of the hull, 0..1 (0.0 for an empty hull)."""
        return self.uncovered_m2 / self.hull_m2 if self.hull_m2 else 0.0


def find_overlaps(shapes: Sequence[GridShape], progress: Progress = _no_progress) -> list[Overlap]:
    """Every overlapping pair; an R-tree (STRtree) keeps far-apart grids from being compared."""
    tree = shapely.STRtree([geo.shape(s.polygon) for s in shapes])
    found: list[Overlap] = []
    for pos, a in enumerate(shapes):
        for other in tree.query(geo.shape(a.polygon)):
            b = shapes[int(other)]
            if b.index > a.index and geo.polygons_overlap(a.polygon, b.polygon):
                found.append(Overlap(a, b, geo.overlap_area_m2(a.polygon, b.polygon)))
        progress(pos + 1, len(shapes))
    return sorted(found, key=lambda o: (o.second.index, o.first.index))


def find_gaps(shapes: Sequence[GridShape], progress: Progress = _no_progress) -> list[Gap]:
    """One entry per community, in id order; `uncovered_m2` 0 means none."""
    by_community: dict[str, list[GridShape]] = {}
    for shape in shapes:
        by_community.setdefault(shape.community_id, []).append(shape)
    # Grids of neighbouring communities count as cover: their ground has a worker.
    cover = shapely.union_all([geo.valid(geo.shape(s.polygon)) for s in shapes])
    gaps = []
    for done, community_id in enumerate(sorted(by_community), start=1):
        gaps.append(_community_gap(community_id, by_community[community_id], cover))
        progress(done, len(by_community))
    return gaps


def _community_gap(community_id: str, own: Sequence[GridShape], cover: shapely.Geometry) -> Gap:
    outlines = shapely.MultiPoint([p for shape in own for p in shape.polygon[0]])
    hull = outlines.convex_hull
    uncovered = hull.difference(cover)
    # Slivers along shared edges (last-bit differences) are boundaries, not ground.
    pieces = [p for p in getattr(uncovered, "geoms", [uncovered]) if geo.has_area(p)]
    example = None
    if pieces:
        point = max(pieces, key=lambda p: p.area).representative_point()
        example = (round(point.x, 6), round(point.y, 6))
    return Gap(
        community_id,
        hull_m2=geo.area_m2(hull),
        uncovered_m2=sum(geo.area_m2(p) for p in pieces),
        example=example,
    )
