"""Prediction latency per family: a cold `textclass predict RUN "text"`, and in process.

For each family a model is trained on the UCI yelp sentences (tutorial split) and saved.
Then, per family:

- cold CLI: wall time of `textclass predict RUN "one text"` in a fresh process (median of
  5 rounds, families taking turns), once more without JAX's compilation cache, and the
  floor under it (Python, the CLI and Keras + JAX imported, nothing else);
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


def cold_cli(run: Path, *, compile_cache: bool = True) -> float:
    """Wall seconds of one ``textclass predict`` in a fresh process."""
    script = Path(sys.executable).parent / "textclass"
    env = dict(os.environ, TEXTCLASS_COMPILE_CACHE="1" if compile_cache else "0")
    started = time.perf_counter()
    subprocess.run(
        [str(script), "predict", str(run), "The food was great"],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    return time.perf_counter() - started


# the floor under any cold Keras prediction: Python, the CLI's imports, then Keras and JAX
# (imported the way the CLI does, without keras's scikit-learn/matplotlib/pandas extras)
FLOOR = (
    "import textclass.cli; from textclass.runtimes import keras_loading as k; "
    "k.LEAN_IMPORT = True; k.import_keras(); import os; os._exit(0)"
)


def floor_s() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR], check=True)
    return time.perf_counter() - started


def steal_share(before: list[int], after: list[int]) -> float:
    """Share of CPU time the hypervisor took (``steal`` in /proc/stat) between two reads."""
    delta = [b - a for a, b in zip(before, after)]
    return delta[7] / max(sum(delta[:8]), 1)


def cpu_times() -> list[int]:
    try:
        with open("/proc/stat") as fh:
            return [int(v) for v in fh.readline().split()[1:9]]
    except OSError:
        return [0] * 8


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


def markdown(rows: dict[str, dict], command: str, extra: dict) -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        "# Prediction latency: cold CLI and in process",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average at the end {load}; the hypervisor "
        f"took {extra['steal']:.0%} of the CPU time during the cold runs (steal). "
        f"Command: `{command}`.",
        "",
        "Models trained on UCI yelp (tutorial split; Keras families "
        f'{KERAS_EPOCHS} epochs). Cold CLI: `textclass predict RUN "The food was great"` in a '
        f"fresh process, median (and best) of {extra['rounds']}, the families taking turns; "
        "*no compile cache*: one more run with `TEXTCLASS_COMPILE_CACHE=0` (every function "
        "compiled again). In process: a fresh process imports textclass and loads "
        "the artifact, then times single-text `predict_proba` calls (first call, then 300).",
        "",
        f"Floor, in the same rounds: Python, the CLI's imports and Keras + JAX alone "
        f"(`{FLOOR}`): **{extra['floor_s']:.2f} s** (median).",
        "",
        "| family | cold CLI s | best s | no compile cache s | import + load s | first call ms "
        "| p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for family, r in rows.items():
        lines.append(
            f"| {family} | {r['cli_s']:.2f} | {r['cli_min_s']:.2f} | {r['uncached_s']:.2f} | "
            f"{r['import_load_s']:.2f} | {r['first_ms']:.1f} | {r['p50_ms']:.2f} | "
            f"{r['p99_ms']:.2f} |"
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
    parser.add_argument("--rounds", type=int, default=5, help="cold runs per family")
    parser.add_argument("--out", type=Path, default=RESULTS / "predict.md")
    args = parser.parse_args()
    families = args.families.split(",")
    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        runs = {family: train(family, Path(tmp)) for family in families}
        started, floors = cpu_times(), []
        cold: dict[str, list[float]] = {f: [] for f in families}
        uncached: dict[str, float] = {}
        for _ in range(args.rounds):  # round-robin, so drift in the machine hits every family
            floors.append(floor_s())
            for family in families:
                cold[family].append(cold_cli(runs[family][0]))
        for family in families:
            uncached[family] = cold_cli(runs[family][0], compile_cache=False)
        steal = steal_share(started, cpu_times())
        for family in families:
            run, texts = runs[family]
            rows[family] = {
                "cli_s": statistics.median(cold[family]),
                "cli_min_s": min(cold[family]),
                "uncached_s": uncached[family],
                **in_process(run, texts),
            }
            print(family, rows[family], flush=True)
    extra = {"floor_s": statistics.median(floors), "steal": steal, "rounds": args.rounds}
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(markdown(rows, " ".join(["python", *sys.argv]), extra), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
