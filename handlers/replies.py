"""Replies are collected during the database transaction and sent after commit.

Sending inside the transaction would hold SQLite's write lock across a
network round trip and stall every other resident.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import TelegramError

from bot.telegram_limits import checked_callback_data, fit_text, fit_toast

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


@dataclass
class Reply:
    text: str
    markup: Markup | None = None


@dataclass
class Document:
    filename: str
    content: bytes
    caption: str


@dataclass
class Replies:
    items: list[Reply | Document] = field(default_factory=list)
    callback_notice: str | None = None
    pins: list[tuple[float, float]] = field(default_factory=list)
    # Replaces the buttons of the message that was pressed.
    new_markup: InlineKeyboardMarkup | None = None
    # Sent with new_markup when the press was typed (set by the edge from the catalog).
    refreshed_text: str | None = None
    # The replies show their own text beside the open step (/help's menu), asking nothing:
    # their buttons do not replace the step's as what a typed answer answers (handlers.edge).
    aside: bool = False

    def say(self, text: str, markup: Markup | None = None) -> None:
        self.items.append(Reply(fit_text(text), markup))  # Telegram refuses longer for good

    def document(self, filename: str, content: bytes, caption: str) -> None:
        self.items.append(Document(filename, content, caption))

    def pin(self, location: tuple[float, float] | None) -> None:
        if location is not None:
            self.pins.append(location)

    async def send(self, update: Update) -> None:
        query = update.callback_query
        if query is not None:
            await _answer_callback(query, self.callback_notice)
            if self.new_markup is not None and query.message is not None:
                try:
                    await query.edit_message_reply_markup(self.new_markup)
                except TelegramError as error:  # the message is gone or unchanged
                    log.info("could not refresh the pressed buttons: %s", error)
        chat = update.effective_chat
        if chat is None:
            return
        if (
            query is None
            and self.new_markup is not None
            and any(self.new_markup.inline_keyboard)
            and self.refreshed_text
        ):
            # A typed label pressed these buttons: there is no pressed message to edit.
            self.items.append(Reply(self.refreshed_text, self.new_markup))
        for item in self.items:
            if isinstance(item, Document):
                await chat.send_document(item.content, filename=item.filename, caption=item.caption)
            else:
                await chat.send_message(item.text, reply_markup=item.markup)
        for latitude, longitude in self.pins:
            await chat.send_location(latitude=latitude, longitude=longitude)


async def _answer_callback(query: CallbackQuery, notice: str | None) -> None:
    """Best-effort: Telegram refuses answers to old or already answered queries, and the
    update's replies (written after its transaction committed) must still go out."""
    try:
        await query.answer(fit_toast(notice) if notice else notice)
    except TelegramError as error:
        log.info("callback query not answered: %s", error)


def inline(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Rows of (label, callback_data)."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=checked_callback_data(data))
                for label, data in row
            ]
            for row in rows
        ]
    )


def keyboard(rows: list[list[KeyboardButton | str]]) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=False)


REMOVE_KEYBOARD = ReplyKeyboardRemove()
