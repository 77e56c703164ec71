"""The tutorial model ladder: parameter counts, pretrained vectors, heads and overrides."""

import gzip
import tracemalloc

import numpy as np
import pytest

from textclass import ConfigError, DataError, TextClassifier, load_dataset, split_dataset
from textclass.models import model_names
from textclass.models.registry import build_summary
from textclass.pretrained import embedding_rows

TEXTS = ["great food", "lovely staff", "awful food", "rude staff"] * 3
LABELS = ["pos", "pos", "neg", "neg"] * 3


@pytest.fixture(scope="module")
def yelp_train(shared_data):
    train, _ = split_dataset(load_dataset("uci-sentiment:yelp"), test_size=0.25, seed=1000)
    return train


# (settings, total parameters, trainable parameters) from the tutorial's summaries
TUTORIAL_TABLES = {
    "embedding+flatten": ({"model": "embedding", "model__pooling": "flatten"}, 137_371, 137_371),
    "embedding+globalmaxpool": ({"model": "embedding"}, 87_871, 87_871),
    "glove frozen": (
        {"model": "embedding", "model__vectors": "glove-6b-50d", "model__trainable": False},
        87_871,
        521,
    ),
    "glove trainable": ({"model": "embedding", "model__vectors": "glove-6b-50d"}, 87_871, 87_871),
    "cnn (embedding 100)": ({"model": "cnn", "model__embedding_dim": 100}, 240_129, 240_129),
    # CountVectorizer's 1,714 yelp features -> Dense(10) -> Dense(1)
    "dense on bag of words": ({"model": "dense", "analyzer": "sklearn"}, 17_161, 17_161),
}


@pytest.mark.parametrize("name", TUTORIAL_TABLES)
def test_parameter_counts_equal_the_tutorial_tables(name, yelp_train):
    settings, total, trainable = TUTORIAL_TABLES[name]
    clf = TextClassifier(num_words=5000, maxlen=100, epochs=1, random_state=0)
    clf.set_params(**settings).fit(yelp_train.texts, yelp_train.labels)
    assert clf.preprocessor_.vocab_size == (1715 if "dense" in name else 1747)
    assert clf.count_params() == total
    assert clf.count_params(trainable_only=True) == trainable
    lines = []
    clf.summary(print_fn=lines.append)
    assert f"Model parameters: {total:,} (trainable {trainable:,};" in "\n".join(lines)


def test_models_summary_builds_without_training():
    table, total, trainable = build_summary(
        "embedding", {"vectors": "glove-6b-50d", "trainable": False}, vocab_size=1747
    )
    assert (total, trainable) == (87_871, 521) and "embedding (Embedding)" in table
    assert build_summary("cnn", {"embedding_dim": 100}, vocab_size=1747)[1] == 240_129


def test_glove_coverage_matches_the_tutorial(yelp_train):
    clf = TextClassifier(model="embedding", num_words=5000, epochs=1, random_state=0).set_params(
        model__vectors="glove-6b-50d", model__trainable=False
    )
    clf.fit(yelp_train.texts, yelp_train.labels)
    # the tutorial: nonzero rows / vocab_size = 0.9507727532913566
    assert clf.coverage_["rows_fraction"] == pytest.approx(0.9507727532913566)
    assert clf.coverage_["found"] == 1661 and clf.coverage_["words"] == 1746
    embedding = clf.model_.get_layer("embedding").get_weights()[0]
    assert not embedding[0].any()  # padding row stays zero
    # frozen: training did not move the vectors away from GloVe's
    from textclass.pretrained import embedding_rows as rows_for

    expected = rows_for("glove-6b-50d", clf.preprocessor_.tokenizer.words_, 1747, 1).matrix
    assert np.array_equal(embedding, expected)


def test_glove_lookup_builds_no_big_python_structures():
    words = [f"w{i}" for i in range(1000)] + ["the", "movie", "great"]
    tracemalloc.start()
    rows = embedding_rows("glove-6b-50d", words, len(words) + 1, 1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert rows.found >= 3
    # a dict of 400,000 words alone would take tens of MB of Python objects
    assert peak < 5_000_000, f"peak Python allocation {peak:,} bytes"


def write_vectors(path, header: bool, gz: bool = False):
    lines = ["great 1 0 0", "food 0 1 0", "rude 0 0 1", "unused 9 9 9"]
    text = ("4 3\n" if header else "") + "\n".join(lines) + "\n"
    if gz:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name,header,gz",
    [("glove.txt", False, False), ("w2v.vec", True, False), ("v.vec.gz", True, True)],
)
def test_text_vector_files_glove_and_word2vec_format(tmp_path, name, header, gz):
    path = write_vectors(tmp_path / name, header, gz)
    rows = embedding_rows(str(path), ["great", "food", "missing"], 4, 1)
    assert rows.matrix.shape == (4, 3)
    assert rows.matrix[1].tolist() == [1, 0, 0] and rows.matrix[2].tolist() == [0, 1, 0]
    assert not rows.matrix[3].any() and rows.found == 2
    clf = TextClassifier(model="cnn", epochs=1, maxlen=4, random_state=0)
    clf.set_params(model__vectors=str(path), model__filters=2, model__kernel_size=2)
    clf.fit(TEXTS, LABELS)
    assert clf.model_.get_layer("embedding").get_weights()[0].shape[1] == 3


def test_bad_vector_inputs_name_the_problem(tmp_path):
    with pytest.raises(ConfigError, match="vectors='nope.vec' .no such file"):
        embedding_rows("nope.vec", ["a"], 2, 1)
    bad = tmp_path / "bad.txt"
    bad.write_text("great 1 0 0\nfood 1 0\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.txt, line 2: word 'food' has 2 values, expected 3"):
        embedding_rows(str(bad), ["great", "food"], 3, 1)


def test_multihot_is_the_imdb_chapter_net():
    clf = TextClassifier(model="multihot", epochs=2, random_state=0).fit(TEXTS, LABELS)
    assert clf.preprocessor_.tokenizer.num_words == 10_000
    assert type(clf.model_.optimizer).__name__ == "RMSprop"
    dense = [layer for layer in clf.model_.layers if type(layer).__name__ == "Dense"]
    assert [layer.units for layer in dense] == [16, 16, 1]
    assert set(np.unique(clf.transform_texts(["great great food"]).toarray())) <= {0.0, 1.0}


@pytest.mark.parametrize("model", ["dense", "multihot", "embedding", "cnn"])
def test_optimizer_loss_and_activation_overrides(model):
    binary = TextClassifier(
        model=model, epochs=1, maxlen=4, optimizer="sgd", learning_rate=0.05, loss="mse"
    ).set_params(model__activation="tanh")
    binary.fit(TEXTS, LABELS)
    assert type(binary.model_.optimizer).__name__ == "SGD"
    assert binary.model_.loss == "mse"
    assert {
        layer.activation.__name__
        for layer in binary.model_.layers[1:-1]
        if hasattr(layer, "activation")
    } == {"tanh"}
    topics = ["goal match", "vote party", "stock profit"] * 4
    labels = ["sport", "politics", "business"] * 4
    multi = TextClassifier(model=model, epochs=1, maxlen=4, loss="mse").fit(topics, labels)
    assert multi.predict_proba(topics).shape == (12, 3)


@pytest.mark.slow  # ~30 s for all families; the default suite covers 3 classes in test_estimator
@pytest.mark.parametrize("model", model_names())
def test_every_family_on_bbc_news_five_topics(model, shared_data, tmp_path):
    data = load_dataset("bbc-news")
    train, test = split_dataset(data, test_size=0.25, seed=0, stratify=True)
    train, test = train.subset(range(400)), test.subset(range(100))
    clf = TextClassifier(model=model, epochs=10, maxlen=200, random_state=0)
    if model == "rnn":
        clf.set_params(model__cell="gru")
    clf.fit(train.texts, train.labels)
    assert len(clf.classes_) == 5
    assert clf.predict_proba(test.texts).shape == (100, 5)
    clf.save(tmp_path / "bbc")
    loaded = TextClassifier.load(tmp_path / "bbc")
    assert np.array_equal(loaded.predict_proba(test.texts), clf.predict_proba(test.texts))
    assert clf.score(test.texts, test.labels) > 0.3  # chance is 0.2
