"""Supply cuts and terse reports, as a resident's first message (issue 12).

"停水了", "停电了", "no heating" got the emergency numbers (the model's share of `emergency`
for them came from emergencies that mention a power cut beside people trapped), "停电了" was
even read as "cancel", and "电梯故障" as "I can't help". A cut of water, power, gas or heating
alone is a report for the estate manager (nlu/case_types.md); beside someone trapped, on a
breathing machine or missing it stays an emergency. None of these lines is in nlu/data.
"""

from __future__ import annotations

import pytest

from config import SHIPPED_CONFIG_DIR, load_config
from nlu.embedded import EmbeddedBackend
from nlu.places import PlaceNames
from nlu.repairs import supply_cut_only
from services.places import city_place_names

CITY_PLACES = PlaceNames.of(city_place_names(load_config(SHIPPED_CONFIG_DIR)))

# (text, the case type it is reported as)
SUPPLY_CUTS = [
    ("咋又停水了", "property_management"),
    ("楼里停电了咋整", "property_management"),
    ("全小区停电", "property_management"),
    ("一直没来电", "property_management"),
    ("没自来水了", "property_management"),
    ("没水洗澡", "property_management"),
    ("暖气不给力", "property_management"),
    ("停暖了", "property_management"),
    ("燃气没气了", "property_management"),
    ("燃气打不着火 全楼都这样", "property_management"),
    ("断电一整天了", "property_management"),
    ("電閘跳了整棟樓沒電", "property_management"),
    ("水龙头没水", "property_management"),
    ("water supply cut", "property_management"),
    ("no running water", "property_management"),
    ("the power went out", "property_management"),
    ("electricity out since last night", "property_management"),
    ("heating not working", "property_management"),
    ("lights out in the whole block", "property_management"),
    ("gas supply stopped", "property_management"),
]
TERSE_REPORTS = [
    ("电梯故障", "property_management"),
    ("门禁故障", "property_management"),
    ("电梯不动了", "property_management"),
    ("路灯不亮", "public_facility"),
    ("垃圾没人收", "sanitation"),
    ("噪音扰民", "noise"),
    ("有老鼠", "public_health"),
    ("lift out of order", "property_management"),
    ("elevator not working", "property_management"),
    ("intercom broken", "property_management"),
]
# The same cuts with a danger beside them: someone trapped, on a machine, missing, a fire.
STILL_EMERGENCIES = [
    "停电了 电梯里有人",
    "停电了 电梯里关着人 一直在拍门",
    "停电了 我爸用呼吸机",
    "停电了 楼道里有烟",
    "power cut and my mum is on oxygen",
    "power out, someone stuck in the lift",
    "the lift stopped with my son inside, the power is out",
    "孩子没回来 手机没电了",
    "我家老人出门没回来 手机也没电",
    "我儿子有自闭症 刚才在汽车站跑丢了",
]


@pytest.fixture(scope="module")
def city_nlu(embedded_nlu: EmbeddedBackend) -> EmbeddedBackend:
    return EmbeddedBackend(embedded_nlu.classifier, CITY_PLACES)


@pytest.mark.parametrize(("text", "case_type"), SUPPLY_CUTS + TERSE_REPORTS)
def test_a_supply_cut_or_a_terse_report_is_that_report(
    city_nlu: EmbeddedBackend, text: str, case_type: str
) -> None:
    prediction = city_nlu.parse_sync(text)
    got = (prediction.intent, prediction.case_type)
    assert got == ("report", case_type), prediction.ranking[:3]


@pytest.mark.parametrize("text", STILL_EMERGENCIES)
def test_a_cut_beside_a_danger_is_still_an_emergency(city_nlu: EmbeddedBackend, text: str) -> None:
    prediction = city_nlu.parse_sync(text)
    assert prediction.intent == "emergency", (prediction.safety_net, prediction.ranking[:3])


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("停水了", True),
        ("no heating since monday", True),
        ("手机没电了", False),  # a phone, not the supply
        ("电瓶车没电了", False),
        ("停电了 我爸用呼吸机", False),
        ("power cut, someone trapped in the lift", False),
        ("停电了 闻到煤气味", False),
    ],
)
def test_what_counts_as_a_supply_cut_alone(text: str, only: bool) -> None:
    assert supply_cut_only(text) is only
