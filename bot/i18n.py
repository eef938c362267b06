"""Message catalogs: every text a person reads, in Simplified Chinese and English.

Catalogs are YAML files loaded once by the composition root; handlers ask
for texts by key and never hold literals.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from config.reading import read_yaml_file

LANGUAGES: tuple[str, ...] = ("zh", "en")
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_CASE_NUMBER = re.compile(r"\bGD[-\s]?(?:\d{4}[-\s]?)?\d+", re.IGNORECASE)


class CatalogError(Exception):
    pass


class Catalog:
    def __init__(self, texts: dict[str, dict[str, str]], default_language: str = "zh") -> None:
        self._texts = texts
        self.default_language = default_language

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR, default_language: str = "zh") -> Catalog:
        texts: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            texts[lang] = {}
            # `zh.yaml` plus any `zh.<feature>.yaml`: one file per feature keeps edits apart.
            paths = [directory / f"{lang}.yaml", *sorted(directory.glob(f"{lang}.*.yaml"))]
            for path in paths:
                raw = read_yaml_file(path)
                if not isinstance(raw, dict):
                    raise CatalogError(f"{path.name}: expected a mapping of keys to texts")
                part = {str(k): str(v) for k, v in _flatten(raw).items()}
                repeated = sorted(set(part) & set(texts[lang]))
                if repeated:
                    raise CatalogError(f"{path.name}: keys defined in another file: {repeated}")
                texts[lang].update(part)
        missing = set(texts["zh"]) ^ set(texts["en"])
        if missing:
            raise CatalogError(f"keys present in one language only: {sorted(missing)}")
        return cls(texts, default_language)

    def t(self, lang: str, key: str, **values: Any) -> str:
        """The text of `key` in `lang`, filled with `values`. With `count=1`, `<key>_one` is
        taken where a catalog has it, so English says "1 volunteer", not "1 volunteers"."""
        table = self._texts.get(lang) or self._texts[self.default_language]
        if values.get("count") == 1 and f"{key}_one" in table:
            key = f"{key}_one"
        try:
            template = table[key]
        except KeyError as exc:
            raise CatalogError(f"no text for key {key!r}") from exc
        return template.format(**values) if values else template

    def all_variants(self, key: str) -> set[str]:
        """The key's text in every language (to recognise reply-keyboard presses)."""
        return {self._texts[lang][key] for lang in LANGUAGES}

    def keys(self) -> set[str]:
        """Every key of the default language (both languages have the same, checked at load)."""
        return set(self._texts[self.default_language])

    def has(self, lang: str, key: str) -> bool:
        """Whether `key` has a text in `lang` (else in the default language)."""
        table = self._texts.get(lang) or self._texts[self.default_language]
        return key in table


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


# A message switches the resident's language only when it is clearly written in the other
# one: one Chinese word in English ("the 路灯 outside block 3", "ok 好的") or one English
# word in Chinese ("WiFi 密码") says nothing. Each Latin word weighs as much as this many
# Chinese characters, and the language must outweigh the other at least that much.
WORD_WEIGHT = 2
MIN_HAN = 3  # Chinese characters for a clearly Chinese message ("谢谢" is not)
MIN_WORDS = 3  # Latin words for a clearly English one ("ok thanks" is not)


def _script_counts(text: str) -> tuple[int, int]:
    """(Chinese characters, Latin words) of a text, a case number (`GD-2026-000007`, `GD-7`)
    aside: "GD-2" typed in Chinese stays Chinese."""
    text = _CASE_NUMBER.sub("", text)
    return len(_CJK.findall(text)), len(_LATIN_WORD.findall(text))


def script_language(text: str) -> str | None:
    """The language a text is clearly written in, or None: scriptless, too short, or mixed
    with neither side clearly ahead ("ok 好的")."""
    han, words = _script_counts(text)
    if han >= MIN_HAN and han > WORD_WEIGHT * words:
        return "zh"
    if words >= MIN_WORDS and words >= WORD_WEIGHT * han:
        return "en"
    return None


def script_guess(text: str) -> str | None:
    """The script a text leans to, for a user of whom nothing else is known: clear, else the
    larger side (a Chinese character for each Latin word), else None."""
    clear = script_language(text)
    if clear is not None:
        return clear
    han, words = _script_counts(text)
    if not han and not words:
        return None
    return "zh" if han >= words else "en"


def telegram_language(language_code: str | None) -> str | None:
    if not language_code:
        return None
    return "zh" if language_code.lower().startswith("zh") else "en"


def choose_language(
    chosen: str | None,
    text: str | None,
    language_code: str | None,
    default: str,
    last_seen: str | None = None,
) -> str:
    """DESIGN.md: the user's choice, else the message's script when it is clear, else the
    script of the user's earlier messages, else the message's leaning, else Telegram's language.

    `last_seen` (the script of the user's previous message) stands in for the
    script when this update has no text, e.g. a button press or a location.
    """
    if chosen in LANGUAGES:
        return chosen
    from_script = script_language(text) if text else None
    if from_script:
        return from_script
    if last_seen in LANGUAGES:  # a mixed or short text keeps the language of the last ones
        return last_seen
    guess = script_guess(text) if text else None
    return guess or telegram_language(language_code) or default


# Asking for a language in words ("请用中文", "说中文", "中文", "用英文", "English please", "in
# Chinese"): the same words in both directions. A language's names, and what may stand around
# them; anything else in the text ("这个英文怎么说") makes it no request.
_LANGUAGE_NAMES = {
    "zh": ("中文", "汉语", "普通话", "华语", "简体中文", "简体", "中文版", "chinese", "mandarin"),
    "en": ("英文", "英语", "英文版", "english"),
}
_AROUND_LANGUAGE = (
    "请", "麻烦", "用", "说", "讲", "使用", "回复", "换成", "改成", "切换", "切换到", "换",
    "改", "我要", "我想", "可以", "能", "能不能", "吧", "好吗", "可以吗", "交流", "沟通",
    "说话", "谢谢", "和我", "跟我", "我", "您", "你", "呢", "啊", "呀", "的", "一下", "都",
    "以后", "语言", "please", "pls", "in", "speak", "use", "switch", "to", "can", "you",
    "reply", "talk", "answer", "language", "i", "want", "would", "like", "prefer", "lets",
    "let's", "thanks", "only", "the", "me", "with", "change", "write", "could", "do",
    "version", "mode",
)  # fmt: skip


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


_NAMES = {lang: frozenset(_letters(n) for n in names) for lang, names in _LANGUAGE_NAMES.items()}
_AROUND = frozenset(_letters(w) for w in _AROUND_LANGUAGE)


def _cut(text: str, words: frozenset[str]) -> bool:
    """Can the text be cut into these words only?"""
    lengths = {len(w) for w in words}
    reached = [True] + [False] * len(text)
    for start in range(len(text)):
        if reached[start]:
            for n in lengths:
                if start + n <= len(text) and text[start : start + n] in words:
                    reached[start + n] = True
    return reached[-1]


def requested_language(text: str | None) -> str | None:
    """The language a text asks for ("请用中文", "说中文", "中文", "用英文", "English please",
    "in Chinese please"), or None: only a language's name and words of asking, in either
    language; naming both, or anything else, is no request."""
    letters = _letters(text or "")
    if not letters or len(letters) > 40:
        return None
    asked = [
        lang
        for lang, names in _NAMES.items()
        if any(n in letters for n in names) and _cut(letters, names | _AROUND)
    ]
    return asked[0] if len(asked) == 1 else None
