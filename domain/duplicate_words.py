"""The words residents use for the same thing, in both languages, for duplicate matching.

Two residents rarely word one problem alike: "3栋门口路灯坏了", "3号楼门口的路灯不亮了",
"the street light outside Block 3 is out". Each surface form maps to one concept id, in
three kinds: what is wrong with *what* (the object: a street light, a lift, rubbish), *how*
(broken, blocked, leaking) and *where* inside the grid (an entrance, a stairwell). Building
numbers ("3栋", "3号楼", "Block 3") are read separately. The table is small on purpose:
the objects of the shipped case types, not a dictionary.
"""

from __future__ import annotations

# concept id -> surface forms (lowercase; Chinese and English). Longer forms win.
WHAT: dict[str, tuple[str, ...]] = {
    "streetlight": ("路灯", "街灯", "灯杆", "street light", "streetlight", "street lamp",
                    "lamp post", "lamppost", "road light"),
    "corridor_light": ("楼道灯", "走廊灯", "声控灯", "感应灯", "楼梯灯", "corridor light",
                       "stairwell light", "hallway light", "landing light", "stair light"),
    "light": ("灯", "light", "lamp", "bulb"),
    "lift": ("电梯", "升降梯", "lift", "elevator"),
    "rubbish": ("垃圾", "垃圾桶", "垃圾箱", "垃圾站", "建筑垃圾", "rubbish", "garbage", "trash",
                "litter", "bins", "bin", "waste"),
    "manhole": ("井盖", "窨井", "manhole", "drain cover", "sewer cover"),
    "drain": ("下水道", "排水沟", "下水", "地漏", "drain", "drains", "sewer", "sewage", "gutter"),
    "water_pipe": ("水管", "自来水管", "水龙头", "消防栓", "water pipe", "pipe", "tap", "hydrant",
                   "water main"),
    "road": ("路面", "马路", "人行道", "路", "road", "pavement", "sidewalk", "footpath", "street"),
    "pothole": ("坑", "坑洼", "大坑", "pothole", "hole"),
    "tree": ("树", "树枝", "树木", "大树", "tree", "trees", "branch", "branches"),
    "grass": ("草坪", "绿化带", "草", "花坛", "grass", "lawn", "hedge", "flower bed", "green belt"),
    "car": ("汽车", "轿车", "小车", "车辆", "货车", "卡车", "面包车", "车", "car", "cars", "van",
            "truck", "lorry", "vehicle"),
    "ebike": ("电动车", "电瓶车", "摩托车", "自行车", "共享单车", "e-bike", "ebike", "scooter",
              "motorbike", "bicycle", "bike", "bikes"),
    "noise": ("噪音", "噪声", "吵", "吵闹", "音响", "广场舞", "noise", "noisy", "loud", "music",
              "karaoke"),
    "smell": ("臭", "臭味", "异味", "味道", "smell", "stink", "stinks", "stench", "odour", "odor"),
    "dog": ("狗", "流浪狗", "野狗", "dog", "dogs", "stray"),
    "cat": ("猫", "流浪猫", "cat", "cats"),
    "rats": ("老鼠", "蟑螂", "rats", "rat", "mice", "cockroaches", "pests"),
    "stall": ("摊", "摆摊", "小贩", "地摊", "占道经营", "stall", "stalls", "hawker", "hawkers",
              "vendor", "vendors"),
    "flyers": ("小广告", "广告", "传单", "涂鸦", "flyers", "posters", "ads", "graffiti"),
    "construction": ("施工", "装修", "工地", "电钻", "搭建", "违建", "加盖", "construction",
                     "renovation", "drilling", "building work", "extension", "shed"),
    "wall": ("外墙", "墙", "墙皮", "瓷砖", "wall", "tiles", "facade"),
    "door": ("单元门", "门禁", "防盗门", "门", "door", "gate lock", "intercom", "access door"),
    "fence": ("护栏", "栏杆", "围栏", "fence", "railing", "railings", "barrier"),
    "bench": ("长椅", "椅子", "健身器材", "bench", "seat", "gym equipment", "swing", "slide"),
    "sign": ("路牌", "指示牌", "站牌", "标志", "红绿灯", "信号灯", "sign", "signpost",
             "traffic light", "traffic lights"),
    "bus_stop": ("公交站", "站台", "bus stop", "bus shelter"),
    "water": ("积水", "水", "water", "puddle", "flood", "flooding"),
    "power": ("停电", "电线", "电箱", "配电", "power", "electricity", "wire", "wires", "cable"),
    "elderly": ("老人", "独居老人", "老太太", "老大爷", "elderly", "old man", "old woman",
                "old lady", "pensioner"),
    "smoke": ("油烟", "烟", "smoke", "fumes"),
    "parking_space": ("车位", "停车位", "消防通道", "parking space", "fire lane", "parking spot"),
}  # fmt: skip

HOW: dict[str, tuple[str, ...]] = {
    "broken": ("坏了", "坏掉", "坏", "不亮", "灭了", "不工作", "故障", "损坏", "失灵", "不能用",
               "用不了", "不转", "停了", "broken", "broke", "not working", "doesn't work",
               "does not work", "isn't working", "out of order", "dead", "is out", "went out",
               "stopped working", "faulty", "damaged", "not on", "won't turn on", "dark"),
    "missing": ("丢了", "不见了", "没了", "被偷", "missing", "gone", "stolen"),
    "blocked": ("堵", "堵住", "堵塞", "挡住", "占用", "占了", "blocked", "blocking", "clogged",
                "obstructed", "across"),
    "leaking": ("漏", "漏水", "渗水", "冒水", "爆了", "leak", "leaking", "leaks", "burst",
                "dripping", "spraying"),
    "overflowing": ("满了", "堆满", "溢出", "没人收", "没人清", "堆", "overflowing", "piling up",
                    "piled", "full", "not collected", "uncollected"),
    "dirty": ("脏", "乱", "脏乱", "吐痰", "尿", "dirty", "filthy", "mess", "messy", "peed",
              "spit"),
    "too_bright": ("太亮", "刺眼", "照得", "too bright", "glare", "blinding"),
    "fallen": ("倒了", "倒在", "断了", "掉下", "歪了", "fallen", "fell", "down", "snapped",
               "leaning", "collapsed"),
    "parked": ("乱停", "停", "违停", "parked", "parking"),
    "night": ("晚上", "半夜", "夜里", "凌晨", "at night", "night", "midnight", "late"),
}  # fmt: skip

WHERE: dict[str, tuple[str, ...]] = {
    "entrance": ("门口", "大门", "入口", "出口", "门前", "entrance", "gate", "front door",
                 "outside", "entry"),
    "corridor": ("楼道", "走廊", "楼梯间", "楼梯", "过道", "corridor", "stairwell", "stairs",
                 "hallway", "landing", "staircase"),
    "basement": ("地下室", "地下车库", "车库", "basement", "underground car park", "garage"),
    "car_park": ("停车场", "car park", "parking lot"),
    "playground": ("游乐场", "儿童乐园", "广场", "playground", "square", "plaza"),
    "rooftop": ("楼顶", "天台", "屋顶", "rooftop", "roof"),
    "market": ("市场", "菜市场", "market"),
    "school": ("学校", "小学", "幼儿园", "school", "kindergarten"),
    "park": ("公园", "park"),
}  # fmt: skip

# A general word and the specific ones it may stand for: "灯" may be the street light.
RELATED: dict[str, tuple[str, ...]] = {
    "light": ("streetlight", "corridor_light"),
}

# "3栋", "3号楼", "3幢", "3座", "Block 3", "building 3", "bldg 3", "tower 3", "no. 3 building"
ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9, "十": 10}  # fmt: skip
