"""The `ngram` family: n-gram extraction, hashing, NB ratios, class weights."""

import numpy as np
import pytest
import scipy.sparse as sp

from textclass import TextClassifier
from textclass.models.ngram import NBLinear, nb_ratios
from textclass.preprocessing.ngrams import NgramVectors, ngram_keys


def keys_of(text, word_range=(1, 1), char_range=None):
    return ngram_keys([text], word_range, char_range, True)[1].tolist()


def test_word_ngrams_are_exactly_the_runs_of_words():
    docs, keys = ngram_keys(["the cat sat", "on mats"], (1, 3), None, True)
    expected_first = (
        keys_of("the")
        + keys_of("cat")
        + keys_of("sat")  # unigrams
        + keys_of("the cat", (2, 2))
        + keys_of("cat sat", (2, 2))  # bigrams
        + keys_of("the cat sat", (3, 3))  # the trigram
    )
    expected_second = keys_of("on") + keys_of("mats") + keys_of("on mats", (2, 2))
    assert sorted(keys[docs == 0].tolist()) == sorted(expected_first)
    assert sorted(keys[docs == 1].tolist()) == sorted(expected_second)  # no n-gram across texts
    assert len(set(expected_first)) == 6


def test_normalisation_keeps_exclamations_and_drops_html_breaks():
    assert keys_of("Great!<br /><br />BAD?", (1, 2)) == keys_of("great ! bad ?", (1, 2))
    assert keys_of("don't") != keys_of("don t")  # apostrophes stay inside words


def test_char_ngrams_include_the_word_boundaries():
    keys = keys_of("ab", word_range=None, char_range=(1, 2))
    # " ab " -> " ", "a", "b", " " and " a", "ab", "b "
    assert len(keys) == 7 and len(set(keys)) == 6


TEXTS = ["good movie", "great movie!", "good fun", "bad movie", "awful movie?", "bad fun"]
LABELS = ["pos", "pos", "pos", "neg", "neg", "neg"]


def test_hashing_without_collisions_equals_the_vocabulary_path():
    vocab = NgramVectors(ngram_range=(1, 2), min_df=1)
    hashed = NgramVectors(ngram_range=(1, 2), min_df=1, hash_features=2**20)
    x_vocab = vocab.fit_transform(TEXTS)
    x_hash = hashed.fit_transform(TEXTS)
    columns = (vocab.keys_ % np.uint64(2**20)).astype(np.int64)
    assert len(set(columns.tolist())) == columns.size  # no collision on this vocabulary
    assert (x_hash[:, columns] != x_vocab).nnz == 0
    assert x_hash.nnz == x_vocab.nnz
    probe = ["good fun!", "unseen words only"]
    assert (hashed.transform(probe)[:, columns] != vocab.transform(probe)).nnz == 0


def test_min_df_and_max_features_choose_by_document_frequency():
    vec = NgramVectors(ngram_range=(1, 1), min_df=2)
    x = vec.fit_transform(TEXTS)
    assert x.shape[1] == 4  # movie (4 texts), good, bad, fun (2 each)
    top = NgramVectors(ngram_range=(1, 1), min_df=1, max_features=1)
    assert top.fit_transform(TEXTS).shape[1] == 1
    assert top.transform(["movie"]).nnz == 1 and top.transform(["good"]).nnz == 0


def test_nb_ratios_by_hand():
    # features: a, b, c; docs 0 and 1 positive, doc 2 negative
    x = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1]], dtype=np.float32))
    r = nb_ratios(x, np.array([True, True, False]), alpha=1.0)
    # p = 1 + [2, 1, 0] = [3, 2, 1] (sum 6); q = 1 + [0, 1, 1] = [1, 2, 2] (sum 5)
    expected = np.log((np.array([3, 2, 1]) / 6) / (np.array([1, 2, 2]) / 5))
    assert np.allclose(r, expected)


def test_nb_linear_folds_the_ratios_into_its_coefficients():
    x = NgramVectors(ngram_range=(1, 2), min_df=1).fit_transform(TEXTS)
    y = np.array([1, 1, 1, 0, 0, 0])
    model = NBLinear(C=1.0, random_state=0).fit(x, y)  # liblinear shuffles: seed both
    r = nb_ratios(x, y == 1)
    from sklearn.linear_model import LogisticRegression

    reference = LogisticRegression(C=1.0, solver="liblinear", dual=True, random_state=0)
    reference.fit(x.multiply(r), y)
    # float32 features here, float64 in the reference: equal to solver precision
    assert np.allclose(model.coef_[0], reference.coef_[0] * r, rtol=1e-4, atol=1e-6)
    assert np.allclose(model.predict_proba(x), reference.predict_proba(x.multiply(r)), atol=1e-4)


@pytest.mark.parametrize("weighting", ["nb", "tfidf", "binary"])
def test_every_weighting_learns_the_tiny_task(weighting):
    clf = TextClassifier(model="ngram", random_state=0).set_params(
        model__weighting=weighting, model__min_df=1, model__C=10.0
    )
    clf.fit(TEXTS * 3, LABELS * 3)
    assert clf.predict(["good movie", "awful movie"]).tolist() == ["pos", "neg"]


def test_multiclass_one_vs_rest():
    texts = ["goal match team", "vote party minister", "stock market profit"] * 4
    labels = ["sport", "politics", "business"] * 4
    clf = TextClassifier(model="ngram", random_state=0).fit(texts, labels)
    proba = clf.predict_proba(["team goal", "market profit"])
    assert proba.shape == (2, 3) and np.allclose(proba.sum(axis=1), 1)
    assert clf.predict(["team goal", "market profit"]).tolist() == ["sport", "business"]
    assert clf.model_.coef_.shape[0] == 3


def test_class_weights_change_the_decision():
    texts = ["spam offer"] * 2 + ["hello friend"] * 10 + ["offer friend"] * 3
    labels = ["spam"] * 2 + ["ham"] * 10 + ["ham"] * 3
    probe = ["spam offer friend"]

    def spam_probability(class_weight):
        clf = TextClassifier(model="ngram", random_state=0).set_params(
            model__class_weight=class_weight, model__min_df=1, model__ngram_range=[1, 1]
        )
        return clf.fit(texts, labels).predict_proba(probe)[0, 1]

    assert spam_probability("balanced") > spam_probability(None) + 0.05


def test_hashed_model_saves_without_a_vocabulary(tmp_path):
    clf = TextClassifier(model="ngram", random_state=0).set_params(
        model__hash_features=2**16, model__min_df=1
    )
    clf.fit(TEXTS, LABELS).save(tmp_path / "run")
    assert not (tmp_path / "run" / "preprocessor.npz").exists()
    loaded = TextClassifier.load(tmp_path / "run")
    assert np.array_equal(loaded.predict_proba(TEXTS), clf.predict_proba(TEXTS))


def test_neither_words_nor_characters_is_refused():
    from textclass import ConfigError

    clf = TextClassifier(model="ngram").set_params(model__ngram_range=None)
    with pytest.raises(ConfigError, match="ngram_range or char_ngram_range"):
        clf.fit(TEXTS, LABELS)


def test_tfidf_values_equal_scikit_learns_sublinear_tfidf():
    from sklearn.feature_extraction.text import TfidfTransformer

    texts = ["good good movie", "bad movie!", "good fun fun fun", "awful", "movie night good"]
    tfidf = NgramVectors(ngram_range=(1, 1), min_df=1, values="tfidf")
    ours = tfidf.fit_transform(texts)
    counts = NgramVectors(ngram_range=(1, 1), min_df=1, values="count").fit_transform(texts)
    reference = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    assert np.allclose(ours.toarray(), reference.toarray(), atol=1e-6)
    assert np.allclose(tfidf.transform(texts).toarray(), ours.toarray())
