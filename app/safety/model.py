"""Learned layer of the crisis gate: a character/word n-gram logistic regression next to the rules.

Trained once per process from the development corpus in the repository (``app/safety/corpus/dev.tsv``),
never from anything a user wrote, and never downloaded: the same corpus gives the same model, bit for bit
(fixed seed, a deterministic single-threaded solver).  Features are TF-IDF character n-grams (1-4, inside word
boundaries) and word n-grams (1-2) of the detector's normalised text, so the obfuscation the normaliser undoes
(紫砂, k!ll, full-width, traditional characters) is undone before the model sees the text.

The model can only raise a level, never lower one (app/safety/detector.py applies it after the rules).  Its
two thresholds are chosen at training time from 5-fold stratified cross-validation on the same corpus
(out-of-fold scores only):

- ``crisis``: the lowest threshold at which rules + model keep the rules' own specificity minus at most
  ``CRISIS_SPECIFICITY_COST``;
- ``elevated``: the lowest threshold at which the model alone keeps ``ELEVATED_SPECIFICITY``.

Nothing here logs or stores any text: ``ModelInfo`` holds counts, thresholds and cross-validation figures.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Final

import numpy as np
import structlog
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

CORPUS: Final = Path(__file__).with_name("corpus") / "dev.tsv"
#: thresholds and CV figures of the corpus with this sha256 (``duck safety calibrate`` writes it): a process
#: whose corpus matches fits once instead of running the whole cross-validation again
CALIBRATION_NAME: Final = "calibration.json"
SEQUENCES_NAME: Final = "sequences_dev.jsonl"
RULE_ID: Final = "model:char_ngram"
CATEGORY: Final = "model"
SEED: Final = 13
FOLDS: Final = 5
#: inverse regularisation strength, chosen by 5-fold CV on dev (docs/safety.md "Model layer")
C: Final = 3.0
#: the crisis threshold may cost the rules at most this much of their out-of-fold specificity
CRISIS_SPECIFICITY_COST: Final = 0.01
#: the elevated threshold keeps this specificity for the model alone
ELEVATED_SPECIFICITY: Final = 0.98
#: a message needs this many word characters before the model may raise it ("ok", "嗯" carry no signal)
MIN_WORD_CHARS: Final = 4
#: the model may raise a message to ``crisis`` (else only to ``elevated``).  On: with the 1,006 dev rows
#: written after the rules (2026-12-03), which the rules never saw, dev CV gives rules 0.843 recall / 0.983
#: specificity and rules + model 0.903 / 0.974, inside the CRISIS_SPECIFICITY_COST budget (docs/safety.md)
RAISE_TO_CRISIS: Final = True
#: whether the model may raise a message back to crisis when the rules lowered one of its matches (negation,
#: third person, media, past, laughter); when false such a message is raised to at most ``elevated``.
#: Decided on the dev CV figures (docs/safety.md "Model layer")
RERAISE_LOWERED: Final = False
#: whether the model may raise a message the rules read as ``elevated`` (distress, someone else's crisis, a
#: past attempt) to crisis; when false it raises to crisis only messages no rule matched.  Decided on the dev
#: CV figures and the taxonomy (distress without death or self-harm intent is elevated)
RAISE_ELEVATED_TO_CRISIS: Final = False

_WORD_CHARS = re.compile(r"\w")
_MIN_THRESHOLD = 0.5
log = structlog.get_logger("duck.safety")


def word_chars(norm: str) -> int:
    return len(_WORD_CHARS.findall(norm))


@dataclass(frozen=True)
class RuleView:
    """What the rules say about one corpus message: the inputs threshold selection needs."""

    norm: str  # the detector's normalised text
    level: str  # the rules' level: none | elevated | crisis
    lowered: bool  # the rules matched but read a match below its level

    @property
    def crisis(self) -> bool:
        return self.level == "crisis"


@dataclass(frozen=True)
class Figures:
    recall: float
    specificity: float

    def __str__(self) -> str:
        return f"recall {self.recall:.3f} specificity {self.specificity:.3f}"


@dataclass(frozen=True)
class ModelInfo:
    """Counts, thresholds and dev cross-validation figures; never any text."""

    rows: int
    positives: int
    corpus_sha256: str
    crisis_threshold: float
    elevated_threshold: float
    train_seconds: float
    cv_rules: Figures  # the rules alone on dev
    cv_model_alone: Figures  # out-of-fold model alone at the crisis threshold
    cv_combined: Figures  # rules + out-of-fold model raising to crisis under the shipped policy
    #: (policy, its own crisis threshold, rules + model figures) for the policies not shipped
    cv_alternatives: tuple[tuple[str, float, Figures], ...]

    def summary(self) -> str:
        return (
            f"model {RULE_ID}: logistic regression (C={C:g}, seed {SEED}) over char_wb 1-4 + word 1-2 "
            f"TF-IDF, trained on {self.rows} dev rows and non-crisis sequence ends ({self.positives} crisis, "
            f"sha256 {self.corpus_sha256[:12]}) "
            f"in {self.train_seconds:.2f} s\n"
            f"model thresholds (5-fold CV on dev): crisis >= {self.crisis_threshold:.4f}, "
            f"elevated >= {self.elevated_threshold:.4f}; raise to crisis: {RAISE_TO_CRISIS}\n"
            f"dev CV: rules {self.cv_rules}; model alone {self.cv_model_alone}; "
            f"rules+model {self.cv_combined}"
            + "".join(
                f"\n  alternative ({name}): crisis >= {t:.4f}, rules+model {f}"
                for name, t, f in self.cv_alternatives
            )
        )


_CHAR = {"analyzer": "char_wb", "ngram_range": (1, 4), "lowercase": False}
_WORD = {"analyzer": "word", "ngram_range": (1, 2), "lowercase": False, "token_pattern": r"(?u)\b\w+\b"}
_CHAR_ANALYZER = TfidfVectorizer(**_CHAR).build_analyzer()
_WORD_ANALYZER = TfidfVectorizer(**_WORD).build_analyzer()

Tokens = tuple[list[str], list[str]]


def tokens(norm: str) -> Tokens:
    """The character n-grams (1-4, within word boundaries) and word n-grams (1-2) of a normalised text.

    Computed once per text and shared by every fold, the final fit and the scorer (same analyzers as sklearn's
    ``char_wb``/``word`` vectorizers).
    """
    return _CHAR_ANALYZER(norm), _WORD_ANALYZER(norm)


def _pipeline() -> Pipeline:
    features = FeatureUnion(
        [
            ("char", TfidfVectorizer(analyzer=itemgetter(0), min_df=2, sublinear_tf=True)),
            ("word", TfidfVectorizer(analyzer=itemgetter(1), min_df=1, sublinear_tf=True)),
        ]
    )
    classifier = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=SEED)
    return Pipeline([("features", features), ("lr", classifier)])


def _fit(docs: Sequence[Tokens], labels: Sequence[int]) -> Pipeline:
    return _pipeline().fit(list(docs), np.asarray(labels))


def _positive(pipeline: Pipeline, docs: Sequence[Tokens]) -> np.ndarray:
    probabilities: np.ndarray = pipeline.predict_proba(list(docs))[:, 1]
    return probabilities


class Scorer:
    """The fitted pipeline's P(crisis) as a dictionary lookup per n-gram: the same number as
    ``pipeline.predict_proba`` (a test holds them equal) without sklearn's per-call overhead."""

    def __init__(self, pipeline: Pipeline) -> None:
        union: FeatureUnion = pipeline.named_steps["features"]
        lr: LogisticRegression = pipeline.named_steps["lr"]
        coef = lr.coef_[0]
        self._intercept = float(lr.intercept_[0])
        self._blocks: list[dict[str, tuple[float, float]]] = []
        offset = 0
        for _name, vectorizer in union.transformer_list:
            vocabulary: dict[str, int] = vectorizer.vocabulary_
            idf = vectorizer.idf_
            self._blocks.append(
                {term: (float(idf[i]), float(coef[offset + i])) for term, i in vocabulary.items()}
            )
            offset += len(vocabulary)

    def __call__(self, doc: Tokens) -> float:
        z = self._intercept
        for block, grams in zip(self._blocks, doc, strict=True):
            counts: dict[str, int] = {}
            for gram in grams:
                if gram in block:
                    counts[gram] = counts.get(gram, 0) + 1
            weighted = [((1 + math.log(n)) * block[g][0], block[g][1]) for g, n in counts.items()]
            length = math.sqrt(sum(v * v for v, _w in weighted))
            if length:
                z += sum(v * w for v, w in weighted) / length
        return 1 / (1 + math.exp(-z))


def out_of_fold(docs: Sequence[Tokens], labels: Sequence[int]) -> np.ndarray:
    """P(crisis) of every text from a model that never saw it (5-fold stratified, seed 13)."""
    scores = np.zeros(len(docs))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    y = np.asarray(labels)
    for train, test in folds.split(np.zeros(len(y)), y):
        model = _fit([docs[i] for i in train], y[train].tolist())
        scores[test] = _positive(model, [docs[i] for i in test])
    return scores


def _figures(predicted: np.ndarray, y: np.ndarray) -> Figures:
    pos, neg = y == 1, y == 0
    return Figures(
        recall=float(predicted[pos].mean()) if pos.any() else 0.0,
        specificity=float(1 - predicted[neg].mean()) if neg.any() else 0.0,
    )


@dataclass(frozen=True)
class Policy:
    """Which rule readings the model may raise to crisis."""

    from_elevated: bool = RAISE_ELEVATED_TO_CRISIS
    reraise_lowered: bool = RERAISE_LOWERED

    def allows(self, level: str, lowered: bool, norm: str) -> bool:
        if word_chars(norm) < MIN_WORD_CHARS or level == "crisis":
            return False
        if level == "elevated" and not self.from_elevated:
            return False
        return self.reraise_lowered or not lowered


def _eligible(views: Sequence[RuleView], policy: Policy) -> np.ndarray:
    return np.array([policy.allows(v.level, v.lowered, v.norm) for v in views], dtype=bool)


def _combined(views: Sequence[RuleView], scores: np.ndarray, threshold: float, policy: Policy) -> np.ndarray:
    """Crisis predictions of rules + model (the model raising to crisis at ``threshold`` and above)."""
    rules = np.array([v.crisis for v in views], dtype=bool)
    return rules | (_eligible(views, policy) & (scores >= threshold))


def _lowest_threshold(negative_scores: np.ndarray, allowed: int) -> float:
    """The lowest threshold that at most ``allowed`` of these negative scores reach."""
    ordered = np.sort(negative_scores)[::-1]  # highest first
    if allowed >= len(ordered):
        return 0.0
    return float(np.nextafter(ordered[allowed], np.inf))


def choose_thresholds(
    views: Sequence[RuleView], labels: Sequence[int], scores: np.ndarray, policy: Policy | None = None
) -> tuple[float, float]:
    """(crisis, elevated) thresholds from out-of-fold scores; see the module docstring.

    crisis: every dev negative the model raises costs 1/negatives of specificity, so at most
    ``CRISIS_SPECIFICITY_COST * negatives`` of the negatives it may raise can reach the threshold.
    elevated: at most ``(1 - ELEVATED_SPECIFICITY) * negatives`` of all negatives reach it.
    """
    y = np.asarray(labels)
    negatives = int((y == 0).sum())
    raisable = _eligible(views, policy or Policy()) & (y == 0)
    crisis = _lowest_threshold(scores[raisable], int(np.floor(CRISIS_SPECIFICITY_COST * negatives + 1e-9)))
    elevated = _lowest_threshold(scores[y == 0], int(np.floor((1 - ELEVATED_SPECIFICITY) * negatives + 1e-9)))
    # a score the model itself calls "not crisis" never raises, however few negatives a corpus has
    crisis = max(crisis, _MIN_THRESHOLD)
    return crisis, max(min(elevated, crisis), _MIN_THRESHOLD)


class CrisisModel:
    """A trained pipeline and its thresholds. ``score`` is pure CPU (about a millisecond or less)."""

    def __init__(self, pipeline: Pipeline, info: ModelInfo) -> None:
        self.pipeline = pipeline
        self.info = info
        self._scorer = Scorer(pipeline)

    def score(self, norm: str) -> float:
        """P(crisis) for one normalised message."""
        return self._scorer(tokens(norm))

    def level(self, norm: str) -> str:
        """``crisis``, ``elevated`` or ``none`` from the thresholds alone (the detector adds the guards)."""
        if word_chars(norm) < MIN_WORD_CHARS:
            return "none"
        s = self.score(norm)
        if s >= self.info.crisis_threshold:
            return "crisis"
        return "elevated" if s >= self.info.elevated_threshold else "none"


def read_corpus(path: Path | None = None) -> list[tuple[str, str]]:
    """(label, text) of every row of a ``label<TAB>lang<TAB>text[<TAB>category]`` corpus file."""
    rows: list[tuple[str, str]] = []
    for line in (path or CORPUS).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2].strip() and not line.startswith("#"):
            rows.append((parts[0].strip().lower(), parts[2]))
    return rows


def read_training(path: Path | None = None) -> list[tuple[str, str]]:
    """The corpus rows plus the last message of every non-crisis sequence in the sequences file next to it.

    A message that is not crisis with its context is not crisis alone.  A crisis sequence's last message is
    left out: it is crisis because of its context ("出来我就跳"), not as text of its own.
    """
    rows = read_corpus(path)
    sequences = (path or CORPUS).with_name(SEQUENCES_NAME)
    if not sequences.exists():
        return rows
    seen = {text for _label, text in rows}
    for line in sequences.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        last = str(row["messages"][-1])
        if row.get("label") != "crisis" and last not in seen:
            rows.append((str(row["label"]), last))
            seen.add(last)
    return rows


_ALTERNATIVES = {
    "raising elevated too": Policy(from_elevated=True, reraise_lowered=False),
    "raising elevated and re-raising lowered": Policy(from_elevated=True, reraise_lowered=True),
    "RAISE_TO_CRISIS off": None,
}


def _alternatives(
    views: Sequence[RuleView], labels: Sequence[int], scores: np.ndarray
) -> tuple[tuple[str, float, Figures], ...]:
    y = np.asarray(labels)
    rules = _figures(np.array([v.crisis for v in views], dtype=bool), y)
    found: list[tuple[str, float, Figures]] = []
    for name, policy in _ALTERNATIVES.items():
        if policy is None:  # crisis-level figures are the rules' own
            found.append((name, 1.0, rules))
            continue
        threshold, _elevated = choose_thresholds(views, labels, scores, policy)
        found.append((name, threshold, _figures(_combined(views, scores, threshold, policy), y)))
    return tuple(found)


def _digest(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    if path.with_name(SEQUENCES_NAME).exists():
        digest.update(path.with_name(SEQUENCES_NAME).read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Calibration:
    """What the cross-validation of one corpus decided: thresholds and figures, never any text."""

    corpus_sha256: str
    crisis_threshold: float
    elevated_threshold: float
    cv_rules: Figures
    cv_model_alone: Figures
    cv_combined: Figures
    cv_alternatives: tuple[tuple[str, float, Figures], ...]

    def as_json(self) -> str:
        def fig(f: Figures) -> dict[str, float]:
            return {"recall": f.recall, "specificity": f.specificity}

        doc = {
            "corpus_sha256": self.corpus_sha256,
            "crisis_threshold": self.crisis_threshold,
            "elevated_threshold": self.elevated_threshold,
            "cv_rules": fig(self.cv_rules),
            "cv_model_alone": fig(self.cv_model_alone),
            "cv_combined": fig(self.cv_combined),
            "cv_alternatives": [{"policy": n, "threshold": t, **fig(f)} for n, t, f in self.cv_alternatives],
        }
        return json.dumps(doc, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        doc = json.loads(text)

        def fig(d: dict[str, float]) -> Figures:
            return Figures(recall=float(d["recall"]), specificity=float(d["specificity"]))

        return cls(
            corpus_sha256=str(doc["corpus_sha256"]),
            crisis_threshold=float(doc["crisis_threshold"]),
            elevated_threshold=float(doc["elevated_threshold"]),
            cv_rules=fig(doc["cv_rules"]),
            cv_model_alone=fig(doc["cv_model_alone"]),
            cv_combined=fig(doc["cv_combined"]),
            cv_alternatives=tuple(
                (str(a["policy"]), float(a["threshold"]), fig(a)) for a in doc["cv_alternatives"]
            ),
        )


def calibrate(views: Sequence[RuleView], labels: Sequence[int], digest: str) -> Calibration:
    """The 5-fold cross-validation: out-of-fold scores, the thresholds and the figures they give."""
    scores = out_of_fold([tokens(v.norm) for v in views], labels)
    crisis, elevated = choose_thresholds(views, labels, scores)
    y = np.asarray(labels)
    return Calibration(
        corpus_sha256=digest,
        crisis_threshold=crisis,
        elevated_threshold=elevated,
        cv_rules=_figures(np.array([v.crisis for v in views]), y),
        cv_model_alone=_figures(
            (scores >= crisis) & np.array([word_chars(v.norm) >= MIN_WORD_CHARS for v in views]), y
        ),
        cv_combined=_figures(_combined(views, scores, crisis, Policy()), y),
        cv_alternatives=_alternatives(views, labels, scores),
    )


def stored_calibration(path: Path, digest: str) -> Calibration | None:
    """The calibration file next to the corpus, if it was computed for exactly this corpus."""
    try:
        stored = Calibration.from_json(path.with_name(CALIBRATION_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return stored if stored.corpus_sha256 == digest else None


def train(
    view: Callable[[str], RuleView], path: Path | None = None, *, use_stored: bool = True
) -> CrisisModel:
    """Train on the corpus at ``path`` (default ``CORPUS``); ``view`` is the rules' reading of one message.

    The thresholds come from the stored calibration when it was computed for this very corpus (and
    ``use_stored``), else from a fresh cross-validation (seconds of CPU: a corpus edited without
    ``duck safety calibrate`` still gets thresholds that are its own).
    """
    started = time.perf_counter()
    path = path or CORPUS
    digest = _digest(path)
    rows = read_training(path)
    views = [view(text) for _label, text in rows]
    labels = [int(label == "crisis") for label, _text in rows]
    found = stored_calibration(path, digest) if use_stored else None
    calibration = found or calibrate(views, labels, digest)
    pipeline = _fit([tokens(v.norm) for v in views], labels)
    info = ModelInfo(
        rows=len(rows),
        positives=sum(labels),
        corpus_sha256=digest,
        crisis_threshold=calibration.crisis_threshold,
        elevated_threshold=calibration.elevated_threshold,
        train_seconds=time.perf_counter() - started,
        cv_rules=calibration.cv_rules,
        cv_model_alone=calibration.cv_model_alone,
        cv_combined=calibration.cv_combined,
        cv_alternatives=calibration.cv_alternatives,
    )
    return CrisisModel(pipeline, info)


def write_calibration(view: Callable[[str], RuleView], path: Path | None = None) -> Calibration:
    """Cross-validate the corpus at ``path`` and write its calibration file next to it."""
    path = path or CORPUS
    rows = read_training(path)
    views = [view(text) for _label, text in rows]
    calibration = calibrate(views, [int(label == "crisis") for label, _text in rows], _digest(path))
    path.with_name(CALIBRATION_NAME).write_text(calibration.as_json(), encoding="utf-8")
    return calibration


_LOCK = threading.Lock()
_LOADED: list[CrisisModel | None] = []  # empty until the first load; [None] when training failed


def load(view: Callable[[str], RuleView]) -> CrisisModel | None:
    """The process's model, trained on first use (one training per process, under a lock).

    None when it cannot be trained (the corpus is missing or unreadable): the rules stay the gate, and the
    failure is logged once (the error's type only, never any text).
    """
    if not _LOADED:
        with _LOCK:
            if not _LOADED:
                try:
                    trained = train(view)
                except (OSError, ValueError) as exc:
                    log.error("safety.model.unavailable", error=type(exc).__name__)
                    _LOADED.append(None)
                else:
                    log.info(
                        "safety.model.trained",
                        rows=trained.info.rows,
                        seconds=round(trained.info.train_seconds, 3),
                        crisis_threshold=round(trained.info.crisis_threshold, 4),
                        elevated_threshold=round(trained.info.elevated_threshold, 4),
                    )
                    _LOADED.append(trained)
    return _LOADED[0]
