"""Is a text only a place? ("翠湖苑 3栋", "我在2号楼401", "Block 7", "Fire Station Road")

Residents answer "where?" with a place, and sometimes send one on its own. A
place names no danger, so the model must never call it an emergency however
alarming the name sounds ("消防通道旁", "Fire Station Road"). The guard knows
the configured estate, building and street aliases (handed in by the
composition root; nlu never reads config files) and a grammar of addresses:
building and flat forms (`3栋`, `5栋一楼`, `2号楼401`, `Block 7`, `flat 401`, `B2`, `15/F`),
names ending in a place noun (…路, …苑, …通道, … Road, … Court, pinyin … Lu / … Dasha),
postal addresses from province to room, road codes and kilometre posts (G107 K1234+500),
distances (往东200米, 50 m north of), locators (旁, 门口, near, opp., "opposite McDonald's")
and a leading "我在 / 定位： / I'm at / Location:"; emoji, a closing "这里/啊/here", a map
link and a pair of coordinates say nothing more, traditional characters are read as
simplified, and a place noun typed with two letters swapped ("Raod") is still one.
Anything else (a verb, a person, an event) makes the text more than a place. A word of danger
makes it more too, though a name may hold one in a word of trade or place (烟厂 but 冒烟,
跳水馆 but 跳楼, 老人活动中心 but 老人晕倒) or before a street or a service's place ("Smoke Tree
Avenue", "fire exit", "Burning Bush Church", but never "smoke block 7" or "fire car park").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from domain.traditional import TRADITIONAL
from nlu.device_faults import without_device
from nlu.safety_net import emergency_cue

ALIAS_MARK = "§"  # stands in for a configured alias (or a map link, coordinates) once found

_CN_NUM = "一二三四五六七八九十两百零"
_ZH_UNIT = "号楼|号院|号线|栋|幢|座|单元|层|楼|室|号|门|期|区|巷|弄|排|户|街|路|房|洞|口|线"
_ZH_PLACE_NOUN = (
    "大道|路|街|巷|弄|胡同|新村|村|苑|花园|家园|园区|工业园|园|小区|社区|网格|大厦|大楼|楼|"
    "广场|市场|菜市场|公园|中心|服务站|工作站|车站|站|大门|门|桥|学校|小学|中学|幼儿园|医院|"
    "商场|超市|公寓|山庄|华庭|城|湾|庭|府|居|停车场|车库|通道|走廊|楼道|楼梯|地下室|大院|院|"
    "派出所|居委会|球场|操场|食堂|岗亭|路口|十字路口|河边|湖边|公司|银行|酒店|饭店|餐厅|药店|工厂|厂|仓库|"
    "物业|驿站|快递站|菜场|店|大厅|营业厅|厅|办事处|服务中心|出口|入口|进站口|站台|号线|地铁站|"
    "公交站|队|科|所|局|馆|亭|塔|坊|"
    # parts of a building, and the places a town is made of
    "大堂|天台|楼顶|顶楼|电梯口|电梯厅|电梯间|楼梯间|楼梯口|宿舍区|宿舍楼|宿舍|厂房|旧址|遗址|"
    "急诊楼|急诊科|急诊室|急诊部|急诊|门诊楼|门诊部|住院部|病房|部|庙|寺|祠|教堂|陵园|墓园|场|"
    "码头|渡口|机场|体育馆|会所|堤|塘|潭|山|岭|坡|屯|寨|里|宅|基地|"
    # a postal address's parts, and the works of a town: dams, rooms, walls, signs, halls
    "省|市|县|区|镇|乡|街道|道|高速|坝|水库|闸|间|屋|墙|狱|洞|牌|厕|台|层|房|出站口|检票口|"
    "候车厅|航站楼|点|处|碑|条|地铁|轻轨"
)
# Characters that never sit inside a place name but do in a sentence about one.
_ZH_NOT_NAME = "了的着在有没被是不要吗呢啊吧把给让晕倒死掉摔困丢孩娃爸爷他她我你"
# A trade's or a service's place after a word: 烟厂, 爆竹厂, 跳水馆, 血防站, 老人活动中心.
_ZH_TRADE = (
    rf"(?:(?![到进去上下出入{_ZH_NOT_NAME}])[\u4e00-\u9fff]){{0,2}}"
    "(?:厂|站|场|馆|库|店|部|所|院|屋|铺|行|中心|公司|市场|公寓|乐园|之家)"
)
# Words of danger, help or a person anywhere in the text make it more than a place. A
# character that names a trade or a place in some words is danger only outside them:
# 烟厂/烟草 but 冒烟, 爆破/爆竹 but 爆炸, 烧烤/焚烧厂 but 燃烧, 血站/血防站 but 流血, 打靶场 but
# 打架, 跳水馆 but 跳楼, 儿童/那儿 but 儿子, 妈祖 but 妈妈, 奶茶 but 奶奶, 快递 but 快来,
# 老人院 but 老人晕倒. The events themselves (冒烟, 爆炸, 打人, 跳楼) are danger in any name.
_ZH_DANGER = re.compile(
    "起火|失火|火灾|火警|火势|大火|明火|火苗|火光|火花|冒火|走火|火情|纵火|放火|点火|着火|"
    "漏气|漏电|泄漏|泄露|坍塌|倒塌|塌|事故|车祸|溺|淹|落水|触电|中毒|窒息|抢劫|持刀|凶|杀|"
    "救命|救人|求救|呼救|救我|抢救|受伤|伤者|伤人|砍|刺伤|昏|坠|急死|"
    "快来|快点|快救|快叫|赶快|快不行|快跑|很快|"
    "决堤|溃坝|溃堤|垮|崩|短路|"
    "冒烟|浓烟|黑烟|烟雾|烟味|有烟|爆炸|燃烧|烧起|流血|出血|吐血|打架|打人|打起|跳楼|跳河|跳下|"
    rf"(?:宝宝|宝贝|老人|小孩|婴儿)(?!{_ZH_TRADE})|"
    rf"烟(?![草酒花囱台墩袋]|{_ZH_TRADE})|爆(?![破米竹]|{_ZH_TRADE})|"
    rf"烧(?![烤饼鹅腊卖麦]|{_ZH_TRADE})|(?<![献])血(?![液库]|{_ZH_TRADE})|"
    rf"打(?![铁金印鱼卡字铜]|{_ZH_TRADE})|跳(?![伞蚤舞绳]|{_ZH_TRADE})|(?<![托幼那这哪婴])儿(?!童)|"
    "妈(?!祖)|(?<![牛酸])奶(?![茶粉站吧酪])"
)
_ZH_LOCATOR = (
    "旁边|旁|边上|附近|对面|门口|楼下|楼上|里面|里|外面|后面|前面|这边|那边|东门|南门|西门|北门|"
    "正门|后门|侧门|拐角|交叉口|路口|一带|周边|底下|下面|上面|下边|上边|里头|里边|边|这里|那里|"
    "这儿|那儿|隔壁|内|外|下|"
    # sides, corners, directions and where two roads meet ("东南角", "往东", "交汇处")
    "(?:往|向|朝|以)?[东南西北]{1,2}(?:侧|面|角|边|方向|头|段)?|侧|方向|交界处|交界|交汇处|交汇|"
    "和|与|及"  # "人民路与建设路交汇处": two places joined
)
# A name with no place noun is still a place when a locator follows it ("麦当劳门口",
# "肯德基旁边"), unless the name holds a word of danger or help, or a verb of a report
# ("垃圾堆门口", "车堵门口" say what is wrong there).
_ZH_NAME_LOCATOR = "门口|旁边|对面|附近|楼上|楼下|后面|隔壁"
_ZH_NOT_BARE_NAME = "火烟爆炸救命伤杀抢偷漏淹溺电血病晕急堵堆停占坏扔倒吵臭脏挡乱拉摆卖修放满屎尿垃"
# "我在 / 定位： / 【高德地图】 / 分享位置 / 我现在在这里：": who is where, before the place.
_ZH_LEAD = (
    "(?:(?:高德|百度|腾讯|谷歌|苹果)?地图)?(?:分享|共享|发送|发)?(?:了)?(?:我们|我家|我|人)?的?"
    "(?:现在|目前|当前|就|正|家)?(?:住)?(?:在)?(?:这里|这儿)?的?"
    "(?:位置|定位|地址|地点|坐标)?(?:是|在|为|就在)?"
)
_ZH_TAIL = "[啊呀哦哈喔噢哟嘛]"  # a sentence-final particle after the place ("消防站对面啊")
_EN_UNIT_ZH = r"block|blk|building|bldg|tower|flat|unit|room|rm|apt|no\.?|#"
_ZH_NAME_CHAR = rf"(?:(?![{_ZH_NOT_NAME}])[\u4e00-\u9fff])"
_ZH_PIECE = (
    # an alias, and the crossing or stretch of a configured street ("向阳路口")
    rf"(?:{ALIAS_MARK}(?:口|段)?"
    # Latin letters only as a building, flat or road code ("b座", "3-2-401", "k1234+500",
    # "110kv", "23f"), never a word; a distance ("200米", "1234公里")
    rf"|(?:第|负|地下|地上|[甲乙丙丁])?(?:(?:{_EN_UNIT_ZH})?\d+(?:\.\d+)?[a-z]{{0,2}}"
    rf"|(?<![a-z])[a-z](?![a-z])\d*)(?:[-+]\d+[a-z]?)*"
    rf"(?:{_ZH_UNIT}|米|公里|千米)?(?:之[{_CN_NUM}])?"
    # Chinese digits: "十二栋", "第三栋", "负一楼", and a flat read out digit by digit ("五零一")
    rf"|(?:第|负|地下|地上)?[{_CN_NUM}]+(?:{_ZH_UNIT})?"
    rf"|{_ZH_NAME_CHAR}{{0,6}}(?:{_ZH_PLACE_NOUN})"
    rf"|(?:(?![{_ZH_NOT_BARE_NAME}]){_ZH_NAME_CHAR}){{2,6}}(?:{_ZH_NAME_LOCATOR})"
    # "3栋旁边的小卖部": a locator may lead on to the next place
    rf"|(?:{_ZH_LOCATOR})的?)"
)
_ZH_PLACE = re.compile(rf"(?:{_ZH_LEAD})?{_ZH_PIECE}+{_ZH_TAIL}?")

# Places in a town; a name ending in one of these is a place ("Oak Terrace", "Block 7 lobby").
_EN_PLACE_NOUN = (
    r"road|rd|street|st|avenue|ave|lane|ln|way|drive|dr|court|ct|gardens?|tower|towers|"
    r"building|block|estate|village|park|plaza|square|market|station|school|kindergarten|"
    r"hospital|mall|centre|center|gate|entrance|exit|bridge|community|compound|residence|"
    r"apartments?|mansion|villa|bay|garage|basement|lobby|corridor|stairwell|staircase|"
    r"car park|parking lot|crossing|junction|roundabout|grid|office|clinic|bus stop|hall|"
    r"mansions|heights|courts|homes|estates|flats|metro station|subway station|platform|"
    r"shop|store|supermarket|restaurant|cafe|bank|pharmacy|library|stadium|temple|church|"
    r"close|terrace|crescent|grove|walk|alley|row|hill|quay|wharf|pier|boulevard|blvd|"
    r"depot|works|yard|ward|dept|department|hq|headquarters|roof|rooftop|playground|"
    r"footbridge|underpass|overpass|walkway|path|pitch|field|dormitory|dorms?|quarters|"
    r"factory|plant|warehouse|canteen|cemetery|crematorium|mortuary|mosque|museum|"
    # a postal address's parts, a town's works and services, a building's floors
    r"district|county|province|city|town|township|subdistrict|expressway|highway|motorway|"
    r"freeway|terminus|terminal|airport|courtyard|substation|dam|reservoir|pylon|shelter|"
    r"parlou?r|home|magazine|desk|point|range|unit|icu|a ?& ?e|accident (?:&|and) emergency|"
    r"sign|flyover|deck|lifts?|elevators?|floor|fl|storey|gasworks|waterworks|chapel|"
    r"centre|morgue|prison|jail|camp|base|hotel|hostel|hut|tunnel|"
    # pinyin: Cuihu Yuan, Xinji Dasha, Hongmian Lu, Nanluoguxiang Hutong, Dong Men
    r"lu|jie|dajie|dao|xiang|hutong|li|nong|yuan|huayuan|xiaoqu|dasha|cun|xincun|shequ|"
    r"guangchang|gongyuan|lou|qu|zhen|(?:dong|nan|xi|bei) ?men"
)
# A word of danger may sit in a name when the name ends in a street or in a service's place
# ("Fire Station Road", "Emergency Dept entrance", "fire exit", "Blood Bank"), or when a word
# of its own stands between it and any place noun ("Burning Bush Church", "Flame Tree Park",
# "Bleeding Heart Yard"); never before a building's part, code or a bare noun ("smoke block
# 7", "emergency lobby", "smoke b2 car park", "burning church" report a danger there).
_EN_ALARM_WORD = (
    r"fire|fires|smoke|smoky|flames?|emergency|gas|crash|burning|bleeding|blood|dead|death|"
    r"danger|accident|shooting|gun|explosives?|poison|ambulance|police"
)
_EN_ALARM_NOUN = (
    r"road|rd|street|st|avenue|ave|lane|ln|way|drive|dr|court|ct|close|terrace|crescent|"
    r"grove|walk|alley|row|hill|boulevard|blvd|square|station|brigade|depot|"
    r"exit|escape|hydrant|door|dept|department|services|centre|center|ward|entrance|hq|"
    r"headquarters|bank|range|zone|assembly point|point"
)
_EN_UNIT = (
    r"block|blk|blok|building|bldg|tower|flat|unit|room|rm|apt|apartment|floor|level|gate|door|"
    r"entrance|no\.?|number|house|#|exit|line|platform|terminal|route|zone|bay|lot|stop|"
    r"phase|area|section|wing|courtyard|lane|km|mile|pier|hall|car park|stall|shop"
)
# Words that make a sentence, not a name: people, verbs, danger and help.
_EN_NOT_NAME = (
    r"i|i'?m|me|my|we|we'?re|our|us|you|he|she|they|his|her|their|someone|somebody|people|"
    r"man|woman|child|children|kid|kids|baby|son|daughter|mum|mom|dad|is|are|was|were|has|"
    r"have|had|be|been|there|here|it|it'?s|not|no|please|help|call|come|send|quick|now|"
    r"he's|she's|there's|that's|what's|who's|"
    r"burning|smoking|trapped|stuck|collapsed|fell|bleeding|dying|dead|death|hurt|injured|"
    r"missing|lost|leak|leaking|fight|fighting|knife|explosion|exploded|blood|smell|smells|"
    r"flood|flooding|flooded|drowning|drowned|unconscious|fainted|stabbing|stabbed|robbery|"
    r"robbed|attack|attacked|accident|danger|dangerous|urgent|sos|shooting|shot|shots|gun|"
    r"guns|gunfire|gunshots?|shooter|explosives?|poison|poisoned|electrocuted|shocked|crushed|"
    r"choking|screaming|burned|burnt|injury|injuries|wounded|overdose|suicide|jumped|jumping|"
    r"falling|fallen|assault|assaulted|mugged|mugging|threatening|hanging|unresponsive|"
    r"seizure|stroke|crashed|hit|ambulance|police|body|bodies|corpse|hurry|quickly|fast|asap|"
    r"urgently|broken|blocked|damaged|overflowing|noisy|dirty|"
    r"and|or|but|with|of|on|in|at|to|from|for|about|near|by|behind|opposite|outside|"
    rf"{_EN_ALARM_WORD}"
)
_EN_WORD = rf"(?:(?!(?:{_EN_NOT_NAME})\b)[a-z0-9][a-z0-9'&.-]*)"
_EN_HOME = r"block|blk|blok|building|bldg|flat|unit|room|rm|apt|apartment|floor|level|house|car"
_EN_NAME_WORD = (
    rf"(?:(?!(?:{_EN_HOME})\b)(?![a-z]?\d){_EN_WORD}|[a-z]+'s)"  # no home's part, no code
)
_EN_PLAIN_WORD = rf"(?:(?!(?:{_EN_PLACE_NOUN}|{_EN_UNIT})\b)(?![a-z]?\d){_EN_WORD})"
_EN_CODE_TAIL = r"(?: (?:\d+(?:\.\d+)?[a-z]?|[a-z]\d*)\b)?"  # "Road 107", "car park B3"
_EN_ALARMS = rf"(?:(?:{_EN_ALARM_WORD}) )+"
_EN_NAME = (
    rf"(?:(?:{_EN_WORD} ){{0,4}}(?:{_EN_PLACE_NOUN})"
    rf"|{_EN_ALARMS}(?:(?:{_EN_ALARM_WORD}|{_EN_NAME_WORD}) ){{0,3}}(?:{_EN_ALARM_NOUN})"
    rf"|{_EN_ALARMS}(?:{_EN_PLAIN_WORD} ){{1,3}}(?:{_EN_PLACE_NOUN}))"
)
# Distances and directions ("500 m south", "50 m north of"), road codes and kilometre posts
# ("G107", "K1234+500", "km 12"), floor codes ("15/F", "LG/F", "B2").
_EN_DIRECTION = r"(?:north|south|east|west|n|s|e|w)(?:-?(?:east|west))?"
_EN_DISTANCE = rf"\d+(?:\.\d+)? ?(?:m|km|metres?|meters?|miles?|yards?)(?: {_EN_DIRECTION})?"
_EN_PINYIN_GLUED = (
    r"(?<=[a-z]{2})(?:yuan|dasha|xiaoqu|shequ|guangchang|gongyuan|hutong|xiang|jie|cun)"
)
_EN_PINYIN_UNIT = r"hao ?lou|hao|dong|danyuan|ceng|lou|shi|zuo|qi"
_EN_PIECE = (
    rf"(?:{ALIAS_MARK}"
    # a unit's code holds a digit or is one letter ("Tower B"): "blocked" is no block
    rf"|(?:{_EN_UNIT}) ?(?:[a-z]?\d[0-9a-z]{{0,4}}(?:\.\d+)?|[a-z]\b)(?:-[0-9a-z]{{1,5}})*"
    rf"|\d+[a-z]?(?:-\d+[a-z]?)*(?:st|nd|rd|th)?(?: (?:floor|fl))?"
    rf"|\d+ ?(?:{_EN_PINYIN_UNIT})\b|{_EN_DISTANCE}|[a-z]\d{{1,4}}(?:\+\d+)?|(?:\d+|[lu]?g) ?/ ?f"
    rf"|{_EN_NAME}{_EN_CODE_TAIL}|(?:{_EN_WORD} ){{0,3}}{_EN_WORD}{_EN_PINYIN_GLUED}"
    rf"|\d+ {_EN_NAME})"
)
# Where one place sits against another ("opposite the bus stop", "the 7-Eleven near Block 5").
_EN_LOCATOR = (
    r"near|nr\.?|next to|beside|by|opposite|opp\.?|outside|inside|behind|in front of|"
    r"across from|close to|c/o|under|underneath|below|beneath|above|along|past|"
    r"at the back of|round the back of|across the road from|across the street from|"
    r"just outside|right outside|round the corner from|on the corner of|at the end of|"
    r"at the top of|at the bottom of|the other side of|down the road from|just by|"
    rf"(?:{_EN_DISTANCE} )?{_EN_DIRECTION} of|{_EN_DISTANCE} from"
)
_EN_LEAD = (
    r"(?:(?:i'?m|i am|we'?re|we are|i live|we live|i'?m staying|it'?s|"
    r"(?:my |our |the )?(?:current |exact |shared |live )?(?:location|address|position|pin)"
    r"(?: is)?) )?(?:here |over |currently |now |right now )?"
    rf"(?:(?:at|on|in|{_EN_LOCATOR}) )?(?:the )?"
)
_EN_TAIL = r"(?: (?:here|over here|please|pls|plz|thanks|thank you|thx|ty))?"
# A shop or landmark with no place noun is a place after a locator ("outside McDonald's").
_EN_LANDMARK = rf"(?:{_EN_LOCATOR}) (?:the )?{_EN_WORD}(?: {_EN_WORD}){{0,2}}"
# ... or before a locator and a place ("the 7-Eleven near Block 5").
_EN_LANDMARK_AT = rf"(?:the )?{_EN_WORD}(?: {_EN_WORD}){{0,2}} (?:{_EN_LOCATOR}) (?:the )?"
_EN_JOIN = rf"(?:,? (?:(?:and|on|at|in|off|of|{_EN_LOCATOR}) )?|,)(?:the )?"
# A postal address may close on its town and postcode ("…, Nanshan, Shenzhen 518000") once
# two places have been named in it.
_EN_TOWN = rf"(?:, {_EN_WORD}(?: \d{{4,6}})?){{1,2}}"
# "corner of Renmin Road and Jianshe Road": a crossing of two places is a place too.
_EN_PLACE = re.compile(
    rf"(?:{_EN_LEAD}(?:(?:the )?corner of |{_EN_LANDMARK_AT})?{_EN_PIECE}"
    rf"(?:(?:{_EN_JOIN}{_EN_PIECE})+{_EN_TOWN}|(?:{_EN_JOIN}{_EN_PIECE})*)"
    rf"|(?:(?:i'?m|we'?re|it'?s) )?{_EN_LANDMARK}){_EN_TAIL}"
)

# Building and flat codes, which say where but nothing of what ("3栋", "2号楼401", "B座",
# "Block 7", "flat 401", "#05-123"): set aside before the model reads a message, so a place
# typed with a danger ("3栋打架", "help Block 7") is read for the danger, not for the place.
_ZH_CODE = re.compile(
    rf"[第负]?(?:(?:{_EN_UNIT_ZH}) ?\d+[a-z]?|(?<![a-z])[a-z](?![a-z])\d*|\d+[a-z]?|[{_CN_NUM}]+)"
    rf"(?:-\d+[a-z]?)*(?:{_ZH_UNIT})(?: ?\d+(?:室|号)?)?"
)
_EN_CODE = re.compile(
    r"(?<![a-z0-9])(?:(?:block|blk|building|bldg|tower|flat|unit|room|rm|apt|apartment) ?"
    r"(?:[a-z]?\d[0-9a-z]{0,4}|[a-z](?![a-z0-9]))(?:-[0-9a-z]{1,5})*|#\d+(?:-\d+)*)"
)
_LEFT_OVER = re.compile(r"[\w\u3400-\u9fff]")

# A map link (高德, 百度, Google, Apple share a place as one) and a pair of coordinates
# ("22.54, 114.05", "北纬22.54 东经114.05", 22°32'35"N 114°03'28"E) name a place and no more.
_LINK = re.compile(r"(?:https?://|www\.)[!-~]+|[a-z0-9-]+(?:\.[a-z0-9-]+)+/[!-~]*")
_MAP = re.compile(r"^(?:https?://)?[^/]*map|/maps?(?:[/?]|$)")  # a map's host or path
_DEG = r"-?\d{1,3}(?:\.\d+)?°?"
_DMS = r"\d{1,3}°\s?(?:\d{1,2}['′]\s?(?:\d{1,2}(?:\.\d+)?(?:\"|″|′′|'')\s?)?)?[nsew]"
_COORDS = re.compile(
    rf"(?:北纬|南纬|lat(?:itude)?)\s?{_DEG}\s?,?\s?(?:东经|西经|lo?ng?(?:itude)?)\s?{_DEG}"
    rf"|(?<![\d.])-?\d{{1,3}}\.\d{{2,}}\s?,\s?-?\d{{1,3}}\.\d{{2,}}(?![\d.])|{_DMS}\s?,?\s?{_DMS}"
)
# A place noun typed with two letters swapped, or a long one with a letter missing
# ("Raod", "Gardne", "Stret"), is still that noun; a word of danger never becomes one.
_TYPED_NOUNS = re.split(
    " ",
    "road street avenue lane drive court garden gardens block building tower plaza square "
    "station market village estate park centre center school hospital bridge terrace",
)


def _typos(noun: str) -> set[str]:
    swapped = {noun[:i] + noun[i + 1] + noun[i] + noun[i + 2 :] for i in range(len(noun) - 1)}
    missing = {noun[:i] + noun[i + 1 :] for i in range(len(noun))} if len(noun) >= 6 else set()
    return {t for t in swapped | missing if len(t) >= 4} - {noun}


_TYPO = {
    t: n
    for n in _TYPED_NOUNS
    for t in _typos(n)
    if t not in _TYPED_NOUNS and not re.fullmatch(_EN_NOT_NAME, t)
}
_EN_TOKEN = re.compile(r"[a-z]+")
# ... and so is a Chinese one typed by its sound (大夏 for 大厦, 小去 for 小区).
_ZH_TYPO = re.compile("大夏|小去|花圆|公圆|单原|广厂|停车厂")
_ZH_TYPED = {
    "大夏": "大厦",
    "小去": "小区",
    "花圆": "花园",
    "公圆": "公园",
    "单原": "单元",
    "广厂": "广场",
    "停车厂": "停车场",
}

_PUNCT = re.compile(r"[\s,，。.!！?？:：;；、/\\|~～()（）\[\]【】\"'“”‘’-]+")
_SPACES = re.compile(r"[\s]+")
_EN_EDGES = re.compile(r"^[\s,.!?:;]+|[\s,.!?:;]+$")
_EN_BRACKETS = re.compile(r"[\[\]【】()（）:：]")
_CJK = re.compile(r"[\u3400-\u9fff]")
MAX_PLACE_CHARS = 60  # a longer text says more than where (twice as long in Latin letters)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _is_symbol(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] == "S" or category in ("Mn", "Cf")  # emoji, their joiners and marks


def _without_symbols(text: str) -> str:
    """Emoji and other symbols say nothing about where ("急救中心门口👍"); "°" of a
    coordinate stays."""
    return "".join(" " if _is_symbol(c) and c != "°" else c for c in text)


def _mark_links_and_coordinates(folded: str) -> str:
    folded = _LINK.sub(lambda m: f" {ALIAS_MARK} " if _MAP.search(m[0]) else m[0], folded)
    return _COORDS.sub(f" {ALIAS_MARK} ", folded)


def _untypo(english: str) -> str:
    return _EN_TOKEN.sub(lambda m: _TYPO.get(m[0], m[0]), english)


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

    def without_places(self, text: str) -> str:
        """`text` without the city's aliases and building/flat codes, for the model to read;
        `text` itself when nothing was set aside or nothing else is left (a place alone)."""
        folded = _fold(text)
        rest = _EN_CODE.sub(" ", _ZH_CODE.sub(" ", self.mark_aliases(folded)))
        rest = " ".join(rest.replace(ALIAS_MARK, " ").split())
        if rest == folded or not _LEFT_OVER.search(rest):
            return text
        return rest

    def is_place_only(self, text: str) -> bool:
        """True when `text` says where and nothing else."""
        folded = _fold(_without_symbols(text)).translate(TRADITIONAL)
        folded = _mark_links_and_coordinates(folded)
        limit = MAX_PLACE_CHARS if _CJK.search(folded) else 2 * MAX_PLACE_CHARS
        if not folded.strip() or len(folded.strip()) > limit:
            return False
        marked = self.mark_aliases(folded)
        if _CJK.search(marked):
            if _ZH_DANGER.search(marked):
                return False
            chinese = _ZH_TYPO.sub(lambda m: _ZH_TYPED[m[0]], _PUNCT.sub("", marked))
            return _ZH_PLACE.fullmatch(chinese) is not None
        english = _EN_BRACKETS.sub(" ", marked).replace(",", " , ")
        english = _SPACES.sub(" ", _EN_EDGES.sub("", _untypo(english))).strip()
        english = english.replace(" , ", ", ")
        return bool(english) and _EN_PLACE.fullmatch(english) is not None


NO_PLACES = PlaceNames()


def cue_beside_places(text: str, set_aside: Callable[[str], str]) -> str | None:
    """The safety net's cue in `text`, or in `text` with its places set aside (`set_aside`:
    PlaceNames.without_places), so "help Block 7" is the bare "help" it says."""
    text = without_device(text)  # "carbon monoxide detector beeping": the device, not a danger
    return emergency_cue(text) or emergency_cue(set_aside(text))
