"""The lock files cover pyproject.toml: every declared dependency is pinned to a version its range
allows, for each supported Python, and the runtime lock is the dev lock's runtime part."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
# `name[extras]==version ; marker \` as uv writes it; hashes follow on their own lines.
PIN = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^ ;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$"
)


def pins(lock: str, python: str) -> dict[str, Version]:
    """name -> pinned version for one Python (lines whose marker does not apply are skipped)."""
    env = {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_python_implementation": "CPython",
        "implementation_name": "cpython",
    }
    found: dict[str, Version] = {}
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match is None:
            continue
        name, version, marker = match.groups()
        if marker is None or Marker(marker).evaluate(env):
            found[canonicalize_name(name)] = Version(version)
    return found


def declared(extra: str | None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize("python", PYTHONS)
@pytest.mark.parametrize(
    ("lock", "extra"), [("requirements-dev.lock", "dev"), ("requirements.lock", None)]
)
def test_every_declared_dependency_is_pinned_within_its_range(
    lock: str, extra: str | None, python: str
) -> None:
    pinned = pins(lock, python)
    assert pinned, lock
    problems = []
    for requirement in declared(extra):
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name} is not in {lock}")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} is outside {requirement.specifier}")
    assert problems == [], "run scripts/lock: " + "; ".join(problems)


@pytest.mark.parametrize("python", PYTHONS)
def test_the_runtime_lock_is_the_dev_locks_runtime_part(python: str) -> None:
    runtime, dev = pins("requirements.lock", python), pins("requirements-dev.lock", python)
    assert {name: dev.get(name) for name in runtime} == runtime


def test_nothing_installs_the_old_font_wheel() -> None:
    for lock in ("requirements.lock", "requirements-dev.lock"):
        assert "pylopdf" not in (ROOT / lock).read_text(encoding="utf-8")
