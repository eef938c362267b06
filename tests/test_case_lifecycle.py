"""A whole case the 12345 way, through the Application, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from services.cases.sla import scan_sla
from storage.models import Case, CaseEvent, Evaluation
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import (
    OTHER_WORKER,
    RESIDENT,
    SUPERVISOR,
    WORKER,
    case_row,
    centre_of,
    enrol,
    report_street_light,
)


async def test_report_to_rating_and_close(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    case = await report_street_light(bot)
    assert case.status == "assigned"
    await deliver_outbox(bot)
    ping = bot.texts(WORKER)
    assert any(case.number in text and "路灯坏了" in text for text in ping)
    assert any(c.method == "sendLocation" for c in bot.calls(WORKER))
    assert any("grid worker" in t or "网格员" in t for t in bot.texts(RESIDENT)[-1:])

    await bot.press(WORKER, "Accept")
    assert f"Accepted {case.number}" in bot.last_text(WORKER)
    await deliver_outbox(bot)
    assert "接单" in bot.last_text(RESIDENT)

    await bot.press(WORKER, "Resolve")
    assert "what was done" in bot.last_text(WORKER)
    await bot.send(WORKER, "Replaced the bulb, the light works again")
    assert "resolved" in bot.last_text(WORKER)
    await deliver_outbox(bot)
    resolved_msg = bot.last_text(RESIDENT)
    assert "Replaced the bulb" in resolved_msg and case.number in resolved_msg

    await bot.press(RESIDENT, "解决了")
    assert "请评价这次处理" in bot.last_text(RESIDENT)
    await bot.press(RESIDENT, "😊 满意")
    assert "谢谢您的评价" in bot.last_text(RESIDENT)
    await deliver_outbox(bot)
    assert "已办结" in bot.last_text(RESIDENT)

    stored = await case_row(bot, case.id)
    assert stored.status == "closed"
    async with bot.runtime.db.transaction() as session:
        grades = (await session.execute(select(Evaluation.grade))).scalars().all()
    assert grades == ["satisfied"]
    async with bot.runtime.db.transaction() as session:
        events = (
            (
                await session.execute(
                    select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
                )
            )
            .scalars()
            .all()
        )
    assert [e.to_status for e in events] == ["new", "assigned", "accepted", "resolved", "closed"]
    # The supervisor was never bothered: nothing went wrong.
    assert [t for t in bot.texts(SUPERVISOR) if case.number in t] == []


async def test_not_fixed_reopens_and_tells_the_supervisor(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    case = await report_street_light(bot)
    await deliver_outbox(bot)
    await bot.press(WORKER, "Accept")
    await bot.press(WORKER, "Resolve")
    await bot.send(WORKER, "done")
    await deliver_outbox(bot)
    await bot.press(RESIDENT, "没解决")
    await deliver_outbox(bot)
    assert (await case_row(bot, case.id)).status == "reopened"
    assert any(case.number in t and "not fixed" in t for t in bot.texts(SUPERVISOR))


async def test_overdue_case_reminds_then_escalates(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    case = await report_street_light(bot)
    await deliver_outbox(bot)
    # The reminder comes at 80 % of the office time to the due time (calendar.yaml).
    runtime = bot.runtime

    async def scan() -> None:
        async with runtime.db.transaction() as session:
            await scan_sla(
                session, runtime.city, runtime.catalog, bot.clock.now(), timedelta(days=3)
            )
        await deliver_outbox(bot)

    bot.clock.set(case.remind_at - timedelta(minutes=1))  # type: ignore[attr-defined]
    await scan()
    assert not any("Reminder" in t for t in bot.texts(WORKER))
    bot.clock.set(case.remind_at)  # type: ignore[attr-defined]
    await scan()
    assert sum("Reminder" in t and case.number in t for t in bot.texts(WORKER)) == 1
    await scan()  # idempotent: no second reminder
    assert sum("Reminder" in t for t in bot.texts(WORKER)) == 1
    assert not any("Overdue" in t for t in bot.texts(SUPERVISOR))
    bot.clock.set(case.due_at)  # type: ignore[attr-defined]
    await scan()
    assert sum("Overdue" in t and case.number in t for t in bot.texts(SUPERVISOR)) == 1


async def test_forbidden_moves_are_refused(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, OTHER_WORKER, "worker", grid_id="xinji-03")
    case = await report_street_light(bot)
    await deliver_outbox(bot)
    ping = next(c for c in bot.calls(WORKER) if bot.api.buttons(c))
    accept_data = next(d for label, d in bot.api.buttons(ping) if "Accept" in label)
    # Another worker replays the button data in their own chat.
    await bot.send(OTHER_WORKER, "/tasks")
    own = bot.calls(OTHER_WORKER)[-1]
    await bot.feed(
        bot.api.callback_update(OTHER_WORKER, int(own.result["message_id"]), accept_data)
    )
    assert "not for you" in bot.last_text(OTHER_WORKER)
    # A resident calls a staff command, and presses a forged staff button.
    await bot.send(RESIDENT, "/tasks")
    assert "网格员和主管" in bot.last_text(RESIDENT)
    mine = bot.calls(RESIDENT)[-1]
    await bot.feed(
        bot.api.callback_update(RESIDENT, int(mine.result["message_id"]), f"wk:res:{case.id}")
    )
    await bot.feed(
        bot.api.callback_update(RESIDENT, int(mine.result["message_id"]), f"sv:to:{case.id}:1")
    )
    await bot.feed(
        bot.api.callback_update(RESIDENT, int(mine.result["message_id"]), "wk:acc:not-a-number")
    )
    assert (await case_row(bot, case.id)).status == "assigned"


async def test_a_second_report_joins_the_open_case_and_hears_its_updates(bot: BotHarness) -> None:
    neighbour = RESIDENT + 1
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    case = await report_street_light(bot)
    await bot.send(neighbour, "3栋门口的路灯坏了 晚上黑漆漆的")
    await bot.press(neighbour, "对")
    await bot.share_location(neighbour, *centre_of(bot, "xinji-02"))
    await bot.press_keyboard(neighbour, "提交")
    assert case.number in bot.last_text(neighbour)  # "is it this one?"
    await bot.press(neighbour, case.number)
    assert "2" in bot.last_text(neighbour) and case.number in bot.last_text(neighbour)
    stored = await case_row(bot, case.id)
    assert stored.reporter_count == 2
    async with bot.runtime.db.transaction() as session:
        assert len((await session.execute(select(Case))).scalars().all()) == 1
    await deliver_outbox(bot)
    await bot.press(WORKER, "Accept")
    await deliver_outbox(bot)
    assert "接单" in bot.last_text(neighbour) and "接单" in bot.last_text(RESIDENT)
    await bot.send(neighbour, "/mycases")
    assert case.number in bot.last_text(neighbour)


async def test_escalation_reaches_the_supervisor_with_reason_and_department(
    bot: BotHarness,
) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    case = await report_street_light(bot)
    await deliver_outbox(bot)
    await bot.press(WORKER, "Escalate")
    await bot.send(WORKER, "The pole is damaged; needs the city lighting team")
    assert "escalated" in bot.last_text(WORKER)
    await deliver_outbox(bot)
    message = bot.last_text(SUPERVISOR)
    department = bot.runtime.city.case_type("public_facility").department.name.en
    assert case.number in message and "city lighting team" in message and department in message
    assert (await case_row(bot, case.id)).status == "escalated"
    await bot.press(SUPERVISOR, "Reassign")
    await bot.press(SUPERVISOR, "Xinji Grid 2")
    assert "Reassigned" in bot.last_text(SUPERVISOR)
    assert (await case_row(bot, case.id)).status == "assigned"
