"""Finding the classes of a kind by importing the modules that define them.

Families, runtimes and preprocessors are found the same way: import every module of
the packages where they live, then walk the subclasses of their base class. Nothing
keeps a list to edit; a new class in a new file (or a family's own package) is found.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil


@functools.cache
def import_submodules(package_name: str) -> None:
    package = importlib.import_module(package_name)
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package_name}.{module.name}")


def subclasses(base: type) -> list[type]:
    """Every subclass of ``base`` imported so far, depth first."""
    found = []
    for cls in base.__subclasses__():
        found += [cls, *subclasses(cls)]
    return found


def find_named(base: type, name: str, packages: tuple[str, ...]) -> type | None:
    """The subclass of ``base`` whose ``name`` is ``name``, importing ``packages`` one
    after the other until it is found (cheap ones first); None when none has it."""
    for package in packages:
        import_submodules(package)
        for cls in subclasses(base):
            if getattr(cls, "name", None) == name:
                return cls
    return None
