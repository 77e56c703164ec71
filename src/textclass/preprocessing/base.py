"""The preprocessor interface: raw texts in, model inputs out, saved as config + arrays.

KerasHub's split: a *preprocessor* turns raw text into what a model eats; the
model (backbone + head) never sees text. Here a preprocessor is fitted on
training texts only, then

- ``transform(texts)`` gives the model's input (a padded id matrix, a sparse
  matrix, ...);
- ``model_inputs()`` gives the sizes a family needs to build its network
  (``vocab_size``, ``maxlen``, ``n_features``);
- ``get_config()`` (JSON) and ``get_arrays()`` (numpy arrays, no pickle) save it,
  ``from_config(config, arrays)`` rebuilds it.

A preprocessor has a ``name``, which the artifact records; loading finds the class
among the registered families' ``preprocessor_cls`` (:mod:`textclass.models.registry`).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np


class Preprocessor:
    name: ClassVar[str] = ""

    @classmethod
    def from_settings(cls, settings, **options) -> Preprocessor:
        """An unfitted preprocessor from the classifier's settings and the family's options."""
        raise NotImplementedError

    def fit_transform(self, texts: list[str]):
        raise NotImplementedError

    def fit(self, texts: list[str]) -> Preprocessor:
        self.fit_transform(texts)
        return self

    def transform(self, texts: list[str]):
        raise NotImplementedError

    def model_inputs(self) -> dict:
        raise NotImplementedError

    def describe(self) -> dict:
        """A few JSON facts for reports (vocabulary size, sequence length, ...)."""
        return self.model_inputs()

    def column_names(self, text: str) -> dict[int, str]:
        """Names of the input columns ``text`` sets (``{column: "word"}``), for explanations
        of linear models; empty for inputs without named columns (word-id sequences)."""
        return {}

    def get_config(self) -> dict:
        raise NotImplementedError

    def get_arrays(self) -> dict[str, np.ndarray]:
        return {}

    @classmethod
    def from_config(cls, config: dict, arrays: dict[str, np.ndarray]) -> Preprocessor:
        raise NotImplementedError


def maxlen_setting(settings, *, auto):
    """The classifier's ``maxlen`` for a preprocessor: ``auto`` (the preprocessor's own
    default) for "auto" or a settings object without one, None as None, else an int."""
    value = getattr(settings, "maxlen", "auto")
    if isinstance(value, str) and value == "auto":
        return auto
    return None if value is None else int(value)


def cut_at_maxlen(cut: tuple[int, int] | None) -> dict:
    """``{"cut_at_maxlen": "12 of 750 texts"}``: training texts longer than ``maxlen``,
    of which the model sees only ``maxlen`` tokens; empty when nothing was counted (older
    artifacts)."""
    if not cut:
        return {}
    n_cut, total = (int(v) for v in cut)
    return {"cut_at_maxlen": f"{n_cut:,} of {total:,} texts"}


# from this share of the training texts cut at maxlen, training warns
CUT_SHARE = 0.1


def cut_warning(clf) -> str | None:
    """A line when ``CUT_SHARE`` or more of a fitted classifier's training texts were cut
    at ``maxlen`` (the model never saw their end), saying what keeps more; None otherwise."""
    cut = getattr(clf.preprocessor_, "cut_", None)
    if not cut or not cut[1] or cut[0] < CUT_SHARE * cut[1]:
        return None
    inputs = clf.describe_inputs()
    maxlen, windows = inputs["maxlen"], inputs.get("windows", 1)
    read = f"{windows} windows of {maxlen}" if windows > 1 else str(maxlen)
    kept = "end" if getattr(clf.preprocessor_, "truncating", "post") == "pre" else "start"
    fixes = clf.family_.longer_text_fixes(maxlen)
    line = (
        f"{cut[0]:,} of {cut[1]:,} training texts ({cut[0] / cut[1]:.0%}) are longer than "
        f"{read} tokens and were cut: the model sees only their {kept}"
    )
    return f"{line}; {' or '.join(fixes)} keeps more" if fixes else line
