"""Request bodies and their checks, and the error type the routes raise."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, StrictStr


class ServeError(Exception):
    """An HTTP error with a message for the client (becomes ``{"error": message}``)."""

    def __init__(self, status: int, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


class PredictRequest(BaseModel):
    """``{"texts": ["...", ...], "top_k": 3, "explain": 5}``: texts to classify; ``top_k``
    (optional) keeps the most probable labels, ``explain`` (optional) adds each text's
    words or n-grams that pushed its prediction most, that many."""

    model_config = ConfigDict(extra="forbid")
    texts: list[StrictStr]
    top_k: int | None = None
    explain: int | None = None


def check_texts_for_service(texts: list[str], max_texts: int, max_chars: int) -> list[str]:
    """The service's limits; an empty text is refused by index, never given a label."""
    if not texts:
        raise ServeError(422, "texts is empty: send at least one text")
    if len(texts) > max_texts:
        raise ServeError(422, f"{len(texts)} texts in one request; the limit is {max_texts}")
    for i, text in enumerate(texts):
        if len(text) > max_chars:
            raise ServeError(
                422, f"texts[{i}] has {len(text):,} characters; the limit is {max_chars:,}"
            )
    empty = [i for i, t in enumerate(texts) if not t.strip()]
    if empty:
        shown = ", ".join(f"texts[{i}]" for i in empty[:5])
        raise ServeError(
            422, f"{shown} {'is' if len(empty) == 1 else 'are'} empty: nothing to classify"
        )
    return texts


MAX_EXPLAIN = 50  # words per text an explanation may ask for


def check_explain(explain: int | None) -> None:
    if explain is None:
        return
    if not 1 <= explain <= MAX_EXPLAIN:
        raise ServeError(422, f"explain must be between 1 and {MAX_EXPLAIN}, got {explain}")
