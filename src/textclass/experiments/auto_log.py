"""``--model auto``'s trial log: what a killed auto run had finished, so a resumed one
does not do it again.

Each candidate's leaderboard row is appended to ``trials.jsonl`` the moment it is
scored or skipped (the search's :class:`~textclass.experiments.search.TrialLog`:
flushed and fsynced, a torn last line ignored), with the seconds it took; its
out-of-fold probabilities go beside it (``oof-<n>.npy``) for the ensemble. A resumed run
takes those rows as they are and counts their seconds against its time limit, so the
whole run, killed or not, keeps to one budget. ``search.json`` holds what the rows
depend on (the texts' and labels' digest, folds, seed, scoring, settings, candidates):
resuming with any of them changed is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from textclass.experiments.search import TrialLog


@dataclass
class _Fingerprint:
    fields: dict

    def fingerprint(self) -> dict:
        return self.fields


def digest(texts: list[str], labels) -> str:
    """sha256 of the texts and their labels, in order."""
    h = hashlib.sha256()
    for text, label in zip(texts, labels):
        h.update(json.dumps([text, _plain(label)], default=str).encode("utf-8"))
    return h.hexdigest()


class AutoLog:
    """The rows of a (possibly killed) auto run in ``folder``."""

    def __init__(self, folder: Path, fields: dict, *, resume: bool) -> None:
        self.folder = Path(folder)
        self.log = TrialLog(self.folder, _Fingerprint(fields), resume=resume)
        self.rows = self.log.finished()  # name -> row, as written

    @property
    def spent(self) -> float:
        """Seconds the rows already logged took."""
        return sum(row["spent_s"] for row in self.rows.values())

    def restore(self, candidate) -> dict | None:
        """The logged row of ``candidate`` (its out-of-fold probabilities reloaded), or
        None when it has not run yet."""
        row = self.rows.get(candidate.name)
        if row is None:
            return None
        out = {**row["row"], "candidate": candidate, "resumed": True}
        if row.get("oof"):
            out["oof"] = np.load(self.folder / row["oof"])
        return out

    def append(self, row: dict, spent: float) -> None:
        public = {k: v for k, v in row.items() if k not in ("candidate", "oof")}
        entry = {"key": row["name"], "row": public, "spent_s": round(spent, 3)}
        if "oof" in row:
            entry["oof"] = f"oof-{len(self.rows)}.npy"
            np.save(self.folder / entry["oof"], row["oof"])
        self.log.append(entry)
        self.rows[row["name"]] = entry


def _plain(label):
    if isinstance(label, np.generic):
        return label.item()
    if isinstance(label, (tuple, list, set, np.ndarray)):
        return sorted(map(str, label))
    return label
