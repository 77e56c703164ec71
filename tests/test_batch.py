"""Batch scoring (score_files, predict --input ... --output): streamed, checked, resumable."""

import json

import numpy as np
import pandas as pd
import pytest

from textclass import TextClassifier
from textclass.batch import score_files
from textclass.cli import ExitCode, main
from textclass.errors import DataError
from textclass.inference import Predictor

WORDS = ["good", "great", "fine", "bad", "awful", "poor"]
TEXTS = [f"{WORDS[i % 6]} item{i} thing" for i in range(36)]
LABELS = ["pos" if i % 6 < 3 else "neg" for i in range(36)]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("batch") / "run"
    TextClassifier(model="logreg").fit(TEXTS, LABELS).save(path)
    return path


def write_inputs(folder, n=23):
    """A Parquet, a CSV and a JSONL file of ``n`` rows each, with columns of their own."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [f"{WORDS[i % 6]} new{i}" for i in range(n)]
    pd.DataFrame({"id": range(n), "text": texts}).to_parquet(folder / "a.parquet")
    # "NA" and 007 must come back as written: every cell is read as text
    pd.DataFrame({"review": texts, "code": ["007"] * n, "note": ["NA"] * n}).to_csv(
        folder / "b.csv", index=False
    )
    with open(folder / "c.jsonl", "w", encoding="utf-8") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": i, "body": t, "tags": ["x", i]}) + "\n")
    return texts


def test_three_files_score_in_chunks_keep_their_columns_and_resume(run_dir, tmp_path):
    texts = write_inputs(tmp_path / "in")
    out = tmp_path / "out"
    seen = []
    results = score_files(
        run_dir, [tmp_path / "in"], out, chunk_rows=5, on_progress=lambda p: seen.append(p.rows)
    )
    assert [r["rows"] for r in results] == [23, 23, 23] and not any(r["skipped"] for r in results)
    assert seen[-1] == 69 and len(set(seen)) > 3  # chunk by chunk
    expected = Predictor.load(run_dir).predict(texts).tolist()
    parquet = pd.read_parquet(out / "a.parquet")
    assert list(parquet.columns) == ["id", "text", "predicted", "probability"]
    assert parquet["predicted"].tolist() == expected and parquet["id"].tolist() == list(range(23))
    csv = pd.read_csv(out / "b.csv", dtype=str, keep_default_na=False)
    assert list(csv.columns) == ["review", "code", "note", "predicted", "probability"]
    assert csv["predicted"].tolist() == expected
    assert set(csv["code"]) == {"007"} and set(csv["note"]) == {"NA"}
    records = [json.loads(line) for line in (out / "c.jsonl").read_text().splitlines()]
    assert [r["predicted"] for r in records] == expected and records[3]["tags"] == ["x", 3]
    assert all(0.5 <= r["probability"] <= 1 for r in records)
    assert sorted(p.name for p in out.iterdir()) == ["a.parquet", "b.csv", "c.jsonl"]  # no temp

    before = (out / "a.parquet").stat().st_mtime_ns
    (out / "b.csv").unlink()  # a run killed before this output was renamed into place
    again = score_files(run_dir, [str(tmp_path / "in" / "*")], out, chunk_rows=5)
    assert [r["skipped"] for r in again] == [True, False, True]
    assert (out / "a.parquet").stat().st_mtime_ns == before
    assert pd.read_csv(out / "b.csv", dtype=str)["predicted"].tolist() == expected


def test_an_empty_text_is_refused_naming_file_and_row(run_dir, tmp_path):
    frame = pd.DataFrame({"text": [f"good {i}" for i in range(12)]})
    frame.loc[8, "text"] = "   "
    frame.to_csv(tmp_path / "gaps.csv", index=False)
    with pytest.raises(DataError, match=r"gaps\.csv: 1 row\(s\) with empty text \(data rows 9\)"):
        score_files(run_dir, [tmp_path / "gaps.csv"], tmp_path / "out", chunk_rows=5)
    assert list((tmp_path / "out").iterdir()) == []  # the partial output is gone

    pd.DataFrame({"text": ["fine", None]}).to_parquet(tmp_path / "none.parquet")
    with pytest.raises(DataError, match=r"none\.parquet: .*data rows 2"):
        score_files(run_dir, [tmp_path / "none.parquet"], tmp_path / "out")


def test_bad_inputs_fail_before_scoring(run_dir, tmp_path):
    with pytest.raises(DataError, match="matches no file"):
        score_files(run_dir, [str(tmp_path / "*.parquet")], tmp_path / "out")
    pd.DataFrame({"text": ["good"], "predicted": ["x"]}).to_parquet(tmp_path / "p.parquet")
    with pytest.raises(DataError, match="already has column.*predicted"):
        score_files(run_dir, [tmp_path / "p.parquet"], tmp_path / "out")
    with pytest.raises(DataError, match="overwrite the input"):
        score_files(run_dir, [tmp_path / "p.parquet"], tmp_path)


def test_cli_scores_a_glob_into_a_folder_and_keeps_stdout_mode(run_dir, tmp_path, capsys):
    write_inputs(tmp_path / "in", n=4)
    out = tmp_path / "out"
    args = [
        "predict",
        str(run_dir),
        "--input",
        str(tmp_path / "in" / "*.csv"),
        "--output",
        str(out),
    ]
    assert main(args) == ExitCode.OK
    assert "wrote" in capsys.readouterr().out and (out / "b.csv").exists()
    assert main(args) == ExitCode.OK
    assert "skipped 1 finished output" in capsys.readouterr().out
    assert main([*args, "--format", "csv"]) == ExitCode.USAGE
    stdout = ["predict", str(run_dir), "--input", str(tmp_path / "in" / "b.csv"), "--format", "csv"]
    assert main(stdout) == ExitCode.OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "review,code,note,predicted,probability" and len(lines) == 5


def test_scoring_on_an_in_process_cluster_writes_the_same_files(run_dir, tmp_path):
    distributed = pytest.importorskip("distributed")
    write_inputs(tmp_path / "in")
    score_files(run_dir, [tmp_path / "in"], tmp_path / "local", chunk_rows=7)
    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0"
    ) as client:
        results = score_files(
            run_dir, [tmp_path / "in"], tmp_path / "dask", chunk_rows=7, cluster=client
        )
    assert [r["rows"] for r in results] == [23, 23, 23] and all("worker" in r for r in results)
    for name in ("b.csv", "c.jsonl"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    np.testing.assert_array_equal(
        pd.read_parquet(tmp_path / "dask" / "a.parquet"),
        pd.read_parquet(tmp_path / "local" / "a.parquet"),
    )


def test_a_large_parquet_file_is_split_across_workers_and_joined_in_order(run_dir, tmp_path):
    distributed = pytest.importorskip("distributed")
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [f"{WORDS[i % 6]} row{i}" for i in range(50)]
    texts[33] = ""
    table = pa.table({"id": list(range(50)), "text": texts})
    pq.write_table(table, tmp_path / "big.parquet", row_group_size=8)  # 7 row groups
    with distributed.Client(
        processes=False, n_workers=2, threads_per_worker=1, dashboard_address=":0"
    ) as client:
        with pytest.raises(DataError, match=r"big\.parquet: .*data rows 34\)"):
            score_files(
                run_dir, [tmp_path / "big.parquet"], tmp_path / "out", cluster=client, part_rows=16
            )
        texts[33] = "fine again"
        pq.write_table(
            pa.table({"id": list(range(50)), "text": texts}),
            tmp_path / "big.parquet",
            row_group_size=8,
        )
        for part in (tmp_path / "out").iterdir():
            part.unlink()  # parts scored from the file before it was fixed
        results = score_files(
            run_dir, [tmp_path / "big.parquet"], tmp_path / "out", cluster=client, part_rows=16
        )
    assert results[0]["rows"] == 50 and [p.name for p in (tmp_path / "out").iterdir()] == [
        "big.parquet"
    ]
    scored = pd.read_parquet(tmp_path / "out" / "big.parquet")
    assert scored["id"].tolist() == list(range(50))
    assert scored["predicted"].tolist() == Predictor.load(run_dir).predict(texts).tolist()


def test_a_headerless_tsv_keeps_its_lines_verbatim(run_dir, tmp_path):
    lines = ['a "quoted" good word\t1', 'bad \\ backslash, "stray\t0', "fine 'single'\t1"]
    (tmp_path / "in.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    score_files(run_dir, [tmp_path / "in.tsv"], tmp_path / "out")
    out = (tmp_path / "out" / "in.tsv").read_text(encoding="utf-8").splitlines()
    assert out[0] == "0\t1\tpredicted\tprobability"  # headerless: columns by number
    assert [line.rsplit("\t", 2)[0] for line in out[1:]] == lines


def test_scores_follow_the_runs_decision(tmp_path):
    """A multi-label run writes each text's label set; a binary run its threshold."""
    texts = ["great food", "rude staff", "food and staff", "good value"] * 4
    tags = [["food"], ["staff"], ["food", "staff"], ["value"]] * 4
    TextClassifier(model="logreg", random_state=0).fit(texts, tags).save(tmp_path / "tags")
    TextClassifier(model="logreg", threshold=0.999).fit(TEXTS, LABELS).save(tmp_path / "strict")
    (tmp_path / "in").mkdir()
    pd.DataFrame({"text": ["food and staff", "good value"]}).to_csv(
        tmp_path / "in" / "t.csv", index=False
    )
    score_files(tmp_path / "tags", [tmp_path / "in"], tmp_path / "out-tags")
    got = pd.read_csv(tmp_path / "out-tags" / "t.csv")
    assert got["predicted"].tolist() == ["food,staff", "value"]
    score_files(tmp_path / "strict", [tmp_path / "in"], tmp_path / "out-strict")
    strict = pd.read_csv(tmp_path / "out-strict" / "t.csv")
    assert strict["predicted"].tolist() == ["neg", "neg"]  # P(pos) never reaches 0.999
