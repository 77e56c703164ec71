"""``textclass audit``: what is wrong with labelled text before a model is trained on it.

:func:`audit` looks for likely label errors (:mod:`.labels`: out-of-fold probabilities
and confident learning), exact, normalised and near duplicates within the training data,
test rows that also appear in training, duplicate groups with conflicting labels
(:mod:`.duplicates`), and label and text health (:mod:`.health`). :mod:`.report` shows
it; :func:`clean_rows` says which rows a clean copy leaves out, and why.
"""

from __future__ import annotations

from textclass.audit.duplicates import NEAR_THRESHOLD
from textclass.audit.report import AuditReport
from textclass.data import Dataset

__all__ = ["AuditReport", "audit", "clean_rows"]


def audit(
    train: Dataset,
    test: Dataset | None = None,
    *,
    model: str = "ngram",
    folds: int | None = None,
    seed: int | None = 0,
    near_threshold: float = NEAR_THRESHOLD,
    label_errors: bool = True,
) -> AuditReport:
    """Audit ``train`` (and its leakage into ``test``). ``label_errors=False`` runs only the
    cheap checks (no model is fitted): duplicates, leakage, label and text health."""
    from textclass.audit import duplicates as dup
    from textclass.audit.health import label_health, text_health

    texts, labels = list(train.texts), train.labels
    at = _DataRows(train)  # positions -> data rows as in the input file
    groups = dup.find(texts, near_threshold)
    exact, normal, near = groups["exact"], groups["normalized"], groups["near"]
    findings: dict = {
        "duplicates": {
            "exact": at.groups(exact),
            "normalized": at.groups(normal),
            "near": at.groups(near),
            "near_threshold": near_threshold,
        },  # fmt: skip
        "conflicting_labels": [
            {"rows": at(g), "labels": sorted({str(labels[i]) for i in g})}
            for g in dup.conflicting(exact + normal + near, labels)
        ],
        "labels": label_health(labels),
        "texts": {k: (at(v) if isinstance(v, list) else v) for k, v in text_health(texts).items()},
        "dropped_rows": list(train.dropped_rows),  # empty texts the reader dropped (--on-empty)
        "leakage": None,
    }
    if test is not None:
        test_at = _DataRows(test)
        findings["leakage"] = [
            {
                "test_row": test_at([x["test"]])[0],
                "train_rows": at(x["train"]),
                "kind": x["kind"],
                "text": test.texts[x["test"]],
            }  # fmt: skip
            for x in dup.across(texts, list(test.texts), near_threshold)
        ]
    if label_errors:
        from textclass.audit.labels import label_issues

        found = label_issues(texts, labels, model=model, folds=folds, seed=seed)
        findings["label_errors"] = [
            {
                "row": at([x["index"]])[0],
                **{k: v for k, v in x.items() if k != "index"},
                "text": texts[x["index"]],
            }  # fmt: skip
            for x in found
        ]
    return AuditReport(train.name, len(train), None if test is None else len(test), findings)


def clean_rows(report: AuditReport) -> dict[int, list[str]]:
    """Data rows (1-based) a clean copy leaves out, each with why: likely label errors,
    every row of a duplicate group with conflicting labels, the repeats of an exact or
    normalised duplicate (the first is kept), and empty texts. Near duplicates stay."""
    out: dict[int, list[str]] = {}
    f = report.findings
    for issue in f.get("label_errors", []):
        out.setdefault(issue["row"], []).append(
            f"likely label error: labelled {issue['given']!r}, model says {issue['suggested']!r}"
        )
    for group in f["conflicting_labels"]:
        for row in group["rows"]:
            out.setdefault(row, []).append(
                f"duplicate group with conflicting labels {group['labels']}"
            )
    for kind in ("exact", "normalized"):
        for group in f["duplicates"][kind]:
            for row in group[1:]:
                out.setdefault(row, []).append(f"{kind} duplicate of row {group[0]}")
    for row in f["texts"]["empty"]:
        out.setdefault(row, []).append("empty text")
    return dict(sorted(out.items()))


class _DataRows:
    """Positions in a dataset -> its texts' 1-based data rows in their file (the readers'
    numbering, which skips nothing: rows dropped for empty text keep their numbers)."""

    def __init__(self, dataset: Dataset) -> None:
        self.rows = dataset.row_numbers()

    def __call__(self, positions) -> list[int]:
        return [int(self.rows[i]) for i in positions]

    def groups(self, groups: list[list[int]]) -> list[list[int]]:
        return [self(g) for g in groups]
