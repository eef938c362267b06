"""Free text, photos, locations and contacts: understand them and route them.

Emergency is checked first on every text, whatever conversation is open.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import KeyboardButton, Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.runtime import Runtime
from bot.services import emergency
from bot.services.drafts import ReportDraft
from handlers import ask, basics, faq, report, stations, volunteer_entry, worker
from handlers.common import Caller, Context, load_caller, rt
from handlers.replies import REMOVE_KEYBOARD, Replies, keyboard
from nlu.types import Prediction


async def on_text(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    runtime, text, out = rt(context), message.text, Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime, text)
        t, lang = runtime.catalog.t, caller.lang
        if not text.strip():
            out.say(t(lang, "error.empty_text"))
        elif len(text) > runtime.settings.max_text_length:
            out.say(t(lang, "error.text_too_long", limit=runtime.settings.max_text_length))
        else:
            await route_text(session, runtime, caller, text.strip(), out)
    await out.send(update)


async def route_text(
    session: AsyncSession, runtime: Runtime, caller: Caller, text: str, out: Replies
) -> None:
    # A note or reason a worker was just asked for is not a new report.
    if worker.is_staff(caller) and await worker.on_text(session, runtime, caller, text, out):
        return
    if await volunteer_entry.on_text(session, runtime, caller, text, out):
        return
    prediction = await runtime.nlu.parse(text)
    runtime.metrics.nlu.labels(prediction.backend).inc()
    if emergency.is_emergency(prediction):
        await _emergency(session, runtime, caller, text, out)
        return
    loaded = await report.load_draft(session, caller, text)
    if loaded is not None and loaded[0] == report.DESCRIBE:
        await report.begin(
            session, runtime, caller, text, prediction, out, photo_file_ids=loaded[1].photo_file_ids
        )
        return
    if await report.on_text(session, runtime, caller, text, out):
        return
    await _by_intent(session, runtime, caller, text, prediction, out)


async def _by_intent(
    session: AsyncSession,
    runtime: Runtime,
    caller: Caller,
    text: str,
    prediction: Prediction,
    out: Replies,
) -> None:
    t, lang = runtime.catalog.t, caller.lang
    sure = prediction.confidence >= runtime.settings.nlu_confirm_threshold
    intent = prediction.intent
    if intent == "cancel":
        await report.cancel(session, runtime, caller, out)
    elif intent == "greet":
        out.say(t(lang, "chat.greet"))
    elif intent == "thanks":
        out.say(t(lang, "chat.thanks"))
    elif intent == "check_status":
        await basics.list_my_cases(session, runtime, caller, out)
    elif intent == "volunteer_signup":
        await basics.start_volunteering(session, runtime, caller, out)
    elif intent == "faq" and sure and (prediction.topic or "") in runtime.city.faq:
        faq.answer(runtime, lang, prediction.topic or "", out)
    elif intent == "faq":
        await ask.offer_topics(session, runtime, caller, text, prediction, out)
    elif intent == "out_of_scope" and sure:
        await ask.offer_staff(session, runtime, caller, text, out)
    else:
        # A report, or anything the model is unsure of: report.begin asks instead of guessing.
        await report.begin(session, runtime, caller, text, prediction, out)


async def _emergency(
    session: AsyncSession, runtime: Runtime, caller: Caller, text: str, out: Replies
) -> None:
    """The numbers before anything else, then an urgent case and a request for the place."""
    t, lang = runtime.catalog.t, caller.lang
    out.say(t(lang, "emergency.numbers"))
    filed = await emergency.open_emergency_case(
        session, text, lang, caller.user, runtime.city, runtime.catalog, runtime.clock.now()
    )
    draft = ReportDraft(text=text, language=lang, emergency=True, case_number=filed.number)
    await report.save_draft(session, runtime, caller, report.EMERGENCY_LOCATION, draft)
    out.say(
        t(lang, "emergency.case_opened", number=filed.number),
        keyboard([[KeyboardButton(t(lang, "button.share_location"), request_location=True)]]),
    )


async def on_location(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and message.location is not None
    lat, lon = message.location.latitude, message.location.longitude
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        loaded = await report.load_draft(session, caller)
        if loaded is not None and loaded[0] == report.EMERGENCY_LOCATION:
            number = loaded[1].case_number or ""
            await emergency.locate_emergency_case(
                session, number, lat, lon, runtime.city, runtime.catalog, runtime.clock.now()
            )
            await report.drop_draft(session, caller)
            out.say(
                runtime.catalog.t(caller.lang, "emergency.located", number=number), REMOVE_KEYBOARD
            )
        elif not await report.on_location(
            session, runtime, caller, lat, lon, out
        ) and not await volunteer_entry.on_location(session, runtime, caller, lat, lon, out):
            stations.answer_nearby(runtime, caller, lat, lon, out)
    await out.send(update)


async def on_photo(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and message.photo
    file_id = message.photo[-1].file_id  # the largest size
    caption = (message.caption or "").strip()
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime, caption or None)
        if worker.is_staff(caller) and await worker.on_text(
            session, runtime, caller, caption, out, photo=file_id
        ):
            pass
        elif await report.load_draft(session, caller) is not None and not caption:
            await report.on_photo(session, runtime, caller, file_id, out)
        elif caption:
            prediction = await runtime.nlu.parse(caption)
            if emergency.is_emergency(prediction):
                await _emergency(session, runtime, caller, caption, out)
            else:
                await report.begin(
                    session, runtime, caller, caption, prediction, out, photo_file_ids=[file_id]
                )
        else:
            draft = ReportDraft(text="", language=caller.lang, photo_file_ids=[file_id])
            await report.save_draft(session, runtime, caller, report.DESCRIBE, draft)
            out.say(runtime.catalog.t(caller.lang, "report.describe_photo"))
    await out.send(update)


async def on_contact(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and message.contact is not None
    contact = message.contact
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        own = contact.user_id == caller.telegram_id
        if not await report.on_contact(session, runtime, caller, contact.phone_number, own, out):
            out.say(runtime.catalog.t(caller.lang, "report.contact_without_report"))
    await out.send(update)


async def on_unsupported(update: Update, context: Context) -> None:
    """Stickers, voice, video, files: say what the bot can read."""
    message = update.effective_message
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
    key = "error.sticker" if message is not None and message.sticker else "error.unsupported_media"
    out.say(runtime.catalog.t(caller.lang, key))
    await out.send(update)


def build_message_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    return [
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text),
        MessageHandler(private & filters.LOCATION, on_location),
        MessageHandler(private & filters.PHOTO, on_photo),
        MessageHandler(private & filters.CONTACT, on_contact),
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_unsupported),
    ]
