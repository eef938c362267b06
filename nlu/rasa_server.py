"""The Rasa server process: start `rasa run --enable-api`, wait until it answers, stop it.

Apart from building and training because a running server is a resource with a lifetime:
its process group must be stopped on every way out (context manager, signals), and a
taken port or an early exit must be reported with the server's log tail. Used by
`griddesk nlu serve` (serve_until_stopped), the cross-validation fold, bench/nlu.py and
the Rasa integration tests (start_rasa_server).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import httpx

from nlu.rasa_env import (
    Progress,
    RasaUnavailable,
    ensure_rasa_env,
    rasa_subprocess_env,
    resolve_cache_root,
    say_progress,
)

READY_TIMEOUT_SECONDS = 180.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


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
        say_progress(progress, f"Starting Rasa on {server.url} (log: {server.log_path})")
        with server, contextlib.suppress(KeyboardInterrupt):
            server.wait_ready()
            say_progress(progress, f"Rasa ready: POST {server.url}/model/parse  (Ctrl-C stops)")
            server.process.wait()
            if server.process.returncode:
                raise RasaUnavailable(
                    f"Rasa server exited with {server.process.returncode}:\n{server.log_tail()}"
                )
        say_progress(progress, "Rasa stopped")
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
