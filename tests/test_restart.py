"""A half-finished report survives the process: a new Application resumes it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nlu.embedded import EmbeddedBackend
from storage.models import Case
from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.cases import centre_of

RESIDENT = 616161


async def test_report_resumes_after_restart(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> None:
    settings = make_settings(database_url, tmp_path)
    async with BotHarness.start(settings, nlu=embedded_nlu) as first:
        await first.send(
            RESIDENT,
            "the street light outside building 3 is broken, it's pitch dark",
            language_code="en",
        )
        await first.press(RESIDENT, "Yes")
        old_calls = first.api.calls
    # The first process is gone (its Application shut down, its memory dropped).
    async with BotHarness.start(settings, nlu=embedded_nlu) as second:
        second.api.calls.extend(old_calls)  # the resident's phone still shows the old keyboard
        lat, lon = centre_of(second, "hongmian-01")
        await second.share_location(RESIDENT, lat, lon)
        assert "Location confirmed" in second.texts(RESIDENT)[-2]
        await second.press_keyboard(RESIDENT, "Submit")
        assert "Filed as" in second.last_text(RESIDENT)
        async with second.runtime.db.transaction() as session:
            (case,) = (await session.execute(select(Case))).scalars()
        assert case.grid_id == "hongmian-01"
        assert case.case_type == "public_facility"
