"""`grids import`: check a grids GeoJSON against the city's config, then install it.

Installing is all or nothing: the file is checked once more by the bot's own loader
on a scratch copy of the config directory, then swapped in with one rename, the old
file kept as `grids.geojson.bak`. The running bot picks it up on its next start.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from config.files import CommunitiesFile
from config.loader import COMMUNITIES_FILE, GRIDS_FILE, load_config
from config.reading import ConfigError, read_document, validate_document
from services.admin.grid_coverage import Gap, Overlap, Progress, find_gaps, find_overlaps
from services.admin.grid_file import GridFile, GridProblem, read_grid_file

Phase = Callable[[str], Progress]  # a phase name -> its progress callback


@dataclass
class GridCheck:
    """The verdict on a grid file: problems and overlaps are errors; gaps only inform."""

    grid_file: GridFile
    problems: list[GridProblem] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Every problem and overlap as a line to print."""
        return [str(p) for p in self.problems] + [str(o) for o in self.overlaps]

    @property
    def ok(self) -> bool:
        """No errors: the file may be installed."""
        return not self.errors


def _silent(_phase: str) -> Progress:
    return lambda _done, _total: None


def check_grid_file(path: Path, config_dir: Path, phase: Phase = _silent) -> GridCheck:
    """Check a grid file against communities.yaml, for overlaps and gaps, and finally as the
    bot's loader would read it; `phase(name)` gives a progress callback per phase."""
    grid_file = read_grid_file(path)
    check = GridCheck(grid_file, list(grid_file.problems))
    if grid_file.shapes:
        check.problems += _against_communities(grid_file, config_dir)
        check.overlaps = find_overlaps(grid_file.shapes, phase("overlaps"))
        check.gaps = find_gaps(grid_file.shapes, phase("gaps"))
    if check.ok:
        check.problems += _as_the_bot_loads_it(grid_file.raw, config_dir)
    check.problems.sort(key=lambda p: (p.index is not None, p.index or 0))
    return check


def _against_communities(grid_file: GridFile, config_dir: Path) -> list[GridProblem]:
    """Every grid must be one communities.yaml lists, under its community, exactly once."""
    try:
        doc = validate_document(
            COMMUNITIES_FILE, read_document(config_dir, COMMUNITIES_FILE), CommunitiesFile
        )
    except ConfigError as exc:
        return [GridProblem(None, f"cannot check against the config: {exc}")]
    community_of = {g.id: c.id for c in doc.communities for g in c.grids}
    communities = {c.id for c in doc.communities}
    problems: list[GridProblem] = []
    seen: dict[str, int] = {}
    for shape in grid_file.shapes:
        message = _membership_problem(shape.grid_id, shape.community_id, community_of, communities)
        if message:
            problems.append(GridProblem(shape.index, message))
        first = seen.get(shape.grid_id)
        if first is not None:
            message = f"grid {shape.grid_id!r} already has a polygon at features[{first}]"
            problems.append(GridProblem(shape.index, message))
        seen.setdefault(shape.grid_id, shape.index)
    if grid_file.problems:
        return problems  # a grid whose feature was refused above is not "missing" too
    for grid in sorted(community_of.keys() - seen.keys()):
        problems.append(GridProblem(None, f"grid {grid!r} of {COMMUNITIES_FILE} has no polygon"))
    return problems


def _membership_problem(
    grid: str, community: str, community_of: dict[str, str], communities: set[str]
) -> str | None:
    if community not in communities:
        return f"unknown community {community!r} (not in {COMMUNITIES_FILE})"
    if grid not in community_of:
        return f"unknown grid {grid!r}: add it to {COMMUNITIES_FILE} first"
    if community_of[grid] != community:
        return (
            f"grid {grid!r} belongs to community {community_of[grid]!r} in "
            f"{COMMUNITIES_FILE}, not {community!r}"
        )
    return None


def _as_the_bot_loads_it(raw: bytes, config_dir: Path) -> list[GridProblem]:
    """The last word is the loader's: a scratch config directory with the new file in it."""
    with tempfile.TemporaryDirectory(prefix="griddesk-grids-") as scratch:
        trial = Path(scratch) / "config"
        shutil.copytree(config_dir, trial, ignore=shutil.ignore_patterns("__pycache__"))
        (trial / GRIDS_FILE).write_bytes(raw)
        try:
            load_config(trial)
        except ConfigError as exc:
            return [GridProblem(None, f"the bot would refuse this config: {exc}")]
    return []


@dataclass(frozen=True)
class Installed:
    """Where the new grid file went, and the backup of the old one (None when there was none)."""

    path: Path
    backup: Path | None


def install_grid_file(raw: bytes, config_dir: Path) -> Installed:
    """Write-then-rename in the same directory, so a crash leaves the old or the new file."""
    target = config_dir / GRIDS_FILE
    backup = None
    if target.exists():
        backup = target.with_name(GRIDS_FILE + ".bak")
        shutil.copy2(target, backup)
    fd, scratch = tempfile.mkstemp(dir=config_dir, prefix=f".{GRIDS_FILE}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(raw)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(scratch, target)
    finally:
        Path(scratch).unlink(missing_ok=True)
    directory = os.open(config_dir, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)
    return Installed(target, backup)
