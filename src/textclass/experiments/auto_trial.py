"""One ``--model auto`` candidate, tried: its cost estimated from a fit on a subsample,
then its score by k-fold cross-validation (or, for a dear candidate, on one holdout) with
its out-of-fold probabilities; and the greedy ensemble of the candidates tried."""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from textclass.experiments.auto_board import Candidate, ensemble_row

SUBSAMPLE_TEXTS = 300  # texts of the fit that estimates a candidate's cost


@dataclass
class Trial:
    texts: list
    labels: np.ndarray
    cv: int
    seed: int | None
    scoring: str  # a scorer name (the scorer itself is a closure: not picklable)
    clock: Callable[[], float]
    settings: dict

    def run(self, candidate: Candidate, deadline: float) -> dict:
        row = {"candidate": candidate, "name": candidate.name}
        if self.clock() >= deadline:
            return {**row, "skipped": "no time left"}
        try:
            estimate = self._estimate(candidate)
        except Exception as exc:  # a family that cannot run here (no weights, too few texts)
            return {**row, "skipped": f"cannot run: {type(exc).__name__}: {exc}"}
        left = deadline - self.clock()
        if estimate > left:
            return {**row, "skipped": f"estimated {estimate:.0f} s, {max(left, 0):.0f} s left"}
        return {**row, **self._cross_validate(candidate)}

    def _classifier(self, candidate: Candidate):
        from textclass.estimator import TextClassifier

        given = {**self.settings, **candidate.settings}
        clf = TextClassifier(model=candidate.model, random_state=self.seed, **given)
        return clf.set_params(**{f"model__{k}": v for k, v in candidate.params.items()})

    def _estimate(self, candidate: Candidate) -> float:
        """Seconds for the whole cross-validation, from one fit on a subsample (linear in
        the texts: a fold fits on (k-1)/k of them; a frozen encoder's texts are encoded
        once, then each fold's head costs about the subsample's fit)."""
        n = len(self.texts)
        rows = np.random.default_rng(self.seed).permutation(n)[: min(n, SUBSAMPLE_TEXTS)]
        started = self.clock()
        self._classifier(candidate).fit([self.texts[i] for i in rows], self.labels[rows])
        seconds = self.clock() - started
        if candidate.encodes_once:
            return seconds * n / len(rows) + seconds * self.cv
        return seconds * (n * (self.cv - 1) / self.cv) / len(rows) * self.cv

    def _cross_validate(self, candidate: Candidate) -> dict:
        from textclass.evaluation.crossval import cross_validate, fold_indices

        started = self.clock()
        held = [rows for _, rows in fold_indices(self.labels, self.cv, self.seed)]
        oof = {}  # out-of-fold probabilities, in the sorted classes' (or labels') columns
        latency = []

        def keep(fold, model, held_texts):
            if fold == 0:
                latency.append(single_text_ms(model, held_texts[0]))
            columns = np.searchsorted(self.classes, model.classes_)
            proba = np.zeros((len(held_texts), len(self.classes)))
            proba[:, columns] = model.predict_proba(held_texts)
            oof[fold] = proba

        done = cross_validate(
            self._classifier(candidate), self.texts, self.labels, cv=self.cv, seed=self.seed,
            scorer=self.scorer, inspect=keep,
        )  # fmt: skip
        summary = done["summary"]
        out = {
            "score": summary["score"]["mean"],
            "std": summary["score"]["std"],
            "fit_seconds": summary["train_seconds"]["mean"],
            "cv_seconds": self.clock() - started,
            "latency_ms": latency[0] if latency else None,
        }
        if len(oof) == self.cv:
            out["oof"] = np.zeros((len(self.texts), len(self.classes)))
            for fold, rows in enumerate(held):
                out["oof"][rows] = oof[fold]
        return out

    @property
    def scorer(self) -> Callable:
        from textclass.evaluation.scoring import get_scorer

        return get_scorer(self.scoring)

    @functools.cached_property
    def multilabel(self) -> bool:
        return self.labels.dtype == object and isinstance(self.labels[0], tuple)

    @functools.cached_property
    def classes(self) -> np.ndarray:
        """The sorted classes, or for label sets the sorted labels."""
        if self.multilabel:
            return np.array(sorted({x for labels in self.labels for x in labels}))
        return np.unique(self.labels)

    def ensemble(self, scored: list[dict], best: dict, *, time_left: float) -> dict | None:
        """The greedy ensemble's row when it beats ``best`` by more than ``best``'s standard
        error and refitting its members fits in ``time_left``; else None."""
        from textclass.experiments.ensemble_selection import label_set_scorer, proba_scorer, select

        with_oof = [r for r in scored if "oof" in r]
        if len(with_oof) < 2:
            return None
        if self.multilabel:  # thresholds tuned per label, as fit tunes them
            score = label_set_scorer(self.scoring, self.classes, self.labels)
        else:
            score = proba_scorer(self.scorer, self.classes, self.labels)
        shares, value = select({r["name"]: r["oof"] for r in with_oof}, score)
        single = score(best["oof"]) if "oof" in best else best["score"]
        members = [r for r in with_oof if r["name"] in shares]
        refit = sum(r["fit_seconds"] for r in members) * self.cv / max(self.cv - 1, 1)
        if len(members) < 2 or value <= single + best["std"] / math.sqrt(self.cv):
            return None
        if refit > time_left:
            return None
        return ensemble_row(members, shares, value, refit)


def single_text_ms(model, text: str, repeats: int = 5) -> float:
    """Median milliseconds of ``model.predict_proba([text])`` after one call to warm up
    (what one request to the service costs the model)."""
    model.predict_proba([text])
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        model.predict_proba([text])
        times.append(time.perf_counter() - started)
    return round(float(np.median(times)) * 1000, 2)
