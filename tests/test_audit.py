"""``textclass audit`` (issue 34): label errors, duplicates, leakage and data health, on
tiny corpora written here."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("cleanlab", reason="the audit needs the audit extra")
pytest.importorskip("datasketch", reason="the audit needs the audit extra")

from textclass.audit import audit, clean_rows  # noqa: E402
from textclass.audit.duplicates import normalized  # noqa: E402
from textclass.audit.health import label_health, text_health  # noqa: E402
from textclass.cli import main  # noqa: E402
from textclass.data import Dataset  # noqa: E402

GOOD = "great lovely tasty friendly delicious superb fresh perfect".split()
BAD = "awful rude cold stale dirty terrible bland slow".split()
FLIPPED = (6, 23, 41)  # 0-based rows whose label is planted wrong


def reviews(n: int = 80, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        good = i % 2 == 0
        words = rng.choice(GOOD if good else BAD, size=4, replace=False).tolist()
        texts.append(f"the {words[0]} food and {words[1]} {words[2]} staff, {words[3]} place {i}")
        labels.append("pos" if good else "neg")
    for i in (i for i in FLIPPED if i < n):  # both ways: pos -> neg and neg -> pos
        labels[i] = "neg" if labels[i] == "pos" else "pos"
    return texts, labels


def dataset(texts, labels, name="reviews") -> Dataset:
    return Dataset(texts=list(texts), labels=np.asarray(labels, dtype=object), name=name)


def test_planted_label_errors_are_found_and_ranked_first():
    texts, labels = reviews()
    report = audit(dataset(texts, labels), model="logreg", folds=4)
    found = report.findings["label_errors"]
    assert {x["row"] for x in found[:3]} == {i + 1 for i in FLIPPED}
    first = found[0]
    assert first["given"] != first["suggested"] and first["given_probability"] < 0.5
    assert first["text"] == texts[first["row"] - 1]


def test_duplicates_within_and_across_parts_with_their_rows():
    texts, labels = reviews(40)
    texts[10] = texts[2]  # exact (rows 3 and 11), same label: both "pos"
    texts[12] = "<b>" + texts[4].upper() + "</b>!!"  # normalised duplicate of row 5
    texts[14] = texts[6].replace("place 6", "place 6 indeed")  # near duplicate of row 7
    texts[21] = texts[1] + " "  # normalised (trailing space) of row 2, labels differ?
    labels[21] = "pos"  # row 2 is "neg": a conflicting group
    test_texts = [texts[30], texts[31].upper(), "nothing like the training texts at all"]
    report = audit(dataset(texts, labels), dataset(test_texts, ["neg"] * 3), label_errors=False)
    dup = report.findings["duplicates"]
    assert [3, 11] in dup["exact"]
    assert [5, 13] in dup["normalized"] and [2, 22] in dup["normalized"]
    assert [7, 15] in dup["near"]
    conflicts = report.findings["conflicting_labels"]
    assert {"rows": [2, 22], "labels": ["neg", "pos"]} in conflicts
    leaks = {(x["test_row"], x["kind"]) for x in report.findings["leakage"]}
    assert leaks == {(1, "exact"), (2, "normalized")}
    assert "label_errors" not in report.findings  # the cheap checks fit no model


def test_label_and_text_health():
    health = label_health(np.asarray(["Sports", "sports ", "politcs", "politics", "tech"]))
    assert {"labels": ["Sports", "sports "], "why": "case or spacing"} in health["lookalikes"]
    assert {"labels": ["politcs", "politics"], "why": "a typo?"} in health["lookalikes"]
    texts = ["fine text here"] * 20 + ["", "ok", "cafÃ© was nice", "bad \ufffd char", "Привет мир"]
    found = text_health(texts + ["long " * 5000])
    assert found["empty"] == [20] and found["very_short"] == [21]
    assert found["mojibake"] == [22] and found["replacement_characters"] == [23]
    assert text_health(["fine text here"] * 5 + ["so good \x96 really"])["mojibake"] == [5]
    assert found["other_script"] == [24] and found["script"] == "LATIN"
    assert found["very_long"] == [25]
    assert normalized("<p>Great&nbsp;FOOD!</p>") == "great food"


def test_cli_audit_writes_json_html_and_a_clean_copy_leaving_the_input_alone(tmp_path, capsys):
    texts, labels = reviews()
    texts[60] = texts[58]  # an exact duplicate (rows 59 and 61, both "pos")
    data = tmp_path / "reviews.csv"
    data.write_text("text,label\n" + "".join(f'"{t}",{y}\n' for t, y in zip(texts, labels)))
    before = data.read_bytes()
    clean = tmp_path / "clean.jsonl"
    code = main(["audit", str(data), "--out", str(tmp_path / "audit"), "--model", "logreg",
                 "--folds", "4", "--write-clean", str(clean)])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "likely label errors: 3" in out and "exact duplicate groups: 1" in out
    assert data.read_bytes() == before  # the input is never modified
    found = json.loads((tmp_path / "audit" / "audit.json").read_text())
    assert found["counts"]["likely label errors"] == 3
    assert "<table>" in (tmp_path / "audit" / "audit.html").read_text()
    kept = [json.loads(line) for line in clean.read_text().splitlines()]
    side = (tmp_path / "clean.jsonl.removed.jsonl").read_text()
    removed = [json.loads(line) for line in side.splitlines()]
    assert len(kept) + len(removed) == 80
    assert {r["row"] for r in removed} == {i + 1 for i in FLIPPED} | {61}
    assert any("exact duplicate of row 59" in w for r in removed for w in r["why"])
    assert main(["audit", str(data), "--write-clean", str(data)]) != 0  # never the input


def test_label_sets_are_audited_too():
    texts, labels = [], []
    for i in range(60):
        tags = tuple(t for t, on in (("food", i % 2 == 0), ("staff", i % 3 == 0)) if on)
        words = (["tasty", "meal"] if "food" in tags else ["plain"]) + (
            ["kind", "waiter"] if "staff" in tags else ["nobody"]
        )
        texts.append(" ".join(words) + f" visit {i}")
        labels.append(tags)
    labels[4] = ("staff",)  # row 5: its words say food, not staff
    tuples = np.empty(len(labels), dtype=object)
    tuples[:] = labels
    report = audit(Dataset(texts=texts, labels=tuples, name="tags"), model="logreg", folds=3)
    assert 5 in [x["row"] for x in report.findings["label_errors"][:3]]
    assert report.findings["labels"]["counts"]["food"] == 29  # 30, less row 5's
    assert clean_rows(report)  # label-set rows can be left out too


def test_train_audit_prints_one_line_per_finding_kind(tmp_path, capsys):
    texts, labels = reviews(40)
    texts[39] = texts[37]
    data = tmp_path / "r.csv"
    data.write_text("text,label\n" + "".join(f'"{t}",{y}\n' for t, y in zip(texts, labels)))
    test = tmp_path / "t.csv"
    test.write_text(f'text,label\n"{texts[0]}",{labels[0]}\n"{texts[1]}",{labels[1]}\n')
    assert main(["train", str(data), "--test", str(test), "--model", "logreg", "--audit"]) == 0
    err = capsys.readouterr().err
    assert "note: audit: 1 exact duplicate groups" in err
    assert "warning: audit: 2 test rows also in training" in err


def test_rows_are_the_files_data_rows_after_dropped_empty_texts(tmp_path, capsys):
    """With --on-empty drop, row numbers stay those of the file (as the readers' errors
    count them), not positions among the rows kept."""
    rows = ["good food here", "rude staff there", "", "tasty meal again", "cold soup today"]
    rows += ["tasty meal again", "slow service always", "lovely staff here"]
    labels = ["pos", "neg", "pos", "pos", "neg", "pos", "neg", "pos"]
    data = tmp_path / "r.csv"
    data.write_text("text,label\n" + "".join(f'"{t}",{y}\n' for t, y in zip(rows, labels)))
    clean = tmp_path / "clean.jsonl"
    args = ["audit", str(data), "--on-empty", "drop", "--no-label-errors", "--out",
            str(tmp_path / "a"), "--write-clean", str(clean)]  # fmt: skip
    assert main(args) == 0
    found = json.loads((tmp_path / "a" / "audit.json").read_text())
    assert found["duplicates"]["exact"] == [[4, 6]]  # file rows 4 and 6; row 3 was empty
    assert found["dropped_rows"] == [3]
    removed = [
        json.loads(x) for x in (tmp_path / "clean.jsonl.removed.jsonl").read_text().splitlines()
    ]
    assert [(r["row"], r["text"]) for r in removed] == [(6, "tasty meal again")]


def test_near_pairs_reach_the_threshold_and_leak_across_parts():
    from textclass.audit.duplicates import across, near_groups

    base = [f"word{i}" for i in range(30)]
    near = base[:-1] + ["changed"]  # 27 of 29 shingles shared: Jaccard 0.93
    half = base[:15] + [f"other{i}" for i in range(15)]  # Jaccard 13 / 41: not near
    texts = [" ".join(base), "unrelated words in a row here", " ".join(half), " ".join(near)]
    assert near_groups(texts) == [[0, 3]]
    assert near_groups(texts, threshold=0.95) == []  # checked exactly, not estimated
    found = across(texts[:3], ["something else entirely today", texts[3]])
    assert found == [{"test": 1, "train": [0], "kind": "near"}]


def test_a_huge_lsh_bucket_is_checked_in_linear_pairs():
    from textclass.audit.duplicates import BUCKET_PAIRS, _pairs

    assert len(list(_pairs(list(range(4))))) == 6
    members = list(range(BUCKET_PAIRS + 50))
    pairs = list(_pairs(members))
    assert len(pairs) == 2 * (len(members) - 1) - 1 and all(a < b for a, b in pairs)


def test_key_groups_find_the_same_groups_in_many_partitions_and_remove_their_files():
    from textclass.audit.keygroups import KeyGroups

    rng = np.random.default_rng(0)
    keys = rng.integers(0, 2**63, size=2000, dtype=np.uint64)
    keys[1500:] = keys[:500]  # 500 keys held twice, far apart
    keys[:10] = keys[0]  # and one held ten times
    expected = None
    for partition_records in (1 << 20, 64):  # one partition, then 32 of them
        with KeyGroups(len(keys), partition_records=partition_records) as found:
            for start in range(0, len(keys), 300):  # added a chunk at a time
                found.add(keys[start : start + 300], np.arange(start, min(start + 300, 2000)))
            groups = sorted(g.tolist() for g in found.groups())
            folder = found._folder
            assert found.partitions == (1 if partition_records > 2000 else 32)
        assert not folder.exists()
        expected = expected or groups
        assert groups == expected
    assert [0, *range(1, 10), 1500] in groups and [20, 1520] in groups and len(groups) == 491


def test_a_hash_collision_never_joins_unequal_texts(monkeypatch):
    from textclass.audit import duplicates

    # every text gets the same 64-bit key: the groups must still be made of equal texts
    monkeypatch.setattr(duplicates, "text_keys", lambda texts: np.zeros(len(texts), np.uint64))
    texts = ["a b c", "x y z", "a b c", "X y z!", "p q r"]
    found = duplicates.find(texts, kinds=("exact", "normalized"))
    assert found == {"exact": [[0, 2]], "normalized": [[1, 3]]}
