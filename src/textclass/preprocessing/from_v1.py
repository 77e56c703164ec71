"""The preprocessor of a run directory written by textclass 0.1 (``format_version`` 1),
rebuilt from its ``tokenizer.json`` and ``idf.npz`` (the config itself is migrated by
:mod:`textclass.persistence.format_v1`)."""

from __future__ import annotations

from textclass.persistence.files import load_npz, read_json


def read_preprocessor(run, config: dict):
    from textclass.preprocessing.preprocessors import BagOfWords, WordIds
    from textclass.preprocessing.tokenizer import Tokenizer

    tokenizer = Tokenizer.from_dict(read_json(run.path / "tokenizer.json"))
    estimator = config["estimator"]
    if config["preprocessor"]["name"] == "word_ids":
        out = WordIds(
            tokenizer,
            maxlen=estimator.get("maxlen"),
            padding=estimator.get("padding", "post"),
            truncating=estimator.get("truncating", "post"),
        )
        out.maxlen_ = int(config["v1_maxlen"])
        return out
    params = config["model"]["params"]
    mode = "binary" if config["model"]["name"] == "multihot" else params.get("mode", "count")
    out = BagOfWords(tokenizer, mode=mode)
    idf = run.path / "idf.npz"
    out.idf_ = load_npz(idf)["idf"] if idf.exists() else None
    return out
