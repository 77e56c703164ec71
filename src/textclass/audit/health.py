"""Label and text health: class balance, labels that differ only by case, spacing or a
typo, empty / very short / very long texts, mojibake and replacement characters, and texts
in a script other than the corpus' own."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter

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


def text_health(texts: list[str]) -> dict:
    """0-based positions of empty, very short, very long, mojibake, replacement-character
    and other-script texts, with the corpus' script and the long-text limit used."""
    lengths = [len(t) for t in texts]
    median = sorted(lengths)[len(lengths) // 2] if lengths else 0
    long_limit = max(LONG_FACTOR * median, 1000)
    scripts = [dominant_script(t) for t in texts]
    known = [s for s in scripts if s is not None]
    corpus_script, share = Counter(known).most_common(1)[0] if known else (None, 0)
    other = []
    if corpus_script is not None and share >= 0.9 * len(known):
        other = [i for i, s in enumerate(scripts) if s not in (None, corpus_script)]
    return {
        "empty": [i for i, t in enumerate(texts) if not t.strip()],
        "very_short": [i for i, t in enumerate(texts) if 0 < len("".join(t.split())) < SHORT_CHARS],
        "very_long": [i for i, n in enumerate(lengths) if n > long_limit],
        "mojibake": [i for i, t in enumerate(texts) if _MOJIBAKE.search(t)],
        "replacement_characters": [i for i, t in enumerate(texts) if "\ufffd" in t],
        "other_script": other,
        "script": corpus_script,
        "long_limit_chars": long_limit,
    }


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
