# SPDX-License-Identifier: Apache-2.0
"""What every exportable Vulkan object shares: its CUDA device and its OS-handle export."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from ._core import NotSupportedError
from ._lifecycle import Owner

if TYPE_CHECKING:
    from ._device import Device

WINDOWS = sys.platform == "win32"


class Exporter(Owner[Any]):
    """A Vulkan object that exports new OS handles for CUDA to import."""

    __slots__ = ("_cuda_device",)

    def __init__(self, native: Any, cuda_device: int | None) -> None:
        super().__init__(native)
        self._cuda_device = cuda_device

    def _target(self, device: Device | int | None) -> Device | int | None:
        """The CUDA device to import on: the one asked for, else the context's."""
        return self._cuda_device if device is None else device

    def export_fd(self) -> int:
        """A new opaque file descriptor on every call; the caller closes it (``os.close``)."""
        if WINDOWS:
            raise NotSupportedError("file descriptors are a POSIX export; use export_win32()")
        return int(self._live().export_fd())

    def export_win32(self) -> int:
        """A new NT handle on every call (Windows); the caller closes it."""
        return int(self._live().export_win32())
