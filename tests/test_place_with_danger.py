"""A place with a danger is an emergency; a place with a problem is a report (issue 12).

A place alone is out of scope (never an emergency), so a short message made mostly of a
place ("5栋火灾", "help Block 7") used to be read for its place: the model said out_of_scope
and no step raised the alarm. Now the city's aliases and building/flat codes are set aside
before the model reads a message (nlu.places.PlaceNames.without_places) and the safety net
looks for its cues a second time without them, so the danger decides. Each row is a kind:
a bare danger word, a short danger phrase, a person in danger, in both languages, after a
configured estate, a building code, a flat, or both.
"""

from __future__ import annotations

import pytest

from config import SHIPPED_CONFIG_DIR, load_config
from handlers.edge import Understanding
from nlu.embedded import EmbeddedBackend
from nlu.places import PlaceNames
from nlu.safety_net import emergency_cue
from services.places import city_place_names, emergency_words

CITY = load_config(SHIPPED_CONFIG_DIR)
CITY_PLACES = PlaceNames.of(city_place_names(CITY))

DANGERS = [
    # Chinese: a bare danger word after a place
    "5栋火灾", "2号楼失火", "3栋起火", "3栋冒烟", "3栋爆炸", "5栋跳楼", "3栋坠楼", "3栋流血",
    "3栋打架", "翠湖苑3栋 着火", "翠湖苑3栋浓烟", "红棉苑6栋火灾", "B座火灾", "12栋打人了",
    "3栋302 救命", "救命 3栋", "快来 翠湖苑3栋", "快来3栋", "翠湖苑5栋 快来人啊", "7号楼出事了",
    # Chinese: a short danger phrase with a place
    "翠湖苑3栋楼道有烟", "3栋楼下打人", "3栋电梯坠落", "2号楼401煤气味很重 有人头晕",
    "3栋门口有人晕倒", "B座电梯里有人被困", "新基大厦2号楼401 有人晕倒", "我在3栋 我被困住了",
    "5栋一楼冒烟", "3栋煤气泄漏", "翠湖苑3栋燃气泄漏", "奶奶晕倒在3栋门口", "6栋楼道里全是烟",
    "翠湖苑8栋门口有人砍人", "2单元楼梯间有烟", "3号楼电梯掉下去了",
    # English
    "help Block 7", "help me Block 7", "help!! Hospital Road Block 2", "Block 7 fire",
    "Block 7 on fire", "flat 401 is on fire", "fire in flat 401", "Emerald Lake Court block 3 fire",
    "Blaze Court block 2 burning", "fight outside the police station", "emergency at Block 7",
    "trapped in the lift Block 2", "my mum collapsed at Kapok Villa block 4", "Block 7 explosion",
    "flat 401 gas leak", "someone unconscious Block 7 lobby", "Block 3 corridor full of smoke",
    "smoke in the stairwell at Block 3", "Block 9 help", "unit 5B fire", "Tower B flat 12 help us",
    "stabbing at Block 4",
]  # fmt: skip

REPORTS = [
    "3栋门口垃圾堆了好几天", "5栋一楼路灯坏了", "翠湖苑3栋电梯坏了", "2号楼楼道灯不亮",
    "3栋消防通道有火灾隐患", "5栋楼下经常有人吵架", "Block 7 lift broken",
    "Block 7 lift not working",
    "water leak at flat 401", "bins overflowing at Block 7", "noise from flat 401 every night",
    "fire exit blocked at Block 3",
]  # fmt: skip


@pytest.fixture(scope="module")
def city_nlu(embedded_nlu: EmbeddedBackend) -> EmbeddedBackend:
    return EmbeddedBackend(embedded_nlu.classifier, CITY_PLACES)


@pytest.mark.parametrize("text", DANGERS)
def test_a_danger_at_a_place_gets_the_numbers(city_nlu: EmbeddedBackend, text: str) -> None:
    prediction = city_nlu.parse_sync(text)
    assert (prediction.intent, prediction.place_only) == ("emergency", False), prediction


@pytest.mark.parametrize("text", [t for t in DANGERS if len(t) <= 12])
def test_typed_as_the_answer_to_where_it_is_still_an_emergency(
    city_nlu: EmbeddedBackend, text: str
) -> None:
    """At the place step only the words count (the safety net's cue), never the model."""
    prediction = city_nlu.parse_sync(text)
    cue, place_only = emergency_words(CITY, text)
    assert not place_only
    understanding = Understanding(prediction, cue, place_only)
    assert understanding.emergency(answering=True), prediction


@pytest.mark.parametrize("text", REPORTS)
def test_a_problem_at_a_place_is_a_report(city_nlu: EmbeddedBackend, text: str) -> None:
    prediction = city_nlu.parse_sync(text)
    assert prediction.intent == "report", prediction
    assert emergency_cue(CITY_PLACES.without_places(text)) is None


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("5栋火灾", "火灾"),
        ("翠湖苑3栋楼道有烟", "楼道有烟"),
        ("2号楼401煤气味很重", "煤气味很重"),
        ("help Block 7", "help"),
        ("Emerald Lake Court block 3 fire", "fire"),
        ("路灯坏了，3栋门口黑漆漆的", "路灯坏了, 门口黑漆漆的"),
        ("翠湖苑3栋", "翠湖苑3栋"),  # a place alone is kept: the model knows it is out of scope
        ("Block 7", "Block 7"),
        ("3个人被困在电梯里", "3个人被困在电梯里"),  # a count is no building code
    ],
)
def test_what_the_model_reads(text: str, read: str) -> None:
    assert CITY_PLACES.without_places(text) == read
