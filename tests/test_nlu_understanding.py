"""Issue 12's kinds of errors, as tables: emergencies first, places never emergencies,
negations, questions as questions. Every rule lives in the shared layer (nlu/types.py),
so it holds for both backends: each table runs through the real embedded model and, where
the model's answer is the point, through a ranking or a Rasa answer that says the opposite.

The sentences were written for this file, none is a training or held-out line
(`test_sentences_are_new`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from bot.settings import load_settings
from entrypoints.nlu_engine import build_nlu
from nlu.embedded import EmbeddedBackend
from nlu.places import PlaceNames
from nlu.questions import is_question
from nlu.rasa_backend import prediction_from_rasa
from nlu.safety_net import emergency_cue, without_negated_clauses
from nlu.training_data import load_examples
from nlu.types import EMERGENCY_MIN_SHARE, LabelScore, prediction_from_ranking

REPO = Path(__file__).resolve().parent.parent
EVAL_DIR = REPO / "nlu" / "eval"
# The shipped city's aliases, as the composition root hands them over (entrypoints/app.py).
CITY_PLACES = PlaceNames.of(
    ["翠湖苑", "Emerald Lake Court", "东城路88号", "88 Dongcheng Road", "新基大厦", "Xinji Tower",
     "榕树头市场", "Banyan Market", "木棉山庄", "Kapok Villa"]
)  # fmt: skip

# One table per emergency category (notes/emergency_categories.md), both languages.
EMERGENCIES = {
    "fire_smoke_explosion": [
        "楼道里的电瓶车电池炸了 楼上还有人没下来",
        "an e-bike battery blew up on the landing and the stairs are full of smoke",
    ],
    "collapse_unconscious": [
        "我外公吃着饭突然晕过去了 怎么叫都不醒",
        "the cleaner collapsed by the lifts and isn't breathing",
    ],
    "gas_with_symptoms": [
        "厨房煤气味好重 我老婆头好晕想吐",
        "the whole flat smells of gas and my kids have a headache and feel dizzy",
    ],
    "trapped": [
        "我们被困在电梯里快一个小时了 里面还有个孕妇",
        "two of us are trapped in the basement and the water keeps rising",
    ],
    "missing_person": [
        "我家老人走丢了 有点糊涂 穿灰色外套",
        "my mum has dementia and has not come back since lunch",
        "儿子放学四个钟头了还没回家 电话也打不通",
        "my daughter never came home from school and it's nearly dark",
    ],
    "dependant_in_danger": [
        "停车场有个小孩被锁在车里 太阳底下晒着",
        "a toddler is locked in a car outside the supermarket in this heat",
        "楼上小孩爬到空调外机上面去了 九楼",
        "a little boy is out on the window ledge on the 8th floor",
    ],
    "about_to_fall_or_jump": [
        "有个人站在楼顶边上说要跳下去",
        "a worker is dangling from the scaffolding by one rope",
    ],
    "violence_in_progress": [
        "隔壁在家暴 女的一直喊救命",
        "a man is beating his wife in the corridor right now",
    ],
}

# Safety-net combinations (nlu/safety_net.py): who is in danger, in what state, where. Each
# must reach the numbers from the cue alone, whatever an engine ranks.
COMBINED_CUES = [
    "小孩一个人在鱼塘边上蹲着 旁边一个大人都没有",
    "a little boy on his own is playing right at the canal edge",
    "有辆车里坐着个宝宝 车窗都关着 停在太阳底下",
    "there's a toddler inside that silver car and it's so hot today",
    "我爷爷老年痴呆 吃完午饭出门了 现在还联系不上",
    "my gran has alzheimer's and walked out of the flat after lunch",
    "孙女在步行街跟丢了 到处找都没有",
    "my daughter is still not home and school finished at four",
    "楼道里电瓶车烧着了 我们在八楼下不去",
    "the bikes at the bottom of the stairs are burning and we can't get down",
    "a bedridden old man is locked in next door and has been calling out for days",
]
# The same words about a habit, an animal or a question: no cue.
NOT_COMBINED_CUES = [
    "小区的孩子每天一个人在河边玩 太危险了",
    "kids play alone by the pond every day after school",
    "our dog slipped out and ran off, brown lab",
    "孩子被锁车里该怎么办 只是问问",
    "my grandma's memory is going, can someone visit her",
]

# Place-only texts, incl. alarming-sounding names: never an emergency.
PLACES = [
    "翠湖苑 3栋", "我在翠湖苑3栋", "Emerald Lake Court", "消防通道旁", "Fire Station Road",
    "7栋三楼", "6号楼1102", "Block 9", "flat 1703", "我在木棉山庄12栋", "next to the fire station",
    "I'm at Block 3, flat 1202", "燃气公司营业厅旁边", "东城路88号旁边", "急救中心后门",
    "near Gas Works Lane", "新基大厦B座", "Kapok Villa block 2",
    "必胜客门口", "家乐福对面", "地铁站D出口", "Harbour Heights flat 7C",
    "outside the town library",
]  # fmt: skip

# Negations and other near misses: not an emergency; what the rest of the text reports.
NOT_EMERGENCIES = [
    ("没有着火，只是5栋门口的路灯坏了", "report", "public_facility"),  # 楼道灯: property_management
    ("not a fire, just the stairwell light on floor 6 is dead", "report", "public_facility"),
    ("不是煤气泄漏 是下水道的臭味又返上来了", "report", "sanitation"),
]

# A denied danger does not hide a real one in another clause.
NEGATION_THEN_EMERGENCY = [
    "没有着火，但是有人晕倒在楼梯上了",
    "no fire, but my neighbour collapsed on the stairs",
]

QUESTIONS = [
    "请问社区有没有给孩子的暑期托管班",
    "my grandma is 82, is there some money for old people?",
    "Is there a summer day camp for kids?",
    "where can i get my residence permit renewed",
    "能不能告诉我打疫苗要带什么",
]
NOT_QUESTIONS = [
    "3栋门口路灯坏了",
    "能不能派人来修一下路灯",
    "can you send someone to fix the street light",
    "the lift at block 2 has been broken for a week",
]


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


# Quoted from the issue (and so also in the data on purpose): not checked for novelty.
ISSUE_EXAMPLES = {
    "翠湖苑 3栋", "我在翠湖苑3栋", "Emerald Lake Court", "消防通道旁", "Fire Station Road",
    "请问社区有没有给孩子的暑期托管班", "my grandma is 82, is there some money for old people?",
    "Is there a summer day camp for kids?",
}  # fmt: skip


def _all_texts() -> list[str]:
    texts = [t for texts in EMERGENCIES.values() for t in texts] + COMBINED_CUES
    texts += NOT_COMBINED_CUES
    texts += PLACES + [t for t, *_ in NOT_EMERGENCIES] + NEGATION_THEN_EMERGENCY + QUESTIONS
    return [t for t in texts if t not in ISSUE_EXAMPLES]


def test_sentences_are_new() -> None:
    seen = {_key(e.text) for e in load_examples()}
    for path in EVAL_DIR.rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.add(_key(json.loads(line)["text"]))
    assert [t for t in _all_texts() if _key(t) in seen] == []


@pytest.fixture
def city_nlu(embedded_nlu: EmbeddedBackend) -> EmbeddedBackend:
    return EmbeddedBackend(embedded_nlu.classifier, CITY_PLACES)


@pytest.mark.parametrize(
    ("category", "text"), [(c, t) for c, texts in EMERGENCIES.items() for t in texts]
)
def test_every_category_of_emergency_gets_the_numbers(
    city_nlu: EmbeddedBackend, category: str, text: str
) -> None:
    prediction = city_nlu.parse_sync(text)
    assert prediction.intent == "emergency", f"{category}: {text!r} -> {prediction.ranking[:3]}"


@pytest.mark.parametrize("text", COMBINED_CUES)
def test_a_combination_of_who_state_and_where_is_an_emergency_cue(text: str) -> None:
    assert emergency_cue(text) is not None
    report = [LabelScore("report_safety_hazard", 0.9), LabelScore("emergency", 0.05)]
    assert prediction_from_ranking(report, "rasa", text=text).intent == "emergency"


@pytest.mark.parametrize("text", NOT_COMBINED_CUES)
def test_a_habit_an_animal_or_a_question_is_no_combination(text: str) -> None:
    assert emergency_cue(text) is None


@pytest.mark.parametrize("text", PLACES)
def test_a_place_alone_is_never_an_emergency(city_nlu: EmbeddedBackend, text: str) -> None:
    assert CITY_PLACES.is_place_only(text)
    assert city_nlu.parse_sync(text).intent != "emergency"
    # Even when an engine is sure it is one (as Rasa was for 翠湖苑 3栋 at 0.93).
    alarmed = [LabelScore("emergency", 0.93), LabelScore("report_safety_hazard", 0.05)]
    prediction = prediction_from_ranking(alarmed, "rasa", text=text, places=CITY_PLACES)
    assert (prediction.intent, prediction.place_only) == ("report", True)


@pytest.mark.parametrize(
    "text",
    ["3栋着火了", "翠湖苑3栋有人晕倒了", "fire at block 7", "people trapped in the lift at Block 2",
     "5栋有人跳楼", "burning building", "fire!! 楼下", "help 3栋", "3栋 fire"],
)  # fmt: skip
def test_a_place_with_an_event_is_more_than_a_place(text: str) -> None:
    assert not CITY_PLACES.is_place_only(text)


def test_rasa_answers_go_through_the_place_guard() -> None:
    body = {
        "text": "我在翠湖苑3栋",
        "intent": {"name": "emergency", "confidence": 0.9},
        "intent_ranking": [
            {"name": "emergency", "confidence": 0.9},
            {"name": "out_of_scope", "confidence": 0.1},
        ],
    }
    assert prediction_from_rasa(body, places=CITY_PLACES).intent == "out_of_scope"


@pytest.mark.parametrize(("text", "intent", "case_type"), NOT_EMERGENCIES)
def test_a_denied_danger_is_the_report_it_goes_on_to_make(
    city_nlu: EmbeddedBackend, text: str, intent: str, case_type: str
) -> None:
    prediction = city_nlu.parse_sync(text)
    assert (prediction.intent, prediction.case_type) == (intent, case_type), prediction.ranking
    assert emergency_cue(text) is None


@pytest.mark.parametrize("text", NEGATION_THEN_EMERGENCY)
def test_a_denied_danger_does_not_hide_a_real_one(city_nlu: EmbeddedBackend, text: str) -> None:
    assert emergency_cue(text) is not None
    assert city_nlu.parse_sync(text).intent == "emergency"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("没有着火，只是3栋楼道灯坏了", "只是3栋楼道灯坏了"),
        ("not a fire, just the corridor light", "just the corridor light"),
        ("没有着火", ""),
        ("3栋着火了", "3栋着火了"),
    ],
)
def test_clauses_that_deny_a_danger_are_set_aside(text: str, kept: str) -> None:
    assert without_negated_clauses(text) == kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("楼道里有点煤气味 好几天了", None),
        ("there's been a faint gas smell on the landing for two days", None),
        ("煤气味好大 我妈头晕想吐", "emergency"),
        ("上周楼下着过一次火，现在想问问消防检查", None),
        ("我的狗走丢了 白色的", None),
        ("our cat is missing since yesterday", None),
        ("the repairman never came back to fix the light", None),
    ],
)
def test_near_misses_of_the_safety_net(text: str, expected: str | None) -> None:
    assert ("emergency" if emergency_cue(text) else None) == expected


def test_a_faint_gas_smell_for_days_is_an_urgent_report_not_an_emergency() -> None:
    # Whatever share the engine gives `emergency`, the smell alone is a hazard report.
    ranking = [LabelScore("emergency", 0.8), LabelScore("report_safety_hazard", 0.15)]
    text = "a faint gas smell on our landing for two days, nobody feels ill"
    prediction = prediction_from_ranking(ranking, "embedded", text=text)
    assert (prediction.intent, prediction.case_type) == ("report", "safety_hazard")


@pytest.mark.parametrize(
    ("share", "intent"),
    [(EMERGENCY_MIN_SHARE, "emergency"), (EMERGENCY_MIN_SHARE - 0.01, "report")],
)
def test_when_unsure_between_emergency_and_a_report_the_numbers_go_first(
    share: float, intent: str
) -> None:
    ranking = [LabelScore("report_safety_hazard", 1 - share), LabelScore("emergency", share)]
    prediction = prediction_from_ranking(ranking, "embedded", text="楼下那个情况很不对劲")
    assert prediction.intent == intent


@pytest.mark.parametrize("text", QUESTIONS)
def test_question_forms_are_questions(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize("text", NOT_QUESTIONS)
def test_reports_and_requests_are_not_questions(text: str) -> None:
    assert not is_question(text)


def test_a_question_goes_to_a_close_faq_topic_instead_of_a_report() -> None:
    ranking = [
        LabelScore("report_livelihood_assistance", 0.6),
        LabelScore("faq/elderly_subsidy", 0.3),
    ]
    text = "my grandma is 82, is there some money for old people?"
    prediction = prediction_from_ranking(ranking, "rasa", text=text)
    assert (prediction.intent, prediction.topic, prediction.question) == (
        "faq", "elderly_subsidy", True
    )  # fmt: skip
    statement = prediction_from_ranking(ranking, "rasa", text="奶奶82岁了 一个人住 没人照顾")
    assert (statement.intent, statement.question) == ("report", False)


@pytest.mark.parametrize("text", QUESTIONS[:3])
def test_the_issues_questions_are_not_problem_reports(city_nlu: EmbeddedBackend, text: str) -> None:
    prediction = city_nlu.parse_sync(text)
    assert prediction.question
    assert prediction.intent != "report", prediction.ranking[:3]


def test_build_nlu_takes_the_citys_place_names(tmp_path: Path, nlu_cache_dir: Path) -> None:
    settings = load_settings(cache_dir=nlu_cache_dir.parent, nlu_backend="embedded")
    backend = build_nlu(settings, ["The Pines"])
    assert isinstance(backend, EmbeddedBackend)
    assert backend.places.is_place_only("I'm at The Pines")
    assert not PlaceNames().is_place_only("I'm at The Pines")


async def test_rasa_is_asked_about_what_is_left_after_the_denial() -> None:
    import httpx

    from nlu.rasa_backend import RasaBackend

    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        text = json.loads(request.content)["text"]
        asked.append(text)
        ranking = [{"name": "report_public_facility", "confidence": 0.8},
                   {"name": "emergency", "confidence": 0.2}]  # fmt: skip
        return httpx.Response(
            200, json={"text": text, "intent": ranking[0], "intent_ranking": ranking}
        )

    async with RasaBackend("http://rasa", transport=httpx.MockTransport(answer)) as rasa:
        prediction = await rasa.parse("没有着火，只是5栋楼道灯坏了")
    assert asked == ["只是 楼道灯坏了"]  # the denial and the building code set aside
    assert (prediction.intent, prediction.case_type) == ("report", "public_facility")
