"""What a grid worker types about their work: an action on a case ("接单", "开始处理吧",
"accept GD-2026-000007", "接单 7", "办结 7 换了灯泡", "add note: vendor told to move"), an
acknowledgement of a ping ("收到马上过去", "on my way"), a case number alone ("7", "GD-7"),
or a report they make as a resident ("反映：3栋路灯坏了", "report: …").

Pure reading, no store: handlers.staff_work decides which case is meant and checks it is
theirs. A case number may be written whole (`GD-2026-000007`), short (`GD-7`, `gd7`) or as its
sequence alone (`7`, `7号`, `#7`), also named (`case 7`, `案件7`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.typed import fold

# The worker's actions, as the wk: buttons name them, with the words that say them (the
# buttons' labels fold to some of these: "✅ 接单", "▶️ Start", "✔️ 办结", "📝 Add note").
VERBS: dict[str, tuple[str, ...]] = {
    "acc": ("接单", "接案", "受理", "我接", "接了", "接", "accept", "accepted", "take", "takeit",
            "illtakeit", "iwilltakeit", "takingit"),
    "start": ("开始处理", "开始办", "开始", "开工", "处理中", "start", "started", "starting",
              "startwork", "begin", "workingonit"),
    "res": ("办结", "已办结", "处理好了", "处理完了", "搞定了", "搞定", "完成", "已完成", "办完",
            "做完", "弄完", "搞完", "处理完", "修好", "弄好", "办好", "resolve", "resolved",
            "closeit", "done", "alldone", "finished", "finish", "complete", "completed",
            "fixed"),
    "note": ("补充记录", "添加记录", "记录一下", "备注", "记录", "补充", "记一下", "addnote",
             "addanote", "note"),
}  # fmt: skip
# "Got it, on my way": the answer to a ping is taking it on (an accept).
ACKS = ("收到", "好的收到", "马上过去", "马上到", "马上去", "这就去", "这就过去", "在路上",
        "在路上了", "立即过去", "立刻过去", "onmyway", "omw", "gotit", "roger", "onit",
        "headingthere", "headingover", "coming", "imcoming")  # fmt: skip
# Words around an action that change nothing ("开始处理吧", "ok accept it", "我现在过去").
FILLERS = ("吧", "了", "啊", "呀", "啦", "的", "好", "好的", "嗯", "行", "现在", "马上", "一下",
           "我", "这个", "这单", "这件", "那", "那就", "先", "ok", "okay", "please", "pls",
           "now", "it", "this", "one", "i", "ill", "will", "then", "yes", "sure", "case",
           "the")  # fmt: skip
# A report the worker makes as a resident starts with one of these, then ":" or a space.
REPORT_PREFIXES = ("我要反映", "居民反映", "反映问题", "反映", "新问题", "我要报告", "report",
                   "newreport", "iwanttoreport", "reportaproblem")  # fmt: skip

_REF = r"(?:GD[-\s]?(?:(?P<year>\d{4})[-\s]?)?(?P<seq>\d{1,6})|[#＃]?(?P<num>\d{1,6})(?:\s*号)?)"
_GD_REF = re.compile(r"GD[-\s]?(?:(?P<year>\d{4})[-\s]?)?(?P<seq>\d{1,6})(?!\d)", re.IGNORECASE)
_NUM_REF = re.compile(r"(?<![\dA-Za-z])[#＃]?(?P<num>\d{1,6})\s*号?(?![\d.:])")
# "7", "7号", "第7单", and the number named: "case 7", "case no. 7", "案件7", "单号 7".
_ONLY_REF = re.compile(
    rf"^\s*(?:(?:case|ticket)\s*(?:no\.?|number|#)?|案件|单号|编号|第)?\s*{_REF}\s*(?:号|件|单)?\s*$",
    re.IGNORECASE,
)
_SPACED_VERBS = ("addnote", "addanote")
_SEPARATOR = re.compile(r"^\s*[:：,，]\s*|^\s+")


@dataclass(frozen=True)
class CaseRef:
    seq: int
    year: int | None = None  # given when the whole number was typed

    def number(self) -> str | None:
        """The whole case number when it was typed whole."""
        return f"GD-{self.year}-{self.seq:06d}" if self.year is not None else None

    def said(self) -> str:
        return self.number() or f"GD-{self.seq}"


@dataclass(frozen=True)
class Command:
    action: str  # acc / start / res / note
    ref: CaseRef | None = None
    rest: str = ""  # what a note or a resolution says
    ack: bool = False  # "收到马上过去": an acknowledgement read as an accept


def _ref_of(match: re.Match[str]) -> CaseRef:
    groups = match.groupdict()
    seq = groups.get("seq") or groups.get("num") or "0"
    year = groups.get("year")
    return CaseRef(int(seq), int(year) if year else None)


def read_ref(text: str) -> CaseRef | None:
    """A case number alone ("7", "GD-7", "GD-2026-000007", "7号"), or None."""
    match = _ONLY_REF.match(text)
    return _ref_of(match) if match is not None and _ref_of(match).seq > 0 else None


def _split(folded: str, words: frozenset[str]) -> bool:
    """Can the folded text be cut into these words only?"""
    reach = [True] + [False] * len(folded)
    for start in range(len(folded)):
        if reach[start]:
            for word in words:
                if folded.startswith(word, start):
                    reach[start + len(word)] = True
    return bool(folded) and reach[-1]


_FILL = frozenset(fold(w) for w in FILLERS)
_ACK = frozenset(fold(w) for w in ACKS)


def _action_alone(folded: str) -> str | None:
    """The action a folded text names with fillers only around it ("开始处理吧" → start)."""
    for action, verbs in VERBS.items():
        for verb in sorted(verbs, key=len, reverse=True):
            at = folded.find(verb)
            while at >= 0:
                before, after = folded[:at], folded[at + len(verb) :]
                if (not before or _split(before, _FILL)) and (not after or _split(after, _FILL)):
                    return action
                at = folded.find(verb, at + 1)
    return None


def _with_words(text: str) -> Command | None:
    """A note or resolution with its words: "add note: …", "备注 7：…", "办结 7 换了灯泡"."""
    for action in ("note", "res"):
        for verb in sorted(VERBS[action], key=len, reverse=True):
            head = re.match(_verb_pattern(verb), text, re.IGNORECASE)
            if head is None:
                continue
            tail = text[head.end() :]
            ref_match = re.match(rf"\s*{_REF}", tail, re.IGNORECASE)
            ref = _ref_of(ref_match) if ref_match is not None else None
            if ref_match is not None:
                tail = tail[ref_match.end() :]
            sep = _SEPARATOR.match(tail)
            # a space parts verb and words only after a case number or "add note" ("note the
            # lift" is no note; "add note the lift…", "办结 7 换了灯泡", "备注：…" are)
            spaced = sep is not None and not sep.group().strip()
            if sep is None or (spaced and ref is None and verb not in _SPACED_VERBS):
                continue
            rest = tail[sep.end() :].strip()
            if fold(rest) and _action_alone(fold(text)) is None:  # not "add note please"
                return Command(action, ref, rest)
    return None


def _verb_pattern(verb: str) -> str:
    """A folded verb as typed: "addnote" matches "add note", "Add a note" does "addanote"."""
    letters = [re.escape(ch) for ch in verb]
    joiner = r"\s*" if verb.isascii() else ""
    tail = r"\b" if verb.isascii() else "了?"  # "办完了 7 垃圾已清运"
    return r"^\s*(?:📝|✔️|✅|▶️)?\s*" + joiner.join(letters) + tail


def read_command(text: str) -> Command | None:
    """The action a worker typed, with the case number and words if any; None for other text."""
    if len(text) > 1000:
        return None
    with_words = _with_words(text)
    if with_words is not None:
        return with_words
    ref: CaseRef | None = None
    rest = text
    found = _GD_REF.search(text) or _NUM_REF.search(text)
    if found is not None:
        ref = _ref_of(found)
        rest = text[: found.start()] + " " + text[found.end() :]
    folded = fold(rest)
    if len(folded) > 24:
        return None
    action = _action_alone(folded)
    if action is not None:
        return Command(action, ref)
    if ref is None and _split(folded, _ACK | _FILL) and not _split(folded, _FILL):
        return Command("acc", None, ack=True)
    return None


def says_report(text: str) -> str | None:
    """The words after "反映：" / "report:" (a worker reporting as a resident), or None."""
    for prefix in sorted(REPORT_PREFIXES, key=len, reverse=True):
        head = re.match(_verb_pattern(prefix), text, re.IGNORECASE)
        if head is None:
            continue
        sep = _SEPARATOR.match(text[head.end() :])
        rest = text[head.end() + sep.end() :].strip() if sep is not None else ""
        if sep is not None and fold(rest):
            return rest
    return None


# A question, not a note ("几点上班？", "how do I register a rental"): the FAQ may answer it.
_QUESTION = re.compile(
    r"[?？]|吗|怎么|哪里|哪儿|哪个|什么|几点|多少|能不能|可不可以|是否|如何|请问"
    r"|\b(?:how|what|where|when|who|which|why|can i|is there|are there|do i|does)\b",
    re.IGNORECASE,
)


# Words after a typed yes that only confirm it ("是的，记到案件上", "yes, note it on the case").
CONFIRMING = ("记到案件上", "记到上面", "记上", "记下来", "记一下", "记到", "记录", "案件上",
              "上面", "noteit", "note", "recordit", "addit", "tothecase", "onthecase", "please",
              "thanks", "谢谢")  # fmt: skip
_CONFIRM = frozenset(fold(w) for w in CONFIRMING)


def only_confirms(words: str) -> bool:
    """Do the words after a yes only confirm it (nothing more for the note)?"""
    folded = fold(words)
    return not folded or _split(folded, _CONFIRM | _FILL)


def asks(text: str) -> bool:
    """Is the text a question (a mark or a question word)?"""
    return _QUESTION.search(text) is not None


# A supervisor's reassignment in one sentence (trial 11, item 1): "把 GD-7 改派给李明",
# "改派 GD-7 给 李明", "7号转给李明", "reassign GD-7 to Li Ming", "give case 7 to Li Ming".
_CASE = rf"(?:(?:case|ticket)\s*(?:no\.?|number|#)?\s*|案件|单号|编号)?{_REF}\s*(?:号|件|单)?"
_ZH_VERB = r"(?:改派|转派|转交|指派|分派|派单|转|派|交|分)"
_EN_VERB = r"(?:re-?assign|assign|give|hand(?:\s+over)?|pass|transfer|send|move)"
_REASSIGN = (
    # 把 GD-7 改派给李明 / GD-7 转给李明 / 把7号交给李明处理
    re.compile(rf"^(?:请)?(?:把|将)?\s*{_CASE}\s*(?:这单|这件)?\s*{_ZH_VERB}?给\s*(?P<name>.+)$",
               re.IGNORECASE),
    # 改派 GD-7 给 李明 / 转派7号给李明
    re.compile(rf"^(?:请)?{_ZH_VERB}\s*{_CASE}\s*(?:给|到)\s*(?P<name>.+)$", re.IGNORECASE),
    # reassign GD-7 to Li Ming / give case 7 over to Li Ming
    re.compile(rf"^(?:please\s+)?{_EN_VERB}\s+{_CASE}\s+(?:over\s+)?to\s+(?P<name>.+)$",
               re.IGNORECASE),
)  # fmt: skip
# Words around the name that are no part of it ("给网格员李明处理吧", "to worker Li Ming please").
_NAME_HEAD = re.compile(r"^(?:网格员|同事|worker|grid worker|colleague)\s*", re.IGNORECASE)
_NAME_TAIL = re.compile(
    r"(?:\s*(?:来)?(?:处理|负责|跟进|办理)|\s*(?:吧|了|啊|呀|谢谢)|\s*\b(?:please|thanks|now)\b"
    r"|[\s。.!！,，~～])+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reassign:
    ref: CaseRef
    name: str  # as typed: a worker's name (or their grid's)


def read_reassign(text: str) -> Reassign | None:
    """A reassignment said in one sentence: the case and the name it goes to; None else."""
    if len(text) > 200:
        return None
    for pattern in _REASSIGN:
        match = pattern.match(text.strip())
        if match is None:
            continue
        ref = _ref_of(match)
        name = _NAME_TAIL.sub("", _NAME_HEAD.sub("", match.group("name").strip()))
        if ref.seq > 0 and fold(name):
            return Reassign(ref, name)
    return None
