"""Scaling out with Dask: a search's trials, and batch scoring of a large corpus.

1. Search: 8 CNN configurations x 4 folds on the UCI yelp sentences (the
   training part of the tutorial split), run by ``run_search`` with
   ``cluster="local:1"``, ``cluster="local:2"`` and ``jobs=2`` (each from a cold
   start: the cluster or process pool is started inside the timing). The trials'
   fold scores are compared across the runs.
2. Scoring: a model (``--scorer``, default ngram, the default family) trained
   on the UCI IMDB sentences scores those 1,000 sentences
   repeated to N rows (Parquet shards of at most 250,000 rows, row groups of
   50,000), with ``score_files`` in a fresh process: texts/s and the process's
   peak resident memory (``VmHWM``), locally and on ``local:2`` (whose
   figure is the largest worker's peak).

Writes benchmarks/results/scale.md.

    TEXTCLASS_DATA=../shared/data python benchmarks/bench_scale.py [--rows 100000,1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("results")
SPACE = {"filters": [32, 64], "kernel_size": [3, 5], "embedding_dim": [16, 32]}
SHARD_ROWS = 250_000


def search_runs(folder: Path, epochs: int, modes: list[str]) -> list[dict]:
    from textclass import load_dataset, split_dataset
    from textclass.experiments.search import SearchSettings, run_search

    train, _ = split_dataset(load_dataset("uci-sentiment:yelp"), test_size=0.25, seed=1000)
    settings = SearchSettings(
        model="cnn", space=SPACE, cv=4, grid=True, estimator_params={"epochs": epochs}
    )
    rows = []
    for mode in modes:
        kind, _, value = mode.partition("=")
        options = {"jobs": int(value)} if kind == "jobs" else {"cluster": value}
        started = time.perf_counter()
        result = run_search(settings, train.texts, train.labels, folder / mode, **options)
        wall = time.perf_counter() - started
        rows.append(
            {
                "mode": mode.replace("cluster=", "--cluster ").replace("jobs=", "--jobs "),
                "wall": wall,
                "fit_seconds": sum(t["fit_seconds"] for t in result["trials"]),
                "scores": [t["fold_scores"] for t in result["trials"]],
                "best": result["best"]["params"],
            }
        )
        print(rows[-1]["mode"], f"{wall:.1f}s", flush=True)
    return rows


def train_scorer(folder: Path, family: str, epochs: int) -> tuple[Path, list[str]]:
    from textclass import TextClassifier, load_dataset
    from textclass.models import family_class

    data = load_dataset("uci-sentiment:imdb")
    run = folder / f"imdb-{family}"
    settings = {"epochs": epochs} if family_class(family).training_defaults else {}
    clf = TextClassifier(model=family, random_state=0, **settings)
    clf.fit(data.texts, data.labels).save(run)
    return run, list(data.texts)


def write_shards(texts: list[str], rows: int, folder: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    start = 0
    while start < rows:
        n = min(SHARD_ROWS, rows - start)
        column = [texts[(start + i) % len(texts)] for i in range(n)]
        table = pa.table({"id": pa.array(range(start, start + n)), "text": column})
        pq.write_table(
            table, folder / f"part-{start // SHARD_ROWS:03d}.parquet", row_group_size=50_000
        )
        start += n
    return folder


SCORE = """
import json, sys, time
from textclass.batch import score_files

def peak_kb():  # VmHWM: this process's own peak (ru_maxrss keeps the forking parent's)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

run, inputs, out, cluster = sys.argv[1:5]
client = None
if cluster != "-":
    import distributed
    cluster_obj = distributed.LocalCluster(n_workers=int(cluster.split(":")[1]),
        threads_per_worker=1, processes=True, dashboard_address=":0")
    client = distributed.Client(cluster_obj)
started = time.perf_counter()
results = score_files(run, [inputs], out, cluster=client)
wall = time.perf_counter() - started
workers = {}
if client is not None:
    workers = client.run(peak_kb)
print(json.dumps({"wall": wall, "rows": sum(r["rows"] for r in results),
    "files": len(results), "rss_kb": peak_kb(),
    "worker_rss_kb": max(workers.values()) if workers else None}))
"""


def score_run(run: Path, shards: Path, out: Path, cluster: str | None) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", SCORE, str(run), str(shards), str(out), cluster or "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="100000,1000000")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--modes", default="cluster=local:1,cluster=local:2,jobs=2")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--scorer", default="ngram", help="Family of the scoring model")
    parser.add_argument("--out", type=Path, default=RESULTS / "scale.md")
    args = parser.parse_args()
    load = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    search = (
        [] if args.skip_search else search_runs(tmp / "search", args.epochs, args.modes.split(","))
    )
    run, texts = train_scorer(tmp, args.scorer, args.epochs)
    scoring = []
    for rows in (int(r) for r in args.rows.split(",")):
        shards = write_shards(texts, rows, tmp / f"in-{rows}")
        for cluster in (None, "local:2"):
            result = score_run(run, shards, tmp / f"out-{rows}-{cluster}", cluster)
            result.update(n=rows, where=cluster or "in process")
            scoring.append(result)
            print(rows, cluster, f"{result['wall']:.1f}s", flush=True)
    write_markdown(args.out, search, scoring, load, os.getloadavg(), args.epochs, args.scorer)
    print(f"wrote {args.out}")


def write_markdown(path: Path, search, scoring, load_before, load_after, epochs, scorer) -> None:
    lines = [
        "# Scaling out with Dask (`benchmarks/bench_scale.py`)",
        "",
        f"One run, {platform.machine()} with {os.cpu_count()} cores **shared with other "
        f"engineers' work** (load average {load_before[0]:.1f} at the start, "
        f"{load_after[0]:.1f} at the end): absolute times drift, the ratios are from this one run.",
        "",
    ]
    if search:
        base = search[0]["wall"]
        same = all(r["scores"] == search[0]["scores"] for r in search)
        lines += [
            f"## Search: 8 CNN configurations x 4 folds (uci-sentiment:yelp, {epochs} epochs)",
            "",
            f"Space {SPACE}; 32 fits per run. Wall time includes starting the cluster or pool.",
            f"Fold scores identical across the runs: **{'yes' if same else 'no'}**.",
            "",
            "| run | wall (s) | speed-up vs local:1 | sum of fit times (s) |",
            "|---|---:|---:|---:|",
        ]
        for r in search:
            lines.append(
                f"| `{r['mode']}` | {r['wall']:.1f} | {base / r['wall']:.2f}x | {r['fit_seconds']:.1f} |"
            )
        lines.append("")
    lines += [
        "## Batch scoring: UCI IMDB sentences repeated, Parquet shards",
        "",
        f"A `{scorer}` model (trained on the 1,000 UCI IMDB sentences) scores them repeated to N rows, "
        f"in shards of at most {SHARD_ROWS:,} rows (row groups of 50,000), chunks of 10,000 rows; "
        "each row in a fresh process; the time includes loading the model (and, for `local:2`, "
        "starting the cluster's two worker processes).",
        "",
        "| rows | where | files | wall (s) | texts/s | peak RSS, client (MB) | peak RSS, largest worker (MB) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in scoring:
        worker = "-" if r["worker_rss_kb"] is None else f"{r['worker_rss_kb'] / 1024:.0f}"
        lines.append(
            f"| {r['n']:,} | {r['where']} | {r['files']} | {r['wall']:.1f} | "
            f"{r['rows'] / r['wall']:,.0f} | {r['rss_kb'] / 1024:.0f} | {worker} |"
        )
    lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
