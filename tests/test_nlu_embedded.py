"""The embedded backend as residents meet it, and the evaluation interface around it.

Every sentence here was written for this file: none is a training example or a
held-out line (`test_sentences_are_new` checks), so the table measures what the
model learned, not what it memorised.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from nlu.embedded import EmbeddedBackend
from nlu.safety_net import emergency_cue
from nlu.training_data import load_examples
from nlu.types import EMERGENCY_MIN_SHARE

REPO = Path(__file__).resolve().parent.parent
GRIDDESK = REPO / ".venv" / "bin" / "griddesk"
EVAL_DIR = REPO / "nlu" / "eval" / "parts"

# (text, intent, case_type or topic)
REPORTS = [
    ("二单元门口那盏路灯坏了一个礼拜 晚上黑乎乎的", "report", "public_facility"),
    ("the pedestrian crossing light at Renmin Rd stopped working", "report", "traffic_parking"),
    ("垃圾站满出来了 三天没人清运 味道冲天", "report", "sanitation"),
    ("rubbish piling up by the bins at block 2, nobody has collected it", "report", "sanitation"),
    ("小区那几棵树的枝子都伸到我家窗户里了 能不能修剪一下", "report", "greenery"),
    ("the hedges in the park are overgrown and cover the path", "report", "greenery"),
    ("顶楼那户在楼顶加盖了一间彩钢房", "report", "illegal_construction"),
    ("ground floor flat is building out into the garden", "report", "illegal_construction"),
    ("楼上天天半夜蹦迪 音响开到最大", "report", "noise"),
    ("the bar downstairs blasts music until 2am every night", "report", "noise"),
    ("我们楼里住着个独居老人 好几天没出门了 没人照顾", "report", "livelihood_assistance"),
    ("old man on the 3rd floor lives alone with no food", "report", "livelihood_assistance"),
    ("菜场有个摊子卖的熟食苍蝇乱飞 吃了拉肚子", "report", "public_health"),
    ("a shop is selling expired milk and my son got sick", "report", "public_health"),
]  # fmt: skip

# The four hard pairs of the issue, one message on each side, in both languages.
HARD_PAIRS = [
    # safety_hazard (a risk) vs emergency (danger now)
    ("楼道里停满了电动车 还在充电 太危险了", "report", "safety_hazard"),
    ("楼道里的电动车烧起来了 全是烟", "emergency", None),
    ("the fire extinguishers in our block are all expired", "report", "safety_hazard"),
    ("the flat below is on fire, flames coming out of the window", "emergency", None),
    # property_management (the estate's manager) vs public_facility (city property)
    ("物业不管事 小区电梯坏了一个月没人修", "report", "property_management"),
    ("市政路上的井盖丢了 留了个大洞", "report", "public_facility"),
    ("property company ignores us, our compound gate is broken", "report", "property_management"),
    ("the bus stop shelter on the main road is smashed", "report", "public_facility"),
    # neighbor_dispute (a quarrel) vs noise (the sound itself)
    ("和楼上因为漏水的事吵翻了 他们不肯赔", "report", "neighbor_dispute"),
    ("楼上装修电钻声从早吵到晚", "report", "noise"),
    ("neighbour blocks my door with his bike and yells when i ask", "report", "neighbor_dispute"),
    ("construction noise next door starts at 6am every day", "report", "noise"),
    # street_order (stalls, flyers) vs traffic_parking (vehicles)
    ("一堆小贩在人行道上摆摊 行人都走不过去", "report", "street_order"),
    ("有辆车把小区大门堵住了 进不去出不来", "report", "traffic_parking"),
    ("hawkers have set up stalls all along the pavement by the school", "report", "street_order"),
    ("a van is parked across the fire lane again", "report", "traffic_parking"),
]  # fmt: skip

EMERGENCIES = [
    "厨房的油锅着火了 火好大",
    "我爸突然倒下了 叫也叫不醒",
    "天然气管子漏了 呲呲的响 满屋子味道",
    "有人被困在电梯里 喘不过气",
    "小孩从二楼阳台掉下去了",
    "有人拿着刀在小区里乱砍",
    "水从门缝里涌进来了 已经淹到小腿",
    "my grandmother fell and isn't breathing",
    "there's smoke pouring out of the flat next door",
    "gas is leaking in the kitchen and i feel sick",
    "a man is hitting a woman with a bat outside, she's bleeding",
    "my son got an electric shock from the socket and won't wake up",
    "the river is flooding into our street and a car is stuck with people inside",
]

OTHER_INTENTS = [
    ("居住证怎么办理", "faq", "residence_permit"),
    ("how do i apply for the old age allowance for my dad", "faq", "elderly_subsidy"),
    ("打流感疫苗要预约吗", "faq", "vaccination"),
    ("what time does the community service centre close on saturday", "faq", "service_hours"),
    ("电池应该丢到哪个垃圾桶", "faq", "garbage_sorting"),
    ("我上周报的那个井盖的事怎么样了", "check_status", None),
    ("any progress on case GD-2026-000777?", "check_status", None),
    ("我想报名当志愿者 周末有空", "volunteer_signup", None),
    ("i'd like to volunteer at the weekend", "volunteer_signup", None),
    ("你好 小助手 在线吗", "greet", None),
    ("hello there, anyone around?", "greet", None),
    ("好的 谢谢你们", "thanks", None),
    ("thanks so much for the help", "thanks", None),
    ("算了 不用报了", "cancel", None),
    ("never mind, please cancel it", "cancel", None),
    ("推荐一部好看的电影", "out_of_scope", None),
    ("what's the score of the football game", "out_of_scope", None),
]

TABLE = [*REPORTS, *HARD_PAIRS, *OTHER_INTENTS, *((t, "emergency", None) for t in EMERGENCIES)]


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def test_sentences_are_new() -> None:
    """The table is neither training data nor held-out data."""
    seen = {_key(e.text) for e in load_examples()}
    for path in EVAL_DIR.glob("*.jsonl"):
        seen |= {_key(json.loads(line)["text"]) for line in path.read_text().splitlines() if line}
    reused = [text for text, *_ in TABLE if _key(text) in seen]
    assert reused == []


@pytest.mark.parametrize(("text", "intent", "detail"), TABLE)
def test_embedded_understands(
    embedded_nlu: EmbeddedBackend, text: str, intent: str, detail: str | None
) -> None:
    prediction = embedded_nlu.parse_sync(text)
    got = (prediction.intent, prediction.case_type or prediction.topic)
    assert got == (intent, detail), f"{text!r}: ranking {prediction.ranking}"
    assert 0.0 < prediction.confidence <= 1.0
    assert prediction.backend == "embedded"


def test_emergency_is_never_below_its_share(embedded_nlu: EmbeddedBackend) -> None:
    """Whenever the model gives `emergency` its share, the bot treats the message as one."""
    for text, *_ in TABLE:
        prediction = embedded_nlu.parse_sync(text)
        share = {s.label: s.confidence for s in prediction.ranking}.get("emergency", 0.0)
        if share >= EMERGENCY_MIN_SHARE:
            assert prediction.intent == "emergency", text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("着火了 快来人", True),
        ("我妈没有呼吸了", True),
        ("gas is leaking, i can smell it everywhere", True),
        ("someone collapsed at the bus stop", True),
        ("差点着火 幸好发现得早", False),
        ("万一着火了大家都跑不掉", False),
        ("the gas pipe is rusty but not leaking", False),
        ("fire exit blocked by bikes", False),
        ("the ambulance lane is always full of parked cars", False),
        ("GD-2026-001203 进度怎么样", False),
    ],
)
def test_safety_net_cues(text: str, expected: bool) -> None:
    assert (emergency_cue(text) is not None) is expected


def test_safety_net_promotes_emergency_on_top_of_the_model(embedded_nlu: EmbeddedBackend) -> None:
    prediction = embedded_nlu.parse_sync("救命 有人不呼吸了")
    assert prediction.intent == "emergency"
    assert prediction.ranking[0].label == "emergency"


# --- the evaluation interface (DESIGN.md) through the real command -----------------------------


def griddesk(
    tmp_path: Path, nlu_cache_dir: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `griddesk` as an evaluator would, sharing the session's cached embedded model."""
    env = {
        **os.environ,
        "GRIDDESK_CACHE_DIR": str(nlu_cache_dir.parent),
        "GRIDDESK_NLU_BACKEND": "embedded",
        "GRIDDESK_LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [str(GRIDDESK), *args], input=stdin, capture_output=True, text=True, env=env,
        cwd=tmp_path, timeout=300, check=False,
    )  # fmt: skip


def test_predict_writes_one_json_line_per_input(
    tmp_path: Path, nlu_cache_dir: Path, embedded_nlu: EmbeddedBackend
) -> None:
    lines = [
        {"text": "路灯坏了 晚上好黑"},
        {"text": "how do i get a residence permit"},
        "this is not json",
        {"text": "着火了 快来"},
        {"txt": "wrong key"},
        {"text": 42},
        {"text": "thank you!"},
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    done = griddesk(tmp_path, nlu_cache_dir, "nlu", "predict", stdin=stdin + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(lines)
    report, faq, bad_json, emergency, bad_key, bad_type, thanks = out
    assert report["intent"] == "report" and report["case_type"] == "public_facility"
    assert "topic" not in report
    assert faq["intent"] == "faq" and faq["topic"] == "residence_permit"
    assert "case_type" not in faq
    assert emergency["intent"] == "emergency"
    assert set(emergency) == {"intent", "confidence"}
    assert thanks["intent"] == "thanks"
    for answer in (report, faq, emergency, thanks):
        assert 0.0 < answer["confidence"] <= 1.0
    for error in (bad_json, bad_key, bad_type):
        assert set(error) == {"error"}
    assert bad_json["error"].startswith("line 3")


LABELLED = [
    {"text": "小区门口的井盖没了", "lang": "zh", "intent": "report",
     "case_type": "public_facility"},
    {"text": "the rubbish bins have not been emptied for a week", "lang": "en",
     "intent": "report", "case_type": "sanitation"},
    {"text": "社区服务中心几点关门呀", "lang": "zh", "intent": "faq", "topic": "service_hours"},
    {"text": "my father collapsed and is not breathing", "lang": "en", "intent": "emergency"},
    {"text": "谢谢网格员大哥", "lang": "zh", "intent": "thanks"},
    # Deliberately mislabelled, so the confusion summary has something to show.
    {"text": "hello, good morning", "lang": "en", "intent": "cancel"},
]  # fmt: skip


def test_eval_prints_the_scores(
    tmp_path: Path, nlu_cache_dir: Path, embedded_nlu: EmbeddedBackend
) -> None:
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in LABELLED) + "\n")
    done = griddesk(tmp_path, nlu_cache_dir, "nlu", "eval", str(path))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"examples: 6\s+accuracy: 0\.8333", out), out
    assert re.search(r"macro-F1 \(en\): [01]\.\d{4}", out)
    assert re.search(r"macro-F1 \(zh\): [01]\.\d{4}", out)
    assert re.search(r"latency ms p50: [\d.]+\s+p99: [\d.]+", out)
    assert "emergency recall: 1.0000" in out
    for header in ("label", "precision", "recall", "F1", "support"):
        assert header in out
    assert "report:public_facility" in out and "faq:service_hours" in out
    assert "most frequent confusions" in out
    assert re.search(r"cancel\s*│\s*greet\s*│\s*1", out), out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ('{"text": "ok", "intent": "greet"}\n{not json}\n', "labelled.jsonl:2: not JSON"),
        ('{"intent": "greet"}\n', 'needs at least "text" and "intent"'),
        ('{"text": "路灯坏了", "intent": "report"}\n', 'needs "case_type"'),
        ('{"text": "hi", "intent": "hello"}\n', "unknown intent 'hello'"),
        ("\n\n", "no examples"),
    ],
)
def test_eval_refuses_a_missing_or_malformed_file(
    tmp_path: Path, nlu_cache_dir: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "labelled.jsonl"
    if content is not None:
        path.write_text(content)
    done = griddesk(tmp_path, nlu_cache_dir, "nlu", "eval", str(path))
    assert done.returncode != 0
    assert message in " ".join(done.stderr.split()), done.stderr
    assert "Traceback" not in done.stderr
