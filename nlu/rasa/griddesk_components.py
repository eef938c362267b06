# mypy: ignore-errors
# (Runs inside the Rasa 3.6 environment, Python 3.10, where `rasa` is installed; the bot's
# venv type-checks everything else.)
"""GridDesk's intent classifier as a Rasa 3.6 graph component.

The embedded twin's linear SVM (nlu/embedded.py: character and word n-grams, Chinese
n-grams across spaces, a fitted softmax temperature) trained and served inside Rasa, so
both backends classify intents with one model family and stay in step; Rasa's
ResponseSelector still picks the FAQ topic. Rasa finds this module through PYTHONPATH
(the repository root, set by nlu/rasa_env.py for every Rasa subprocess).
"""

from __future__ import annotations

import logging
import pickle
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.embedded import EmbeddedClassifier, softmax
from nlu.training_data import Example

log = logging.getLogger(__name__)
MODEL_FILE = "linear_intent_classifier.pkl"
RANKING_LENGTH = 10


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Intent = the embedded twin's linear SVM on the message text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"ranking_length": RANKING_LENGTH}

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "scipy"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: EmbeddedClassifier | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            Example(str(m.get(TEXT)), str(m.get(INTENT)))
            for m in training_data.intent_examples
            if m.get(TEXT) and m.get(INTENT)
        ]
        if not examples:
            return self._resource
        self.classifier = EmbeddedClassifier.train(examples)
        log.info("linear intent classifier trained in %.1f s", self.classifier.train_seconds)
        with (
            self._model_storage.write_to(self._resource) as model_dir,
            (model_dir / MODEL_FILE).open("wb") as fh,
        ):
            pickle.dump(self.classifier, fh)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        try:
            with (
                model_storage.read_from(resource) as model_dir,
                (model_dir / MODEL_FILE).open("rb") as fh,
            ):
                classifier = pickle.load(fh)  # written by train() above, same model
        except (ValueError, FileNotFoundError):
            return cls.create(config, model_storage, resource, execution_context)
        return cls(config, model_storage, resource, classifier)

    def process(self, messages: list[Message]) -> list[Message]:
        if self.classifier is None:
            return messages
        length = int(self.config["ranking_length"])
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            scores = self.classifier.scores(str(text))[np.newaxis, :]
            probabilities = softmax(scores, self.classifier.temperature)[0]
            order = np.argsort(probabilities)[::-1][:length]
            ranking = [
                {"name": self.classifier.labels[i], "confidence": float(probabilities[i])}
                for i in order
            ]
            message.set("intent", ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
