"""Text to numbers: tokenizer, padding, bag-of-words vectors, label encoding."""

from textclass.preprocessing.labels import LabelEncoder, MultiLabelEncoder, is_multilabel
from textclass.preprocessing.sequences import pad_sequences
from textclass.preprocessing.tokenizer import (
    KERAS_FILTERS,
    SKLEARN_TOKEN_PATTERN,
    Sequences,
    Tokenizer,
)
from textclass.preprocessing.validation import check_texts
from textclass.preprocessing.vectors import bag_of_words

__all__ = [
    "KERAS_FILTERS",
    "SKLEARN_TOKEN_PATTERN",
    "LabelEncoder",
    "MultiLabelEncoder",
    "Sequences",
    "Tokenizer",
    "bag_of_words",
    "check_texts",
    "is_multilabel",
    "pad_sequences",
]
