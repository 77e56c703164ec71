"""Multi-label and imbalanced-class targets of issue 14, in one run on this CPU.

1. GoEmotions (28 emotions, multi-label), the published train / dev / test split:
   test macro-F1 of CPU models against the paper's fine-tuned BERT-base (0.46,
   Demszky et al. 2020, Table 4), with each model's training time. Thresholds are
   0.5, or tuned per label for F1 on the dev part (``threshold="max-f1"``).
2. An imbalanced binary set: IMDB 25k/25k with the positive reviews of each part
   downsampled to 10 % of its rows (seeded); minority (positive) F1 with the defaults
   against ``class_weight="balanced"`` plus a threshold tuned for F1 on 20 % of the
   training texts held out of training.

    TEXTCLASS_DATA=../shared/data python benchmarks/bench_labels.py \\
        [--quick] [--out benchmarks/results/labels.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 0
BERT_MACRO_F1 = 0.46  # Demszky et al. 2020, GoEmotions, BERT-base, 28 emotions, test macro-F1
MINORITY_SHARE = 0.10

GOEMOTIONS_ROWS = [
    ("ngram 1-3 NB, thresholds 0.5", "ngram", {"threshold": 0.5}, {}),
    # since session 16 the default for label sets with a dev part: max-f1 thresholds on it
    ("ngram 1-3 NB, defaults (thresholds max-f1 on dev)", "ngram", {}, {}),
    (
        "ngram 1-2 tf-idf, thresholds max-f1 on dev",
        "ngram",
        {"threshold": "max-f1"},
        {"weighting": "tfidf", "ngram_range": [1, 2], "C": 1.0},
    ),
    (
        "ngram 1-3 NB balanced, thresholds max-f1 on dev",
        "ngram",
        {"threshold": "max-f1", "class_weight": "balanced"},
        {},
    ),
    ("logreg counts, thresholds max-f1 on dev", "logreg", {"threshold": "max-f1"}, {}),
]
IMBALANCED_ROWS = [
    ("ngram, defaults (classes balanced since session 16)", "ngram", {}),
    ("ngram, unweighted (the default before)", "ngram", {"model__class_weight": None}),
    (
        "ngram, class_weight=balanced + threshold max-f1",
        "ngram",
        {"class_weight": "balanced", "threshold": "max-f1"},
    ),
    (
        "ngram, unweighted + threshold max-f1",
        "ngram",
        {"model__class_weight": None, "threshold": "max-f1"},
    ),
    ("logreg, defaults", "logreg", {}),
    (
        "logreg, class_weight=balanced + threshold max-f1",
        "logreg",
        {"class_weight": "balanced", "threshold": "max-f1"},
    ),
]


def goemotions(quick: bool) -> list[dict]:
    from textclass import TextClassifier, load_dataset
    from textclass.evaluation import evaluate

    ds = load_dataset("goemotions")
    parts = {p: ds.subset(ds.split == p) for p in ("train", "dev", "test")}
    if quick:
        parts = {p: d.subset(np.arange(min(len(d), 3000))) for p, d in parts.items()}
    train, dev, test = parts["train"], parts["dev"], parts["test"]
    rows = []
    for label, model, settings, hyper in GOEMOTIONS_ROWS:
        clf = TextClassifier(model=model, random_state=SEED, **settings)
        if hyper:
            clf.set_params(**{f"model__{k}": v for k, v in hyper.items()})
        validation = (dev.texts, dev.labels)  # as `textclass train goemotions` does
        started = time.perf_counter()
        clf.fit(train.texts, train.labels, validation_data=validation)
        seconds = time.perf_counter() - started
        m = evaluate(clf, test.texts, test.labels)
        rows.append(
            {
                "model": label,
                "f1_macro": m["f1_macro"],
                "f1_micro": m["f1_micro"],
                "f1_samples": m["f1_samples"],
                "subset_accuracy": m["subset_accuracy"],
                "hamming_loss": m["hamming_loss"],
                "train_s": seconds,
                "rare": {
                    k: m["per_class"][k]["f1"] for k in ("grief", "pride", "relief", "nervousness")
                },
            }
        )
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


def downsample(dataset, share: float, seed: int):
    """The dataset with its positives (label 1) cut to ``share`` of the rows."""
    rng = np.random.default_rng(seed)
    labels = np.asarray(dataset.labels)
    neg, pos = np.flatnonzero(labels == 0), np.flatnonzero(labels == 1)
    keep = int(round(len(neg) * share / (1 - share)))
    chosen = np.sort(np.concatenate([neg, rng.choice(pos, keep, replace=False)]))
    return dataset.subset(chosen)


def imbalanced(quick: bool) -> list[dict]:
    from textclass import TextClassifier, load_dataset
    from textclass.evaluation import evaluate

    ds = load_dataset("imdb")
    train = downsample(ds.subset(ds.split == "train"), MINORITY_SHARE, SEED)
    test = downsample(ds.subset(ds.split == "test"), MINORITY_SHARE, SEED + 1)
    if quick:
        rng = np.random.default_rng(SEED)
        train = train.subset(np.sort(rng.choice(len(train), 3000, replace=False)))
        test = test.subset(np.sort(rng.choice(len(test), 3000, replace=False)))
    rows = []
    for label, model, settings in IMBALANCED_ROWS:
        hyper = {k: v for k, v in settings.items() if k.startswith("model__")}
        plain = {k: v for k, v in settings.items() if k not in hyper}
        clf = TextClassifier(model=model, random_state=SEED, **plain).set_params(**hyper)
        started = time.perf_counter()
        clf.fit(train.texts, train.labels)
        seconds = time.perf_counter() - started
        m = evaluate(clf, test.texts, test.labels)
        rows.append(
            {
                "model": label,
                "minority_f1": m["f1"],
                "precision": m["precision"],
                "recall": m["recall"],
                "balanced_accuracy": m["balanced_accuracy"],
                "pr_auc": m["per_class"]["1"]["pr_auc"],
                "threshold": m.get("threshold"),
                "train_s": seconds,
            }
        )
        print(rows[-1], file=sys.stderr, flush=True)
    return (
        rows,
        len(train),
        len(test),
        int(np.sum(train.labels == 1)),
        int(np.sum(test.labels == 1)),
    )


def markdown(go: list[dict], imb, args) -> str:
    from importlib import metadata

    rows, n_train, n_test, pos_train, pos_test = imb
    best = max(go, key=lambda r: r["f1_macro"])
    base = next(r for r in imb[0] if r["model"].startswith("ngram, defaults"))
    before = next(r for r in imb[0] if r["model"].startswith("ngram, unweighted ("))
    tuned = next(r for r in imb[0] if r["model"].startswith("ngram, class_weight"))
    lines = [
        "# Multi-label and imbalanced classes (issue 14)",
        "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other work (timings drift; compare within this "
        f"run), Python {platform.python_version()}, textclass {metadata.version('textclass')}, "
        f"scikit-learn {metadata.version('scikit-learn')}. "
        f"Command: `{' '.join(shlex.quote(a) for a in sys.argv)}`"
        + (" (**--quick: subsampled, not the targets' figures**)" if args.quick else ""),
        "",
        "## GoEmotions, 28 emotions, published split (train 43,410 / dev 5,426 / test 5,427)",
        "",
        f"Target: the paper's fine-tuned BERT-base, test macro-F1 **{BERT_MACRO_F1}** (GPU). "
        f"Best CPU model here: **{best['model']}**, macro-F1 **{best['f1_macro']:.4f}** "
        f"({best['f1_macro'] - BERT_MACRO_F1:+.4f} against BERT), trained in "
        f"{best['train_s']:.1f} s (thresholds tuned on dev included).",
        "",
        "| model | macro-F1 | micro-F1 | samples-F1 | subset acc. | Hamming | train s "
        "| F1 grief / pride / relief / nervousness |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in go:
        rare = " / ".join(f"{v:.2f}" for v in r["rare"].values())
        lines.append(
            f"| {r['model']} | {r['f1_macro']:.4f} | {r['f1_micro']:.4f} | "
            f"{r['f1_samples']:.4f} | {r['subset_accuracy']:.4f} | {r['hamming_loss']:.4f} | "
            f"{r['train_s']:.1f} | {rare} |"
        )
    lines.append(f"| BERT-base (paper) | {BERT_MACRO_F1:.2f} | | | | | | |")
    lines += [
        "",
        f"## Imbalanced binary: IMDB with positives downsampled to {MINORITY_SHARE:.0%}",
        "",
        f"Train {n_train:,} reviews ({pos_train:,} positive), test {n_test:,} ({pos_test:,} "
        "positive), each part downsampled with its own seed from the publisher's 25k/25k. "
        "Minority class: positive (1). The tuned threshold is fitted on 20 % of the "
        "training texts held out of training (the model trains on the other 80 %).",
        "",
        f"Minority F1: unweighted (the default before session 16) "
        f"**{before['minority_f1']:.4f}**, defaults now **{base['minority_f1']:.4f}** -> "
        "class_weight=balanced + "
        f"max-f1 threshold **{tuned['minority_f1']:.4f}** "
        f"({tuned['minority_f1'] - base['minority_f1']:+.4f}).",
        "",
        "| model | minority F1 | precision | recall | balanced acc. | PR-AUC | threshold "
        "| train s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        cut = "argmax" if r["threshold"] is None else f"{r['threshold']:.3f}"
        lines.append(
            f"| {r['model']} | {r['minority_f1']:.4f} | {r['precision']:.4f} | "
            f"{r['recall']:.4f} | {r['balanced_accuracy']:.4f} | {r['pr_auc']:.4f} | {cut} | "
            f"{r['train_s']:.1f} |"
        )
    return "\n".join(lines) + "\n" + NOTES


NOTES = """
## Notes

- BERT's 0.46 is the paper's figure, rounded to two places; a CPU model that lands on it to
  three decimals is level with it, not ahead. The paper's model is fine-tuned on a GPU; these
  train in seconds to minutes on two shared cores.
- Tuning the 28 thresholds on dev is what lifts macro-F1 (rare emotions get thresholds far
  below 0.5); with 0.5 everywhere the rare labels are almost never predicted.
- The IMDB rows with a tuned threshold train on 80 % of the training texts (20 % tune the
  threshold), which is why their PR-AUC (a threshold-free ranking measure) is slightly
  lower than the defaults' while their minority F1 is far higher.
- Timings are from one run on a machine shared with other test suites; the NB rows' times
  varied by 2x between rows of the same kind, so read them as orders of magnitude.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3,000-text subsets (a smoke run)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "labels.md")
    args = parser.parse_args()
    go = goemotions(args.quick)
    imb = imbalanced(args.quick)
    text = markdown(go, imb, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
