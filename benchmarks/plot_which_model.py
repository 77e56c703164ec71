"""Draw docs/img/which-model.png from benchmarks/results/auto.jsonl: test score against fit
time and against single-text latency, one colour per family, one marker per dataset.

    python benchmarks/plot_which_model.py   # after bench_auto.py; the docs page shows it

Each (dataset, model) point is the latest row of that pair in the file. Fit seconds are the
whole train job (loading and scoring included) on this shared 2-core CPU; latency is the
median ``predict_proba`` of one text, measured by the rows that have it.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = ROOT / "benchmarks" / "results" / "auto.jsonl"
OUT = ROOT / "docs" / "img" / "which-model.png"
MARKERS = "osD^vP*X"


def latest(rows: list[dict]) -> dict[tuple[str, str], dict]:
    out = {}
    for row in rows:
        out[(row["data"], row["model"])] = row
    return out


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = latest([json.loads(line) for line in ROWS.read_text().splitlines() if line.strip()])
    datasets = sorted({d for d, _ in rows})
    models = sorted({m for _, m in rows}, key=lambda m: (m != "auto", m))
    colours = {m: plt.get_cmap("tab10")(i % 10) for i, m in enumerate(models)}
    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharey=True)
    panels = ((axes[0], "seconds", "train job, s (log)"),
              (axes[1], "p50_ms", "one text, predict_proba p50, ms (log)"))  # fmt: skip
    for ax, key, label in panels:
        for (data, model), row in rows.items():
            if key not in row:
                continue
            ax.scatter(max(row[key], 1e-2), row["test"], color=colours[model], s=60,
                       marker=MARKERS[datasets.index(data) % len(MARKERS)], alpha=0.85)  # fmt: skip
        ax.set_xscale("log")
        ax.set_xlabel(label)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("test accuracy (macro-F1 for label sets)")
    handles = [plt.Line2D([], [], color=colours[m], marker="o", ls="", label=m) for m in models]
    handles += [plt.Line2D([], [], color="grey", marker=MARKERS[i % len(MARKERS)], ls="", label=d)
                for i, d in enumerate(datasets)]  # fmt: skip
    fig.legend(handles=handles, loc="center right", fontsize=8)
    fig.suptitle("Which model? Test score against training time and single-text latency")
    fig.tight_layout(rect=(0, 0, 0.82, 0.95))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT, dpi=110)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
