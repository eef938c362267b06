"""What a resident's message says, read for duplicate matching (services.cases.duplicates).

A message is read into concepts of the lexicon (what, how, where: domain/duplicate_words.py,
and the symptoms that stand for them: domain/duplicate_symptoms.py),
the spots it names inside the grid (services.cases.spots) and its words (concepts, Chinese
character bigrams and single characters, English stems). Readings are cached by text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from domain.duplicate_symptoms import SYMPTOMS
from domain.duplicate_words import HOW, RELATED, WHAT, WHERE
from domain.traditional import TRADITIONAL
from services.cases.spots import read_spots, without_gates

# Kinds of fault that are one for telling problems apart (Reading.damage): snapped is broken,
# piled up or overgrown is blocking, a door that won't open or close is broken.
_SAME_DAMAGE = {"how:fallen": "how:broken", "how:stuck_open": "how:broken",
                "how:stuck_shut": "how:broken", "how:overflowing": "how:blocked",
                "how:overgrown": "how:blocked"}  # fmt: skip
# A burst pipe is a broken one ("水管爆了" / "水管破了"), but a radiator that leaks is not one
# that is cold ("暖气漏水" / "暖气不热"): leaking is broken only for what carries water.
_PIPES = frozenset(f"what:{c}" for c in ("water_pipe", "drain", "downpipe", "water_tank", "pump"))
_PIPE_DAMAGE = {**_SAME_DAMAGE, "how:leaking": "how:broken"}

# Each surface form and the concepts it reads as: one of the word tables', or the several
# of a symptom ("摸黑" is a light that is out: "what:light how:broken").
# "how" concepts that tell when, beside a fault: "路灯晚上不亮" and "路灯坏了" name one fault
# (alone, it is the fault: "工地晚上还在施工").
_NOT_FAULTS = frozenset({"how:night"})

# Objects that are what is wrong wherever they are, a fault as much as "broken" is.
_FAULT_LIKE = frozenset(
    f"what:{c}" for c in ("noise", "smell", "smoke", "flyers", "graffiti", "dog_mess", "charging")
)

_FORMS: list[tuple[str, tuple[str, ...]]] = sorted(
    [
        *(
            (form, (f"{kind}:{concept}",))
            for kind, table in (("what", WHAT), ("how", HOW), ("where", WHERE))
            for concept, forms in table.items()
            for form in forms
        ),
        *((form, tuple(key.split())) for key, forms in SYMPTOMS.items() for form in forms),
    ],
    key=lambda pair: len(pair[0]),
    reverse=True,
)
_FORM_PATTERN = re.compile(
    "|".join(
        rf"(?<![a-z]){re.escape(form)}(?:s|es)?(?![a-z])" if form.isascii() else re.escape(form)
        for form, _ in _FORMS
    )
)
_FORM_CONCEPT = dict(_FORMS)
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z]{3,}")
_STOPWORDS = frozenset(
    (
        "the", "and", "for", "with", "that", "this", "there", "has", "have", "been", "our", "its",
        "are", "was", "were", "not", "but", "from", "they", "who", "will", "can", "please",
        "again", "still", "since", "days", "week", "weeks", "very", "really", "just",
    )
)  # fmt: skip


# Characters too common to say anything about the problem.
_STOP_CHARS = frozenset("的了是我在有个这那就都也很太和与吗呢啊吧呀把被给让着过们你他她它还又得地")


def _stem(word: str) -> str:
    """ "drilling" / "drills" / "drilled" -> "drill": English endings say nothing of the thing."""
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


# "what:light" -> {"what:streetlight", "what:corridor_light"}: a general object's specific ones.
SPECIFIC_OF = {
    f"what:{general}": frozenset(f"what:{s}" for s in specifics)
    for general, specifics in RELATED.items()
}


@dataclass(frozen=True)
class Reading:
    """What read() found in a message: concept ids prefixed by kind ("what:lift", "how:broken",
    "where:entrance"), the spots it names ("building:3", "unit:1", "flat:502", "gate:east"),
    and word counts (concepts plus n-grams)."""

    concepts: frozenset[str]
    spots: frozenset[str]  # "building:3", "flat:502" (services.cases.spots)
    words: Counter[str]
    # Worked out once per reading (a reading is kept and compared with up to 50 cases):
    # the "what" and "how" concepts, the kind of fault, whether a general object ("灯") is
    # named, and the squared length of the word-count vector.
    what: frozenset[str] = field(init=False)
    how: frozenset[str] = field(init=False)
    damage: frozenset[str] = field(init=False)
    general: bool = field(init=False)
    norm2: int = field(init=False)

    def __post_init__(self) -> None:
        what, how = self.kind("what"), self.kind("how")
        how = (how - _NOT_FAULTS) or how
        object.__setattr__(self, "what", what)
        object.__setattr__(self, "how", how)
        damage = _damage(how - _NOT_FAULTS, pipe=not what.isdisjoint(_PIPES))
        object.__setattr__(self, "damage", damage | (what & _FAULT_LIKE))
        object.__setattr__(self, "general", not what.isdisjoint(SPECIFIC_OF))
        object.__setattr__(self, "norm2", sum(v * v for v in self.words.values()))

    def kind(self, name: str) -> frozenset[str]:
        """The concepts of one kind ("what", "how" or "where"), prefix kept."""
        return frozenset(c for c in self.concepts if c.startswith(name + ":"))


def _concepts(matched: str) -> tuple[str, ...]:
    """The concepts of a matched surface form (an English plural maps like its singular)."""
    for form in (matched, matched.removesuffix("s"), matched.removesuffix("es")):
        if form in _FORM_CONCEPT:
            return _FORM_CONCEPT[form]
    raise KeyError(matched)


# Every submit compares the new text with up to 50 open cases, and each comparison reads
# both texts: kept readings make that one read per text. Readings are never mutated.
READINGS_KEPT = 512


@functools.lru_cache(maxsize=READINGS_KEPT)
def read(text: str) -> Reading:
    """Concepts, building numbers and word n-grams of a resident's message (cached by text;
    callers must not change the returned Reading)."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(TRADITIONAL)
    spots, folded = read_spots(folded)
    gateless = without_gates(folded)
    # One scan of the (large) lexicon gives the concepts and the rest; two only for a gate.
    found = list(_FORM_PATTERN.finditer(gateless))
    concepts = {c for m in found for c in _concepts(m.group(0))}
    if any(c.startswith("what:") for c in concepts) or gateless == folded:
        folded = gateless  # "东门井盖丢了": the manhole; but "北门关不上": the gate itself
    else:
        found = list(_FORM_PATTERN.finditer(folded))
        concepts = {c for m in found for c in _concepts(m.group(0))}
    rest = " ".join(_between(folded, found))
    words: Counter[str] = Counter(concepts)
    for run in _CJK_RUN.findall(rest):
        words.update(run[i : i + 2] for i in range(len(run) - 1))
        # single characters too: "消防栓" / "消火栓", "扶手松了" / "扶手松动" share them
        words.update(ch for ch in run if ch not in _STOP_CHARS)
    words.update(_stem(w) for w in _LATIN_WORD.findall(rest) if w not in _STOPWORDS)
    return Reading(frozenset(concepts), spots, words)


def _between(text: str, found: list[re.Match[str]]) -> list[str]:
    """The pieces of `text` around the matches (as re.sub(" ") joins them)."""
    pieces: list[str] = []
    start = 0
    for m in found:
        pieces.append(text[start : m.start()])
        start = m.end()
    return [*pieces, text[start:]]


def _damage(how: frozenset[str], *, pipe: bool) -> frozenset[str]:
    """Broken, snapped, knocked over (and leaking, of a `pipe`): one kind of fault for telling
    problems apart."""
    same = _PIPE_DAMAGE if pipe else _SAME_DAMAGE
    return frozenset(same.get(c, c) for c in how)
