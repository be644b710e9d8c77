# SPDX-License-Identifier: Apache-2.0
"""The Vulkan producer's native module, ``_vulkan``, or a stand-in where it was not built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._native import load

_module, REASON = load("cuda_interop._vulkan", lambda error: (
    f"cuda_interop.vulkan is not available ({error}): Vulkan headers (Debian/Ubuntu: "
    "libvulkan-dev, or the Vulkan SDK) were missing when cuda-interop was built; install them "
    "and rebuild"))

if TYPE_CHECKING:
    from . import _vulkan as _vulkan
else:
    _vulkan = _module
