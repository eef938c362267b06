"""Erasure and retention cover the whole personal-data map, down to the database files.

docs/security.md, "Erasure" and "Retention"; each test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from entrypoints.scheduler import run_retention_purge
from storage.models import Attachment, Case, ConversationState, OutboxMessage, User
from tests.harness import BotHarness, deliver_outbox
from tests.privacy_scenes import PHONE, RESIDENT, WORDS, WORKER, file_bytes, report
from tests.support.cases import enrol


async def outbox_rows(bot: BotHarness) -> list[OutboxMessage]:
    async with bot.runtime.db.transaction() as session:
        return list((await session.execute(select(OutboxMessage))).scalars())


async def test_forgetme_withdraws_open_cases_and_leaves_nothing_in_rows_outbox_or_files(
    bot: BotHarness,
) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    case = await report(bot, phone=PHONE, photo="resident-photo-7101")
    await deliver_outbox(bot)
    assert any(PHONE in t for t in bot.texts(WORKER))  # the handling worker had it
    await bot.press(WORKER, "Accept")  # queues "accepted" to the resident: still pending
    assert any(r.chat_id == RESIDENT and r.status == "pending" for r in await outbox_rows(bot))

    await bot.send(RESIDENT, "/forgetme")
    explained = bot.last_text(RESIDENT)
    assert case.number in explained and "撤回" in explained  # withdraw before forget
    await bot.press(RESIDENT, "撤回并删除")
    assert "撤回了 1 个" in bot.last_text(RESIDENT)
    seen_by_resident = len(bot.calls(RESIDENT))

    await deliver_outbox(bot)
    # The message queued before the erasure never goes out; the worker hears of the
    # withdrawal, without the resident's words or phone.
    assert len(bot.calls(RESIDENT)) == seen_by_resident
    told = bot.last_text(WORKER)
    assert told == (
        f"Case {case.number} (Public facilities, Xinji Grid 2) was withdrawn by the resident, "
        "who erased their data. Nothing more to do on it."
    )
    assert PHONE not in told and "王阿姨" not in told
    async with bot.runtime.db.transaction() as session:
        stored = await session.get(Case, case.id)
        assert stored is not None
        photos = (await session.execute(select(func.count(Attachment.id)))).scalar_one()
        ids = list((await session.execute(select(User.telegram_id))).scalars())
    assert stored.status == "cancelled"
    assert stored.text == "[应居民要求已删除]"  # the case's language, not English
    assert (stored.contact_phone, stored.latitude, stored.address) == (None, None, None)
    assert (stored.case_type, stored.grid_id) == ("public_facility", "xinji-02")
    assert photos == 0 and RESIDENT not in ids
    rows = await outbox_rows(bot)
    assert all(r.chat_id != RESIDENT for r in rows)
    assert not any(PHONE in str(r.payload) or "resident-photo" in str(r.payload) for r in rows)

    stored_bytes = await file_bytes(bot)
    for gone in (PHONE, WORDS, "resident-photo-7101"):
        assert gone.encode() not in stored_bytes, gone


async def test_forgetme_keep_erases_nothing_and_an_english_case_gets_an_english_placeholder(
    bot: BotHarness,
) -> None:
    case = await report(
        bot,
        words="The street light at Emerald Lake Court block 5 is broken",
        confirm="Yes",
        submit="Submit",
        language_code="en",
    )
    await bot.send(RESIDENT, "/forgetme", language_code="en")
    assert case.number in bot.last_text(RESIDENT)
    await bot.press(RESIDENT, "Keep")
    async with bot.runtime.db.transaction() as session:
        kept = await session.get(Case, case.id)
    assert kept is not None and kept.status != "cancelled" and "Emerald" in kept.text
    await bot.send(RESIDENT, "/forgetme", language_code="en")
    await bot.press(RESIDENT, "Withdraw them and erase")
    async with bot.runtime.db.transaction() as session:
        erased = await session.get(Case, case.id)
    assert erased is not None and erased.text == "[erased at the resident's request]"


async def test_purge_covers_typed_places_photos_outbox_and_drafts_but_never_an_open_case(
    bot: BotHarness,
) -> None:
    typed = await report(bot, address="地址是东城路88号3栋", phone=PHONE, photo="typed-photo-1")
    other_words = "翠湖苑北门的井盖被人偷走了，晚上很危险"
    open_case = await report(bot, words=other_words, phone="13700001111")
    assert typed.address and typed.latitude is None  # placed by a typed estate name
    await deliver_outbox(bot)
    # An abandoned draft holding a shared phone.
    await bot.send(RESIDENT + 5, "东城路88号门口垃圾堆了好几天没人清理")
    await bot.press(RESIDENT + 5, "对")
    await bot.send(RESIDENT + 5, "地址是东城路88号5栋")
    await bot.feed(bot.api.contact_update(RESIDENT + 5, "13611112222"))
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        old = await session.get(Case, typed.id)
        reopened = await session.get(Case, open_case.id)
        assert old is not None and reopened is not None
        old.status, old.closed_at = "closed", now - timedelta(days=200)
        # Reopened long after an old close: open, so the purge must leave it whole.
        reopened.status, reopened.closed_at = "reopened", now - timedelta(days=200)
    bot.clock.advance(timedelta(days=8))  # past the sent-row and draft keep settings
    await run_retention_purge(bot.runtime)

    async with bot.runtime.db.transaction() as session:
        old = await session.get(Case, typed.id)
        kept = await session.get(Case, open_case.id)
        photos = (await session.execute(select(Attachment.case_id))).scalars().all()
        drafts = (await session.execute(select(func.count()).select_from(ConversationState)))
        messages = (await session.execute(select(OutboxMessage))).scalars().all()
    assert old is not None and kept is not None
    assert (old.contact_phone, old.address, old.latitude) == (None, None, None)
    assert typed.id not in photos
    assert kept.contact_phone == "13700001111" and kept.latitude is not None
    assert drafts.scalar_one() == 0
    assert not [m for m in messages if m.status == "sent"]
    stored_bytes = await file_bytes(bot)
    for gone in (PHONE, "13611112222", "typed-photo-1"):
        assert gone.encode() not in stored_bytes, gone
    assert b"13700001111" in stored_bytes  # the open case's phone: the scan can see phones


async def test_forgetme_erases_evaluation_comments_and_keeps_the_grade(bot: BotHarness) -> None:
    from storage.models import Evaluation
    from tests.privacy_scenes import resolved_case

    await resolved_case(bot)
    await bot.press(RESIDENT, "解决了")
    await bot.press(RESIDENT, "不满意")
    await bot.press(RESIDENT, "写意见")
    await bot.send(RESIDENT, "王阿姨说灯还是一闪一闪的")
    async with bot.runtime.db.transaction() as session:
        said = (await session.execute(select(Evaluation.comment))).scalar_one()
    assert said is not None and "王阿姨说" in said
    await bot.send(RESIDENT, "/forgetme")
    await bot.press(RESIDENT, "删除")
    async with bot.runtime.db.transaction() as session:
        evaluation = (await session.execute(select(Evaluation))).scalar_one()
    assert (evaluation.grade, evaluation.comment) == ("unsatisfied", None)
    assert "王阿姨说".encode() not in await file_bytes(bot)


def test_every_status_is_open_finished_or_resolved_and_every_open_case_can_be_withdrawn() -> None:
    """A new status must be placed: the purge takes finished cases only, /forgetme withdraws
    open ones (so each must be able to become cancelled)."""
    from domain.lifecycle import OPEN_STATUSES, CaseStatus, check_transition
    from services.privacy.erasure import FINISHED_STATUSES

    placed = {s.value for s in OPEN_STATUSES} | set(FINISHED_STATUSES) | {"resolved"}
    assert placed == {s.value for s in CaseStatus}
    for status in OPEN_STATUSES:
        check_transition(status, CaseStatus.CANCELLED)


async def test_forgetme_leaves_a_case_others_joined_open_for_them(bot: BotHarness) -> None:
    """并单: the first reporter erases their data; the neighbour who joined keeps the case
    (now its reporter) instead of losing their problem to someone else's withdrawal."""
    from tests.privacy_scenes import NEIGHBOUR

    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    case = await report(bot)
    await bot.send(NEIGHBOUR, "翠湖苑5栋门口的路灯不亮了")
    await bot.press(NEIGHBOUR, "对")
    await bot.share_location(NEIGHBOUR, *bot.runtime.city.grids["xinji-02"].centre())
    await bot.press_keyboard(NEIGHBOUR, "提交")
    await bot.press(NEIGHBOUR, case.number)  # "是这件：GD-…": join it
    await bot.send(RESIDENT, "/forgetme")
    await bot.press(RESIDENT, "撤回并删除")
    async with bot.runtime.db.transaction() as session:
        stored = await session.get(Case, case.id)
        neighbour = await session.scalar(select(User).where(User.telegram_id == NEIGHBOUR))
    assert stored is not None and neighbour is not None
    assert stored.status != "cancelled" and stored.reporter_id == neighbour.id
    assert WORDS not in stored.text
