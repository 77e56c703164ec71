"""Prediction latency per family: a cold `textclass predict RUN "text"`, and in process.

For each family a model is trained on the UCI yelp sentences (tutorial split) and saved.
Then, per family:

- cold CLI: wall time of `textclass predict RUN "one text"` in a fresh process (median of 3);
- in process, from `TextClassifier.load`: load time, the first `predict_proba([text])`,
  and p50 / p99 of 300 more single-text calls.

Writes benchmarks/results/predict.md.

    TEXTCLASS_DATA=../shared/data python benchmarks/bench_predict.py [--families ngram,rnn]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("results")
FAMILIES = ("ngram", "logreg", "dense", "multihot", "embedding", "cnn", "rnn")
KERAS_EPOCHS = 5


def train(family: str, folder: Path):
    from textclass import TextClassifier, load_dataset, split_dataset
    from textclass.models import family_class

    train_set, test = split_dataset(load_dataset("uci-sentiment:yelp"), test_size=0.25, seed=1000)
    settings = {"epochs": KERAS_EPOCHS} if family_class(family).training_defaults else {}
    clf = TextClassifier(model=family, random_state=0, **settings)
    clf.fit(train_set.texts, train_set.labels).save(folder / family)
    return folder / family, list(test.texts)


def cold_cli(run: Path, repeat: int = 3) -> float:
    script = Path(sys.executable).parent / "textclass"
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            [str(script), "predict", str(run), "The food was great"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def in_process(run: Path, texts: list[str]) -> dict:
    code = f"""
import json, time, numpy as np
started = time.perf_counter()
from textclass import TextClassifier
clf = TextClassifier.load({str(run)!r})
loaded = time.perf_counter() - started
texts = {texts[:300]!r}
started = time.perf_counter(); clf.predict_proba(texts[:1]); first = time.perf_counter() - started
times = []
for text in texts:
    started = time.perf_counter(); clf.predict_proba([text]); times.append(time.perf_counter() - started)
print(json.dumps({{"import_load_s": loaded, "first_ms": first * 1e3,
    "p50_ms": float(np.median(times) * 1e3), "p99_ms": float(np.percentile(times, 99) * 1e3)}}))
"""
    import json

    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def markdown(rows: dict[str, dict], command: str) -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        "# Prediction latency: cold CLI and in process",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average at the end {load}. Command: `{command}`.",
        "",
        "Models trained on UCI yelp (tutorial split; Keras families "
        f'{KERAS_EPOCHS} epochs). Cold CLI: `textclass predict RUN "The food was great"` in a '
        "fresh process, median of 3. In process: a fresh process imports textclass and loads "
        "the artifact, then times single-text `predict_proba` calls (first call, then 300).",
        "",
        "| family | cold CLI s | import + load s | first call ms | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for family, r in rows.items():
        lines.append(
            f"| {family} | {r['cli_s']:.2f} | {r['import_load_s']:.2f} | {r['first_ms']:.1f} | "
            f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} |"
        )
    lines += [
        "",
        "Targets (issue): in-process p50 ≤ 1 ms for logreg/ngram, ≤ 2 ms for every Keras family; "
        "cold CLI ≤ 1.5 s for linear models, ≤ 2.5 s for Keras models.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--out", type=Path, default=RESULTS / "predict.md")
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for family in args.families.split(","):
            run, texts = train(family, Path(tmp))
            rows[family] = {"cli_s": cold_cli(run), **in_process(run, texts)}
            print(family, rows[family], flush=True)
            args.out.parent.mkdir(exist_ok=True)
            args.out.write_text(markdown(rows, " ".join(["python", *sys.argv])), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
