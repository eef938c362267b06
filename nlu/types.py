"""The narrow interface between the bot and any NLU engine.

Every backend (embedded scikit-learn, Rasa over HTTP) turns a text into a
`Prediction`; handlers never see engine-specific shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from domain.ids import FAQ_PREFIX, split_label
from nlu.device_faults import device_fault
from nlu.negations import without_negated_clauses
from nlu.no_danger import (
    FIGURATIVE_MAX_SHARE,
    about_a_pet,
    figure_of_speech,
    not_happening_now,
    says_settled,
)
from nlu.places import NO_PLACES, PlaceNames, cue_beside_places
from nlu.questions import is_question
from nlu.repairs import smoke_from_a_source, supply_cut_only, water_leak_only
from nlu.safety_net import lingering_smell


@dataclass(frozen=True)
class LabelScore:
    """One training label (Rasa intent name, e.g. `report_noise`, `faq/vaccination`)."""

    label: str
    confidence: float


@dataclass(frozen=True)
class Prediction:
    intent: str
    confidence: float
    case_type: str | None = None
    topic: str | None = None
    # Best labels first, the top one included; used to offer choices when unsure.
    ranking: tuple[LabelScore, ...] = field(default=())
    backend: str = "embedded"
    # The emergency cue (nlu/safety_net.py) that put `emergency` on top, if any.
    safety_net: str | None = None
    # The text names a place and nothing else (nlu/places.py): never an emergency.
    place_only: bool = False
    # The text is asked as a question (nlu/questions.py): the FAQ / "ask staff" path fits.
    question: bool = False

    def as_eval_json(self) -> dict[str, object]:
        """The shape of `griddesk nlu predict` output (DESIGN.md evaluation interface)."""
        out: dict[str, object] = {"intent": self.intent, "confidence": round(self.confidence, 4)}
        if self.intent == "report":
            out["case_type"] = self.case_type
        if self.intent == "faq":
            out["topic"] = self.topic
        return out


# Emergency recall matters more than precision: a needless "call 110" costs a
# resident a tap on "not an emergency", a missed fire costs far more. When the model
# is unsure between an emergency and anything else on free text, the numbers go first:
# `emergency` with at least this share wins even if it is not the top label.
EMERGENCY_MIN_SHARE = 0.30
# When the safety net's cue puts `emergency` on top, its confidence is at least this: about
# the cues' precision, measured by cross-validation on the training data (nlu/crossval.py).
SAFETY_NET_CONFIDENCE = 0.9
# A text asked as a question goes to its best FAQ topic instead of a report or
# out_of_scope when the model gives that topic at least this share.
QUESTION_FAQ_MIN_SHARE = 0.20
# A safety device's own fault (a smoke alarm's battery, a false alarm) is this report.
DEVICE_FAULT_LABEL = "report_safety_hazard"
# Labels a question may be moved away from (never emergency, check_status, ...).
_QUESTION_YIELDS = ("report_", "out_of_scope")


def _share(ranking: list[LabelScore], label: str) -> float:
    return next((s.confidence for s in ranking if s.label == label), 0.0)


def _without(ranking: list[LabelScore], label: str) -> list[LabelScore]:
    return [s for s in ranking if s.label != label]


def _renormalised(ranking: list[LabelScore]) -> list[LabelScore]:
    """Shares given that the message is not an emergency (the rest, rescaled to sum to 1)."""
    total = sum(s.confidence for s in ranking)
    return [LabelScore(s.label, s.confidence / total) for s in ranking] if total > 0 else ranking


def _first(ranking: list[LabelScore], chosen: LabelScore) -> list[LabelScore]:
    return [chosen, *(s for s in ranking if s is not chosen)]


def model_text(text: str, places: PlaceNames = NO_PLACES) -> str:
    """What a backend classifies: `text` without the clauses that deny a danger
    ("没有着火，", "not a fire,"), or the whole text when every clause does; and without the
    city's aliases and building/flat codes when more than a place is said ("3栋打架" is read
    as "打架": a place alone is out of scope, so its words would outweigh the danger)."""
    return places.without_places(without_negated_clauses(text) or text)


def prediction_from_ranking(
    ranking: list[LabelScore],
    backend: str,
    text: str | None = None,
    places: PlaceNames = NO_PLACES,
) -> Prediction:
    """Build a Prediction from labels sorted best first, in this order of rules:

    1. a place and nothing else is never an emergency (`places`: the city's aliases),
       nor a text that only denies one, nor a faint or days-old gas smell without symptoms,
       nor a danger that is over or only imagined (nlu.no_danger.not_happening_now), nor,
       without a cue, a pet alone, a danger said to be settled or a drill, a leak or a supply
       cut (nlu.repairs), smoke from a barbecue or a chimney, or a weak guess
       on a figure of speech (nlu.no_danger);
    2. an emergency cue in `text` puts `emergency` on top (the safety net);
    3. `emergency` with EMERGENCY_MIN_SHARE goes on top (the numbers go first);
    4. a question goes to its FAQ topic with QUESTION_FAQ_MIN_SHARE.
    Backends rank `model_text(text)`, the text without clauses that deny a danger,
    so "没有着火，只是3栋楼道灯坏了" is ranked as "只是3栋楼道灯坏了"; `text` is the original.
    """
    place_only = bool(text) and places.is_place_only(text or "")
    question = bool(text) and is_question(text or "")
    cue = cue_beside_places(text, places.without_places) if text and not place_only else None
    fault = bool(text) and cue is None and device_fault(text or "")
    if place_only:
        ranking = _without(ranking, "emergency")
    elif text and (
        not without_negated_clauses(text) or lingering_smell(text) or fault
        or not_happening_now(text)
        or (cue is None and (about_a_pet(text) or says_settled(text) or water_leak_only(text)
                             or supply_cut_only(text) or smoke_from_a_source(text)))
        or (cue is None and figure_of_speech(text) and _share(ranking, "emergency")
            < FIGURATIVE_MAX_SHARE)
    ):  # fmt: skip
        # "没有着火" and nothing else; a faint gas smell for days; a smoke alarm beeping for
        # its battery; a danger that is over, settled or only imagined; a pet and nobody else;
        # a weak guess on a figure of speech ("热死了"): what else it is
        ranking = _renormalised(_without(ranking, "emergency"))
        if fault:  # a safety device to repair: that report
            hazard = next((s for s in ranking if s.label == DEVICE_FAULT_LABEL), None)
            ranking = _first(ranking, hazard) if hazard is not None else ranking
    if not ranking and cue is None:
        return Prediction(
            intent="out_of_scope", confidence=0.0, backend=backend,
            place_only=place_only, question=question,
        )  # fmt: skip
    emergency = next((s for s in ranking if s.label == "emergency"), None)
    if emergency is not None and ranking[0] is emergency:
        if cue is not None and emergency.confidence < SAFETY_NET_CONFIDENCE:
            # the engine chose it, weakly; the net's cue makes it sure (an urgent case)
            ranking = [LabelScore("emergency", SAFETY_NET_CONFIDENCE), *ranking[1:]]
        else:
            cue = None  # the engine chose it; the net added nothing
    elif cue is not None:
        share = emergency.confidence if emergency is not None else 0.0
        promoted = LabelScore("emergency", max(share, SAFETY_NET_CONFIDENCE))
        ranking = [promoted, *(s for s in ranking if s is not emergency)]
    elif emergency is not None and emergency.confidence >= EMERGENCY_MIN_SHARE:
        ranking = _first(ranking, emergency)
    elif question and ranking[0].label.startswith(_QUESTION_YIELDS):
        topic = next((s for s in ranking if s.label.startswith(FAQ_PREFIX)), None)
        if topic is not None and topic.confidence >= QUESTION_FAQ_MIN_SHARE:
            ranking = _first(ranking, topic)
    intent, case_type, topic_id = split_label(ranking[0].label)
    return Prediction(
        intent=intent,
        confidence=ranking[0].confidence,
        case_type=case_type,
        topic=topic_id,
        ranking=tuple(ranking),
        backend=backend,
        safety_net=cue,
        place_only=place_only,
        question=question,
    )


class NluBackend(Protocol):
    """What the bot needs from an NLU engine."""

    name: str

    async def parse(self, text: str) -> Prediction: ...
