"""The embedded backend: scikit-learn on character n-grams, trained in-process.

Character n-grams serve Chinese without a segmenter and survive typos in
English. The model is cached on disk, keyed by the training data, so it is
rebuilt only when the data changes.
"""

from __future__ import annotations

import logging
import pickle
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlu.training_data import DATA_DIR, Example, data_fingerprint, load_examples
from nlu.types import LabelScore, Prediction, prediction_from_ranking

log = logging.getLogger(__name__)

MODEL_VERSION = "emb-1"
RANKING_SIZE = 5


def build_pipeline() -> Pipeline:
    features = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True,
                                  min_df=1, lowercase=True)),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                  token_pattern=r"(?u)\b\w+\b", lowercase=True)),
    ])
    classifier = LogisticRegression(C=20.0, max_iter=2000)
    return Pipeline([("features", features), ("classifier", classifier)])


class EmbeddedClassifier:
    def __init__(self, pipeline: Pipeline, fingerprint: str, train_seconds: float) -> None:
        self.pipeline = pipeline
        self.fingerprint = fingerprint
        self.train_seconds = train_seconds
        self.labels: list[str] = [str(c) for c in pipeline.classes_]

    @classmethod
    def train(cls, examples: list[Example], fingerprint: str = "") -> EmbeddedClassifier:
        started = time.perf_counter()
        pipeline = build_pipeline()
        pipeline.fit([e.text for e in examples], [e.label for e in examples])
        return cls(pipeline, fingerprint, time.perf_counter() - started)

    def rank(self, text: str) -> list[LabelScore]:
        probabilities = self.pipeline.predict_proba([text])[0]
        best = np.argsort(probabilities)[::-1][:RANKING_SIZE]
        return [LabelScore(self.labels[i], float(probabilities[i])) for i in best]


def _cache_path(cache_dir: Path, fingerprint: str) -> Path:
    return cache_dir / f"embedded-{MODEL_VERSION}-{fingerprint}.pkl"


def load_or_train(cache_dir: Path, data_dir: Path = DATA_DIR) -> EmbeddedClassifier:
    """The cached model for this data, or a freshly trained (and cached) one."""
    fingerprint = data_fingerprint(data_dir, extra=f"{MODEL_VERSION}:{sklearn.__version__}")
    path = _cache_path(cache_dir, fingerprint)
    if path.exists():
        try:
            with path.open("rb") as fh:
                model = pickle.load(fh)
            if isinstance(model, EmbeddedClassifier) and model.fingerprint == fingerprint:
                return model
        except Exception:  # a corrupt or foreign cache file: retrain below
            log.warning("embedded NLU cache %s unreadable; retraining", path)
    model = EmbeddedClassifier.train(load_examples(data_dir), fingerprint)
    log.info("embedded NLU trained in %.1fs", model.train_seconds)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(model, fh)
    tmp.replace(path)  # atomic, so a concurrent reader never sees half a file
    return model


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, classifier: EmbeddedClassifier) -> None:
        self.classifier = classifier

    def parse_sync(self, text: str) -> Prediction:
        return prediction_from_ranking(self.classifier.rank(text), self.name)

    async def parse(self, text: str) -> Prediction:
        # Under a millisecond: cheaper inline than a hop to a thread.
        return self.parse_sync(text)
