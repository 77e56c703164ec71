"""What a fitted ``TextClassifier`` can tell about itself: its model, its inputs, its
training settings, its size."""

from __future__ import annotations

from sklearn.utils.validation import check_is_fitted

from textclass.runtimes.base import TrainingSettings


class Inspecting:
    """Mixin of ``TextClassifier``: the inspecting methods and properties."""

    @property
    def model_(self):
        """The fitted model itself (a ``keras.Model``, a scikit-learn estimator)."""
        check_is_fitted(self, "runtime_")
        return self.runtime_.model

    @property
    def coverage_(self) -> dict | None:
        """Pretrained vectors' coverage of the vocabulary (None without vectors)."""
        check_is_fitted(self, "runtime_")
        return self.notes_.get("pretrained")

    def describe_inputs(self) -> dict:
        """What the preprocessor learned, in a few numbers (vocabulary size, maxlen, ...)."""
        check_is_fitted(self, "preprocessor_")
        return self.preprocessor_.describe()

    def training_settings(self, *, n_samples=None, validation_data: bool = False) -> dict:
        """The settings ``fit`` would use: the classifier's, the family's defaults where None.

        ``n_samples`` and ``validation_data`` (whether ``fit`` gets some) matter
        when a validation split is held out for early stopping; ``notes`` says
        what was decided beyond the classifier's own settings.
        """
        self.check_params()
        settings = TrainingSettings.resolve(
            self, self._family(), n_samples=n_samples, has_validation_data=validation_data
        )
        return settings.to_dict()

    def summary(self, print_fn=print) -> None:
        """Print the layers and parameter counts (or the linear model's size)."""
        check_is_fitted(self, "runtime_")
        self.runtime_.summary(print_fn=print_fn)

    def count_params(self, *, trainable_only: bool = False) -> int:
        """Parameters of the model (only those training updates, if asked)."""
        check_is_fitted(self, "runtime_")
        return self.runtime_.count_params(trainable_only=trainable_only)
