"""The audit as a self-contained HTML page in the run report's style, and the top rows
for the terminal; both read ``audit.json``'s dictionary (:func:`.report.to_json`)."""

from __future__ import annotations

import html
from pathlib import Path

from textclass.rendering.html import page, table

TOP = 10  # rows per finding kind on the terminal
PAGE_ROWS = 200  # rows per finding kind on the page (audit.json holds every one)


def write_html(found: dict, out: Path, title: str) -> Path:
    body = [f"<h1>Audit: {html.escape(title)}</h1>", _parts(found)]
    body += ["<h2>Summary</h2>", table(["finding", "count"], _summary_rows(found), (0,))]
    body += _label_issues(found) + _duplicates(found) + _labels(found) + _texts(found)
    out = Path(out)
    out.write_text(page(f"Audit: {title}", body), encoding="utf-8")
    return out


def top_rows(found: dict, top: int = TOP) -> list[str]:
    """Terminal lines: the most likely label errors and the largest duplicate groups."""
    lines = []
    issues = found["label_issues"][:top]
    if issues:
        lines.append(f"top {len(issues)} likely label errors (part, row, given -> suggested):")
    for issue in issues:
        lines.append(
            f"  {issue['part']} row {issue['row']}: {issue['given']!r} -> "
            f"{issue['suggested']!r} ({issue['confidence']:.2f})  {_clip(issue['text'])}"
        )
    groups = sorted(found["duplicates"], key=lambda g: (-g["conflicting_labels"], -len(g["rows"])))
    if groups:
        lines.append(f"top {min(top, len(groups))} duplicate groups (conflicting labels first):")
    for group in groups[:top]:
        rows = ", ".join(f"{r['part']}:{r['row']}" for r in group["rows"][:6])
        more = f" +{len(group['rows']) - 6}" if len(group["rows"]) > 6 else ""
        clash = " conflicting labels" if group["conflicting_labels"] else ""
        lines.append(f"  {group['kind']}{clash}: {rows}{more}  {_clip(group['text'])}")
    return lines


def _clip(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= n else text[:n] + "…")


def _parts(found: dict) -> str:
    rows = [[p["name"], p["role"], p["rows"]] for p in found["parts"]]
    settings = found["settings"]
    how = (
        f"label audit: {settings['model']}, {settings['folds']} folds, seed {settings['seed']}"
        if settings["labels"]
        else "label audit: not run"
    )
    note = f"near-duplicates: Jaccard of word 3-grams >= {settings['near_threshold']}; {how}"
    return (
        table(["part", "role", "rows"], rows, (0, 1)) + f"<p class='muted'>{html.escape(note)}</p>"
    )


def _summary_rows(found: dict) -> list[list]:
    return [[kind.replace("_", " "), n] for kind, n in found["summary"].items()]


def _label_issues(found: dict) -> list[str]:
    issues = found["label_issues"][:PAGE_ROWS]
    if not issues:
        return []
    rows = [
        [i["part"], i["row"], str(i["given"]), str(i["suggested"]), i["confidence"], i["text"]]
        for i in issues
    ]
    header = ["part", "row", "given", "suggested", "confidence", "text"]
    return [
        f"<h2>Likely label errors ({len(found['label_issues'])})</h2>",
        table(header, rows, (0, 2, 3, 5)),
    ]


def _duplicates(found: dict) -> list[str]:
    counts = found["duplicate_counts"]
    within = [[part, *c.values()] for part, c in counts["within"].items()]
    across = [[pair, *c.values()] for pair, c in counts["across"].items()]
    out = ["<h2>Duplicates</h2>", "<p>Extra copies within each part (each level includes the one before):</p>"]  # fmt: skip
    out.append(table(["part", "exact", "normalised", "near"], within, (0,)))
    if across:
        out.append("<p>Texts found in both parts:</p>")
        out.append(table(["parts", "exact", "normalised", "near"], across, (0,)))
    groups = sorted(found["duplicates"], key=lambda g: (-g["conflicting_labels"], -len(g["rows"])))
    rows = [
        [
            g["kind"] + (" (conflicting labels)" if g["conflicting_labels"] else ""),
            ", ".join(f"{r['part']}:{r['row']} [{r['label']}]" for r in g["rows"]),
            g["text"],
        ]
        for g in groups[:PAGE_ROWS]
    ]
    if rows:
        out.append(table(["kind", "rows [label]", "text"], rows, (0, 1, 2)))
    return out


def _labels(found: dict) -> list[str]:
    balance = found["labels"]["balance"]
    rows = [[label, n] for label, n in balance["counts"].items()]
    out = ["<h2>Labels</h2>", table(["label", "rows"], rows, (0,))]
    minority = html.escape(", ".join(balance["minority"]) or "none")
    out.append(f"<p>largest / smallest: {balance['ratio']}; minority: {minority}</p>")
    similar = [[" / ".join(s["labels"]), s["why"]] for s in found["labels"]["similar"]]
    if similar:
        out.append(table(["labels", "why"], similar, (0, 1)))
    return out


def _texts(found: dict) -> list[str]:
    out = ["<h2>Texts</h2>"]
    for kind, rows in found["texts"].items():
        if not rows:
            continue
        shown = [[r["part"], r["row"], r.get("detail", ""), r.get("text", "")] for r in rows]
        out.append(f"<h3>{html.escape(kind)} ({len(rows)})</h3>")
        out.append(table(["part", "row", "detail", "text"], shown[:PAGE_ROWS], (0, 2, 3)))
    return out
