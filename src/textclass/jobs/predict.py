"""The predict job: labels (and explanations) for texts given or read from a file.

It goes through the light loader (:class:`textclass.inference.Predictor`: no
scikit-learn, no training code), so a cold ``textclass predict`` is mostly imports;
this module imports nothing heavy until it runs.
"""

from __future__ import annotations

from textclass.jobs.requests import PredictRequest


def read_texts(request: PredictRequest):
    """``(texts, frame)``: the request's texts, or the text column of its input file
    (``frame``: the whole table, for outputs that repeat its columns; else None)."""
    if request.input is None:
        return list(request.texts), None
    from textclass.data.readers import read_frame, text_column

    wanted = (request.text_col,) if request.text_col else ()
    frame = read_frame(
        request.input, format=request.input_format, encoding=request.encoding, wanted=wanted
    )
    return text_column(frame, request.input, request.text_col), frame


def predict(request: PredictRequest, texts: list[str]):
    """:class:`textclass.inference.Predictions` of ``texts`` (from :func:`read_texts`)."""
    from textclass.inference import predict_texts

    source = None if request.input is None else str(request.input)
    return predict_texts(request.run, texts, source=source, explain=request.explain)
