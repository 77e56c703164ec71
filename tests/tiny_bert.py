"""The tiny random BERT the encoder tests share: its config, a corpus, the reference fixture."""

from pathlib import Path

TINY_CONFIG = {
    "hidden_size": 8,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "intermediate_size": 16,
    "max_position_embeddings": 128,
}
TEXTS = ["great food", "lovely staff", "good and great", "really lovely"] * 2 + [
    "awful food",
    "rude staff",
    "bad and awful",
    "really bad",
] * 2
LABELS = ["pos"] * 8 + ["neg"] * 8
FIXTURE = Path(__file__).with_name("fixtures") / "encoder" / "minilm_reference.json"


def row_cosines(vectors, expected):
    """Cosine similarity of each row of ``vectors`` with the same row of ``expected``."""
    import numpy as np

    vectors, expected = np.asarray(vectors, dtype=np.float64), np.asarray(expected, np.float64)
    norms = np.linalg.norm(vectors, axis=1) * np.linalg.norm(expected, axis=1)
    return (vectors * expected).sum(1) / norms
