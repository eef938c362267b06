"""Logs and endpoints carry no personal data or secrets at any level.

A whole scenario runs at DEBUG through the real logging setup (``configure_logging``): a
report with a phone, the worker's ping, a statement that fails in the database. Its output
must not hold the phone, the bot token or the webhook secret, while it does hold the error.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.log_redaction import LIBRARY_FLOORS, Redactor, redact_numbers
from bot.observability import configure_logging, secrets_of
from nlu.embedded import EmbeddedBackend
from nlu.fallback import FallbackBackend
from nlu.types import Prediction
from tests.conftest import make_settings
from tests.harness import BotHarness, deliver_outbox
from tests.privacy_scenes import PHONE, RESIDENT, WORKER, report
from tests.support.cases import enrol

TOKEN = "7312345678:AAHf3kLmQ9xYzT0pWvB1nCdE4sGh5jKl6Mo"
SECRET = "webhook-secret-Zq81vX"

FORCED_FAILURE = {
    "sqlite": [
        "CREATE TRIGGER forced_failure BEFORE INSERT ON cases "
        "BEGIN SELECT RAISE(ABORT, 'forced failure'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION forced_failure() RETURNS trigger AS "
        "$$ BEGIN RAISE EXCEPTION 'forced failure'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER forced_failure BEFORE INSERT ON cases "
        "FOR EACH ROW EXECUTE FUNCTION forced_failure()",
    ],
}


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    floors = {name: logging.getLogger(name).level for name in LIBRARY_FLOORS}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, floor in floors.items():
        logging.getLogger(name).setLevel(floor)


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("json_logs", [False, True])
async def test_debug_logs_of_a_whole_scenario_hold_no_phone_token_or_secret(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend, json_logs: bool
) -> None:
    settings = make_settings(
        database_url, tmp_path, telegram_token=TOKEN, webhook_secret=SECRET, log_level="DEBUG"
    )
    output = io.StringIO()
    configure_logging("DEBUG", json_logs, secrets_of(settings), stream=output)
    async with BotHarness.start(settings, nlu=embedded_nlu) as bot:
        await enrol(bot, WORKER, "worker", grid_id="xinji-02")
        await report(bot, phone=PHONE)
        await deliver_outbox(bot)  # the worker's ping carries the phone
        logging.getLogger("griddesk.test").debug("settings: %r, token %s", settings, TOKEN)
        async with bot.runtime.db.engine.begin() as conn:
            for statement in FORCED_FAILURE[bot.runtime.db.engine.dialect.name]:
                await conn.execute(text(statement))
        await bot.send(RESIDENT, "小区门口的垃圾桶满了，电话 13812345678")
        await bot.press(RESIDENT, "对")
        await bot.share_location(RESIDENT, *bot.runtime.city.grids["xinji-03"].centre())
        await bot.feed(bot.api.contact_update(RESIDENT, PHONE))
        await bot.press_keyboard(RESIDENT, "提交")  # the INSERT fails: logged with its stack
    logged = output.getvalue()
    assert "forced failure" in logged and "Traceback" in logged  # the error is there...
    for leaked in (PHONE, "13812345678", TOKEN, TOKEN.split(":")[1], SECRET):
        assert leaked not in logged, leaked  # ...and none of these


@pytest.mark.parametrize(
    ("written", "redacted"),
    [
        ("call 13812345678 now", "call [number] now"),
        ("电话13812345678找我", "电话[number]找我"),
        ("138.1234.5678", "[number]"),
        ("138 12 34 56 78", "[number]"),
        ("138-1234-5678", "[number]"),
        ("+86 138 1234 5678", "[number]"),
        ("(020) 8888-6666", "[number]"),
        ("chat 7312345678 blocked", "chat [number] blocked"),
        ("case GD-2026-000123 on 2026-11-30", "case GD-2026-000123 on 2026-11-30"),
        ("3栋302 at 10:30", "3栋302 at 10:30"),
    ],
)
def test_phone_numbers_are_redacted_however_they_are_written(written: str, redacted: str) -> None:
    assert redact_numbers(written) == redacted


def test_secrets_and_token_shapes_are_redacted() -> None:
    redact = Redactor([SECRET])
    line = f"POST https://api.telegram.org/bot{TOKEN}/getMe with {SECRET}"
    assert redact(line) == "POST https://api.telegram.org/bot[token]/getMe with [secret]"


class _Echoing:
    name = "rasa"

    async def parse(self, text: str) -> Prediction:
        raise ValueError(f"could not read the answer to {text!r}")


async def test_health_names_the_nlu_failure_without_the_residents_words(
    embedded_nlu: EmbeddedBackend,
) -> None:
    backend = FallbackBackend(_Echoing(), embedded_nlu)  # type: ignore[arg-type]
    await backend.parse("我家住3栋302，电话13812345678")
    assert backend.health()["last_error"] == "ValueError"
