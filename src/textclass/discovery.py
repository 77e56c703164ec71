"""Import every module of a package once, so the classes they register are known."""

from __future__ import annotations

import functools
import importlib
import pkgutil


@functools.cache
def import_submodules(package_name: str) -> None:
    package = importlib.import_module(package_name)
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package_name}.{module.name}")
