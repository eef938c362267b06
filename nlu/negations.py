"""Clauses that deny a danger ("没有着火，只是3栋楼道灯坏了", "not a fire, just the corridor
light"): set aside before the safety net looks for cues and before the engines classify, so
the message is read as what it reports instead.
"""

from __future__ import annotations

import re

# A clause that denies the danger ("没有着火", "not a fire"): the message goes on to say what
# it is instead ("只是3栋楼道灯坏了", "just the corridor light"). Only that clause is set aside,
# so "没有着火，但是有人晕倒了" still reaches the numbers.
_ZH_NEGATIONS = (
    r"(没有|没|不是|并没有|并不是|也没有|也没|无)(有)?(人|小孩|孩子|老人|人员|谁)?(着火|起火|失火|火灾|冒烟|烟|漏气|漏|泄漏|"
    r"煤气泄漏|燃气泄漏|爆炸|受伤|危险|被困|困住|打架|掉下|晕倒|昏倒|车祸)",
    r"不是(煤气|燃气|天然气|液化气)(味)?",
    r"(没有|没|不|也没|并没)(见|看到|发现|觉得|感觉|听说)?(人|谁|有人|家人)?(头晕|头疼|头痛|恶心|想吐|不舒服|难受)",
    r"不是(紧急|急事|什么紧急)", r"不(太)?紧急", r"不算紧急",
)  # fmt: skip
_EN_NEGATIONS = (
    r"(not|no|isn'?t|wasn'?t|aren'?t|nothing) (a |an |any |on )?(gas )?(fire|smoke|leak|emergency|"
    r"explosion|urgent)(?! (exit|escape|door|lane|alarm|station|hydrant|extinguisher))",
    r"(nobody|no one|no-one) (is |was |got )?(trapped|hurt|injured|fainted|collapsed|stuck)",
    r"not leaking",
    r"(nobody|no one|no-one) (feels?|felt|is|was|got|seems) (ill|sick|dizzy|unwell|nauseous)",
    r"nothing('?s| is)? (burning|on fire)", r"not (an )?urgent",
    r"no (cars?|vehicles?|people|one) (were |was |are |is |got )?"
    r"(trapped|inside|hurt|in (it|there))",
    r"(it'?s |that'?s |it is |that is )?not (the )?gas\b",
)  # fmt: skip
# Where a message divides into clauses: punctuation, line breaks and "but / just / 只是".
# A space between Chinese words is a comma in voice-typed text ("不是煤气味 是有人晕倒了").
_CLAUSE_BREAK = re.compile(
    r"[，,。.;；!！?？\n]+|\s+(?=(?:but|just|only|however|though)\b)|(?=但是|可是|不过|只是|就是|而是)"
    r"|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])"
)
_NEGATION = re.compile(
    "|".join(_ZH_NEGATIONS) + r"|(?<![a-z])(?:" + "|".join(_EN_NEGATIONS) + r")(?![a-z])"
)


def without_negated_clauses(text: str) -> str:
    """`text` without the clauses that deny a danger; "" when every clause does.

    Both backends classify what is left, so "没有着火，只是3栋楼道灯坏了" is read
    as the broken light it reports, not as the fire it denies.
    """
    lowered = text.lower()
    if not _NEGATION.search(lowered):
        return text
    kept: list[str] = []
    start = 0
    bounds = [m.start() for m in _CLAUSE_BREAK.finditer(lowered)] + [len(text)]
    for end in bounds:
        if end <= start and end != len(text):
            continue
        clause = text[start:end]
        if not _NEGATION.search(clause.lower()):
            kept.append(clause)
        start = end
    return "".join(kept).strip(" ，,。.;；!！?？\n")
