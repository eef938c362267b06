"""A small, high-precision emergency lexicon under both NLU backends.

A statistical model trained on a few hundred emergencies still misses some
phrasings, and a missed fire costs far more than a needless "call 119"
(DESIGN.md: no question comes before the numbers). Each cue names danger
happening *now*: fire, smoke, someone not breathing or unconscious, gas
leaking, people trapped or buried, drowning, electrocution, violence, a child
fallen, a call for an ambulance. A veto (a risk that has not happened yet, a
past event, a negation, a drill) turns the cue off, so "差点着火" and "not
leaking" stay `report_safety_hazard`.

The cues were written from how emergencies are phrased, not from any
evaluation line; their precision and recall are measured by cross-validation
on the training data (`griddesk nlu cv`). `prediction_from_ranking` applies
the net for every backend.
"""

from __future__ import annotations

import re

# One regex alternation per language, matched on lowercased text. A cue that is also
# ordinary speech needs its subject or context ("人…不动了", not "电梯不动了").
_ZH_CUES = (
    # fire and smoke
    r"着火", r"起火", r"起大火", r"失火", r"烧起来", r"火很大", r"火越来越大", r"火光",
    r"冒火", r"火往上", r"冒烟了", r"冒大烟", r"冒黑烟", r"黑烟", r"浓烟", r"全是烟(?!头|蒂)",
    r"烟好大", r"烟味.{0,6}警报", r"火场", r"打119", r"🔥",
    # breathing, consciousness, heart, stroke, fits
    r"没有呼吸", r"没呼吸", r"不呼吸", r"停止呼吸", r"没气了", r"没心跳", r"喘不过气",
    r"喘不上气", r"晕倒", r"昏倒", r"昏迷", r"晕过去", r"昏过去", r"晕在", r"叫不醒",
    r"不省人事", r"倒地", r"倒下了", r"(人|老人|大爷|大妈|他|她)倒在",
    r"(人|他|她|老人)\S{0,2}躺在地上", r"(人|他|她|老人|孩子)\S{0,4}不动了", r"一动不动",
    r"没反应了", r"心脏病发作", r"中风了", r"突然说不出话", r"半边身子", r"抽搐", r"抽筋了",
    r"口吐白沫", r"噎住", r"卡住喉咙",
    # gas and explosions
    r"(煤气|燃气|天然气|液化气)(管)?.{0,6}(漏|泄|爆|喷)", r"(煤气|燃气|天然气|液化气)味",
    r"(煤气|燃气|天然气|味)\S{0,8}头(好)?晕", r"漏气了", r"正在漏", r"爆炸", r"一氧化碳",
    r"煤气中毒",
    # trapped, collapse, flood, drowning, earthquake
    r"被困", r"困人了", r"困在火", r"被关在(电梯|里面)", r"压在下面", r"被压(住|在)",
    r"压到了(人|路过)", r"被埋", r"埋在", r"底下有(人|工人)", r"砸到(了)?(我|人|他|她)",
    r"倒塌", r"电梯.{0,6}(下坠|往下掉)", r"溺水", r"跳河", r"被(水|洪水)?冲(走|了)",
    r"往家里灌", r"往屋里涌", r"漫进屋", r"冲进一楼", r"水已经到", r"水淹到", r"水涨得",
    r"水还在涨", r"全淹了", r"(人|孩子|小孩|老人|小朋友)\S{0,4}掉进", r"地震了",
    # electricity
    r"触电", r"被电到", r"被电了", r"被电打", r"被打倒",
    # violence and self-harm
    r"持刀", r"拿刀", r"拿着刀", r"砍人", r"捅了", r"行凶", r"抢劫", r"劫持", r"绑架",
    r"绑了一个", r"救命", r"救救", r"呼救", r"殴打", r"斗殴", r"持械", r"追我", r"在打我",
    r"(在|有人)打人", r"撬.{0,4}锁", r"要点火", r"跳楼", r"要跳(楼|河|下去)", r"自杀",
    r"割腕", r"喝药", r"安眠药", r"农药", r"老鼠药", r"不想活",
    # falls, injuries, accidents, ambulance
    r"(孩子|小孩|小朋友|宝宝|儿子|女儿|老人|工人|人)\S{0,6}(掉下|摔下|坠|滚下)", r"坠楼",
    r"摔得起不来", r"流了好多血", r"满地血", r"全是血", r"血止不住", r"见血", r"(在|一直)流血",
    r"躺.{0,4}流血", r"(人|他|她|孩子|小孩|老人|我)\S{0,2}被车撞", r"车祸", r"撞了好几个人",
    r"卡在车里", r"被蛇咬", r"咬得很深", r"(叫|要|需要|打)救护车", r"(打|叫|拨)120", r"急救",
    r"快来人", r"快叫人",
)  # fmt: skip

_EN_CUES = (
    # fire and smoke
    r"on fire", r"caught fire", r"catching fire", r"(is|it'?s|still|are) burning",
    r"burning (building|house|flat|car|bus)", r"flames?",
    r"fire(?! (extinguisher|exit|escape|door|lane|alarm|hydrant|risk|hazard|engine|station|"
    r"hose|safety|brigade|detector|inspection|drill|truck|department|box|proof|passage|pump|"
    r"route|access|code|certificate))\b",
    r"smoke (is )?(coming|pouring|everywhere)", r"(black|thick) smoke", r"full of smoke", r"🔥",
    # breathing, consciousness, heart, stroke, fits
    r"not breathing", r"isn'?t breathing", r"stopped breathing", r"can'?t breathe",
    r"no pulse", r"unconsc?ious", r"unconcious", r"unresponsive", r"passed out", r"fainted",
    r"knocked out", r"won'?t wake", r"not waking", r"isn'?t waking", r"not (moving|responding)",
    r"heart attack", r"having a stroke", r"speech is slurred", r"seizure", r"having a fit",
    r"convuls\w*", r"choking", r"turning blue", r"lips blue",
    r"(someone|he|she|man|woman|lady|dad|mum|mom|grand\w+|father|mother|husband|wife|son|"
    r"daughter|kid|child|baby|guy|person|people|neighbou?r) (just )?collapsed",
    # gas and explosions
    r"gas (is )?leak(ing)?", r"leaking gas", r"smells? (of )?gas", r"gas smell",
    r"gas pipe (burst|broke)", r"gas.{0,40}(dizzy|vomit|faint|hissing)", r"explo(sion|ded)",
    r"carbon monoxide", r"(took|drank|swallowed) (poison|pesticide|pills)", r"pesticide",
    # trapped, collapse, flood, drowning, earthquake
    r"trapped", r"stuck in (the |a )?(lift|elevator)", r"stuck between floors", r"buried",
    r"under (the )?rubble", r"(building|wall|roof|ceiling|balcony|scaffolding)\w* (has |just )?"
    r"(collapsed|came down|fell on)", r"collapsed (on|onto)", r"drowning", r"swept away",
    r"washed away", r"jumped into", r"water(?:'s| is)? (up to|pouring|coming into|rising)",
    r"flash flood", r"flooding (fast|now)", r"earthquake",
    r"(kid|child|son|daughter|man|woman|someone|person|grandma|grandpa|dad|mum|mom|boy|girl|"
    r"baby|toddler|worker|rider|he|she) fell", r"fell (in|into) the",
    # electricity
    r"electrocuted", r"got (a |an electric )?shock", r"live wire", r"power line \w+ (fell|on)",
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
)  # fmt: skip

# A risk not yet real, a past event, a negation, a drill, a figure of speech, a question
# about a service: the message is a report or a question, not a call for help now.
_ZH_VETOES = (
    r"差点", r"险些", r"万一", r"要是", r"如果", r"真着火", r"怕", r"担心", r"迟早", r"隐患",
    r"会不会", r"容易", r"还没", r"没有着火", r"没着火", r"没冒烟", r"没漏", r"没人受伤",
    r"没伤到", r"没砸到", r"还好", r"以前", r"上次", r"去年", r"上个月", r"前两天", r"演习",
    r"演练", r"培训", r"证明", r"补贴", r"咨询", r"怎么办理", r"申请", r"快塌", r"要塌",
    r"一角", r"食物中毒", r"后偏瘫", r"瘫了", r"照顾", r"护理", r"保险", r"就完了", r"就晚了",
    r"进不来", r"疫苗", r"志愿", r"报名", r"防火", r"消防检查", r"烟囱", r"烧垃圾", r"烧烤",
    r"烧纸", r"秸秆", r"吵死", r"太吵", r"好吵", r"噪音",
)  # fmt: skip
_EN_VETOES = (
    r"almost", r"nearly", r"if (there'?s|a|one|it|fire)", r"in case", r"risk", r"hazard",
    r"could", r"might", r"would", r"worried", r"afraid", r"scared of", r"what happens",
    r"what if", r"not leaking", r"no (smoke|leak|fire)", r"nobody (hurt|trapped)",
    r"no one (hurt|trapped)", r"not an emergency", r"last (week|month|year)", r"yesterday",
    r"drill", r"training", r"before it happens", r"one day", r"eventually", r"certificate",
    r"subsidy", r"insurance", r"how (do|can) i", r"food poisoning", r"volunteer",
    r"sign (me )?up", r"vaccin\w*", r"need a nurse", r"fired", r"firework\w*", r"hot ?pot",
    r"bbq", r"barbecue", r"chimney", r"burning (rubbish|trash|garbage|leaves|incense)",
    r"(cat|kitten|dog|puppy|bird|parrot)s? (is |are |got )?(trapped|stuck)",
)  # fmt: skip

_CJK = re.compile(r"[\u3400-\u9fff]")
_ZH_CUE = re.compile("|".join(_ZH_CUES))
_ZH_VETO = re.compile("|".join(_ZH_VETOES))
_EN_CUE = re.compile(r"(?<![a-z])(?:" + "|".join(_EN_CUES) + r")")
_EN_VETO = re.compile(r"(?<![a-z])(?:" + "|".join(_EN_VETOES) + r")(?![a-z])")


def emergency_cue(text: str) -> str | None:
    """The cue that marks `text` as an emergency now, or None (no cue, or vetoed)."""
    lowered = text.lower()
    match = (_ZH_CUE.search(lowered) if _CJK.search(text) else None) or _EN_CUE.search(lowered)
    if match is None or _ZH_VETO.search(lowered) or _EN_VETO.search(lowered):
        return None
    return match.group(0)
