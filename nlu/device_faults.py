"""A safety device's own fault is a report, not an emergency.

A smoke alarm that beeps for a new battery, or a fire alarm that goes off with nothing
burning, is named with the words of an emergency ("smoke", "fire alarm", "烟感") but asks
for a repair: the model must not send the resident to 119 for it. Only a fault the text
names (a battery, a fault, a false alarm) counts; an alarm that just sounds may be a fire.
"""

from __future__ import annotations

import re

_DEVICE = re.compile(
    r"smoke (alarm|detector)|fire alarm|co (alarm|detector)|carbon monoxide (alarm|detector)|"
    r"gas (alarm|detector)|烟感|烟雾报警|烟雾探测|火灾报警|火警报警器|消防报警器|燃气报警器|"
    r"一氧化碳(报警器|探测器|检测器)|消防警报|火警铃|火警警报|警报器|警铃|报警器"
)
_FAULT = re.compile(
    r"batter(y|ies)|low bat|chirp\w*|beep\w*|faulty|broken|not working|false|by mistake|"
    r"mistakenly|for no reason|keeps going off for nothing|needs? (a )?(new|replac\w*)|"
    r"没电|电池|换电|坏了|故障|误报|误响|误鸣|乱响|乱叫|滴滴|嘀嘀|不响|没反应|失灵|老化|过期|低电"
)


# Someone unwell beside the alarm: it is sounding for a reason ("CO alarm beeping and my
# head is pounding"), whatever else the text says about it.
_SYMPTOM = re.compile(
    r"head\S* (is )?(hurt|pound|ach|spin)\w*|headache|dizzy|vomit\w*|throw\w* up|faint\w*|"
    r"nause\w*|can'?t breathe|passed out|collapsed|unconscious|"
    r"头(好|很|有点)?(晕|疼|痛)|恶心|想吐|呕吐|晕倒|昏|喘不"
)


def device_fault(text: str) -> bool:
    """Does `text` report a safety device's own fault ("smoke alarm beeping, battery low")?
    Never when someone is unwell beside it."""
    lowered = text.lower()
    return (
        _DEVICE.search(lowered) is not None
        and _FAULT.search(lowered) is not None
        and _SYMPTOM.search(lowered) is None
    )


def without_device(text: str) -> str:
    """`text` without the device and its fault, when it reports one: what is left is looked
    at for a real danger ("smoke alarm battery low, and there is smoke in the kitchen")."""
    if not device_fault(text):
        return text
    return _FAULT.sub(" ", _DEVICE.sub(" ", text.lower()))
