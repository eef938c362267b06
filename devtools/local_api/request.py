"""PTB's network edge replaced in-process: the Bot talks to :class:`LocalBotApi` directly.

Requests are shaped exactly as HTTPXRequest would send them (``json_parameters`` plus multipart
uploads), so in-process tests exercise the same encoding as the HTTP path, minus the sockets.
"""

from __future__ import annotations

import json
from typing import IO
from urllib.parse import unquote, urlsplit

from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from devtools.local_api.api import LocalBotApi
from devtools.local_api.calls import UploadedFile
from devtools.local_api.params import attach_files

_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}


class LocalBotApiRequest(BaseRequest):
    """Use as both ``request`` and ``get_updates_request`` of an Application or Bot."""

    def __init__(self, api: LocalBotApi, read_timeout: float | None = 5.0) -> None:
        self.api = api
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: there is no connection pool."""

    async def shutdown(self) -> None:
        """Nothing to close; the api outlives any one Bot using it."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        path = unquote(urlsplit(url).path)
        if "/file/bot" in path:
            file_path = path.split("/file/bot", 1)[1].partition("/")[2]
            content = self.api.download(file_path)
            return (404, json.dumps(_NOT_FOUND).encode()) if content is None else (200, content)
        params: dict[str, object] = dict(request_data.json_parameters) if request_data else {}
        if request_data is not None and request_data.contains_files:
            attach_files(params, _uploads(request_data))
        status, body = await self.api.handle(path.rsplit("/", 1)[-1], params)
        return status, json.dumps(body, ensure_ascii=False).encode()


def _uploads(request_data: RequestData) -> dict[str, UploadedFile]:
    uploads = {}
    for part, (filename, content, mimetype) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else _read(content)
        uploads[part] = UploadedFile(filename, data, mimetype)
    return uploads


def _read(handle: IO[bytes]) -> bytes:
    """PTB may hand over an open file (21.5+); read it whole, as an HTTP upload would."""
    if handle.seekable():
        handle.seek(0)
    return handle.read()
