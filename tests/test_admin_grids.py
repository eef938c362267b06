"""`grids import`: the shipped file passes; each planted defect is named by feature index."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from config.loader import SHIPPED_CONFIG_DIR, load_config
from services.admin.grid_import import check_grid_file
from tests.support.admin import admin_cli, cli_env

SHIPPED_GRIDS = SHIPPED_CONFIG_DIR / "grids.geojson"
Change = Callable[[dict[str, Any]], None]


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped config, so --write never touches the repository."""
    target = tmp_path / "config"
    skip = shutil.ignore_patterns("*.py", "__pycache__")
    shutil.copytree(SHIPPED_CONFIG_DIR, target, ignore=skip)
    return target


def planted(tmp_path: Path, change: Change) -> Path:
    doc = json.loads(SHIPPED_GRIDS.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "new-grids.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def ring(doc: dict[str, Any], feature: int) -> list[list[float]]:
    return doc["features"][feature]["geometry"]["coordinates"][0]  # type: ignore[no-any-return]


def shift_west(doc: dict[str, Any]) -> None:
    for position in ring(doc, 1):
        position[0] -= 0.002


def unclose(doc: dict[str, Any]) -> None:
    ring(doc, 3).pop()


def unknown_community(doc: dict[str, Any]) -> None:
    doc["features"][4]["properties"]["community_id"] = "nowhere"


def unknown_grid(doc: dict[str, Any]) -> None:
    doc["features"][2]["properties"]["grid_id"] = "xinji-09"


def bow_tie(doc: dict[str, Any]) -> None:
    doc["features"][0]["geometry"]["coordinates"] = [
        [[113.740, 23.032], [113.747, 23.040], [113.747, 23.032], [113.740, 23.040],
         [113.740, 23.032]]
    ]


def latitude_out_of_range(doc: dict[str, Any]) -> None:
    ring(doc, 6)[1][1] = 95.0


def duplicate_grid(doc: dict[str, Any]) -> None:
    doc["features"][5]["properties"].update(grid_id="yangguang-01")


def not_a_collection(doc: dict[str, Any]) -> None:
    doc["type"] = "Feature"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        pytest.param(shift_west, "features[1]: grid 'xinji-02' overlaps grid 'xinji-01' "
                     "(features[0])", id="overlap"),
        pytest.param(unclose, "features[3]: geometry.coordinates[0]: ring is not closed: "
                     "first position [113.747, 23.024] != last [113.747, 23.032]", id="unclosed"),
        pytest.param(unknown_community, "features[4]: unknown community 'nowhere' "
                     "(not in communities.yaml)", id="unknown-community"),
        pytest.param(unknown_grid, "features[2]: unknown grid 'xinji-09': add it to "
                     "communities.yaml first", id="unknown-grid"),
        pytest.param(bow_tie, "features[0]: geometry.coordinates[0]: the ring crosses itself",
                     id="self-crossing"),
        pytest.param(latitude_out_of_range, "features[6]: geometry.coordinates[0][1]: "
                     "latitude 95.0 is out of range -90..90", id="latitude"),
        pytest.param(duplicate_grid, "features[5]: grid 'yangguang-01' already has a polygon "
                     "at features[4]", id="duplicate"),
        pytest.param(not_a_collection, 'not a GeoJSON "FeatureCollection"', id="not-collection"),
    ],
)
def test_a_defect_is_named_by_feature_and_nothing_is_written(
    tmp_path: Path, config_dir: Path, change: Change, problem: str
) -> None:
    path = planted(tmp_path, change)
    assert any(problem in line for line in check_grid_file(path, config_dir).errors)
    before = (config_dir / "grids.geojson").read_bytes()
    result = CliRunner().invoke(
        admin_cli(), ["grids", "import", str(path), "--write"],
        env=cli_env("sqlite+aiosqlite:///unused.sqlite3", config_dir),
    )
    assert result.exit_code == 2
    assert problem in " ".join(result.output.split())
    assert "nothing written" in result.output
    assert (config_dir / "grids.geojson").read_bytes() == before
    assert not (config_dir / "grids.geojson.bak").exists()


def test_every_problem_is_listed_at_once(tmp_path: Path, config_dir: Path) -> None:
    def three(doc: dict[str, Any]) -> None:
        unclose(doc)
        unknown_community(doc)
        latitude_out_of_range(doc)

    errors = check_grid_file(planted(tmp_path, three), config_dir).errors
    assert [e.split(":")[0] for e in errors] == ["features[3]", "features[4]", "features[6]"]


def test_a_file_that_is_not_json_is_refused(tmp_path: Path, config_dir: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [}', encoding="utf-8")
    assert check_grid_file(path, config_dir).errors == [
        "JSON syntax error at line 2, column 15: Expecting value"
    ]


def test_the_shipped_grids_pass_as_a_dry_run(config_dir: Path) -> None:
    check = check_grid_file(SHIPPED_GRIDS, config_dir)
    assert check.ok and len(check.grid_file.shapes) == 12
    assert [(g.community_id, g.uncovered_m2) for g in check.gaps] == [
        ("hongmian", 0.0), ("xinji", 0.0), ("yangguang", 0.0)
    ]
    before = (config_dir / "grids.geojson").read_bytes()
    result = CliRunner().invoke(
        admin_cli(), ["grids", "import", str(SHIPPED_GRIDS)],
        env=cli_env("sqlite+aiosqlite:///unused.sqlite3", config_dir),
    )
    assert result.exit_code == 0, result.output
    assert "12 grids, no overlaps, valid" in result.stdout
    assert "dry run: nothing written" in result.stdout
    assert (config_dir / "grids.geojson").read_bytes() == before


def shrink_xinji_04(doc: dict[str, Any]) -> None:
    for position in ring(doc, 3):
        position[0] = min(position[0], 113.752)


def test_a_gap_is_reported_and_write_installs_with_a_backup(
    tmp_path: Path, config_dir: Path
) -> None:
    path = planted(tmp_path, shrink_xinji_04)
    check = check_grid_file(path, config_dir)
    assert check.ok
    xinji = next(g for g in check.gaps if g.community_id == "xinji")
    # The hull cuts the 0.002° x 0.008° strip left uncovered diagonally: about half of
    # 205 m x 890 m, give or take the lattice.
    assert 80_000 < xinji.uncovered_m2 < 105_000
    assert xinji.example is not None and 113.752 < xinji.example[0] < 113.754
    old = (config_dir / "grids.geojson").read_bytes()
    result = CliRunner().invoke(
        admin_cli(), ["grids", "import", str(path), "--write"],
        env=cli_env("sqlite+aiosqlite:///unused.sqlite3", config_dir),
    )
    assert result.exit_code == 0, result.output
    assert "installed" in result.stdout and "restart the bot" in result.stdout
    assert (config_dir / "grids.geojson").read_bytes() == path.read_bytes()
    assert (config_dir / "grids.geojson.bak").read_bytes() == old
    assert not list(config_dir.glob(".grids.geojson.*"))  # no scratch file left behind
    city = load_config(config_dir)
    assert city.grid_at(23.028, 113.753) is None  # the gap, now live


# -- exact geometry (shapely): areas in square metres, validity with reasons -----------------

METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180  # on the sphere GridDesk measures with


def rectangle_m2(width_deg: float, height_deg: float, lat: float) -> float:
    width_m = width_deg * METRES_PER_DEGREE * math.cos(math.radians(lat))
    return width_m * height_deg * METRES_PER_DEGREE


def test_an_overlap_reports_the_ground_both_grids_claim(tmp_path: Path, config_dir: Path) -> None:
    (overlap,) = check_grid_file(planted(tmp_path, shift_west), config_dir).overlaps
    # xinji-02 moved 0.002° west over xinji-01: a 0.002° x 0.008° strip, both claim it.
    assert overlap.area_m2 == pytest.approx(rectangle_m2(0.002, 0.008, 23.036), rel=1e-3)
    assert "over 182,0" in str(overlap)


def test_the_gap_is_measured_exactly(tmp_path: Path, config_dir: Path) -> None:
    xinji = next(
        g for g in check_grid_file(planted(tmp_path, shrink_xinji_04), config_dir).gaps
        if g.community_id == "xinji"
    )
    # The hull cuts the uncovered 0.002° x 0.008° strip along its diagonal: half of it.
    assert xinji.uncovered_m2 == pytest.approx(rectangle_m2(0.002, 0.008, 23.028) / 2, rel=1e-3)
    assert xinji.hull_m2 == pytest.approx(
        rectangle_m2(0.014, 0.016, 23.032) - xinji.uncovered_m2, rel=1e-3
    )


def long_ring_crossing_itself(doc: dict[str, Any]) -> None:
    """3,000 positions on a circle in xinji-01, two neighbours swapped: one small crossing."""
    centre_lon, centre_lat, radius = 113.7435, 23.036, 0.003
    points = [
        [centre_lon + radius * math.cos(2 * math.pi * k / 3000),
         centre_lat + radius * math.sin(2 * math.pi * k / 3000)]
        for k in range(3000)
    ]  # fmt: skip
    points[100], points[101] = points[101], points[100]
    doc["features"][0]["geometry"]["coordinates"] = [[*points, points[0]]]


def hole_outside(doc: dict[str, Any]) -> None:
    doc["features"][2]["geometry"]["coordinates"].append(
        [[113.8, 23.1], [113.801, 23.1], [113.801, 23.101], [113.8, 23.101], [113.8, 23.1]]
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        pytest.param(long_ring_crossing_itself, "features[0]: geometry.coordinates[0]: the ring "
                     "crosses itself at [113.74", id="long-ring"),
        pytest.param(hole_outside, "features[2]: geometry.coordinates: a hole lies outside the "
                     "outer ring at [113.8, 23.1]", id="hole-outside"),
    ],
)  # fmt: skip
def test_invalid_polygons_are_named_with_the_reason_and_place(
    tmp_path: Path, config_dir: Path, change: Change, problem: str
) -> None:
    errors = check_grid_file(planted(tmp_path, change), config_dir).errors
    assert any(line.startswith(problem) for line in errors), errors
