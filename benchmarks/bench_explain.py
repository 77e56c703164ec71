"""Memory and time of ``explain`` on long texts (issue 31, bounded explanations).

Each row runs in a fresh process: fit a family on UCI yelp (tutorial split), then explain
one long text made of yelp sentences, measuring the peak RSS growth of the explain call
(``ru_maxrss`` after minus before) and its wall time. ``--src DIR`` runs another checkout's
code (e.g. the commit before the change) for the comparison row.

    TEXTCLASS_DATA=../shared/data python benchmarks/bench_explain.py \\
        [--chars 5000,28000,100000] [--models embedding,cnn,dense] [--src OLD/src --label before]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

RESULTS = Path(__file__).with_name("results")

WORKER = r"""
import json, resource, sys, time
from textclass import TextClassifier
from textclass.data import load_dataset, split_dataset
model, chars = sys.argv[1], int(sys.argv[2])
ds = load_dataset("uci-sentiment:yelp")
train, _ = split_dataset(ds, test_size=0.25, seed=1000)
settings = {"embedding": {"epochs": 5}, "cnn": {"epochs": 3}, "dense": {"epochs": 10}}[model]
clf = TextClassifier(model=model, random_state=0, **settings).fit(train.texts, train.labels)
text = ""
for sentence in train.texts * 100:
    if len(text) >= chars:
        break
    text += sentence + " "
text = text[:chars]
clf.explain(["warm up the predict function"], top=1)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
(found,) = clf.explain([text], top=5)
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"model": model, "chars": len(text), "words": len(text.split()),
                  "rss_growth_mb": (after - before) / 1024, "seconds": seconds,
                  "occluded": len(found["features"]) if found.get("note") is None
                  else found["note"]}))
"""


def run(model: str, chars: int, src: str | None) -> dict:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    done = subprocess.run(
        [sys.executable, "-c", WORKER, model, str(chars)],
        capture_output=True, text=True, env=env, timeout=1800,
    )  # fmt: skip
    if done.returncode != 0:
        return {"model": model, "chars": chars, "error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", default="5000,28000,100000")
    parser.add_argument("--models", default="embedding,cnn,dense")
    parser.add_argument("--src", default=None, help="another checkout's src/ (a 'before' row)")
    parser.add_argument("--label", default="this code")
    parser.add_argument("--out", type=Path, default=RESULTS / "explain.jsonl")
    args = parser.parse_args()
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    for model in args.models.split(","):
        for chars in (int(c) for c in args.chars.split(",")):
            row = {"code": args.label, "at": stamp, **run(model, chars, args.src)}
            print(json.dumps(row), flush=True)
            with args.out.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
