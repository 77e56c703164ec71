"""Run directories written by textclass 0.1 (``format_version`` 1), read as format 2.

Format 1 knew six families and wrote the tokenizer (``tokenizer.json``) and the
TF-IDF weights (``idf.npz``) instead of a preprocessor; its model files
(``model.keras``, ``linear.npz``) are the runtimes' files unchanged. The tables
below are the frozen facts of that release, kept here and nowhere else.
"""

from __future__ import annotations

# family -> (preprocessor, runtime) in textclass 0.1
PARTS = {
    "logreg": ("bag_of_words", "sklearn"),
    "dense": ("bag_of_words", "keras"),
    "multihot": ("bag_of_words", "keras"),
    "embedding": ("word_ids", "keras"),
    "cnn": ("word_ids", "keras"),
    "rnn": ("word_ids", "keras"),
}


def migrate_config(config: dict) -> dict:
    name = config["model"]["name"]
    if name not in PARTS:
        from textclass.errors import ArtifactError

        raise ArtifactError(f"format 1 model {name!r} is not one textclass 0.1 wrote")
    preprocessor, runtime = PARTS[name]
    out = {k: v for k, v in config.items() if k not in ("maxlen", "vocab_size", "pretrained")}
    inputs = {"vocab_size": config.get("vocab_size")}
    if preprocessor == "word_ids":
        inputs["maxlen"] = config.get("maxlen")
    out.update(
        format_version=2,
        migrated_from=1,
        preprocessor={"name": preprocessor, "inputs": inputs},
        runtime={"name": runtime},
        notes={"pretrained": config["pretrained"]} if config.get("pretrained") else {},
        v1_maxlen=config.get("maxlen"),
    )
    return out
