"""Sentence vectors from a frozen encoder: length-grouped compiled batches, cached on disk.

``grouped_outputs(fn, ids, ...)`` runs any ``ids -> rows`` function over a token-id
matrix in batches of similar length: rows are sorted by length, each batch is cut to
the smallest length bucket that holds it and padded to a power-of-two row count, so
a compiled function sees at most ``len(buckets) * 7`` shapes in its life.

``packed_outputs(model, ids, ...)`` runs a frozen encoder over *packed* rows instead:
short sentences side by side in rows of ``PACK_WIDTH`` tokens (longest first, each into
the row with the most room),
each attending only to itself (``BertEncoder.pooled_segments``). UCI sentences average 16
tokens: bucket padding cost 31 % more tokens than the sentences hold, packing about 2 %,
and one row width means few compiled shapes.

``embed(weights, ids, ...)`` gives the mean-pooled vectors of one checkpoint;
``window_vectors`` averages those of a long text's windows into one. The
encoder is built once per process; vectors are cached by (vector space, token ids) in
memory and, unless ``cache_dir`` is False, on disk under ``<cache>/embeddings/<space>/``
(``$TEXTCLASS_CACHE``, else ``~/.cache/textclass``), so repeated fits, cross-validation
folds and searches encode each training text once. The space is the weights id, with
``-bf16`` when the products ran in bfloat16. Predictions read the cache and add nothing
to it (a server would keep every request's vector otherwise); one of fewer than
``MIN_SHARD`` texts in a process that has not read the cache yet does not read it (a
server's first request would wait for every shard). The token ids are a
function of the text, the tokenizer and ``maxlen``: keying by them is keying by the text
as the encoder saw it.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import tempfile
from pathlib import Path

import numpy as np

from textclass.models.encoder.preprocessor import bucket, to_width
from textclass.runtimes.keras_predict import predict_function

BATCH = 64
_ROWS = (1, 4, 16, 64)  # rows a batch is padded to: few compiled shapes
PACK_WIDTH = 64  # tokens per packed row (longer sentences get a row of their bucket)
PACK_TOKENS = 2048  # tokens per packed batch: rows = PACK_TOKENS // width
MAX_SEGMENTS = 32  # sentences per packed row, at most (each has [CLS] and [SEP])
_ENCODERS: dict[str, object] = {}  # vector space -> keras.Model(ids -> vectors)
_PACKED: dict[str, object] = {}  # vector space -> keras.Model(packed rows -> segment vectors)
_MEMORY: dict[str, dict[bytes, np.ndarray]] = {}  # cache folder (or space) -> key -> vector
# a prediction of fewer new texts than this adds nothing to the disk cache (no shard per
# request), and one of fewer texts than this does not load it
MIN_SHARD = 16


def grouped_outputs(fn, ids: np.ndarray, *, pad_id: int, buckets, batch: int = BATCH):
    """``fn`` over ``ids`` in length-sorted, bucket-trimmed batches; rows in input order."""
    ids = np.asarray(ids)
    lengths = (ids != pad_id).sum(axis=1)
    order = np.argsort(lengths, kind="stable")
    out = None
    for start in range(0, len(order), batch):
        rows = order[start : start + batch]
        width = bucket(max(int(lengths[rows].max()), 1), buckets)
        chunk = to_width(ids[rows], width, pad_id)  # the matrix may be narrower than the bucket
        size = next((r for r in _ROWS if r >= len(rows)), len(rows))
        if size > len(rows):
            chunk = np.concatenate([chunk, np.full((size - len(rows), width), pad_id, chunk.dtype)])
        result = np.asarray(fn(chunk))[: len(rows)]
        if out is None:
            out = np.zeros((len(ids), *result.shape[1:]), dtype=result.dtype)
        out[rows] = result
    return out


def vector_space(weights, bfloat16: bool = False) -> str:
    """What a cached vector was computed by: the weights, and bfloat16 products or not."""
    return f"{weights.id}-bf16" if bfloat16 else weights.id


def frozen_encoder(weights, bfloat16: bool = False):
    """``keras.Model(ids -> mean-pooled vectors)`` for ``weights``, built once per process;
    ``bfloat16``: its matrix products from bfloat16 inputs (``BertEncoder``)."""
    space = vector_space(weights, bfloat16)
    model = _ENCODERS.get(space)
    if model is None:
        import keras

        from textclass.models.encoder.architectures import pretrained_encoder

        encoder = pretrained_encoder(weights)
        encoder.trainable = False
        encoder.use_bfloat16_products(bfloat16)
        ids = keras.Input((None,), dtype="int32", name="token_ids")
        model = keras.Model(ids, encoder(ids), name="frozen_encoder")
        _ENCODERS[space] = model
    return model


def pack(lengths: np.ndarray, width: int, max_segments: int = MAX_SEGMENTS):
    """Longest first, each into the row with the most room (a heap: O(n log n)).

    Returns ``(row, offset, segment, n_rows)``: where every sentence goes, and its segment
    number in that row (1-based)."""
    order = np.argsort(-np.asarray(lengths), kind="stable")
    row_of = np.zeros(len(lengths), dtype=np.int64)
    offset = np.zeros(len(lengths), dtype=np.int64)
    segment = np.zeros(len(lengths), dtype=np.int64)
    roomy: list[tuple[int, int, int]] = []  # (-free tokens, row, sentences) of open rows
    n_rows = 0
    for i in order.tolist():
        n = int(lengths[i])
        if roomy and -roomy[0][0] >= n:
            free, row, count = heapq.heappop(roomy)
            free = -free
        else:
            free, row, count = width, n_rows, 0
            n_rows += 1
        row_of[i], offset[i], segment[i] = row, width - free, count + 1
        free, count = free - n, count + 1
        if free >= 2 and count < max_segments:  # [CLS] [SEP] alone need 2
            heapq.heappush(roomy, (-free, row, count))
    return row_of, offset, segment, n_rows


def packed_outputs(model, ids: np.ndarray, *, pad_id: int, buckets) -> np.ndarray:
    """Per-sentence outputs of ``model`` (``packed_encoder``) over packed rows of ``ids``."""
    ids = np.asarray(ids)
    lengths = np.maximum((ids != pad_id).sum(axis=1), 1)
    total, longest = int(lengths.sum()), int(lengths.max())
    # one short text: a row of its own bucket; many: rows of PACK_WIDTH (or the longest's)
    width = max(bucket(longest, buckets), bucket(min(PACK_WIDTH, total), buckets))
    row_of, offset, segment_of, n_rows = pack(lengths, width)
    tokens = np.full((n_rows, width), pad_id, dtype=np.int32)
    segments = np.zeros((n_rows, width), dtype=np.int32)
    positions = np.zeros((n_rows, width), dtype=np.int32)
    for i, (row, start, n) in enumerate(zip(row_of, offset, lengths)):
        tokens[row, start : start + n] = ids[i, :n]
        segments[row, start : start + n] = segment_of[i]
        positions[row, start : start + n] = np.arange(n)
    predict = predict_function(model)
    step = max(PACK_TOKENS // width, 1)
    sizes = tuple(r for r in _ROWS if r < step) + (step,)
    out = None
    for start in range(0, n_rows, step):
        chunk = [a[start : start + step] for a in (tokens, segments, positions)]
        size = next(r for r in sizes if r >= len(chunk[0]))
        if size > len(chunk[0]):
            extra = size - len(chunk[0])
            chunk = [np.concatenate([a, np.zeros((extra, width), a.dtype)]) for a in chunk]
        result = np.asarray(predict(chunk))  # (rows, MAX_SEGMENTS, hidden)
        if out is None:
            out = np.zeros((len(ids), result.shape[-1]), dtype=result.dtype)
        mine = np.flatnonzero((row_of >= start) & (row_of < start + step))
        out[mine] = result[row_of[mine] - start, segment_of[mine] - 1]
    return out


def packed_encoder(weights, bfloat16: bool = False):
    """``keras.Model([ids, segments, positions] -> segment vectors)``, once per process."""
    space = vector_space(weights, bfloat16)
    model = _PACKED.get(space)
    if model is None:
        import keras

        from textclass.models.encoder.backbone import PackedEncoder

        # the same weights, built once
        encoder = frozen_encoder(weights, bfloat16).get_layer("encoder")
        inputs = [keras.Input((None,), dtype="int32", name=n) for n in ("ids", "seg", "pos")]
        model = keras.Model(inputs, PackedEncoder(encoder, MAX_SEGMENTS)(inputs), name="packed")
        _PACKED[space] = model
    return model


def embed(
    weights, ids, *, pad_id: int, buckets, cache_dir=None, store: bool = True, bfloat16=False
) -> np.ndarray:
    """Float32 sentence vectors of ``ids`` (``(n, hidden)``), cached as described above.

    ``store=False`` (predictions) reads the cache but adds nothing to it: a server or a
    batch scoring run sees texts without end, and keeping each one's vector would grow
    the process and the cache folder with every request. ``bfloat16``: the encoder's
    matrix products from bfloat16 inputs; those vectors are cached apart."""
    ids = np.asarray(ids)
    lengths = (ids != pad_id).sum(axis=1)
    keys = [_key(row[:n]) for row, n in zip(ids, lengths)]
    space = vector_space(weights, bfloat16)
    folder = cache_folder(weights, cache_dir, bfloat16)
    # a prediction of a few texts (a server's request) does not load the disk cache: reading
    # every shard of a large cache costs far more than encoding them
    memory = _memory(folder, space, load=store or len(keys) >= MIN_SHARD)
    missing = [i for i, k in enumerate(keys) if k not in memory]
    if missing:
        first: dict[bytes, int] = {}
        for i in missing:
            first.setdefault(keys[i], i)
        unique, rows = list(first), np.array(list(first.values()))
        model = packed_encoder(weights, bfloat16)
        vectors = packed_outputs(model, ids[rows], pad_id=pad_id, buckets=buckets)
        vectors = vectors.astype(np.float32)
        if not store:
            new = dict(zip(unique, vectors))
            return np.stack([memory[k] if k in memory else new[k] for k in keys])
        memory.update(zip(unique, vectors))
        if folder is not None and len(unique) >= MIN_SHARD:
            _write_shard(folder, unique, vectors)
    return np.stack([memory[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)


def window_vectors(embed_rows, ids: np.ndarray, *, windows: int, pad_id: int) -> np.ndarray:
    """One vector per text of ``(n, windows * maxlen)`` ids (``SubwordIds`` with windows):
    the mean of its windows' vectors (``embed_rows``: ids -> vectors), each weighted by its
    text tokens, so a text counts as a whole and a short last window as what it holds."""
    ids = np.asarray(ids)
    rows = ids.reshape(len(ids) * windows, -1)
    lengths = (rows != pad_id).sum(axis=1)
    used = np.flatnonzero(lengths > 0)  # every text's first window holds [CLS] [SEP] at least
    vectors = embed_rows(rows[used])
    weight = np.maximum(lengths[used] - 2, 1).astype(np.float64)  # [CLS] [SEP] carry no text
    owner = used // windows
    out = np.zeros((len(ids), vectors.shape[1]), np.float64)
    np.add.at(out, owner, vectors * weight[:, None])
    return (out / np.bincount(owner, weight, minlength=len(ids))[:, None]).astype(np.float32)


def cache_folder(weights, cache_dir, bfloat16: bool = False) -> Path | None:
    """Where ``weights``' vectors (with ``bfloat16`` products or not) are kept on disk;
    None: memory only (``cache_dir=False``)."""
    if cache_dir is False:
        return None
    if cache_dir is None or cache_dir is True:
        from textclass.compilation_cache import cache_root as user_cache

        root = user_cache() / "embeddings"
    else:
        root = Path(cache_dir).expanduser()
    return root / vector_space(weights, bfloat16)


def _key(row: np.ndarray) -> bytes:
    return hashlib.blake2b(
        np.ascontiguousarray(row, dtype=np.int32).tobytes(), digest_size=16
    ).digest()


def _memory(folder: Path | None, space: str, load: bool = True) -> dict[bytes, np.ndarray]:
    """The vectors in memory for ``folder``, read from its shards the first time;
    ``load=False``: whatever is in memory already (nothing read from disk)."""
    # without a folder, one memory per vector space (the token ids alone do not say
    # which weights made a vector)
    name = str(folder) if folder is not None else f"memory:{space}"
    if name not in _MEMORY and not load:
        return {}
    if name not in _MEMORY:
        memory: dict[bytes, np.ndarray] = {}
        if folder is not None and folder.is_dir():
            for shard in sorted(folder.glob("*.npz")):
                try:
                    with np.load(shard) as data:
                        memory.update(zip((bytes(k) for k in data["keys"]), data["vectors"]))
                except (OSError, ValueError, KeyError):
                    continue  # a damaged shard is recomputed, never trusted
        _MEMORY[name] = memory
    return _MEMORY[name]


def _write_shard(folder: Path, keys: list[bytes], vectors: np.ndarray) -> None:
    """One ``.npz`` per batch of new vectors, written to a temporary name and renamed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.blake2b(b"".join(keys), digest_size=8).hexdigest()
        handle, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            np.savez(
                out, keys=np.frombuffer(b"".join(keys), np.uint8).reshape(-1, 16), vectors=vectors
            )
        os.replace(tmp, folder / f"{name}.npz")
    except OSError:
        pass  # a read-only or full cache only costs speed
