"""Phone redaction (services/privacy/phone_redaction.py) and the NLU's safety net
(nlu/safety_net.py).

The safety net's cue lists change often (cross-validation misses); only a few plain rows are
pinned here, asserting whether a cue fires, not which one. Its full tables live in
tests/test_nlu_understanding.py and tests/test_nlu_embedded.py.
"""

from __future__ import annotations

import pytest

from nlu.safety_net import emergency_cue, lingering_smell, without_negated_clauses
from services.privacy.phone_redaction import redact_phone_numbers

P = "[phone]"


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("电话13812345678", f"电话{P}"),  # glued to Chinese: still a phone
        ("call 138.1234.5678 please", f"call {P} please"),
        ("+86 138 1234 5678", P),
        ("138 12 34 56 78", P),
        ("(020) 8888-6666", P),
        ("case GD-2026-000123 on 2026-12-03", "case GD-2026-000123 on 2026-12-03"),
        ("3栋401", "3栋401"),
        ("no phone here", "no phone here"),
    ],
)
def test_phone_numbers_are_redacted(text: str, redacted: str) -> None:
    assert redact_phone_numbers(text, P) == redacted


@pytest.mark.parametrize(
    ("text", "emergency"),
    [
        ("着火了！", True),
        ("楼道里着火了", True),
        ("the kitchen is on fire", True),
        ("有人晕倒了", True),
        ("路灯坏了", False),
        ("the lift is broken", False),
        ("差点着火", False),  # a near miss: a hazard, not an emergency now
        ("没有着火，只是3栋楼道灯坏了", False),  # the danger is denied
    ],
)
def test_emergency_cue(text: str, emergency: bool) -> None:
    assert (emergency_cue(text) is not None) is emergency


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("没有着火，只是3栋楼道灯坏了", "只是3栋楼道灯坏了"),
        ("not on fire, just a broken light", "just a broken light"),
        ("路灯坏了", "路灯坏了"),  # nothing denied: unchanged
    ],
)
def test_denied_clauses_are_set_aside(text: str, kept: str) -> None:
    assert without_negated_clauses(text) == kept


def test_a_faint_lingering_gas_smell_is_not_an_emergency() -> None:
    assert lingering_smell("煤气味好几天了，淡淡的")
    assert not lingering_smell("路灯坏了")
