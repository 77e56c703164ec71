"""The tokenizer against a reference copy of Keras 2's rules, on tricky text."""

import re

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from textclass import DataError, Tokenizer, load_dataset, split_dataset
from textclass.preprocessing import KERAS_FILTERS, SKLEARN_TOKEN_PATTERN, ragged

CORPUS = [
    "The food was GREAT!! great, great...",
    "Ça coûte cher; ÉNORME café\u0085 déjà-vu",  # NEL, accents, upper-case non-ASCII
    "tabs\tand\nnewlines\rcarriage returns stay in words",
    "",
    "   ",
    "supercalifragilisticexpialidocious and antidisestablishmentarianism twice "
    "antidisestablishmentarianism",
    "Σίσυφος ΟΔΟΣ emoji 😀 and Straße",
    "a b c a b a",
    "punctuation-only: !!! ??? ...",
    "numbers 123 4.5 and under_scores",
]


def keras2_word_index(texts, num_words=None, oov_token=None):
    """Keras 2 ``Tokenizer.fit_on_texts`` + ``texts_to_sequences``, as written there."""
    table = str.maketrans({c: " " for c in KERAS_FILTERS})
    counts = {}
    seqs_words = []
    for text in texts:
        words = [w for w in text.lower().translate(table).split(" ") if w]
        seqs_words.append(words)
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    vocab = ([oov_token] if oov_token else []) + [w for w, _ in ordered]
    index = dict(zip(vocab, range(1, len(vocab) + 1)))
    seqs = []
    for words in seqs_words:
        seq = []
        for w in words:
            i = index.get(w)
            if i is not None and not (num_words and i >= num_words):
                seq.append(i)
            elif oov_token:
                seq.append(index[oov_token])
        seqs.append(seq)
    return index, seqs


@pytest.mark.parametrize("num_words", [None, 5, 12])
@pytest.mark.parametrize("oov_token", [None, "<OOV>"])
def test_matches_keras2_rules(num_words, oov_token):
    index, seqs = keras2_word_index(CORPUS, num_words, oov_token)
    tok = Tokenizer(num_words=num_words, oov_token=oov_token).fit(CORPUS)
    assert tok.word_index == index
    assert tok.texts_to_sequences(CORPUS) == seqs
    assert tok.fit_transform(CORPUS).to_list() == seqs


def test_unknown_words_are_dropped_or_mapped_to_oov():
    tok = Tokenizer().fit(["good food", "bad food"])
    assert tok.texts_to_sequences(["good pizza food", "pizza"]) == [[2, 1], []]
    tok = Tokenizer(oov_token="<unk>").fit(["good food", "bad food"])
    assert tok.texts_to_sequences(["good pizza food"]) == [[3, 1, 2]]


def test_ties_keep_first_appearance_order():
    tok = Tokenizer().fit(["zeta alpha", "beta alpha zeta"])
    assert tok.words_ == ["zeta", "alpha", "beta"]


def test_vocab_size_follows_num_words():
    tok = Tokenizer(num_words=3).fit(["a a a b b c"])
    assert tok.vocab_size == 3
    assert tok.texts_to_sequences(["a b c"]) == [[1, 2]]
    assert Tokenizer().fit(["a b c"]).vocab_size == 4


def test_non_ascii_filters_and_split_take_the_exact_path():
    tok = Tokenizer(filters="«»", split="|").fit(["«hello»|world|hello"])
    assert tok.words_ == ["hello", "world"]
    tok = Tokenizer(split="--").fit(["one--two--one"])
    assert tok.words_ == ["one", "two"]


def test_sklearn_analyzer_matches_count_vectorizer():
    tok = Tokenizer(token_pattern=SKLEARN_TOKEN_PATTERN).fit(CORPUS)
    vectorizer = CountVectorizer().fit(CORPUS)
    assert set(tok.words_) == set(vectorizer.vocabulary_)
    expected = [re.findall(SKLEARN_TOKEN_PATTERN, t.lower()) for t in CORPUS]
    index = tok.word_index
    assert tok.texts_to_sequences(CORPUS) == [[index[w] for w in ws] for ws in expected]


def test_bare_string_is_refused():
    with pytest.raises(DataError, match="must be a list of texts, got a single str"):
        Tokenizer().fit("just one text")


def test_missing_text_is_refused_with_its_row():
    with pytest.raises(DataError, match=r"1 missing value\(s\) \(rows 1\)"):
        Tokenizer().fit(["fine", None])


def test_round_trip_through_dict():
    tok = Tokenizer(num_words=10, oov_token="<OOV>").fit(CORPUS)
    again = Tokenizer.from_dict(tok.to_dict())
    assert again.texts_to_sequences(CORPUS) == tok.texts_to_sequences(CORPUS)


def test_yelp_training_split_vocabulary_matches_tutorial(shared_data):
    train, _ = split_dataset(load_dataset("uci-sentiment:yelp"), test_size=0.25, seed=1000)
    tok = Tokenizer(num_words=5000).fit(train.texts)
    assert len(tok.word_index) == 1746
    assert tok.vocab_size == 1747


def test_long_words_sharing_prefixes_stay_distinct():
    words = ["internationalization", "internationalizatiox", "internationalizationx"]
    tok = Tokenizer().fit([" ".join(words)])
    assert sorted(tok.words_) == sorted(words)
    seq = tok.transform(["internationalizatioy internationalizationx"])
    assert seq.ids.tolist() == [tok.word_index["internationalizationx"]]
    assert np.array_equal(seq.offsets, [0, 1])


@pytest.mark.parametrize("oov_token", [None, "<OOV>"])
def test_chunked_threads_give_the_same_result(monkeypatch, oov_token):
    """Large inputs are tokenized in chunks on threads; merging must not change anything."""
    texts = CORPUS * 3 + ["late newcomer words", "antidisestablishmentarianism newcomer"]
    index, seqs = keras2_word_index(texts, 9, oov_token)
    whole = Tokenizer(num_words=9, oov_token=oov_token).fit(texts)  # one chunk
    monkeypatch.setattr(ragged.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(ragged, "CHUNK_TEXTS", 3)
    assert len(ragged.map_chunks(len, texts)) == 4  # the fit below really runs in chunks
    tok = Tokenizer(num_words=9, oov_token=oov_token).fit(texts)
    assert tok.word_index == index
    assert tok.word_counts_ == whole.word_counts_
    assert tok.texts_to_sequences(texts) == seqs
    assert Tokenizer(num_words=9, oov_token=oov_token).fit_transform(texts).to_list() == seqs


def test_sklearn_pattern_fast_path_matches_the_regular_expression():
    texts = [
        "A b_c d1 x 9 __ I'm  co-op état, naïve—café “quoted” é a",
        "plain ascii: it's 2 good_to_be true!!",
        "ÉCOLE Straße ﬁne 東京 タワー x y",
        "",
    ]
    tok = Tokenizer(token_pattern=SKLEARN_TOKEN_PATTERN).fit(texts)
    index = tok.word_index
    expected = [[index[w] for w in re.findall(SKLEARN_TOKEN_PATTERN, t.lower())] for t in texts]
    assert tok.transform(texts).to_list() == expected
    vectorizer = CountVectorizer().fit(texts)
    assert set(tok.words_) == set(vectorizer.vocabulary_)
