"""How far a test score moves by chance alone: the bootstrap standard error of the
headline test metric (accuracy, or macro-F1 for label sets) of one fitted model.

Resampling the test rows with replacement (2,000 times) and scoring each resample gives the
spread a score would show on another test set of the same size drawn the same way. A
target closer to a measured score than about one standard error cannot be told apart from
it on that test set. The split is bench_auto's (UCI and BBC: the tutorial split, test 0.25,
seed 1000; IMDB and GoEmotions: the publisher's), so the errors apply to its rows.

    TEXTCLASS_DATA=../shared/data python benchmarks/bench_noise.py \\
        [--runs uci-sentiment:amazon=encoder-mpnet,imdb=ngram]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).with_name("results")
RUNS = ",".join(
    [f"uci-sentiment:{s}=encoder-mpnet" for s in ("yelp", "amazon", "imdb")]
    + ["bbc-news=ngram", "imdb=ngram", "goemotions=ngram"]
)
RESAMPLES = 2000


def truth_and_predicted(clf, texts, labels) -> tuple[np.ndarray, np.ndarray, bool]:
    """Test truth and the classifier's decisions, as it decides (its thresholds)."""
    from textclass.decisions import Decision

    proba = clf.predict_proba(texts)
    decision = Decision.of(clf)
    if decision.multilabel:
        return clf._encoder().transform(labels), decision.indices(proba).astype(int), True
    return np.asarray(labels), np.asarray(decision.labels(proba)), False


def headline(truth, predicted, multilabel: bool) -> float:
    from sklearn.metrics import accuracy_score, f1_score

    if multilabel:
        return float(f1_score(truth, predicted, average="macro", zero_division=0))
    return float(accuracy_score(truth, predicted))


def bootstrap_se(truth, predicted, multilabel: bool, resamples: int = RESAMPLES) -> float:
    """Standard deviation of the headline metric over test sets resampled with replacement."""
    rng = np.random.default_rng(0)
    n = len(truth)
    scores = [
        headline(truth[rows], predicted[rows], multilabel)
        for rows in (rng.integers(0, n, n) for _ in range(resamples))
    ]
    return float(np.std(scores, ddof=1))


def measure(data: str, model: str) -> dict:
    from bench_auto import train_request
    from textclass.jobs.train import train

    result = train(train_request(data, model))
    truth, predicted, multilabel = truth_and_predicted(
        result.classifier, result.test.texts, result.test.labels
    )
    return {
        "data": data, "model": model, "n_test": len(truth),
        "metric": "macro-F1" if multilabel else "accuracy",
        "test": headline(truth, predicted, multilabel),
        "bootstrap_se": bootstrap_se(truth, predicted, multilabel),
    }  # fmt: skip


def markdown(rows: list[dict]) -> str:
    lines = [
        "# Test-set noise: bootstrap standard errors",
        "",
        f"From `benchmarks/results/noise.jsonl` (`python benchmarks/bench_noise.py`): one fitted"
        f" model per row, its test part resampled with replacement {RESAMPLES:,} times. One"
        " standard error is how far a score on this test set moves by chance alone; the"
        " last column is the 95 % interval (± 1.96 SE).",
        "",
        "| dataset | model | test rows | metric | test | bootstrap SE | 95 % interval | at |",
        "|---|---|---:|---|---:|---:|---|---|",
    ]
    for r in rows:
        low, high = r["test"] - 1.96 * r["bootstrap_se"], r["test"] + 1.96 * r["bootstrap_se"]
        lines.append(
            f"| {r['data']} | {r['model']} | {r['n_test']:,} | {r['metric']} | {r['test']:.4f}"
            f" | {r['bootstrap_se']:.4f} | {low:.3f}-{high:.3f} | {r['at']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default=RUNS, help="DATA=MODEL pairs, comma-separated")
    parser.add_argument("--out", type=Path, default=RESULTS / "noise.jsonl")
    args = parser.parse_args()
    from bench_auto import append_row, stamp

    when = stamp()
    for pair in args.runs.split(","):
        data, model = pair.rsplit("=", 1)
        append_row(args.out, {**when, **measure(data, model)}, markdown)


if __name__ == "__main__":
    main()
