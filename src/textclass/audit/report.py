"""What an audit found, as the terminal, ``audit.json`` and ``audit.html`` show it.

Rows are data rows as the readers' errors number them: 1-based, in the order loaded (for a
named dataset with parts, each part numbered on its own: ``train`` / ``test``).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

TOP = 10  # rows shown per kind in the terminal and the page
LEAKAGE = "test rows also in training"  # the count train --audit warns of


@dataclass
class AuditReport:
    name: str
    rows: int
    test_rows: int | None
    findings: dict = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many rows (or groups, or pairs) each kind of finding holds."""
        f = self.findings
        out = {}
        if "label_errors" in f:
            out["likely label errors"] = len(f["label_errors"])
        dup = f["duplicates"]
        out["exact duplicate groups"] = len(dup["exact"])
        out["normalised duplicate groups"] = len(dup["normalized"])
        out[f"near-duplicate groups (Jaccard >= {dup['near_threshold']:g})"] = len(dup["near"])
        out["duplicate groups with conflicting labels"] = len(f["conflicting_labels"])
        if f.get("leakage") is not None:
            out[LEAKAGE] = len(f["leakage"])
        out["look-alike label pairs"] = len(f["labels"]["lookalikes"])
        texts = f["texts"]
        for kind in ("empty", "very_short", "very_long", "mojibake", "replacement_characters",
                     "other_script"):  # fmt: skip
            out[kind.replace("_", " ") + " texts"] = len(texts[kind])
        return out

    def summary_lines(self) -> list[str]:
        """One line per kind of finding, then the top likely label errors and leaks."""
        test = f", test {self.test_rows:,} rows" if self.test_rows is not None else ""
        lines = [f"audit of {self.name}: {self.rows:,} rows{test}"]
        lines += [f"  {kind}: {n:,}" for kind, n in self.counts().items()]
        for issue in self.findings.get("label_errors", [])[:TOP]:
            lines.append(
                f"  row {issue['row']}: labelled {issue['given']!r}, model says "
                f"{issue['suggested']!r} ({issue['suggested_probability']:.2f}): "
                f"{_short(issue['text'])}"
            )
        for leak in (self.findings.get("leakage") or [])[:TOP]:
            lines.append(
                f"  test row {leak['test_row']} = train row(s) {_rows(leak['train_rows'])} "
                f"({leak['kind']})"
            )
        return lines

    def write(self, folder: Path) -> list[Path]:
        """``audit.json`` (every finding) and ``audit.html`` in ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        data = {"name": self.name, "rows": self.rows, "test_rows": self.test_rows,
                "counts": self.counts(), **self.findings}  # fmt: skip
        (folder / "audit.json").write_text(json.dumps(data, indent=1, default=str) + "\n")
        (folder / "audit.html").write_text(self.html(), encoding="utf-8")
        return [folder / "audit.json", folder / "audit.html"]

    def html(self) -> str:
        from textclass.rendering.html import page, table

        body = [f"<h1>Audit of {html.escape(self.name)}</h1>",
                table(["finding", "count"], [[k, v] for k, v in self.counts().items()], (0,))]  # fmt: skip
        issues = self.findings.get("label_errors", [])
        if issues:
            rows = [[i["row"], i["given"], i["suggested"], i["given_probability"], i["text"]]
                    for i in issues[:100]]  # fmt: skip
            body += ["<h2>Likely label errors (most likely first)</h2>",
                     table(["row", "given", "suggested", "p(given)", "text"], rows, (4,))]  # fmt: skip
        leaks = self.findings.get("leakage") or []
        if leaks:
            rows = [[x["test_row"], _rows(x["train_rows"]), x["kind"]] for x in leaks[:100]]
            body += ["<h2>Test rows also in training</h2>",
                     table(["test row", "train rows", "kind"], rows)]  # fmt: skip
        for kind, groups in self.findings["duplicates"].items():
            if isinstance(groups, list) and groups:
                rows = [[_rows(g)] for g in groups[:100]]
                body += [f"<h2>Duplicates: {html.escape(kind)}</h2>", table(["rows"], rows, (0,))]
        return page(f"Audit of {self.name}", body)


def _rows(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:8]))
    return shown + (f" (+{len(rows) - 8})" if len(rows) > 8 else "")


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
