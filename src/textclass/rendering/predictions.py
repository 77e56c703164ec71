"""Predictions as text (``textclass predict``): a table, CSV or JSON lines.

``found`` is what :func:`textclass.inference.predict_texts` returns: labels (a label per
text, or a list of labels per text for label sets), probabilities, and explanations when
asked for. CSV and JSON lines keep the input file's columns (``frame``) and add the
predictions; the plain table of single labels needs no pandas, so a cold
``textclass predict`` imports little.
"""

from __future__ import annotations

import sys

OUTPUTS = ("table", "csv", "jsonl")


def write_predictions(found, texts, output: str, *, frame=None, out=None) -> None:
    """Write ``found`` for ``texts`` to ``out`` (standard output) as ``output``."""
    out = out or sys.stdout
    if output == "table" and found.explanations is None and not found.multilabel:
        for text, label, p in zip(texts, found.labels, found.confidence):
            out.write(f"{label}\t{p:.3f}\t{text}\n")
        return
    import pandas as pd

    result = frame.copy() if frame is not None else pd.DataFrame({"text": texts})
    if found.explanations is not None:
        _explanations(found, texts, result, output, out)
    elif found.multilabel:
        _label_sets(found, texts, result, output, out)
    else:
        result["predicted"] = found.labels
        result["probability"] = found.confidence.round(6)
        _frame(result, output, out)


def _frame(result, output: str, out) -> None:
    if output == "csv":
        result.to_csv(out, index=False)
    else:
        result.to_json(out, orient="records", lines=True, force_ascii=False)


def _explanations(found, texts, result, output: str, out) -> None:
    """Predictions with their explanations: table, csv (one text column) or jsonl."""
    from textclass.rendering.html import explanation_text

    if found.multilabel:
        shown = [",".join(map(str, labels)) or "-" for labels in found.labels]
    else:
        shown = [str(v) for v in found.labels]
    if output == "table":
        for text, label, reason in zip(texts, shown, found.explanations):
            out.write(
                f"{label}\t{text}\n    why {reason['label']} ({reason['probability']:.3f}): "
                f"{explanation_text(reason) or '-'}\n"
            )
        return
    result["predicted"] = found.labels if output == "jsonl" else shown
    if output == "csv":
        result["explanation"] = [explanation_text(r) for r in found.explanations]
    else:
        result["explanation"] = found.explanations
    _frame(result, output, out)


def _label_sets(found, texts, result, output: str, out) -> None:
    """Multi-label predictions: the label set of each text, with each label's probability.

    table: ``label,label<TAB>label p, label p<TAB>text``; csv: the set joined by ``,``
    (and one probability column per label); jsonl: a list, and a probability object.
    """
    names = [str(c) for c in found.classes.tolist()]
    index = {c: i for i, c in enumerate(found.classes.tolist())}
    if output == "table":
        for text, labels, row in zip(texts, found.labels, found.proba):
            shown = ", ".join(f"{v} {row[index[v]]:.3f}" for v in labels) or "-"
            out.write(f"{','.join(map(str, labels)) or '-'}\t{shown}\t{text}\n")
        return
    if output == "csv":
        result["predicted"] = [",".join(map(str, labels)) for labels in found.labels]
        for j, name in enumerate(names):
            result[f"p_{name}"] = found.proba[:, j].round(6)
    else:
        result["predicted"] = found.labels
        result["probabilities"] = [
            {name: round(float(p), 6) for name, p in zip(names, row)} for row in found.proba
        ]
    _frame(result, output, out)
