"""fastText supervised on train/test JSONL files; prints one JSON line of results.

Runs in its own virtualenv (fastText's wheel needs numpy < 2), started by
benchmarks/bench_linear.py:

    python3 -m venv .venv-fasttext
    .venv-fasttext/bin/pip install fasttext-wheel==0.9.2 'numpy<2'
    .venv-fasttext/bin/python benchmarks/peers/fasttext_peer.py \\
        --train train.jsonl --test test.jsonl --workdir /tmp/ft

Each JSONL line is {"text": ..., "label": ...}. Texts are normalized the way
fastText's own classification example does it (classification-example.sh:
punctuation split off, <br /> dropped, lower case); fastText reads its training
data from a file, so "fit" times normalize + shuffle + write that file +
train_supervised, and "predict" times normalize + model.predict on the whole
test list. Uses only the standard library besides fasttext and numpy.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
from importlib import metadata
from pathlib import Path

PUNCT_SPLIT = re.compile(r"([.,()!?'])")
SEMI_COLON = re.compile(r"[;:]")
SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """classification-example.sh's sed/tr pipeline, as one function."""
    text = text.replace("<br />", " ").replace('"', "")
    text = SEMI_COLON.sub(" ", text)
    text = PUNCT_SPLIT.sub(r" \1 ", text)
    return SPACES.sub(" ", text).strip().lower()


def read_jsonl(path: str) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            texts.append(row["text"])
            labels.append(str(row["label"]))
    return texts, labels


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MiB.

    Not ``ru_maxrss``: Linux carries that over exec from the process that forked us,
    so a child of a 240 MB parent would report at least 240 MB.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def fasttext_version() -> str:
    for dist in ("fasttext-wheel", "fasttext"):
        try:
            return f"{dist} {metadata.version(dist)}"
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--workdir", required=True, help="where the training file is written")
    parser.add_argument("--epoch", type=int, default=5)
    parser.add_argument("--word-ngrams", type=int, default=2)
    parser.add_argument("--thread", type=int, default=2)
    parser.add_argument("--lr", type=float, default=0.1, help="fastText's default: 0.1")
    parser.add_argument("--dim", type=int, default=100, help="fastText's default: 100")
    parser.add_argument("--seed", type=int, default=0, help="shuffle and fastText seed")
    args = parser.parse_args()

    import fasttext
    import numpy as np

    train_texts, train_labels = read_jsonl(args.train)
    test_texts, test_labels = read_jsonl(args.test)
    rss_start = peak_rss_mb()
    train_file = Path(args.workdir) / "fasttext.train.txt"

    start = time.perf_counter()
    lines = [f"__label__{y} {normalize(t)}\n" for t, y in zip(train_texts, train_labels)]
    random.Random(args.seed).shuffle(lines)
    train_file.write_text("".join(lines), encoding="utf-8")
    fit_prep_s = time.perf_counter() - start
    model = fasttext.train_supervised(
        input=str(train_file),
        wordNgrams=args.word_ngrams,
        epoch=args.epoch,
        thread=args.thread,
        lr=args.lr,
        dim=args.dim,
        seed=args.seed,
        verbose=0,
    )
    fit_s = time.perf_counter() - start
    rss_fit = peak_rss_mb()

    start = time.perf_counter()
    normalized = [normalize(t) for t in test_texts]
    predict_prep_s = time.perf_counter() - start
    predicted, _ = model.predict(normalized, k=1)
    predicted = [p[0][len("__label__") :] for p in predicted]
    predict_s = time.perf_counter() - start

    accuracy = float(np.mean([p == y for p, y in zip(predicted, test_labels)]))
    result = {
        "accuracy": accuracy,
        "fit_s": fit_s,
        "predict_s": predict_s,
        "fit_prep_s": fit_prep_s,  # of fit_s: normalize + shuffle + write the training file
        "predict_prep_s": predict_prep_s,  # of predict_s: normalize the test texts
        "rss_start_mb": rss_start,
        "rss_fit_mb": rss_fit,
        "rss_max_mb": peak_rss_mb(),
        "n_train": len(train_texts),
        "n_test": len(test_texts),
        "fasttext": fasttext_version(),
        "numpy": np.__version__,
        "python": sys.version.split()[0],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
