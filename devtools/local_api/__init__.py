"""A local stand-in for the Telegram Bot API.

Telegram cannot be reached from tests, benchmarks or a newcomer's laptop, so GridDesk talks to
this instead: in-process through :class:`LocalBotApiRequest`, over HTTP through
:func:`serve_http`, and in the local console mode. It answers like Telegram (shapes, errors,
flood limits) and records every call so tests can assert on what a resident would see.
"""

from devtools.local_api.api import LocalBotApi
from devtools.local_api.calls import ApiCall, ReplyButton, UploadedFile
from devtools.local_api.http import LocalBotApiServer, serve_http
from devtools.local_api.ratelimit import RateLimits
from devtools.local_api.request import LocalBotApiRequest

__all__ = [
    "ApiCall",
    "LocalBotApi",
    "LocalBotApiRequest",
    "LocalBotApiServer",
    "RateLimits",
    "ReplyButton",
    "UploadedFile",
    "serve_http",
]
