# SPDX-License-Identifier: Apache-2.0
"""The producers' native modules, ``_vulkan`` and ``_d3d12``. Where one cannot be loaded, its
producer still imports: a stand-in takes the module's place, any use of it raises
NotSupportedError with the reason, and the reason is kept for ``available`` and
``unavailable_reason``."""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any, Callable, NoReturn

from ._core import NotSupportedError

__all__ = ["D3D12_REASON", "VULKAN_REASON", "Unavailable", "_d3d12", "_vulkan", "load"]


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


_vulkan_module, VULKAN_REASON = load("cuda_interop._vulkan", lambda error: (
    f"cuda_interop.vulkan is not available ({error}): Vulkan headers (Debian/Ubuntu: "
    "libvulkan-dev, or the Vulkan SDK) were missing when cuda-interop was built; install them "
    "and rebuild"))

if TYPE_CHECKING:
    import cuda_interop._vulkan as _vulkan
else:
    _vulkan = _vulkan_module

# No stubs of _d3d12 can be generated off Windows: the Python classes are its typed description.
_d3d12: Any
_d3d12, D3D12_REASON = load("cuda_interop._d3d12", lambda error: (
    "Direct3D 12 is Windows-only; cuda_interop.d3d12 needs the Windows build of cuda-interop"
    if sys.platform != "win32"
    else f"cuda_interop._d3d12 could not be loaded ({error}); is d3d12.dll present?"))
