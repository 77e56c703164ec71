"""``TextClassifier``: raw texts in, labels out, scikit-learn compatible.

It owns everything between the text and the network: tokenization, padding or
bag-of-words vectors, label encoding, compile defaults, seeding, fitting and
``history_``. The network itself comes from a model family (``models/``).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from textclass.errors import DataError, invalid
from textclass.models.base import ModelFamily
from textclass.models.registry import resolve
from textclass.preprocessing import (
    SKLEARN_TOKEN_PATTERN,
    LabelEncoder,
    Tokenizer,
    check_texts,
    pad_sequences,
)
from textclass.preprocessing.vectors import TfidfVectors, vectorize
from textclass.training import count_weights, fit_keras, predict_keras

ANALYZERS = ("auto", "keras", "sklearn")


class TextClassifier(ClassifierMixin, BaseEstimator):
    """A text classifier over any registered model family.

    Parameters
    ----------
    model : str or ModelFamily, default="embedding"
        A registered family name (``textclass models`` lists them) or a family
        instance such as ``CNN(filters=64)``. Its hyperparameters are reachable
        as ``model__<name>`` by ``set_params`` and scikit-learn's searches.
    num_words : int or None
        Keep the ``num_words - 1`` most frequent training words (Keras rule).
        None: the family's own limit (``multihot``: 10,000), else every word.
    maxlen, padding, truncating :
        Sequence length and where zeros go / which end is cut ("pre"/"post").
    oov_token : str or None
        If set, unknown words map to index 1 instead of being dropped.
    analyzer : {"auto", "keras", "sklearn"}
        How words are split: the Keras 2 ``Tokenizer`` rules, scikit-learn's
        ``CountVectorizer`` pattern, or the family's own default ("auto").
    epochs, batch_size, optimizer, learning_rate, loss :
        Keras training settings. ``optimizer`` is adam, rmsprop, sgd, adamw or
        adagrad; None takes the family's default (adam; rmsprop for multihot).
        ``loss=None`` picks binary or sparse categorical cross-entropy from the
        number of classes; any Keras loss name overrides it (e.g. "mse").
    validation_split : float
        Fraction of the training data held out for validation metrics.
    early_stopping : int or None
        Patience in epochs on the validation loss (needs validation data);
        the best weights are restored.
    random_state : int or None
        Seed for weights, shuffling and dropout: one seed, one result.
    verbose : int
        0 silent, 1 progress bar, 2 one line per epoch.
    """

    def __init__(
        self,
        *,
        model="embedding",
        num_words=None,
        maxlen=100,
        padding="post",
        truncating="post",
        oov_token=None,
        analyzer="auto",
        lower=True,
        epochs=20,
        batch_size=32,
        optimizer=None,
        learning_rate=None,
        loss=None,
        validation_split=0.0,
        early_stopping=None,
        random_state=None,
        verbose=0,
    ):
        self.model = model
        self.num_words = num_words
        self.maxlen = maxlen
        self.padding = padding
        self.truncating = truncating
        self.oov_token = oov_token
        self.analyzer = analyzer
        self.lower = lower
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.validation_split = validation_split
        self.early_stopping = early_stopping
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------ parameters
    def get_params(self, deep=True):
        params = super().get_params(deep=False)
        if deep:
            family = resolve(self.model)
            params.update({f"model__{k}": v for k, v in family.get_params().items()})
        return params

    def set_params(self, **params):
        routed = {
            k[len("model__") :]: params.pop(k) for k in list(params) if k.startswith("model__")
        }
        if "model" in params:
            self.model = params.pop("model")
        if routed:
            family = resolve(self.model)
            family = clone(family) if family is self.model else family
            self.model = resolve(family, routed)
        return super().set_params(**params) if params else self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def _validate_params(self) -> None:
        if self.analyzer not in ANALYZERS:
            raise invalid("analyzer", " or ".join(ANALYZERS), self.analyzer)
        if self.maxlen is not None and (not isinstance(self.maxlen, int) or self.maxlen < 1):
            raise invalid("maxlen", "a positive integer or None", self.maxlen)
        if not isinstance(self.epochs, int) or self.epochs < 1:
            raise invalid("epochs", "a positive integer", self.epochs)
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise invalid("batch_size", "a positive integer", self.batch_size)
        if not (isinstance(self.validation_split, (int, float)) and 0 <= self.validation_split < 1):
            raise invalid("validation_split", "a fraction in [0, 1)", self.validation_split)
        if self.early_stopping is not None and (
            not isinstance(self.early_stopping, int) or self.early_stopping < 1
        ):
            raise invalid(
                "early_stopping", "a positive integer (patience) or None", self.early_stopping
            )

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, *, validation_data=None, callbacks=None):
        """Learn the vocabulary, the label set and the model from texts ``X`` and labels ``y``.

        ``validation_data=(texts, labels)`` is scored after every epoch (and
        drives ``early_stopping``); it is never used to build the vocabulary.
        ``callbacks``: extra Keras callbacks (progress displays, logging).
        """
        self._validate_params()
        texts = check_texts(X, name="X")
        if len(texts) == 0:
            raise DataError("cannot fit on an empty dataset (0 texts)")
        encoder = LabelEncoder().fit(y)
        codes = encoder.transform(y)
        if len(codes) != len(texts):
            raise DataError(f"X has {len(texts)} texts but y has {len(codes)} labels")
        if len(encoder.classes_) < 2:
            raise DataError(
                f"cannot train a classifier on a single class ({encoder.classes_[0]!r}): "
                "the labels need at least two distinct values"
            )
        family = resolve(self.model)
        family = clone(family) if isinstance(self.model, ModelFamily) else family
        family.validate()

        self.family_ = family
        self.label_encoder_ = encoder
        self.classes_ = encoder.classes_
        self.tokenizer_ = self._make_tokenizer(family)
        sequences = self.tokenizer_.fit_transform(texts)
        self.maxlen_ = self.maxlen or max(int(sequences.lengths.max(initial=0)), 1)
        self.idf_ = None
        if family.inputs == "bow" and family.features == "tfidf":
            tfidf = TfidfVectors()
            tfidf.fit_transform(sequences, self.tokenizer_.vocab_size)
            self.idf_ = tfidf.idf
        features = self._features(sequences)
        self.coverage_ = None  # pretrained vectors' coverage of the vocabulary

        if family.kind == "linear":
            self.model_ = family.build(random_state=self.random_state).fit(features, codes)
            self.history_ = {}
            return self
        validation = None
        if validation_data is not None:
            val_texts, val_labels = validation_data
            validation = (self._features(self._sequences(val_texts)), encoder.transform(val_labels))
        context = {
            "vocab_size": self.tokenizer_.vocab_size,
            "maxlen": self.maxlen_,
            "n_features": features.shape[1],
        }
        if family.pretrained_source:
            rows = self._pretrained_rows(family.pretrained_source)
            self.coverage_ = rows.coverage
            context["pretrained"] = rows.matrix
        self.model_, self.history_ = fit_keras(
            family,
            features,
            codes,
            n_classes=len(self.classes_),
            context=context,
            settings=self,
            validation=validation,
            callbacks=callbacks,
        )
        return self

    def _pretrained_rows(self, source: str):
        from textclass.pretrained import embedding_rows

        tok = self.tokenizer_
        first_index = 2 if tok.oov_token is not None else 1
        return embedding_rows(source, tok.words_, tok.vocab_size, first_index)

    def _make_tokenizer(self, family: ModelFamily) -> Tokenizer:
        analyzer = family.analyzer if self.analyzer == "auto" else self.analyzer
        return Tokenizer(
            num_words=self.num_words if self.num_words is not None else family.vocabulary_limit,
            lower=self.lower,
            oov_token=self.oov_token,
            token_pattern=SKLEARN_TOKEN_PATTERN if analyzer == "sklearn" else None,
        )

    # ------------------------------------------------------------- features
    def _sequences(self, X):
        return self.tokenizer_.transform(check_texts(X, name="X"))

    def _features(self, sequences):
        if self.family_.inputs == "bow":
            return vectorize(
                sequences, self.tokenizer_.vocab_size, self.family_.features, self.idf_
            )
        return pad_sequences(
            sequences, self.maxlen_, padding=self.padding, truncating=self.truncating
        )

    def transform_texts(self, X):
        """The model's input for texts ``X`` (padded indices or a sparse matrix)."""
        check_is_fitted(self, "tokenizer_")
        return self._features(self._sequences(X))

    # ------------------------------------------------------------ predicting
    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, one column per entry of ``classes_``; rows sum to 1."""
        check_is_fitted(self, "tokenizer_")
        features = self.transform_texts(X)
        if self.family_.kind == "linear":
            proba = self.model_.predict_proba(features)
        else:
            out = predict_keras(self.model_, features, self.batch_size)
            proba = np.column_stack([1.0 - out[:, 0], out[:, 0]]) if out.shape[1] == 1 else out
        proba = np.clip(np.asarray(proba, dtype=np.float64), 0.0, None)
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """The most probable label of each text, as the labels given to ``fit``."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    # ------------------------------------------------------------ inspecting
    def summary(self, print_fn=print) -> None:
        """Print the layers and parameter counts (Keras families) or the linear model."""
        check_is_fitted(self, "tokenizer_")
        if self.family_.kind == "linear":
            n_features, n_out = self.model_.coef_.shape[1], self.model_.coef_.shape[0]
            print_fn(
                f"LogisticRegression: {n_features} features -> {n_out} output(s), "
                f"{self.count_params()} parameters"
            )
        else:
            self.model_.summary(print_fn=print_fn)
            # Keras 3 adds the optimizer's state to "Total params"; the tutorials' tables don't
            print_fn(
                f"Model parameters: {self.count_params():,} "
                f"(trainable {self.count_params(trainable_only=True):,}; optimizer state not counted)"
            )

    def count_params(self, *, trainable_only: bool = False) -> int:
        """Parameters of the model (only those training updates, if asked)."""
        check_is_fitted(self, "tokenizer_")
        if self.family_.kind == "linear":
            return int(self.model_.coef_.size + self.model_.intercept_.size)
        return count_weights(self.model_, trainable_only=trainable_only)

    # ---------------------------------------------------------- persistence
    def save(self, path, *, metrics: dict | None = None, extra: dict | None = None) -> None:
        """Write one artifact directory (no pickle); see :mod:`textclass.persistence`."""
        from textclass.persistence import save_classifier

        check_is_fitted(self, "tokenizer_")
        save_classifier(self, path, metrics=metrics, extra=extra)

    @classmethod
    def load(cls, path) -> TextClassifier:
        from textclass.persistence import load_classifier

        return load_classifier(path)
