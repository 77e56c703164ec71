"""Label and text health: what is wrong with rows before any model looks at them.

* labels: class balance (a label on under ``MINORITY`` of the largest label's rows is
  a minority); labels that differ only by case, whitespace or one typo (one edit).
* texts: empty (the rows the reader dropped), very short (under ``SHORT_CHARS`` letters
  or digits), very long (over ``LONG_TIMES`` the median length and ``LONG_CHARS``
  characters); mojibake (UTF-8 read as Latin-1 / cp1252, C1 control characters) and the
  replacement character U+FFFD; a text mostly in another script than the dataset's.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import numpy as np

MINORITY = 0.05  # a label on fewer rows than this share of the largest label's
SHORT_CHARS = 3  # letters or digits
LONG_TIMES, LONG_CHARS = 10, 1000
SCRIPT_SHARE, SCRIPT_LETTERS = 0.5, 5  # another script in over half of at least 5 letters
TYPO_LABELS = 1000  # the one-edit comparison of label names stops beyond this many labels
# UTF-8 bytes read as Latin-1/cp1252 (Ã©, â€™, Â£, ï»¿), and C1 control characters
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]|â€|ï»¿|[\u0080-\u009f]")
_ALNUM = re.compile(r"[^\W_]")
_ASCII_LETTERS = re.compile("[A-Za-z]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def class_balance(labels: list, multilabel: bool) -> dict:
    """Rows per label, largest first, the largest-to-smallest ratio, and the minorities."""
    counts = Counter(label for row in labels for label in (row if multilabel else [row]))
    ordered = dict(sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))))
    largest = max(ordered.values())
    return {
        "counts": {str(k): v for k, v in ordered.items()},
        "ratio": round(largest / min(ordered.values()), 2),
        "minority": [str(k) for k, v in ordered.items() if v < MINORITY * largest],
    }


def similar_labels(labels: list[str]) -> list[dict]:
    """Pairs of label names equal but for case and whitespace, or one edit apart
    (both at least 4 characters long: ``neg`` and ``pos`` are not a typo)."""
    names = sorted({str(label) for label in labels})
    found = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if _squeezed(a) == _squeezed(b):
                found.append({"labels": [a, b], "why": "case or whitespace"})
            elif len(names) <= TYPO_LABELS and min(len(a), len(b)) >= 4 and _one_edit(a, b):
                found.append({"labels": [a, b], "why": "one edit apart (a typo?)"})
    return found


def text_findings(texts: list[str]) -> dict[str, list[tuple[int, str]]]:
    """``{kind: [(position, detail), ...]}`` for the text checks of the module."""
    lengths = np.array([len(t) for t in texts])
    long_from = max(LONG_CHARS, LONG_TIMES * float(np.median(lengths))) if len(texts) else 0
    scripts = [_scripts(t) for t in texts]
    main = dominant_script(scripts)
    found: dict[str, list] = {k: [] for k in ("short", "long", "mojibake", "replacement", "script")}
    for i, text in enumerate(texts):
        alnum = len(_ALNUM.findall(text)) if len(text) < 4 * SHORT_CHARS else SHORT_CHARS
        if alnum < SHORT_CHARS:
            found["short"].append((i, f"{alnum} letters or digits"))
        if lengths[i] > long_from:
            found["long"].append((i, f"{lengths[i]:,} characters"))
        bad = _MOJIBAKE.findall(text)
        if bad:
            shown = ", ".join(dict.fromkeys(repr(b) for b in bad))
            found["mojibake"].append((i, f"{len(bad)} x {shown}"))
        if "\ufffd" in text:
            found["replacement"].append((i, f"{text.count(chr(0xFFFD))} x U+FFFD"))
        other = _other_script(scripts[i], main)
        if other:
            found["script"].append((i, other))
    return found


def dominant_script(scripts: list[Counter]) -> str | None:
    total = Counter()
    for counts in scripts:
        total.update(counts)
    return total.most_common(1)[0][0] if total else None


def _scripts(text: str) -> Counter:
    """Letters per script (the first word of their Unicode name: LATIN, CYRILLIC, CJK...)."""
    counts = Counter()
    latin = len(_ASCII_LETTERS.findall(text))
    if latin:
        counts["LATIN"] = latin
    for char in _NON_ASCII.findall(text):
        if char.isalpha():
            counts[unicodedata.name(char, "UNKNOWN").split(" ")[0]] += 1
    return counts


def _other_script(counts: Counter, main: str | None) -> str | None:
    letters = sum(counts.values())
    if main is None or letters < SCRIPT_LETTERS:
        return None
    if counts[main] / letters >= 1 - SCRIPT_SHARE:
        return None
    script, n = counts.most_common(1)[0]
    return f"{script} ({n} of {letters} letters; the dataset's script is {main})"


def _squeezed(label: str) -> str:
    return " ".join(label.split()).casefold()


def _one_edit(a: str, b: str) -> bool:
    """Whether one insertion, deletion, substitution or swap turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diff) == 1:
            return True
        k = diff[0]
        return len(diff) == 2 and diff[1] == k + 1 and a[k] == b[k + 1] and a[k + 1] == b[k]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    k = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[k:] == long[k + 1 :]
