"""PNG figures: training history, confusion matrix, precision-recall, leaderboard bars.

matplotlib is imported only here, only when a figure is drawn, and always with
the headless Agg backend, so plotting needs no display (CI, servers, SSH).
"""

from __future__ import annotations

from pathlib import Path

from textclass.errors import ConfigError

PLOTS_MISSING = "plots skipped: matplotlib is not installed (pip install 'textclass[plots]')"


class PlotsUnavailable(ConfigError):
    """matplotlib is not installed; figures are optional (``textclass[plots]``)."""


def available() -> bool:
    import importlib.util

    return importlib.util.find_spec("matplotlib") is not None


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise PlotsUnavailable(PLOTS_MISSING) from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def plot_history(
    history: dict, path: str | Path, validation_label: str | None = None
) -> Path | None:
    """Accuracy and loss per epoch, training vs validation, in two panels.

    Returns None (and writes nothing) when there is no history (linear models).
    """
    if not history or "loss" not in history:
        return None
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    epochs = range(1, len(history["loss"]) + 1)
    fig, (acc_ax, loss_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, key, title in ((acc_ax, "accuracy", "Accuracy"), (loss_ax, "loss", "Loss")):
        if key in history:
            ax.plot(epochs, history[key], "o-", color="tab:blue", ms=3, label="training")
        if f"val_{key}" in history:
            ax.plot(
                epochs,
                history[f"val_{key}"],
                "o-",
                color="tab:red",
                ms=3,
                label=validation_label or "validation",
            )
        ax.set_title(f"{title} per epoch")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return _save(fig, plt, path)


def plot_confusion(metrics: dict, path: str | Path, title: str = "Confusion matrix") -> Path:
    """The confusion matrix of a metrics result (rows: true, columns: predicted)."""
    import numpy as np

    plt = _pyplot()
    matrix = np.asarray(metrics["confusion_matrix"])
    labels = [str(v) for v in metrics["labels"]]
    size = 2.5 + 0.7 * len(labels)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    image = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    threshold = matrix.max() / 2 if matrix.size else 0
    for (i, j), n in np.ndenumerate(matrix):
        ax.text(j, i, str(n), ha="center", va="center", color="white" if n > threshold else "black")
    fig.colorbar(image, ax=ax, fraction=0.046)
    fig.tight_layout()
    return _save(fig, plt, path)


def plot_pr_curve(metrics: dict, path: str | Path) -> Path | None:
    """The test precision-recall curve of the positive class, with the decision's point.

    The point is the run's threshold (``metrics["threshold"]``, else 0.5: the most
    probable class) and the precision and recall it gave on the test set.
    """
    curve = metrics.get("pr_curve")
    if not curve:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ax.plot(curve["recall"], curve["precision"], "-", color="tab:blue", label="test PR curve")
    threshold = metrics.get("threshold", 0.5)
    ax.plot(
        [metrics["recall"]],
        [metrics["precision"]],
        "o",
        color="tab:red",
        ms=8,
        label=f"threshold {threshold:.3g}: P {metrics['precision']:.3f}, R {metrics['recall']:.3f}",
    )
    ax.set_xlabel(f"recall of {metrics.get('positive_label', 'positive')}")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title(f"Precision-recall (AP {curve['average_precision']:.3f})")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    fig.tight_layout()
    return _save(fig, plt, path)


def plot_leaderboard(rows: list[dict], path: str | Path) -> Path:
    """Horizontal bars: accuracy and macro F1 per model (failed models left out)."""
    plt = _pyplot()
    ok = [r for r in rows if r.get("error") is None]
    names = [r["model"] for r in ok]
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.55 * max(len(ok), 1)))
    ys = range(len(ok))
    ax.barh([y + 0.2 for y in ys], [r["accuracy"] for r in ok], 0.4, label="accuracy")
    ax.barh([y - 0.2 for y in ys], [r["f1_macro"] for r in ok], 0.4, label="macro F1")
    ax.set_yticks(list(ys), names)
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title("Test scores by model")
    fig.tight_layout()
    return _save(fig, plt, path)


def _save(fig, plt, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
