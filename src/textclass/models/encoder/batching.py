"""Training batches of similar-length texts for the fine-tune and the contrastive stage.

Rows are shuffled, sorted by length within windows of 50 batches and cut into batches,
each padded only to its length bucket, so a few compiled shapes serve every batch; a
short last batch is filled with weight-0 repeats.

A batch of long texts holds fewer rows (:func:`rows_within_memory`): a training step keeps
every layer's activations for the backward pass, and with XLA on CPU that measured 9.0 GB
for 32 x 128 tokens of MPNet-base and 18.3 GB for 32 x 256 (about 250 bytes a token per
hidden unit and layer); 32 IMDB reviews at MPNet's 384 tokens asked for 27.6 GB and failed
on a 24 GB machine. Each width bucket has its own row count, so shapes stay few.
"""

from __future__ import annotations

import numpy as np

from textclass.models.encoder.preprocessor import bucket, to_width

TRAIN_STEP_BYTES = 6 * 2**30  # a training step's activations, about, at most
TOKEN_UNIT_BYTES = 250  # bytes a batch's token keeps per hidden unit and layer (measured)


def rows_within_memory(config: dict, *, texts_per_row: int = 1):
    """``rows(width)``: how many rows of ``width`` tokens (``texts_per_row`` texts each: a
    pair is two) a training batch of the encoder of ``config`` may hold within
    ``TRAIN_STEP_BYTES`` (at least 2: the pair losses need two texts)."""
    units = config["hidden_size"] * config["num_hidden_layers"] * texts_per_row
    per_token = TOKEN_UNIT_BYTES * units

    def rows(width: int) -> int:
        return max(2, int(TRAIN_STEP_BYTES // (per_token * max(width, 1))))

    return rows


def capped(batch_size: int, rows_for, buckets):
    """``rows(width)``: ``batch_size``, or fewer where ``rows_for`` (None: no cap) says so."""
    if rows_for is None:
        return lambda width: batch_size
    return lambda width: min(batch_size, rows_for(bucket(max(int(width), 1), buckets)))


def length_batches(ids, y, batch_size: int, pad_id: int, buckets, seed, rows_for=None):
    """A ``PyDataset`` of training batches of similar length, reshuffled every epoch
    (``rows_for``: :func:`rows_within_memory`, fewer rows for long texts)."""
    import keras

    rows_of = capped(batch_size, rows_for, buckets)

    class LengthBatches(keras.utils.PyDataset):
        """Shuffled rows, sorted by length within windows of 50 batches, cut into batches
        (the last one filled with weight-0 rows), each trimmed to its length bucket."""

        def __init__(self):
            super().__init__()
            self.ids, self.y = np.asarray(ids), np.asarray(y)
            self.lengths = (self.ids != pad_id).sum(axis=1)
            self.rng = np.random.default_rng(seed)
            self.batches = self._plan()

        def _plan(self):
            return plan_length_batches(
                self.rng.permutation(len(self.ids)), self.lengths, batch_size, self.rng,
                rows_of=rows_of,
            )  # fmt: skip

        def __len__(self):
            return len(self.batches)

        def __getitem__(self, i):
            width = bucket(max(int(self.lengths[self.batches[i]].max()), 1), buckets)
            rows, weight = filled(self.batches[i], rows_of(width))
            return to_width(self.ids[rows], width, pad_id), self.y[rows], weight

        def on_epoch_end(self):
            self.batches = self._plan()

    return LengthBatches()


def plan_length_batches(order, lengths, batch_size: int, rng, window: int = 50,
                        rows_of=None) -> list:  # fmt: skip
    """Batches of row numbers: ``order`` cut into windows of ``window`` batches, each
    sorted by ``lengths`` and cut into batches (of ``rows_of(longest length)`` rows at
    most, when given), the batches then shuffled by ``rng``."""
    batches = []
    span = batch_size * window
    for start in range(0, len(order), span):
        part = np.asarray(order[start : start + span])
        part = part[np.argsort(lengths[part], kind="stable")]
        batches += _cut(part, lengths, batch_size, rows_of)
    rng.shuffle(batches)
    return batches


def _cut(part, lengths, batch_size: int, rows_of) -> list:
    """``part`` (sorted by length) cut into batches, each of the most rows (up to
    ``batch_size``) that its longest text's row cap allows."""
    out, i = [], 0
    while i < len(part):
        size = min(batch_size, len(part) - i)
        while rows_of is not None and rows_of(lengths[part[i + size - 1]]) < size:
            size -= 1  # a batch one row shorter ends at a text as long or shorter
        out.append(part[i : i + size])
        i += size
    return out


def filled(rows, batch_size: int):
    """``(rows, weight)``: a short batch filled up with repeats of its rows, weighted 0."""
    weight = np.ones(batch_size, dtype="float32")
    if len(rows) < batch_size:
        weight[len(rows) :] = 0.0
        rows = np.concatenate([rows, np.resize(rows, batch_size - len(rows))])
    return rows, weight
