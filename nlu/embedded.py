"""The embedded backend: a linear SVM on character n-grams, trained in-process.

Character n-grams serve Chinese without a segmenter and survive typos in
English; Latin word n-grams add English phrases, and n-grams over the Chinese
characters alone bridge the spaces residents type instead of punctuation.
Confidence is a softmax over the SVM scores with one temperature fitted on
out-of-fold scores, so "0.8" means roughly 80 % right. The model is cached on
disk, keyed by the training data, and rebuilt only when it changes.
"""

from __future__ import annotations

import logging
import pickle
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from numpy.typing import NDArray
from scipy.optimize import minimize_scalar
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from domain.traditional import simplified
from nlu.places import NO_PLACES, PlaceNames
from nlu.training_data import DATA_DIR, Example, data_fingerprint, load_examples
from nlu.types import LabelScore, Prediction, model_text, prediction_from_ranking

log = logging.getLogger(__name__)

MODEL_VERSION = "emb-4"
RANKING_SIZE = 5
CALIBRATION_FOLDS = 3


LATIN_WORD = r"[a-z0-9\u00c0-\u024f]+(?:'[a-z]+)?"
ANY_WORD = r"(?u)\b\w+\b"


@dataclass(frozen=True)
class EmbeddedConfig:
    """What the model is made of; chosen by cross-validation (`griddesk nlu cv`).

    An n-gram range of None leaves that feature family out. Measured by 5-fold CV x 2 on
    the training data (4,885 examples): Chinese-only character 1-2 grams added +0.017
    macro-F1 (zh); Latin-only word tokens beat any-word tokens; C=1.0 beat 0.5 by 0.005 and
    2.0 was within noise; balanced class weights and character n-grams across word
    boundaries did not help.
    """

    c: float = 1.0
    char_wb: tuple[int, int] | None = (1, 4)
    char: tuple[int, int] | None = None  # across word boundaries
    word: tuple[int, int] | None = (1, 2)
    class_weight: str | None = None
    nfkc: bool = True  # fold full-width forms before lowercasing
    # Word tokens: Latin-script words and numbers only by default. A run of Chinese has no
    # spaces, so `\w+` would make a whole clause one "word" that never recurs.
    word_pattern: str = LATIN_WORD
    # Character n-grams over the Chinese characters alone, spaces and punctuation dropped:
    # residents type "楼道 浓烟" or "楼道，浓烟" for one phrase.
    cjk: tuple[int, int] | None = (1, 2)


DEFAULT_CONFIG = EmbeddedConfig()


def normalize(text: str) -> str:
    """Fold full-width forms (ＡＢＣ１２３，) and case, as a phone keyboard mixes them."""
    return unicodedata.normalize("NFKC", text).lower()


_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


@dataclass(frozen=True)
class CjkNgrams:
    """A TfidfVectorizer analyzer: n-grams of the Chinese characters of a text, joined."""

    low: int
    high: int

    def __call__(self, text: str) -> list[str]:
        chars = "".join(_CJK_RUN.findall(text))
        return [
            chars[i : i + n]
            for n in range(self.low, self.high + 1)
            for i in range(len(chars) - n + 1)
        ]


def _vectorizers(config: EmbeddedConfig) -> list[TfidfVectorizer]:
    out: list[TfidfVectorizer] = []
    common: dict[str, Any] = {"sublinear_tf": True}
    if config.nfkc:
        common["preprocessor"] = normalize
    if config.char_wb is not None:
        out.append(TfidfVectorizer(analyzer="char_wb", ngram_range=config.char_wb, **common))
    if config.char is not None:
        out.append(TfidfVectorizer(analyzer="char", ngram_range=config.char, **common))
    if config.word is not None:
        pattern = config.word_pattern
        out.append(
            TfidfVectorizer(
                analyzer="word", ngram_range=config.word, token_pattern=pattern, **common
            )
        )
    if config.cjk is not None:
        out.append(TfidfVectorizer(analyzer=CjkNgrams(*config.cjk), sublinear_tf=True))
    if not out:
        raise ValueError("EmbeddedConfig needs at least one feature family")
    return out


def softmax(scores: NDArray[np.float64], temperature: float) -> NDArray[np.float64]:
    z = scores * temperature
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)


def fit_svm(
    texts: list[str], labels: list[str], config: EmbeddedConfig = DEFAULT_CONFIG
) -> tuple[list[TfidfVectorizer], LinearSVC]:
    vectorizers = _vectorizers(config)
    features = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
    svm = LinearSVC(C=config.c, class_weight=config.class_weight)
    return vectorizers, svm.fit(features, labels)


def out_of_fold_scores(
    texts: list[str],
    labels: list[str],
    config: EmbeddedConfig = DEFAULT_CONFIG,
    folds: int = CALIBRATION_FOLDS,
    seed: int = 0,
) -> tuple[NDArray[np.float64], list[str]]:
    """SVM scores of every text from a model that never saw it, and the label order."""
    y = np.asarray(labels)
    classes = np.unique(y)
    scores = np.zeros((len(texts), len(classes)))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(texts, y):
        vectorizers, svm = fit_svm([texts[i] for i in train], list(y[train]), config)
        held_out = hstack([v.transform([texts[i] for i in test]) for v in vectorizers])
        columns = np.searchsorted(classes, svm.classes_)
        scores[np.ix_(test, columns)] = svm.decision_function(held_out)
    return scores, [str(c) for c in classes]


def fit_temperature(scores: NDArray[np.float64], classes: list[str], labels: list[str]) -> float:
    """The softmax temperature that best fits out-of-fold scores (lowest log loss)."""
    truth = np.searchsorted(np.asarray(classes), np.asarray(labels))

    def log_loss(temperature: float) -> float:
        p = softmax(scores, temperature)[np.arange(len(truth)), truth]
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
    def train(
        cls,
        examples: list[Example],
        fingerprint: str = "",
        config: EmbeddedConfig = DEFAULT_CONFIG,
    ) -> EmbeddedClassifier:
        started = time.perf_counter()
        texts = [e.text for e in examples]
        labels = [e.label for e in examples]
        temperature = fit_temperature(*out_of_fold_scores(texts, labels, config), labels)
        vectorizers, svm = fit_svm(texts, labels, config)
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
        probabilities = softmax(self.scores(text)[np.newaxis, :], self.temperature)[0]
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

    def __init__(self, classifier: EmbeddedClassifier, places: PlaceNames = NO_PLACES) -> None:
        self.classifier = classifier
        self.places = places  # the city's place names: a place alone is never an emergency

    def parse_sync(self, text: str) -> Prediction:
        text = simplified(text)  # "電梯壞咗": every rule and the model read simplified Mandarin
        ranking = self.classifier.rank(model_text(text, self.places))
        return prediction_from_ranking(ranking, self.name, text=text, places=self.places)

    async def parse(self, text: str) -> Prediction:
        # Under a millisecond: cheaper inline than a hop to a thread.
        return self.parse_sync(text)
