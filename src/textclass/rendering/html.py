"""Self-contained HTML pages: one per trained run, one per model comparison.

Everything is inlined (CSS, PNGs as base64 data URIs), so a page opens from a
file, an e-mail or an artifact store with no network and no other files.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from textclass.metric_catalogue import in_report

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:72rem;
color:#1d2433;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #dde;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ccd;padding:.25rem .6rem;text-align:right;vertical-align:top}
th{background:#f1f3f8}td.text,th.text{text-align:left;max-width:40rem}
img{max-width:100%;border:1px solid #eee}.muted{color:#667}.error{color:#a11}
code{background:#f4f4f8;padding:0 .2rem}
"""


def page(title: str, body: list[str]) -> str:
    """A whole page in the reports' style (the audit's too)."""
    return _page(title, body)


def table(header: list[str], rows: list[list], text_columns: tuple[int, ...] = ()) -> str:
    """A table in the reports' style; ``text_columns`` left-aligned."""
    return _table(header, rows, text_columns)


def _page(title: str, body: list[str]) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{data}'>"


def _table(header: list[str], rows: list[list], text_columns: tuple[int, ...] = ()) -> str:
    def cell(tag, i, value):
        cls = " class='text'" if i in text_columns else ""
        if isinstance(value, float):
            value = f"{value:.4f}"
        return f"<{tag}{cls}>{html.escape(str(value))}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def metrics_html(metrics: dict) -> list[str]:
    shown = [[m.shown_as, m.show(metrics[m.name])] for m in in_report() if m.name in metrics]
    out = [_table(["metric", "value"], shown, (0,))]
    per_class = metrics.get("per_class", {})
    if per_class:
        what = "label" if metrics.get("task") == "multilabel" else "class"
        out.append(f"<h3>Per {what}</h3>")
        extra = [k for k in ("threshold", "pr_auc") if any(k in m for m in per_class.values())]
        rows = [
            [c, m["precision"], m["recall"], m["f1"], m["support"], *(m.get(k, "") for k in extra)]
            for c, m in per_class.items()
        ]
        header = [what, "precision", "recall", "F1", "support", *extra]
        out.append(_table([h.replace("pr_auc", "PR-AUC") for h in header], rows, (0,)))
    if "confusion_matrix" not in metrics:
        return out
    labels = [str(v) for v in metrics["labels"]]
    out.append("<h3>Confusion matrix (rows: true, columns: predicted)</h3>")
    out.append(
        _table(
            ["true \\ predicted", *labels],
            [[name, *row] for name, row in zip(labels, metrics["confusion_matrix"])],
            (0,),
        )
    )
    groups = metrics.get("per_group", {})
    if groups:
        out.append("<h3>Per group</h3>")
        rows = [
            [g, m["n"], m["accuracy"], m.get("f1", m["f1_macro"]), m["f1_macro"]]
            for g, m in groups.items()
        ]
        out.append(_table(["group", "texts", "accuracy", "F1", "macro F1"], rows, (0,)))
    return out


def auto_html(board: dict | None) -> list[str]:
    """``--model auto``'s leaderboard: every candidate, best first, skipped ones last."""
    if not board:
        return []
    rows = []
    for r in board["candidates"]:
        score = "" if "score" not in r else r["score"]
        spread = "" if r.get("std") is None else r["std"]
        rows.append([r["name"], score, spread, r.get("fit_seconds", ""),
                     "" if r.get("latency_ms") is None else r["latency_ms"],
                     r.get("skipped", r.get("scored_on", ""))])  # fmt: skip
    head = (
        f"<h2>How auto chose ({board['cv']}-fold CV on the training part, {board['scoring']})</h2>"
    )
    header = ["candidate", "CV score", "± std", "fit s", "ms a text", "skipped / note"]
    return [head, _table(header, rows, (0, 5))]


def write_run_report(
    run_dir: str | Path, out: str | Path | None = None, *, redraw: bool = False
) -> Path:
    """``report.html`` for a run directory written by ``textclass train --out``.

    ``history.png``, ``confusion.png`` and (binary) ``pr.png`` are drawn from ``history.json`` /
    ``metrics.json`` first: when missing, or always with ``redraw``.
    """
    from textclass.persistence import RunDirectory

    run = RunDirectory(run_dir)
    config = run.read_config()
    metrics = run.read_metrics()
    history = run.read_history()
    skipped = draw_run_figures(run, history, metrics, redraw=redraw)

    model = config.get("model", {})
    title = (
        f"textclass run: {model.get('name', '?')} on {config.get('data', {}).get('source', '?')}"
    )
    body = [f"<h1>{html.escape(title)}</h1>", _summary_html(config)]
    body += _data_html(metrics or {})
    body += _configuration_html(config)
    body += decision_html(run.read_labels().get("decision") or {}, config)
    if metrics:
        body.append(f"<h2>Test metrics ({metrics.get('n', '?')} texts)</h2>")
        body += metrics_html(metrics)
        body += auto_html(metrics.get("auto"))
    body += _plots_html(run, history, skipped)
    body += _mistakes_html(run.read_mistakes())
    path = Path(out) if out else run.report_html
    path.write_text(_page(title, body), encoding="utf-8")
    return path


def _summary_html(config: dict) -> str:
    """Parameters, input sizes and the Keras that trained it, in one muted line."""
    versions = config.get("versions", {})
    return (
        "<p class='muted'>"
        + html.escape(
            f"{config.get('parameters', 0):,} parameters "
            f"({config.get('trainable_parameters', config.get('parameters', 0)):,} trainable), "
            f"{describe_inputs(config)}; "
            f"keras {versions.get('keras', '?')} on {versions.get('keras_backend', '?')}"
        )
        + "</p>"
    )


def _data_html(metrics: dict) -> list[str]:
    """The data parts (rows, labels), training time, and what train said on the terminal."""
    body = []
    if "data" in metrics:
        body.append("<h2>Data</h2>")
        rows = []
        for part, summary in metrics["data"].items():
            labels = ", ".join(f"{k}: {v}" for k, v in summary.get("labels", {}).items())
            rows.append([part, summary.get("name", ""), summary.get("rows", 0), labels])
        body.append(_table(["part", "dataset", "rows", "labels"], rows, (0, 1, 3)))
        if metrics.get("train_seconds") is not None:
            body.append(f"<p>Training took {metrics['train_seconds']:.1f} s.</p>")
    if metrics.get("notes"):
        body.append("<h2>Warnings and notes</h2><ul>")
        body += [f"<li>{html.escape(line)}</li>" for line in metrics["notes"]]
        body.append("</ul>")
    return body


def _configuration_html(config: dict) -> list[str]:
    """The estimator's settings and the family's hyperparameters; pretrained coverage."""
    params = {
        **config.get("estimator", {}),
        **{f"model__{k}": v for k, v in config.get("model", {}).get("params", {}).items()},
    }
    body = [
        "<h2>Configuration</h2>",
        _table(["setting", "value"], [[k, json.dumps(v)] for k, v in params.items()], (0, 1)),
    ]
    pretrained = (config.get("notes") or {}).get("pretrained")
    if pretrained:
        from textclass.pretrained import describe_coverage

        body.append(f"<p>{html.escape(describe_coverage(pretrained))}</p>")
    return body


def _plots_html(run, history: dict, skipped: str | None) -> list[str]:
    body = ["<h2>Plots</h2>"]
    if skipped:
        body.append(f"<p class='muted'>{html.escape(skipped)}</p>")
    for path, alt in (
        (run.history_png, "training history"),
        (run.confusion_png, "confusion matrix"),
        (run.pr_png, "precision-recall curve with the decision threshold"),
    ):
        if path.exists():
            body.append(_img(path, alt))
    if not history:
        body.append(
            "<p class='muted'>No per-epoch history: this model is not trained in epochs.</p>"
        )
    return body


def _mistakes_html(mistakes: list[dict]) -> list[str]:
    body = ["<h2>Most confident mistakes</h2>"]
    if not mistakes:
        body.append("<p class='muted'>None recorded (no test set, or no mistakes).</p>")
        return body
    rows = [
        [
            m["text"],
            _shown(m["true"]),
            _shown(m["predicted"]),
            m["probability"],
            explanation_text(m.get("explanation")),
        ]
        for m in mistakes
    ]
    header = ["text", "true label", "predicted", "probability", "why (weights)"]
    body.append(_table(header, rows, (0, 1, 2, 4)))
    method = next((m["explanation"]["method"] for m in mistakes if m.get("explanation")), None)
    if method:
        body.append(
            f"<p class='muted'>Why: the words or n-grams that pushed each prediction most "
            f"towards its label ({html.escape(method)}).</p>"
        )
    return body


def decision_html(decision: dict, config: dict) -> list[str]:
    """One paragraph: how probabilities become labels (thresholds, class weights)."""
    parts = []
    if decision.get("multilabel"):
        parts.append("Multi-label: every label whose probability reaches its threshold.")
    cuts = decision.get("thresholds")
    if decision.get("threshold") is not None and cuts:
        shown = f"{cuts[0]:.4g}" if len(cuts) == 1 else f"{min(cuts):.3g} to {max(cuts):.3g}"
        tuned = decision.get("tuned")
        how = f", tuned on {tuned['source']}" if tuned else ""
        parts.append(f"Threshold {decision['threshold']}: {shown}{how}.")
    weight = (config.get("estimator") or {}).get("class_weight")
    if weight is not None:
        parts.append(f"Class weights: {json.dumps(weight)}.")
    return [f"<p>{html.escape(' '.join(parts))}</p>"] if parts else []


def explanation_text(explanation: dict | None) -> str:
    """``great +1.60, food +0.07``: an explanation's features with signed weights."""
    if not explanation:
        return ""
    text = ", ".join(f"{name} {weight:+.3f}" for name, weight in explanation["features"])
    return f"{text} ({explanation['note']})" if explanation.get("note") else text


def _shown(label) -> str:
    return ", ".join(map(str, label)) if isinstance(label, list) else str(label)


def draw_run_figures(run, history: dict, metrics: dict | None, *, redraw: bool) -> str | None:
    """history.png and confusion.png, when missing (always with ``redraw``).

    Returns why they were not drawn (matplotlib missing), or None.
    """
    from textclass.rendering import plots

    try:
        if history and (redraw or not run.history_png.exists()):
            monitor = (metrics or {}).get("history_validation", "")
            label = "test (monitoring only)" if "test" in monitor else None
            plots.plot_history(history, run.history_png, label)
        if metrics and "confusion_matrix" in metrics and (redraw or not run.confusion_png.exists()):
            plots.plot_confusion(metrics, run.confusion_png)
        if metrics and "pr_curve" in metrics and (redraw or not run.pr_png.exists()):
            plots.plot_pr_curve(metrics, run.pr_png)
    except plots.PlotsUnavailable as exc:
        return str(exc)
    return None


def describe_inputs(config: dict) -> str:
    """``vocab_size 1,747, maxlen 100``: what the preprocessor learned."""
    from textclass.rendering.terminal import format_inputs

    inputs = (config.get("preprocessor") or {}).get("inputs") or {}
    return format_inputs(inputs) or "no input sizes recorded"


def write_leaderboard_html(
    rows: list[dict], columns: list[str], title: str, chart: Path | None, path: Path
) -> Path:
    body = [f"<h1>{html.escape(title)}</h1>"]
    if chart is not None and chart.exists():
        body.append(_img(chart, "accuracy and macro F1 by model"))
    table_rows = [[r.get(c, "") if r.get(c) is not None else "" for c in columns] for r in rows]
    body.append(_table(columns, table_rows, (0, len(columns) - 1)))
    path.write_text(_page(title, body), encoding="utf-8")
    return path
