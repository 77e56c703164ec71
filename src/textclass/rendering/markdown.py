"""Markdown tables: the leaderboard of ``compare`` and the results of ``search``."""

from __future__ import annotations

COLUMNS = [
    "model",
    "accuracy",
    "f1_macro",
    "train_seconds",
    "texts_per_second",
    "parameters",
    "artifact_bytes",
]


def leaderboard_columns(rows: list[dict]) -> list[str]:
    groups = sorted({k for r in rows for k in r if k.startswith("accuracy[")})
    stds = [c for c in ("accuracy_std", "f1_macro_std") if any(c in r for r in rows)]
    micro = ["f1_micro"] if any("f1_micro" in r for r in rows) else []  # multi-label runs
    return [*COLUMNS[:3], *micro, *stds, *COLUMNS[3:], *groups, "error"]


def cell(key: str, value) -> str:
    if value is None:
        return ""
    if key in ("parameters",):
        return f"{int(value):,}"
    if key == "artifact_bytes":
        return f"{value / 1e6:.2f} MB"
    if key == "texts_per_second":
        return f"{value:,.0f}"
    if key == "train_seconds":
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value).replace("|", "/").replace("\n", " ")


def to_markdown(rows: list[dict], title: str) -> str:
    columns = leaderboard_columns(rows)
    lines = [f"# {title}", "", "| " + " | ".join(columns) + " |"]
    lines.append(
        "|" + "|".join("---" if c in ("model", "error") else "---:" for c in columns) + "|"
    )
    for row in rows:
        lines.append("| " + " | ".join(cell(c, row.get(c)) for c in columns) + " |")
    warned = [(row["model"], w) for row in rows for w in row.get("warnings", [])]
    if warned:
        lines += ["", *(f"- warning: {model}: {warning}" for model, warning in warned)]
    return "\n".join(lines) + "\n"


def format_trials(result: dict, scoring: str) -> str:
    lines = [f"| trial | params | mean {scoring} | std | fit s |", "|---:|---|---:|---:|---:|"]
    for i, t in enumerate(result["trials"], start=1):
        params = ", ".join(f"{k}={v}" for k, v in t["params"].items())
        lines.append(
            f"| {i} | {params} | {t['mean_score']:.4f} | {t['std_score']:.4f} | {t['fit_seconds']:.1f} |"
        )
    return "\n".join(lines)


def search_markdown(report: dict) -> str:
    settings = report["settings"]
    scoring = settings["scoring"]
    how = "grid" if settings["grid"] else f"random, {settings['n_iter']} candidates"
    lines = [
        f"# Search: {settings['model']} on {report['data']}",
        "",
        f"{how}, "
        f"{settings['cv']}-fold CV on the training part, scoring {scoring}, seed {settings['seed']}; "
        f"space {settings['space']}",
        "",
        f"| group | best params | best CV {scoring} | test {scoring} |"
        + (" test accuracy |" if scoring != "accuracy" else ""),
        "|---|---|---:|---:|" + ("---:|" if scoring != "accuracy" else ""),
    ]
    for group, entry in report["groups"].items():
        params = ", ".join(f"{k}={v}" for k, v in entry["best_params"].items())
        lines.append(
            f"| {group} | {params} | {entry['best_cv_score']:.4f} ± {entry['best_cv_std']:.4f} | "
            f"{entry['test_score']:.4f} |"
            + (f" {entry['test_accuracy']:.4f} |" if scoring != "accuracy" else "")
        )
    for group, entry in report["groups"].items():
        lines += ["", f"## Trials: {group}", "", entry["trials_table"]]
    return "\n".join(lines) + "\n"
