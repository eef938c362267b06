"""Shared steps of the tests/test_privacy_*.py files: reports as residents make them, and
looks into the database FILES (not only the rows) for bytes that should be gone."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from storage.compaction import settle
from storage.models import Case
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import enrol

RESIDENT, NEIGHBOUR, WORKER, SUPERVISOR, STRANGER = 7101, 7102, 7201, 7301, 7999
PHONE = "13987654321"
# Words only this resident wrote: a flat number, the kind of detail a duplicate offer leaked.
WORDS = "路灯坏了，翠湖苑5栋302王阿姨家门口黑漆漆的"


async def report(
    bot: BotHarness,
    user: int = RESIDENT,
    words: str = WORDS,
    *,
    address: str | None = None,
    phone: str | None = None,
    photo: str | None = None,
    confirm: str = "对",
    submit: str = "提交",
    language_code: str | None = None,
) -> Case:
    """A report by `user`: placed by a map pin in xinji-02, or by a typed `address`."""
    await bot.send(user, words, language_code=language_code)
    await bot.press(user, confirm)
    if address is None:
        await bot.share_location(user, *bot.runtime.city.grids["xinji-02"].centre())
    else:
        await bot.send(user, address, language_code=language_code)
    if photo is not None:
        await bot.feed(bot.api.photo_update(user, file_id=photo))
    if phone is not None:
        await bot.feed(bot.api.contact_update(user, phone))
    await bot.press_keyboard(user, submit)
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case).order_by(Case.id.desc()))).scalars().first()
    assert case is not None, bot.texts(user)
    return case


async def file_bytes(bot: BotHarness) -> bytes:
    """Every byte the store keeps on disk for GridDesk's tables, after pending compactions.

    SQLite: the database file and its -wal log. PostgreSQL: the raw pages of every table,
    TOAST table and index of the schema, read with pageinspect (the test user is a superuser).
    """
    await settle()
    db = bot.runtime.db
    if db.is_sqlite:
        path = Path(make_url(db.url).database or "")
        wal = path.with_name(path.name + "-wal")
        return b"".join(p.read_bytes() for p in (path, wal) if p.exists())
    pages = []
    async with db.engine.connect() as conn:
        await conn.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        relations = await conn.execute(
            text(
                "SELECT c.oid::regclass::text, c.relpages FROM pg_class c "
                "WHERE c.relkind IN ('r', 'i', 't') AND (c.relnamespace = 'public'::regnamespace "
                "OR c.oid IN (SELECT reltoastrelid FROM pg_class "
                "WHERE relnamespace = 'public'::regnamespace))"
            )
        )
        for name, _ in list(relations):
            blocks = (
                await conn.execute(
                    text("SELECT pg_relation_size(CAST(:r AS regclass)) / 8192"), {"r": name}
                )
            ).scalar_one()
            for block in range(int(blocks)):
                page = (
                    await conn.execute(
                        text("SELECT get_raw_page(:r, :b)"), {"r": name, "b": block}
                    )
                ).scalar_one()
                pages.append(bytes(page))
        await conn.commit()
    return b"".join(pages)


async def resolved_case(bot: BotHarness) -> Case:
    """A report with a phone, accepted and resolved by WORKER (enrolled in xinji-02)."""
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    case = await report(bot, phone=PHONE)
    await deliver_outbox(bot)
    await bot.press(WORKER, "Accept")
    await bot.press(WORKER, "Resolve")
    await bot.send(WORKER, "Replaced the bulb, the light works again")
    await deliver_outbox(bot)
    return case


async def mydata(bot: BotHarness, user: int) -> tuple[str, dict]:  # type: ignore[type-arg]
    """The summary messages (joined) and the parsed file /mydata sent to `user`."""
    before = len(bot.calls(user))
    await bot.send(user, "/mydata")
    calls = bot.calls(user)[before:]
    summary = "\n".join(str(c.params.get("text", "")) for c in calls if c.method == "sendMessage")
    document = next(c for c in calls if c.method == "sendDocument")
    return summary, json.loads(document.params["document"].content)
