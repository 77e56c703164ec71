import hashlib
import io
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from textclass import DataError, load_dataset, read_dataset, split_dataset
from textclass.data import registry
from textclass.data.download import fetch
from textclass.errors import DownloadError

ROWS = [("great phone", "pos"), ("awful battery", "neg"), ("works fine", "pos")]


def test_csv_with_header(tmp_path):
    path = tmp_path / "reviews.csv"
    pd.DataFrame(ROWS, columns=["review", "stars"]).to_csv(path, index=False)
    ds = read_dataset(path, text_col="review", label_col="stars")
    assert ds.texts == [r[0] for r in ROWS]
    assert ds.labels.tolist() == [r[1] for r in ROWS]


def test_tsv_without_header_keeps_stray_quotes(tmp_path):
    path = tmp_path / "s.tsv"
    path.write_text('He said "wow\t1\nnot "good" at all\t0\nfine\t1\n', encoding="utf-8")
    ds = read_dataset(path)
    assert len(ds) == 3
    assert ds.texts[0] == 'He said "wow'
    assert ds.labels.tolist() == [1, 0, 1]


def test_jsonl_parquet_and_groups(tmp_path):
    frame = pd.DataFrame(
        {"text": ["a b", "c d", "e f"], "label": ["x", "y", "x"], "src": ["s1", "s2", "s1"]}
    )
    frame.to_json(tmp_path / "d.jsonl", orient="records", lines=True)
    frame.to_parquet(tmp_path / "d.parquet")
    for name in ("d.jsonl", "d.parquet"):
        ds = read_dataset(tmp_path / name, group_col="src")
        assert ds.texts == ["a b", "c d", "e f"]
        assert ds.groups.tolist() == ["s1", "s2", "s1"]


def test_fasttext_and_folder_layouts(tmp_path):
    ft = tmp_path / "train.txt"
    ft.write_text("__label__pos great stuff\n__label__neg bad stuff\n", encoding="utf-8")
    ds = read_dataset(ft)
    assert ds.labels.tolist() == ["pos", "neg"] and ds.texts == ["great stuff", "bad stuff"]
    for label, text in (("pos", "loved it"), ("neg", "hated it")):
        (tmp_path / "tree" / label).mkdir(parents=True)
        (tmp_path / "tree" / label / "0_1.txt").write_text(text, encoding="utf-8")
    ds = read_dataset(tmp_path / "tree")
    assert sorted(zip(ds.labels.tolist(), ds.texts)) == [("neg", "hated it"), ("pos", "loved it")]


def test_each_format_is_declared_once_and_found_by_its_suffixes(tmp_path):
    """data.formats is the one table of formats: readers and batch scoring look them up."""
    from textclass.data import FORMATS
    from textclass.data.formats import detect_format, formats, get_format

    assert FORMATS == ("csv", "tsv", "jsonl", "parquet", "fasttext", "folder")
    suffixes = [s for fmt in formats() for s in fmt.suffixes]
    assert len(suffixes) == len(set(suffixes))
    for fmt in formats():
        assert get_format(fmt.name) is fmt
        assert (fmt.chunks is None) == (fmt.writer is None)  # scored: read and written back
        assert fmt.chunks is None or not fmt.labeled_only  # scored files hold texts to score
        for suffix in fmt.suffixes:
            assert detect_format(tmp_path / f"x{suffix.upper()}") == fmt.name
    assert [fmt.name for fmt in formats(chunked=True)] == ["csv", "tsv", "jsonl", "parquet"]
    assert detect_format(tmp_path) == "folder"


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"nope\.csv: no such file"):
        read_dataset(tmp_path / "nope.csv")


def test_missing_column_lists_the_columns(tmp_path):
    path = tmp_path / "r.csv"
    pd.DataFrame(ROWS, columns=["review", "stars"]).to_csv(path, index=False)
    with pytest.raises(DataError, match="no text column 'body'; columns are: review, stars"):
        read_dataset(path, text_col="body", label_col="stars")


def test_empty_file_and_header_only(tmp_path):
    (tmp_path / "e.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="empty"):
        read_dataset(tmp_path / "e.csv")
    (tmp_path / "h.csv").write_text("text,label\n", encoding="utf-8")
    with pytest.raises(DataError, match="no data rows"):
        read_dataset(tmp_path / "h.csv")


def test_empty_texts_error_or_drop_with_count(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("text,label\ngood,1\n,0\n   ,1\nbad,0\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"2 row\(s\) with empty or missing text .*data rows 2, 3"):
        read_dataset(path)
    ds = read_dataset(path, on_empty="drop")
    assert ds.texts == ["good", "bad"]
    assert ds.notes == ["dropped 2 row(s) with empty or missing text"]


def test_non_utf8_bytes_name_the_line(tmp_path):
    path = tmp_path / "latin.tsv"
    path.write_bytes("ok\t1\ncost \u00a3600\t0\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"latin\.tsv: line 2: byte 0xa3 .* not valid utf-8"):
        read_dataset(path)
    assert read_dataset(path, encoding="latin-1").texts[1] == "cost \u00a3600"


def test_uci_reads_every_row(shared_data):
    ds = load_dataset("uci-sentiment")
    assert len(ds) == 3000
    assert ds.group_name == "source"
    imdb = load_dataset("uci-sentiment:imdb")
    assert len(imdb) == 1000 and imdb.labels.sum() == 500


def test_split_matches_sklearn(shared_data):
    from sklearn.model_selection import train_test_split

    ds = load_dataset("uci-sentiment:yelp")
    train, test = split_dataset(ds, test_size=0.25, seed=1000)
    _, expected, _, _ = train_test_split(ds.texts, ds.labels, test_size=0.25, random_state=1000)
    assert test.texts == expected


def test_bbc_has_five_topics(shared_data):
    ds = load_dataset("bbc-news")
    assert ds.label_counts() == {
        "business": 510,
        "entertainment": 386,
        "politics": 417,
        "sport": 511,
        "tech": 401,
    }


def test_unknown_dataset_and_part():
    with pytest.raises(DataError, match="unknown dataset 'nope'"):
        load_dataset("nope")
    with pytest.raises(DataError, match="no part 'twitter'"):
        load_dataset("uci-sentiment:twitter")


def _fake_uci_zip(tmp_path):
    members = {
        "yelp_labelled.txt": b"Great food\t1\nBad food\t0\n",
        "amazon_cells_labelled.txt": b"Good phone\t1\nBad phone\t0\n",
        "imdb_labelled.txt": b"Good film  \t1\nBad film  \t0\n",
    }
    archive = tmp_path / "uci.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in members.items():
            zf.writestr(f"sentiment labelled sentences/{name}", data)
    files = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    return archive, files


def test_download_builds_and_verifies_cache(tmp_path, monkeypatch):
    """The download path, against a local archive: no network."""
    archive, files = _fake_uci_zip(tmp_path)
    spec = registry.get_spec("uci-sentiment")
    fake = registry.DatasetSpec(
        **{**spec.__dict__, "name": "fake-uci", "files": files, "url": archive.as_uri()}
    )
    monkeypatch.setitem(registry._REGISTRY, "fake-uci", fake)
    monkeypatch.delenv("TEXTCLASS_DATA", raising=False)  # unset where ../shared is absent
    with pytest.raises(DataError, match="not available offline"):
        load_dataset("fake-uci", download=False)
    ds = load_dataset("fake-uci")
    assert len(ds) == 6 and ds.texts[4] == "Good film"
    assert registry.status(fake)["verified"]
    ds = load_dataset("fake-uci", download=False)  # now from the cache
    assert len(ds) == 6


def test_download_rejects_a_wrong_checksum(tmp_path, monkeypatch):
    archive, files = _fake_uci_zip(tmp_path)
    spec = registry.get_spec("uci-sentiment")
    bad = registry.DatasetSpec(
        **{**spec.__dict__, "name": "bad-uci", "url": archive.as_uri(), "archive_sha256": "0" * 64}
    )
    with pytest.raises(DownloadError, match="does not match the published"):
        fetch(bad, tmp_path / "cache" / "x")
    assert not (tmp_path / "cache" / "x").exists()


def test_imdb_conversion_matches_canonical_layout(tmp_path):
    import tarfile

    spec = registry.get_spec("imdb")
    archive = tmp_path / "a.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in (
            ("aclImdb/train/pos/10_8.txt", "Good"),
            ("aclImdb/train/neg/2_1.txt", "Bad"),
            ("aclImdb/train/pos/9_9.txt", "Fine"),
            ("aclImdb/test/neg/0_2.txt", "Meh"),
        ):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    spec.build(archive, tmp_path)
    lines = (tmp_path / "train.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [
        "train/neg/2_1.txt",
        "train/pos/9_9.txt",
        "train/pos/10_8.txt",
    ]
    assert lines[0] == '{"id": "train/neg/2_1.txt", "text": "Bad", "label": 0, "rating": 1}'
    assert np.array_equal(read_dataset(tmp_path / "test.jsonl").labels, [0])


def test_a_publishers_split_is_kept_and_its_dev_rows_go_to_neither_part():
    from textclass.data import Dataset
    from textclass.data.preparation import prepare
    from textclass.data.splits import dev_part, has_publisher_split

    parts = ["train", "test", "dev", "train", "validation", "train", "test", "train"]
    texts = [f"text {i} ({part})" for i, part in enumerate(parts)]
    ds = Dataset(texts, np.array([i % 2 for i in range(8)]), split=np.array(parts), name="pub")
    assert has_publisher_split(ds)
    assert not has_publisher_split(ds.subset(np.array(parts) != "test"))  # no test part left
    assert not has_publisher_split(Dataset(texts, ds.labels, name="plain"))
    train, test = split_dataset(ds)  # no test_size: the publisher's parts
    assert train.texts == [t for t in texts if "(train)" in t] and train.name == "pub[train]"
    assert test.texts == [t for t in texts if "(test)" in t] and test.name == "pub[test]"
    dev = dev_part(ds)
    assert dev.texts == [texts[2], texts[4]] and dev.name == "pub[dev]"  # dev and validation
    assert dev_part(ds.subset(np.isin(parts, ["train", "test"]))) is None
    assert dev_part(Dataset(texts, ds.labels)) is None
    prepared = prepare(ds)
    assert prepared.dev.texts == dev.texts and prepared.test.texts == test.texts
    # a test size splits all the rows as scikit-learn does, and no dev part is kept apart
    resplit = prepare(ds, test_size=2, seed=0)
    assert len(resplit.train) == 6 and len(resplit.test) == 2 and resplit.dev is None


def test_a_publishers_split_numbers_each_row_in_its_own_file(tmp_path):
    """The test part of IMDB (and GoEmotions' dev and test) is its own file: its rows keep
    that file's numbers in a subset, so the audit's leakage rows point into test.jsonl."""
    import json

    from textclass.data.catalog import _load_imdb
    from textclass.data.splits import split_dataset

    for split, n in (("train", 2), ("test", 3)):
        lines = [json.dumps({"text": f"{split} review {i}", "label": i % 2}) for i in range(n)]
        (tmp_path / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = _load_imdb(tmp_path, None)
    train, test = split_dataset(data)
    assert train.row_numbers().tolist() == [1, 2]
    assert test.row_numbers().tolist() == [1, 2, 3] and test.texts[0] == "test review 0"
