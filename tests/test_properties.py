"""Property tests (hypothesis): lifecycle sequences by any roles, and arbitrary text.

Each example runs in its own event loop on a real SQLite file (migrated once). Config, catalogs
and the model are loaded once per module (they are the same for every example); each example
gets its own clock, metrics and connection pool, and the text test its own Application.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.observability import Metrics
from bot.runtime import Runtime
from bot.settings import load_settings
from devtools.local_api import LocalBotApi, LocalBotApiRequest
from domain.lifecycle import ALLOWED, CaseStatus, IllegalTransition
from entrypoints.app import build_application, build_runtime, prepare_database
from nlu.embedded import EmbeddedBackend
from services.cases.actions import AlreadyHandled, CaseDesk, NotAllowed
from services.cases.drafts import ReportDraft
from services.cases.filing import file_report
from services.staff import create_invite, join
from storage.db import Database
from storage.models import Case, CaseEvent, OutboxMessage, User
from storage.repositories import UserRepository
from tests.harness import BotHarness

# Who may be pressing: the names map to users made in `prepared`.
ACTORS = ["resident", "other_resident", "worker", "other_worker", "supervisor", "far_supervisor"]
ACTIONS = [
    "accept",
    "start",
    "resolve",
    "escalate",
    "hand_back",
    "reassign",
    "fixed",
    "not_fixed",
    "rate",
    "note",
]
# Changes the resident must hear about (DESIGN.md lifecycle; issue 4).
TOLD = {
    CaseStatus.ASSIGNED,
    CaseStatus.ACCEPTED,
    CaseStatus.RESOLVED,
    CaseStatus.CLOSED,
    CaseStatus.REOPENED,
}
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def prepared(
    tmp_path_factory: pytest.TempPathFactory, embedded_nlu: EmbeddedBackend
) -> tuple[str, dict[str, int], Path]:
    tmp = tmp_path_factory.mktemp("props")
    url = f"sqlite+aiosqlite:///{tmp / 'props.sqlite3'}"

    async def setup() -> dict[str, int]:
        runtime = build_runtime(
            load_settings(database_url=url, cache_dir=tmp), nlu=embedded_nlu, clock=ManualClock(NOW)
        )
        await prepare_database(runtime)
        ids: dict[str, int] = {}
        scopes = {
            "worker": ("worker", {"grid_id": "xinji-02"}),
            "other_worker": ("worker", {"grid_id": "hongmian-01"}),
            "supervisor": ("supervisor", {"community_id": "xinji"}),
            "far_supervisor": ("supervisor", {"community_id": "hongmian"}),
        }
        async with runtime.db.transaction() as session:
            for n, name in enumerate(ACTORS):
                user = await UserRepository(session).get_or_create(100 + n, NOW)
                if name in scopes:
                    role, scope = scopes[name]
                    invite = await create_invite(session, runtime.city, role, NOW, **scope)
                    await join(session, user, invite.code, NOW)
                await session.flush()
                ids[name] = user.id
        await runtime.db.dispose()
        return ids

    return url, asyncio.run(setup()), tmp


@pytest.fixture(scope="module")
def base_runtime(
    prepared: tuple[str, dict[str, int], Path], embedded_nlu: EmbeddedBackend
) -> Runtime:
    """Built once: loading config and catalogs takes longer than most examples."""
    url, _, tmp = prepared
    settings = load_settings(database_url=url, cache_dir=tmp, rate_limit_per_minute=10_000)
    return build_runtime(settings, nlu=embedded_nlu, clock=ManualClock(NOW))


def fresh(base: Runtime) -> Runtime:
    """The same city, catalogs and model; a new clock, metrics and pool (a new event loop)."""
    db = Database(base.settings.database_url)
    return replace(base, db=db, clock=ManualClock(NOW), metrics=Metrics())


@asynccontextmanager
async def harness(runtime: Runtime) -> AsyncIterator[BotHarness]:
    """``BotHarness.start`` on a runtime already built (its database is migrated)."""
    api = LocalBotApi()
    request = LocalBotApiRequest(api)
    app = build_application(runtime, request=request, get_updates_request=request)
    try:
        async with app:
            yield BotHarness(runtime, app, api)
    finally:
        await runtime.db.dispose()


async def _counts(session: object, case_id: int) -> tuple[str, int, int]:
    from sqlalchemy.ext.asyncio import AsyncSession

    assert isinstance(session, AsyncSession)
    case = await session.get(Case, case_id, populate_existing=True)
    assert case is not None
    events = (
        await session.execute(select(func.count(CaseEvent.id)).where(CaseEvent.case_id == case_id))
    ).scalar_one()
    told = (
        await session.execute(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.case_id == case_id, OutboxMessage.kind == "status"
            )
        )
    ).scalar_one()
    return case.status, int(events), int(told)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(ACTORS)), max_size=14))
def test_no_sequence_of_actions_breaks_the_lifecycle(
    prepared: tuple[str, dict[str, int], Path],
    base_runtime: Runtime,
    steps: list[tuple[str, str]],
) -> None:
    _, ids, _ = prepared

    async def scenario() -> None:
        runtime = fresh(base_runtime)
        try:
            async with runtime.db.transaction() as session:
                resident = await session.get(User, ids["resident"])
                assert resident is not None
                draft = ReportDraft(
                    text="路灯坏了", language="zh", case_type="public_facility", grid_id="xinji-02"
                )
                await file_report(session, draft, resident, runtime.city, runtime.catalog, NOW)
                case_id = (await session.execute(select(func.max(Case.id)))).scalar_one()
            for action, actor_name in steps:
                async with runtime.db.transaction() as session:
                    before = await _counts(session, case_id)
                outcome = "refused"
                try:
                    async with runtime.db.transaction() as session:
                        actor = await session.get(User, ids[actor_name])
                        assert actor is not None
                        desk = CaseDesk(session, runtime.city, runtime.catalog, NOW)
                        await ACT[action](desk, actor, case_id, ids)
                    outcome = "done"
                except (NotAllowed, AlreadyHandled, IllegalTransition):
                    pass  # refused: a stale or forbidden action changes nothing (checked below)
                async with runtime.db.transaction() as session:
                    after = await _counts(session, case_id)
                status_before, events_before, told_before = before
                status_after, events_after, told_after = after
                assert status_after in {s.value for s in CaseStatus}
                if outcome == "refused":
                    assert after == before, (action, actor_name)  # nothing half-done
                    continue
                if status_after != status_before:
                    assert (
                        CaseStatus(status_after) in ALLOWED[CaseStatus(status_before)]
                        or action == "reassign"
                    )
                    assert events_after > events_before  # every change left an event
                    if CaseStatus(status_after) in TOLD:
                        assert told_after > told_before, (action, status_after)
        finally:
            await runtime.db.dispose()

    asyncio.run(scenario())


async def _reassign(desk: CaseDesk, actor: User, case_id: int, ids: dict[str, int]) -> None:
    await desk.reassign(actor, case_id, ids["worker"])


ACT: dict[str, Callable[[CaseDesk, User, int, dict[str, int]], Awaitable[object]]] = {
    "accept": lambda d, a, c, _: d.accept(a, c),
    "start": lambda d, a, c, _: d.start(a, c),
    "resolve": lambda d, a, c, _: d.resolve(a, c, "done"),
    "escalate": lambda d, a, c, _: d.escalate(a, c, "needs the department"),
    "hand_back": lambda d, a, c, _: d.hand_back(a, c, "not my grid"),
    "reassign": _reassign,
    "fixed": lambda d, a, c, _: d.confirm_fixed(a, c),
    "not_fixed": lambda d, a, c, _: d.not_fixed(a, c),
    "rate": lambda d, a, c, _: d.rate(a, c, 4),
    "note": lambda d, a, c, _: d.add_note(a, c, "checked the site"),
}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(
        st.text(min_size=0, max_size=300),
        st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=50),
        st.text(min_size=4096, max_size=4096, alphabet=st.characters(blacklist_categories=["Cs"])),
    )
)
def test_any_text_gets_an_answer_and_never_crashes(base_runtime: Runtime, text: str) -> None:
    async def scenario() -> None:
        async with harness(fresh(base_runtime)) as bot:
            await bot.send(999, text)
            replies = bot.texts(999)
            assert replies, "no answer"
            assert not any("系统出了点问题" in r or "went wrong on our side" in r for r in replies)

    asyncio.run(scenario())
