"""Is a text only a place? ("翠湖苑 3栋", "我在2号楼401", "Block 7", "Fire Station Road")

Residents answer "where?" with a place, and sometimes send one on its own. A
place names no danger, so the model must never call it an emergency however
alarming the name sounds ("消防通道旁", "Fire Station Road"). The guard knows
the configured estate, building and street aliases (handed in by the
composition root; nlu never reads config files) and a grammar of addresses:
building and flat forms (`3栋`, `5栋一楼`, `2号楼401`, `Block 7`, `flat 401`),
names ending in a place noun (…路, …苑, …通道, … Road, … Court), locators
(旁, 门口, near, next to) and a leading "我在 / I'm at". Anything else (a verb,
a person, an event) makes the text more than a place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

ALIAS_MARK = "§"  # stands in for a configured alias once it is found

_CN_NUM = "一二三四五六七八九十两百零"
_ZH_UNIT = "号楼|号院|栋|幢|座|单元|层|楼|室|号|门|期|区|巷|弄|排|户|街|路"
_ZH_PLACE_NOUN = (
    "大道|路|街|巷|弄|胡同|新村|村|苑|花园|家园|园区|工业园|园|小区|社区|网格|大厦|大楼|楼|"
    "广场|市场|菜市场|公园|中心|服务站|工作站|车站|站|大门|门|桥|学校|小学|中学|幼儿园|医院|"
    "商场|超市|公寓|山庄|华庭|城|湾|庭|府|居|停车场|车库|通道|走廊|楼道|楼梯|地下室|大院|院|"
    "派出所|居委会|球场|操场|食堂|岗亭|路口|十字路口|河边|湖边|公司|银行|酒店|饭店|餐厅|药店|工厂|厂|仓库|"
    "物业|驿站|快递站|菜场|店|大厅|营业厅|厅|办事处|服务中心|出口|入口|进站口|站台|号线|地铁站|"
    "公交站|大队|中队|消防队|科|所|局|馆|亭|塔|坊"
)
# Characters that never sit inside a place name but do in a sentence about one.
_ZH_NOT_NAME = (
    "了的着在有没被是不要吗呢啊吧把给让快烧烟爆晕倒死血打跳掉摔困丢孩宝娃妈爸爷奶儿他她我你"
)
_ZH_LOCATOR = (
    "旁边|旁|边上|附近|对面|门口|楼下|楼上|里面|里|外面|后面|前面|这边|那边|东门|南门|西门|北门|"
    "正门|后门|侧门|拐角|交叉口|路口|一带|周边"
)
# A name with no place noun is still a place when a locator follows it ("麦当劳门口",
# "肯德基旁边"), unless the name holds a word of danger or help, or a verb of a report
# ("垃圾堆门口", "车堵门口" say what is wrong there).
_ZH_NAME_LOCATOR = "门口|旁边|对面|附近|楼上|楼下|后面|隔壁"
_ZH_NOT_BARE_NAME = "火烟爆炸救命伤杀抢偷漏淹溺电血病晕急堵堆停占坏扔倒吵臭脏挡乱拉摆卖修放满屎尿垃"
_ZH_LEAD = "我在|我住在|我住|我们在|我家在|我家住|住在|就在|在|地址是|地址|位置是|位置|地点是|地点"
_EN_UNIT_ZH = r"block|blk|building|bldg|tower|flat|unit|room|rm|apt|no\.?|#"
_ZH_NAME_CHAR = rf"(?:(?![{_ZH_NOT_NAME}])[\u4e00-\u9fff])"
_ZH_PIECE = (
    rf"(?:{ALIAS_MARK}"
    # Latin letters only as a building or flat code ("b座", "3-2-401", "block3"), never a word.
    rf"|(?:(?:{_EN_UNIT_ZH})?\d+[a-z]?|(?<![a-z])[a-z](?![a-z])\d*)(?:-\d+[a-z]?)*(?:{_ZH_UNIT})?"
    rf"|[{_CN_NUM}]+(?:{_ZH_UNIT})"
    rf"|{_ZH_NAME_CHAR}{{0,6}}(?:{_ZH_PLACE_NOUN})"
    rf"|(?:(?![{_ZH_NOT_BARE_NAME}]){_ZH_NAME_CHAR}){{2,6}}(?:{_ZH_NAME_LOCATOR})"
    rf"|(?:{_ZH_LOCATOR}))"
)
_ZH_PLACE = re.compile(rf"(?:{_ZH_LEAD})?{_ZH_PIECE}+")

_EN_PLACE_NOUN = (
    r"road|rd|street|st|avenue|ave|lane|ln|way|drive|dr|court|ct|gardens?|tower|towers|"
    r"building|block|estate|village|park|plaza|square|market|station|school|kindergarten|"
    r"hospital|mall|centre|center|gate|entrance|exit|bridge|community|compound|residence|"
    r"apartments?|mansion|villa|bay|garage|basement|lobby|corridor|stairwell|staircase|"
    r"car park|parking lot|crossing|junction|roundabout|grid|office|clinic|bus stop|hall|"
    r"mansions|heights|courts|homes|estates|flats|metro station|subway station|platform|"
    r"shop|store|supermarket|restaurant|cafe|bank|pharmacy|library|stadium|temple|church"
)
_EN_UNIT = (
    r"block|blk|building|bldg|tower|flat|unit|room|rm|apt|apartment|floor|level|gate|door|"
    r"entrance|no\.?|number|house|#"
)
# Words that make a sentence, not a name: people, verbs, danger and help.
_EN_NOT_NAME = (
    r"i|i'?m|me|my|we|we'?re|our|us|you|he|she|they|his|her|their|someone|somebody|people|"
    r"man|woman|child|kid|baby|son|daughter|mum|mom|dad|is|are|was|were|has|have|had|be|been|"
    r"there|here|it|it'?s|not|no|please|help|call|come|send|quick|now|burning|smoke|"
    r"fire(?! (?:station|lane|exit|escape|brigade|hydrant|door|department|road|street))|"
    r"smoking|trapped|stuck|collapsed|fell|bleeding|dying|dead|hurt|injured|missing|lost|"
    r"leak|leaking|fight|fighting|knife|and|or|but|with|of|on|in|at|to|from|for|about"
)
_EN_WORD = rf"(?:(?!(?:{_EN_NOT_NAME})\b)[a-z0-9][a-z0-9'.-]*)"
_EN_NAME = rf"(?:{_EN_WORD} ){{0,4}}(?:{_EN_PLACE_NOUN})"
_EN_PIECE = (
    rf"(?:{ALIAS_MARK}"
    rf"|(?:{_EN_UNIT}) ?[0-9a-z]{{1,5}}(?:-[0-9a-z]{{1,5}})*"
    rf"|\d+[a-z]?(?:-\d+[a-z]?)*(?:st|nd|rd|th)?(?: floor)?"
    rf"|{_EN_NAME}(?: \d+[a-z]?)?"
    rf"|\d+ {_EN_NAME})"
)
_EN_LEAD = (
    r"(?:(?:i'?m|i am|we'?re|we are|i live|we live|i'?m staying|my address is|address|"
    r"location|it'?s) )?"
    r"(?:(?:at|on|in|near|next to|beside|by|opposite|outside|inside|behind|in front of|"
    r"across from|close to) )?(?:the )?"
)
# "corner of Renmin Road and Jianshe Road": a crossing of two places is a place too.
_EN_PLACE = re.compile(
    rf"{_EN_LEAD}(?:(?:the )?corner of )?{_EN_PIECE}(?:(?: ?, ?| | and )(?:the )?{_EN_PIECE})*"
)

_PUNCT = re.compile(r"[\s,，。.!！?？:：;；、/\\|~～()（）\[\]【】\"'“”‘’-]+")
_SPACES = re.compile(r"[\s]+")
_EN_EDGES = re.compile(r"^[\s,.!?:;]+|[\s,.!?:;]+$")
_CJK = re.compile(r"[\u3400-\u9fff]")
MAX_PLACE_CHARS = 60  # a longer text says more than where


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class PlaceNames:
    """The city's place names (estate, building, street, community aliases), folded."""

    aliases: tuple[str, ...] = ()

    @classmethod
    def of(cls, names: Iterable[str]) -> PlaceNames:
        folded = {_fold(n) for n in names if n and n.strip()}
        # Longest first, so "新基大厦" is marked before a shorter "新基".
        return cls(tuple(sorted(folded, key=len, reverse=True)))

    def mark_aliases(self, folded: str) -> str:
        for alias in self.aliases:
            folded = folded.replace(alias, f" {ALIAS_MARK} ")
        return folded

    def is_place_only(self, text: str) -> bool:
        """True when `text` says where and nothing else."""
        folded = _fold(text)
        if not folded or len(folded) > MAX_PLACE_CHARS:
            return False
        marked = self.mark_aliases(folded)
        if _CJK.search(marked):
            return _ZH_PLACE.fullmatch(_PUNCT.sub("", marked)) is not None
        english = _SPACES.sub(" ", _EN_EDGES.sub("", marked.replace(",", " , "))).strip()
        english = english.replace(" , ", ", ")
        return bool(english) and _EN_PLACE.fullmatch(english) is not None


NO_PLACES = PlaceNames()
