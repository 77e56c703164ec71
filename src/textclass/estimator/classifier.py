"""``TextClassifier``: raw texts in, labels out, scikit-learn compatible.

It is family-agnostic: it checks inputs, encodes labels, resolves the training settings (the
family's defaults where the user set none), seeds, and delegates. The family (``models/``)
names its preprocessor (texts -> model inputs) and its runtime (build, fit, predict, save);
the estimator only talks to those two interfaces and never asks what kind of family it holds.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from textclass.decisions import Decision, decide
from textclass.decisions import thresholds as th
from textclass.decisions import weights as cw
from textclass.errors import DataError
from textclass.estimator.auto import AUTO, check_time_limit, fit_auto
from textclass.estimator.inspecting import Inspecting
from textclass.estimator.params import FamilyParams
from textclass.estimator.settings import check_settings, with_python_ints
from textclass.preprocessing import check_texts
from textclass.preprocessing.validation import texts_to_predict
from textclass.runtimes.base import TrainingSettings


class TextClassifier(FamilyParams, Inspecting, ClassifierMixin, BaseEstimator):
    """A text classifier over any registered model family.

    Parameters
    ----------
    model : str or ModelFamily, default="ngram"
        A registered family name (``textclass models`` lists them) or a family
        instance such as ``CNN(filters=64)``. Its hyperparameters are reachable
        as ``model__<name>`` by ``set_params`` and scikit-learn's searches.
        ``"auto"``: ``fit`` chooses the family (or an ensemble) by cross-validation on
        the texts it is given, within ``time_limit``; ``auto_`` holds the leaderboard.
    num_words : int or None
        Keep the ``num_words - 1`` most frequent training words (Keras rule).
        None: the family's own limit (``multihot``: 10,000), else every word.
    maxlen : int, None or "auto", default="auto"
        Sequence length: texts longer are cut (and counted). "auto": the family's own,
        100 words for the word-id networks (the Keras tutorials'), the checkpoint's
        ``max_seq_length`` for ``encoder`` (256 subword tokens for all-MiniLM-L6-v2, what
        sentence-transformers reads). None: the longest training text (``encoder``: as
        "auto"). The bag-of-words and n-gram families read every word whatever it is.
    padding, truncating :
        Where zeros go / which end is cut ("pre"/"post").
    oov_token : str or None
        If set, unknown words map to index 1 instead of being dropped.
    analyzer : {"auto", "keras", "sklearn"}
        How words are split: the Keras 2 ``Tokenizer`` rules, scikit-learn's
        ``CountVectorizer`` pattern, or the family's own default ("auto").
    epochs, batch_size, optimizer, learning_rate, loss :
        Keras training settings. None takes the family's default
        (``textclass models`` shows them: 20 epochs of 32 with adam for most;
        4 epochs of 512 with rmsprop for multihot). ``optimizer`` is adam,
        rmsprop, sgd, adamw or adagrad.
        ``loss=None`` picks binary or sparse categorical cross-entropy from the
        number of classes; any Keras loss name overrides it (e.g. "mse").
        With ``epochs=None`` a network trains for at most the family's epochs
        and stops early: ``early_stopping`` defaults to the family's patience
        (5 epochs) on a validation split (10 % of the training texts unless
        ``validation_split`` or ``validation_data`` is given), and the best
        weights are restored. A fixed ``epochs`` trains exactly that many.
    validation_split : float
        Fraction of the training data held out for validation metrics.
    early_stopping : int or None
        Patience in epochs on the validation loss; the best weights are
        restored. Without validation data, 10 % of the training texts are held
        out for it (``training_settings()["notes"]`` says so).
    random_state : int or None
        Seed for weights, shuffling and dropout: one seed, one result.
    verbose : int
        0 silent, 1 progress bar, 2 one line per epoch.
    threshold : None, float or str
        How a binary or multi-label problem turns probabilities into labels: a
        label is predicted when its probability is at least the threshold.
        None: the most probable class (binary); for multi-label, thresholds tuned
        for F1 per label ("max-f1") with validation data or 1,000 texts, else 0.5.
        A number in (0, 1) applies to every label / to P(positive class), the
        positive class being the second of ``classes_`` (``1``, ``"pos"``, ``"spam"``).
        ``"max-f1"``, ``"precision=0.99"`` or ``"recall=0.9"`` tune it (one per
        label for multi-label) on ``validation_data``, else on 20 % of the
        training texts held out of training. ``thresholds_`` holds the result.
    class_weight : None, "balanced" or dict
        Weights of the classes in the loss, for every family: "balanced"
        (``n / (n_classes * count)``, per label for multi-label) or
        ``{label: weight}`` (for multi-label: the weight of a label's positive
        texts). Unnamed classes weigh 1.
    time_limit : float, default=600
        Seconds for ``model="auto"``: the choice and the winner's fit together
        (ignored by the other models).

    Notes
    -----
    Labels are single values (strings, numbers) or, for multi-label problems, one list (tuple,
    set) of labels per text, or a ``(n, k)`` 0/1 indicator matrix. ``predict`` answers in the
    same form: a label per text, a list of labels per text (in ``classes_`` order, possibly
    empty), or an indicator matrix; ``predict_proba`` gives one independent probability per label.
    """

    def __init__(
        self,
        *,
        model="ngram",
        num_words=None,
        maxlen="auto",
        padding="post",
        truncating="post",
        oov_token=None,
        analyzer="auto",
        lower=True,
        epochs=None,
        batch_size=None,
        optimizer=None,
        learning_rate=None,
        loss=None,
        validation_split=0.0,
        early_stopping=None,
        random_state=None,
        verbose=0,
        threshold=None,
        class_weight=None,
        time_limit=600.0,
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
        self.threshold = threshold
        self.class_weight = class_weight
        self.time_limit = time_limit

    # ------------------------------------------------------------ parameters
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def _validate_params(self) -> None:
        check_settings(self)

    def check_params(self) -> TextClassifier:
        """Raise ConfigError for an impossible setting or hyperparameter, before any fitting."""
        self._validate_params()
        if self.model == AUTO:
            check_time_limit(self.time_limit)
        else:
            self._family().validate()
        return self

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, *, validation_data=None, callbacks=None):
        """Learn the preprocessing, the label set and the model from texts ``X`` and labels ``y``.

        ``validation_data=(texts, labels)`` is scored after every epoch (and
        drives ``early_stopping``) and tunes a ``threshold`` goal; it is never used
        to fit the preprocessing.
        ``callbacks``: extra Keras callbacks (progress displays, logging).
        """
        self.check_params()
        texts = check_texts(X, name="X")
        if len(texts) == 0:
            raise DataError("cannot fit on an empty dataset (0 texts)")
        if self.model == AUTO:
            return fit_auto(self, texts, y, validation_data=validation_data, callbacks=callbacks)
        encoder, targets = decide.encode(y)
        if len(targets) != len(texts):
            raise DataError(f"X has {len(texts)} texts but y has {len(targets)} labels")
        multilabel = targets.ndim == 2
        rule = th.rule_for(
            self.threshold,
            multilabel=multilabel,
            n_texts=len(texts),
            has_validation=validation_data is not None,
        )
        th.check_task(rule, len(encoder.classes_), multilabel)
        family = with_python_ints(self._family())
        self.family_ = family
        self.classes_ = encoder.classes_
        texts, targets, validation, tuning_source = decide.validation_split(
            rule, texts, targets, validation_data, encoder, self.random_state
        )
        settings = TrainingSettings.resolve(
            self, family, n_samples=len(texts), has_validation_data=validation is not None
        )
        settings = dataclasses.replace(
            settings, class_weight=cw.resolve(self.class_weight, self.classes_, targets)
        )

        self.preprocessor_ = family.make_preprocessor(self)
        x = self.preprocessor_.fit_transform(texts)
        if validation is not None:
            validation = (self.preprocessor_.transform(validation[0]), validation[1])
        inputs, self.notes_ = family.build_inputs(self.preprocessor_)
        if settings.notes:
            self.notes_ = {**self.notes_, "training": list(settings.notes)}
        self.runtime_ = family.runtime_cls(family)
        self.runtime_.seed(self.random_state)
        self.history_ = self.runtime_.fit(
            x,
            targets,
            n_classes=len(self.classes_),
            inputs=inputs,
            settings=settings,
            validation=validation,
            callbacks=callbacks,
        )
        self.multilabel_ = multilabel
        self._decide(rule, validation, tuning_source, indicator=getattr(encoder, "indicator", 0))
        return self

    def _decide(self, rule, validation, source: str, *, indicator) -> None:
        """``decision_`` from the threshold ``rule``, tuned on ``validation`` if it says so."""
        tuned = rule is not None and rule.tuned
        tuning = {"targets": validation[1], "proba": self._proba(validation[0])} if tuned else {}
        self.decision_ = decide.choose(rule, len(self.classes_), multilabel=self.multilabel_,
                                       source=source, **tuning)  # fmt: skip
        self.decision_["indicator"] = bool(indicator)
        lines = decide.notes(self.decision_, self.classes_)
        self.notes_ = {**self.notes_, "thresholds": lines} if lines else self.notes_

    def _proba(self, x, multilabel: bool | None = None) -> np.ndarray:
        """Probabilities for model inputs ``x`` (one per label, or per class summing to 1)."""
        if self.multilabel_ if multilabel is None else multilabel:
            return self.runtime_.predict_label_proba(x)
        return self.runtime_.predict_proba(x)

    @property
    def thresholds_(self) -> np.ndarray | None:
        """The decision thresholds: one per label (multi-label), ``[t]`` on P(positive class)
        (binary with a threshold), or None (the most probable class)."""
        check_is_fitted(self, "decision_")
        return Decision.of(self).cuts

    def transform_texts(self, X):
        """The model's input for texts ``X`` (padded indices, a sparse matrix, ...)."""
        check_is_fitted(self, "preprocessor_")
        return self.preprocessor_.transform(check_texts(X, name="X"))

    # ------------------------------------------------------------ predicting
    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, one column per entry of ``classes_``; rows sum to 1
        (multi-label: each label's own probability, independent of the others).

        An empty (or whitespace-only) text is refused with a DataError naming its
        rows (the readers refuse it in training data too): the model has nothing
        to go on, and any label it gave would look confident.
        """
        check_is_fitted(self, "runtime_")
        return self._proba(self.preprocessor_.transform(texts_to_predict(X)))

    def predict(self, X):
        """Each text's label, as the labels given to ``fit``: the most probable class, or
        the positive class when its probability reaches ``thresholds_``; for multi-label,
        the list of labels whose probability reaches their threshold (an indicator
        matrix if ``fit`` was given one)."""
        proba = self.predict_proba(X)  # first: it says when the classifier is not fitted
        return Decision.of(self).predict(proba)

    def score(self, X, y, sample_weight=None) -> float:
        """Accuracy; for multi-label, subset accuracy (every label of a text right)."""
        if not getattr(self, "multilabel_", False):
            return super().score(X, y, sample_weight=sample_weight)
        from sklearn.metrics import accuracy_score

        proba = self.predict_proba(X)
        predicted = Decision.of(self).indices(proba).astype(np.uint8)
        truth = self._encoder().transform(y)
        return float(accuracy_score(truth, predicted, sample_weight=sample_weight))

    def _encoder(self):
        return decide.encoder_for(self.decision_, self.classes_)

    def explain(self, X, *, top: int = 10, label=None, deadline=None) -> list[dict]:
        """For each text, the ``top`` words or n-grams that pushed its prediction most.

        Returns one dict per text: ``label`` (the predicted class, or for multi-label
        the most probable label; ``label=`` picks another), its ``probability``, the
        ``method`` and ``features``, ``[[name, weight], ...]`` largest first, signed
        (positive: towards the label). Linear families are exact (coefficient x
        feature value); networks use batched leave-one-word-out occlusion (a word's
        weight: how much the label's probability drops without it), bounded whatever the
        text's length (:mod:`textclass.explain`); ``deadline`` (``time.monotonic()``)
        stops that work with TimeLimitError.
        """
        from textclass.explain import explain

        check_is_fitted(self, "runtime_")
        return explain(self, X, top=top, label=label, deadline=deadline)

    # ---------------------------------------------------------- persistence
    def save(self, path, *, metrics: dict | None = None, extra: dict | None = None) -> None:
        """Write one run directory (no pickle); see :mod:`textclass.persistence`."""
        from textclass.estimator.runs import save_classifier

        check_is_fitted(self, "runtime_")
        save_classifier(self, path, metrics=metrics, extra=extra)

    @classmethod
    def load(cls, path) -> TextClassifier:
        """A fitted classifier from a run directory written by ``save`` (any format version)."""
        from textclass.estimator.runs import load_classifier

        return load_classifier(cls, path)
