# SPDX-License-Identifier: Apache-2.0
"""Loading a producer's native module. Where it cannot be loaded, the producer still imports: a
stand-in takes the module's place and any use of it raises NotSupportedError with the reason."""

from __future__ import annotations

import importlib
from typing import Any, Callable, NoReturn

from ._core import NotSupportedError


class Unavailable:
    """Stands in for a native module that could not be loaded."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __getattr__(self, name: str) -> NoReturn:
        raise NotSupportedError(self.reason)


def load(name: str, why: Callable[[ImportError], str]) -> tuple[Any, str | None]:
    """The module `name` and None, or a stand-in and the reason ``why(error)`` gives."""
    try:
        return importlib.import_module(name), None
    except ImportError as error:
        reason = why(error)
        return Unavailable(reason), reason
