"""``tiny-random-bert``: a randomly initialised two-layer BERT folder, for tests.

Written once under ``<cache>/encoders/`` from a fixed seed, so every process (and a
saved artifact's reload) sees the same weights. It has the real layout
(``config.json``, ``tokenizer.json``, ``model.safetensors``) and a WordPiece
vocabulary of letters, digits, punctuation and a few dozen common words.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

VERSION = 2  # bump with any change to CONFIG, the vocabulary or the drawing
CONFIG = {
    "model_type": "bert",
    "architectures": ["BertModel"],
    "hidden_size": 16,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "intermediate_size": 32,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.1,
    "max_position_embeddings": 128,
    "type_vocab_size": 2,
    "layer_norm_eps": 1e-12,
    "pad_token_id": 0,
}
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = (
    "the a and of to is was it in for on with not very good great bad awful food "
    "staff place value lovely rude really service movie film team match goal vote "
    "party minister stock market profit"
).split()


def vocabulary() -> list[str]:
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    symbols = list("0123456789.,!?'\"-()")
    return SPECIAL + letters + [f"##{c}" for c in letters + list("0123456789")] + symbols + WORDS


def write_tiny_folder(folder: Path, config: dict | None = None, seed: int = 0) -> Path:
    """Write a random BERT checkpoint of ``config`` (default: the tiny one) into ``folder``."""
    import json

    from safetensors.numpy import save_file

    config = {**CONFIG, "vocab_size": len(vocabulary()), **(config or {})}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config, indent=2))
    tokenizer_json(folder / "tokenizer.json")
    save_file(random_tensors(config, seed), str(folder / "model.safetensors"))
    return folder


def tokenizer_json(path: Path) -> None:
    """A BERT-style WordPiece tokenizer.json over :func:`vocabulary`."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = {token: i for i, token in enumerate(vocabulary())}
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    tokenizer.decoder = decoders.WordPiece()
    tokenizer.save(str(path))


def random_tensors(config: dict, seed: int = 0) -> dict[str, np.ndarray]:
    """Hugging Face ``BertModel`` tensor names and shapes, drawn N(0, 0.02) (LayerNorm: 1, 0)."""
    rng = np.random.default_rng(seed)
    h, inner = config["hidden_size"], config["intermediate_size"]

    def normal(*shape):
        return rng.normal(0.0, 0.02, size=shape).astype(np.float32)

    out = {
        "embeddings.word_embeddings.weight": normal(config["vocab_size"], h),
        "embeddings.position_embeddings.weight": normal(config["max_position_embeddings"], h),
        "embeddings.token_type_embeddings.weight": normal(config["type_vocab_size"], h),
        "embeddings.LayerNorm.weight": np.ones(h, np.float32),
        "embeddings.LayerNorm.bias": np.zeros(h, np.float32),
    }
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        for name in ("query", "key", "value"):
            out[f"{p}attention.self.{name}.weight"] = normal(h, h)
            out[f"{p}attention.self.{name}.bias"] = normal(h)
        out[f"{p}attention.output.dense.weight"] = normal(h, h)
        out[f"{p}attention.output.dense.bias"] = normal(h)
        out[f"{p}intermediate.dense.weight"] = normal(inner, h)
        out[f"{p}intermediate.dense.bias"] = normal(inner)
        out[f"{p}output.dense.weight"] = normal(h, inner)
        out[f"{p}output.dense.bias"] = normal(h)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            out[f"{p}{norm}.weight"] = np.ones(h, np.float32)
            out[f"{p}{norm}.bias"] = np.zeros(h, np.float32)
    return out


def tiny_folder() -> Path:
    """The tiny checkpoint's folder under the cache, written on first use."""
    from textclass.compilation_cache import cache_root

    target = cache_root() / "encoders" / f"tiny-random-bert-v{VERSION}"
    return write_atomically(target, write_tiny_folder)


def write_atomically(target: Path, write) -> Path:
    """Call ``write(tmp_folder)`` and move the folder to ``target`` (racing writers: first wins)."""
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    write(tmp)
    try:
        os.rename(tmp, target)
    except OSError:  # another process made it first
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return target
