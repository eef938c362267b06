"""Replies are collected during the database transaction and sent after commit.

Sending inside the transaction would hold SQLite's write lock across a
network round trip and stall every other resident.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)

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

    def say(self, text: str, markup: Markup | None = None) -> None:
        self.items.append(Reply(text, markup))

    def document(self, filename: str, content: bytes, caption: str) -> None:
        self.items.append(Document(filename, content, caption))

    async def send(self, update: Update) -> None:
        query = update.callback_query
        if query is not None:
            await query.answer(self.callback_notice)
        chat = update.effective_chat
        if chat is None:
            return
        for item in self.items:
            if isinstance(item, Document):
                await chat.send_document(item.content, filename=item.filename, caption=item.caption)
            else:
                await chat.send_message(item.text, reply_markup=item.markup)


def inline(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Rows of (label, callback_data)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def keyboard(rows: list[list[KeyboardButton | str]]) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=False)


REMOVE_KEYBOARD = ReplyKeyboardRemove()
