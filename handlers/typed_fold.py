"""Typed words in one comparable form (handlers.typed): no emoji, punctuation, spaces, case
or traditional forms; a stuck key squeezed; a text cut into known words."""

from __future__ import annotations

import functools
import re
import unicodedata

from domain.traditional import TRADITIONAL
from handlers.typed_words import APPROVING_EMOJI


# Kept by text: an update folds its words and the labels shown a dozen times (pure function).
@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """A typed label's comparable form: no emoji, punctuation, spaces, case or traditional forms."""
    kept = [
        ch
        for ch in unicodedata.normalize("NFKC", text).casefold().translate(TRADITIONAL)
        if unicodedata.category(ch)[0] in ("L", "N")
    ]
    return "".join(kept)


@functools.lru_cache(maxsize=256)
def word_lengths(words: frozenset[str]) -> frozenset[int]:
    """The lengths of a word set's words (a frozenset keeps its hash: a cheap key)."""
    return frozenset(len(word) for word in words)


def made_of(folded: str, words: frozenset[str], also: str = "") -> bool:
    """Can the folded text be cut into these words (and `also`) only? ("是的没错" → 是的 + 没错)
    From each point the text can be cut at, only the words' own lengths are tried."""
    if not folded:
        return False
    lengths = word_lengths(words) | {len(also)} if also else word_lengths(words)
    size = len(folded)
    reachable = [True] + [False] * size
    for start in range(size):
        if reachable[start]:
            for length in lengths:
                piece = folded[start : start + length]
                if start + length <= size and (piece in words or piece == also):
                    reachable[start + length] = True
    return reachable[-1]


def squeeze(folded: str) -> str:
    """A folded text with each run of one letter made one ("yesss", "okk", "submitt",
    "对对对"): a stuck key or emphasis, the same word. Digits are kept ("88号")."""
    return re.sub(r"([^\W\d_])\1+", r"\1", folded)


# Skin tones, variation selectors, joiners and spaces around an emoji change nothing.
_EMOJI_DRESS = re.compile("[\U0001f3fb-\U0001f3ff\ufe0e\ufe0f\u200d\\s]")


def approving_emoji(text: str) -> bool:
    """Is the text approving emoji only ("👍", "👌🏻", "✅✅", "[强]")?"""
    rest = _EMOJI_DRESS.sub("", text).casefold()
    if not rest:
        return False
    for emoji in APPROVING_EMOJI:
        rest = rest.replace(emoji, "")
    return not rest


# A number typed to pick from a list shown: "2", "第2个", "2号", "no. 2", "#2".
_LIST_NUMBER = re.compile(
    r"^\s*(?:第|no\.?\s*|number\s*|#)?\s*(\d{1,2})\s*(?:个|号|项)?\s*$", re.IGNORECASE
)


def list_number(text: str) -> int | None:
    """The number a typed answer picks from a list shown (1 for the first), or None."""
    found = _LIST_NUMBER.match(text)
    return int(found.group(1)) if found is not None else None
