"""Typed answers: residents type `是的`, `ok` or a button's label where the bot offered a tap.

The edge remembers the inline buttons it last showed each user; a typed label, or a typed
yes/no where one shown button means yes (or no), is then read as a press of that button.
Labels are compared after folding case, emoji, punctuation and spaces away, so `提交`,
`✅ 提交` and `✅提交` are one label.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.i18n import LANGUAGES, Catalog
from handlers.replies import Replies, Reply
from storage.repositories import ConversationRepository

SHOWN = "buttons"  # the conversation_states row that holds the last inline keyboard shown

# Typed words that mean yes / no, in both languages (folded as labels are).
YES_WORDS = frozenset(
    [
        "是",
        "是的",
        "是滴",
        "好了",
        "完成",
        "完了",
        "就这些",
        "没了",
        "done",
        "finished",
        "thats all",
        "对",
        "对的",
        "对啊",
        "对呀",
        "对头",
        "没错",
        "好",
        "好的",
        "好啊",
        "嗯",
        "嗯嗯",
        "行",
        "可以",
        "确定",
        "确认",
        "就是",
        "就是这个",
        "yes",
        "y",
        "yeah",
        "yep",
        "yup",
        "ok",
        "okay",
        "right",
        "correct",
        "sure",
        "confirm",
        "thats",
        "it",
        "thats",
        "right",
    ]
)
NO_WORDS = frozenset(
    [
        "不是",
        "不对",
        "不",
        "不是的",
        "错了",
        "没有",
        "否",
        "no",
        "n",
        "nope",
        "wrong",
        "not",
        "that",
    ]
)
# Which shown buttons a typed yes / no stands for (catalog keys).
YES_BUTTONS = ("button.confirm",)
NO_BUTTONS = ("button.other_type", "button.file_new")


def fold(text: str) -> str:
    """A typed label's comparable form: no emoji, punctuation, spaces or case."""
    kept = [
        ch
        for ch in unicodedata.normalize("NFKC", text).casefold()
        if unicodedata.category(ch)[0] in ("L", "N")
    ]
    return "".join(kept)


_YES = frozenset(fold(w) for w in YES_WORDS)
_NO = frozenset(fold(w) for w in NO_WORDS)


def answer_of(text: str) -> str | None:
    """'yes', 'no', or None for anything else."""
    folded = fold(text)
    if folded in _YES:
        return "yes"
    if folded in _NO:
        return "no"
    return None


class Labels:
    """Every button label of the catalog, folded, with its key: built once per runtime."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._keys: dict[str, str] = {}
        for key in sorted(catalog.keys()):
            if key.startswith("button.") and "{" not in catalog.t("zh", key):
                for lang in LANGUAGES:
                    self._keys.setdefault(fold(catalog.t(lang, key)), key)

    def key_of(self, text: str) -> str | None:
        """The catalog key of a typed button label (`✅ 提交` → `button.submit`), if it is one."""
        return self._keys.get(fold(text)) if fold(text) else None

    def means(self, text: str, key: str) -> bool:
        """Does the typed text name this button (in any language)?"""
        folded = fold(text)
        return bool(folded) and any(folded == fold(self.catalog.t(lang, key)) for lang in LANGUAGES)

    def is_typed_answer(self, text: str) -> bool:
        """A label or a yes/no: an answer to the bot, never a new request."""
        return self.key_of(text) is not None or answer_of(text) is not None

    def role_of(self, label: str) -> str | None:
        key = self.key_of(label)
        if key in YES_BUTTONS:
            return "yes"
        if key in NO_BUTTONS:
            return "no"
        return None


def _shown_buttons(out: Replies) -> list[list[str]] | None:
    """(label, data) of the last inline keyboard among the replies; [] when a reply keyboard
    came after it (the step moved on: older inline buttons are no longer what the resident
    answers); None when the replies show no keyboard at all."""
    for item in reversed(out.items):
        if not isinstance(item, Reply) or item.markup is None:
            continue
        if not isinstance(item.markup, InlineKeyboardMarkup):
            return []
        return [
            [button.text, str(button.callback_data)]
            for row in item.markup.inline_keyboard
            for button in row
            if button.callback_data is not None
        ]
    return None


async def remember_shown(session: AsyncSession, telegram_id: int, out: Replies, now: Any) -> None:
    """Keep the inline buttons this update shows, so a typed label can press them later."""
    buttons = _shown_buttons(out)
    if buttons is not None:
        await ConversationRepository(session).save(
            telegram_id, SHOWN, "shown", {"buttons": buttons}, now
        )


def typed_press(labels: Labels, shown: list[list[str]], text: str) -> str | None:
    """The callback data a typed text stands for among the shown buttons, or None."""
    folded = fold(text)
    if not folded:
        return None
    for label, data in shown:
        if fold(label) == folded:
            return data
    answer = answer_of(text)
    if answer is None:
        return None
    meant = [data for label, data in shown if labels.role_of(label) == answer]
    return meant[0] if len(meant) == 1 else None
