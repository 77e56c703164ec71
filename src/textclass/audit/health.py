"""Label and text health: class balance, labels that differ only by case, spacing or a
typo, empty / very short / very long texts, mojibake and replacement characters, and texts
in a script other than the corpus' own."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

SHORT_CHARS = 3  # a text of fewer non-space characters is "very short"
LONG_FACTOR = 10  # ... longer than this many times the median length is "very long"
TYPO_RATIO = 0.85  # difflib similarity of two label names that look like one label
# UTF-8 read as Latin-1 / cp1252: "Ã©" for "é", "â€™" for "’", "Â " for a no-break space;
# and C1 control characters, cp1252's punctuation read as Latin-1 (U+0096 for "–", U+0085
# for "…": 1,571 of IMDB's 50,000 reviews, and the imdb_labelled.txt sentences SOURCES.md names)
_ASCII_LETTER = re.compile("[A-Za-z]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|â€|Â[\u00a0-\u00bf]|[\u0080-\u009f]")


def label_health(labels) -> dict:
    """Counts and shares per label, and pairs of label names that look like one label."""
    flat = [x for y in labels for x in (y if isinstance(y, tuple) else (y,))]
    counts = Counter(map(str, flat))
    total = len(labels)
    return {
        "counts": dict(counts.most_common()),
        "shares": {k: round(v / total, 6) for k, v in counts.most_common()},
        "lookalikes": lookalike_labels(list(counts)),
    }


def lookalike_labels(names: list[str]) -> list[dict]:
    """Pairs that differ only by case or spacing, or by a typo (similarity >= TYPO_RATIO)."""
    found = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if " ".join(a.casefold().split()) == " ".join(b.casefold().split()):
                found.append({"labels": [a, b], "why": "case or spacing"})
            elif (
                min(len(a), len(b)) >= 4
                and difflib.SequenceMatcher(None, a, b).ratio() >= TYPO_RATIO
            ):
                found.append({"labels": [a, b], "why": "a typo?"})
    return found


def text_health(texts: Sequence[str]) -> dict:
    """0-based positions of empty, very short, very long, mojibake, replacement-character
    and other-script texts, with the corpus' script and the long-text limit used. Streams:
    it holds counts (of lengths, of scripts) and what it finds, not a value per text."""
    lengths, scripts = Counter(), Counter()
    found: dict[str, list[int]] = {k: [] for k in _PER_TEXT}
    for i, text in enumerate(texts):
        lengths[len(text)] += 1
        scripts[dominant_script(text)] += 1
        for kind, check in _PER_TEXT.items():
            if check(text):
                found[kind].append(i)
    long_limit = max(LONG_FACTOR * _median(lengths), 1000)
    found["very_long"] = [i for i, text in enumerate(texts) if len(text) > long_limit]
    known = sum(n for script, n in scripts.items() if script is not None)
    scripts.pop(None, None)
    corpus_script, share = scripts.most_common(1)[0] if scripts else (None, 0)
    found["other_script"] = []
    if corpus_script is not None and share >= 0.9 * known and share < known:
        found["other_script"] = [
            i for i, text in enumerate(texts) if _other_script(text, corpus_script)
        ]
    return {**found, "script": corpus_script, "long_limit_chars": long_limit}


_PER_TEXT = {
    "empty": lambda t: not t.strip(),
    "very_short": lambda t: 0 < len("".join(t.split())) < SHORT_CHARS,
    "mojibake": lambda t: _MOJIBAKE.search(t) is not None,
    "replacement_characters": lambda t: "\ufffd" in t,
}


def _median(counts: Counter) -> int:
    """The upper median of the values counted (as ``sorted(values)[n // 2]``)."""
    middle, seen = sum(counts.values()) // 2, 0
    for value in sorted(counts):
        seen += counts[value]
        if seen > middle:
            return value
    return 0


def _other_script(text: str, corpus_script: str) -> bool:
    if text.isascii():  # LATIN or no letters: other only if the corpus is not LATIN
        return corpus_script != "LATIN" and any(c.isalpha() for c in text)
    return dominant_script(text) not in (None, corpus_script)


def dominant_script(text: str) -> str | None:
    """The script most of the text's letters (of its first 2,000 characters) belong to
    (LATIN, CYRILLIC, CJK, ...)."""
    if text.isascii():  # most texts: no need to name each character
        return "LATIN" if any(c.isalpha() for c in text) else None
    head = text[:2000]
    counts = Counter({"LATIN": len(_ASCII_LETTER.findall(head))})
    for ch in _NON_ASCII.findall(head):  # only these need their Unicode names looked up
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            counts[name.split(" ")[0] if name else "UNKNOWN"] += 1
    script, n = counts.most_common(1)[0]
    return script if n else None
