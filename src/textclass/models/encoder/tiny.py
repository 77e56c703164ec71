"""``tiny-random-bert`` and ``tiny-random-mpnet``: randomly initialised two-layer folders, for tests.

Written once under ``<cache>/encoders/`` from a fixed seed, so every process (and a
saved artifact's reload) sees the same weights. Each has the real layout
(``config.json``, ``tokenizer.json``, ``model.safetensors``, the architecture's tensor
names and special tokens) and a WordPiece vocabulary of letters, digits, punctuation
and a few dozen common words.
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
MPNET_CONFIG = {
    **{k: v for k, v in CONFIG.items() if k != "type_vocab_size"},
    "model_type": "mpnet",
    "architectures": ["MPNetModel"],
    "max_position_embeddings": 130,  # 128 tokens after the pad id and the one before them
    "layer_norm_eps": 1e-5,
    "pad_token_id": 1,
    "relative_attention_num_buckets": 32,
}
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
MPNET_SPECIAL = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]  # MPNet's order: <pad> is 1
WORDS = (
    "the a and of to is was it in for on with not very good great bad awful food "
    "staff place value lovely rude really service movie film team match goal vote "
    "party minister stock market profit"
).split()


def vocabulary(special=SPECIAL) -> list[str]:
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    symbols = list("0123456789.,!?'\"-()")
    return special + letters + [f"##{c}" for c in letters + list("0123456789")] + symbols + WORDS


def write_tiny_folder(folder: Path, config: dict | None = None, seed: int = 0) -> Path:
    """Write a random checkpoint of ``config`` (default: the tiny BERT; with
    ``model_type="mpnet"``, MPNet's names and special tokens) into ``folder``."""
    import json

    from safetensors.numpy import save_file

    mpnet = (config or {}).get("model_type") == "mpnet"
    special = MPNET_SPECIAL if mpnet else SPECIAL
    base = MPNET_CONFIG if mpnet else CONFIG
    config = {**base, "vocab_size": len(vocabulary(special)), **(config or {})}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config, indent=2))
    tokenizer_json(folder / "tokenizer.json", special)
    save_file(random_tensors(config, seed), str(folder / "model.safetensors"))
    return folder


def tokenizer_json(path: Path, special=SPECIAL) -> None:
    """A WordPiece tokenizer.json over :func:`vocabulary`: ``[CLS] ... [SEP]`` (BERT) or
    ``<s> ... </s>`` (MPNet's RoBERTa-style template)."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = {token: i for i, token in enumerate(vocabulary(special))}
    start, end, unk = (special[0], special[2], special[3]) if special == MPNET_SPECIAL else (
        "[CLS]", "[SEP]", "[UNK]")  # fmt: skip
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token=unk, max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    if special == MPNET_SPECIAL:
        tokenizer.post_processor = processors.RobertaProcessing((end, 2), (start, 0))
    else:
        tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{start} $A {end}",
            pair=f"{start} $A {end} $B:1 {end}:1",
            special_tokens=[(start, vocab[start]), (end, vocab[end])],
        )
    tokenizer.decoder = decoders.WordPiece()
    tokenizer.save(str(path))


def random_tensors(config: dict, seed: int = 0) -> dict[str, np.ndarray]:
    """Hugging Face ``BertModel`` (or ``MPNetModel``) tensor names and shapes, drawn
    N(0, 0.02) (LayerNorm: 1, 0)."""
    rng = np.random.default_rng(seed)
    h, inner = config["hidden_size"], config["intermediate_size"]
    mpnet = config.get("model_type") == "mpnet"

    def normal(*shape):
        return rng.normal(0.0, 0.02, size=shape).astype(np.float32)

    out = {
        "embeddings.word_embeddings.weight": normal(config["vocab_size"], h),
        "embeddings.position_embeddings.weight": normal(config["max_position_embeddings"], h),
        "embeddings.LayerNorm.weight": np.ones(h, np.float32),
        "embeddings.LayerNorm.bias": np.zeros(h, np.float32),
    }
    if mpnet:  # larger than the rest: a bias that changes the vectors in a test
        buckets, heads = config["relative_attention_num_buckets"], config["num_attention_heads"]
        out["encoder.relative_attention_bias.weight"] = normal(buckets, heads) * 50
    else:
        out["embeddings.token_type_embeddings.weight"] = normal(config["type_vocab_size"], h)
    names = _mpnet_names if mpnet else _bert_names
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        for name in ("query", "key", "value", "attention_out"):
            out[f"{p}{names[name]}.weight"] = normal(h, h)
            out[f"{p}{names[name]}.bias"] = normal(h)
        out[f"{p}intermediate.dense.weight"] = normal(inner, h)
        out[f"{p}intermediate.dense.bias"] = normal(inner)
        out[f"{p}output.dense.weight"] = normal(h, inner)
        out[f"{p}output.dense.bias"] = normal(h)
        for norm in (names["attention_norm"], "output.LayerNorm"):
            out[f"{p}{norm}.weight"] = np.ones(h, np.float32)
            out[f"{p}{norm}.bias"] = np.zeros(h, np.float32)
    return out


_bert_names = {
    "query": "attention.self.query",
    "key": "attention.self.key",
    "value": "attention.self.value",
    "attention_out": "attention.output.dense",
    "attention_norm": "attention.output.LayerNorm",
}
_mpnet_names = {
    "query": "attention.attn.q",
    "key": "attention.attn.k",
    "value": "attention.attn.v",
    "attention_out": "attention.attn.o",
    "attention_norm": "attention.LayerNorm",
}


def tiny_folder(model_type: str = "bert") -> Path:
    """The tiny checkpoint's folder (``model_type`` bert or mpnet) under the cache, written
    on first use."""
    from textclass.compilation_cache import cache_root

    config = MPNET_CONFIG if model_type == "mpnet" else CONFIG
    target = cache_root() / "encoders" / f"tiny-random-{model_type}-v{VERSION}"
    return write_atomically(target, lambda folder: write_tiny_folder(folder, config))


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
