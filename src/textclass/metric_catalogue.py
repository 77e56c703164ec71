"""The metrics textclass reports, each declared once: where it is shown, how, and its scorer.

A metrics dict (``evaluation.metrics``, ``evaluation.multilabel``) holds many keys; this
catalogue says what to do with each: which lines the terminal's table and the HTML report
show, what cross-validation summarizes, what a served model card holds, and which
scikit-learn scorer name (``--scoring``, CV, search) scores it for label sets. The
catalogue's order is the order every view shows them in.

Adding a metric: compute it in :mod:`textclass.evaluation.metrics` (or ``multilabel``)
under its key, then add one :class:`Metric` here.

This module imports nothing from textclass: rendering, evaluation and serve all read it,
and rendering and evaluation must not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass

# task kinds: the kind of labels a metrics dict was computed for
BINARY = "binary"  # one label per text, two classes
MULTICLASS = "multiclass"  # one label per text, more than two classes
MULTILABEL = "multilabel"  # a set of labels per text
ALL = frozenset({BINARY, MULTICLASS, MULTILABEL})
SINGLE = frozenset({BINARY, MULTICLASS})
ONLY_BINARY = frozenset({BINARY})
ONLY_SETS = frozenset({MULTILABEL})


@dataclass(frozen=True)
class Metric:
    """One metric: its key in a metrics dict, direction, display and where it is shown."""

    name: str  # the key in a metrics dict
    tasks: frozenset[str]  # the task kinds whose metrics dicts have it
    higher_is_better: bool | None = True  # None: not a score (the decision threshold)
    label: str = ""  # how a table names it (default: its key)
    fmt: str = ".4f"  # format spec of its value: ".4f", ".3f", ".1%"
    headline: bool = False  # a line of the terminal's metrics table (and of the report's)
    report: bool = False  # a line of the HTML report's metrics table (headline ones are too)
    summary: bool = False  # cross-validation reports its mean ± std over folds
    card: bool = False  # on the served model card
    scorer: str | None = None  # scikit-learn scorer name: "neg_" + name when lower is better

    @property
    def shown_as(self) -> str:
        return self.label or self.name

    @property
    def in_report(self) -> bool:
        return self.headline or self.report

    def show(self, value) -> str:
        return format(value, self.fmt)


METRICS: tuple[Metric, ...] = (
    Metric("accuracy", ALL, headline=True, summary=True, card=True, scorer="accuracy"),
    Metric("balanced_accuracy", SINGLE, headline=True, summary=True, scorer="balanced_accuracy"),
    # binary: of the positive class (the second of ``classes_``)
    Metric("precision", ONLY_BINARY, headline=True, summary=True, card=True),
    Metric("recall", ONLY_BINARY, headline=True, summary=True, card=True),
    Metric("f1", ONLY_BINARY, headline=True, summary=True, card=True),
    # the binary decision threshold, shown beside the metrics it decided
    Metric("threshold", ONLY_BINARY, higher_is_better=None, headline=True),
    Metric("f1_micro", ONLY_SETS, headline=True, summary=True, card=True, scorer="f1_micro"),
    Metric("f1_macro", ALL, headline=True, summary=True, card=True, scorer="f1_macro"),
    Metric("f1_samples", ONLY_SETS, headline=True, summary=True, card=True, scorer="f1_samples"),
    Metric("f1_weighted", ALL, report=True, summary=True, scorer="f1_weighted"),
    Metric(
        "hamming_loss",
        ONLY_SETS,
        higher_is_better=False,
        headline=True,
        summary=True,
        card=True,
        scorer="neg_hamming_loss",
    ),
    # also reported as accuracy, whose scorer it shares
    Metric("subset_accuracy", ONLY_SETS, headline=True),
    Metric("pr_auc_macro", ONLY_SETS, headline=True),
    Metric("roc_auc", ALL, headline=True, summary=True, card=True, scorer="roc_auc"),
    Metric("log_loss", SINGLE, higher_is_better=False, headline=True, scorer="neg_log_loss"),
    Metric("mcc", SINGLE, report=True, summary=True, scorer="matthews_corrcoef"),
    # scorers only: more averages that --scoring ranks label sets by
    Metric("precision_micro", ONLY_SETS, scorer="precision_micro"),
    Metric("precision_macro", ALL, scorer="precision_macro"),
    Metric("precision_samples", ONLY_SETS, scorer="precision_samples"),
    Metric("recall_micro", ONLY_SETS, scorer="recall_micro"),
    Metric("recall_macro", ALL, scorer="recall_macro"),
    Metric("recall_samples", ONLY_SETS, scorer="recall_samples"),
)


def headline() -> list[Metric]:
    """The terminal's metrics table, in order."""
    return [m for m in METRICS if m.headline]


def in_report() -> list[Metric]:
    """The HTML report's metrics table, in order."""
    return [m for m in METRICS if m.in_report]


def summarized() -> list[Metric]:
    """What cross-validation summarizes as mean ± std, in order."""
    return [m for m in METRICS if m.summary]


def on_card() -> list[Metric]:
    """The metrics of a served model card, in order."""
    return [m for m in METRICS if m.card]


def by_scorer(task: str) -> dict[str, Metric]:
    """``{scorer name: metric}`` for the metrics of ``task`` that have a scorer."""
    return {m.scorer: m for m in METRICS if m.scorer and task in m.tasks}


def display(name: str) -> Metric:
    """How to show ``name``: its catalogue entry, else as itself with 4 decimals (for the
    numbers beside metrics: a CV ``score``, ``train_seconds``)."""
    return next((m for m in METRICS if m.name == name), Metric(name, ALL))
