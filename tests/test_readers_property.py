"""The readers on arbitrary input: every row comes back, or a DataError says why.

Never another exception (a pandas, csv, numpy or Unicode error would reach the
user as a traceback).
"""

import csv
import io
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textclass import DataError, read_dataset

SUFFIXES = (".csv", ".tsv", ".jsonl", ".txt", "")
LABELS = st.sampled_from(["pos", "neg", "1", "0", "a b", "-3", "x,y", 'q"'])
# any text but lone surrogates (not encodable in UTF-8, so not in a UTF-8 file)
TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
ROWS = st.lists(st.tuples(TEXTS, LABELS), min_size=1, max_size=12)

FAST = settings(
    max_examples=int(os.environ.get("TEXTCLASS_HYPOTHESIS_EXAMPLES", 150)),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@FAST
@given(data=st.binary(max_size=600), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_load_or_raise_data_error(tmp_path, data, suffix):
    path = _write(tmp_path, f"any{suffix}", data)
    try:
        dataset = read_dataset(path)
    except DataError as exc:  # arbitrary bytes may be refused, but with the file named
        assert path.name in str(exc) or str(path) in str(exc), exc
        return
    assert len(dataset) == len(dataset.labels) >= 1


def _expected_rows(rows, on_empty):
    kept = [r for r in rows if r[0].strip()]
    if on_empty == "error" and len(kept) != len(rows):
        return None  # a DataError is the right answer
    return kept or None


# valid CSV: RFC 4180 CRLF rows (a field with a CR or LF is quoted), or LF rows with
# every field quoted (Python's writer leaves a lone CR unquoted when rows end in LF,
# and an unquoted CR is a line break to CSV readers)
DIALECTS = st.sampled_from([("\r\n", csv.QUOTE_MINIMAL), ("\n", csv.QUOTE_ALL)])


@FAST
@given(rows=ROWS, on_empty=st.sampled_from(["error", "drop"]), dialect=DIALECTS)
def test_small_csv_files_keep_every_row(tmp_path, rows, on_empty, dialect):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=dialect[0], quoting=dialect[1])
    writer.writerow(["text", "label"])
    writer.writerows(rows)
    path = _write(tmp_path, "d.csv", buffer.getvalue().encode("utf-8"))
    expected = _expected_rows(rows, on_empty)
    if expected is None:  # empty texts with on_empty="error", or nothing left
        with pytest.raises(DataError):
            read_dataset(path, text_col="text", label_col="label", on_empty=on_empty)
        return
    # a valid file: a DataError here is a bug, and fails the test
    dataset = read_dataset(path, text_col="text", label_col="label", on_empty=on_empty)
    assert len(dataset) == len(expected)
    assert dataset.texts == [t for t, _ in expected]
    assert [str(label) for label in dataset.labels.tolist()] == [
        str(int(r[1])) if r[1].lstrip("-").isdigit() else r[1] for r in expected
    ]


@FAST
@given(rows=ROWS, on_empty=st.sampled_from(["error", "drop"]), ascii_only=st.booleans())
def test_small_jsonl_files_keep_every_row(tmp_path, rows, on_empty, ascii_only):
    lines = [json.dumps({"text": t, "label": lab}, ensure_ascii=ascii_only) for t, lab in rows]
    path = _write(tmp_path, "d.jsonl", ("\n".join(lines) + "\n").encode("utf-8"))
    expected = _expected_rows(rows, on_empty)
    if expected is None:
        with pytest.raises(DataError):
            read_dataset(path, on_empty=on_empty)
        return
    dataset = read_dataset(path, on_empty=on_empty)  # valid: must load
    assert len(dataset) == len(expected)
    assert dataset.texts == [t for t, _ in expected]


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_headerless_rows_of_any_width(tmp_path, suffix):
    """Ragged rows are refused by line; they never raise a pandas error."""
    sep = "," if suffix == ".csv" else "\t"
    path = _write(tmp_path, f"r{suffix}", f"a{sep}1\nb{sep}2{sep}3\nc\n".encode())
    with pytest.raises(DataError):
        read_dataset(path)
