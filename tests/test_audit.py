"""``textclass audit`` (issue 34): planted label errors ranked first, duplicates at every
level within and across parts with the right row numbers, conflicting-label groups,
``--write-clean`` leaving the input byte-identical, multi-label data, data health."""

from __future__ import annotations

import hashlib
import json
import random

import numpy as np
import pytest

from textclass.audit import AuditSettings, audit, removals, summary, to_json
from textclass.audit.duplicates import normalise
from textclass.audit.health import similar_labels, text_findings
from textclass.cli import ExitCode, main
from textclass.data import Dataset, read_dataset

GOOD = "great wonderful excellent superb lovely delightful brilliant charming".split()
BAD = "awful terrible boring dreadful horrible dull poor miserable".split()
NOUNS = "film plot cast music ending script acting story scenery dialogue".split()


def _reviews(n: int, seed: int = 0) -> tuple[list[str], list[int]]:
    """``n`` short reviews, half positive (label 1), half negative (label 0), alternating."""
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(n):
        words = GOOD if i % 2 else BAD
        picked = rng.sample(words, 3) + rng.sample(NOUNS, 2)
        texts.append(f"the {picked[3]} was {picked[0]} and {picked[1]}, a {picked[2]} {picked[4]}")
        labels.append(i % 2)
    return texts, labels


def test_planted_label_errors_are_found_and_ranked_first():
    texts, labels = _reviews(200)
    planted = [3, 20, 41, 90]  # flipped
    for i in planted:
        labels[i] = 1 - labels[i]
    found = audit(Dataset(texts, np.array(labels), name="reviews.csv"))
    ranked = [issue["index"] for issue in found.label_issues]
    assert set(ranked[:4]) == set(planted), found.label_issues[:6]
    top = to_json(found)["label_issues"][0]
    assert top["row"] - 1 in planted and top["suggested"] == 1 - top["given"]
    assert 0.5 < top["confidence"] <= 1


def _write(path, rows: list[tuple[str, str]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("text,label\n")
        for text, label in rows:
            fh.write(f'"{text}",{label}\n')


LONG = (
    "this is a long sentence about a film that goes on and on about the plot the music the "
    "actors and the ending so that a near duplicate differs in only one word at the end"
)


@pytest.fixture
def parts(tmp_path):
    """A training CSV and a test CSV with duplicates at every level; row 2 is empty."""
    train_rows = [
        ("The cast was superb.", "pos"),  # 1
        ("", "neg"),  # 2: empty, dropped on reading
        ("Hello, World!", "pos"),  # 3
        ("The cast was superb.", "neg"),  # 4: exact copy of 1, other label
        ("hello   world", "pos"),  # 5: normalised copy of 3
        (LONG + " today", "pos"),  # 6
        (LONG + " again", "pos"),  # 7: near copy of 6
        ("Something else entirely here.", "neg"),  # 8
        ("A leak into the test data, word for word.", "neg"),  # 9
    ]
    test_rows = [("Nothing in common with training.", "pos"), ("A leak into the test data, word for word.", "neg")]  # fmt: skip
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    _write(train, train_rows)
    _write(test, test_rows)
    return train, test


def _audited(train, test):
    data = read_dataset(train, on_empty="drop")
    return audit(data, read_dataset(test), AuditSettings(labels=False))


def _groups(found: dict, kind: str) -> list[list[tuple[str, int]]]:
    return [
        sorted((r["part"].rsplit("/", 1)[-1], r["row"]) for r in g["rows"])
        for g in found["duplicates"]
        if g["kind"] == kind
    ]


def test_duplicates_at_every_level_with_the_file_rows(parts):
    train, test = parts
    found = to_json(_audited(train, test))
    assert _groups(found, "exact") == [
        [("train.csv", 1), ("train.csv", 4)],
        [("test.csv", 2), ("train.csv", 9)],
    ]
    assert _groups(found, "normalised") == [[("train.csv", 3), ("train.csv", 5)]]
    assert _groups(found, "near") == [[("train.csv", 6), ("train.csv", 7)]]
    near = next(g for g in found["duplicates"] if g["kind"] == "near")
    assert 0.8 <= near["similarity"] < 1
    counts = found["duplicate_counts"]
    assert counts["within"][str(train)] == {"exact": 1, "normalised": 2, "near": 3}
    assert counts["across"][f"{train} | {test}"] == {"exact": 1, "normalised": 1, "near": 1}
    assert found["leakage"]["exact"] == [{"part": str(test), "row": 2}]
    assert found["texts"]["empty"] == [{"part": str(train), "row": 2}]


def test_conflicting_label_groups_and_leaks_are_marked(parts):
    found = to_json(_audited(*parts))
    clash = [g for g in found["duplicates"] if g["conflicting_labels"]]
    assert [[r["row"] for r in g["rows"]] for g in clash] == [[1, 4]]
    assert [r["label"] for r in clash[0]["rows"]] == ["pos", "neg"]
    leak = [g for g in found["duplicates"] if g["leak"]]
    assert len(leak) == 1 and leak[0]["across_parts"]
    assert found["summary"]["conflicting_labels"] == 1 and found["summary"]["leakage"] == 1


def test_removals_keep_first_copies_and_drop_conflicts_and_leaks(parts):
    result = _audited(*parts)
    gone = {result.corpus.where(i)["row"]: why for i, why in removals(result).items()}
    assert sorted(gone) == [1, 4, 5, 7, 9]
    assert gone[5] == ["duplicate of " + str(parts[0]) + " row 3"]
    assert gone[9] == ["also in the test data (leakage)"]
    assert "conflicting labels" in gone[1][0]


def test_write_clean_leaves_the_input_byte_identical(parts, tmp_path, capsys):
    train, test = parts
    before = hashlib.sha256(train.read_bytes()).hexdigest()
    clean, out = tmp_path / "clean.csv", tmp_path / "audit"
    args = ["audit", str(train), "--test", str(test), "--no-labels", "--out", str(out)]
    assert main([*args, "--write-clean", str(clean)]) == ExitCode.OK
    assert hashlib.sha256(train.read_bytes()).hexdigest() == before
    kept = read_dataset(clean)
    assert kept.texts == ["Hello, World!", LONG + " today", "Something else entirely here."]
    side = (tmp_path / "clean.csv.removed.jsonl").read_text(encoding="utf-8").splitlines()
    side = [json.loads(line) for line in side]
    assert [entry["row"] for entry in side] == [1, 4, 5, 7, 9]
    saved = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert saved["summary"]["exact_duplicates"] == 2
    assert "<table>" in (out / "audit.html").read_text(encoding="utf-8")
    printed = capsys.readouterr().out
    assert "exact duplicate groups: 2 (4 rows)" in printed and "removed" in printed
    assert main([*args, "--write-clean", str(train)]) == ExitCode.USAGE  # never the input
    assert hashlib.sha256(train.read_bytes()).hexdigest() == before


def test_multilabel_input_works(tmp_path):
    rng = random.Random(1)
    sport = "goal match team score league coach".split()
    money = "bank market price shares profit trade".split()
    rows = []
    for i in range(60):
        topic, labels = [(sport, ["sport"]), (money, ["business"])][i % 2]
        if i % 5 == 0:
            topic, labels = sport + money, ["business", "sport"]
        rows.append({"text": " ".join(rng.sample(topic, 4)), "labels": labels})
    rows[7]["labels"] = ["sport"]  # a business text labelled sport
    path = tmp_path / "tags.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = audit(read_dataset(path, label_col="labels"))
    found = to_json(result)
    assert found["multilabel"] and found["labels"]["balance"]["counts"]["sport"] > 0
    flagged = {issue["row"]: issue for issue in found["label_issues"]}
    assert 8 in flagged, found["label_issues"][:5]
    assert flagged[8]["given"] == ["sport"] and flagged[8]["suggested"] == ["business"]


def test_label_and_text_health():
    pairs = similar_labels(["Positive", "positive ", "negative", "negativ", "pos", "neg"])
    assert [p["labels"] for p in pairs] == [["Positive", "positive "], ["negativ", "negative"]]
    texts = ["ok", "CafÃ© was fine", "broken \ufffd here", "Это совсем другой язык", "fine text"]
    found = text_findings(texts * 2 + ["plain english words here"] * 6)
    assert [i for i, _ in found["short"]] == [0, 5]
    assert [i for i, _ in found["mojibake"]] == [1, 6]
    assert [i for i, _ in found["replacement"]] == [2, 7]
    assert [i for i, _ in found["script"]] == [3, 8] and "CYRILLIC" in found["script"][0][1]
    assert normalise("<br />Hello,&amp;  WORLD!") == "hello world"


def test_summary_has_a_line_per_kind(parts):
    lines = {kind: line for kind, _, line in summary(_audited(*parts))}
    assert "label_issues" not in lines  # not run
    assert lines["leakage"].startswith("leakage: 1 test rows")


def test_bad_options_and_input_fail_clearly(tmp_path, capsys):
    path = tmp_path / "x.csv"
    _write(path, [("a text", "a"), ("another", "b")])
    assert main(["audit", str(path), "--model", "nosuch"]) == ExitCode.USAGE
    assert main(["audit", str(tmp_path / "missing.csv")]) == ExitCode.DATA
    assert "missing.csv" in capsys.readouterr().err
    assert main(["audit", str(path), "--folds", "1"]) == ExitCode.USAGE


def test_shared_uci_duplicates_match_sources_md(shared_data):
    """SOURCES.md: 4, 10 and 3 duplicate sentences in yelp, amazon and imdb."""
    from textclass.data import load

    data = load("uci-sentiment")
    found = to_json(audit(data, settings=AuditSettings(labels=False)))
    within = found["duplicate_counts"]["within"]
    assert [within[f"uci-sentiment[{s}]"]["exact"] for s in ("yelp", "amazon", "imdb")] == [4, 10, 3]  # fmt: skip
    assert len(found["texts"]["mojibake"]) > 0  # imdb_labelled.txt's U+0085 / U+0096
    # a subset keeps each row's number in its own file
    part = to_json(audit(data.subset(data.groups != "yelp"), settings=AuditSettings(labels=False)))
    works = [g for g in part["duplicates"] if g["kind"] == "exact" and g["text"] == "Works great!."]
    assert [(r["part"], r["row"]) for r in works[0]["rows"]] == [("uci-sentiment[amazon]", 19), ("uci-sentiment[amazon]", 525)]  # fmt: skip


def test_train_audit_prints_a_line_per_finding_kind_and_warns_of_leakage(tmp_path, capsys):
    texts, labels = _reviews(40)
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    _write(train, list(zip(texts, labels)))
    _write(test, list(zip(texts[:5] + ["an unseen text about the film"], labels[:5] + [1])))
    assert main(["train", str(train), "--test", str(test), "--audit"]) == ExitCode.OK
    err = capsys.readouterr().err
    assert "warning: audit: leakage: 5 test rows also in training (exact)" in err
    assert "note: audit: done" in err


def test_one_label_skips_the_label_audit_and_keeps_the_rest():
    texts = ["same text here", "same text here", "another one entirely"]
    result = audit(Dataset(texts, np.array(["a", "a", "a"]), name="one.csv"))
    assert result.label_issues == [] and "label audit skipped" in result.label_notes[0]
    assert to_json(result)["summary"]["exact_duplicates"] == 1


def test_a_huge_lsh_bucket_is_checked_in_linear_pairs():
    from textclass.audit.duplicates import BUCKET_PAIRS, _pairs

    small = list(_pairs(list(range(4))))
    assert len(small) == 6
    members = list(range(BUCKET_PAIRS + 50))
    pairs = list(_pairs(members))
    assert len(pairs) == 2 * (len(members) - 1) - 1 and all(a < b for a, b in pairs)
