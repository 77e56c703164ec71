"""An audit as JSON (``audit.json``: every finding, by part and 1-based data row), as one
summary line per finding kind, and the rows ``--write-clean`` leaves out, with why."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from textclass.audit.core import AuditResult, conflicting, duplicate_counts, leaked_rows

TEXT_SHOWN = 300  # characters of a text quoted in a finding
TEXT_KINDS = {
    "empty": "empty or missing texts (dropped on reading)",
    "short": "very short texts",
    "long": "very long texts",
    "mojibake": "texts with mojibake (UTF-8 or cp1252 bytes read as Latin-1: Ã©, â€™, U+0096)",
    "replacement": "texts with the replacement character U+FFFD",
    "script": "texts in another script than the dataset's",
}


def to_json(result: AuditResult) -> dict:
    """Every finding; rows as ``{"part", "row"}`` (1-based data rows of that part's file)."""
    corpus = result.corpus
    return {
        "parts": [{"name": p.name, "role": p.role, "rows": len(p.dataset)} for p in corpus.parts],
        "multilabel": result.multilabel,
        "settings": result.settings.to_dict(),
        "summary": {kind: n for kind, n, _ in summary(result)},
        "label_issues": [_label_issue(result, issue) for issue in result.label_issues],
        "label_notes": list(result.label_notes),
        "duplicate_counts": duplicate_counts(result),
        "duplicates": [_group(result, g) for g in result.groups],
        "leakage": {
            level: _rows(result, leaked_rows(result, level)) for level in ("exact", "near")
        },
        "labels": {"balance": result.balance, "similar": result.similar_labels},
        "texts": _texts(result),
        "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
    }


def summary(result: AuditResult) -> list[tuple[str, int, str]]:
    """``(kind, count, line)`` per finding kind, in the order of the issue's checks."""
    lines = []
    if result.settings.labels:
        n = len(result.label_issues)
        lines.append(("label_issues", n, f"likely label errors: {n} rows"))
    for level in ("exact", "normalised", "near"):
        groups = [g for g in result.groups if g.kind == level]
        rows = sum(len(g.members) for g in groups)
        lines.append((f"{level}_duplicates", len(groups), f"{level} duplicate groups: {len(groups)} ({rows} rows)"))  # fmt: skip
    clash = [g for g in result.groups if conflicting(result, g)]
    lines.append(("conflicting_labels", len(clash), f"duplicate groups with conflicting labels: {len(clash)}"))  # fmt: skip
    if any(p.role == "test" for p in result.corpus.parts):
        exact, near = len(leaked_rows(result, "exact")), len(leaked_rows(result, "near"))
        line = f"leakage: {exact} test rows also in training (exact), {near} (near-duplicates included)"
        lines.append(("leakage", near, line))
    minority = result.balance["minority"]
    lines.append(("minority_labels", len(minority), f"minority labels (under 5 % of the largest): {len(minority)}, class ratio {result.balance['ratio']}"))  # fmt: skip
    similar = len(result.similar_labels)
    lines.append(("similar_labels", similar, f"labels differing only by case, whitespace or a typo: {similar} pairs"))  # fmt: skip
    texts = _texts(result)
    for kind, what in TEXT_KINDS.items():
        lines.append((kind, len(texts[kind]), f"{what}: {len(texts[kind])}"))
    return lines


def _texts(result: AuditResult) -> dict[str, list[dict]]:
    corpus = result.corpus
    found = {"empty": []}
    for part in corpus.parts:
        found["empty"] += [{"part": part.name, "row": r} for r in part.dataset.dropped_rows]
    for kind, rows in result.texts.items():
        found[kind] = [
            {**corpus.where(i), "detail": detail, "text": _shown(corpus.texts[i])}
            for i, detail in rows
        ]
    return found


def _label_issue(result: AuditResult, issue: dict) -> dict:
    i = issue["index"]
    rest = {k: v for k, v in issue.items() if k != "index"}
    return {**result.corpus.where(i), **rest, "text": _shown(result.corpus.texts[i])}


def _group(result: AuditResult, group) -> dict:
    corpus = result.corpus
    rows = [{**corpus.where(i), "label": _label(corpus.labels[i])} for i in group.members]
    roles = {corpus.role(i) for i in group.members}
    out = {
        "kind": group.kind,
        "rows": rows,
        "conflicting_labels": conflicting(result, group),
        "across_parts": len({r["part"] for r in rows}) > 1,
        "leak": roles == {"train", "test"},
        "text": _shown(corpus.texts[group.members[0]]),
    }
    if group.similarity is not None:
        out["similarity"] = group.similarity
    return out


def _rows(result: AuditResult, positions: np.ndarray) -> list[dict]:
    return [result.corpus.where(i) for i in positions.tolist()]


def _label(value):
    if isinstance(value, tuple):
        return [_label(v) for v in value]
    return value.item() if isinstance(value, np.generic) else value


def _shown(text: str) -> str:
    return text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN] + "…"


def removals(result: AuditResult) -> dict[int, list[str]]:
    """``{position: reasons}`` for the rows of the training parts a clean copy leaves out:
    likely label errors; every row of a duplicate group with conflicting labels; later
    copies of a text (near-duplicates included; the first is kept); rows whose text is
    also in the test data."""
    corpus = result.corpus
    why: dict[int, list[str]] = defaultdict(list)
    for issue in result.label_issues:
        why[issue["index"]].append(
            f"likely label error (given {issue['given']!r}, suggested {issue['suggested']!r})"
        )
    for group in result.groups:
        if conflicting(result, group):
            for i in group.members:
                if corpus.role(i) == "train":
                    why[i].append(f"{group.kind} duplicate with conflicting labels")
    first: dict[int, int] = {}
    ids = result.ids["near"]
    test_ids = set(ids[np.array([corpus.role(i) == "test" for i in range(len(ids))])].tolist())
    for i in corpus.training().tolist():
        cluster = int(ids[i])
        if cluster in test_ids:
            why[i].append("also in the test data (leakage)")
        if cluster in first:
            at = corpus.where(first[cluster])
            why[i].append(f"duplicate of {at['part']} row {at['row']}")
        else:
            first[cluster] = i
    return {i: list(dict.fromkeys(reasons)) for i, reasons in sorted(why.items())}
