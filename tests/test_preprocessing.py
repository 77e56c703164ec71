import numpy as np
import pytest

from textclass import ConfigError, DataError, Tokenizer, pad_sequences
from textclass.preprocessing import LabelEncoder, bag_of_words
from textclass.preprocessing.vectors import TfidfVectors


def reference_pad(seqs, maxlen, padding, truncating):
    out = np.zeros((len(seqs), maxlen), dtype=np.int32)
    for i, s in enumerate(seqs):
        s = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        if s:
            if padding == "pre":
                out[i, -len(s) :] = s
            else:
                out[i, : len(s)] = s
    return out


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
def test_pad_sequences_matches_keras_rules(padding, truncating):
    texts = ["a b c d e f", "a", "", "b c d"]
    seqs = Tokenizer().fit(texts).transform(texts)
    got = pad_sequences(seqs, 4, padding=padding, truncating=truncating)
    assert np.array_equal(got, reference_pad(seqs.to_list(), 4, padding, truncating))


def test_pad_sequences_defaults_to_longest_and_checks_options():
    seqs = Tokenizer().fit(["a b c", "a"]).transform(["a b c", "a"])
    assert pad_sequences(seqs).shape == (2, 3)
    with pytest.raises(ConfigError, match="padding"):
        pad_sequences(seqs, 3, padding="middle")


def test_word_ids_count_the_training_texts_cut_at_maxlen():
    from textclass.preprocessing.preprocessors import WordIds

    texts = ["one two three", "one two", "one two three four five", "one"]
    prep = WordIds(Tokenizer(), maxlen=3)
    assert prep.fit_transform(texts).shape == (4, 3)
    assert prep.describe() == {"vocab_size": 6, "maxlen": 3, "cut_at_maxlen": "1 of 4 texts"}
    again = WordIds.from_config(prep.get_config(), prep.get_arrays())
    assert again.describe() == prep.describe()
    longest = WordIds(Tokenizer(), maxlen=None)  # the longest text: nothing to count
    longest.fit_transform(texts)
    assert longest.describe() == {"vocab_size": 6, "maxlen": 5}


def test_word_ids_maxlen_setting_auto_is_the_tutorials_100():
    from textclass import TextClassifier
    from textclass.preprocessing.preprocessors import WordIds

    assert TextClassifier().maxlen == "auto"  # the classifier's default: the family's own
    for setting, expected in (("auto", 100), (None, None), (12, 12)):
        prep = WordIds.from_settings(TextClassifier(maxlen=setting))
        assert prep.maxlen == expected
    assert WordIds.from_settings(TextClassifier(maxlen=np.int64(7))).maxlen == 7  # searches


def test_bag_of_words_modes():
    tok = Tokenizer().fit(["good good food", "bad food"])
    seqs = tok.transform(["good good food", "bad"])
    counts = bag_of_words(seqs, tok.vocab_size, "count").toarray()
    assert counts.tolist() == [[2, 1, 0], [0, 0, 1]]  # column i is word index i + 1
    binary = bag_of_words(seqs, tok.vocab_size, "binary").toarray()
    assert binary.tolist() == [[1, 1, 0], [0, 0, 1]]


def test_tfidf_learns_idf_on_training_data_only():
    from sklearn.feature_extraction.text import TfidfTransformer

    tok = Tokenizer().fit(["a b", "a c", "a"])
    train = tok.transform(["a b", "a c", "a"])
    tfidf = TfidfVectors()
    got = tfidf.fit_transform(train, tok.vocab_size).toarray()
    expected = TfidfTransformer().fit_transform(bag_of_words(train, tok.vocab_size)).toarray()
    assert np.allclose(got, expected)
    test = tok.transform(["b b c"])
    assert np.allclose(
        tfidf.transform(test, tok.vocab_size).toarray(),
        TfidfTransformer()
        .fit(bag_of_words(train, tok.vocab_size))
        .transform(bag_of_words(test, tok.vocab_size))
        .toarray(),
    )


@pytest.mark.parametrize(
    "labels", [["pos", "neg", "pos"], [1, 0, 1], [2, 7, 5], [True, False, True]]
)
def test_label_encoder_round_trip(labels):
    enc = LabelEncoder().fit(labels)
    codes = enc.transform(labels)
    assert enc.inverse_transform(codes).tolist() == labels


def test_label_encoder_names_unseen_labels():
    enc = LabelEncoder().fit(["pos", "neg"])
    with pytest.raises(DataError, match="never saw in training: neutral"):
        enc.transform(["pos", "neutral"])
