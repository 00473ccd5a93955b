"""Names a package exports but imports only on first access (PEP 562)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` that imports each name of `exports` on first access.

    `exports` maps a name to the module defining it, relative to `package` (``"._models"``);
    a name mapped to its own submodule (``"types": ".types"``) is that module. A loaded value
    is stored in the package's namespace, so later lookups are plain attribute reads.

    Assign the result under ``if not TYPE_CHECKING:`` and import the same names for type
    checkers under ``if TYPE_CHECKING:``: a `__getattr__` they can see would type every
    misspelt name as `Any` instead of reporting it.
    """
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        relative = exports.get(name)
        if relative is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(relative, package)
        value = module if module.__name__ == f"{package}.{name}" else getattr(module, name)
        namespace[name] = value
        return value

    return __getattr__
