"""A small, high-precision emergency lexicon under both NLU backends.

A statistical model trained on a few hundred emergencies still misses some
phrasings, and a missed fire costs far more than a needless "call 119"
(DESIGN.md: no question comes before the numbers). Each cue names danger
happening *now*: fire, smoke, someone not breathing or unconscious, gas
leaking, people trapped or buried, drowning, electrocution, violence, a child
fallen, a call for an ambulance. A veto (a risk that has not happened yet, a
past event, a negation, a drill) turns the cue off, so "差点着火" and "not
leaking" stay `report_safety_hazard`.

Cues come from how emergencies are phrased, not from evaluation lines; cross-validation on
the training data (`griddesk nlu cv`) measures them. Every backend's prediction applies them.
"""

from __future__ import annotations

import re

from nlu.dependant_cues import EN_DEPENDANT_CUES, ZH_DEPENDANT_CUES
from nlu.negations import without_negated_clauses
from nlu.no_danger import about_a_pet, not_happening_now, past_and_done, settled_at
from nlu.potential_harm import only_potential
from nlu.repairs import SMOKE_SOURCE
from nlu.safety_combinations import CHILD_CUE, HABIT, HARM, combined_cue
from nlu.scene_cues import EN_SCENE_CUES, ZH_SCENE_CUES
from nlu.violence_cues import EN_VIOLENCE_CUES, ZH_VIOLENCE_CUES

# One regex alternation per language, matched on lowercased text. A cue that is also
# ordinary speech needs its subject or context ("人…不动了", not "电梯不动了").
_ZH_CUES = (
    # fire and smoke
    r"(?<!打不)(?<!点不)(?<!打)着火", r"起火", r"起大火", r"失火", r"烧起来", r"火很大",
    r"火越来越大", r"火光",
    r"冒火(?!花|星)", r"火往上", r"冒烟了", r"冒大烟", r"冒黑烟", r"黑烟", r"浓烟",
    r"全是烟(?!头|蒂)",
    r"烟好大", r"烟味.{0,6}警报", r"火场", r"打119", r"🔥",
    # breathing, consciousness, heart, stroke, fits
    r"没有呼吸", r"没呼吸", r"不呼吸", r"停止呼吸",
    # a person, not gas, a gas bottle or a tyre: "燃气没气了", "车胎没气了"
    r"(?<!燃气)(?<!煤气)(?<!然气)(?<!化气)(?<!罐)(?<!瓶)(?<!胎)(?<!球)(?<!是不是)没气了",
    r"没心跳", r"喘不过气",
    r"喘不上气", r"晕倒", r"昏倒", r"昏迷", r"晕过去", r"昏过去", r"晕在", r"叫不醒",
    r"不省人事", r"倒地", r"倒下了", r"(人|老人|大爷|大妈|他|她)倒在",
    # unresponsive, collapsed all at once, the signs of a stroke
    r"(叫|喊)(她|他|人|老人)?(也|都)?(不应|不(怎么|太)(应|理人)|没(有)?(反应|回应)|只(会)?哼哼)",
    r"突然(倒(了|下|地)|栽倒|瘫(倒|在))", r"嘴角(在)?流口水|口角流涎|口眼歪斜",
    r"(人|老人|他|她|奶奶|爷爷|妈|爸)\S{0,2}(躺|倒)在[^。，,]{0,6}地上",
    # a farewell note: "朋友圈发了像遗书一样的东西"
    r"遗书|绝笔",
    r"(人|他|她|老人)\S{0,2}躺在地上", r"(人|他|她|老人|孩子)\S{0,4}不动了", r"一动不动",
    r"没反应了", r"心脏病发作", r"中风了", r"突然说不出话", r"(?<!后)半边身子", r"抽搐", r"抽筋了",
    r"口吐白沫", r"噎住", r"卡住喉咙", r"抽风", r"翻白眼",
    # gas and explosions
    r"(煤气|燃气|天然气|液化气)(?!费|公司|卡|账单|表).{0,16}"
    r"(头(好|很)?晕|头(好|很)?(疼|痛)|恶心|想吐|吐了|呕吐|晕倒|昏)",
    r"(?<![臭腥骚霉馊酸])味[^。！？!?]{0,16}(头(好|很)?晕|头(好|很)?(疼|痛)|恶心|想吐|吐了|呕吐|晕倒|昏|"
    r"腿软|站不稳|胸闷|喘不上气)",
    # a pipe or valve hissing: "地下车库那块管道嘶嘶的 一大股臭味"
    r"(管道|管子|煤气|燃气|阀门|灶|表)\S{0,4}(嘶嘶|呲呲|滋滋|咝咝)",
    r"(嘶嘶|呲呲|咝咝)[^。]{0,12}(味|晕|恶心)",
    r"(煤气|燃气|天然气|液化气)(管|罐|瓶)?.{0,6}(漏|泄|爆|喷|炸)",
    r"(煤气|燃气|天然气|液化气)味\S{0,3}(很|特别|非常|好|太|超|越来越)?(大|浓|重|冲)",
    r"((好|很|特别|非常|超|太)(大|浓|重|冲)|一大股)的?(煤气|燃气|天然气|液化气)味",
    r"满(屋|屋子|楼道|楼)\S{0,3}(都是)?(煤气|燃气|天然气)", r"漏气了", r"正在漏", r"爆炸",
    r"一氧化碳", r"煤气中毒", r"电(瓶|池)\S{0,6}(爆|炸|起火|着火|冒烟)",
    r"(电动车|电瓶车|电车|充电宝)\S{0,6}(烧了|烧起来|着了|炸了|爆了|起火|着火|冒烟)",
    # trapped, collapse, flood, drowning, earthquake
    r"被困", r"困人了", r"电梯关(了)?人", r"困(在)?电梯",
    r"困在火", r"被关在(电梯|里面)", r"压在下面", r"被压(住|在)",
    r"压到了(人|路过)", r"把\S{0,8}压(在)?(底下|下面|下边|住了)",
    r"压着(一个|个|两个|几个)?(人|老人|孩子|小孩|行人|路人|工人)",
    r"门缝\S{0,4}(冒|有|出|往外)\S{0,2}烟",
    r"被埋", r"埋在", r"底下有(人|工人)", r"砸到(了)?(我|人|他|她)",
    r"倒塌", r"电梯.{0,6}(下坠|往下掉)", r"溺水", r"跳河", r"被(水|洪水)?冲(走|了)",
    r"往家里灌", r"往屋里涌", r"漫进屋", r"冲进一楼", r"水已经到", r"水淹到", r"水涨得",
    r"水还在涨", r"全淹了", r"(人|孩子|小孩|老人|小朋友)\S{0,4}掉进", r"地震了",
    # electricity
    r"触电", r"被电到", r"被电了", r"被电打", r"被打倒",
    # violence and self-harm
    r"持刀", r"拿刀", r"拿着刀", r"砍人", r"捅了", r"行凶", r"抢劫", r"劫持", r"绑架",
    r"绑了一个", r"救命", r"救救", r"呼救", r"殴打", r"斗殴", r"持械", r"追我", r"在打我",
    r"(在|有人)打人", r"撬.{0,4}锁", r"要点火", r"跳楼(?!价|大甩卖|甩卖|清仓)", r"要跳(楼|河|下去)",
    r"自杀", r"割腕", r"喝药", r"(喝|吃|吞|服|误食)(了)?\S{0,4}(安眠药|农药|老鼠药|敌敌畏|百草枯)",
    r"不想活",
    # missing people: a child, a confused elderly person
    r"(孩子|小孩|儿子|女儿|老人|妈|爸|奶奶|爷爷|外婆|外公|姥姥|姥爷|老伴|宝宝|娃|老爷子|老太太)[^。！!？?]{0,20}"
    r"(走丢|走失|失踪|跑丢|弄丢|搞丢|看丢|跟丢)",
    r"(?<!不是)(孩子|小孩|儿子|女儿|老人|宝宝|娃|闺女)(给|被)?丢了",
    r"(走丢|走失|失踪|跑丢)了?\S{0,3}(孩子|小孩|老人|人)",
    r"(孩子|小孩|小朋友|儿子|女儿|老人|妈|爸|奶奶|爷爷|外婆|外公|姥姥|姥爷|老伴|"
    r"宝宝|娃)\S{0,4}不见了",
    r"找不到(了)?(我)?(家)?(的)?(孩子|小孩|儿子|女儿|老人|妈|爸|奶奶|爷爷|"
    r"外婆|外公|姥姥|姥爷|老伴|宝宝|娃)", r"(孩子|小孩|儿子|女儿|老人|妈|爸|奶奶|爷爷|外婆|外公|"
    r"姥姥|姥爷|老伴|娃|伢|孙子|孙女|外孙)\S{0,12}(一直|还|都)?没(有)?回(来|家)",
    r"放(了)?学.{0,10}没(有)?回",
    r"(痴呆|糊涂).{0,20}(出去|出门|跑|没回|找不到)",
    *ZH_DEPENDANT_CUES,
    r"要杀(了)?(我|人|他|她|你)", r"(人|工人)\S{0,4}(挂|吊|悬)在脚手架",
    # someone fallen into a hole, or hurt now: "一个骑车的掉进去了，腿好像断了"
    r"(骑车的|骑电动车的|路人|行人|有人|一个人)\S{0,4}掉(进|到|下)",
    r"(他|她|人|孩子|小孩|老人|骑车的)\S{0,4}(腿|胳膊|手臂|骨头)\S{0,4}(断了|骨折了|折了)",
    r"摔(倒|了|下来)[^，,。.!！?？]{0,12}起不来",
    r"(躺|掉|困|卡)在\S{0,6}(坑|井|沟|洞|缝)(里)?\S{0,4}(出不来|起不来|上不来)",
    # over a bridge's or a roof's railing: about to fall or jump
    r"(人|他|她|孩子|小孩|老人|男的|女的)\S{0,4}(跨|翻|爬)(过|出|到)(了)?\S{0,2}(栏杆|护栏|围栏)"
    r"(?!\S{0,6}(过马路|横穿|穿马路|抄近))",
    *ZH_VIOLENCE_CUES,
    *ZH_SCENE_CUES,
    # falls, injuries, accidents, ambulance
    r"(孩子|小孩|小朋友|宝宝|儿子|女儿|老人|工人|人)[^\s，,。.!！?？；;]{0,6}(掉下|摔下|坠|滚下)",
    r"坠楼",
    r"摔得起不来", r"流了好多血", r"满地血", r"全是血", r"血止不住", r"见血", r"(在|一直)流血",
    r"躺.{0,4}流血", r"(人|他|她|孩子|小孩|老人|我)\S{0,2}被车撞", r"车祸", r"撞了好几个人",
    r"卡在车里", r"被蛇咬", r"咬得很深", r"(叫|要|需要|打)救护车", r"(打|叫|拨)120",
    # first aid called for, not a skill or a kit ("我会急救", "急救和开车", "急救箱")
    r"(叫|打|喊|等|需要|要|快|送|正在|在做|做|赶紧|抢救|施救)\S{0,2}"
    r"急救(?!站|中心|车道|通道|知识|培训|课|包|箱|电话|证|法|方法|技能|常识|演示|器材|药箱|措施)",
    r"急救(车|人员|医生)(?!道|通道)",
    r"快来人", r"快叫人",
    # a danger word alone or with only a place ("5栋火灾": places are set aside, nlu.places)
    r"^(火灾|大火|冒烟了?|有烟|浓烟|爆炸了|打架了?|打人了?|砍人|(有人)?跳楼|坠楼|流血了?|救人啊?|"
    r"快来(啊|人啊)?|出事了|出人命了)[!！。.啊]*$",
    # a call for help with only a place: hurry, rescue, the numbers' services
    r"^(快|赶紧|赶快|快点|马上)(过)?来(人)?(啊|呀|救人)?[!！。.]*$",
    r"^(求救|求助|紧急|急救|救火|救命啊)[!！。.]*$", r"有人(受伤|受了伤|流血|出血|被砍|被捅)",
    r"^(快|赶紧|赶快|快点|帮我|帮忙|请)?(叫|打|报)?(救护车|消防车|警察|报警|警|110|119|120)(啊|快|吧)?[!！。.]*$",
    r"火灾(?!隐患|险|报警器|保险|预防|演练|逃生|知识|自救)", r"电梯\S{0,4}(坠落|掉下去|掉下来)",
    r"(楼道|楼梯间?|走廊|屋里|家里|楼里|房间|电梯里|厨房|地下室|车库|楼上|楼下)\S{0,2}"
    r"(有烟|在冒烟|全是烟|好多烟|烟(很|好|特别)大)(?!味|头|蒂|花|囱)",
    r"(楼下|门口|楼道|路口|街上|外面|楼上|院子里?|小区里|广场上?)\S{0,2}(有人)?(打人|打架|砍人|捅人)",
)  # fmt: skip

_EN_CUES = (
    # fire and smoke
    r"on fire(?! station)", r"caught fire", r"ablaze", r"catching fire",
    # someone pinned under a fallen thing; smoke from under a door is a fire behind it
    r"(someone|somebody|a (man|woman|person|kid|child|boy|girl)|people|he|she)('s| is| are)? "
    r"(stuck|trapped|pinned|caught|lying) under",
    r"smoke (coming )?(from |out )?(under|through|from) (the |my |her |his |their |our |a )?"
    r"(neighbou?r'?s? )?(front )?(door|flat|apartment)",
    # someone being resuscitated
    r"pumping (his|her|their) chest", r"chest compressions on", r"(doing|giving|started) cpr",
    r"(is|it'?s|still|are) burning",
    r"burning (building|house|flat|car|bus)", r"flames?",
    r"fire(?! (extinguisher|exit|escape|door|lane|alarm|hydrant|risk|hazard|engine|station|"
    r"hose|safety|brigade|detector|inspection|drill|truck|department|box|proof|passage|pump|water|pot|sale|service|"
    r"route|access|code|certificate))\b",
    r"smoke (is )?(coming|pouring|everywhere)", r"(black|thick) smoke", r"full of smoke", r"🔥",
    # breathing, consciousness, heart, stroke, fits
    r"not breathing", r"isn'?t breathing", r"stopped breathing", r"can'?t breathe",
    r"no pulse", r"unconsc?ious", r"unconcious", r"unresponsive", r"passed out", r"fainted",
    r"knocked out", r"won'?t wake", r"not waking", r"isn'?t waking", r"not (moving|responding)",
    r"slumped (over|on|against|in)", r"no reaction when", r"not reacting",
    r"(lost|losing|lose) consciousness",
    r"(pram|stroller|buggy|pushchair).{0,20}(rolled|rolling) (into|onto|down)",
    r"dogs? (is |are )?(biting|attacking|mauling)",
    r"heart attack", r"having a stroke", r"speech is slurred", r"seizure", r"having a fit",
    r"convuls\w*", r"choking", r"turning blue", r"lips blue",
    r"(someone|he|she|man|woman|lady|dad|mum|mom|grand\w+|father|mother|husband|wife|son|"
    r"daughter|kid|child|baby|guy|person|people|neighbou?r) (just )?collapsed",
    # gas and explosions
    # (fainting is a symptom; a faint smell is none)
    r"(gas|smell|odou?r).{0,60}(dizzy|vomit\w*|throwing up|faint(ed|ing)|feel\w* faint|"
    r"headache|nause\w*|hissing|went down|collapsed|passed out|head\S* (is )?(hurt|pound|ach)\w*)",
    r"(co|carbon monoxide|gas) (alarm|detector).{0,60}(dizzy|vomit\w*|throwing up|faint(ed|ing)|"
    r"feel\w* faint|headache|nause\w*|head\S* (is )?(hurt|pound|ach)\w*)",
    r"gas (is )?leak(ing)?", r"leaking gas", r"smells? (of )?gas", r"gas smell",
    r"gas pipe (burst|broke)", r"explo(sion|ded)", r"battery (exploded|blew up|caught fire|burst)",
    r"carbon monoxide",
    r"(took|drank|drunk|swallowed|ate|eaten) (some |the |a bottle of )?(poison|pesticide|pills|"
    r"rat poison)",
    # trapped, collapse, flood, drowning, earthquake
    r"trapped", r"stuck in (the |a )?(lift|elevator)", r"stuck between floors", r"buried",
    r"under (the )?rubble", r"(building|wall|roof|ceiling|balcony|scaffolding)\w* (has |just )?"
    r"(collapsed|came down|fell on)", r"collapsed (on|onto)",
    r"drowning(?! in (debt|costs?|bills|work|paperwork|problems|admin))", r"swept away",
    r"washed away", r"jumped into", r"water(?:'s| is)? (up to|pouring|coming into|rising)",
    r"flash flood", r"flooding (fast|now)", r"earthquake",
    r"(kid|child|son|daughter|man|woman|someone|person|grandma|grandpa|dad|mum|mom|boy|girl|"
    r"baby|toddler|worker|rider|he|she) fell", r"fell (in|into) the",
    # missing people
    r"(son|daughter|child|kid|boy|girl|mum|mom|mother|dad|father|grand\w+|husband|wife|toddler|"
    r"baby)\S* (is |has gone |went |has been |gone )?missing",
    r"missing (child|kid|boy|girl|toddler)",
    r"wandered (off|away|out)", r"can'?t find my (son|daughter|child|kid|mum|mom|mother|dad|father|"
    r"grand\w+|husband|wife|baby|boy|girl|toddler)",
    r"lost my (son|daughter|child|kid|toddler|boy|girl|grand\w+|\d+ ?(year|yr)s? old|"
    r"\d+ ?yo\b)(?!'s|’s)",
    r"(forgotten|left|locked) (alone )?(in|on) (a|the) (school )?bus", r"machete",
    r"locked in for days",
    r"can'?t find (him|her) anywhere", r"(can'?t|cannot|nobody can|no one can) find (him|her)\b",
    r"(kid|child|son|daughter|boy|girl|toddler)\w* (is |has been |was )?gone\b",
    r"(son|daughter|child|kid|boy|girl)\b.{0,90}\b(never (came|arrived|showed up|turned up)|"
    r"(he|she) was gone)\b",
    r"chasing (people|someone|kids|children|us|me)\b",
    r"(could|might|about to|going to) (fall|collapse)( off| down)? (any|at any) "
    r"(second|moment|minute)",
    r"(threaten\w*|said|says|saying) (he'?ll|she'?ll|to) kill",
    r"kill (me|us|him|her)\b", r"(over|on|past|outside) the (railing|parapet)",
    r"throwing (bottles|bricks|stones|rocks|chairs) at", r"stuck on (the|their) roofs?",
    r"burning (and|with) (people|kids|children|someone)",
    r"(fight\w*|wrestl\w*|attack\w*|swinging).{0,30}(wrench|hammer|axe|machete|crowbar|iron bar)",
    r"(son|daughter|child|kid|boy|girl|mum|mom|mother|dad|father|grand\w+|husband|wife)\b.{0,30}"
    r"(has not|hasn'?t|never|didn'?t|did not|not) (come|came|got|gotten|returned)( back| home)",
    *EN_DEPENDANT_CUES,
    *EN_VIOLENCE_CUES,
    *EN_SCENE_CUES,
    r"(threatening|going|wants?) to jump", r"(standing|sitting) on the (edge|ledge|railing|roof)",
    # electricity
    r"electrocuted", r"got (a |an electric )?shock",
    r"(stuck to|touch\w*|grabb\w*|holding|stepped on|fell on|hit by) (a |an |the )?"
    r"(live|exposed|bare) wire", r"power line \w+ (fell|on)",
    # violence and self-harm
    r"(with|holding|has|had|got|waving) a knife", r"knife (fight|attack)", r"stabb\w*",
    r"attacking", r"hostage", r"robbery", r"breaking into", r"being beaten",
    r"beating (his|her|my|a|someone)", r"hitting me", r"dragging a (kid|child)", r"kidnap\w*",
    r"screaming for help", r"fighting with (weapons|sticks|knives)",
    r"threatening to (jump|set)", r"jump(ing)? off", r"(say|said|saying) (he|she)'?ll jump",
    r"overdose", r"sleeping pills", r"don'?t want to live", r"cut (his|her|my) wrists?",
    # injuries, accidents, ambulance, plain alarm
    r"bleeding", r"lots of blood", r"in blood", r"hit by a car", r"car crash",
    r"hit several people", r"(got|was|been|being) run over", r"bitten by a snake",
    r"snake bit", r"fell.{0,40}can'?t get up", r"(call|need|send|get) (an |the )?ambulance",
    r"call (119|120|110)", r"\bsos\b", r"help help", r"^help\b[ !]*$", r"help!",
    r"someone is dying",
    # a danger word alone or with only a place ("help Block 7", "Block 7 fire")
    r"^(help( me| us)?|emergency|fire|smoke|burning|explosion|fight|stabbing|bleeding|"
    r"urgent help|please help)[ !.]*$", r"\w+ (is |are )?burning[ !.]*$",
    r"^(please )?(hurry( up)?|come (quick|quickly|now|fast|asap)|quick(ly)?|urgent|asap|"
    r"ambulance|call (the )?(police|ambulance|fire brigade)|police|send (help|someone))[ !.,]*$",
    r"smoke (in|from|filling) (the |our |my )?(stairwell|stairs|corridor|hallway|flat|lift|"
    r"building|kitchen|basement|room|house)",
    r"(man|someone|guy|person|woman) with (a )?(knife|gun)",
    r"^(a |big )?(fight|brawl|fighting|stabbing)( going on| now)? (outside|at|in|near|behind|by)\b",
)  # fmt: skip

# A risk not yet real, a past event, a negation, a drill, a figure of speech, a question
# about a service: the message is a report or a question, not a call for help now.
_ZH_VETOES = (
    r"差点", r"险些", r"万一", r"要是", r"如果", r"真着火", r"怕", r"担心", r"迟早", r"隐患",
    r"会不会", r"容易", r"还没(有)?(着火|起火|出事|漏|塌|倒|伤|烧|爆|冒烟)", r"没人受伤",
    r"没伤到", r"没砸到", r"还好", r"演习",
    r"演练", r"培训", r"证明", r"补贴", r"咨询", r"怎么办理", r"申请", r"快塌", r"要塌", r"认证",
    r"年审", r"(着火|起火|失火|火灾|地震|漏气|被困|困住|走丢|走失)的话", r"车祸(没了|走了|去世)",
    r"没住人", r"没人住", r"里面是空的", r"车里没(有)?人(?!管|应|理|看)", r"没有人在里面",
    r"一角", r"食物中毒", r"后偏瘫", r"瘫了", r"照顾(?!(他|她|老人|孩子)?的)", r"护理", r"保险",
    r"就完了", r"就晚了",
    r"进不来", r"疫苗", r"志愿", r"报名", r"防火", r"消防检查", r"鉴定",
    r"(家暴|被打|打架|打群架)(以后|之后)",
    r"(狗|猫|宠物|鹦鹉)\S{0,3}(走丢|走失|丢了|不见|被困|掉|卡)", r"差一点", r"症状", r"想了解",
    r"应该(怎么|先|往)",
    r"(着火|起火|火灾|失火|爆炸|冒烟)(以后|之后)",
    r"烧没了(?![^。]{0,16}(有人|人还|在里面|拍|喊|叫|救))",
    r"该往", r"提前了解", r"先问问",
    r"讲座", r"建议(加|装|安装|设|增加|在|物业|社区)",
    r"知识", r"的时候(该|应该|要)", r"问问而已", r"只是问问", r"随便问问", r"想学",
    # prevention gear and campaigns name the danger they prevent: 防走失手环, 防溺水宣传
    r"(防|预防)(走失|走丢|丢失|溺水|拐|摔|坠落|触电|中毒|煤气|燃气|诈骗)",
    # a wish, not a blow: "恨不得揍他一顿"
    r"恨不得", r"真想(把|打|揍|掐|踢|扇)",
)  # fmt: skip
_EN_VETOES = (
    # "almost caught fire" is a near miss; "almost two hours" is a time
    r"(almost|nearly)(?! (two|three|four|five|six|\d+|an?|half|all|every|no|dark|midnight)\b)",
    r"if (there'?s|there is|a|one|it|fire)", r"in case", r"risk", r"hazard",
    r"(could|might)(?! (fall|go|collapse)( off| down)? (any|at any) (second|moment|minute))",
    r"would(?! miss)", r"worried", r"afraid", r"scared of", r"what happens",
    r"what if", r"nobody (hurt|trapped)", r"no one (hurt|trapped)",
    # a figure of speech: "trapped in a boring meeting all day"
    r"(trapped|stuck) in (a |the |this |another )?(\w+ )?(meeting|traffic|queue|class|lecture|job)",
    r"should (you|one)\b",
    r"should (i|we) (call|report|use|go|take|have|get|know|worry|be)\b",
    r"just asking", r"any good", r"after (the |a |that |last \w+'?s? )?(\w+ )?fire",
    r"lost (their|his|her|our|my) (home|house|flat)",
    r"signs of", r"symptoms", r"what are the", r"inspection",
    r"(dog|cat|puppy|kitten|parrot|pet)s? (is |has gone |went )?missing",
    r"drill", r"training", r"before it happens", r"one day", r"eventually", r"certificate",
    r"subsidy", r"insurance", r"how (do|can) i", r"food poisoning", r"volunteer",
    r"sign (me )?up", r"vaccin\w*", r"need a nurse", r"fired", r"advice (about|on)",
    r"asking for a friend",
    r"(cat|kitten|dog|puppy|bird|parrot|pigeon|rabbit|hamster|tortoise|pet)s? (is |was |has |"
    r"got |just )?(locked|climbed|shut|left|slipped|wandered|ran)",
    r"(cat|kitten|dog|puppy|bird|parrot|pigeon)s? (is |are |got |has |just )?(trapped|stuck|fell|"
    r"fallen|lying)", r"stray (dog|cat)", r"waiting to happen", r"(death|fire) ?traps?",
    r"if (the )?gas (is |was |ever )?(leak|smell)\w*",
)  # fmt: skip

# A gas smell or slight leak alone that has lingered for days (or is faint) is an urgent hazard
# report, not an emergency.
_GAS_SMELL_ONLY = re.compile(
    r"(煤气|燃气|天然气|液化气)味|smells? (of )?gas|gas smell|"
    r"(煤气|燃气|天然气|液化气)(管|罐|瓶)?[^爆炸喷]{0,6}(漏|泄)|漏气了|gas (is )?leak(ing)?"
)
_GAS_SMELL_ANY = re.compile(
    r"(煤气|燃气|天然气|液化气)味|smell.{0,20}gas|gas.{0,20}smell|whiff of gas"
)
_CHRONIC = re.compile(
    r"好几天|几天了|这几天|两天了|三天了|一直有|有点|淡淡|隐约|偶尔|时不时|"
    r"for (days|weeks|two days|2 days|three days|a few days|several days|a while|some time)|"
    r"faint (gas|smell|whiff|odou?r)|slight (gas|smell|whiff|odou?r)|a bit of|on and off|"
    r"now and then|sometimes|(it'?s|is|very|quite|only|just) faint|probably nothing"
)

# Vetoes that belong to one topic: a barbecue's or a chimney's smoke says nothing about a
# fight, and a noise complaint says nothing about a fire. A fire or smoke cue is turned off by
# _SMOKE_SOURCE; the old bare "打" cues (正在打: 打孔, 打墙) by _NOISE. A weapon, blows or blood
# (nlu.violence_cues) are never a noise.
_FIRE_CUE = re.compile(r"火|烟|烧|炸|爆|🔥|fire|smok|burn|flame|blaze|explo")
_NOISE = re.compile(r"吵死|太吵|好吵|噪音")
# "救命啊 物业又停水三天了": a cry of exasperation over a nuisance, not a call for help.
_NUISANCE = re.compile(r"停水|停电|断网|没网|快递|物业费|作业|加班|堵车|外卖|网速")
_EXASPERATION = re.compile(r"\s*(救命|救救)")
_NOISY_CUE = re.compile(r"^(正在打|(在|正在)打\S*)$")

# A child at a height or by water (nlu.dependant_cues): under a habit, the risk report.
_DEPENDANT = re.compile("|".join((*ZH_DEPENDANT_CUES, *EN_DEPENDANT_CUES)))
_CJK = re.compile(r"[\u3400-\u9fff]")
_ZH_CUE = re.compile("|".join(_ZH_CUES))
_ZH_VETO = re.compile("|".join(_ZH_VETOES))
_EN_CUE = re.compile(r"(?<![a-z])(?:" + "|".join(_EN_CUES) + r")")
_EN_VETO = re.compile(r"(?<![a-z])(?:" + "|".join(_EN_VETOES) + r")(?![a-z])")


def _cues(lowered: str, chinese: bool) -> list[str]:
    found = [
        m.group(0)
        for m in (_ZH_CUE.finditer(lowered) if chinese else ())
        if not only_potential(lowered, m.start(), m.end())  # "随时可能掉下来砸到人"
    ]
    found += [m.group(0) for m in _EN_CUE.finditer(lowered)]
    combined = combined_cue(lowered)
    return found + ([combined] if combined else [])


def _start(lowered: str, cue: str) -> int:
    """Where a cue begins; a combination ("孩子+一个人+河边") where its last part does."""
    return max(lowered.find(part) for part in cue.split("+"))


def emergency_cue(text: str) -> str | None:
    """The cue that marks `text` as an emergency now, or None (no cue, or vetoed).

    A veto anywhere (a risk, a past event, a drill, "nobody hurt") turns every cue
    off; clauses that deny a danger ("没有着火") are set aside before the cues.
    """
    whole = text.lower()
    if _ZH_VETO.search(whole) or _EN_VETO.search(whole) or not_happening_now(text):
        return None
    if past_and_done(whole) or about_a_pet(text):  # a pet and nobody else: "小猫被关在车里了"
        return None
    lowered = without_negated_clauses(text).lower()
    cues = _cues(lowered, _CJK.search(lowered) is not None)
    if not cues:
        return None  # most texts: none of the vetoes below need reading
    chronic = _CHRONIC.search(lowered) is not None
    habit = HABIT.search(lowered) is not None
    settled = settled_at(lowered)
    smoke_source = SMOKE_SOURCE.search(lowered) is not None
    noise = _NOISE.search(lowered) is not None
    for cue in cues:
        if settled is not None and _start(lowered, cue) < settled:
            continue  # told, then settled: "走丢的那个孩子已经找到了"
        if (smoke_source and _FIRE_CUE.search(cue)) or (noise and _NOISY_CUE.match(cue)):
            continue  # "楼下烧烤烟好大", "楼上正在打孔 噪音太大"
        if cue in ("救命", "救救") and _EXASPERATION.match(lowered) and _NUISANCE.search(lowered):
            continue  # "救命啊 物业又停水三天了"
        if chronic and _GAS_SMELL_ONLY.fullmatch(cue):
            continue  # a lingering faint smell: the hazard report the model gives
        about_a_child = CHILD_CUE.search(cue) or (
            _DEPENDANT.fullmatch(cue) and CHILD_CUE.search(lowered)
        )
        if habit and about_a_child and not HARM.search(cue):
            continue  # "kids play alone by the pond every day": a risk, not danger now
        return cue
    return None


def lingering_smell(text: str) -> bool:
    """A gas smell that has lingered for days, or is faint, with no symptom or other cue:
    an urgent hazard report (a worker comes today), not danger to life now."""
    lowered = text.lower()
    return (
        _GAS_SMELL_ANY.search(lowered) is not None
        and _CHRONIC.search(lowered) is not None
        and emergency_cue(text) is None
    )
