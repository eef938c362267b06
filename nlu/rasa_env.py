"""The Python 3.10 environment Rasa runs in: finding the interpreter, building the virtualenv.

Rasa 3.6 needs Python 3.10 and pins libraries the bot has outgrown, so it lives in a separate
virtualenv under the cache directory and is driven by subprocess (DESIGN.md "NLU"). Building it
takes minutes and 2.7 GB, is shared by training (nlu.rasa_training) and serving
(nlu.rasa_server), and fails for reasons of its own (no Python 3.10, a failed pip install), so
it is one module with the helpers both use: the subprocess environment, the file lock, the
logged command and RasaUnavailable. Plain Python with no settings object: the cache root comes
from the caller, else GRIDDESK_CACHE_DIR, else ~/.cache/griddesk. Driven from the bot's venv by
`griddesk nlu env` (scripts/rasa-env is a shortcut).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

NLU_DIR = Path(__file__).resolve().parent
REQUIREMENTS = NLU_DIR / "rasa" / "requirements.txt"

CACHE_DIR_ENV = "GRIDDESK_CACHE_DIR"
RASA_PYTHON_ENV = "GRIDDESK_RASA_PYTHON"
RASA_PYTHON_VERSION = (3, 10)
PYENV_FALLBACK_VERSION = "3.10.13"
COMPLETE_MARKER = ".griddesk-complete"

Progress = Callable[[str], None]


class RasaUnavailable(RuntimeError):
    """The Rasa environment cannot be built, trained or started; the message says why."""


def say_progress(progress: Progress | None, line: str) -> None:
    """Pass a progress line to the caller's printer, if it gave one."""
    if progress is not None:
        progress(line)


def resolve_cache_root(root: Path | None = None) -> Path:
    """The directory holding Rasa envs and logs (the bot's GRIDDESK_CACHE_DIR)."""
    if root is not None:
        return root
    env = os.environ.get(CACHE_DIR_ENV)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "griddesk"


def rasa_subprocess_env() -> dict[str, str]:
    """Environment for every Rasa subprocess: no telemetry, no stray venv of the bot."""
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    # The repository root, so the pipeline finds nlu/rasa/griddesk_components.py (and the
    # embedded model it shares); nothing of the bot's venv.
    env["PYTHONPATH"] = str(NLU_DIR.parent)
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


# --- the Python 3.10 interpreter -------------------------------------------------------------


def _interpreter_version(python: str) -> str | None:
    """Full version ("3.10.13") of an interpreter, or None when it does not run."""
    try:
        out = subprocess.run(
            [python, "-c", "import platform; print(platform.python_version())"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _is_rasa_version(version: str | None) -> bool:
    if version is None:
        return False
    major, minor = version.split(".")[:2]
    return (int(major), int(minor)) == RASA_PYTHON_VERSION


def _pyenv_candidates() -> Iterator[str]:
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return
    env = dict(os.environ, PYENV_VERSION=PYENV_FALLBACK_VERSION)
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(
            [pyenv, "which", "python"], capture_output=True, text=True, env=env, timeout=30
        )
        if out.returncode == 0 and out.stdout.strip():
            yield out.stdout.strip()
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True, timeout=30)
        versions = Path(root.stdout.strip()) / "versions"
        for candidate in sorted(versions.glob("3.10.*/bin/python"), reverse=True):
            yield str(candidate)


def find_rasa_python() -> tuple[Path, str]:
    """The Python 3.10 interpreter for Rasa and its full version.

    GRIDDESK_RASA_PYTHON wins; then `python3.10` on PATH; then pyenv.
    """
    override = os.environ.get(RASA_PYTHON_ENV)
    if override:
        version = _interpreter_version(override)
        if not _is_rasa_version(version):
            raise RasaUnavailable(
                f"{RASA_PYTHON_ENV}={override} is not a working Python 3.10 "
                f"(got {version or 'no interpreter'}); Rasa 3.6 needs Python 3.10"
            )
        return Path(override), str(version)
    candidates = [c for c in (shutil.which("python3.10"),) if c] + list(_pyenv_candidates())
    for candidate in candidates:
        version = _interpreter_version(candidate)
        if _is_rasa_version(version):
            return Path(candidate), str(version)
    raise RasaUnavailable(
        "Python 3.10 not found (Rasa 3.6 needs it): install it, e.g. `pyenv install 3.10.13`, "
        f"or set {RASA_PYTHON_ENV} to a Python 3.10 interpreter"
    )


# --- the environment -------------------------------------------------------------------------


def _requirements_digest(python_version: str) -> str:
    digest = hashlib.sha256(REQUIREMENTS.read_bytes())
    digest.update(f"\0python={python_version}".encode())
    return digest.hexdigest()[:16]


def rasa_env_dir(cache_root: Path | None = None, python_version: str | None = None) -> Path:
    """Where the Rasa env for these requirements and this interpreter version lives."""
    version = python_version if python_version is not None else find_rasa_python()[1]
    return resolve_cache_root(cache_root) / f"rasa-env-{_requirements_digest(version)}"


def rasa_env_ready(env_dir: Path) -> bool:
    """True when the env finished installing (the marker is written last)."""
    return (env_dir / COMPLETE_MARKER).is_file() and (env_dir / "bin" / "rasa").is_file()


@contextlib.contextmanager
def exclusive_lock(lock_path: Path) -> Iterator[None]:
    """A file lock, so two builds (a test and the script) never write one directory."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_logged(
    cmd: list[str], log_path: Path, env: dict[str, str], cwd: Path | None = None
) -> None:
    """Run a command, its output into a log file; the last lines go into the error."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("a", encoding="utf-8") as log:
        log.write(f"\n$ {' '.join(cmd)}\n")
        log.flush()
        proc = subprocess.run(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd, check=False
        )
    if proc.returncode != 0:
        tail = "\n".join(log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-25:])
        raise RasaUnavailable(f"`{' '.join(cmd[:4])} ...` failed (see {log_path}):\n{tail}")


def ensure_rasa_env(progress: Progress | None = print, cache_root: Path | None = None) -> Path:
    """Create the Rasa virtualenv and install its requirements unless already done.

    Idempotent: a finished env has a completion marker; a half-built one is
    removed and rebuilt.
    """
    python, version = find_rasa_python()
    env_dir = rasa_env_dir(cache_root, version)
    if rasa_env_ready(env_dir):
        say_progress(progress, f"Rasa env ready: {env_dir}")
        return env_dir
    with exclusive_lock(env_dir.with_name(env_dir.name + ".lock")):
        if rasa_env_ready(env_dir):  # another process finished it while we waited
            say_progress(progress, f"Rasa env ready: {env_dir}")
            return env_dir
        if env_dir.exists():
            say_progress(progress, f"Removing a half-built env: {env_dir}")
            shutil.rmtree(env_dir)
        log_path = env_dir.with_name(env_dir.name + ".build.log")
        log_path.unlink(missing_ok=True)
        started = time.monotonic()
        say_progress(progress, f"Creating Rasa env with Python {version} ({python}): {env_dir}")
        env = rasa_subprocess_env()
        run_logged([str(python), "-m", "venv", str(env_dir)], log_path, env)
        say_progress(
            progress, f"Installing {REQUIREMENTS} (about 2.7 GB, minutes); log: {log_path}"
        )
        pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--progress-bar", "off"]
        run_logged([*pip, "-r", str(REQUIREMENTS)], log_path, env)
        say_progress(progress, "Checking that Rasa imports")
        probe = "import jieba, rasa; print(rasa.__version__)"
        run_logged([str(env_dir / "bin" / "python"), "-c", probe], log_path, env)
        marker = {
            "python": version,
            "requirements": REQUIREMENTS.read_text(encoding="utf-8"),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (env_dir / COMPLETE_MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
        say_progress(progress, f"Rasa env built in {time.monotonic() - started:.0f} s: {env_dir}")
    return env_dir
