"""Request, response and error bodies: what ``/docs`` and ``/openapi.json`` describe.

A constraint that holds on every server lives in the request model (``Field``); its
documented wording is in ``_MESSAGES``. A server's own limits (texts per request,
characters per text) are its settings, checked by :mod:`.service`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

MAX_EXPLAIN = 50  # words per text an explanation may ask for

# a label comes back in the type it was trained with; numbers pass as they are (1 stays 1)
Label = StrictBool | StrictInt | StrictFloat | StrictStr
Number = StrictInt | StrictFloat


class PredictRequest(BaseModel):
    """Texts to classify; `top_k` (optional) keeps the most probable labels, `explain`
    (optional) adds each text's words or n-grams that pushed its prediction most, that many."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"texts": ["The food was great"], "top_k": 2}]},
    )
    texts: list[StrictStr] = Field(
        min_length=1,
        description="At least one text, none blank; at most the server's --max-texts "
        "(256 by default), each at most --max-chars characters (100,000 by default)",
    )
    top_k: int | None = Field(None, ge=1, description="Keep the k most probable labels")
    explain: int | None = Field(
        None, ge=1, le=MAX_EXPLAIN, description="Add each text's explanation, this many words"
    )


class LabelProbability(BaseModel):
    label: Label
    probability: float = Field(description="Rounded to 6 decimals")


class Explanation(BaseModel):
    """The words or n-grams that pushed a text's prediction most (`textclass predict --explain`)."""

    model_config = ConfigDict(extra="forbid")
    label: Label = Field(description="The label explained")
    probability: float
    method: Literal["coefficient x value", "leave-one-word-out"]
    features: list[tuple[str, float]] = Field(description="[word or n-gram, signed weight]")
    note: str | None = Field(
        None, description="Which words were occluded, when not all (a long text)"
    )


class _Scored(BaseModel):
    model_config = ConfigDict(extra="forbid")
    probabilities: list[LabelProbability] = Field(description="Most probable first")
    explanation: Explanation | None = Field(None, description="Only when asked with explain")


class Prediction(_Scored):
    """A single-label run's answer for one text: its label, as the run decides it."""

    label: Label


class MultilabelPrediction(_Scored):
    """A multi-label run's answer: every label whose probability reaches its threshold."""

    labels: list[Label]


class PredictResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: str = Field(description="The model that answered")
    predictions: list[Prediction | MultilabelPrediction] = Field(description="One per text")


class Decision(BaseModel):
    multilabel: bool
    thresholds: list[Number] | None = Field(description="Per label, for a multi-label run")


class ModelCard(BaseModel):
    """What a colleague asks about a model: family, labels, settings, data, metrics, versions."""

    name: str
    family: str
    labels: list[Label]
    hyperparameters: dict[str, Any]
    settings: dict[str, Any] = Field(description="The estimator's settings")
    inputs: dict[str, Any] = Field(description="The preprocessor's inputs")
    parameters: int | None = Field(description="Trained weights, when counted")
    training_data: dict[str, Any]
    metrics: dict[str, Number] = Field(description="Headline test metrics")
    decision: Decision
    versions: dict[str, Any] = Field(description="Library versions the run was trained with")


class ModelList(BaseModel):
    default: str | None = Field(description="The model answering POST /v1/predict, if any")
    models: list[ModelCard]


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready"]
    models: list[str]


class ErrorResponse(BaseModel):
    """Every error: a message for the client, never a stack trace."""

    error: str = Field(examples=["no model 'nope'; serving: yelp"])


_ERRORS: dict[int | str, str] = {
    400: "The body is not valid JSON",
    401: "Missing or wrong API key (only on a server started with one)",
    404: "No such model (for /v1/predict: no default model)",
    413: "The body is over the server's --max-body-bytes (1 MiB by default)",
    422: "The body breaks a rule of the request or a limit of the server",
    429: "Too many wrong API keys from this address within a minute (Retry-After says when)",
    503: "Still warming up, the warm-up failed, or the server is stopping",
    504: "The prediction took longer than the server's --timeout (10 s by default)",
    "default": "Any other error (a wrong method, an internal error)",
}


def error_responses(*statuses: int | str) -> dict:
    """``responses=`` for a route or router: each status's error body and meaning."""
    return {s: {"model": ErrorResponse, "description": _ERRORS[s]} for s in statuses}


_EXPLAIN_RANGE = f"explain must be between 1 and {MAX_EXPLAIN}, got {{input}}"

# the documented wording of the request model's constraints, by (field, pydantic error type)
_MESSAGES = {
    ("texts", "too_short"): "texts is empty: send at least one text",
    ("top_k", "greater_than_equal"): "top_k must be at least 1, got {input}",
    ("explain", "greater_than_equal"): _EXPLAIN_RANGE,
    ("explain", "less_than_equal"): _EXPLAIN_RANGE,
}


def describe(problem: dict) -> str:
    """One pydantic validation problem as the client reads it."""
    where = ".".join(str(p) for p in problem.get("loc", ()) if p != "body") or "body"
    message = _MESSAGES.get((where, problem.get("type")))
    if message is not None:
        return message.format(input=problem.get("input"))
    return f"{where}: {problem.get('msg', 'invalid')}"
