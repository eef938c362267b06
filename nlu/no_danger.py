"""Messages whose alarming words name no danger to a person now.

"热死了" (it's deadly hot) and "我家狗跑出去了 一下午没回来" (the dog has not come back) share
words with emergencies, so a model gives them some share of `emergency`. The safety net's cues
still decide for themselves (nlu.safety_net); these only take a weak or pet-only guess away
(nlu.types.prediction_from_ranking), so the resident is not sent to 110 for the heat.

A danger that is over ("昨天电梯困人了 已经救出来了") or only imagined ("以后闻到煤气味应该找谁")
is no emergency whatever the engine or a cue says (`not_happening_now`); a past event turns the
cues off unless it goes on (`past_and_done`).
"""

from __future__ import annotations

import re

# A figure of speech: "…死了" after a feeling, "dying of boredom", "killing me".
_FIGURATIVE = re.compile(
    r"(热|冷|累|吵|烦|臭|饿|困|气|忙|笑|急|闷|渴|疼|痛|晒|馋|麻烦|无聊|难受|郁闷)死(了|人|我)|"
    r"要命|(?<![a-z])(dying (of|for|to)|killing me|bored to death|scared to death|"
    r"to die for|drives? me (crazy|mad|insane)|(trapped|stuck) in (a |the |this |another )?"
    r"(\w+ )?(meeting|traffic|queue|class|lecture|call|job))(?![a-z])"
)
# A figure of speech naming nobody, with no cue, is a feeling, not a danger: the model's
# `emergency` is taken away unless it holds at least half the weight (a share that low would
# otherwise still get the numbers, nlu.types.EMERGENCY_MIN_SHARE).
FIGURATIVE_MAX_SHARE = 0.50
_PET = re.compile(
    r"狗|猫|宠物|鹦鹉|兔子|仓鼠|乌龟|泰迪|金毛|柯基|"
    r"(?<![a-z])(dog|puppy|cat|kitten|pet|parrot|rabbit|hamster|tortoise|bird|poodle|corgi)s?(?![a-z])"
)
_PERSON = re.compile(
    r"孩子|小孩|小朋友|宝宝|婴儿|娃|儿子|女儿|老人|老头|老太|大爷|大妈|奶奶|爷爷|外婆|外公|姥姥|姥爷|"
    r"妈|爸|老伴|老公|老婆|媳妇|邻居|有人|人家里|一个人|人被|工人|路人|行人|孙子|孙女|外孙|闺女|"
    r"崽|学生|病人|患者|残疾|瘫痪|孕妇|儿童|小宝|囡囡|阿婆|阿公|长辈|我(?!家|的|们家)|"
    r"他|她|男的|女的|男人|女人|小伙|姑娘|两个人|几个人|一群人|一帮人|保安|司机|夫妻|两口子|"
    r"业主|阿姨|叔叔|大叔|大哥|大姐|小哥|骑手|快递员|外卖|醉汉|小偷|流氓|混混|老板|摊主|护工|保姆|"
    r"师傅|对方|"
    r"(咬|扑|追|撞|伤)(了)?(人|我)|被\S{0,4}(咬|抓|扑|撞|伤)|"
    r"(?<![a-z])(child|children|kid|kids|baby|toddler|boy|girl|son|daughter|man|woman|lady|"
    r"person|people|someone|somebody|anyone|mum|mom|mother|dad|father|grand\w+|husband|wife|"
    r"neighbou?r|he|she|him|her|i|me|we|us|student|patient|disabled|infant|newborn|elderly|"
    r"pupil|resident|owner|driver|worker|(bitten|attacked|mauled|scratched|chased) by)(?![a-z])"
)


# Words of a danger beside the figure of speech: then it is no mere feeling.
DANGER_WORD = re.compile(
    r"打|砍|捅|刀|血|火|烟|炸|救|摔|倒|晕|困|淹|掉|跳|抢|追|咬|伤|命|警(?!器)|砸|110|119|120|"
    r"(?<![a-z])(fight\w*|hit\w*|beat\w*|knife|blood|fire|smoke|help|fell|fall\w*|hurt|stab\w*|smash\w*|"
    r"attack\w*|trapped|stuck|police|ambulance)(?![a-z])"
)


def figure_of_speech(text: str) -> bool:
    """ "热死了", "dying of boredom": a feeling said strongly, about nobody in particular and
    beside no danger (with a person or a danger named, "孩子在车里 热死了", "吵死了 他们打起来了",
    the engine's guess stands)."""
    lowered = text.lower()
    rest = _FIGURATIVE.sub(" ", lowered)  # "killing me", "吓死我" name no one else
    return rest != lowered and _PERSON.search(rest) is None and DANGER_WORD.search(rest) is None


# People a pet hurt before, not now ("已经咬过两个人了", "has bitten two kids before"), or
# nobody it hurt ("没人被咬", "nobody got bitten"): no person in danger either way.
_PAST_VICTIMS = re.compile(
    r"(咬|伤|扑|抓)(伤)?过(?![来去])\S{0,4}|没(有)?(人|谁)(被)?(咬|抓|伤|扑)(到|着|伤)?|"
    r"(?<![a-z])has (bitten|attacked|chased) \w+( \w+)? before|"
    r"(?<![a-z])(nobody|no one|no-one) (was |got |has been )?(bitten|hurt|injured|attacked)|"
    # its owner, or someone who only tells: "保安说主人去去就回", "owner's inside shopping"
    r"(狗|猫)?主人|(保安|物业|邻居|门卫)(说|讲)|"
    r"(?<![a-z])((the |its |their )?owners?('s)?)(?![a-z])"
)


def about_a_pet(text: str) -> bool:
    """A pet and nobody else (or only people it hurt before): "我家狗跑出去了 一下午没回来",
    "my cat is stuck on the roof", "大狼狗不拴绳 已经咬过两个人了"."""
    lowered = text.lower()
    rest = _PAST_VICTIMS.sub(" ", lowered)
    return _PET.search(lowered) is not None and _PERSON.search(rest) is None


# A danger that is over: a past day AND its resolution ("昨天电梯困人了 已经救出来了",
# "went missing on Sunday but we found him"). Both are needed: "我妈昨天出门到现在还没找到"
# names a past day and is an emergency now.
_PAST_DAY = re.compile(
    r"昨天|昨晚|前天|前几天|上周|上个?星期|上礼拜|那天|那次|"
    r"yesterday|last (night|week|weekend|time|sunday|monday|tuesday|wednesday|thursday|friday|"
    r"saturday)|the other day|on (sunday|monday|tuesday|"
    r"wednesday|thursday|friday|saturday)|(\d+|two|three|a few) (days|weeks) ago|"
    r"earlier (this|last) week"
)
_OVER = re.compile(
    r"(?<!没)(?<!还没)(已经|都)?(被)?(救出来|救下来|救出|放出来|弄出来|人(已经|都)?出来了|灭了|扑灭|找到了|"
    r"找回来了|送(到)?医院了|没事了|处理(完|好|过)?了|抓走了|平安)|"
    r"got (them |him |her )?out( fine| ok| okay| safely| unhurt)?|"
    r"(was|were|got|been) (rescued|found|saved|let out|taken to hospital)|"
    r"(we|they|police|someone) (found|rescued|got) (him|her|them|it)|"
    r"(already|was|were) (put out|dealt with|handled|sorted)|(is|was|are|all) (fine|ok|safe) now|"
    r"(came|come) back (safe|fine|home)|put (it|them|the fire) out|(it'?s|its) gone now|"
    r"(everyone|everybody|all)('s| is| was| were| got out)? (fine|ok|okay|safe)|"
    r"(firemen|firefighters|fire (brigade|service|department)|ambulance|police) (already )?"
    r"(came|left|put it out|took (him|her|them))|(she|he|they)('s| is| are) (fine|ok|okay)"
)
# A danger only imagined: what to do if it ever happens.
# Only a situation that is itself imagined: "孩子在窗台上 万一掉下来怎么办" is a child on a ledge
# now, with a consequence imagined, and stays an emergency.
_IMAGINED = re.compile(
    r"以后(要是|如果|万一|再)?(闻到|遇到|碰到|发现|发生|有人)|"
    r"^(请问)?(万一|要是|如果).{0,20}(怎么办|找谁|打什么|打哪个|怎么处理)|"
    r"if (i|we|you|my \w+|my \w+ \w+) ever (smell|see|get|find|have|hear|need|wander|go)|"
    r"(for|in) (the )?future[\s?？.!]*$|"
    r"^(what|who) (should|do|can) (i|we) (do|call|contact) if|"
    # fiction: "我在写小说 主人公被困在着火的楼里", "a film about a kid lost in a mall"
    r"(电视剧|电影|小说|动画片)里|写(小说|故事|作文)|(writing|write|wrote) (a |my )?(story|novel|"
    r"essay|script)|(a|the) (film|movie|show|story|novel|book) about|"
    r"(a|the) (film|movie|show|documentary|series|episode|cartoon)( \w+){0,3} (where|in which)|"
    # what a thing is for: "电梯里的急救按钮是干嘛用的"
    r"(是)?(干嘛|干什么|做什么|干啥|啥)用的|what('s| is| are) (the|that|this|those|these) "
    r"(\w+ ){0,2}for\b"
)


# Not here and now by the resident's own words: they say it is not urgent (not a hedge: "不是
# 紧急情况吧", "不知道算不算紧急"), or retell the news.
_NOT_HERE_NOW = re.compile(
    r"(?<!是)不是(什么)?紧急(?!(情况|的事)?[吧吗么?？])|(?<![算紧])不(太|算)?紧急(?![吧吗么?？])|"
    r"(?<!是)不是急事|"
    r"新闻|报道|"
    r"(?<![a-z])(not (an |a )?(emergency|urgent)(?!\?)|nothing urgent|"
    r"(in|on|saw|see|seen|watch|watched) the news|(the )?news about|"
    r"news (said|says|report)|read about)(?![a-z])"
)
# A hedge before "not urgent" or a turn after it keeps the rest: "this may not be an emergency
# but a man is beating…", "不太紧急 可是他还在打".
_HEDGE = re.compile(
    r"可能|也许|不知道|不确定|(?<![a-z])(may|might|maybe|perhaps|probably|not sure)(?![a-z])"
)
# Seen on social media: news from elsewhere, unless it is here ("刷到业主群 说3栋楼下有人
# 持刀伤人 就在我们小区").
_SEEN_ONLINE = re.compile(
    r"刷到|网上看到|朋友圈|群里(在)?传|视频号|抖音|"
    r"(?<![a-z])(viral|video of)(?![a-z])|"
    r"(?<![a-z])(saw (it |a video )?on (tv|the tv|weibo|douyin|tiktok|wechat)|saw a video)(?![a-z])"
)
_ELSEWHERE = re.compile(
    r"别的(区|小区|城市|省|地方)|其他(区|小区|城市)|外地|外省|外市|隔壁(市|区|省|县)|"
    r"(?<![a-z])(another (province|city|town|district)|elsewhere)(?![a-z])"
)
_HERE = re.compile(
    r"我们|咱们|咱(?!们)|我家|俺们|俺家|邻居|定位在|楼下|楼上|门口|对面|隔壁(?!市|区|省|县)|就在|本小区|\d+栋|"
    r"(?<![a-z])(our|my (building|block|street|estate)|downstairs|upstairs|next door|here)(?![a-z])"
)


def _said_not_urgent(lowered: str) -> re.Match[str] | None:
    """Where the resident says it is not urgent or retells the news, unhedged ("不是紧急情况",
    not "可能不是紧急情况")."""
    said = _NOT_HERE_NOW.search(lowered)
    if said is None or _HEDGE.search(lowered, 0, said.start()):
        return None
    return said


def not_happening_now(text: str) -> bool:
    """The danger is over (a past day and its resolution), only imagined ("以后闻到煤气味
    应该找谁"), retold from the news, or said by the resident not to be urgent: a report or
    a question, whatever the model or a cue says."""
    lowered = text.lower()
    if _IMAGINED.search(lowered):
        return True
    said = _said_not_urgent(lowered)
    if said is not None and not _TURN.search(lowered, said.end()):
        return True  # "不是紧急情况", not "不是紧急情况 但是…"
    online = _SEEN_ONLINE.search(lowered)
    if online and (_ELSEWHERE.search(lowered) or not _HERE.search(lowered)):
        return True
    return _PAST_DAY.search(lowered) is not None and _OVER.search(lowered) is not None


# A past event is no emergency now, unless the message says it goes on ("my dad went out
# yesterday and hasn't come back", "昨天的火灭了 但邻居还被困着").
_PAST = re.compile(
    r"以前|上次|去年|上个月|前两天|上周|上个?星期|上礼拜|昨天|昨晚|前天|"
    r"(?<![a-z])(last (week|month|year)|yesterday|a while ago)(?![a-z])"
)
_ONGOING = re.compile(
    r"到现在|现在还|至今|这会儿|此刻|眼下|还(没|在|被|是)|仍|依然|一直没|又|正在|刚才|刚刚|突然|"
    # "上个月…等一下 现在楼道里…": now, unless what follows says it is fine now
    r"现在(?![^。，,！!]{0,4}(好了|没事|修好|灭|正常|不|平安|安全|出来了))|"
    r"(?<![a-z])(still (trapped|stuck|missing|burning|on fire|inside|in there|unconscious|"
    r"bleeding|lost|locked|hanging|not|can'?t|isn'?t|won'?t|no sign)|since|again|"
    r"(has|have)n'?t (come|been|got)|(has|have) not (come|been)|"
    r"not (back|home)|right now|at the moment)(?![a-z])"
)


def past_and_done(lowered: str) -> bool:
    """A past event ("上次", "yesterday") that the (lowercased) text does not say goes on."""
    return _PAST.search(lowered) is not None and _ONGOING.search(lowered) is None


# Words that say the alarm was never real: a scare over, a drill, a film shoot, the TV. What
# the message goes on to say after them ("虚惊一场，不过声音太大了") is no danger unless it
# names one (settled_at).
NOT_REAL = (
    r"虚惊一场|误会一场|是误会|(演习|演练)(?![吗吧么?？])|剧组|(在)?拍\S{0,6}(戏|电影|电视剧|短视频)|"
    r"是(在)?(看|放|玩)?\S{0,2}(电视|电视剧|电影|游戏)|(电视剧|电影|小说|动画片)里|写(小说|故事|作文)|"
    r"(?<![a-z])(false alarm|drill(?!\?)|film(ing)? (crew|shoot)|"
    r"shooting a (film|movie|scene|video)|"
    r"(it was|it's|just) (the |a )?(tv|telly|movie|film|video game)|"
    r"(writing|write|wrote) (a |my )?(story|novel|essay|script)|(a |the )?(film|movie|show|story|"
    r"novel) about)(?![a-z])"
)
_NOT_REAL = re.compile(NOT_REAL)

# The message says the danger is settled or was never real: the child is found or back, the
# false alarm is over, it is a drill. Only without a cue (nlu.types): "孩子找到了 但是没有呼吸"
# still has one and reaches the numbers.
_SETTLED = re.compile(
    r"(?<!没)(?<!没有)(?<!不)(?<!该)(找到了|找回来了|回来了|到家了|抱回去了|抱进去了|抱下来了|"
    r"救下来了|拉回来了|接回来了|处理好了|已经处理|火(也|都|已经)?灭了|扑灭了|领回去了|领走了|带回去了|带回家了|"
    # safe, home, fetched, the fire out: "她安全了", "已经到家", "人接到了", "火已经熄了"
    r"回(到)?家了|(已经|平安|安全|顺利)(回|到|回到)家|(现在|已经|都)?(安全|平安)了|人(很|都)?平安|平安无事|安然无恙|"
    r"接到(人|他|她|孩子|老人)?了|火(也|都|已经)?熄(灭)?了)(?![吗没吧么])|虚惊一场|误会一场|"
    r"是误会|没事了|没事没事|(人|大家|家里人|孩子|老人|我们)(也)?都没事|啥事(都|也)?没有|什么事(都|也)没有|没什么事|报平安|(不用|别)担心|(不用|不需要|没必要)(打|叫|报)(119|110|120|消防|警察|救护车)|"
    r"原来是[^。！？!?]{0,16}(烤|煮|炒|炖|熏|做饭|烧水|糊了|焦了|烧纸|蚊香|演习|拍|电视|放)|"
    r"(磕|撞|碰)(了|出)?(个|一个)?(包|青|红印)[^。]{0,12}(不哭了|在玩)|自己(爬|站)起来(了)?(又|还)?(接着)?(跳|玩|走)?(了)?|"
    r"(电梯|梯)[^。，,]{0,8}里(面|头)?没(有)?人|"
    r"是在\S{0,8}找(着|到)的|(已经|都)?(被)?拉开了|(不好意思|抱歉)\S{0,3}吓到|"
    r"离(小区|我们|这边|这里|咱们)\S{0,2}(挺|很|比较|还挺|特别|老)?远|"
    r"(?<![a-z])(false alarm|all (good|fine|ok|okay|safe) now|all (good|clear)|"
    # safe, back home, found, over, the fire out: "safe now", "she's back home", "it's over"
    r"(is |are |'s |'re )?safe( now| and sound)(?!\s*[?？])|safe and well|"
    r"(he|she|they|mum|mom|dad|my \w+)('s| is| are|'re) (back|home)( home)?|"
    r"(?<!not )(?<!n't )back home( now| safe)?|"
    r"(he|she|they|mum|mom|dad|my \w+) (came|come|got) back|"
    r"(?<!n't )(?<!not )(?<!never )found (my|our|the) (mum|mom|mother|dad|father|son|daughter|"
    r"kid|child|boy|girl|baby|toddler|grand\w+|husband|wife|brother|sister|old (man|lady|woman)|"
    r"neighbou?r)|(it'?s|it is) (all )?over|"
    r"(the )?fire('s| is| was|s)( already)? (out|off)(?! of)|"
    r"turned out (to be |it was )?(just )?(my |the |our |some(one'?s)? |a )?(\w+'?s? )?(toast|"
    r"cooking|dinner|lunch|food|incense|bbq|barbecue|tv|telly|a drill|nothing|fine)|"
    r"(lift|elevator)\b.{0,40}(nobody|no one|no-one) (was |is )?(in|inside) (it|there)|"
    r"got (back )?up (by|on) (him|her)"
    r"(self| own)|"
    r"(is|are) (fine|ok|okay|safe) now|(was|were) (found|fine|ok|okay|safe)|"
    r"(?<!n't )(?<!not )(?<!never )(found (him|her|them)|is found)|"
    r"(?<!never )(?<!n't )(?<!not )(came|got) (back )?home|(is|are) (back )?home safe|dealt with|"
    r"(put|been put) out|"
    r"took (him|her|them) (inside|in|home|back)|"
    r"no need to call( (the )?(119|110|120|police|fire brigade|firemen|ambulance))?|"
    r"it'?s (all )?(fine|ok|okay)(?!\?)|"
    r"(just|only) (noisy|loud|noise)|(she|he|they)('s| is| are) (fine|ok|okay|alright) now|"
    r"(been|got) checked (at|in|by) (the )?(hospital|doctor)|far (away )?from (us|here|the "
    r"estate|our (building|block)))(?![a-z])|" + NOT_REAL
)


# ...unless someone is still not back or not found: "狗回来了人没回来", "still haven't found him".
_STILL_GONE = re.compile(
    r"没(有)?回|没找到|找不到|没找着|不见|联系不上|关机|打不通|"
    r"(?<![a-z])(missing|not (back|home|found)|(haven'?t|hasn'?t|have not|has not|never) "
    r"(found|come|came|got|been)|can'?t (find|reach)|still)(?![a-z])"
)


# ...or unless the message turns after it ("he was fine this morning, but now…") or names a
# danger after it (DANGER_WORD).
_TURN = re.compile(
    r"但是|可是|不过|现在(他|她|又|还|人|有|孩子|正在)|又(打|砍|追|闹|来|开始)|还在|仍然|依然|"
    r"(?<![a-z])(but|however|then|now)\s+\w"
)


# ...but a turn to a request is none: "家里人都没事 但还是想找人来查一下管子".
_REQUEST = re.compile(
    r"\S{0,2}(还是)?(想|希望|麻烦|请|要找|找人|需要人)|"
    r"\s*(i |we )?(still )?(want|would like|need someone|please|could you|can you)"
)


# "平时四点就到家了": what usually happens, not what happened.
_USUALLY = re.compile(r"(平时|平常|一般|往常|通常|(?<![a-z])(usually|normally|always))\S{0,8}$")


def settled_at(text: str) -> int | None:
    """Where the message says the danger is settled or not real ("孩子找到了，在同学家写作业",
    "her mum took her inside, all good", "fire drill at 3pm"): the end of the last such words,
    or None. The story told before them is over (nlu.safety_net); what comes after is not."""
    lowered = text.lower()
    found = [m for m in _SETTLED.finditer(lowered) if not _USUALLY.search(lowered, 0, m.start())]
    if not found:
        return None
    after = found[-1].end()
    if _STILL_GONE.search(lowered, found[0].start()):
        return None  # "狗回来了人没回来"; but "孩子不见了 吓死了 现在找到了" is settled
    turn = _TURN.search(lowered, after)
    to_request = turn is not None and _REQUEST.match(lowered, turn.end() - 1) is not None
    turned = turn is not None and not to_request
    danger = DANGER_WORD.search(lowered, after) is not None
    if _NOT_REAL.fullmatch(found[-1].group(0)):
        # "在拍电视剧 演打架的戏": the fight is the show's, unless the message turns to one
        return None if turned and danger else after
    if turned or danger:
        return None  # "老公喝醉回来了 在打孩子": the story goes on after the words
    return after


def says_settled(text: str) -> bool:
    """The danger is settled or not real; the engine's `emergency` for it is taken away when
    no cue after those words names a danger now (nlu.types.prediction_from_ranking)."""
    return settled_at(text) is not None


# A resident undoing their own alarm: it was not urgent, a false alarm, a mistake.
_UNDONE = re.compile(
    r"虚惊一场|是误会|误会了|搞错了|弄错了|按错了|发错了|点错了|不小心发|"
    r"(?<![a-z])(false alarm|by mistake|my mistake|sent (it )?by accident|wrong (chat|button)|"
    r"playing with my phone|just (the )?news|was (just )?(a joke|testing|news))(?![a-z])"
)


def undoes_alarm(text: str) -> bool:
    """ "false alarm", "发错了", "虚惊一场": nothing happened at all (not merely "not urgent")."""
    return _UNDONE.search(text.lower()) is not None


def denies_emergency(text: str) -> bool:
    """ "不是紧急的，就是停水", "false alarm, it was just someone's barbecue", "sorry my son was
    playing with my phone": the resident says their alarm was none (unhedged)."""
    lowered = text.lower()
    return _said_not_urgent(lowered) is not None or _UNDONE.search(lowered) is not None
