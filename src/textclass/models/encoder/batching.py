"""Training batches of similar-length texts for the fine-tune and the contrastive stage.

Rows are shuffled, sorted by length within windows of 50 batches and cut into batches,
each padded only to its length bucket, so a few compiled shapes serve every batch; a
short last batch is filled with weight-0 repeats.
"""

from __future__ import annotations

import numpy as np

from textclass.models.encoder.preprocessor import bucket, to_width


def length_batches(ids, y, batch_size: int, pad_id: int, buckets, seed):
    """A ``PyDataset`` of training batches of similar length, reshuffled every epoch."""
    import keras

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
                self.rng.permutation(len(self.ids)), self.lengths, batch_size, self.rng
            )

        def __len__(self):
            return len(self.batches)

        def __getitem__(self, i):
            rows, weight = filled(self.batches[i], batch_size)
            width = bucket(max(int(self.lengths[rows].max()), 1), buckets)
            return to_width(self.ids[rows], width, pad_id), self.y[rows], weight

        def on_epoch_end(self):
            self.batches = self._plan()

    return LengthBatches()


def plan_length_batches(order, lengths, batch_size: int, rng, window: int = 50) -> list:
    """Batches of row numbers: ``order`` cut into windows of ``window`` batches, each
    sorted by ``lengths`` and cut into batches, the batches then shuffled by ``rng``."""
    batches = []
    span = batch_size * window
    for start in range(0, len(order), span):
        part = np.asarray(order[start : start + span])
        part = part[np.argsort(lengths[part], kind="stable")]
        batches += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def filled(rows, batch_size: int):
    """``(rows, weight)``: a short batch filled up with repeats of its rows, weighted 0."""
    weight = np.ones(batch_size, dtype="float32")
    if len(rows) < batch_size:
        weight[len(rows) :] = 0.0
        rows = np.concatenate([rows, np.resize(rows, batch_size - len(rows))])
    return rows, weight
