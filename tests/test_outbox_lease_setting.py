"""GRIDDESK_OUTBOX_LEASE_SECONDS: how long an outbox claim holds its rows, never shorter than
one Bot API call may take (else no send could start inside a claim)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.settings import SEND_CALL_BOUND_SECONDS, SettingsError, load_settings
from entrypoints.background import SEND_LEASE, background_of
from nlu.embedded import EmbeddedBackend
from services.notify import queue_to_chat
from tests.conftest import make_settings
from tests.harness import BotHarness


def test_the_default_lease_is_unchanged() -> None:
    assert load_settings().outbox_lease_seconds == 120.0
    assert timedelta(seconds=120) == SEND_LEASE


@pytest.mark.parametrize("seconds", [SEND_CALL_BOUND_SECONDS, 10, 0, -5])
def test_a_lease_no_longer_than_a_call_is_refused(
    seconds: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIDDESK_OUTBOX_LEASE_SECONDS", str(seconds))
    with pytest.raises(SettingsError, match=r"GRIDDESK_OUTBOX_LEASE_SECONDS: .*more than 40 s"):
        load_settings()


async def test_the_dispatcher_claims_for_the_configured_lease(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> None:
    settings = make_settings(database_url, tmp_path, outbox_lease_seconds=45)
    async with BotHarness.start(settings, nlu=embedded_nlu) as bot:
        now = bot.clock.now()
        async with bot.runtime.db.transaction() as session:
            queue_to_chat(session, 4242, "停水通知", now, kind="notice")
        (claimed,) = await background_of(bot.app).dispatcher.claim()
    assert claimed.lease_until - now == timedelta(seconds=45)
