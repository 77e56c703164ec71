"""The named datasets textclass knows, with publisher URLs and sha256 of every file."""

from __future__ import annotations

import json
import re
import tarfile
import zipfile
from pathlib import Path

import numpy as np

from textclass.data.dataset import Dataset
from textclass.data.readers import read_dataset
from textclass.data.spec import DatasetSpec
from textclass.errors import DataError

# the named datasets, by name (``data.registry`` looks them up here)
DATASETS: dict[str, DatasetSpec] = {}


def _add(spec: DatasetSpec) -> None:
    DATASETS[spec.name] = spec


# ------------------------------------------------------------------ UCI
UCI_SOURCES = {  # tutorial order: yelp, amazon, imdb
    "yelp": "yelp_labelled.txt",
    "amazon": "amazon_cells_labelled.txt",
    "imdb": "imdb_labelled.txt",
}


def _build_uci(archive: Path, folder: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        for member in zf.namelist():
            name = member.rsplit("/", 1)[-1]
            if "__MACOSX" in member or name not in (*UCI_SOURCES.values(), "readme.txt"):
                continue
            (folder / name).write_bytes(zf.read(member))


def _load_uci(folder: Path, part: str | None) -> Dataset:
    parts = [part] if part else list(UCI_SOURCES)
    texts, labels, groups = [], [], []
    for source in parts:
        ds = read_dataset(
            folder / UCI_SOURCES[source], format="tsv", header=False, text_col=0, label_col=1
        )
        # every sentence ends with padding spaces before the tab in imdb_labelled.txt
        texts += [t.rstrip(" ") for t in ds.texts]
        labels.append(ds.labels)
        groups += [source] * len(ds)
    return Dataset(texts, np.concatenate(labels), np.array(groups), group_name="source")


_add(
    DatasetSpec(
        name="uci-sentiment",
        description="UCI Sentiment Labelled Sentences: 3 x 1,000 review sentences "
        "(yelp, amazon, imdb), labels 0/1, group column 'source'",
        folder="sentiment-labelled-sentences",
        files={
            "yelp_labelled.txt": "c76468b7b5c6e56a0804d728345c5f84aa2142ddb214420f61cc9cfd4c00d2ea",
            "amazon_cells_labelled.txt": "47003fc0a0d4840b00e96e715b6189bad09e7443a3da41c4cbe12ffc79f86ae3",
            "imdb_labelled.txt": "aef2e49e3da25714d61175e3a6e68eeef74a20a2f914318dc3be9947ea86512d",
        },
        url="https://archive.ics.uci.edu/static/public/331/sentiment+labelled+sentences.zip",
        archive_sha256=None,  # the publisher gives none; the extracted files are verified
        build=_build_uci,
        load=_load_uci,
        parts=tuple(UCI_SOURCES),
        license="CC BY 4.0",
        citation="Kotzias et al., From Group to Individual Labels using Deep Features, KDD 2015",
    )
)


# ----------------------------------------------------------------- IMDB
def _build_imdb(archive: Path, folder: Path) -> None:
    """aclImdb_v1.tar.gz -> train.jsonl / test.jsonl (the layout of shared/data)."""
    pattern = re.compile(r"aclImdb/(train|test)/(pos|neg)/(\d+)_(\d+)\.txt$")
    rows: dict[str, list] = {"train": [], "test": []}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            match = pattern.search(member.name)
            if not match or not member.isfile():
                continue
            split, polarity, ident, rating = match.groups()
            text = tar.extractfile(member).read().decode("utf-8")
            key = (polarity == "pos", int(ident))
            record = {
                "id": f"{split}/{polarity}/{ident}_{rating}.txt",
                "text": text,
                "label": int(polarity == "pos"),
                "rating": int(rating),
            }
            rows[split].append((key, record))
    for split, records in rows.items():
        with open(folder / f"{split}.jsonl", "w", encoding="utf-8", newline="\n") as fh:
            for _, record in sorted(records, key=lambda kr: kr[0]):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _load_imdb(folder: Path, part: str | None) -> Dataset:
    splits = [part] if part else ["train", "test"]
    sets = [read_dataset(folder / f"{s}.jsonl", text_col="text", label_col="label") for s in splits]
    split = np.concatenate([[s] * len(d) for s, d in zip(splits, sets)])
    return Dataset(
        texts=[t for d in sets for t in d.texts],
        labels=np.concatenate([d.labels for d in sets]),
        split=split,
        rows=np.concatenate([d.row_numbers() for d in sets]),  # each row's number in its file
    )


_add(
    DatasetSpec(
        name="imdb",
        description="Large Movie Review Dataset v1.0: 25,000 train + 25,000 test reviews, "
        "labels 0/1, official split",
        folder="imdb-large-movie-review",
        files={
            "train.jsonl": "bfd1e00e3a82b1253cc1e6573a4d41e633db1e00d186f9369c4e945171bfeb25",
            "test.jsonl": "a393cead0eceb4a6cad130a3ea754b21169ec21b2ce89a78c4edcd7d0b0c9e99",
        },
        url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
        archive_sha256="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
        build=_build_imdb,
        load=_load_imdb,
        parts=("train", "test"),
        license="research use; cite Maas et al., ACL 2011",
        citation="Maas et al., Learning Word Vectors for Sentiment Analysis, ACL 2011",
    )
)


# ------------------------------------------------------------------ BBC
def _build_bbc(archive: Path, folder: Path) -> None:
    """bbc-fulltext.zip -> bbc.jsonl; files that are not UTF-8 are read as Latin-1."""
    pattern = re.compile(r"bbc/(business|entertainment|politics|sport|tech)/(\d+\.txt)$")
    records = []
    with zipfile.ZipFile(archive) as zf:
        for member in zf.namelist():
            match = pattern.search(member)
            if not match:
                continue
            raw = zf.read(member)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")  # sport/199.txt: one 0xA3 pound sign
            category, name = match.groups()
            records.append({"id": f"{category}/{name}", "category": category, "text": text})
    records.sort(key=lambda r: r["id"])
    with open(folder / "bbc.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _load_bbc(folder: Path, part: str | None) -> Dataset:
    return read_dataset(folder / "bbc.jsonl", text_col="text", label_col="category")


_add(
    DatasetSpec(
        name="bbc-news",
        description="BBC News: 2,225 articles in 5 topics (business, entertainment, "
        "politics, sport, tech)",
        folder="bbc-news",
        files={"bbc.jsonl": "1b38d79efcebf6ec60ce61e2fd01ebe65b21014e88c4d224b1792e464ba5086b"},
        url="http://mlg.ucd.ie/files/datasets/bbc-fulltext.zip",
        archive_sha256=None,
        build=_build_bbc,
        load=_load_bbc,
        license="research use; content (c) BBC",
        citation="Greene & Cunningham, ICML 2006",
    )
)


# ------------------------------------------------------------ GoEmotions
GOEMOTIONS_PARTS = ("train", "dev", "test")
_GOEMOTIONS_FILES = ("train.tsv", "dev.tsv", "test.tsv", "emotions.txt")
_GOEMOTIONS_RAW = (
    "https://raw.githubusercontent.com/google-research/google-research/master/goemotions/data/"
)


def _load_goemotions(folder: Path, part: str | None) -> Dataset:
    """The three published TSV files: ``text<TAB>ids<TAB>comment id``, ids like ``0,15``.

    They are what ``csv.writer(delimiter="\\t")`` writes (texts holding ``"`` are quoted,
    inner quotes doubled), so pandas' default quoting reads them exactly; label ids
    index the lines of ``emotions.txt``.
    """
    import pandas as pd

    from textclass.data.multilabel import normalize_sets

    names = (folder / "emotions.txt").read_text(encoding="utf-8").split("\n")
    names = [n.strip() for n in names if n.strip()]
    texts, sets, split, rows = [], [], [], []
    for name in [part] if part else GOEMOTIONS_PARTS:
        frame = pd.read_csv(
            folder / f"{name}.tsv",
            sep="\t",
            header=None,
            names=["text", "labels", "id"],
            dtype=str,
            keep_default_na=False,
            na_values=[],
        )
        for row, ids in enumerate(frame["labels"].tolist()):
            try:
                sets.append(tuple(names[int(i)] for i in ids.split(",")))
            except (ValueError, IndexError):
                raise DataError(
                    f"{folder / f'{name}.tsv'}: data row {row + 1}: label ids {ids!r} are not "
                    f"numbers below {len(names)} (the lines of emotions.txt)"
                ) from None
        texts += frame["text"].tolist()
        split += [name] * len(frame)
        rows.append(np.arange(1, len(frame) + 1))  # each row's number in its own file
    rows = np.concatenate(rows)
    return Dataset(texts, normalize_sets(sets), split=np.array(split), rows=rows)


_add(
    DatasetSpec(
        name="goemotions",
        description="GoEmotions (simplified): 54,263 Reddit comments, 28 emotions incl. neutral, "
        "multi-label, the published train / dev / test split (43,410 / 5,426 / 5,427)",
        folder="goemotions",
        files={
            "train.tsv": "1c254a142be5c00e80d819b9ae1bbd36d94b2eeb8f4b1271846508d57e57d9c5",
            "dev.tsv": "575489c079c9de1097062a01738f998590d6b7ead66dd1c9fd1d2ba01fd8bc62",
            "test.tsv": "0587b2dd8b27b97352adbfc3fb083d46005c8946657fdc2b1ca8b1cc7f1f8be4",
            "emotions.txt": "45c3ef86782d2a4d7fedcd6d8c111aa0d0e94720689bd164fac94fefb4495a89",
        },
        url=_GOEMOTIONS_RAW,
        archive_sha256=None,  # four plain files, each verified (no archive)
        build=None,
        load=_load_goemotions,
        parts=GOEMOTIONS_PARTS,
        license="CC BY 4.0 (google-research datasets); texts are Reddit comments",
        citation="Demszky et al., GoEmotions: A Dataset of Fine-Grained Emotions, ACL 2020",
        extra={"file_urls": {f: _GOEMOTIONS_RAW + f for f in (*_GOEMOTIONS_FILES,)}},
    )
)
