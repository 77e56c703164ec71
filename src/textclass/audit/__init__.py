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
    exact, normal = dup.exact_groups(texts), dup.normalized_groups(texts)
    near = dup.near_groups(texts, near_threshold)
    findings: dict = {
        "duplicates": {
            "exact": _rows(exact),
            "normalized": _rows(normal),
            "near": _rows(near),
            "near_threshold": near_threshold,
        },  # fmt: skip
        "conflicting_labels": [
            {"rows": _rows1(g), "labels": sorted({str(labels[i]) for i in g})}
            for g in dup.conflicting(exact + normal + near, labels)
        ],
        "labels": label_health(labels),
        "texts": {
            k: (_rows1(v) if isinstance(v, list) else v) for k, v in text_health(texts).items()
        },  # fmt: skip
        "leakage": None,
    }
    if test is not None:
        findings["leakage"] = [
            {
                "test_row": x["test"] + 1,
                "train_rows": _rows1(x["train"]),
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
                "row": x["index"] + 1,
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


def _rows(groups: list[list[int]]) -> list[list[int]]:
    return [_rows1(g) for g in groups]


def _rows1(positions: list[int]) -> list[int]:
    return [int(i) + 1 for i in positions]
