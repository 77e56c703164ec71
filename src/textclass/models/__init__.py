"""Model families, one file each (a package for a family of several parts: ``encoder``);
each registers itself (``@register``) where it is defined."""

from textclass.models.base import ModelFamily
from textclass.models.cnn import CNN
from textclass.models.dense import Dense
from textclass.models.embedding import Embedding
from textclass.models.logreg import LogReg
from textclass.models.multihot import MultiHot
from textclass.models.registry import (
    describe,
    families,
    family_class,
    model_names,
    register,
    resolve,
)
from textclass.models.rnn import RNN

__all__ = [
    "CNN",
    "RNN",
    "Dense",
    "Embedding",
    "LogReg",
    "ModelFamily",
    "MultiHot",
    "describe",
    "families",
    "family_class",
    "model_names",
    "register",
    "resolve",
]
