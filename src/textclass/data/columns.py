"""Which columns of a table hold the text, the label and the group.

A column the user names is taken as named. Otherwise a column whose header is a
usual name (``text``, ``review``, ... / ``label``, ``category``, ...) is taken;
failing that the columns are chosen by what they hold: the text column is the
one with the longest strings, the label column the one with the fewest distinct
values among the rest. A label column that holds mostly distinct values looks
like text (or ids) and is refused before anything trains. Columns of a file
without a header are numbered from 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from textclass.checks import is_int
from textclass.errors import DataError, did_you_mean

TEXT_NAMES = ("text", "sentence", "review", "document", "content", "body")
LABEL_NAMES = ("label", "labels", "category", "class", "target", "sentiment", "y")
# A label column with more distinct values than this share of the rows, and more
# than LABEL_DISTINCT_FLOOR of them, looks like text or ids: most "classes" would
# have a single example.
LABEL_DISTINCT_SHARE = 0.5
LABEL_DISTINCT_FLOOR = 20
# a cell of digits (a CSV label like 0/1, an id): an integer, never text
INTEGER = re.compile(r"[ \t]*-?[0-9]{1,18}[ \t]*")


@dataclass(frozen=True)
class Columns:
    text: object
    label: object
    group: object | None = None
    note: str | None = None  # one line saying what was chosen by content


def named_column(frame: pd.DataFrame, wanted, path, role: str):
    """The column the user named (a header name, or a number for headerless files)."""
    columns = list(frame.columns)
    if wanted in columns:
        return wanted
    if isinstance(wanted, str) and wanted.isdigit() and int(wanted) in columns:
        return int(wanted)
    raise DataError(
        f"{path}: no {role} column {wanted!r}{did_you_mean(wanted, columns)}; "
        f"columns are: {', '.join(map(str, columns))}"
    )


def choose_columns(frame: pd.DataFrame, path, *, text_col=None, label_col=None, group_col=None):
    """The text, label and group columns of a labeled table (see the module docstring)."""
    group = None if group_col is None else named_column(frame, group_col, path, "group")
    text = None if text_col is None else named_column(frame, text_col, path, "text")
    label = None if label_col is None else named_column(frame, label_col, path, "label")
    free = [c for c in frame.columns if c not in (group, text, label)]
    if text is None:
        text = _by_name(free, TEXT_NAMES)
    if label is None:
        label = _by_name([c for c in free if c != text], LABEL_NAMES)
    chosen = []
    if text is None:
        text = _longest_strings(frame, [c for c in free if c != label])
        chosen.append(("text", text))
    if label is None:
        label = _fewest_values(frame, [c for c in free if c != text])
        chosen.append(("label", label))
    if text is not None and text == label:
        raise DataError(f"{path}: the text and the label column are both {_name(text)}")
    if text is None or label is None:
        raise DataError(
            f"{path}: {_one_column(frame, group)}: a labeled dataset needs a text column and a "
            "label column (to classify unlabeled texts, use `predict --input`)"
        )
    if label_col is None:
        _refuse_text_like_labels(frame, label, path, by_content=bool(chosen))
    note = None
    if chosen:
        unused = [c for c in frame.columns if c not in (text, label, group)]
        note = "columns chosen by content: " + ", ".join(
            f"{role} = {_describe(frame, col, role)}" for role, col in chosen
        )
        if unused:
            note += f"; unused: {', '.join(_name(c) for c in unused)}"
    return Columns(text, label, group, note)


def text_only_column(frame: pd.DataFrame, path, text_col=None):
    """The text column of a table of unlabeled texts (e.g. texts to score)."""
    if text_col is not None:
        return named_column(frame, text_col, path, "text")
    columns = list(frame.columns)
    found = _by_name(columns, TEXT_NAMES)
    if found is None:
        found = _longest_strings(frame, columns)
    if found is None:
        raise DataError(f"{path}: the file has no columns")
    return found


# ------------------------------------------------------------------ helpers
def _by_name(columns, names):
    lowered = {str(c).lower(): c for c in columns}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def _string_length(value) -> int:
    return len(value) if isinstance(value, str) and not INTEGER.fullmatch(value) else 0


def _longest_strings(frame: pd.DataFrame, columns):
    """The column of longest strings (numbers never count as text); ties: the first."""
    best, best_length = None, -1.0
    for col in columns:
        values = frame[col]
        length = float(values.map(_string_length).mean()) if len(values) else 0.0
        if length > best_length:
            best, best_length = col, length
    return best


def distinct_values(values: pd.Series) -> int:
    try:
        return int(values.nunique(dropna=False))
    except TypeError:  # lists or dicts in JSONL cells
        return int(values.map(repr).nunique(dropna=False))


def _fewest_values(frame: pd.DataFrame, columns):
    """The column with the fewest distinct values; ties: the last (labels often end a row)."""
    best, best_count = None, None
    for col in columns:
        count = distinct_values(frame[col])
        if best_count is None or count <= best_count:
            best, best_count = col, count
    return best


def looks_like_text(distinct: int, rows: int) -> bool:
    return distinct > LABEL_DISTINCT_FLOOR and distinct > LABEL_DISTINCT_SHARE * rows


def _refuse_text_like_labels(frame: pd.DataFrame, label, path, *, by_content: bool) -> None:
    distinct, rows = distinct_values(frame[label]), len(frame)
    if not looks_like_text(distinct, rows):
        return
    what = f"{_name(label)} has {distinct:,} distinct values in {rows:,} rows: it looks like text"
    if by_content:
        raise DataError(
            f"{path}: no column looks like labels: {what}; "
            "name the label column with label_col (CLI: --label-col)"
        )
    raise DataError(
        f"{path}: {what}, not labels; name the label column with label_col "
        f"(CLI: --label-col) to use it anyway"
    )


def _one_column(frame: pd.DataFrame, group) -> str:
    columns = [c for c in frame.columns if c != group]
    if len(columns) == 1:
        return f"one column only ({_name(columns[0])}), so no label column"
    return f"cannot tell the text column from the label column ({len(columns)} columns)"


def _name(col) -> str:
    return f"column {col}" if is_int(col) else f"column {col!r}"


def _describe(frame: pd.DataFrame, col, role: str) -> str:
    if role == "text":
        length = frame[col].map(_string_length).mean() if len(frame) else 0
        return f"{_name(col)} (mean {length:,.0f} characters)"
    return f"{_name(col)} ({distinct_values(frame[col]):,} distinct values)"
