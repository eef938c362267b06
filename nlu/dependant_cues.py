"""Cues for a child or dependant left in danger now (nlu/emergency.md, dependant_in_danger):
shut in a car or a machine, out on a ledge or at a high edge, alone by deep water or on a road,
a door closing on them, a baby crying alone for hours, someone bedridden with nobody coming.

Part of the safety net's lexicon (nlu.safety_net), kept apart because it is the category that
grows most: each wording names both the dependant and the danger, so a habit or a pet alone
does not match (the safety net's vetoes still apply).
"""

from __future__ import annotations

ZH_DEPENDANT_CUES = (
    # swallowed or drunk something that poisons or burns: a pod, a button battery, magnets
    r"(孩子|小孩|宝宝|娃|儿子|女儿|幼儿|婴儿)[^。]{0,10}(吞|咽|吃|喝|咬破|舔)(了|下|进)?[^。]{0,30}"
    r"(洗衣凝珠|凝珠|洗衣球|洗衣液|纽扣电池|电池|磁力珠|磁珠|磁铁|硬币|消毒液|84|清洁剂|漂白|洁厕|农药|"
    r"老鼠药|不知道什么|一把药|好几(颗|片|粒)|半瓶|药水)",
    r"(孩子|小孩|宝宝|娃|儿子|女儿|幼儿|婴儿)[^。]{0,4}把[^。]{0,12}(洗衣凝珠|凝珠|洗衣球|纽扣电池|电池|磁力珠|"
    r"磁珠|磁铁|硬币|消毒液|清洁剂|药)[^。]{0,8}(吃|喝|吞|咽|舔)(了|下去)",
    # a cord round a neck, a face gone purple
    r"(绳|带子|拉绳|线|围巾|塑料袋)[^。]{0,6}(绕|勒|缠|套|蒙)(在|住|到)?[^。]{0,4}(脖子|头|脸)",
    r"(脸|嘴唇|嘴)(还是|都|已经|有点)?(发)?(紫|青)(了|的)",
    # a newborn found in a box or by the bins; a toddler walked onto a road; children on rails
    r"(纸箱|箱子|垃圾(桶|房|堆|站)|草丛|楼道)[^。]{0,8}(有个|有一个)?(新生儿|婴儿|小婴儿|宝宝)(?!车|床|用品|服|推车|座椅)",
    r"(宝宝|小孩|孩子|娃|幼儿|婴儿)[^。]{0,12}(走|跑|爬|溜|滑|冲|晃)(到|上|进)(了)?\S{0,6}(路|马路|公路|车道)(上|中间)?",
    # labour with nobody to help; someone moaning behind a door nobody opens
    r"羊水(已经)?破了|破水了|要生了[^。]{0,12}(一个人|就她一个|没人|电梯\S{0,2}坏)",
    r"敲门(也|都)?不开[^。]{0,16}(哼|呻吟|喊|哭|拍)|(哼|呻吟)[^。]{0,12}敲门(也|都)?不开",
    r"(锁|关|困|闷|留)在车(里|内)", r"车(里|内)\S{0,6}(孩子|小孩|宝宝|娃|婴儿)",
    r"(孩子|小孩|宝宝|娃|一个人|老人|工人)\S{0,8}(空调外机|窗台外|窗外|窗户外|阳台外|阳台栏杆|"
    r"窗台上|楼顶边|防盗网(上|外))",
    r"(爬|站|坐)(到|在)?\S{0,4}(窗台|窗户|阳台|楼顶|天台|栏杆)(外|边|上)",
    r"(有人|孩子|小孩|工人|师傅|一个人).{0,12}(挂|吊)在(半空|外面|脚手架|窗外|窗户外|窗台外|阳台外|空中)",
    r"(锁|关)(在)?(屋|家|房间)里.{0,10}(好几天|几天|[两三四五\d]天|没人|没吃|没力气)",
    r"(宝宝|婴儿|孩子|小孩)\S{0,8}一个人在家\S{0,10}(哭|几个小时)", r"哭了(好)?几个(小时|钟头)",
    r"弃婴", r"婴儿车.{0,10}(滑|冲|溜)(到|进|下)", r"狗\S{0,4}(在)?(咬|扑)(人|孩子|小孩|老人)",
    r"(婴儿|宝宝|小孩|孩子)[^\s的]{0,6}(被)?(扔|丢|遗弃|放)在.{0,10}(路边|垃圾|门口|纸箱|箱子|草丛|"
    r"后门|楼道|桥下)", r"脐带还",
    r"(宝宝|小孩|孩子|娃|幼儿|婴儿).{0,12}(马路|公路|路中间|车道|大路)(上|中间|边)?\S{0,2}"
    r"(爬|走|乱跑|玩|坐)",
    r"轮椅.{0,10}(往|滑向|滑到|冲向|滑进).{0,6}(水|河|湖|马路|坡)",
    r"(手|胳膊|腿|脚|头|手指)\S{0,4}(卡|夹)(在|进)(了)?\S{0,2}(扶梯|电梯|门缝|机器|缝)",
    r"(小孩|孩子|娃|宝宝)\S{0,8}(一个人)?在(河|湖|池塘|水塘|水池|泳池|江|水库|基坑|深坑|施工坑|大坑|井)边",
    # a door or machine closing on someone: "电动门夹住一个小孩", "电梯门把小孩的胳膊夹住了"
    r"(门|闸|电梯|扶梯|机器)\S{0,4}(夹住|夹着|卡住|压住)(了)?\S{0,5}(孩子|小孩|小朋友|人|老人|宝宝|手|胳膊|腿|头)",
    r"把\S{0,3}(孩子|小孩|人|老人|宝宝)\S{0,3}(的)?(手|胳膊|腿|脚|头|身子)?(夹住|卡住|压住)",
    # a child at a high place's edge, or on the outside of a window: place first
    r"(空调外机|空调架|空调支架|窗台外|窗外|窗户外|阳台外|楼顶边|楼边|天台边|防盗网外)\S{0,3}(上)?\S{0,2}"
    r"(有)?(个|一个)?(孩子|小孩|宝宝|娃|人|老人)",
    r"(顶楼|楼顶|天台|屋顶)\S{0,10}(站|坐|蹲|趴|退|探)\S{0,2}(在)?(边上|边缘|边沿|楼边|外面)",
    r"哭了一(上午|下午|晚上|整天|天|夜)", r"从(早上|昨晚|昨天|中午|上午)\S{0,6}哭到(现在|现在还)",
    # a child inside a fridge, a washing machine, a wardrobe or a car boot
    r"(孩子|小孩|娃|宝宝|儿子|女儿|老二|老三)\S{0,8}(钻|躲|爬|关|困|卡|锁)(进|在)(了)?\S{0,4}"
    r"(冰箱|洗衣机|衣柜|柜子|箱子|滚筒|后备箱)",
)  # fmt: skip

EN_DEPENDANT_CUES = (
    r"(swallowed|swallow|ate|eaten|drank|drunk|bit into|chewed|licked)\b.{0,25}\b(magnets?|"
    r"magnet balls|batter(y|ies)|button cells?|detergent|laundry pods?|dishwasher (pods?|tablets?)|"
    r"bleach|coins?|cleaner|washing liquid|something from)",
    r"(cord|rope|string|strap|scarf|blind cord|plastic bag)\b.{0,20}\b(around|round|over) (his|her|"
    r"the baby'?s|the child'?s|their|the kid'?s) (neck|head|face)",
    r"waters? (broke|have broken|has broken|just broke)",
    r"(kids?|children|child|boy|girl)\b.{0,30}\bon the ice\b.{0,40}\b(crack\w*|broke|breaking|"
    r"thin|gave way)",
    r"(words|speech|voice) (are|is|was|were) slurred|slurring (her|his) words",
    r"can'?t feel (her|his|my|their) (hands|feet|legs|fingers)",
    r"(locked|left|stuck|shut) in (a|the|his|her|their|my|our) (hot )?car",
    r"(baby|child|kid|toddler|boy|girl|son|daughter).{0,30}(alone|locked) in (a|the|\w+) car",
    r"(child|children|kids?|boys?|girls?|toddlers?|baby|son|daughter|someone|man|woman|person|"
    r"worker|grand\w+)\b.{0,40}(window ?(ledge|sill)|\bledge\b|air[- ]?con\w* (unit|bracket|box)|"
    r"balcony (railing|rail|edge)|(roof|rooftop) edge|edge of the (roof|rooftop|building|balcony))",
    r"(someone|man|woman|person|worker|builder|cleaner|painter|child|kid|boy|girl|he|she) (is )?"
    r"(hanging|dangling) (from|off)",
    r"dangling from", r"(climbed|climbing) out (of )?the window",
    r"(baby|toddler|infant).{0,30}(crying|screaming).{0,30}(hours|alone|nonstop|non-stop|all (day|"
    r"night|morning)|since (this )?(morning|last night|yesterday))",
    r"(abandoned|dumped) (a |an |the )?(baby|newborn|infant)",
    r"found (a|an) (newborn|baby|infant)\b(?! (kitten|puppy|cat|dog|bird|chick|rabbit|animal)s?)",
    r"(toddler|baby|kid|child|little one)\w* (is |are )?(crawling|wandering|walking|toddling|"
    r"playing|sitting|standing|lying) (on|in|along|into|across) (the |a )?(road|street|highway|"
    r"traffic|lane|(train |railway |rail )?tracks|railway( line)?|rails)",
    r"(arm|hand|leg|foot|finger|head)s? (is |are |got |has been )?(caught|stuck|trapped) in "
    r"(the|an|a) (escalator|lift|elevator|door|machine|gap|railing)",
    r"wheelchair.{0,30}(roll|slid|slipp)\w* (toward|towards|into|down)",
    r"(baby|newborn|infant) (in|inside) a (cardboard |plastic |paper )?(box|bag|bin)",
    r"(baby|newborn|infant).{0,20}(abandoned|dumped|left) (in|by|on|at|outside|next to) "
    r"(a |an |the )?(box|bins?|street|road|doorstep|bushes|rubbish)",
    r"(toddler|child|kid|baby|boy|girl).{0,30}(alone|by (him|her)self).{0,30}(pond|river|lake|"
    r"pool|canal|water)", r"(toddler|baby).{0,20}(near|by|next to) (the |a )?(deep )?(pond|river|"
    r"lake|pool|canal|water)",
    # the ledge first, the child after: "the AC box outside 902 has a kid crouched on it"
    r"(window ?(ledge|sill)|\bledge\b|air[- ]?con\w* (unit|bracket|box)|"
    r"\ba/?c (unit|box|bracket)|balcony (railing|rail|edge)|(roof|rooftop) edge)\b.{0,40}"
    r"\b(kid|child|toddler|boy|girl|baby)\b",
    r"\b(kid|child|toddler|boy|girl|baby)\b.{0,40}\ba/?c (unit|box|bracket)",
    r"(kid|child|toddler|boy|girl|baby)\w* (climbed|crawled|hid|hiding|stuck|locked|shut) "
    r"(in|into|inside) (a|an|the|their) ?(old )?(fridge|freezer|washing machine|wardrobe|chest|"
    r"trunk|car boot)",
)  # fmt: skip
