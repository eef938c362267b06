"""The stand-in over real HTTP on loopback, for PTB's own HTTPXRequest and any other client.

A Starlette app served by uvicorn in the caller's event loop: ``/bot<token>/<method>`` with
parameters in the query string and a JSON, form or multipart body (uploads), and
``/file/bot<token>/<path>`` downloads. Telegram's answers, including its errors, are JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message

from devtools.local_api.api import LocalBotApi
from devtools.local_api.calls import UploadedFile
from devtools.local_api.params import attach_files

_LOG = logging.getLogger(__name__)
MAX_BODY = 50 * 1024 * 1024  # Telegram's upload limit for bots
STARTUP_SECONDS = 10.0


class _BodyError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class _QuietServer(uvicorn.Server):
    """uvicorn without its signal handlers: Ctrl-C belongs to the test run or bench around it."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # uvicorn >= 0.29
        yield

    def install_signal_handlers(self) -> None:  # older uvicorn
        return None


class LocalBotApiServer:
    """A running stand-in; plug ``base_url``/``base_file_url`` into PTB's Bot or builder."""

    def __init__(self, api: LocalBotApi, host: str) -> None:
        self.api = api
        self.host = host
        self.port = 0
        self._clients: set[tuple[str, int]] = set()
        self._closing = asyncio.Event()
        self._server: _QuietServer | None = None
        self._task: asyncio.Task[None] | None = None
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._method, methods=["GET", "POST"]),
                Route("/file/bot{token}/{file_path:path}", self._download, methods=["GET"]),
            ],
            exception_handlers={HTTPException: _http_error},
        )

    @property
    def connections_opened(self) -> int:
        """TCP connections clients opened (each has its own client address): keep-alive is one."""
        return len(self._clients)

    @property
    def _origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Same shape as ``https://api.telegram.org/bot``: PTB appends the token."""
        return f"{self._origin}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self._origin}/file/bot"

    async def _start(self, port: int) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit this: without it uvicorn's separate header and body
        # writes wait for the client's delayed ACK, 40 ms per answer (Telegram answers in ~1).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((self.host, port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app, lifespan="off", log_level="warning", access_log=False,
            server_header=False, timeout_graceful_shutdown=5,
        )  # fmt: skip
        self._server = _QuietServer(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STARTUP_SECONDS
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises what stopped it
                raise RuntimeError("the local Bot API server stopped while starting")
            if loop.time() > deadline:
                raise TimeoutError("the local Bot API server did not start")
            await asyncio.sleep(0.01)

    async def close(self) -> None:
        """Stop listening; requests in flight, long polls included, answer 502 at once."""
        if self._server is None or self._task is None:
            return
        self._closing.set()
        self._server.should_exit = True
        await self._task
        self._server = self._task = None

    async def __aenter__(self) -> LocalBotApiServer:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _download(self, request: Request) -> Response:
        self._note_client(request)
        content = self.api.download(request.path_params["file_path"])
        if content is None:
            return _error(404, "Not Found")
        return Response(content, media_type="application/octet-stream")

    async def _method(self, request: Request) -> Response:
        self._note_client(request)
        method = request.path_params["method"]
        try:
            params, files = await _params(request)
        except _BodyError as error:
            return _error(error.status, error.reason)
        attach_files(params, files)
        answer = asyncio.ensure_future(self.api.handle(method, params))
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            await asyncio.wait({answer, closing}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            closing.cancel()
        if not answer.done():  # the server is closing under a long poll: like a dropped proxy
            answer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await answer
            return _error(502, "Bad Gateway")
        try:
            status, body = answer.result()
        except Exception:
            _LOG.exception("local Bot API failed on %s", method)
            return _error(500, "Internal Server Error")
        return Response(json.dumps(body, ensure_ascii=False), status, media_type="application/json")

    def _note_client(self, request: Request) -> None:
        if request.client is not None:
            self._clients.add((request.client.host, request.client.port))


async def serve_http(api: LocalBotApi, host: str = "127.0.0.1", port: int = 0) -> LocalBotApiServer:
    """Serve ``api`` on ``host:port`` (0 picks a free port) until ``close()``."""
    server = LocalBotApiServer(api, host)
    await server._start(port)
    return server


async def _params(request: Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Query string plus body, decoded by content type, as Telegram accepts them all."""
    params: dict[str, Any] = dict(request.query_params)
    body = await _body(request)
    if not body:
        return params, {}
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            decoded = json.loads(body)
        except ValueError as error:
            raise _BodyError(400, "Bad Request: can't parse JSON") from error
        if not isinstance(decoded, dict):
            raise _BodyError(400, "Bad Request: JSON body must be an object")
        params.update(decoded)
    elif content_type == "application/x-www-form-urlencoded":
        params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    elif content_type == "multipart/form-data":
        fields, files = await _multipart(request, body)
        params.update(fields)
        return params, files
    return params, {}


async def _body(request: Request) -> bytes:
    """The whole body (Content-Length or chunked), refused past Telegram's upload limit."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise _BodyError(413 if declared.isdigit() else 400, "Request Entity Too Large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _BodyError(413, "Request Entity Too Large")
        chunks.append(chunk)
    return b"".join(chunks)


async def _multipart(
    request: Request, body: bytes
) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Fields and uploads of a body already read, through Starlette's multipart parser."""

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    async with _form(Request(request.scope, replay)) as form:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                mimetype = value.content_type or "application/octet-stream"
                files[name] = UploadedFile(value.filename or name, await value.read(), mimetype)
            else:
                fields[name] = value
    return fields, files


@contextlib.asynccontextmanager
async def _form(request: Request) -> AsyncIterator[Any]:
    try:
        form = await request.form(max_part_size=MAX_BODY)
    except HTTPException as error:
        raise _BodyError(400, f"Bad Request: {error.detail}") from error
    try:
        yield form
    finally:
        await form.close()


def _error(status: int, description: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error_code": status, "description": description}, status)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Routing misses (unknown paths, wrong verbs) in Telegram's JSON shape."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return _error(status, "Not Found" if status == 404 else str(getattr(exc, "detail", "")))
