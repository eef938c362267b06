"""Build, train and run the Rasa NLU service in its own Python 3.10 environment.

Rasa 3.6 needs Python 3.10 and pins libraries the bot has outgrown, so it lives
in a separate virtualenv under the cache directory and is driven by subprocess
(DESIGN.md "NLU"). Everything here is plain Python with no settings object:
the cache root comes from the caller, else GRIDDESK_CACHE_DIR, else
~/.cache/griddesk. Driven from the bot's venv by `griddesk nlu env | train --backend rasa |
serve` (scripts/rasa-env is a shortcut to those).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import httpx

NLU_DIR = Path(__file__).resolve().parent
REQUIREMENTS = NLU_DIR / "rasa" / "requirements.txt"
CONFIG = NLU_DIR / "config.yml"
DOMAIN = NLU_DIR / "domain.yml"
DATA_DIR = NLU_DIR / "data"
DEFAULT_MODEL_DIR = NLU_DIR / "models"
# Code the Rasa pipeline runs (config.yml names the component): a change retrains.
COMPONENT_SOURCES = (NLU_DIR / "rasa" / "griddesk_components.py", NLU_DIR / "embedded.py")

CACHE_DIR_ENV = "GRIDDESK_CACHE_DIR"
RASA_PYTHON_ENV = "GRIDDESK_RASA_PYTHON"
RASA_PYTHON_VERSION = (3, 10)
PYENV_FALLBACK_VERSION = "3.10.13"
COMPLETE_MARKER = ".griddesk-complete"
READY_TIMEOUT_SECONDS = 180.0
MODELS_KEPT = 3
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

Progress = Callable[[str], None]


class RasaUnavailable(RuntimeError):
    """The Rasa environment cannot be built, trained or started; the message says why."""


def _say(progress: Progress | None, line: str) -> None:
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
def _exclusive(lock_path: Path) -> Iterator[None]:
    """A file lock, so two builds (a test and the script) never write one directory."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run_logged(
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
        _say(progress, f"Rasa env ready: {env_dir}")
        return env_dir
    with _exclusive(env_dir.with_name(env_dir.name + ".lock")):
        if rasa_env_ready(env_dir):  # another process finished it while we waited
            _say(progress, f"Rasa env ready: {env_dir}")
            return env_dir
        if env_dir.exists():
            _say(progress, f"Removing a half-built env: {env_dir}")
            shutil.rmtree(env_dir)
        log_path = env_dir.with_name(env_dir.name + ".build.log")
        log_path.unlink(missing_ok=True)
        started = time.monotonic()
        _say(progress, f"Creating Rasa env with Python {version} ({python}): {env_dir}")
        env = rasa_subprocess_env()
        _run_logged([str(python), "-m", "venv", str(env_dir)], log_path, env)
        _say(progress, f"Installing {REQUIREMENTS} (about 2.7 GB, minutes); log: {log_path}")
        pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--progress-bar", "off"]
        _run_logged([*pip, "-r", str(REQUIREMENTS)], log_path, env)
        _say(progress, "Checking that Rasa imports")
        probe = "import jieba, rasa; print(rasa.__version__)"
        _run_logged([str(env_dir / "bin" / "python"), "-c", probe], log_path, env)
        marker = {
            "python": version,
            "requirements": REQUIREMENTS.read_text(encoding="utf-8"),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (env_dir / COMPLETE_MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
        _say(progress, f"Rasa env built in {time.monotonic() - started:.0f} s: {env_dir}")
    return env_dir


# --- training --------------------------------------------------------------------------------


def training_data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*") if p.is_file() and p.suffix in {".yml", ".yaml"})


def training_digest(data_dir: Path = DATA_DIR, config: Path = CONFIG) -> str:
    """Hash of what decides the model: config, domain, data and the pinned Rasa version."""
    digest = hashlib.sha256()
    for path in [config, DOMAIN, REQUIREMENTS, *COMPONENT_SOURCES, *training_data_files(data_dir)]:
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def train_rasa_model(
    out_dir: Path = DEFAULT_MODEL_DIR,
    progress: Progress | None = print,
    cache_root: Path | None = None,
    *,
    data_dir: Path = DATA_DIR,
    config: Path = CONFIG,
) -> Path:
    """Train the NLU model into out_dir as nlu-<digest>.tar.gz, reusing one on the same inputs.

    `data_dir` and `config` default to the shipped ones; cross-validation passes a fold's
    training part and a candidate pipeline.
    """
    out_dir = out_dir.resolve()
    model = out_dir / f"nlu-{training_digest(data_dir, config)}.tar.gz"
    if model.is_file():
        _say(progress, f"Model up to date: {model}")
        return model
    env_dir = ensure_rasa_env(progress, cache_root)
    root = resolve_cache_root(cache_root)
    with _exclusive(out_dir / f".{model.name}.lock"):
        if model.is_file():  # trained by another process while we waited
            _say(progress, f"Model up to date: {model}")
            return model
        # Rasa cuts the name at the first dot, so the unfinished model has none.
        partial = model.name.removesuffix(".tar.gz") + "-partial"
        log_path = root / "logs" / f"rasa-train-{model.name.removesuffix('.tar.gz')}.log"
        env = rasa_subprocess_env()
        # Rasa's training cache (hundreds of MB) saves nothing here: our digest already skips
        # unchanged inputs, and changed data retrains every component anyway.
        env["RASA_MAX_CACHE_SIZE"] = "0"
        env["RASA_CACHE_DIRECTORY"] = str(root / "rasa-train-cache")
        cmd = [
            str(env_dir / "bin" / "rasa"), "train", "nlu",
            "--config", str(config), "--domain", str(DOMAIN), "--nlu", str(data_dir),
            "--out", str(out_dir), "--fixed-model-name", partial,
        ]  # fmt: skip
        files = len(training_data_files(data_dir))
        _say(progress, f"Training Rasa NLU on {files} data files; log: {log_path}")
        started = time.monotonic()
        log_path.unlink(missing_ok=True)
        _run_logged(cmd, log_path, env, cwd=root)
        (out_dir / f"{partial}.tar.gz").replace(model)
        _prune_models(out_dir, keep=model)
    size_mb = model.stat().st_size / 1e6
    _say(progress, f"Trained in {time.monotonic() - started:.0f} s: {model} ({size_mb:.0f} MB)")
    return model


def _prune_models(out_dir: Path, keep: Path) -> None:
    """Keep the newest few models; old ones are 100+ MB each and never loaded again."""
    models = sorted(out_dir.glob("nlu-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in models if p != keep][MODELS_KEPT - 1 :]:
        old.unlink(missing_ok=True)
        (out_dir / f".{old.name}.lock").unlink(missing_ok=True)


# --- serving ---------------------------------------------------------------------------------


@dataclass
class RasaServer:
    """A `rasa run --enable-api` subprocess and where it listens."""

    process: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Block until the server answers /status with a loaded model."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RasaUnavailable(
                    f"Rasa server exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            with contextlib.suppress(httpx.HTTPError, ValueError):
                status = httpx.get(f"{self.url}/status", timeout=2.0)
                if status.status_code == 200 and status.json().get("model_file"):
                    return
            time.sleep(0.5)
        raise RasaUnavailable(f"Rasa server not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the server's process group; kill it if it lingers."""
        if self.process.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=timeout)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, lines: int = 25) -> str:
        if not self.log_path.is_file():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> RasaServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _port_free(host: str, port: int) -> bool:
    """Nothing listens on host:port (connections lingering in TIME_WAIT do not count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def start_rasa_server(
    model: Path, port: int, host: str = "127.0.0.1", cache_root: Path | None = None
) -> RasaServer:
    """Start `rasa run --enable-api` on a trained model; call wait_ready() before use."""
    if not _port_free(host, port):
        # Else wait_ready() would take the other server's answers for ours.
        raise RasaUnavailable(f"port {port} on {host} is already in use")
    env_dir = ensure_rasa_env(None, cache_root)
    root = resolve_cache_root(cache_root)
    log_path = root / "logs" / f"rasa-server-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        str(env_dir / "bin" / "rasa"),
        "run",
        "--enable-api",
        "--interface",
        host,
        "--port",
        str(port),
        "--model",
        str(model.resolve()),
    ]
    with log_path.open("w", encoding="utf-8") as log:
        # A new session: stop() signals the whole group, not just the first process.
        process = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=rasa_subprocess_env(),
            cwd=str(root),
            start_new_session=True,
        )
    return RasaServer(process=process, url=f"http://{host}:{port}", log_path=log_path)


# --- command line ----------------------------------------------------------------------------


def _stop_on_signal(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_until_stopped(
    model: Path,
    port: int,
    host: str = "127.0.0.1",
    cache_root: Path | None = None,
    progress: Progress | None = print,
) -> None:
    """Run the Rasa API on `model` until Ctrl-C or SIGTERM/SIGHUP, then stop it cleanly.

    Rasa runs in its own session, so it never sees our signals: each becomes a clean stop
    here (a background job even starts with SIGINT ignored). Raises RasaUnavailable when the
    server exits or never gets ready (e.g. the port is taken), with its log tail.
    """
    previous = {s: signal.signal(s, _stop_on_signal) for s in STOP_SIGNALS}
    try:
        server = start_rasa_server(model, port, host, cache_root)
        _say(progress, f"Starting Rasa on {server.url} (log: {server.log_path})")
        with server, contextlib.suppress(KeyboardInterrupt):
            server.wait_ready()
            _say(progress, f"Rasa ready: POST {server.url}/model/parse  (Ctrl-C stops)")
            server.process.wait()
            if server.process.returncode:
                raise RasaUnavailable(
                    f"Rasa server exited with {server.process.returncode}:\n{server.log_tail()}"
                )
        _say(progress, "Rasa stopped")
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
