"""A harm that may come, not one that has come: "广告牌随时可能掉下来砸到人", "井盖没了 有人
掉下去怎么办". The words of the harm are an emergency's ("砸到人", "人掉下去"), the message is a
hazard report.

Only cues that name a consequence (something falls on someone, someone falls, is hit, gets a
shock) are read this way: a state cue ("孩子可能被锁在车里了", "孩子坐在窗台外 随时可能掉下来")
is danger now whatever modal comes with it, and so is a fall of someone named ("工人随时会掉
下来": the worker is up there now). A consequence that has happened says so with 了
("有人掉下去了 怎么办"), which keeps the cue.
"""

from __future__ import annotations

import re

# The verb of a consequence: falls on, falls, is hit, gets a shock, is hurt.
_CONSEQUENCE = re.compile(r"砸|掉|摔|坠|滚下|撞|触电|被电|伤")
# A modal just before it (within its clause): it may happen. "会" not in 居委会/一会儿/开会.
_MODAL = re.compile(
    r"(随时|可能|容易|迟早|早晚|小心|怕|以免|免得|防止|避免|(?<![委一开社])会(?![儿议])).{0,8}$"
)
# Or its clause asks what to do if it happens, with no 了 to say it has.
_WHAT_IF = re.compile(r"怎么办|咋办|咋整|谁负责|谁管|谁来管")
# Someone named up there now ("工人随时会掉下来", "孩子随时可能掉下去") is in danger now,
# whatever the modal: only a thing falling on people, or "有人" in general, may come.
_SOMEONE_NAMED = re.compile(
    r"孩子|小孩|小朋友|宝宝|娃|儿子|女儿|老人|工人|师傅|他|她|大爷|大妈|奶奶|爷爷|邻居"
)
_CLAUSE_END = re.compile(r"[，,。.;；!！?？\s]")


def _clause(lowered: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE_END.finditer(lowered, 0, start)), default=0)
    right = _CLAUSE_END.search(lowered, end)
    return left, right.start() if right else len(lowered)


def only_potential(lowered: str, start: int, end: int) -> bool:
    """True when the cue at lowered[start:end] names a consequence that may come, not one
    that has: a modal before its verb, or "怎么办" after it in the same clause, and no 了 in
    its clause after the verb. `lowered` is the lowercased message the cue was found in."""
    verb = _CONSEQUENCE.search(lowered, start, end)
    if verb is None:
        return False
    left, right = _clause(lowered, start, end)
    after = lowered[verb.start() : right]
    if "了" in after or _SOMEONE_NAMED.search(lowered, left, verb.start()):
        return False
    # "有人掉下去怎么办" asks in the same breath; "有人受伤 怎么办" tells, then asks what to do.
    return _MODAL.search(lowered[left : verb.start()]) is not None or (
        _WHAT_IF.search(lowered, verb.end(), right) is not None
    )
