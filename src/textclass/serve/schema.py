"""The request body the prediction routes read."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, StrictStr


class PredictRequest(BaseModel):
    """``{"texts": ["...", ...], "top_k": 3, "explain": 5}``: texts to classify; ``top_k``
    (optional) keeps the most probable labels, ``explain`` (optional) adds each text's
    words or n-grams that pushed its prediction most, that many."""

    model_config = ConfigDict(extra="forbid")
    texts: list[StrictStr]
    top_k: int | None = None
    explain: int | None = None
