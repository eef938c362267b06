"""Typed places: the NLU's place-only guard (nlu/places.py) and reading a typed answer to
"where is it?" against the shipped city (services/places.py). Config files only, no store."""

from __future__ import annotations

import pytest

from config import CityConfig
from nlu.places import MAX_PLACE_CHARS, NO_PLACES, PlaceNames
from services.places import (
    MAX_ADDRESS,
    city_place_names,
    is_place_only,
    place_named_in,
    read_place,
)

PLACE_ONLY = [
    ("翠湖苑 3栋", True),
    ("我在2号楼401", True),
    ("5栋一楼", True),
    ("Block 7", True),
    ("flat 401", True),
    ("Fire Station Road", True),  # an alarming name is still only a place
    ("消防通道旁", True),
    ("人民路和建设路交叉口", True),  # a crossing
    ("corner of Renmin Road and Jianshe Road", True),
    ("烟厂宿舍7栋", True),  # a danger's character in a word of trade
    ("我在消防站对面啊", True),  # a closing particle
    ("急救中心门口👍", True),  # an emoji
    ("outside McDonald's", True),  # a landmark after a locator
    ("Smoke Tree Avenue", True),  # a danger's word in a street's name
    ("上海市黄浦区延安东路128弄3号602室", True),  # a postal address, province to room
    ("G107国道K1234+500", True),  # a road code and a kilometre post
    ("地铁2号线A出口", True),
    ("地下二层", True),
    ("爆竹厂", True),  # a danger's character in a word of trade
    ("老人活动中心", True),  # a person's word before a service's place
    ("翠湖苑3棟", True),  # traditional characters
    ("[位置]翠湖苑", True),  # a share text
    ("【高德地图】翠湖苑 https://surl.amap.com/2kT7yQx", True),  # a map link
    ("22.54, 114.05", True),  # coordinates
    ("Blk 5, opp. the wet market", True),
    ("Cuihu Yuan Bldg 3", True),  # pinyin
    ("Hongmian Raod", True),  # a place noun with two letters swapped
    ("Burning Bush Church", True),  # a word of its own between danger and the noun
    ("Blood Bank", True),  # a service's place
    ("18 Keji South Road, Nanshan District, Shenzhen", True),  # closes on its town
    ("翠湖苑3棟著火", False),  # traditional characters of danger too
    ("水库大坝溃坝", False),
    ("高压电塔下有人触电", False),
    ("22.54, 114.05 fire", False),
    ("https://news.example.com/fire block 7", False),  # a link that is no map
    ("burning church", False),  # no word between danger and the noun
    ("fire car park", False),
    ("smoke B2 car park", False),  # a code after the danger's word
    ("electrocuted near the pylon", False),
    ("Block 5, Renmin Road, hurry", False),
    ("翠湖苑着火了", False),  # an event at a place
    ("起火大楼", False),  # a danger's word before a place noun
    ("3栋坠楼", False),
    ("smoke block 7", False),  # a danger's word before a building's part
    ("fire exit blocked at Block 3", False),  # "blocked" is no block
    ("my kid fell at Block 7", False),
    ("help", False),
    ("", False),
    ("3栋" * (MAX_PLACE_CHARS // 2 + 1), False),  # too long to be only where
]


@pytest.mark.parametrize(("text", "place_only"), PLACE_ONLY)
def test_the_grammar_of_places(text: str, place_only: bool) -> None:
    assert NO_PLACES.is_place_only(text) is place_only


@pytest.mark.parametrize("text", ["星河湾畔", "星河湾畔 3栋", "Riverside Oaks"])
def test_a_configured_alias_is_a_place_the_grammar_does_not_know(text: str) -> None:
    assert not NO_PLACES.is_place_only(text)
    assert PlaceNames.of(["星河湾畔", "Riverside Oaks", " ", ""]).is_place_only(text)


def test_aliases_are_folded_longest_first() -> None:
    names = PlaceNames.of(["新基", "新基大厦", "ＸＩＮＪＩ  Tower", "新基"])
    assert names.aliases[0] == "xinji tower"  # NFKC, casefold, one space
    assert names.aliases.index("新基大厦") < names.aliases.index("新基")
    assert "新基" not in names.mark_aliases("新基大厦旁")


@pytest.mark.parametrize(
    ("text", "grid", "community", "has_unit"),
    [
        ("翠湖苑", "xinji-02", None, False),  # an estate alias
        ("Emerald Lake Court 3栋", "xinji-02", None, True),  # its English name, a building
        ("  新基大厦   2号楼401 ", "xinji-01", None, True),
        ("阳光社区", None, "yangguang", False),  # a community named outright
        ("Hongmian Community", None, "hongmian", False),
        ("Xinji", None, "xinji", False),  # a community named by its start
        ("flat 401", None, None, True),  # a flat nobody configured
        ("人民路和建设路交叉口", None, None, False),  # kept as an address only
    ],
)
def test_read_place(
    city: CityConfig, text: str, grid: str | None, community: str | None, has_unit: bool
) -> None:
    place = read_place(city, text)
    assert place.address == " ".join(text.split())  # the resident's words, spaces tidied
    assert (place.grid.id if place.grid else None) == grid
    assert (place.community.id if place.community else None) == community
    assert place.has_unit is has_unit


def test_a_long_answer_is_cut_to_the_address_column(city: CityConfig) -> None:
    assert len(read_place(city, "路" * (MAX_ADDRESS + 50)).address) == MAX_ADDRESS


def test_the_city_s_names_feed_the_guard(city: CityConfig) -> None:
    names = city_place_names(city)
    assert {"翠湖苑", "Emerald Lake Court", "新基社区", "Xinji Grid 1"} <= set(names)
    assert is_place_only(city, "Sunshine Garden 3栋")
    assert not is_place_only(city, "Sunshine Garden 3栋 着火了")


@pytest.mark.parametrize(
    ("words", "grid", "address", "has_unit"),
    [
        ("翠湖苑3栋楼下垃圾堆了好几天", "xinji-02", "翠湖苑3栋", True),  # the building right after
        ("阳光花园2栋1203室门口有人乱扔垃圾", "yangguang-01", "阳光花园2栋1203室", True),
        ("bins at Emerald Lake Court block 3", "xinji-02", "Emerald Lake Court block 3", True),
        # English often names the building first: it is kept, after the estate's name
        ("The lift at Block 2 of Emerald Lake Court is broken", "xinji-02",
         "Emerald Lake Court Block 2", True),
        ("flat 401, block 2 at Emerald Lake Court has a leak", "xinji-02",
         "Emerald Lake Court flat 401, block 2", True),
        ("Building 5 in Emerald Lake Court is noisy", "xinji-02",
         "Emerald Lake Court Building 5", True),
        ("the 3 bins at Emerald Lake Court", "xinji-02", "Emerald Lake Court", False),  # a count
        ("Emerald Lake Court rubbish everywhere", "xinji-02", "Emerald Lake Court", False),
    ],
)  # fmt: skip
def test_a_place_named_in_a_report_keeps_its_building(
    city: CityConfig, words: str, grid: str, address: str, has_unit: bool
) -> None:
    place = place_named_in(city, words)
    assert place is not None and place.grid is not None
    assert (place.grid.id, place.address, place.has_unit) == (grid, address, has_unit)
