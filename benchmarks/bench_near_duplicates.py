"""The audit's near-duplicate search on many short texts (issue 34: memory flat for 1M).

Texts of 12 random words from a 20,000-word vocabulary (seeded); the last 1 % are near
copies of the first 1 % (their last word changed: Jaccard 9/11 = 0.82 of word 3-grams).
Each size runs in a fresh process: the search's time, its peak memory over the texts'
own (VmHWM), and how many planted pairs it found. ``--what near`` times the near search
alone; ``--what cheap`` every check ``train --audit`` runs on one part (exact, normalised
and near duplicates in one pass, then text health). Rows are appended to
``results/near_duplicates.jsonl``; ``--table`` rewrites ``results/near_duplicates.md``.

    python benchmarks/bench_near_duplicates.py [--sizes 100000,1000000] [--label NAME]
        [--module path/to/duplicates.py]   # another version of the module, to compare
        [--what near|cheap]
    python benchmarks/bench_near_duplicates.py --table
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "near_duplicates.jsonl"
TABLE = HERE / "results" / "near_duplicates.md"
SEED = 0


def child(n: int, module: str | None, what: str = "near") -> dict:
    if module:
        spec = importlib.util.spec_from_file_location("duplicates_under_test", module)
        duplicates = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(duplicates)
    else:
        from textclass.audit import duplicates
    rng = np.random.default_rng(SEED)
    vocab = [f"w{i}" for i in range(20_000)]
    ids = rng.integers(0, len(vocab), size=(n, 12), dtype=np.int32)
    planted = n // 100
    ids[n - planted :, :11] = ids[:planted, :11]  # the last 1 %: near copies of the first
    before = _peak_kb()
    texts = [" ".join(map(vocab.__getitem__, row.tolist())) for row in ids]
    loaded = _peak_kb()
    started = time.perf_counter()
    if what == "cheap":
        from textclass.audit.health import text_health

        groups = duplicates.find(texts)["near"]
        text_health(texts)
    else:
        groups = duplicates.near_groups(texts)
    seconds = time.perf_counter() - started
    found = sum(1 for g in groups if len(g) == 2 and g[0] < planted and g[1] == g[0] + n - planted)
    return {
        "n": n, "seconds": round(seconds, 1), "texts_mb": round((loaded - before) / 1024),
        "search_mb": round((_peak_kb() - loaded) / 1024), "planted": planted, "found": found,
        "groups": len(groups), "what": what,
    }  # fmt: skip


def _peak_kb() -> int:
    """Peak resident memory of this process (VmHWM; ``ru_maxrss`` would start from the
    parent's peak in a child process)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))


def table() -> None:
    rows = [json.loads(line) for line in RESULTS.read_text(encoding="utf-8").splitlines()]
    lines = [
        "# Near-duplicate search on many short texts (issue 34)",
        "",
        "`benchmarks/bench_near_duplicates.py`: 12 random words a text (20,000-word vocabulary, "
        "seeded), the last 1 % near copies of the first 1 % (Jaccard 0.82). Search memory: peak "
        "over the texts' own, each size in a fresh process, on 2 shared cores.",
        "",
        "`what`: near, the near search alone; cheap, every check `train --audit` runs on "
        "one part (exact, normalised and near duplicates in one pass, and text health).",
        "",
        "| version | what | texts | search s | texts MB | search MB | bytes / text | planted pairs | found | groups | run |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        per_text = r["search_mb"] * 1024 * 1024 / r["n"]
        lines.append(
            f"| {r['label']} | {r.get('what', 'near')} | {r['n']:,} | {r['seconds']} | {r['texts_mb']} | {r['search_mb']} "
            f"| {per_text:,.0f} | {r['planted']:,} | {r['found']:,} | {r['groups']:,} | {r['when']} |"
        )
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(TABLE.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--label", default="current")
    parser.add_argument("--module", help="a duplicates.py to measure instead of textclass's")
    parser.add_argument("--what", choices=("near", "cheap"), default="near")
    parser.add_argument("--table", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.module, args.what)))
        return
    if args.table:
        table()
        return
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    for n in map(int, args.sizes.split(",")):
        command = [sys.executable, __file__, "--child", str(n)]
        command += ["--module", args.module] if args.module else []
        command += ["--what", args.what]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        row = {"label": args.label, "when": when, **json.loads(done.stdout.splitlines()[-1])}
        print(row)
        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(row) + "\n")
    table()


if __name__ == "__main__":
    main()
