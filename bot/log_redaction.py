"""No personal data and no secrets in logs, at any level (docs/security.md, "Logs").

Three layers, because any one alone misses something:
1. Statement parameters never reach a message: engines are made with ``hide_parameters``
   (storage.db), so a failing INSERT says "[SQL parameters hidden]" instead of the phone.
2. Libraries that print whole requests, updates or rows at DEBUG (python-telegram-bot,
   httpx, SQLAlchemy's engine, the database drivers) are held at INFO or WARNING, whatever
   the root level: their debug output is residents' words and Bot API URLs with the token.
3. A filter on every handler rewrites each record, traceback included: the configured
   secrets, anything shaped like a bot token, and digit runs that could be a phone number
   or a Telegram id become placeholders.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# At most this chatty, whatever GRIDDESK_LOG_LEVEL says (see 2. above).
LIBRARY_FLOORS = {
    "telegram": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "sqlalchemy.engine": logging.WARNING,
    "sqlalchemy.pool": logging.WARNING,
    "aiosqlite": logging.INFO,
    "asyncpg": logging.INFO,
    "apscheduler": logging.WARNING,
    "alembic": logging.WARNING,
}
SECRET = "[secret]"
TOKEN = "[token]"
NUMBER = "[number]"
_BOT_TOKEN = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")
# A run of digits, maybe with + ( ) and single spaces, dots or hyphens between groups; it
# must not continue an ASCII word or a hyphenated id (case numbers like GD-2026-000123 stay);
# Chinese may touch it ("电话13812345678").
_DIGIT_RUN = re.compile(r"(?<![A-Za-z0-9_\-.])\+?\(?\d[\d()]*(?:[ .\-]\(?\d[\d()]*)*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MIN_DIGITS = 7  # a phone number (or a Telegram user id) has at least this many


def redact_numbers(text: str, min_digits: int = MIN_DIGITS) -> str:
    """Digit runs that could be a phone number, however it is written (``138.1234.5678``,
    ``138 12 34 56 78``, ``+86 (138) 1234-5678``), replaced by ``[number]``; dates stay."""

    def replace(match: re.Match[str]) -> str:
        run = match.group(0)
        digits = sum(ch.isdigit() for ch in run)
        if digits < min_digits or _DATE.match(run):
            return run
        return NUMBER

    return _DIGIT_RUN.sub(replace, text)


class Redactor:
    """Replaces known secrets, bot-token shapes and phone-like digit runs in a text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret containing another is replaced whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, SECRET)
        return redact_numbers(_BOT_TOKEN.sub(TOKEN, text))


class RedactingFilter(logging.Filter):
    """A handler filter: each record leaves with its message and traceback redacted."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redact = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = self._redact(message), None
        if record.exc_info:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = self._redact(formatted), None
        elif record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True


def hold_libraries_quiet() -> None:
    for name, floor in LIBRARY_FLOORS.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(floor, logger.getEffectiveLevel()))
