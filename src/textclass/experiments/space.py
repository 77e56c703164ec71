"""The search space: ``--space`` strings parsed into lists and distributions, and the
candidates drawn from it (scikit-learn's ``ParameterGrid`` / ``ParameterSampler``)."""

from __future__ import annotations

import hashlib
import json
import re
import warnings

import numpy as np

from textclass.errors import ConfigError

_DIST = re.compile(r"^(loguniform|uniform|randint)\(\s*([^,]+)\s*,\s*([^)]+)\s*\)$")


# ------------------------------------------------------------------ the space
def parse_space(pairs: dict[str, str]) -> dict:
    """``{"filters": "32,64", "learning_rate": "loguniform(1e-4,1e-2)"}`` -> lists/distributions."""
    from scipy import stats

    space = {}
    for name, raw in pairs.items():
        raw = str(raw).strip()
        match = _DIST.match(raw)
        if match:
            kind, low, high = match.group(1), float(match.group(2)), float(match.group(3))
            if kind == "loguniform":
                space[name] = stats.loguniform(low, high)
            elif kind == "uniform":
                space[name] = stats.uniform(low, high - low)
            else:
                space[name] = stats.randint(int(low), int(high) + 1)
            space[name].spec = raw
            continue
        values = [_typed(v) for v in _split_values(raw)]
        if not values:
            raise ConfigError(f"--param {name}: no values given")
        space[name] = values
    return space


def _split_values(raw: str) -> list[str]:
    """Split on commas outside brackets: ``units=[16,16],[32]`` is two values."""
    out, depth, current = [], 0, ""
    for ch in raw:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    return [v.strip() for v in [*out, current] if v.strip()]


def _typed(value: str):
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def candidates(space: dict, *, grid: bool, n_iter: int, seed: int | None) -> list[dict]:
    from sklearn.model_selection import ParameterGrid, ParameterSampler

    if grid:
        if any(not isinstance(v, list) for v in space.values()):
            raise ConfigError("--grid needs lists of values, not distributions")
        return list(ParameterGrid(space))
    with warnings.catch_warnings():  # fewer combinations than n_iter: each once (progress shows)
        warnings.filterwarnings("ignore", "The total space of parameters", UserWarning)
        params = list(ParameterSampler(space, n_iter=n_iter, random_state=seed))
    return [{k: _plain(v) for k, v in p.items()} for p in params]


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def trial_key(params: dict) -> str:
    text = json.dumps(params, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def needs_parse(space: dict) -> bool:
    return any(isinstance(v, str) for v in space.values())
