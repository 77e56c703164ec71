"""`--model auto` against every single family with its defaults, in one run (issue 33).

For each dataset the train job runs once with `--model auto --time-limit T` and once per
family with its defaults, on the same split (UCI and BBC: the tutorial split, test 0.25,
seed 1000; IMDB and GoEmotions: the publisher's). Auto chooses by cross-validation on the
training part only. Rows are appended to benchmarks/results/auto.jsonl and the table
benchmarks/results/auto.md is written from all rows of the file.

    TEXTCLASS_DATA=../shared/data python benchmarks/bench_auto.py \\
        [--datasets uci-sentiment:yelp,bbc-news] [--time-limit 600] [--families ngram,logreg]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

RESULTS = Path(__file__).with_name("results")
DATASETS = ("uci-sentiment:yelp", "uci-sentiment:amazon", "uci-sentiment:imdb", "bbc-news")
FAMILIES = ("ngram", "logreg", "cnn", "embedding", "encoder", "encoder-mpnet")
# a column that is a family with hyperparameters of its own: the larger encoder (issue 32)
VARIANTS = {"encoder-mpnet": ("encoder", {"weights": "all-mpnet-base-v2"})}
PROBES = [f"the food was {w} and the staff {v}" for w in ("great", "bad", "fine", "cold")
          for v in ("kind", "rude", "slow", "quick", "loud")]  # fmt: skip
PUBLISHER_SPLIT = ("imdb", "goemotions")


def headline(metrics: dict) -> float:
    return metrics["f1_macro"] if metrics.get("task") == "multilabel" else metrics["accuracy"]


def train_request(data: str, model: str, **options):
    """The train job's request for ``model`` (a family or a ``VARIANTS`` column) on
    ``data``'s split: UCI and BBC the tutorial split, IMDB and GoEmotions the publisher's."""
    from textclass.jobs.requests import ClassifierSettings, TrainRequest

    split = {} if data in PUBLISHER_SPLIT else {"test_size": 0.25, "seed": 1000}
    family, params = VARIANTS.get(model, (model, {}))
    return TrainRequest(
        data=data, classifier=ClassifierSettings(model=family), model_params=params,
        **split, **options,
    )  # fmt: skip


def append_row(out: Path, row: dict, markdown) -> None:
    """Print ``row``, append it to ``out`` (JSON lines) and rewrite ``out``'s table (.md)
    from every row of the file with ``markdown(rows)``."""
    print(json.dumps({k: v for k, v in row.items() if k != "leaderboard"}), flush=True)
    with out.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, default=str) + "\n")
    rows = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    out.with_suffix(".md").write_text(markdown(rows), encoding="utf-8")


def stamp() -> dict:
    """When, and how loaded the machine was (its 1, 5 and 15 minute load averages)."""
    return {
        "at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def run(data: str, model: str, time_limit_s: float) -> dict:
    from textclass.jobs.train import train

    request = train_request(data, model, time_limit_s=time_limit_s)
    started = time.perf_counter()
    result = train(request)
    row = {
        "data": data, "model": model, "test": headline(result.metrics),
        "seconds": time.perf_counter() - started, "family": result.classifier.family_.name,
    }  # fmt: skip
    if model == "auto":
        board = result.metrics["auto"]
        chosen = [n for n in result.notes if n.startswith("note: auto: ")]
        row |= {"time_limit_s": time_limit_s, "chosen": chosen[0][len("note: auto: "):],
                "leaderboard": board}  # fmt: skip
    return row | latencies(result.classifier)


def p50_ms(predict) -> float:
    """Median milliseconds of ``predict([text])`` over the probe texts (after one warm-up)."""
    import statistics

    predict([PROBES[0]])
    times = []
    for text in PROBES:
        started = time.perf_counter()
        predict([text])
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)


def latencies(clf) -> dict:
    """Single-text p50 of the chosen model and, for an ensemble, of each member."""
    out = {"p50_ms": p50_ms(clf.predict_proba)}
    if clf.family_.name == "ensemble":
        out["member_p50_ms"] = [
            [family.name, p50_ms(lambda t, p=prep, r=runtime: r.predict_proba(p.transform(t)))]
            for family, prep, runtime in clf.runtime_.model
        ]
    return out


def markdown(rows: list[dict]) -> str:
    by_data: dict[str, dict] = {}
    for row in rows:
        by_data.setdefault(row["data"], {})[row["model"]] = row
    lines = [
        "# `--model auto` against each family's defaults",
        "",
        "From `benchmarks/results/auto.jsonl` (`python benchmarks/bench_auto.py`); each dataset's "
        "rows come from one run of the script, on this shared 2-core CPU. Test score: accuracy "
        "(macro-F1 for label sets) on the test part, which auto never reads (it chooses by "
        "cross-validation on the training part). Seconds: the whole train job, loading and "
        "scoring included.",
        "",
        "| dataset | auto: chosen | auto test | auto s (limit) | p50 ms (members) | best single family | "
        + " | ".join(FAMILIES)
        + " |",
        "|---|---|---:|---:|---|---|" + "---:|" * len(FAMILIES),
    ]
    for data, models in by_data.items():
        if "auto" not in models:
            continue
        a = models["auto"]
        singles = {m: r for m, r in models.items() if m != "auto"}
        best = max(singles.values(), key=lambda r: r["test"]) if singles else None
        shown = f"{best['model']} {best['test']:.4f}" if best else ""
        cells = " | ".join(
            f"{singles[f]['test']:.4f} ({singles[f]['seconds']:.0f} s)" if f in singles else ""
            for f in FAMILIES
        )
        latency = f"{a['p50_ms']:.1f}" if "p50_ms" in a else ""
        if a.get("member_p50_ms"):
            latency += " (" + ", ".join(f"{k} {v:.1f}" for k, v in a["member_p50_ms"]) + ")"
        lines.append(
            f"| {data} | {a['chosen'].split(' chosen by')[0]} | **{a['test']:.4f}** | "
            f"{a['seconds']:.0f} ({a['time_limit_s']:.0f}) | {latency} | {shown} | {cells} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=RESULTS / "auto.jsonl")
    args = parser.parse_args()
    when = stamp()
    for data in args.datasets.split(","):
        for model in ("auto", *args.families.split(",")):
            append_row(args.out, {**when, **run(data, model, args.time_limit)}, markdown)
    print(f"wrote {args.out.with_suffix('.md')}", file=sys.stderr)


if __name__ == "__main__":
    main()
