"""Metrics and cross-validation summaries as readable terminal tables."""

from __future__ import annotations

from textclass import metric_catalogue


def metrics_table(metrics: dict, title: str) -> str:
    """Headline metrics, the confusion matrix, and one line per group if any."""
    lines = [title]
    for m in metric_catalogue.headline():
        if m.name in metrics:
            lines.append(f"  {m.shown_as:<17} {m.show(metrics[m.name])}")
    labels = [str(v) for v in metrics["labels"]]
    width = max(8, *(len(v) for v in labels)) + 1
    per_class = metrics.get("per_class", {})
    if per_class:
        what = "label" if metrics.get("task") == "multilabel" else "class"
        extra = "  threshold" if any("threshold" in m for m in per_class.values()) else ""
        lines.append(f"  {what:>{width}} precision   recall       f1  support{extra}")
        for name, m in per_class.items():
            cut = f" {m['threshold']:10.3f}" if "threshold" in m else ""
            lines.append(
                f"  {name:>{width}} {m['precision']:9.4f} {m['recall']:8.4f} {m['f1']:8.4f} "
                f"{m['support']:8d}{cut}"
            )
    if "confusion_matrix" not in metrics:
        return "\n".join(lines + _groups(metrics))
    lines.append("  confusion matrix (rows: true, columns: predicted)")
    lines.append("  " + " " * width + "".join(f"{v:>{width}}" for v in labels))
    for name, row in zip(labels, metrics["confusion_matrix"]):
        lines.append("  " + f"{name:>{width}}" + "".join(f"{n:>{width}}" for n in row))
    return "\n".join(lines + _groups(metrics))


def _groups(metrics: dict) -> list[str]:
    return [
        f"  group {group:<12} n={result['n']:<6} accuracy {result['accuracy']:.4f}"
        + (f"  f1 {result['f1']:.4f}" if "f1" in result else "")
        + (f"  f1_macro {result['f1_macro']:.4f}" if result.get("task") == "multilabel" else "")
        for group, result in metrics.get("per_group", {}).items()
    ]


def format_summary(summary: dict, title: str) -> str:
    lines = [title]
    for key, stats in summary.items():
        if key == "per_group":
            continue
        m = metric_catalogue.display(key)
        lines.append(f"  {m.shown_as:<14} {m.show(stats['mean'])} ± {m.show(stats['std'])}")
    for group, stats in summary.get("per_group", {}).items():
        acc = stats["accuracy"]
        lines.append(f"  group {group:<12} accuracy {acc['mean']:.4f} ± {acc['std']:.4f}")
    return "\n".join(lines)


def format_inputs(inputs: dict) -> str:
    """``vocab_size 1,747, maxlen 100``: what a preprocessor learned, in one phrase."""
    return ", ".join(
        f"{k} {v:,}" if isinstance(v, int) and not isinstance(v, bool) else f"{k} {v}"
        for k, v in inputs.items()
    )
