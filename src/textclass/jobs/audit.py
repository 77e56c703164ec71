"""The audit job: load the data (and a test file), audit it, write what was asked.

``audit.json`` (every finding) and ``audit.html`` go to ``request.out``; a copy of the
data without the flagged rows to ``request.write_clean``. The input is only read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from textclass.audit import (
    AuditResult,
    AuditSettings,
    audit,
    summary,
    to_json,
    write_clean,
    write_html,
)
from textclass.errors import ConfigError
from textclass.jobs.loading import load_noted
from textclass.jobs.notes import Notes
from textclass.jobs.requests import AuditRequest


@dataclass
class AuditOutcome:
    result: AuditResult
    found: dict  # audit.json's content
    written: dict = field(default_factory=dict)  # what was written: {"json", "html", "clean"}
    notes: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        return [line for _, _, line in summary(self.result)]


def run_audit(request: AuditRequest, report: Callable[[str], None] | None = None) -> AuditOutcome:
    notes = Notes(report)
    settings = settings_of(request)
    request.data_options.check()
    _check_clean_target(request)
    dataset = load_noted(request.data, request.data_options, notes)
    test = None
    if request.test_data is not None:
        test = load_noted(request.test_data, request.data_options, notes)
    result = audit(dataset, test, settings)
    for line in result.label_notes:
        notes.note(line)
    found = to_json(result)
    found["notes"] = list(notes)
    outcome = AuditOutcome(result, found, notes=list(notes))
    if request.out is not None:
        out = Path(request.out)
        out.mkdir(parents=True, exist_ok=True)
        path = out / "audit.json"
        path.write_text(json.dumps(found, indent=1, ensure_ascii=False, default=str) + "\n")
        outcome.written["json"] = path
        outcome.written["html"] = write_html(found, out / "audit.html", request.data)
    if request.write_clean is not None:
        options = request.data_options
        outcome.written["clean"] = write_clean(
            result, request.write_clean, source=request.data,
            format=options.format, encoding=options.encoding,
        )  # fmt: skip
    return outcome


def _check_clean_target(request: AuditRequest) -> None:
    """``--write-clean`` may not name an input: the input is never modified."""
    target = request.write_clean
    if target is None or not Path(target).exists():
        return
    for ref in (request.data, request.test_data):
        if ref is not None and Path(ref).exists() and Path(ref).resolve() == Path(target).resolve():
            raise ConfigError(f"{target}: is an input of the audit; the input is never modified")


def settings_of(request: AuditRequest) -> AuditSettings:
    """The audit's settings; impossible ones refused before any data is read."""
    if request.folds < 2:
        raise ConfigError(f"Received an invalid value for `folds`, expected at least 2. Received: folds={request.folds!r}")  # fmt: skip
    if not 0 < request.near_threshold <= 1:
        raise ConfigError(f"Received an invalid value for `near_threshold`, expected a Jaccard similarity in (0, 1]. Received: near_threshold={request.near_threshold!r}")  # fmt: skip
    settings = AuditSettings(
        model=request.model, model_params=dict(request.model_params), folds=request.folds,
        seed=request.seed, near_threshold=request.near_threshold, labels=request.labels,
    )  # fmt: skip
    if settings.labels:
        settings.estimator()  # an unknown family or hyperparameter fails here
    return settings
