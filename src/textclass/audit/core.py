"""``audit(dataset, test=None, ...)``: every check over every part, as one result.

The checks are in their own modules (:mod:`.labels`, :mod:`.duplicates`, :mod:`.health`);
this one runs them over the parts (:mod:`.parts`) and addresses each finding by part and
1-based data row. Duplicates are counted at three levels, each including the one before:
exact, normalised, near. A part's *extra copies* at a level are its rows less its
distinct texts at that level; two parts *share* the texts (at that level) found in both;
*leakage* is a test row whose text (at that level) is also in a training part.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from textclass.audit import duplicates as dup
from textclass.audit import health
from textclass.audit.parts import Corpus, corpus_of, parts_of
from textclass.data.dataset import Dataset
from textclass.errors import DataError

LEVELS = ("exact", "normalised", "near")
CHEAP = ("duplicates", "health")  # the checks that fit no model (``train --audit``)


@dataclass(frozen=True)
class AuditSettings:
    model: str = "ngram"  # the family scoring the rows out of fold
    model_params: dict = field(default_factory=dict)
    folds: int = 5
    seed: int | None = 0
    near_threshold: float = dup.NEAR_THRESHOLD
    labels: bool = True  # the label audit (fits models); False: only the cheap checks

    def estimator(self):
        """The unfitted classifier the label audit clones for each fold (checked)."""
        from textclass.estimator import TextClassifier

        clf = TextClassifier(model=self.model, random_state=self.seed, verbose=0)
        if self.model_params:
            clf.set_params(**{f"model__{k}": v for k, v in self.model_params.items()})
        return clf.check_params()

    def to_dict(self) -> dict:
        return {
            "model": self.model, "model_params": dict(self.model_params), "folds": self.folds,
            "seed": self.seed, "near_threshold": self.near_threshold, "labels": self.labels,
        }  # fmt: skip


@dataclass
class AuditResult:
    corpus: Corpus
    settings: AuditSettings
    label_issues: list[dict]  # worst first; "index" is a corpus position
    groups: list[dup.Group]
    ids: dict[str, np.ndarray]  # per level, each row's duplicate cluster
    balance: dict
    similar_labels: list[dict]
    texts: dict[str, list[tuple[int, str]]]  # health kind -> (position, detail)
    label_notes: list[str] = field(default_factory=list)
    seconds: dict = field(default_factory=dict)
    # cleanlab's label quality score per corpus position (low: likely wrong; NaN: not audited)
    label_quality: np.ndarray | None = None

    @property
    def multilabel(self) -> bool:
        return bool(self.corpus.labels) and isinstance(self.corpus.labels[0], tuple)


def audit(
    dataset: Dataset, test: Dataset | None = None, settings: AuditSettings | None = None
) -> AuditResult:
    """Audit ``dataset`` (and ``test``, a separate test part): likely label errors (on
    the training parts), duplicates within and across parts, label and text health."""
    import time

    settings = settings or AuditSettings()
    corpus = corpus_of(parts_of(dataset, test))
    seconds = {}
    started = time.perf_counter()
    groups, ids = _duplicates(corpus, settings.near_threshold)
    seconds["duplicates"] = time.perf_counter() - started
    started = time.perf_counter()
    multilabel = bool(corpus.labels) and isinstance(corpus.labels[0], tuple)
    train = corpus.training()
    labels = [corpus.labels[i] for i in train]
    flat = [label for row in labels for label in (row if multilabel else [row])]
    result = AuditResult(
        corpus, settings, [], groups, ids,
        balance=health.class_balance(labels, multilabel),
        similar_labels=health.similar_labels(flat),
        texts=health.text_findings(corpus.texts), seconds=seconds,
    )  # fmt: skip
    seconds["health"] = time.perf_counter() - started
    if settings.labels:
        started = time.perf_counter()
        _label_audit(result, train)
        seconds["labels"] = time.perf_counter() - started
    return result


def _duplicates(corpus: Corpus, threshold: float):
    keys = [dup.normalise(t) for t in corpus.texts]
    groups = dup.exact_groups(corpus.texts) + dup.normalised_groups(corpus.texts, keys)
    near = dup.near_groups(keys, threshold)
    groups += near
    ids = {"exact": _ids(corpus.texts), "normalised": _ids(keys)}
    nearest = ids["normalised"].copy()
    for group in near:
        nearest[group.members] = nearest[group.members].min()
    ids["near"] = nearest
    return groups, ids


def _ids(values: list) -> np.ndarray:
    seen: dict = {}
    return np.array([seen.setdefault(v, len(seen)) for v in values], dtype=np.int64)


def _label_audit(result: AuditResult, train: np.ndarray) -> None:
    from textclass.audit.labels import find_label_errors

    settings, corpus = result.settings, result.corpus
    try:
        found = find_label_errors(
            settings.estimator(), [corpus.texts[i] for i in train],
            [corpus.labels[i] for i in train], folds=settings.folds, seed=settings.seed,
        )  # fmt: skip
    except DataError as exc:  # one label: nothing to compare; the other checks still count
        result.label_notes = [f"label audit skipped: {exc}"]
        return
    for issue in found.issues:
        issue["index"] = int(train[issue["index"]])
    result.label_issues = found.issues
    result.label_quality = np.full(len(corpus.texts), np.nan)
    result.label_quality[train[found.index]] = found.quality
    result.label_notes = [
        f"label {label!r} is on {n} row(s), too few to check" for label, n in found.skipped.items()
    ]
    result.label_notes.append(f"out-of-fold probabilities: {settings.model}, {found.folds} folds")


def duplicate_counts(result: AuditResult) -> dict:
    """Per part, extra copies at each level; per pair of parts, the texts they share."""
    corpus = result.corpus
    within, across = {}, {}
    members = [np.flatnonzero(corpus.part == k) for k in range(len(corpus.parts))]
    for k, part in enumerate(corpus.parts):
        within[part.name] = {
            level: int(len(members[k]) - np.unique(result.ids[level][members[k]]).size)
            for level in LEVELS
        }
        for j in range(k):
            other = corpus.parts[j].name
            across[f"{other} | {part.name}"] = {
                level: int(
                    np.intersect1d(
                        result.ids[level][members[j]], result.ids[level][members[k]]
                    ).size
                )
                for level in LEVELS
            }
    return {"within": within, "across": across}


def leaked_rows(result: AuditResult, level: str = "near") -> np.ndarray:
    """Positions of test rows whose text (at ``level``) is also in a training part."""
    corpus = result.corpus
    roles = np.array([p.role for p in corpus.parts])[corpus.part]
    ids = result.ids[level]
    in_training = np.unique(ids[roles == "train"])
    return np.flatnonzero((roles == "test") & np.isin(ids, in_training))


def conflicting(result: AuditResult, group: dup.Group) -> bool:
    """Whether the rows of ``group`` carry different labels (label sets)."""
    labels = {result.corpus.labels[i] for i in group.members}
    return len(labels) > 1
