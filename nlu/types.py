"""The narrow interface between the bot and any NLU engine.

Every backend (embedded scikit-learn, Rasa over HTTP) turns a text into a
`Prediction`; handlers never see engine-specific shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from nlu.safety_net import emergency_cue

CASE_TYPES: tuple[str, ...] = (
    "sanitation",
    "public_facility",
    "greenery",
    "illegal_construction",
    "street_order",
    "traffic_parking",
    "noise",
    "safety_hazard",
    "neighbor_dispute",
    "property_management",
    "livelihood_assistance",
    "public_health",
    "other",
)

FAQ_TOPICS: tuple[str, ...] = (
    "service_hours",
    "service_location",
    "residence_permit",
    "elderly_subsidy",
    "medical_insurance",
    "garbage_sorting",
    "certificate_issuance",
    "low_income_assistance",
    "vaccination",
    "child_enrollment",
    "rental_registration",
    "complaint_process",
)

INTENTS: tuple[str, ...] = (
    "report",
    "faq",
    "check_status",
    "volunteer_signup",
    "emergency",
    "greet",
    "thanks",
    "cancel",
    "out_of_scope",
)

REPORT_PREFIX = "report_"
FAQ_PREFIX = "faq/"


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

    def as_eval_json(self) -> dict[str, object]:
        """The shape of `griddesk nlu predict` output (DESIGN.md evaluation interface)."""
        out: dict[str, object] = {"intent": self.intent, "confidence": round(self.confidence, 4)}
        if self.intent == "report":
            out["case_type"] = self.case_type
        if self.intent == "faq":
            out["topic"] = self.topic
        return out


def split_label(label: str) -> tuple[str, str | None, str | None]:
    """Map a training label to (intent, case_type, topic)."""
    if label.startswith(REPORT_PREFIX):
        return "report", label[len(REPORT_PREFIX) :], None
    if label.startswith(FAQ_PREFIX):
        return "faq", None, label[len(FAQ_PREFIX) :]
    return label, None, None


# Emergency recall matters more than precision: a needless "call 110" costs a
# resident a second, a missed fire costs far more. When the engine gives
# `emergency` at least this share, it wins even if it is not the top label.
EMERGENCY_MIN_SHARE = 0.30
# When the safety net's cue puts `emergency` on top, its confidence is at least this: about
# the cues' precision, measured by cross-validation on the training data (nlu/crossval.py).
SAFETY_NET_CONFIDENCE = 0.9


def prediction_from_ranking(
    ranking: list[LabelScore], backend: str, text: str | None = None
) -> Prediction:
    """Build a Prediction from labels sorted best first.

    `emergency` goes on top when the engine gives it EMERGENCY_MIN_SHARE, or
    when `text` carries an emergency cue (the safety net, for every backend).
    """
    cue = emergency_cue(text) if text else None
    if not ranking and cue is None:
        return Prediction(intent="out_of_scope", confidence=0.0, backend=backend)
    emergency = next((s for s in ranking if s.label == "emergency"), None)
    if emergency is not None and ranking[0] is emergency:
        cue = None  # the engine chose it; the net added nothing
    elif cue is not None:
        share = emergency.confidence if emergency is not None else 0.0
        promoted = LabelScore("emergency", max(share, SAFETY_NET_CONFIDENCE))
        ranking = [promoted, *(s for s in ranking if s is not emergency)]
    elif emergency is not None and emergency.confidence >= EMERGENCY_MIN_SHARE:
        ranking = [emergency, *(s for s in ranking if s is not emergency)]
    intent, case_type, topic = split_label(ranking[0].label)
    return Prediction(
        intent=intent,
        confidence=ranking[0].confidence,
        case_type=case_type,
        topic=topic,
        ranking=tuple(ranking),
        backend=backend,
        safety_net=cue,
    )


class NluBackend(Protocol):
    """What the bot needs from an NLU engine."""

    name: str

    async def parse(self, text: str) -> Prediction: ...
