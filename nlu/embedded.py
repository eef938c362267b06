"""The embedded backend: a linear SVM on character n-grams, trained in-process.

Character n-grams serve Chinese without a segmenter and survive typos in
English. Confidence is a softmax over the SVM scores with one temperature
fitted on out-of-fold scores, so "0.8" means roughly 80 % right. The model is
cached on disk, keyed by the training data, and rebuilt only when it changes.
"""

from __future__ import annotations

import logging
import pickle
import time
from pathlib import Path

import numpy as np
import sklearn
from numpy.typing import NDArray
from scipy.optimize import minimize_scalar
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from nlu.training_data import DATA_DIR, Example, data_fingerprint, load_examples
from nlu.types import LabelScore, Prediction, prediction_from_ranking

log = logging.getLogger(__name__)

MODEL_VERSION = "emb-3"
RANKING_SIZE = 5
SVM_C = 0.5
CALIBRATION_FOLDS = 3


def _vectorizers() -> list[TfidfVectorizer]:
    return [
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
        TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
        ),
    ]


def _softmax(scores: NDArray[np.float64], temperature: float) -> NDArray[np.float64]:
    z = scores * temperature
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)


def _fit_svm(texts: list[str], labels: list[str]) -> tuple[list[TfidfVectorizer], LinearSVC]:
    vectorizers = _vectorizers()
    features = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
    return vectorizers, LinearSVC(C=SVM_C).fit(features, labels)


def _fit_temperature(texts: list[str], labels: list[str]) -> float:
    """The softmax temperature that best fits held-out folds (lowest log loss)."""
    y = np.asarray(labels)
    classes = np.unique(y)
    scores = np.zeros((len(texts), len(classes)))
    folds = StratifiedKFold(CALIBRATION_FOLDS, shuffle=True, random_state=0)
    for train, test in folds.split(texts, y):
        vectorizers, svm = _fit_svm([texts[i] for i in train], list(y[train]))
        held_out = hstack([v.transform([texts[i] for i in test]) for v in vectorizers])
        fold_scores = svm.decision_function(held_out)
        columns = np.searchsorted(classes, svm.classes_)
        scores[np.ix_(test, columns)] = fold_scores
    truth = np.searchsorted(classes, y)

    def log_loss(temperature: float) -> float:
        p = _softmax(scores, temperature)[np.arange(len(truth)), truth]
        return float(-np.mean(np.log(np.clip(p, 1e-12, 1.0))))

    return float(minimize_scalar(log_loss, bounds=(0.1, 50.0), method="bounded").x)


class _FastTfidf:
    """TfidfVectorizer.transform for one text, without sklearn's per-call checks.

    Same analyzer, vocabulary, idf, sublinear tf and L2 norm, so the features
    are identical; about a tenth of the time for a single message.
    """

    def __init__(self, vectorizer: TfidfVectorizer, offset: int) -> None:
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = {k: int(v) for k, v in vectorizer.vocabulary_.items()}
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self.offset = offset

    def features(self, text: str) -> tuple[list[int], NDArray[np.float64]]:
        counts: dict[int, int] = {}
        for token in self.analyze(text):
            index = self.vocabulary.get(token)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return [], np.zeros(0)
        indices = list(counts)
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[indices]
        values /= np.linalg.norm(values)
        return [i + self.offset for i in indices], values


class EmbeddedClassifier:
    def __init__(
        self,
        vectorizers: list[TfidfVectorizer],
        svm: LinearSVC,
        temperature: float,
        fingerprint: str,
        train_seconds: float,
    ) -> None:
        self.vectorizers = vectorizers
        self.weights = np.ascontiguousarray(svm.coef_.T, dtype=np.float64)
        self.intercept = np.asarray(svm.intercept_)
        self.labels: list[str] = [str(c) for c in svm.classes_]
        offsets = np.cumsum([0] + [len(v.vocabulary_) for v in vectorizers])
        self._fast = [_FastTfidf(v, int(o)) for v, o in zip(vectorizers, offsets, strict=False)]
        self.temperature = temperature
        self.fingerprint = fingerprint
        self.train_seconds = train_seconds

    @classmethod
    def train(cls, examples: list[Example], fingerprint: str = "") -> EmbeddedClassifier:
        started = time.perf_counter()
        texts = [e.text for e in examples]
        labels = [e.label for e in examples]
        temperature = _fit_temperature(texts, labels)
        vectorizers, svm = _fit_svm(texts, labels)
        return cls(vectorizers, svm, temperature, fingerprint, time.perf_counter() - started)

    def scores(self, text: str) -> NDArray[np.float64]:
        """SVM decision scores per label, computed by gathering weight rows."""
        scores = self.intercept.copy()
        for fast in self._fast:
            indices, values = fast.features(text)
            if indices:
                scores += values @ self.weights[indices]
        return scores

    def rank(self, text: str) -> list[LabelScore]:
        probabilities = _softmax(self.scores(text)[np.newaxis, :], self.temperature)[0]
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
    tmp = path.with_suffix(f".{time.monotonic_ns()}.tmp")
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
