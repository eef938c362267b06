"""Probe: emergencies and near-misses in wordings the NLU has never seen, as a resident's
first message through the real Application.

The rows were written from how frightened or casual residents type (no look at nlu/data/ or
nlu/eval/): indirect, without "help"/"紧急", voice-typed without punctuation, typos, dialect,
the danger in the middle of a long message, Chinese and English mixed. Labels follow
nlu/emergency.md. A row the bot gets wrong stays in its table, marked xfail (strict) with
what happened, so a fix turns it into a failure that asks for the mark to go.
Both languages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from nlu.embedded import EmbeddedBackend
from storage.models import Case
from tests.conftest import make_settings
from tests.harness import BotHarness
from tests.support.cases import RESIDENT

NUMBERS = ("110", "119", "120")


async def urgent_cases(bot: BotHarness) -> list[Case]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.execute(select(Case).where(Case.priority == "urgent"))
        return list(rows.scalars())


@pytest.fixture
async def bot(
    sqlite_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    """SQLite only: these rows test what the bot makes of words; the store is not the point
    (both stores are tried by the conversation table and the emergency tests)."""
    async with BotHarness.start(make_settings(sqlite_url, tmp_path), nlu=embedded_nlu) as harness:
        yield harness


def miss(lang: str, text: str, what_happened: str) -> Any:
    """A row the bot gets wrong today: kept in the table, expected to fail."""
    return pytest.param(
        lang, text, marks=pytest.mark.xfail(strict=True, reason=f"probe: {what_happened}")
    )


EMERGENCIES = [
    # fire_smoke_explosion
    ("zh", "楼道里电动车电瓶烧起来了 黑烟往上冒 我们在8楼下不去"),
    ("zh", "隔壁厨房起火了 火苗都窜出窗户了 里面还有个老太太"),
    ("zh", "3栋一单元楼梯间在冒烟 一股塑料烧焦的味 楼上好多人在喊"),
    ("zh", "楼下那户窗户往外喷黑烟 他家有人在家 敲门没人开"),
    ("zh", "刚才砰的一声 煤气罐炸了 对面楼有人受伤 满脸是血"),
    ("zh", "屋头着火咯 我婆婆还在里头 快点来人"),
    ("zh", "楼到里着火了有人困在上面下不来"),
    ("en", "black smoke pouring out of the stairwell, an ebike battery went up and people "
           "upstairs are shouting from the windows"),
    ("en", "my neighbours kitchen is on fire and her kids are still in there"),
    ("en", "heard a loud bang and now flames coming out of a 4th floor flat someone is screaming"),
    ("en", "smoke everywhere in the corridor cant get to the stairs we r on the 9th floor"),
    ("en", "the scooter charging by the lift just exploded, hallway full of smoke and my mum "
           "is in a wheelchair upstairs"),
    ("en", "ther's a fier in the stairwel and people cant get out"),
    ("zh", "楼下 fire 好大 people still inside 快"),
    # collapse_unconscious
    ("zh", "我爸突然倒在地上 叫不醒 嘴唇发紫"),
    ("zh", "小区门口有个大爷躺地上一动不动 好像没气了"),
    ("zh", "我老婆抽搐了 口吐白沫 一直不醒"),
    ("zh", "邻居阿姨在菜场门口晕过去了 头磕破了流了好多血"),
    ("zh", "奶奶在卫生间摔了 喊她也不答应 门从里面反锁着"),
    ("zh", "俺爹在院里栽倒了 叫也叫不应 咋办啊"),
    ("en", "my husband just collapsed in the kitchen and isn't responding"),
    ("en", "old man lying on the pavement by the bus stop not moving i dont think hes breathing"),
    ("en", "my son is having a fit, he's shaking and his lips are going blue"),
    ("en", "neighbour fell off a ladder, bleeding a lot from his head and can't move his legs"),
    ("en", "my granpa colapsed and hes not braething properly"),
    ("en", "hi sorry to bother you, I wanted to ask about parking permits but right now my "
           "neighbour has just fallen down on the landing and isn't waking up, what do I do"),
    ("zh", "救命 my grandma 晕倒了 not breathing"),
    # gas_with_symptoms
    ("zh", "家里煤气味好重 我头好晕 想吐"),
    ("zh", "热水器开着洗澡 我妈在里面晕倒了 屋里一股怪味"),
    ("zh", "烧炭取暖 一家人早上起来都头疼恶心 孩子叫不醒"),
    ("zh", "屋里天然气味熏得人头疼 我老公已经站不稳了"),
    ("zh", "闻到好浓的燃气味 全家都头晕眼花的"),
    ("zh", "楼道一股很冲的煤气味 隔壁老两口敲门不开 刚才还听到有人在吐"),
    ("en", "strong gas smell in the flat and my daughter has a headache and is throwing up"),
    ("en", "we had a charcoal burner on indoors and now my dad is dizzy and confused"),
    ("en", "smells like gas really badly, i feel lightheaded and my baby is very sleepy"),
    ("en", "I think the water heater is leaking carbon monoxide, my wife passed out in the shower"),
    ("en", "gas smell so strong my eyes are watering and everyone in here feels sick"),
    ("en", "the whole floor reeks of gas and the old lady next door is moaning and won't open up"),
    # trapped
    ("zh", "电梯卡住了 我们三个人关在里面半个小时了 有点喘不上气"),
    ("zh", "地下车库进水了 水已经到腰了 我爸还在下面车里"),
    ("zh", "我被关在电梯里 按铃没人理 手机快没电了"),
    ("zh", "老房子的墙塌了 底下压着一个人 在喊救命"),
    ("zh", "楼下着火了 我们在顶楼出不去 门把手都是烫的"),
    ("zh", "雨太大了 桥洞底下一辆车被淹了 车里有人在拍窗户"),
    ("zh", "女儿在电梯里出不来 电梯灯都灭了 她才六岁"),
    ("en", "stuck in the lift between floors with my kid, the alarm button does nothing"),
    ("en", "the underpass is flooding and a car is stuck in it with people inside"),
    ("en", "part of the ceiling came down and my grandad is pinned under it"),
    ("en", "fire on the floor below, we cant get out the door, smoke coming under it"),
    ("en", "water pouring into our basement flat and my mum cant climb the stairs"),
    ("en", "lift dropped and stopped, 5 of us inside, one lady is panicking and can't breathe"),
    ("zh", "电梯 stuck 了 里面有个小孩 一直在哭"),
    # missing_person
    ("zh", "孩子放学三个小时了还没到家 电话手表也打不通"),
    ("zh", "我妈有老年痴呆 早上出去买菜到现在还没回来"),
    ("zh", "儿子在广场上玩 一转眼人就不见了 找了一个小时了"),
    ("zh", "爷爷糊涂了 下午自己出的门 天都黑了还没找到"),
    ("zh", "俺家闺女八岁 晚上七点多下楼丢垃圾 到现在还没回来"),
    ("zh", "有没有人看到一个穿红衣服的小男孩 五岁 在超市门口跟我走散了"),
    ("zh", "我爸脑子不太清楚 一大早走出去了 到处都找不到人"),
    ("en", "my mum has dementia and hasn't come back since this afternoon"),
    ("en", "my 8 year old didn't come home from school and its nearly 9pm, none of his "
           "friends know where he is"),
    ("en", "lost my little girl at the market, she's 4, yellow dress, been looking for 40 minutes"),
    ("en", "grandad wandered off this morning, he has alzheimers and doesnt know his address"),
    ("en", "our son went out to play after lunch and we can't find him anywhere, it's dark now"),
    ("en", "my dad's been confused since his stroke, he left the flat hours ago and isn't "
           "answering his phone"),
    # dependant_in_danger
    ("zh", "停车场有辆车里锁着个小孩 太阳底下晒着 哭得满头汗 车主不在"),
    ("zh", "对面楼6楼有个小孩爬到空调外机上了 家里好像没大人"),
    ("zh", "有个两岁左右的宝宝自己在小区池塘边上玩 周围没大人"),
    ("zh", "楼上孩子趴在窗台上 窗户开着 半个身子都在外面"),
    ("zh", "邻居家婴儿哭了一下午了 家里没大人 敲门也没人开"),
    ("zh", "车里关着一个小孩 窗户全关死了 今天37度"),
    ("en", "there's a toddler locked in a car in the car park, it's boiling and he's red "
           "and crying"),
    ("en", "a little kid is standing on the aircon unit outside a 7th floor window"),
    ("en", "small child alone right at the canal edge, no parent anywhere"),
    ("en", "the baby next door has been screaming for hours and nobody's home"),
    ("en", "kid leaning out of an open window on the 5th floor, no adult in sight"),
    ("en", "a baby and a dog are shut in a car in the sun outside the shop, windows up"),
    # about_to_fall_or_jump
    ("zh", "对面楼顶有个人坐在边上 说不想活了"),
    ("zh", "有个小伙子翻到阳台栏杆外面去了 在哭"),
    ("zh", "外墙上吊着个工人 绳子断了一根 人在晃"),
    ("zh", "天桥上有个女的站在栏杆外面 一直往下看"),
    ("zh", "我朋友发消息说要从楼上跳下去 现在人在天台"),
    ("zh", "擦玻璃的师傅挂在20楼 安全绳卡住了 在喊人"),
    ("en", "someone is sitting on the edge of the roof of block 9 and saying goodbye"),
    ("en", "a woman climbed over her balcony railing on the 12th floor, shouting she'll jump"),
    ("en", "window cleaner dangling by one rope from the side of the tower"),
    ("en", "a boy is hanging from the 4th floor balcony railing by his hands"),
    ("en", "my flatmate is up on the roof saying he's going to end it all"),
    ("en", "a builder is hanging off the scaffolding, his harness snapped"),
    # violence_in_progress
    ("zh", "楼上男的又在打老婆 孩子一直在哭喊 听见砸东西的声音"),
    ("zh", "超市门口两个人拿着刀在砍"),
    ("zh", "有人抢包 把老太太推倒了 头在流血 抢包的往东门跑了"),
    ("zh", "隔壁吵着吵着动手了 女的在喊救命"),
    ("zh", "一帮人拿着棍子在小区门口围着一个人打"),
    ("zh", "我老公喝醉了拿菜刀追我 我躲在厕所里"),
    ("en", "guy next door is beating his wife right now, she's screaming"),
    ("en", "two men fighting with knives outside the supermarket"),
    ("en", "someone's being mugged at the bus stop, they're kicking him on the ground"),
    ("en", "my ex broke in and is smashing everything, I'm hiding in the bedroom with the kids"),
    ("en", "a gang of teenagers is attacking a delivery rider with bats"),
    ("en", "man with a knife chasing people around the square"),
]  # fmt: skip


NOT_EMERGENCIES = [
    # negations
    ("zh", "没有着火，只是3栋楼道灯坏了"),
    ("zh", "不是火灾 是楼下烧烤的烟太大 熏得开不了窗"),
    ("zh", "没人受伤 就是电动车把单元门撞坏了"),
    ("zh", "不是煤气泄漏 是下水道的臭味 好几天了"),
    ("zh", "没人被困 电梯就是停在一楼不动了"),
    ("en", "not a fire, just a burnt smell from a neighbour's cooking"),
    ("en", "nobody's hurt, but the handrail on the stairs is loose"),
    ("en", "no one is stuck, the lift just won't come down from the 10th floor"),
    ("en", "it's not gas, it's the bins smelling in the heat"),
    # past and resolved
    ("zh", "昨天电梯困人了 已经救出来了 希望检查一下"),
    ("zh", "上周楼下着过一次火，现在想问问消防检查"),
    ("zh", "前天晚上门口有人打架 警察已经处理了 想问问门禁能不能修"),
    ("zh", "上个月我妈走丢过一次 后来找回来了 社区有没有防走失手环"),
    ("en", "the lift got stuck yesterday with people in it, they got out fine, can someone "
           "inspect it"),
    ("en", "there was a small kitchen fire last week, all out now, who repaints the wall"),
    ("en", "my kid went missing for an hour on Sunday but we found him, do you run safety talks?"),
    ("en", "the fight outside the bar last night was sorted by the police but the broken glass "
           "is still on the pavement"),
    # device faults
    ("zh", "烟感滴滴响 应该是没电了"),
    ("zh", "楼道的应急灯不亮了"),
    ("zh", "厨房燃气报警器一直叫 但是一点味道都没有 应该是坏了"),
    ("zh", "电梯里的紧急呼叫按钮坏了 物业能不能修一下"),
    ("en", "smoke detector beeping for battery"),
    ("en", "the fire alarm panel in the lobby shows a fault light"),
    ("en", "emergency exit sign in stairwell B is not lit"),
    ("en", "the CO alarm chirps every minute, I think it needs a new battery"),
    # questions about safety
    ("zh", "消防栓在哪里检查"),
    ("zh", "灭火器去哪里领"),
    ("zh", "家里老人有点糊涂 社区能办防走失手环吗"),
    ("zh", "以后闻到煤气味应该找谁"),
    ("zh", "急救培训在哪里报名"),
    ("zh", "电动车能不能在楼道里充电"),
    ("en", "how do I report a gas smell in future"),
    ("en", "where can I get a fire extinguisher for my flat"),
    ("en", "is there a first aid course at the community centre"),
    ("en", "what should I do if I ever get stuck in the lift?"),
    ("en", "can I charge my e-bike in the corridor?"),
    # a risk that has not happened, a welfare check
    ("zh", "电动车在楼道充电，迟早出事"),
    ("zh", "楼上小孩经常一个人在阳台上玩 有点担心"),
    ("zh", "楼道里有点煤气味 两天了 家里人都没有不舒服"),
    ("en", "e-bikes charging in the stairwell every night, it's a fire waiting to happen"),
    ("en", "the old lady across the hall lives alone and I haven't seen her for a few days"),
    # alarming-sounding place names
    ("zh", "消防通道旁边的垃圾桶满了"),
    ("zh", "急救站门口乱停车"),
    ("zh", "消防通道旁"),
    ("zh", "火车站广场的路灯坏了"),
    ("zh", "派出所对面的井盖松了"),
    ("zh", "救护车通道被私家车堵了好几天"),
    ("en", "Fire Station Road potholes"),
    ("en", "Fire Station Road"),
    ("en", "cars parked in the fire lane next to block 4 every night"),
    ("en", "the bins by the hospital emergency entrance are overflowing"),
    ("en", "Police Station Lane street light is out"),
    # figurative speech
    ("zh", "热死了"),
    ("zh", "这噪音要命"),
    ("zh", "楼上装修吵得我要疯了"),
    ("zh", "广场舞音乐炸了 吵死人"),
    ("zh", "物业修个水管慢得要死"),
    ("zh", "笑死我了 业主群里又吵起来了"),
    ("en", "I'm dying of boredom"),
    ("en", "it's killing me how slow the lift repair is"),
    ("en", "this heat is murder"),
    ("en", "the noise from the bar is driving me insane"),
    ("en", "my neighbour's music is so loud my head is about to explode"),
    # lost pets and things
    ("zh", "猫丢了"),
    ("zh", "我家狗跑出去了 一下午没回来"),
    ("zh", "钱包丢了 里面有身份证"),
    ("zh", "孩子的自行车在车棚被偷了"),
    ("en", "lost my wallet"),
    ("en", "our dog slipped out this morning and hasn't come back"),
    ("en", "my cat has been missing since yesterday"),
    ("en", "someone stole my kid's scooter from the bike shed"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text"), EMERGENCIES)
async def test_an_unseen_emergency_gets_the_numbers_and_an_urgent_case(
    bot: BotHarness, lang: str, text: str
) -> None:
    await bot.send(RESIDENT, text, language_code=lang)
    replies = bot.texts(RESIDENT)
    assert replies and any(n in replies[0] for n in NUMBERS), replies
    assert len(await urgent_cases(bot)) == 1


@pytest.mark.parametrize(("lang", "text"), NOT_EMERGENCIES)
async def test_a_near_miss_is_not_an_emergency(bot: BotHarness, lang: str, text: str) -> None:
    await bot.send(RESIDENT, text, language_code=lang)
    replies = bot.texts(RESIDENT)
    assert replies and not any(n in replies[0] for n in NUMBERS), replies
    assert await urgent_cases(bot) == []
