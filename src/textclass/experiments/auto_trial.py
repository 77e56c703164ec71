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

from textclass.experiments.auto_board import Candidate, ensemble_row, standard_error, winner

SUBSAMPLE_TEXTS = 300  # texts of the fit that estimates a candidate's cost
# a dear candidate's cost: fits on 32 texts (a warm-up, untimed), then 50 and 100 (timed);
# the warm-up fits other texts: the timed fits meet some batch shapes first, and compiling
# them is counted as cost per text, which over-estimates (a warm-up on the timed fits' own
# texts under-estimated 2.7x: contrastive MiniLM on UCI yelp, 20 s for a 54 s fit)
HOLDOUT_SIZES = (32, 50, 100)
HOLDOUT_FOLDS = 5  # a dear candidate is scored on the first of 5 folds: a fifth held out


class NoTimeToEstimate(Exception):
    """A dear candidate's next timed fit would end past the deadline."""


@dataclass
class Trial:
    texts: list
    labels: np.ndarray
    cv: int
    seed: int | None
    scoring: str  # a scorer name (the scorer itself is a closure: not picklable)
    clock: Callable[[], float]
    settings: dict
    final_budget: float = math.inf  # seconds kept for the winner's final fit

    def run(self, candidate: Candidate, deadline: float) -> dict:
        row = {"candidate": candidate, "name": candidate.name}
        if self.clock() >= deadline:
            return {**row, "too_dear": True, "skipped": "no time left"}
        try:
            estimate, final = self._estimate(candidate, deadline)
        except NoTimeToEstimate as stop:
            return {**row, "too_dear": True, "skipped": str(stop)}
        except Exception as exc:  # a family that cannot run here (no weights, too few texts)
            return {**row, "skipped": f"cannot run: {type(exc).__name__}: {exc}"}
        left = deadline - self.clock()
        if estimate > left:
            return {**row, "too_dear": True,
                    "skipped": f"estimated {estimate:.0f} s, {max(left, 0):.0f} s left"}  # fmt: skip
        if final > self.final_budget:
            return {**row, "too_dear": True, "skipped": f"its final fit: estimated {final:.0f} s, "
                    f"{self.final_budget:.0f} s kept for it"}  # fmt: skip
        scored = self._holdout(candidate) if candidate.holdout else self._cross_validate(candidate)
        return {**row, **scored}

    def _classifier(self, candidate: Candidate):
        from textclass.estimator import TextClassifier

        given = {**self.settings, **candidate.settings}
        clf = TextClassifier(model=candidate.model, random_state=self.seed, **given)
        return clf.set_params(**{f"model__{k}": v for k, v in candidate.params.items()})

    def _estimate(self, candidate: Candidate, deadline: float = math.inf) -> tuple[float, float]:
        """Seconds to score the candidate and seconds of its final fit on all the texts,
        from one fit on a subsample (linear in the texts: a fold fits on (k-1)/k of them;
        a frozen encoder's texts are encoded once, then each fold's head costs about the
        subsample's fit, and the final fit finds every vector cached). A dear candidate's
        fits have a large fixed part (a model built and compiled each fit): it is
        measured apart (:meth:`_fixed_and_per_text`) rather than scaled with the texts."""
        n = len(self.texts)
        if candidate.holdout:
            fixed, per_text = self._fixed_and_per_text(candidate, deadline)
            held_out = n // HOLDOUT_FOLDS
            return fixed + per_text * (n - held_out), fixed + per_text * n
        rows = self._sample(min(n, SUBSAMPLE_TEXTS))
        seconds = self._timed_fit(candidate, rows)
        fit_all = seconds * n / len(rows)
        if candidate.encodes_once:
            return fit_all + seconds * self.cv, 2 * seconds
        return fit_all * (self.cv - 1), fit_all

    def _fixed_and_per_text(self, candidate: Candidate, deadline: float) -> tuple[float, float]:
        """A fit's fixed seconds and seconds per text, from fits on ``HOLDOUT_SIZES``
        texts after an untimed warm-up (loading weights and the first compilation are
        paid once a run: scaled with the texts, contrastive MiniLM's 48 s fit on 750 UCI
        texts was estimated at 206 s, and the candidate skipped). A fit on more texts takes
        at least as long as the last one: when that would pass ``deadline``, the estimate
        stops (:class:`NoTimeToEstimate`; on BBC's articles the three fits had taken
        about 200 s, begun with 86 s left)."""
        warm, small, large = HOLDOUT_SIZES
        t_warm = self._timed_fit(candidate, self._sample(warm, last=True))
        self._check_time(deadline, t_warm, warm)
        t_small = self._timed_fit(candidate, self._sample(small))
        self._check_time(deadline, t_small, small)
        t_large = self._timed_fit(candidate, self._sample(large))
        per_text = max((t_large - t_small) / (large - small), t_large / large / 10)
        return max(t_large - per_text * large, 0.0), per_text

    def _check_time(self, deadline: float, last_fit: float, texts: int) -> None:
        left = deadline - self.clock()
        if last_fit > left:
            raise NoTimeToEstimate(
                f"no time left to estimate it: a fit on {texts} texts took {last_fit:.0f} s, "
                f"{max(left, 0):.0f} s left"
            )

    def _sample(self, size: int, *, last: bool = False) -> np.ndarray:
        order = np.random.default_rng(self.seed).permutation(len(self.texts))
        return order[-size:] if last else order[:size]

    def _timed_fit(self, candidate: Candidate, rows: np.ndarray) -> float:
        started = self.clock()
        self._classifier(candidate).fit([self.texts[i] for i in rows], self.labels[rows])
        return self.clock() - started

    def _cross_validate(self, candidate: Candidate) -> dict:
        from textclass.evaluation.crossval import cross_validate, fold_indices

        started = self.clock()
        held = [rows for _, rows in fold_indices(self.labels, self.cv, self.seed)]
        oof = {}  # out-of-fold probabilities, in the sorted classes' (or labels') columns
        latency = []

        def keep(fold, model, held_texts):
            if fold == 0:
                latency.append(single_text_ms(model, held_texts[0]))
            oof[fold] = self._proba(model, held_texts)

        done = cross_validate(
            self._classifier(candidate), self.texts, self.labels, cv=self.cv, seed=self.seed,
            scorer=self.scorer, inspect=keep,
        )  # fmt: skip
        summary = done["summary"]
        fit = summary["train_seconds"]["mean"]
        out = {
            "score": summary["score"]["mean"],
            "std": summary["score"]["std"],
            "fit_seconds": fit,
            "fit_all_seconds": fit * self.cv / max(self.cv - 1, 1),
            "cv_seconds": self.clock() - started,
            "latency_ms": latency[0] if latency else None,
        }
        if len(oof) == self.cv:
            out["oof"] = np.zeros((len(self.texts), len(self.classes)))
            for fold, rows in enumerate(held):
                out["oof"][rows] = oof[fold]
        return out

    def _holdout(self, candidate: Candidate) -> dict:
        """A dear candidate's score on one holdout (the first of ``HOLDOUT_FOLDS``
        stratified folds), its probabilities there (NaN elsewhere) for the ensemble."""
        from textclass.evaluation.crossval import fold_indices

        started = self.clock()
        train, held = fold_indices(self.labels, HOLDOUT_FOLDS, self.seed)[0]
        model = self._classifier(candidate)
        model.fit([self.texts[i] for i in train], self.labels[train])
        fit = self.clock() - started
        held_texts = [self.texts[i] for i in held]
        score = float(self.scorer(model, held_texts, self.labels[held]))
        oof = np.full((len(self.texts), len(self.classes)), np.nan)
        oof[held] = self._proba(model, held_texts)
        return {
            "score": score, "std": None, "se": holdout_error(score, len(held)),
            "fit_seconds": fit, "fit_all_seconds": fit * len(self.texts) / len(train),
            "cv_seconds": self.clock() - started,
            "latency_ms": single_text_ms(model, held_texts[0]), "oof": oof,
            "scored_on": f"a holdout of {len(held)} texts",
        }  # fmt: skip

    def _proba(self, model, texts: list[str]) -> np.ndarray:
        """``model``'s probabilities of ``texts`` in the sorted classes' (labels') columns
        (a class a fold never saw keeps 0)."""
        columns = np.searchsorted(self.classes, model.classes_)
        proba = np.zeros((len(texts), len(self.classes)))
        proba[:, columns] = model.predict_proba(texts)
        return proba

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
        error and refitting its members fits in ``time_left``; else None.

        When a dear candidate was scored on a holdout (a fifth of the rows), two ensembles
        are selected: one of the k-fold candidates on every row, one of all candidates on
        the holdout's rows. The second (or ``best``, when it is a holdout's) is taken only
        when it beats the first on those rows by more than their standard error: selected
        on a fifth of the rows, it is the noisier (on UCI imdb it had replaced an ensemble
        of 0.936 on the test part by frozen MPNet's 0.928)."""
        with_oof = [r for r in scored if "oof" in r]
        everywhere = [r for r in with_oof if not np.isnan(r["oof"]).any()]
        held_out = self._selected(with_oof, best, time_left)
        if len(everywhere) == len(with_oof):
            return held_out and held_out[0]
        full = self._selected(everywhere, winner(everywhere, self.cv), time_left)
        if full is None:
            return held_out and held_out[0]
        rows, score = self._common_rows(with_oof)
        full_there = score(sum(w * r["oof"][rows] for r, w in full[1]))
        rival = held_out[0]["score"] if held_out else (best["score"] if best.get("se") else None)
        if rival is not None and rival > full_there + holdout_error(full_there, len(rows)):
            return held_out and held_out[0]
        return full[0]

    def _selected(self, candidates: list[dict], best: dict, time_left: float):
        """``(row, [(member row, weight)])`` of the greedy ensemble of ``candidates`` on
        their common rows, or None when it does not beat ``best`` there by more than
        ``best``'s standard error, has one member, or cannot be refitted in ``time_left``."""
        from textclass.experiments.ensemble_selection import select

        if len(candidates) < 2:
            return None
        rows, score = self._common_rows(candidates)
        shares, value = select({r["name"]: r["oof"][rows] for r in candidates}, score)
        single = score(best["oof"][rows]) if "oof" in best else best["score"]
        members = [r for r in candidates if r["name"] in shares]
        refit = sum(r["fit_all_seconds"] for r in members)
        if len(members) < 2 or value <= single + standard_error(best, self.cv):
            return None
        if refit > time_left:
            return None
        row = ensemble_row(members, shares, value, refit, len(rows))
        return row, [(r, shares[r["name"]]) for r in members]

    def _common_rows(self, candidates: list[dict]) -> tuple[np.ndarray, Callable]:
        """The rows every candidate has probabilities for, and the scorer of
        probabilities on them (for label sets, with thresholds tuned per label, as fit
        tunes them)."""
        from textclass.experiments.ensemble_selection import label_set_scorer, proba_scorer

        known = ~np.isnan(np.stack([r["oof"][:, 0] for r in candidates])).any(axis=0)
        rows = np.flatnonzero(known)
        labels = self.labels[rows]
        if self.multilabel:
            return rows, label_set_scorer(self.scoring, self.classes, labels)
        return rows, proba_scorer(self.scorer, self.classes, labels)


def holdout_error(score: float, n: int) -> float:
    """The standard error of a proportion-like score measured on ``n`` texts (binomial;
    0 for scores outside [0, 1], such as negative losses)."""
    if not 0 <= score <= 1 or n == 0:
        return 0.0
    return math.sqrt(max(score * (1 - score), 1 / n) / n)


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
