"""The encoder's contrastive mode (SetFit): labelled pairs, the pair stage, the head on its vectors."""

import numpy as np
import pytest

from textclass import ConfigError, TextClassifier
from textclass.models.encoder.contrastive import in_batch_pair_loss, label_pairs, pair_batches
from tiny_bert import LABELS, TEXTS  # the tiny_weights fixture is in conftest.py


def test_pairs_are_half_alike_half_unlike_with_their_label_similarity():
    codes = np.array([0, 0, 0, 1, 1, 2])
    a, b, similarity = label_pairs(codes, 3, per_text=4, seed=0)
    assert len(a) == 6 * 4
    assert np.bincount(a, minlength=6).tolist() == [4] * 6  # every text, per_text times
    assert np.array_equal(similarity, (codes[a] == codes[b]).astype(np.float32))
    assert similarity.sum() == 12  # half of each text's partners share its label
    again = label_pairs(codes, 3, per_text=4, seed=0)
    assert all(np.array_equal(x, y) for x, y in zip((a, b, similarity), again))


def test_multilabel_pairs_score_the_jaccard_similarity_of_label_sets():
    sets = np.array([[1, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]])
    a, b, similarity = label_pairs(sets, 3, per_text=2, seed=1)
    both = (sets[a] & sets[b]).sum(axis=1)
    either = (sets[a] | sets[b]).sum(axis=1)
    expected = np.where(either > 0, both / np.maximum(either, 1), 1.0)
    assert np.allclose(similarity, expected)
    # texts without labels are alike each other and unlike every labelled text
    unlabelled = a >= 3
    assert set(similarity[unlabelled & (b >= 3)]) <= {1.0}
    assert set(similarity[unlabelled & (b < 3)]) <= {0.0}


def test_one_class_only_gives_alike_pairs_only():
    a, b, similarity = label_pairs(np.zeros(5, dtype=int), 1, per_text=4, seed=0)
    assert len(a) == 10 and set(similarity) == {1.0}


def test_pair_batches_group_lengths_and_pad_the_last_batch_with_weight_zero():
    pad = 0
    ids = np.zeros((6, 40), dtype=np.int32)
    for i, n in enumerate([3, 5, 30, 33, 4, 6]):
        ids[i, :n] = 7
    a, b = np.array([0, 1, 4, 5, 2]), np.array([1, 0, 5, 4, 3])
    batches = pair_batches(
        ids, a, b, np.ones(5, np.float32), batch_size=2, pad_id=pad, buckets=(16, 32, 40), seed=0
    )
    widths, weights = [], []
    for i in range(len(batches)):
        (left, right), target, weight = batches[i]
        assert left.shape == right.shape == (2, left.shape[1]) and target.shape == (2,)
        widths.append(left.shape[1])
        weights += weight.tolist()
    assert sorted(widths) == [16, 16, 40]  # the short pairs together, the long ones apart
    assert weights.count(0.0) == 1


def test_in_batch_pair_loss_is_the_squared_gap_to_the_label_similarity_of_every_other_text():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(5, 8)).astype(np.float32)
    sets = np.array([[1, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]], np.float32)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    expected = []
    for i in range(5):
        gaps = []
        for j in range(5):
            if i != j:
                either = np.logical_or(sets[i], sets[j]).sum()
                jaccard = np.logical_and(sets[i], sets[j]).sum() / either if either else 1.0
                gaps.append((unit[i] @ unit[j] - jaccard) ** 2)
        expected.append(np.mean(gaps))
    assert np.allclose(np.asarray(in_batch_pair_loss(sets, vectors)), expected, atol=1e-5)
    one_hot = np.eye(2, dtype=np.float32)[[0, 0, 1, 1, 1]]  # single-label: 1 alike, 0 not
    loss = np.asarray(in_batch_pair_loss(one_hot, one_hot @ np.eye(2, 8, dtype=np.float32)))
    assert np.allclose(loss, 0, atol=1e-6)  # vectors exactly as alike as their labels


def test_a_contrastive_step_then_the_head_and_reloads(tiny_weights, tmp_path):
    """The default suite's contrastive run: one epoch of random pairs, one of the head
    (the slow tests below run more epochs, in-batch pairs and label sets)."""
    clf = TextClassifier(model="encoder", epochs=1, random_state=0).set_params(
        model__weights=tiny_weights,
        model__mode="contrastive",
        model__pair_sampling="random",
        model__pairs=2,
    )
    clf.fit(TEXTS, LABELS)
    assert len(clf.history_["pair_loss"]) == 1 and len(clf.history_["loss"]) == 1
    assert np.isfinite(clf.history_["pair_loss"]).all()
    assert clf.count_params(trainable_only=True) == clf.count_params()  # the encoder trained
    proba = clf.predict_proba(TEXTS)
    assert proba.shape == (16, 2) and np.allclose(proba.sum(axis=1), 1)
    clf.save(tmp_path / "run")
    assert np.allclose(TextClassifier.load(tmp_path / "run").predict_proba(TEXTS), proba, atol=1e-6)


@pytest.mark.slow  # ~20 s of CPU each: compiling BERT pair training steps
@pytest.mark.parametrize(("sampling", "pair_epochs"), [("batch", 4), ("random", 1)])
def test_contrastive_tunes_the_encoder_then_the_head_and_reloads(
    tiny_weights, tmp_path, sampling, pair_epochs
):
    clf = TextClassifier(model="encoder", epochs=3, random_state=0).set_params(
        model__weights=tiny_weights,
        model__mode="contrastive",
        model__pair_sampling=sampling,
        model__pairs=2,
    )
    clf.fit(TEXTS, LABELS)
    assert clf.training_settings()["optimizer"] == "adam"  # the head's
    assert len(clf.history_["pair_loss"]) == pair_epochs and len(clf.history_["loss"]) == 3
    # every weight was trained (the pair stage tunes the whole encoder)
    assert clf.count_params(trainable_only=True) == clf.count_params()
    probe = TEXTS + ["the food was good " * 20]
    proba = clf.predict_proba(probe)
    assert proba.shape == (17, 2) and np.allclose(proba.sum(axis=1), 1)
    clf.save(tmp_path / "run")
    loaded = TextClassifier.load(tmp_path / "run")
    assert np.allclose(loaded.predict_proba(probe), proba, atol=1e-6)


def test_contrastive_settings_are_checked_before_training(tiny_weights):
    clf = TextClassifier(model="encoder").set_params(
        model__weights=tiny_weights, model__mode="contrastive", model__pairs=1
    )
    with pytest.raises(ConfigError, match="pairs"):
        clf.fit(TEXTS, LABELS)
    clf.set_params(model__pairs=2, model__pair_sampling="all")
    with pytest.raises(ConfigError, match="pair_sampling"):
        clf.fit(TEXTS, LABELS)


@pytest.mark.slow  # ~15 s of CPU each: another pair step and a sigmoid head
@pytest.mark.parametrize("sampling", ["batch", "random"])
def test_contrastive_learns_label_sets(tiny_weights, tmp_path, sampling):
    texts = ["great food", "rude staff", "great staff", "awful food"] * 3
    sets = [["pos", "food"], ["neg", "staff"], ["pos", "staff"], ["neg", "food"]] * 3
    clf = TextClassifier(model="encoder", epochs=2, random_state=0).set_params(
        model__weights=tiny_weights,
        model__mode="contrastive",
        model__pair_sampling=sampling,
        model__pairs=2,
    )
    clf.fit(texts, sets)
    assert clf.multilabel_ and clf.classes_.tolist() == ["food", "neg", "pos", "staff"]
    proba = clf.predict_proba(texts)
    assert proba.shape == (12, 4) and not np.allclose(proba.sum(axis=1), 1)  # one sigmoid each
    clf.save(tmp_path / "run")
    assert np.allclose(TextClassifier.load(tmp_path / "run").predict_proba(texts), proba, atol=1e-6)


def test_batches_of_long_texts_hold_fewer_rows_within_the_memory_of_a_step():
    """32 IMDB reviews at MPNet's 384 tokens asked XLA for 27.6 GB in one training step;
    each width bucket gets the rows that keep a step within TRAIN_STEP_BYTES, and the
    learning-rate schedule counts the batches there are."""
    from textclass.models.encoder import batching
    from textclass.models.encoder.batching import length_batches, rows_within_memory

    mpnet = {"hidden_size": 768, "num_hidden_layers": 12}
    rows = rows_within_memory(mpnet)
    per_token = batching.TOKEN_UNIT_BYTES * 768 * 12
    assert rows(384) == batching.TRAIN_STEP_BYTES // (per_token * 384) == 7
    assert rows(48) == 58 and rows(100_000) == 2  # never fewer than a pair
    assert rows_within_memory(mpnet, texts_per_row=2)(384) == 3
    lengths = [380] * 20 + [40] * 40  # 20 long texts, 40 short ones
    ids = np.zeros((60, 384), dtype=np.int32)
    for i, n in enumerate(lengths):
        ids[i, :n] = 7
    buckets = (48, 384)
    batches = length_batches(ids, np.zeros(60), 32, 0, buckets, seed=0, rows_for=rows)
    shapes = [batches[i][0].shape for i in range(len(batches))]
    long = [s for s in shapes if s[1] == 384]
    assert long and all(s[0] == 7 for s in long)  # 20 long texts: 3 batches of 7 rows
    assert sum(batches[i][2].sum() for i in range(len(batches))) == 60  # every text once
    # the 40 short ones: 32 and 8 (filled up); 8 short texts never wait in a batch of 7 long
    assert len(long) == 3 and len(batches) == 3 + 2
    assert sorted(batches[i][2].sum() for i in range(len(batches))) == [6, 7, 7, 8, 32]
    plain = length_batches(ids, np.zeros(60), 32, 0, buckets, seed=0)
    assert {plain[i][0].shape[0] for i in range(len(plain))} == {32}
