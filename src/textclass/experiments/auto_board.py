"""``--model auto``'s candidates and leaderboard rows: what a candidate is, how a row
is described, which row wins, and the row of an ensemble of several."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    name: str  # as the leaderboard shows it
    model: str  # the family
    params: dict = field(default_factory=dict)  # the family's hyperparameters
    settings: dict = field(default_factory=dict)  # TextClassifier settings (epochs, ...)
    # a frozen encoder: each text is encoded once (the vector cache), folds train heads only
    encodes_once: bool = False
    # dear (the encoder trained on the texts): scored on one holdout, not k folds
    holdout: bool = False
    # candidates this one always costs more than (the same encoder trained, not frozen;
    # a larger encoder): when one of them did not fit the time, this one is not tried
    dearer_than: tuple[str, ...] = ()


def ensemble_row(members: list[dict], shares: dict, value: float, refit: float, n: int) -> dict:
    specs = [{"model": r["candidate"].model, "params": dict(r["candidate"].params),
              "settings": dict(r["candidate"].settings)} for r in members]  # fmt: skip
    weights = [round(shares[r["name"]], 4) for r in members]
    name = "ensemble (" + ", ".join(f"{r['name']} {w:.2f}" for r, w in zip(members, weights)) + ")"
    candidate = Candidate(name, "ensemble", {"members": specs, "weights": weights})
    # its score is the out-of-fold one it was selected on: no folds, no std
    latencies = [r.get("latency_ms") for r in members]
    latency = sum(latencies) if None not in latencies else None  # members run one by one
    return {"candidate": candidate, "name": name, "score": value, "std": None,
            "fit_seconds": refit, "fit_all_seconds": refit, "cv_seconds": 0.0,
            "latency_ms": latency, "scored_on": f"the out-of-fold probabilities of {n} texts"}  # fmt: skip


def standard_error(row: dict, cv: int) -> float:
    """A row's score's standard error: its folds' std over the square root of their
    number, or the holdout's own (``se``)."""
    if row.get("se") is not None:
        return row["se"]
    return (row.get("std") or 0.0) / math.sqrt(cv)


def winner(scored: list[dict], cv: int) -> dict:
    """The best mean score; among those within one standard error of it, the fastest to
    fit."""
    top = max(scored, key=lambda r: r["score"])
    margin = standard_error(top, cv)
    close = [r for r in scored if r["score"] >= top["score"] - margin]
    return min(close, key=lambda r: r["fit_seconds"])


def outpriced(candidate: Candidate, rows: dict) -> dict | None:
    """``candidate``'s skipped row when ``rows`` (by name) show that a candidate it
    always costs more than did not fit the time: estimating it would only spend time
    (for a frozen MPNet on 25k IMDB reviews, 90 s to learn that it needs 2 hours)."""
    for name in candidate.dearer_than:
        row = rows.get(name)
        if row is not None and row.get("too_dear"):
            return {"candidate": candidate, "name": candidate.name, "too_dear": True,
                    "skipped": f"costs more than {name}, which did not fit"}  # fmt: skip
    return None


def public(row: dict) -> dict:
    candidate = row["candidate"]
    out = {k: v for k, v in row.items() if k not in ("candidate", "oof", "resumed")}
    return {**out, "model": candidate.model, "params": candidate.params}


def describe(row: dict) -> str:
    if row.get("resumed"):
        return describe({k: v for k, v in row.items() if k != "resumed"}) + " (trial log)"
    latency = "" if row.get("latency_ms") is None else f", {row['latency_ms']:.1f} ms a text"
    if row.get("std") is None and "score" in row:
        return f"{row['name']}: {row['score']:.4f} on {row['scored_on']}{latency}"
    if "score" in row:
        return (f"{row['name']}: {row['score']:.4f} ± {row['std']:.4f} "
                f"({row['cv_seconds']:.0f} s{latency})")  # fmt: skip
    return f"{row['name']}: skipped ({row['skipped']})"


def nothing_fits(rows: list[dict], time_limit_s: float):
    from textclass.errors import ConfigError

    reasons = "; ".join(f"{r['name']}: {r['skipped']}" for r in rows)
    return ConfigError(
        f"--model auto: no candidate fits in --time-limit {time_limit_s:g} s ({reasons})"
    )
