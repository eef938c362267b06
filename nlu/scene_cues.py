"""Cues for emergencies told as a scene rather than named (nlu/emergency.md): what the resident
sees or hears, not "着火" or "help".

A glow and burnt curtains with someone banging on the glass; a bang with the cook still
inside; a charging battery spitting sparks by the only door; someone clutching their chest in a
cold sweat; a worker lying on the ground after touching a wire; a whole family sick and dizzy in
a closed room with a heater; a child's screams and the sound of a belt through the wall; a
driver who locked the doors and will not let the passenger out.

Part of the safety net (nlu.safety_net): single phrases here, combinations (every part in the
text, in any order) in SCENE_COMBINATIONS, read by nlu.safety_combinations. The net's vetoes
(a risk, a past event, a drill, fiction, a pet) still apply.
"""

from __future__ import annotations

_ZH_PERSON = r"(人|孩子|小孩|小朋友|老人|男的|女的|他|她|大爷|大妈|阿姨|宝宝|工人|师傅|孕妇)"

ZH_SCENE_CUES = (
    # lying on the ground and not moving or answering: "现在躺在地上不动"
    r"躺在(了)?(地上|那|那里|那儿)\S{0,2}(不动|动不了|起不来|没反应|不说话|不吭声)",
    # a hand on a live wire: "碰到墙里的电线被弹开"
    r"(碰|摸|抓|踩)(到|了|着)\S{0,6}(电线|电闸|插座|电箱|高压线|电缆)\S{0,6}(弹开|被电|倒|不动|晕|麻)",
    # the signs of a heart attack: chest held, cold sweat, a grey face
    r"(捂着|按着|抓着)(胸口|心口)",
    r"胸口(疼|痛|闷)\S{0,10}(冷汗|脸(色)?(发)?白|喘不|倒|坐(在)?地上)",
    # a charging battery sparking or hissing: a fire starting now
    r"(电池|电瓶|电动车|电车|电驴|充电器|充电宝)\S{0,8}(冒火花|火花|嘶嘶|呲呲|滋滋|噼里啪啦|鼓包冒)",
    # someone in the water: "一个小孩…掉水里了"
    _ZH_PERSON + r"[^。！？!?]{0,12}掉(进|到|在)?(了)?(水|河|湖|江|池塘|水塘|水库|海|泳池)里",
    r"(落水|掉水里)(了)?\S{0,4}(人|孩子|小孩|老人)",
    # held against one's will: "不让我下车", "堵在楼道里 不让我走"
    r"(司机|他|她|那人|那个人|男的|女的)\S{0,6}把(车)?门锁(了|上)",
    # burnt to nothing with someone still behind the glass
    r"(拍|砸|敲)(玻璃|窗户|窗子|窗)[^。]{0,12}(烟|火|烧|红光)|(烟|火|烧|红光)[^。]{0,20}(拍|砸|敲)(玻璃|窗户|窗子|窗)",
    # shut in somewhere that kills: a cold store, a container, a shaft
    r"被(锁|关|困)在\S{0,8}(冷库|冰库|冷藏室|冷柜|冰柜|集装箱|地窖|井|罐)里",
    # someone saying nobody would miss them
    r"没人会(想|在乎|记得)(我|他|她)|活着没(意思|意义)|(不想|不愿)(再)?活",
)  # fmt: skip

EN_SCENE_CUES = (
    r"lying (there|on the (ground|floor|road|pavement))( and)? (not |isn'?t |won'?t )"
    r"(moving|talking|responding|speaking|answering|breathing)",
    r"(not|isn'?t|won'?t) (moving|talking|responding) (on|lying on) the (ground|floor)",
    r"(clutching|holding|grabbing) (his|her|their|my) chest",
    r"chest pain.{0,40}(sweat\w*|pale|grey|gray|collapsed|sat down|can'?t breathe)",
    r"(battery|e-?bike|scooter|charger|power bank)\S*.{0,40}(spark\w*|hissing|popping|"
    r"spitting)",
    r"(fell|fallen|went|slipped|jumped) (in|into) the (water|river|lake|pond|canal|sea|pool)",
    r"(driver|he|she|they|the man|a man) (has )?locked (the|all the|his|her) (car |cab |taxi )?"
    r"doors?.{0,40}(won'?t|will not|doesn'?t|does not) (let|stop)",
    r"(nobody|no one|no-one) (will|would|is going to) miss (me|him|her)",
    r"(locked|shut|stuck|trapped) in (a|the|our|my) (walk-in |industrial )?(freezer|cold store|"
    r"cold room|fridge|container|shipping container|shaft|tank)",
    r"\b(he|she|someone|somebody|a (man|woman|kid|child|boy|girl|guy|student)|my \w+|they)"
    r"( is| has| was| just)? (climbed|climbing|standing|sitting|hanging|stood|sat|got)"
    r"( over| on| outside| onto)? the (\w+ )?(rail|railing|parapet|ledge)\b",
)  # fmt: skip

SCENE_COMBINATIONS: tuple[tuple[str, ...], ...] = (
    # a bang, a blast or a glow with someone still inside or coughing
    (r"(爆炸|炸了|一声巨响|嘭的?一声|轰的?一声|巨响|红光|火光)",
     r"(还在里面|没出来|还没出来|在里面拍|里面(还)?有人|呛得|咳嗽|出不去|出不来)"),
    (r"\b(bang|boom|blast|explosion|glow\w*)\b",
     r"\b(still (in|inside) (there|the)|coughing|can'?t get out|trapped|screaming|"
     r"(nobody|no one) came out)\b"),
    # smoke drifting in or a smell of burning plastic, with no way out
    (r"(烟从|烟往|烟飘|烟一直|烧焦|焦糊味|糊味)",
     r"(出不去|出不来|下不去|下不来|跑不出|逃不出|门打不开)"),
    # a shared hallway going grey with a smell of burning, and people shouting or coughing
    (r"\b(burning|burnt|grey|gray|hazy|thick smoke|black smoke|full of smoke)\b",
     r"\b(hallway|stairwell|corridor|stairs|staircase|landing|lobby)\b",
     r"\b(shouting|screaming|coughing|yelling|can'?t (see|breathe))\b"),
    (r"(烧焦|焦味|糊味|浓烟|黑烟|全是烟|烟(很|好|太|越来越)大)",
     r"(楼道|走廊|楼梯)",
     r"(喊|尖叫|咳|呛|看不清)"),
    # a battery spitting sparks by the only way out
    (r"\b(spark\w*|hissing|smok\w*)\b",
     r"\b(only way out|can'?t get (out|past)|blocking (the|my|our) (door|exit|stairs))\b"),
    # someone at a roof's edge getting ready: shoes off, bag put down, staring down
    (r"(楼顶|天台|顶楼|楼边|桥上|桥边|屋顶|阳台边)",
     r"(鞋(也|都)?脱了|脱了鞋|书包放|一直往下看|盯着下面|坐在边上|站在边上|腿伸出去)"),
    (r"\b(roof|rooftop|bridge|ledge|top floor|parapet)\b",
     r"\b(shoes off|took off (his|her|their) shoes|staring down|looking down for|"
     r"legs (hanging|dangling) over|sitting on the edge)\b"),
    # a whole household sick and dizzy with a heater, a stove or the windows shut: carbon monoxide
    (r"(一家|全家|家里人|我们|孩子们|一家三口|一家人)\S{0,6}(都)?\S{0,4}(想吐|头晕|头疼|头痛|头胀|恶心|吐了|犯困|没力气)",
     r"(怪味|味道|煤气|燃气|炉子|煤炉|炭火|烤火|热水器|暖气炉|窗(户)?(一直|都)?关)"),
    (r"\b(dizzy|drowsy|sleepy|headaches?|nause\w*|vomit\w*|throwing up|feel(ing)? drunk|"
     r"acting (weird|strange)|confused)\b",
     r"\b(kids|children|family|everyone|all of us|we all|both of us|my (wife|husband))\b",
     r"\b(boiler|heater|stove|gas|charcoal|generator|brazier|windows? (closed|shut)|"
     r"windows (were |are )?(all )?(closed|shut))\b"),
    # a lift stopped with someone vulnerable in it
    (r"(电梯|升降梯)", r"(停了|停住|卡住|卡在|不动|停在|坏在)",
     r"里(面|头)?(还)?有(个|一个|两个|几个)?\S{0,4}(人|孕妇|老人|孩子|小孩|宝宝|女的|男的|阿姨|大爷)"),
    # an elderly person out for hours and not back or making no sense
    (r"(老人|老太太|老爷子|奶奶|爷爷|外婆|外公|姥姥|姥爷|老伴|我妈|我爸|[89]\d岁|九十|八十)",
     r"(出门|出去|走了|离开)[^。]{0,10}(个)?(小时|钟头)",
     r"(没回|还没|不在了|去找|糊涂|联系不上|打不通|关机|说胡话)"),
    # a child taken out hours ago and nobody can be reached
    (r"\b(kids?|child|toddler|baby|son|daughter|\d+ ?(yo|year old|yr old))\b",
     r"\b(hours? ago|since (this )?(morning|noon|lunch))\b",
     r"\b(phones? (are |is )?(off|dead|switched off)|not answering|no answer|can'?t reach|"
     r"unreachable|goes? (straight )?to voicemail)\b"),
    # a child taken away by someone the family did not send
    (r"(孩子|小孩|女儿|儿子|宝宝|闺女|孙子|孙女)[^。]{0,24}被(人|陌生人|一个\S{0,6})(接走|带走|抱走|领走)",
     r"(谁都没|没(有)?人去|不是我们|不认识|不知道是谁|没让|没叫|没托)"),
    (r"\b(kids?|child|son|daughter|toddler|boy|girl)\b.{0,60}"
     r"\b(picked up|taken|collected|led away)\b"
     r".{0,25}\bby (someone|somebody|a stranger|a (man|woman)|an adult)\b",
     r"\b(we didn'?t|nobody|no one|not us|don'?t know (who|him|her)|didn'?t send|"
     r"never (sent|asked))\b"),
    # a baby or child crying for hours with no adult, then silence or nobody opening
    (r"(宝宝|婴儿|小孩|孩子|娃)",
     r"(哭了?\S{0,4}(一整夜|一夜|一晚上|好几个小时|几个小时|一天)|哭声(一直)?没停|喊妈妈喊了|哭声变成|"
     r"一直(哭|喊)[^。]{0,6}(几个|好几个)(小时|钟头))",
     r"(没声了|没有大人|大人\S{0,6}(不在|出门|没回|的声音都没有)|敲门(也|都)?不开|没人(开门|应)|"
     r"没人拿|行李箱)"),
    # someone frail alone in a flat gone freezing or sweltering, not answering properly
    (r"(独居|老人|老太太|老爷子|大爷|大妈|奶奶|爷爷|瘫|卧床)",
     r"(停暖|没暖气|零下|冻得|空调坏|四十(来)?度|热得|屋里很热|屋里好热|中暑)",
     r"(敲门(也|都)?不开|不(怎么|太)?(应|理人)|哼|呻吟|说话含糊|口齿不清|满身汗|起不来|没反应)"),
    # a child on the rails with a train coming
    (r"(孩子|小孩|小朋友|娃|学生|kids?|children|child|boy|girl|teen\w*)",
     r"(铁轨|铁路|轨道|道口|rail(way)?s?|tracks|level crossing)",
     r"(火车|列车|动车|\btrain\b)"),
    # a confused elder in traffic
    (r"\b(elderly|old (man|woman|lady|guy)|grand\w+|walking frame|zimmer|walker|dementia)\b",
     r"\b(road|lanes?|traffic|junction|motorway|highway)\b",
     r"\b(doesn'?t know where|confused|lost|swerv\w*|honk\w*|disoriented)\b"),
    # screams through a wall with the sound of blows
    (r"(惨叫|哭喊|尖叫|哭着喊|哭叫|叫得)",
     r"(皮带|抽的声音|打的声音|棍子|啪啪|抽打|打孩子|打人|摔东西)"),
    # held against one's will: "他不让我走 还一直推我", "把车门锁了 不让我下车"
    (r"不让(我|她|他|我们)(走|下车|出去|离开|出门|下去)",
     r"(推|拽|抓|锁|堵|拉着|拦|拖|往\S{0,4}开|跟着)"),
    (r"\b(won'?t|will not|doesn'?t|does not) let (me|us|her|him) (go|leave|out|off|get out)\b",
     r"\b(push\w*|grab\w*|lock\w*|block\w*|hold\w*|drag\w*|pull\w*|driv\w*|corner\w*)\b"),
)  # fmt: skip
