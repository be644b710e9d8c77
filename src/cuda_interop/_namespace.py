# SPDX-License-Identifier: Apache-2.0
"""Clean module namespaces: ``dir()`` of a public module lists what it offers, not its imports."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable


def public_dir(module_name: str) -> Callable[[], list[str]]:
    """A module ``__dir__`` (PEP 562) for `module_name`: its ``__all__``, its public submodules
    that are imported, and its dunders (``__version__``, ``__doc__``...); not the names it
    imported for its own use (``Any``, ``dataclasses``, ``TYPE_CHECKING``) nor private ones.

    Usage, at the top of the module: ``__dir__ = public_dir(__name__)``.
    """

    def __dir__() -> list[str]:
        namespace = vars(sys.modules[module_name])
        names = set(namespace.get("__all__", ()))
        names.update(name for name, value in namespace.items()
                     if isinstance(value, types.ModuleType) and not name.startswith("_")
                     and value.__name__ == f"{module_name}.{name}")
        names.update(name for name in namespace if name.startswith("__") and name.endswith("__"))
        return sorted(names)

    return __dir__
