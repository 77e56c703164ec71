"""The targets of issue 34 (``textclass audit``), in one run on this CPU.

1. Planted label noise: the training part with a share of labels flipped (seeded): the
   audit's flagged rows against the flips (precision, recall; and the precision of the
   ranking where it reaches recall 0.5), then test accuracy of ``ngram`` trained on the
   noisy rows, on the noisy rows less the flagged ones, and on the original rows. IMDB:
   the publisher's 25k/25k, 5 % flipped. UCI: the 3,000 sentences split 75/25 (seed 0),
   10 % of the training part flipped. The test part is never audited nor flipped.
   Audit time (every check) against one ``ngram`` fit on the same rows.
2. The rows the audit flags on the unmodified UCI sentences and GoEmotions train + dev
   (the first ten of each, for a person to judge).
3. Duplicate and leakage counts on every shared dataset, beside SOURCES.md's.
4. The near-duplicate search on 100k and 1M short synthetic texts (12 random words of a
   20,000-word vocabulary, seeded; 1 % planted near copies, the last word changed: Jaccard
   9/11 of their 3-grams): time, and peak memory over the texts', each in a fresh process.

    TEXTCLASS_DATA=../shared/data python benchmarks/bench_audit.py \\
        [--skip imdb,goemotions,scale] [--out benchmarks/results/audit.md]
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
NOISE = {"uci-sentiment": 0.10, "imdb": 0.05}
SHOWN = 10
# SOURCES.md's duplicate counts (extra copies within a part; distinct texts in two parts)
SOURCES = {
    ("uci-sentiment[yelp]", None): 4,
    ("uci-sentiment[amazon]", None): 10,
    ("uci-sentiment[imdb]", None): 3,
    ("imdb[train]", None): 96,
    ("imdb[test]", None): 199,
    ("imdb[train]", "imdb[test]"): 123,
    ("bbc-news", None): 98,
    ("goemotions[train]", None): 183,
    ("goemotions[dev]", None): 3,
    ("goemotions[test]", None): 6,
    ("goemotions[train]", "goemotions[dev]"): 41,
    ("goemotions[train]", "goemotions[test]"): 32,
    ("goemotions[dev]", "goemotions[test]"): 10,
}
# GoEmotions' 28 labels: the tf-idf 1-2 ngram of bench_labels (15 s a fit, not 100)
GOEMOTIONS_PARAMS = {"weighting": "tfidf", "ngram_range": [1, 2], "C": 1.0}
SCALE = (100_000, 1_000_000)


def noisy_split(name: str):
    """(train, noisy train labels, flipped positions, test) for ``name``."""
    from textclass.data import load, split_dataset

    data = load(name)
    train, test = split_dataset(data, test_size=None if name == "imdb" else 0.25, seed=SEED)
    rng = np.random.default_rng(SEED)
    flipped = np.sort(rng.choice(len(train), int(round(NOISE[name] * len(train))), replace=False))
    noisy = train.labels.copy()
    noisy[flipped] = 1 - noisy[flipped]  # binary 0/1 labels
    return train, noisy, flipped, test


def noise_row(name: str) -> dict:
    from textclass.audit import AuditSettings, audit
    from textclass.data import Dataset
    from textclass.estimator import TextClassifier

    train, noisy, flipped, test = noisy_split(name)
    data = Dataset(train.texts, noisy, name=f"{name}[train, noisy]")
    started = time.perf_counter()
    result = audit(data, settings=AuditSettings(seed=SEED))
    audit_seconds = time.perf_counter() - started
    flagged = np.array(sorted(i["index"] for i in result.label_issues), dtype=int)
    hits = np.intersect1d(flagged, flipped).size
    row = {
        "name": name, "rows": len(train), "flipped": len(flipped), "flagged": len(flagged),
        "precision": hits / max(len(flagged), 1), "recall": hits / len(flipped),
        "precision_at_half": _precision_at_recall(result.label_quality, flipped, 0.5),
        "audit_s": audit_seconds, "seconds": result.seconds,
    }  # fmt: skip
    keep = np.setdiff1d(np.arange(len(train)), flagged)
    for what, texts, labels in (
        ("noisy", train.texts, noisy),
        ("cleaned", [train.texts[i] for i in keep], noisy[keep]),
        ("original", train.texts, train.labels),
    ):
        started = time.perf_counter()
        clf = TextClassifier(random_state=SEED, verbose=0).fit(texts, labels)
        row[f"fit_{what}_s"] = time.perf_counter() - started
        row[what] = float(np.mean(clf.predict(test.texts) == test.labels))
    return row


def _precision_at_recall(quality: np.ndarray, flipped: np.ndarray, recall: float) -> float:
    """Precision of the rows ranked by label quality (worst first) down to the first rank
    that holds ``recall`` of the flips."""
    order = np.argsort(quality, kind="stable")
    is_flip = np.isin(order, flipped)
    found = np.cumsum(is_flip)
    k = int(np.searchsorted(found, np.ceil(recall * len(flipped)))) + 1
    return float(found[k - 1] / k)


def flagged_rows(name: str, params: dict) -> tuple[list[dict], dict]:
    from textclass.audit import AuditSettings, audit, to_json
    from textclass.data import load

    data = load(name)
    if data.split is not None:  # train + dev: the test part is not audited
        data = data.subset(data.split != "test")
    started = time.perf_counter()
    result = audit(data, settings=AuditSettings(seed=SEED, model_params=params))
    found = to_json(result)
    info = {"rows": len(data), "flagged": len(found["label_issues"])}
    info["seconds"] = time.perf_counter() - started
    return found["label_issues"][:SHOWN], info


def duplicate_rows(names: list[str]) -> list[tuple]:
    from textclass.audit import AuditSettings, audit, to_json
    from textclass.data import load

    rows = []
    for name in names:
        started = time.perf_counter()
        found = to_json(audit(load(name), settings=AuditSettings(labels=False)))
        seconds = time.perf_counter() - started
        counts = found["duplicate_counts"]
        for part, c in counts["within"].items():
            clash = _conflicts_within(found["duplicates"], part)
            rows.append((part, None, c, SOURCES.get((part, None)), clash, seconds))
        for pair, c in counts["across"].items():
            a, b = pair.split(" | ")
            rows.append((a, b, c, SOURCES.get((a, b)), None, seconds))
    return rows


def scale_rows() -> list[dict]:
    import json
    import subprocess

    rows = []
    for n in SCALE:
        child = [sys.executable, __file__, "--scale-child", str(n)]
        done = subprocess.run(child, capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return rows


def _scale_child(n: int) -> None:
    import json

    from textclass.audit.duplicates import near_groups

    rng = np.random.default_rng(SEED)
    vocab = [f"w{i}" for i in range(20_000)]
    ids = rng.integers(0, len(vocab), size=(n, 12), dtype=np.int32)
    planted = n // 100
    ids[n - planted :, :11] = ids[:planted, :11]  # the last 1 %: near copies of the first
    before = _peak_kb()
    keys = [" ".join(map(vocab.__getitem__, row.tolist())) for row in ids]
    texts = _peak_kb()
    started = time.perf_counter()
    groups = near_groups(keys)
    seconds = time.perf_counter() - started
    search = _peak_kb()
    found = sum(1 for g in groups if len(g.members) == 2 and g.members[0] < planted)
    print(json.dumps({
        "n": n, "seconds": seconds, "texts_mb": (texts - before) / 1024,
        "search_mb": (search - texts) / 1024, "planted": planted, "found": found,
    }))  # fmt: skip


def _peak_kb() -> int:
    """This process's peak resident memory (VmHWM: ``ru_maxrss`` would start from the
    parent's peak in a child process)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))


def _conflicts_within(groups: list[dict], part: str) -> int:
    """Exact duplicate groups whose rows in ``part`` carry different labels (label sets)."""
    clashes = 0
    for group in groups:
        labels = {repr(r["label"]) for r in group["rows"] if r["part"] == part}
        clashes += group["kind"] == "exact" and len(labels) > 1
    return clashes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip", default="", help="comma-separated: imdb, goemotions, scale")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "audit.md")
    parser.add_argument("--scale-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_child:
        _scale_child(args.scale_child)
        return
    skip = set(filter(None, args.skip.split(",")))
    if "TEXTCLASS_DATA" not in os.environ and (HERE.parent.parent / "shared" / "data").exists():
        os.environ["TEXTCLASS_DATA"] = str(HERE.parent.parent / "shared" / "data")
    noise = [noise_row(n) for n in NOISE if n not in skip]
    flagged = {"uci-sentiment": flagged_rows("uci-sentiment", {})}
    if "goemotions" not in skip:
        flagged["goemotions"] = flagged_rows("goemotions", GOEMOTIONS_PARAMS)
    names = [n for n in ("uci-sentiment", "imdb", "bbc-news", "goemotions") if n not in skip]
    duplicates = duplicate_rows(names)
    scale = [] if "scale" in skip else scale_rows()
    command = "benchmarks/bench_audit.py " + shlex.join(sys.argv[1:])
    write_table(args.out, noise, flagged, duplicates, scale, header=_header(command))
    print(args.out.read_text(encoding="utf-8"))


def write_table(out: Path, noise, flagged, duplicates, scale, *, header: str) -> None:
    lines = ["# Data audit (issue 34)", "", header, ""]
    lines += _noise_table(noise) + _flagged_tables(flagged) + _duplicate_table(duplicates)
    lines += _scale_table(scale)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _noise_table(noise: list[dict]) -> list[str]:
    out = [
        "## Planted label noise",
        "",
        "Flagged: the rows cleanlab's `find_label_issues` returns on 5-fold out-of-fold "
        "`ngram` probabilities. Target: precision >= 0.80 at recall >= 0.50. "
        "*P@R0.5*: precision of the rows ranked by label quality down to the rank that "
        "holds half the flips. Test accuracy of `ngram` trained on each set of rows.",
        "",
        "| data | train rows | flipped | flagged | precision | recall | P@R0.5 | acc. noisy "
        "| acc. cleaned | acc. original | audit s | one fit s | audit / fit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in noise:
        out.append(
            f"| {r['name']} | {r['rows']:,} | {r['flipped']:,} | {r['flagged']:,} | "
            f"{r['precision']:.3f} | {r['recall']:.3f} | {r['precision_at_half']:.3f} | "
            f"{r['noisy']:.4f} | {r['cleaned']:.4f} | {r['original']:.4f} | "
            f"{r['audit_s']:.1f} | {r['fit_noisy_s']:.2f} | {r['audit_s'] / r['fit_noisy_s']:.1f} |"
        )
    for r in noise:
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in r["seconds"].items())
        out.append(f"\n{r['name']} audit time by check: {parts}.")
    return out + [""]


def _flagged_tables(flagged: dict) -> list[str]:
    out = []
    for name, (rows, info) in flagged.items():
        out += [
            f"## Flagged on the unmodified {name} ({info['rows']:,} rows; "
            f"{info['flagged']:,} flagged, first {len(rows)} shown; {info['seconds']:.0f} s)",
            "",
            "| part | row | given | suggested | confidence | text |",
            "|---|---:|---|---|---:|---|",
        ]
        for r in rows:
            text = " ".join(r["text"].split()).replace("|", "\\|")[:160]
            out.append(
                f"| {r['part']} | {r['row']} | {r['given']} | {r['suggested']} | "
                f"{r['confidence']:.2f} | {text} |"
            )
        out.append("")
    return out


def _duplicate_table(rows: list[tuple]) -> list[str]:
    out = [
        "## Duplicates and leakage on every shared dataset",
        "",
        "Within a part: extra copies (rows less distinct texts); across two parts: distinct "
        "texts found in both. Each level includes the one before; near: Jaccard of word "
        "3-gram sets >= 0.8. SOURCES.md counts exact copies. Conflicting: exact groups whose "
        "rows in that part carry different labels (SOURCES.md: 58 such texts in GoEmotions train).",
        "",
        "| part | other part | exact | normalised | near | SOURCES.md | exact groups with conflicting labels | s |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for part, other, c, expected, clash, seconds in rows:
        shown = "" if expected is None else str(expected)
        out.append(
            f"| {part} | {other or ''} | {c['exact']} | {c['normalised']} | {c['near']} | "
            f"{shown} | {'' if clash is None else clash} | {seconds:.1f} |"
        )
    return out + [""]


def _scale_table(rows: list[dict]) -> list[str]:
    if not rows:
        return []
    out = [
        "## Near-duplicate search on many short texts",
        "",
        "12 random words each (20,000-word vocabulary, seeded); the last 1 % are near copies "
        "of the first 1 % (last word changed: Jaccard 0.82). Peak memory of the search over "
        "the memory of the texts themselves, each size in a fresh process.",
        "",
        "| texts | search s | texts MB | search MB | search bytes / text | planted pairs | found |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        per_text = r["search_mb"] * 1024 * 1024 / r["n"]
        out.append(
            f"| {r['n']:,} | {r['seconds']:.1f} | {r['texts_mb']:.0f} | {r['search_mb']:.0f} | "
            f"{per_text:.0f} | {r['planted']:,} | {r['found']:,} |"
        )
    return out + [""]


def _header(command: str) -> str:
    import sklearn

    import textclass

    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Run {when} on {platform.machine()}, 2 cores shared with other work (timings drift; "
        f"compare within this run), Python {platform.python_version()}, textclass "
        f"{textclass.__version__}, scikit-learn {sklearn.__version__}. Command: `{command.strip()}`"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
