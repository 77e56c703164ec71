"""Batch scoring of files too large (or too many) to read at once: :func:`score_files`."""

from textclass.batch.api import score_files
from textclass.batch.scoring import BatchProgress

__all__ = ["BatchProgress", "score_files"]
