"""The fixed ids of DESIGN.md: case types, FAQ topics, intents and how training labels name them.

Everything else (config, storage, the NLU engines, the conversation) refers to these; nothing
here imports anything of GridDesk, Telegram, storage or config files.
"""

from __future__ import annotations

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


def split_label(label: str) -> tuple[str, str | None, str | None]:
    """Map a training label to (intent, case_type, topic).

    `report_noise` -> ("report", "noise", None); `faq/vaccination` -> ("faq", None,
    "vaccination"); any other label is its own intent with (None, None). Never raises.
    """
    if label.startswith(REPORT_PREFIX):
        return "report", label[len(REPORT_PREFIX) :], None
    if label.startswith(FAQ_PREFIX):
        return "faq", None, label[len(FAQ_PREFIX) :]
    return label, None, None
