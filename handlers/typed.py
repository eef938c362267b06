"""Typed answers: residents type `是的`, `ok` or a button's label where the bot offered a tap.

The edge remembers the inline buttons it last showed each user; a typed label, or a typed
yes/no where one shown button means yes (or no), is then read as a press of that button.
Labels are compared after folding case, emoji, punctuation and spaces away, so `提交`,
`✅ 提交` and `✅提交` are one label.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.i18n import LANGUAGES, Catalog
from handlers.replies import Replies, Reply
from handlers.typed_fold import approving_emoji, word_lengths
from handlers.typed_fold import fold as fold  # re-exported: other modules fold with it
from handlers.typed_fold import made_of as _made_of
from handlers.typed_fold import squeeze as squeeze
from handlers.typed_words import (
    CONNECTORS,
    FILLERS,
    NO_PHRASES,
    POINTING,
    POINTING_AROUND,
    YES_PHRASES,
)
from services.cases.drafts import BUTTON_MEMORY
from storage.conversations import ConversationRepository

SHOWN = BUTTON_MEMORY  # the conversation_states row with the inline keyboards shown lately
KEYBOARDS_KEPT = 8  # how many recent inline keyboards a typed label may still press

# What typed_press gives when the typed answer fits several shown buttons (a yes to "is it
# one of these?" with two listed): ask which, press none.
AMBIGUOUS = "?which"
# Which shown buttons a typed yes / no stands for (catalog keys). "Same problem?" with one case:
# yes joins it (with several, a yes presses nothing); "cancel the report?": yes cancels it.
# A list to pick from, then "Next": "done", "ok", "好了" is the Next (handlers.volunteer).
YES_BUTTONS = ("button.confirm", "button.fixed", "button.join_case", "button.cancel_report",
               "volunteer.button.next", "button.later_now", "button.calm_yes")  # fmt: skip
NO_BUTTONS = ("button.other_type", "button.file_new", "button.not_fixed", "button.later_no",
              "button.calm_no")  # fmt: skip
# The one option "这个" / "this one" may take when a keyboard shows exactly one of them:
# the type understood ("is it <type>?") or the only similar case offered.
POINTED_BUTTONS = ("button.confirm", "button.join_case")
# A typed part of a label presses it when it names one button only ("继续", "new one"),
# if it is this long (folded): shorter pieces are too easily inside other words.
MIN_PART = {"cjk": 2, "latin": 4}
SHORT_TEXT = 30  # a catalog text this short may be a button's label
# A button label is short: a longer text (or first words) is never read as one, fillers and
# all, and costs no look at the buttons shown.
LONGEST_LABEL = 40


_YES = frozenset(fold(w) for w in YES_PHRASES)
_NO = frozenset(fold(w) for w in NO_PHRASES)
_JOIN = frozenset(fold(w) for w in CONNECTORS)
_YES_WORDS = _YES | _JOIN
_NO_WORDS = _NO | _JOIN
_YES_AND_NO = _YES_WORDS | _NO_WORDS
_FILLER_WORDS = frozenset(fold(w) for w in FILLERS) | _JOIN
_FILLER_REVERSED = frozenset(word[::-1] for word in _FILLER_WORDS)
# What may stand around a button's other words: fillers and yes words ("对，是同一件事").
_AROUND = _FILLER_WORDS | _YES_WORDS


def _cores(folded: str) -> list[str]:
    """What is left of a folded text when fillers are cut from its start and end
    ("提交吧" → 提交, "submitplease" → submit, "请提交吧" → 提交), longest first; the text
    itself is not among them."""
    if len(folded) > LONGEST_LABEL:
        return []
    starts = _filler_run_ends(folded)  # where a run of fillers from the start may end
    ends = {len(folded) - n for n in _filler_run_ends(folded[::-1], reverse=True)}
    found = {
        folded[start:end]
        for start in starts
        for end in ends
        if start < end and (start, end) != (0, len(folded))
    }
    return sorted(found, key=len, reverse=True)


def _filler_run_ends(folded: str, *, reverse: bool = False) -> set[int]:
    """Lengths of the runs of filler words the text starts with (0 included); `reverse`:
    the text is reversed, and so are the fillers."""
    words = _FILLER_REVERSED if reverse else _FILLER_WORDS
    lengths = word_lengths(words)
    reached = {0}
    for start in range(len(folded)):
        if start in reached:
            reached |= {start + n for n in lengths if folded[start : start + n] in words}
    return reached


_YES_SQUEEZED = frozenset(squeeze(w) for w in _YES_WORDS)
_NO_SQUEEZED = frozenset(squeeze(w) for w in _NO_WORDS)
# "嗯？", "ok?", "是吗?": asked back, not answered.
_ASKED_BACK = re.compile(r"[?？]")


_POINT = frozenset(fold(w) for w in POINTING)
_POINT_AROUND = frozenset(fold(w) for w in POINTING_AROUND)


def points_only(text: str) -> bool:
    """Words that only point at something shown ("这个", "就这个吧", "this one", "that one"):
    no answer, no content and never a cancel."""
    folded = fold(text)
    return (
        bool(folded)
        and _made_of(folded, _POINT | _POINT_AROUND)
        and not _made_of(folded, _POINT_AROUND)
    )


def answer_of(text: str) -> str | None:
    """'yes', 'no', or None for anything else ("yes that is right" is yes; "yesss" and "对对对"
    too; "嗯？" is none: a question back; approving emoji alone, "👍", are yes)."""
    if approving_emoji(text):
        return "yes"
    folded = fold(text)
    if _made_of(folded, _JOIN):
        return None
    squeezed = squeeze(folded)
    if _made_of(folded, _YES_WORDS) or _made_of(squeezed, _YES_SQUEEZED):
        return None if _ASKED_BACK.search(text) else "yes"
    if _made_of(folded, _NO_WORDS) or _made_of(squeezed, _NO_SQUEEZED):
        return "no"
    return None


def _names_with_yes(folded: str, label: str) -> bool:
    """A label wrapped in yes words: "是的，解决了", "yes it is fixed"."""
    return bool(label) and label in folded and _made_of(folded, _YES_WORDS, label)


def _names_with_answer(folded: str, label: str) -> bool:
    """A shown label wrapped in yes or no words: "是的，解决了", "no it is not fixed"."""
    return bool(label) and label in folded and _made_of(folded, _YES_AND_NO, label)


# Where a typed answer may end and more words begin ("没解决，井盖还是没盖好").
_CLAUSE_END = re.compile(r"[，,。.;；!！?？、\n]|\s+")


def leading_answers(text: str) -> list[tuple[str, str]]:
    """Every (first words, the rest) split of a text at a clause end or a space whose first
    words could be a label (LONGEST_LABEL), the longest first words first ("not fixed, still
    flickering": "not fixed, still" / …, then "not fixed", then "not"); [] for one clause."""
    stripped = text.strip()
    splits = [
        (stripped[: m.start()], stripped[m.end() :].strip()) for m in _CLAUSE_END.finditer(stripped)
    ]
    return [
        (head, rest)
        for head, rest in reversed(splits)
        if head and len(head) <= LONGEST_LABEL and rest and fold(rest)
    ]


def is_label(text: str, labels: set[str]) -> bool:
    """Does the typed text name one of these labels (emoji, case and spaces aside)?"""
    return bool(fold(text)) and any(fold(text) == fold(label) for label in labels)


class Labels:
    """Every button label of the catalog, folded, with its key: built once per runtime."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._keys: dict[str, str] = {}
        # Every short text of the catalog (labels live under many keys: office.desk.forward,
        # volunteer.button.join...), folded, to the keys that have it in either language:
        # so a label typed in the other language finds the button shown in this one.
        self._short: dict[str, set[str]] = {}
        # Labels made from a template ("是这件：{number}"), by the words before the value.
        self._templates: list[tuple[str, str]] = []
        # Other words for a button, from the catalog: `<x>.typed.<y>` ("还行|还可以|so-so", in
        # each language) for the button `<x>.button.<y>`, with its labels.
        self._said: dict[str, frozenset[str]] = {}
        self._answers: dict[str, bool] = {}  # is_typed_answer's, asked thrice an update
        for key in sorted(catalog.keys()):
            texts = [catalog.t(lang, key) for lang in LANGUAGES]
            if ".typed." in key or key.startswith("button_said."):
                button = key.replace(".typed.", ".button.").replace("button_said.", "button.")
                words = {fold(w) for text in texts for w in text.split("|")} - {""}
                labels = {fold(catalog.t(lang, button)) for lang in LANGUAGES}
                self._said[button] = frozenset(words | labels | _AROUND)
                continue
            if any("{" in text for text in texts):
                if key.startswith("button."):
                    heads = (fold(text.split("{")[0]) for text in texts)
                    self._templates += [(head, key) for head in heads if len(head) >= 2]
                continue
            for text in texts:
                if key.startswith("button."):
                    self._keys.setdefault(fold(text), key)
                if len(text) <= SHORT_TEXT and fold(text):
                    self._short.setdefault(fold(text), set()).add(key)

    def key_of(self, text: str) -> str | None:
        """The catalog key of a typed button label (`✅ 提交` → `button.submit`), if it is one,
        fillers around it aside (`提交吧`, `submit please`)."""
        folded = fold(text)
        if not folded:
            return None
        key = self._keys.get(folded) or self._keys.get(squeeze(folded))
        if key is None:
            key = next((self._keys[c] for c in _cores(folded) if c in self._keys), None)
        return key

    def said_for(self, label: str, folded: str) -> bool:
        """Is the typed (folded) text another way of saying this button's label: its words
        (`<x>.typed.<y>`, or `button_said.<y>` for `button.<y>`) with fillers or yes words
        around them ("还行吧", "I think it was ok", "yes, same problem")?"""
        keys = self.keys_of(label) | self._template_keys(label)
        said = [self._said[key] for key in keys if key in self._said]
        return (
            bool(said)
            and not _made_of(folded, _AROUND)
            and any(_made_of(folded, words) for words in said)
        )

    def is_other_words(self, text: str) -> bool:
        """Is the text some button's other words from the catalog ("not satisfied", "还行吧")?"""
        folded = fold(text)
        return (
            bool(folded)
            and not _made_of(folded, _AROUND)
            and any(_made_of(folded, words) for words in self._said.values())
        )

    def _template_keys(self, label: str) -> set[str]:
        """The keys of the templates a shown label was made from ("是这件：GD-…")."""
        folded = fold(label)
        return {key for head, key in self._templates if folded.startswith(head)}

    def keys_of(self, text: str) -> frozenset[str]:
        """Every catalog key whose text (in either language) the typed text is: a label of any
        kind, or nothing."""
        return frozenset(self._short.get(fold(text), ()))

    def means(self, text: str, key: str) -> bool:
        """Does the typed text name this button (in any language), fillers around it aside?"""
        folded = fold(text)
        names = {fold(self.catalog.t(lang, key)) for lang in LANGUAGES}
        said = self._said.get(key)
        return bool(folded) and (
            folded in names
            or squeeze(folded) in {squeeze(name) for name in names}  # "submitt"
            or any(c in names for c in _cores(folded))
            or any(_names_with_yes(folded, name) for name in names)  # "好的呀 提交吧"
            or (  # the button's other words, whole ("发送", "send it", "好了发吧")
                said is not None and not _made_of(folded, _AROUND) and _made_of(folded, said)
            )
        )

    def is_typed_answer(self, text: str) -> bool:
        """A label, a yes/no, or a label wrapped in yes words: an answer to the bot, never a
        new request."""
        if text not in self._answers:
            if len(self._answers) >= 4096:  # a bound: forgotten all at once
                self._answers.clear()
            folded = fold(text)
            self._answers[text] = (
                self.key_of(text) is not None
                or answer_of(text) is not None
                or any(_names_with_yes(folded, label) for label in self._keys)
            )
        return self._answers[text]

    def is_pointed(self, label: str) -> bool:
        """Is this shown label one that "这个" / "this one" may take (POINTED_BUTTONS)?"""
        keys = {self.key_of(label), *self.keys_of(label), *self._template_keys(label)}
        return bool(keys & set(POINTED_BUTTONS))

    def role_of(self, label: str) -> str | None:
        keys = {self.key_of(label), *self.keys_of(label), *self._template_keys(label)}
        if keys & set(YES_BUTTONS):
            return "yes"
        if keys & set(NO_BUTTONS):
            return "no"
        return None


def shown_buttons(out: Replies) -> tuple[list[list[list[str]]], bool]:
    """(label, data) of every inline keyboard among the replies, newest first (a /desk list
    is several messages, each with its buttons); and whether a reply keyboard came after the
    newest (then the step has moved on: a typed yes/no or part of a label is no longer an
    answer to those buttons, only their exact label is)."""
    superseded = False
    keyboards: list[list[list[str]]] = []
    for item in reversed(out.items):
        if not isinstance(item, Reply) or item.markup is None:
            continue
        if not isinstance(item.markup, InlineKeyboardMarkup):
            superseded = superseded or not keyboards
            continue
        keyboards.append(_buttons_of(item.markup))
    return keyboards, superseded


def _buttons_of(markup: InlineKeyboardMarkup) -> list[list[str]]:
    rows = markup.inline_keyboard
    return [[b.text, str(b.callback_data)] for r in rows for b in r if b.callback_data is not None]


async def remember_shown(
    session: AsyncSession, telegram_id: int, out: Replies, now: Any, *, aside: bool = False
) -> None:
    """Keep the inline keyboards shown lately (newest first), so a typed label can press
    them later. `aside`: shown beside the open step (/help), so they go behind its newest
    keyboard, which stays the one a typed yes/no answers."""
    shown, superseded = shown_buttons(out)
    if not shown and out.new_markup is not None:  # the pressed message's new buttons
        shown = [_buttons_of(out.new_markup)]
    shown = [buttons for buttons in shown if buttons]
    if not shown and not superseded:
        return
    repository = ConversationRepository(session)
    row = await repository.load(telegram_id, SHOWN)  # usually in the session already
    if row is None and not shown:
        return  # nothing to remember, and no memory to mark as superseded
    if row is not None and not shown and not row.data.get("current"):
        return  # already marked as superseded: the same keyboards, shown at the same time
    old = list(row.data.get("keyboards", [])) if row is not None else []
    aside = aside and row is not None and bool(old)  # behind the step's newest, still current
    keyboards = [*old[:1], *shown, *old[1:]] if aside else [*shown, *old]
    current = bool(row.data.get("current")) if aside and row else bool(shown) and not superseded
    memory = {"keyboards": keyboards[:KEYBOARDS_KEPT], "current": current}
    await repository.save(telegram_id, SHOWN, "shown", memory, now)


def exact_presses(labels: Labels, keyboards: list[list[list[str]]], text: str) -> list[str]:
    """The callback data of the buttons whose label is `text` (in either language), on the
    newest keyboard that has any: one, or several when a list repeats a label per item
    (/desk's "Forward" under each case)."""
    folded, keys = fold(text), labels.keys_of(text)
    for buttons in keyboards:
        found = [
            data for label, data in buttons if fold(label) == folded or keys & labels.keys_of(label)
        ]
        if found:
            return list(dict.fromkeys(found))
    return []


def typed_press(labels: Labels, memory: dict[str, Any], text: str) -> str | None:
    """The callback data a typed text stands for among the buttons shown lately, or None.

    Its exact label (in either language) presses the newest button that has it. A yes/no,
    or a part of a label that names one button only, answers only the newest keyboard, and
    only while no other keyboard has replaced it.
    """
    folded = fold(text)
    keyboards: list[list[list[str]]] = list(memory.get("keyboards", []))
    if not keyboards or not (folded or approving_emoji(text)):
        return None
    exact = exact_presses(labels, keyboards, text) if folded else []
    if exact:  # one button, or several alike (then nobody can tell which: no press)
        return exact[0] if len(exact) == 1 else None
    if not memory.get("current"):
        return None
    newest = keyboards[0]
    answer = answer_of(text)
    if answer is not None:
        meant = [data for label, data in newest if labels.role_of(label) == answer]
        return meant[0] if len(meant) == 1 else AMBIGUOUS if meant else None
    if points_only(text):  # "这个": the one option shown to take, or nothing
        pointed = [data for label, data in newest if labels.is_pointed(label)]
        if pointed:
            return pointed[0] if len(pointed) == 1 else AMBIGUOUS
    said = [data for label, data in newest if labels.said_for(label, folded)]
    if said:  # the button's other words ("还行吧", "not satisfied", "同一件"), whole
        return said[0] if len(said) == 1 else AMBIGUOUS
    if len(folded) < MIN_PART["cjk" if not folded.isascii() else "latin"]:
        return None
    cores = set(_cores(folded))  # a part of a label, or a label with fillers ("… I guess")
    containing = [data for label, data in newest if folded in fold(label) or fold(label) in cores]
    if len(containing) == 1:
        return containing[0]
    wrapped = [data for label, data in newest if _names_with_answer(folded, fold(label))]
    return wrapped[0] if len(wrapped) == 1 else None
