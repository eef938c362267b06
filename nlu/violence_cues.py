"""Cues for violence happening now (nlu/emergency.md, violence_in_progress): someone beaten,
a fight with weapons, domestic violence, a robbery or an abduction in progress.

Part of the safety net's lexicon (nlu.safety_net), kept apart like the dependant cues. A fight
rarely says "emergency": it says who is hitting whom with what ("拿钢管砸人", "按在地上打",
"hitting each other with bottles"), or what it has done ("头都磕出血了", "someone is down").
An argument alone ("吵起来了") is no cue; the safety net's vetoes still apply.
"""

from __future__ import annotations

# Things people hit each other with.
_ZH_WEAPON = (
    r"(刀|菜刀|水果刀|剪刀|钢管|铁管|铁棍|木棍|棍子|棒子|棒球棍|砖头|砖|石头|锤子|榔头|铁锹|秤砣|"
    r"擀面杖|酒瓶|瓶子|椅子|凳子|皮带|狗链子?|铁链|电棍|扳手|斧头|灭火器|方向盘锁|锁|弩|枪|弹弓)"
)
_EN_WEAPON = (
    r"(knife|knives|machete|bats?|pipes?|metal pipes?|iron bars?|sticks?|clubs?|bottles?|bricks?|"
    r"hammers?|belt( buckle)?|chairs?|shovel|wrench|axe|crowbar|dog lead|lead|scissors|"
    r"(fire )?extinguisher|steering lock|golf club|cleaver|chopper|chains?|crossbow|guns?|rifle|"
    r"rods?)"
)
# People a blow lands on ("hitting my dad", "beating an old man").
_EN_PERSON = (
    r"(wife|husband|kid|child|son|daughter|girlfriend|boyfriend|mother|mum|mom|dad|father|grandma|"
    r"grandpa|grandmother|grandfather|neighbou?r|brother|sister|parents?|man|woman|girl|boy|"
    r"driver|guard|rider|worker|teacher|student|tenant|landlord|people|person|lady|guy|kids|"
    r"children)s?\b"
)
_ZH_HIT = r"(砸|打|抽|敲|拍|砍|捅|刺|追|削|抡|挥|扎)"

ZH_VIOLENCE_CUES = (
    # domestic violence now, not a question or a campaign about it ("反家暴宣传", "遇到家暴")
    r"(?<!反)(?<!遇到)家暴(?!\S{0,2}(的话|宣传|资料|讲座|热线|知识|法|咨询|援助|求助))",
    r"打老婆", r"打媳妇", r"往死里打",
    # blows, not work: "正在打地基", "正在打电话" are none
    r"正在打(?=$|[\s，,。!！?？]|人|架|起来|老婆|媳妇|孩子|小孩|老人|他|她|我|一个)",
    r"(在|正在)抢",
    r"(在|正在)打(一个|人|学生|小孩|孩子|老人|女的|男的)", r"被(人)?打了",
    r"打起来了.{0,10}(刀|棍|血|砖)",
    # a weapon in use: "拿着钢管在砸人", "用擀面杖削他媳妇", "抡着锤子在砸门" (not a floor
    # knocked on against the neighbours' noise: "拿棍子捅天花板")
    r"(拿|抄|抡|举|挥|握|用)(着|起)?\S{0,4}" + _ZH_WEAPON + r"\S{0,6}" + _ZH_HIT
    + r"(?!\S{0,3}(天花板|墙|地板|楼板|管道|桌子|暖气|水管))",
    _ZH_WEAPON + r"\S{0,2}(互砸|对打|互殴|乱挥|乱砍)",
    # a body under blows: "按在地上打", "推倒了还在踹", "揪着头发往地上拽"
    r"按(在)?(地上)?(打|踢|揍)|按在地上", r"推倒\S{0,6}(还在)?(踢|踹|打)",
    r"还在(踢|踹|揍|扇|砸人)", r"手里\S{0,4}(刀|水果刀|菜刀|砍刀|剪刀|钢管|铁棍)",
    r"揪着\S{0,6}头发", r"往地上(拽|摔|拖)", r"被拖在地上",
    r"(扇|抽)\S{0,3}(耳光|巴掌|嘴巴)|一巴掌一巴掌", r"(扇|揍|踹|踢|削)(了)?(他|她|人|老人|我|孩子)",
    r"被\S{0,4}(揍|踹|扇)", r"在揍",
    r"掐(着|住)?\S{0,3}(脖子|喉咙)|(在|正在)掐(着|住)?(他|她)?\S{0,3}(老婆|媳妇|老公|孩子|人|老人|妈|女的)",
    r"(喊|叫|哭|求)\S{0,8}(别打了|不要打了|别打我|不要打我|饶命)",
    r"(用|拿)?(弩|枪|气枪|猎枪|弹弓)\S{0,8}(射|打|对着)\S{0,4}(人|我们|孩子|行人)",
    r"劫持|人质|挟持",
    # someone breaking in, or in, with people home: "有人在翻我家抽屉", "那人还在外头骂着要进来"
    r"(陌生人|小偷|贼|有人|男的|歹徒|那人)\S{0,8}(翻|撬|闯|冲|爬|溜)(进)?(我家|我们家|家里|屋里|屋子|进来|进屋|抽屉)",
    r"入室(抢劫|抢)",
    r"(还在|在)\S{0,6}(外头|外面|门外|门口)\S{0,6}(砸门|踹门|撞门|撬门|要进来|要冲进来)",
    r"(骂|喊|吼|叫)着要(进来|冲进来|闯进来|打人|杀人|砍人)",
    # many on one, or both sides armed
    r"互殴|互砸|对打|群殴|打群架|打群价|围殴|围着打|(三|四|五|几|好几)\S{0,2}(个)?(人)?打一个",
    # what the blows have done
    r"头(都)?(破了|磕出血|出血|流血|被打破)|头破血流|脸上(全|都)是血|(地上|草坪上|身上)有血",
    r"(刺|捅|砍|打)伤了", r"放狗(咬|追)", r"砸车打人|打人砸车|见人就(打|砍)",
    r"(在家|在屋里)?(乱)?砸东西.{0,12}(哭|喊|躲|吓得)",  # a rage at home with someone in it
    r"(说|扬言|喊着)要(放火|烧死|烧了|杀了|砍死|砍了|弄死)",  # a threat now, not a habit
    # an abduction or a robbery under way
    r"(拖|拽|塞)(上|进)\S{0,3}(车|面包车|车里)",
    r"抢\S{0,8}(项链|金链|包|手机|钱包)\S{0,10}(拖|拽|推|倒)",
)  # fmt: skip

EN_VIOLENCE_CUES = (
    # domestic violence now, not help or a campaign about it ("help for domestic violence")
    r"(?<!help for )(?<!help with )(?<!about )(?<!report )(?<!against )(?<!of )domestic violence"
    r"(?! (hotline|helpline|support|services?|awareness|campaign|leaflets?|posters?|talk))",
    r"(beating|hitting|punching|kicking|strangling) (his|her|my|the|a) "
    r"(wife|husband|kid|child|son|daughter|girlfriend|boyfriend|mother|mum|mom)",
    r"being (hit|attacked|robbed|mugged)", r"mugg(ed|ing)",
    r"(fight|fighting|brawl).{0,20}(knife|knives|bats?|sticks|weapons|machete|bottles?)",
    # a weapon in use
    r"(hitting|beating|whipping|attacking|going for|swinging|waving|brawling|fighting|fight)\b"
    r".{0,30}\bwith (a |an |the |his |her |their |metal )?" + _EN_WEAPON,
    r"(swinging|waving|brandishing) (a|an|the|his|her) (\w+ )?" + _EN_WEAPON,
    r"(hitting|slapping|punching|kicking|beating) (each other|people|someone|him|her|them|the old|"
    r"an old|a man|a woman|the man|the woman)",
    r"slamming (his|her|a|the) \w+ against", r"set (his|her|their|the) dogs? on",
    r"(hit|hits|beat|beats) (his|her|my) (mother|mum|mom|wife|dad|father|husband|kid|child)",
    r"(hitting|beating|punching|kicking|attacking|strangling|choking|stabbing) "
    r"(my|his|her|the|a|an|our|their|some|this|that) (\w+ )?" + _EN_PERSON,
    r"with (a|an|the|his|her|their) (\w+ )?" + _EN_WEAPON + r"\b.{0,30}(hitting|beating|attacking|"
    r"swinging|going for)",
    r"blood.{0,60}(still|are|keep|keeps) (still )?(fighting|hitting|beating)|"
    r"(still|are) fighting.{0,40}blood",
    r"(shooting|firing|aiming) .{0,30}at (people|someone|us|kids|children|residents|passers-?by)",
    r"barricaded|hostage|(knife|blade) (to|against) (his|her|their|my|someone'?s) (throat|neck)",
    r"(says?|said|saying|threaten\w*|shouting|screaming)( that)?( he| she| they)?"
    r"('ll| will|'s going to| is going to| are going to)? ?(to )?(hurt|kill|stab|burn|shoot) "
    r"(them|him|her|us|me|everyone|the kids|his|her|people)",
    # someone breaking in, or in, with people home
    r"(someone|somebody|a man|a guy|stranger|intruder|burglar|thief|people|they)( is| are|'s|'re)?"
    r" (breaking|broke|trying to (get|break|force)( their| his)?( way)?) (in|into)",
    r"(someone|somebody|a man|a guy|stranger|intruder|burglar)( is|'s)? (in|inside) (my|our|the) "
    r"(house|flat|home|apartment|room)",
    r"going for (people|someone|him|her)('?s)?", r"brawling",
    r"(smashing|breaking|throwing) (everything|things|stuff|furniture|plates|the place)"
    r".{0,40}(crying|screaming|scared|hiding)",
    # what the blows have done
    r"blood (on|all over) (his|her|their) (face|head)", r"(head|face) (is )?(broken|bleeding|"
    r"split open)", r"someone is down",
)  # fmt: skip
