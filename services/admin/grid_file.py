"""Reading a grids GeoJSON file feature by feature, collecting every problem.

The config loader stops at the first fault, which suits start-up; an admin importing
a file drawn in a map editor wants the whole list in one go, each problem named by
its feature index. The per-feature rules are the loader's own (`config.files`), so a
file that passes here is one the bot will load.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config import geo
from config.files import GridFeatureDoc
from config.reading import describe_error, format_location


@dataclass(frozen=True)
class GridShape:
    """One grid's polygon from the file (lon, lat in WGS84 degrees, as GeoJSON has them)."""

    index: int  # position in the file's features list
    grid_id: str
    community_id: str
    polygon: geo.Polygon


@dataclass(frozen=True)
class GridProblem:
    """Something wrong in the file, at a feature index or (None) the file as a whole."""

    index: int | None  # None: the file as a whole
    message: str

    def __str__(self) -> str:
        return f"features[{self.index}]: {self.message}" if self.index is not None else self.message


@dataclass
class GridFile:
    """What read_grid_file made of a file: the shapes it could read, the problems, the bytes."""

    shapes: list[GridShape]
    problems: list[GridProblem]
    raw: bytes


def read_grid_file(path: Path) -> GridFile:
    """Read a GeoJSON FeatureCollection of grids. Never raises for a bad or unreadable file:
    that is a GridProblem in the result (with no shapes)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return GridFile([], [GridProblem(None, f"cannot read {path}: {exc.strerror}")], b"")
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return GridFile([], [GridProblem(None, "the file is not UTF-8 text")], raw)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        return GridFile([], [GridProblem(None, f"JSON syntax error at {where}: {exc.msg}")], raw)
    grid_file = GridFile([], [], raw)
    for index, feature in _features(document, grid_file.problems):
        _read_feature(index, feature, grid_file)
    return grid_file


def _features(document: Any, problems: list[GridProblem]) -> list[tuple[int, Any]]:
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        problems.append(GridProblem(None, 'the file is not a GeoJSON "FeatureCollection"'))
        return []
    features = document.get("features")
    if not isinstance(features, list) or not features:
        problems.append(GridProblem(None, '"features" must be a non-empty list'))
        return []
    return list(enumerate(features))


def _read_feature(index: int, feature: Any, into: GridFile) -> None:
    try:
        doc = GridFeatureDoc.model_validate(feature)
    except ValidationError as exc:
        for error in exc.errors():
            where = format_location(error["loc"])
            message = describe_error(error)
            into.problems.append(GridProblem(index, f"{where}: {message}" if where else message))
        return
    polygon = tuple(tuple((p[0], p[1]) for p in ring) for ring in doc.geometry.coordinates)
    invalid = geo.validity_problem(polygon)
    if invalid is not None:
        ring_no, reason = invalid
        where = "geometry.coordinates" + (f"[{ring_no}]" if ring_no is not None else "")
        into.problems.append(GridProblem(index, f"{where}: {reason}"))
    into.shapes.append(
        GridShape(index, doc.properties.grid_id, doc.properties.community_id, polygon)
    )
