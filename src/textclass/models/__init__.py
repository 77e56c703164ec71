"""Model families, one file each, and the registry that names them."""

from textclass.models.base import ModelFamily
from textclass.models.dense import Dense
from textclass.models.embedding import Embedding
from textclass.models.logreg import LogReg
from textclass.models.registry import describe, model_names, register, resolve

__all__ = [
    "Dense",
    "Embedding",
    "LogReg",
    "ModelFamily",
    "describe",
    "model_names",
    "register",
    "resolve",
]
