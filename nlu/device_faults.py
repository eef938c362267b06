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
    r"gas (alarm|detector)|烟感|烟雾报警|烟雾探测|火灾报警|火警报警器|消防报警器|燃气报警器|报警器"
)
_FAULT = re.compile(
    r"batter(y|ies)|low bat|chirp\w*|faulty|broken|not working|false alarm|for no reason|"
    r"needs? (a )?(new|replac\w*)|没电|电池|换电|坏了|故障|误报|乱响|不响|没反应|失灵|老化|过期"
)


def device_fault(text: str) -> bool:
    """Does `text` report a safety device's own fault ("smoke alarm beeping, battery low")?"""
    lowered = text.lower()
    return _DEVICE.search(lowered) is not None and _FAULT.search(lowered) is not None
