"""Start-up refuses a case type or FAQ topic the NLU cannot name, naming the file and the id."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.nlu_labels import nlu_label_problems
from bot.settings import load_settings
from config.loader import SHIPPED_CONFIG_DIR, load_config
from config.reading import ConfigError
from entrypoints.app import build_runtime
from entrypoints.cli import app
from nlu.training_data import DATA_DIR, rasa_domain
from nlu.types import NluBackend, Prediction

NEW_CASE_TYPE = """
  - id: bike_theft
    name: {zh: 单车被盗, en: Bike theft}
    short: {zh: 自行车电动车被偷, en: "stolen bikes"}
    priority: normal
    sla: {accept: 2wh, resolve: 2wd}
    department:
      id: urban_management
      name: {zh: 城市管理和综合执法局, en: Urban Management and Law Enforcement Bureau}
"""


class _QuietNlu:
    name = "none"

    async def parse(self, text: str) -> Prediction:
        return Prediction(intent="out_of_scope", confidence=0.0)


def _config_with_new_case_type(tmp_path: Path) -> Path:
    config_dir = tmp_path / "config"
    shutil.copytree(SHIPPED_CONFIG_DIR, config_dir, ignore=shutil.ignore_patterns("*.py"))
    case_types = config_dir / "case_types.yaml"
    case_types.write_text(case_types.read_text(encoding="utf-8") + NEW_CASE_TYPE, encoding="utf-8")
    return config_dir


def test_the_shipped_config_and_the_nlu_agree() -> None:
    assert nlu_label_problems(load_config(SHIPPED_CONFIG_DIR)) == []


def test_start_up_refuses_a_case_type_without_examples(tmp_path: Path) -> None:
    config_dir = _config_with_new_case_type(tmp_path)
    settings = load_settings(
        config_dir=config_dir, database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}"
    )
    nlu: NluBackend = _QuietNlu()
    with pytest.raises(ConfigError) as refused:
        build_runtime(settings, nlu=nlu)
    assert refused.value.file == "case_types.yaml"
    assert refused.value.where == "bike_theft"
    assert "report_bike_theft" in str(refused.value)


def test_faq_check_names_the_file_and_the_id(tmp_path: Path) -> None:
    config_dir = _config_with_new_case_type(tmp_path)
    result = CliRunner().invoke(
        app, ["faq", "check"], env={"GRIDDESK_CONFIG_DIR": str(config_dir), "COLUMNS": "220"}
    )
    assert result.exit_code == 1
    assert "case_types.yaml: bike_theft: no training examples labelled report_bike_theft" in (
        result.output
    )


def test_a_case_type_is_one_yaml_entry_plus_examples(tmp_path: Path) -> None:
    # The recipe in README: the entry and its examples, nothing else; the Rasa domain follows.
    config_dir = _config_with_new_case_type(tmp_path)
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    (data_dir / "bike_theft.yml").write_text(
        'version: "3.1"\nnlu:\n  - intent: report_bike_theft\n    examples: |\n'
        "      - 我的电动车在楼下被偷了\n      - someone stole my bike from the rack\n",
        encoding="utf-8",
    )
    city = load_config(config_dir)
    assert nlu_label_problems(city, data_dir) == []
    domain = rasa_domain(data_dir)
    assert "report_bike_theft" in domain["intents"]  # type: ignore[operator]


def test_the_rasa_domain_names_every_case_type_and_faq_topic() -> None:
    city = load_config(SHIPPED_CONFIG_DIR)
    domain = rasa_domain()
    intents = set(domain["intents"])  # type: ignore[call-overload]
    responses = set(domain["responses"])  # type: ignore[call-overload]
    assert {f"report_{case_type}" for case_type in city.case_types} <= intents
    assert {"faq", "emergency", "out_of_scope"} <= intents
    assert responses == {f"utter_faq/{topic}" for topic in city.faq}
    assert domain["version"] == "3.1"
