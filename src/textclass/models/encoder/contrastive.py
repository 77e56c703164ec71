"""Tuning an encoder on labelled sentence pairs: the first stage of SetFit.

SetFit (Tunstall et al., 2022, "Efficient Few-Shot Learning Without Prompts") fine-tunes a
sentence encoder so that the cosine similarity of two texts' mean-pooled vectors is 1 when
they share a label and 0 when they do not (mean squared error), then fits a linear head on
the tuned encoder's vectors. On the UCI sentences this beats the usual end-to-end
fine-tune (``benchmarks/results/encoder.md``).

Two ways to choose the pairs; the target of a pair is always the Jaccard similarity of
the two texts' label sets (1 or 0 for single-label data; texts without labels are alike):

- ``tune_in_batches`` (the family's default, ``pair_sampling="batch"``): every pair of
  texts within each training batch of similar-length texts, a few epochs (``length_batches``
  of the fine-tune). Each text is encoded once per epoch for all its pairs: on the UCI
  sentences as accurate as sampled pairs at about 60 % of the time.
- ``label_pairs`` + ``tune_on_pairs`` (SetFit's sampling, ``pair_sampling="random"``): for
  each training text ``per_text // 2`` partners that share a label with it and as many that
  do not, one epoch; AdamW, warm-up then linear decay, batches of pairs of similar length,
  each pair padded to the length bucket of its longer text (a few compiled shapes).
"""

from __future__ import annotations

import functools

import numpy as np

from textclass.models.encoder.preprocessor import bucket, to_width

WINDOW = 50  # batches whose pairs are sorted by length together
PAIR_BATCH = 16  # sampled sentence pairs per step of the pair stage (SetFit's default)
IN_BATCH = (4, 32)  # in-batch pairs: epochs, texts per batch (496 pairs each)


def label_sets(codes: np.ndarray, n_classes: int) -> np.ndarray:
    """``(n, n_classes)`` booleans: single-label codes one-hot, a multi-label matrix as is."""
    codes = np.asarray(codes)
    if codes.ndim == 2:
        return codes.astype(bool)
    return np.eye(n_classes, dtype=bool)[codes.astype(np.int64)]


def label_pairs(codes, n_classes: int, per_text: int, seed) -> tuple[np.ndarray, ...]:
    """``(a, b, similarity)``: ``per_text`` partners of every text, half (rounded up) that
    share a label with it (texts without labels: other texts without), half that share
    none (as far as a few random draws find such texts), shuffled."""
    sets = label_sets(codes, n_classes)
    rng = np.random.default_rng(seed)
    members = [np.flatnonzero(sets[:, c]) for c in range(sets.shape[1])]
    unlabelled = np.flatnonzero(~sets.any(axis=1))
    a, b = [], []
    for i, labels in enumerate(sets):
        mine = np.flatnonzero(labels)
        for _ in range((per_text + 1) // 2):  # alike: a random text with one of its labels
            pool = members[mine[rng.integers(len(mine))]] if len(mine) else unlabelled
            a.append(i)
            b.append(pool[rng.integers(len(pool))])
        for _ in range(per_text // 2):  # unlike: a random text sharing no label (a few draws)
            j = _unlike(sets, i, rng)
            if j is not None:
                a.append(i)
                b.append(j)
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    both = (sets[a] & sets[b]).sum(axis=1)
    either = (sets[a] | sets[b]).sum(axis=1)
    similarity = np.where(either > 0, both / np.maximum(either, 1), 1.0).astype(np.float32)
    order = rng.permutation(len(a))
    return a[order], b[order], similarity[order]


def _unlike(sets: np.ndarray, i: int, rng, draws: int = 64) -> int | None:
    """A random text whose labels share none with text ``i``'s (None if draws find none)."""
    labelled = sets[i].any()
    for j in rng.integers(len(sets), size=draws):
        if not (sets[j] & sets[i]).any() and (labelled or sets[j].any()):
            return int(j)
    return None


def pair_batches(ids, a, b, similarity, *, batch_size: int, pad_id: int, buckets, seed,
                 rows_for=None):  # fmt: skip
    """A ``PyDataset`` of ``((ids_a, ids_b), similarity, weight)`` batches: pairs sorted by
    the longer text's length within windows of ``WINDOW`` batches, the batches shuffled,
    the last one filled with weight-0 pairs (``rows_for``: fewer pairs of long texts,
    :func:`~textclass.models.encoder.batching.rows_within_memory`)."""
    import keras

    from textclass.models.encoder.batching import capped, filled, plan_length_batches

    ids = np.asarray(ids)
    lengths = (ids != pad_id).sum(axis=1)
    longer = np.maximum(lengths[a], lengths[b])
    rows_of = capped(batch_size, rows_for, buckets)
    # the pairs are shuffled already: windows in their order
    order = np.arange(len(a))
    rng = np.random.default_rng(seed)
    batches = plan_length_batches(order, longer, batch_size, rng, WINDOW, rows_of=rows_of)

    class PairBatches(keras.utils.PyDataset):
        def __len__(self):
            return len(batches)

        def __getitem__(self, i):
            width = bucket(max(int(longer[batches[i]].max()), 1), buckets)
            rows, weight = filled(batches[i], rows_of(width))
            left, right = (
                to_width(ids[a[rows]], width, pad_id),
                to_width(ids[b[rows]], width, pad_id),
            )
            return (left, right), similarity[rows], weight

    return PairBatches()


def tune_on_pairs(
    encoder,
    ids,
    codes,
    *,
    n_classes: int,
    per_text: int,
    learning_rate: float,
    warmup: float,
    batch_size: int,
    pad_id: int,
    buckets,
    seed,
    verbose: int = 0,
    rows_for=None,
) -> dict:
    """Train ``encoder`` (ids -> sentence vectors) so that the cosine similarity of a
    pair's vectors is its label similarity; returns the Keras history."""
    import keras

    from textclass.models.encoder.schedule import warmup_linear

    a, b, similarity = label_pairs(codes, n_classes, per_text, seed)
    left = keras.Input((None,), dtype="int32", name="text_a")
    right = keras.Input((None,), dtype="int32", name="text_b")
    pairs = keras.Model([left, right], _cosine_class()(encoder)([left, right]), name="pairs")
    batches = pair_batches(
        ids, a, b, similarity, batch_size=batch_size, pad_id=pad_id, buckets=buckets, seed=seed,
        rows_for=rows_for,
    )  # fmt: skip
    pairs.compile(
        optimizer=keras.optimizers.AdamW(
            warmup_linear(learning_rate, len(batches), warmup), weight_decay=0.01
        ),
        loss="mean_squared_error",
    )
    history = pairs.fit(batches, epochs=1, verbose=verbose)
    return {f"pair_{k}": [float(x) for x in v] for k, v in history.history.items()}


def tune_in_batches(
    encoder,
    ids,
    codes,
    *,
    n_classes: int,
    epochs: int,
    learning_rate: float,
    warmup: float,
    batch_size: int,
    pad_id: int,
    buckets,
    seed,
    verbose: int = 0,
    rows_for=None,
) -> dict:
    """Train ``encoder`` (ids -> sentence vectors) so that within each batch the cosine
    similarity of every two texts' vectors is their label similarity
    (``in_batch_pair_loss``); returns the Keras history."""
    import keras

    from textclass.models.encoder.batching import length_batches
    from textclass.models.encoder.schedule import warmup_linear

    sets = label_sets(codes, n_classes).astype(np.float32)
    tokens = keras.Input((None,), dtype="int32", name="token_ids")
    model = keras.Model(tokens, encoder(tokens), name="in_batch_pairs")
    batches = length_batches(ids, sets, batch_size, pad_id, buckets, seed, rows_for=rows_for)
    model.compile(
        optimizer=keras.optimizers.AdamW(
            warmup_linear(learning_rate, epochs * len(batches), warmup), weight_decay=0.01
        ),
        loss=in_batch_pair_loss,
    )
    history = model.fit(batches, epochs=epochs, verbose=verbose)
    return {f"pair_{k}": [float(x) for x in v] for k, v in history.history.items()}


def in_batch_pair_loss(label_sets, vectors):
    """Per text: the mean squared difference, over the other texts of its batch, between
    the cosine similarity of their vectors and the Jaccard similarity of their label sets.
    (A short batch's weight-0 filler rows are repeats: they add no loss of their own, and
    as partners only repeat pairs already there.)"""
    from keras import ops

    vectors = ops.normalize(ops.cast(vectors, "float32"), axis=-1)  # bfloat16 out
    cosine = ops.matmul(vectors, ops.transpose(vectors))
    sets = ops.cast(label_sets, "float32")
    both = ops.matmul(sets, ops.transpose(sets))
    count = ops.sum(sets, axis=1)
    either = count[:, None] + count[None, :] - both
    similarity = ops.where(either > 0, both / ops.maximum(either, 1.0), 1.0)
    rows = ops.shape(vectors)[0]
    others = 1.0 - ops.eye(rows)
    return ops.sum(others * (cosine - similarity) ** 2, axis=1) / ops.cast(rows - 1, "float32")


@functools.cache
def _cosine_class():
    import keras
    from keras import ops

    class PairCosine(keras.layers.Layer):
        """``[ids_a, ids_b]`` -> the cosine similarity of each pair's sentence vectors; both
        sides go through the encoder as one batch (one call of twice the rows is faster
        than two)."""

        def __init__(self, encoder, **kwargs):
            super().__init__(**kwargs)
            self.encoder = encoder

        def call(self, inputs):
            left, right = inputs
            rows = ops.shape(left)[0]
            vectors = self.encoder(ops.concatenate([left, right], axis=0))
            vectors = ops.normalize(ops.cast(vectors, "float32"), axis=-1)  # bfloat16 out
            return ops.sum(vectors[:rows] * vectors[rows:], axis=-1)

        def compute_output_shape(self, input_shape):
            return (input_shape[0][0],)

    return PairCosine
