"""Metrics and cross-validation summaries as readable terminal tables."""

from __future__ import annotations


def metrics_table(metrics: dict, title: str) -> str:
    """Headline metrics, the confusion matrix, and one line per group if any."""
    lines = [title]
    for key in ("accuracy", "precision", "recall", "f1", "f1_macro", "roc_auc", "log_loss"):
        if key in metrics:
            lines.append(f"  {key:<10} {metrics[key]:.4f}")
    labels = [str(v) for v in metrics["labels"]]
    width = max(8, *(len(v) for v in labels)) + 1
    per_class = metrics.get("per_class", {})
    if per_class:
        lines.append(f"  {'class':>{width}} precision   recall       f1  support")
        for name, m in per_class.items():
            lines.append(
                f"  {name:>{width}} {m['precision']:9.4f} {m['recall']:8.4f} {m['f1']:8.4f} "
                f"{m['support']:8d}"
            )
    lines.append("  confusion matrix (rows: true, columns: predicted)")
    lines.append("  " + " " * width + "".join(f"{v:>{width}}" for v in labels))
    for name, row in zip(labels, metrics["confusion_matrix"]):
        lines.append("  " + f"{name:>{width}}" + "".join(f"{n:>{width}}" for n in row))
    for group, result in metrics.get("per_group", {}).items():
        lines.append(
            f"  group {group:<12} n={result['n']:<6} accuracy {result['accuracy']:.4f}"
            + (f"  f1 {result['f1']:.4f}" if "f1" in result else "")
        )
    return "\n".join(lines)


def format_summary(summary: dict, title: str) -> str:
    lines = [title]
    for key, stats in summary.items():
        if key == "per_group":
            continue
        lines.append(f"  {key:<14} {stats['mean']:.4f} ± {stats['std']:.4f}")
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
