"""The stand-in over real HTTP on loopback, for PTB's own HTTPXRequest and any other client.

Standard library only (asyncio streams): HTTP/1.1 with keep-alive and Content-Length, bodies
as JSON, form or multipart (uploads), and ``/file/bot<token>/<path>`` downloads.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from contextlib import suppress
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from devtools.local_api.api import LocalBotApi
from devtools.local_api.calls import UploadedFile
from devtools.local_api.params import attach_files

_LOG = logging.getLogger(__name__)
MAX_BODY = 50 * 1024 * 1024  # Telegram's upload limit for bots
_HEADER_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')
Response = tuple[int, str, bytes]


class _HttpError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class _Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


class LocalBotApiServer:
    """A running stand-in; plug ``base_url``/``base_file_url`` into PTB's Bot or builder."""

    def __init__(self, api: LocalBotApi, host: str) -> None:
        self.api = api
        self.host = host
        self.port = 0
        self.connections_opened = 0
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[Any]] = set()

    async def _start(self, port: int) -> None:
        self._server = await asyncio.start_server(self._serve_connection, self.host, port)
        self.port = self._server.sockets[0].getsockname()[1]

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

    async def close(self) -> None:
        """Stop listening and drop open connections, long polls included."""
        if self._server is None:
            return
        self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def __aenter__(self) -> LocalBotApiServer:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
        self.connections_opened += 1
        try:
            while True:
                try:
                    request = await _read_request(reader)
                except _HttpError as error:
                    body = _json_body(error.status, error.reason)
                    writer.write(_render(error.status, "application/json", body, False))
                    await writer.drain()
                    break
                if request is None:
                    break
                status, content_type, body = await self._answer(request)
                writer.write(_render(status, content_type, body, request.keep_alive))
                await writer.drain()
                if not request.keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client left mid-request (e.g. a cancelled long poll); nobody to answer
        except asyncio.CancelledError:
            # close() or loop shutdown ended this connection. Nobody awaits the task for its
            # outcome, and a cancelled one makes Python 3.11's stream callback log an error.
            pass
        finally:
            if task is not None:
                self._connections.discard(task)
            writer.close()
            with suppress(ConnectionError):
                await writer.wait_closed()

    async def _answer(self, request: _Request) -> Response:
        path = unquote(urlsplit(request.target).path)
        if path.startswith("/file/bot"):
            file_path = path.removeprefix("/file/bot").partition("/")[2]
            content = self.api.download(file_path)
            if content is None:
                return 404, "application/json", _json_body(404, "Not Found")
            return 200, "application/octet-stream", content
        token, _, method = path.removeprefix("/bot").partition("/")
        if not path.startswith("/bot") or not token or not method or "/" in method:
            return 404, "application/json", _json_body(404, "Not Found")
        try:
            params, files = _params(request)
            attach_files(params, files)
            status, body = await self.api.handle(method, params)
        except _HttpError as error:
            return error.status, "application/json", _json_body(error.status, error.reason)
        except Exception:
            _LOG.exception("local Bot API failed on %s", method)
            return 500, "application/json", _json_body(500, "Internal Server Error")
        return status, "application/json", json.dumps(body, ensure_ascii=False).encode()


async def serve_http(api: LocalBotApi, host: str = "127.0.0.1", port: int = 0) -> LocalBotApiServer:
    """Serve ``api`` on ``host:port`` (0 picks a free port) until ``close()``."""
    server = LocalBotApiServer(api, host)
    await server._start(port)
    return server


async def _read_request(reader: asyncio.StreamReader) -> _Request | None:
    """The next request on the connection, or ``None`` when the client closed it cleanly."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if error.partial.strip():
            raise _HttpError(400, "Bad Request: incomplete request") from error
        return None
    except asyncio.LimitOverrunError as error:
        raise _HttpError(431, "Request Header Fields Too Large") from error
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = request_line.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise _HttpError(400, "Bad Request: malformed request line")
    method, target, version = parts
    headers = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    connection = headers.get("connection", "").lower()
    keep_alive = "close" not in connection if version == "HTTP/1.1" else "keep-alive" in connection
    body = await _read_body(reader, headers)
    return _Request(method.upper(), target, headers, body, keep_alive)


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader)
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError as error:
        raise _HttpError(400, "Bad Request: bad Content-Length") from error
    if length < 0:
        raise _HttpError(400, "Bad Request: bad Content-Length")
    if length > MAX_BODY:
        raise _HttpError(413, "Request Entity Too Large")
    return await reader.readexactly(length)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError as error:
            raise _HttpError(400, "Bad Request: bad chunk size") from error
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass  # trailers carry nothing the Bot API uses
            return b"".join(chunks)
        total += size
        if total > MAX_BODY:
            raise _HttpError(413, "Request Entity Too Large")
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)


def _params(request: _Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Query string plus body, decoded by content type, as Telegram accepts them all."""
    params: dict[str, Any] = dict(parse_qsl(urlsplit(request.target).query, True))
    files: dict[str, UploadedFile] = {}
    content_type, options = _header_value(request.headers.get("content-type", ""))
    if not request.body:
        return params, files
    if content_type == "application/json":
        try:
            body = json.loads(request.body)
        except ValueError as error:
            raise _HttpError(400, "Bad Request: can't parse JSON") from error
        if not isinstance(body, dict):
            raise _HttpError(400, "Bad Request: JSON body must be an object")
        params.update(body)
    elif content_type == "application/x-www-form-urlencoded":
        params.update(parse_qsl(request.body.decode("utf-8", "replace"), True))
    elif content_type == "multipart/form-data" and options.get("boundary"):
        fields, files = _parse_multipart(request.body, options["boundary"])
        params.update(fields)
    return params, files


def _parse_multipart(body: bytes, boundary: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for section in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if section.startswith(b"--"):
            break  # the closing delimiter
        head, found, data = section.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not found:
            raise _HttpError(400, "Bad Request: malformed multipart body")
        data = data.removesuffix(b"\r\n")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        _, disposition = _header_value(headers.get("content-disposition", ""))
        if "name" not in disposition:
            continue
        name = disposition["name"]
        if "filename" in disposition:
            mimetype = headers.get("content-type", "application/octet-stream")
            files[name] = UploadedFile(disposition["filename"], data, mimetype)
        else:
            fields[name] = data.decode("utf-8", "replace")
    return fields, files


def _header_value(value: str) -> tuple[str, dict[str, str]]:
    """Split ``type/sub; a=b; c="d"`` into the lower-cased main value and its parameters."""
    main, _, rest = value.partition(";")
    options = {}
    for key, raw in _HEADER_PARAM.findall(";" + rest):
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        options[key.lower()] = raw.strip()
    return main.strip().lower(), options


def _json_body(status: int, description: str) -> bytes:
    return json.dumps({"ok": False, "error_code": status, "description": description}).encode()


def _render(status: int, content_type: str, body: bytes, keep_alive: bool) -> bytes:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n"
        "Server: griddesk-local-bot-api\r\n\r\n"
    )
    return head.encode("latin-1") + body
