# SPDX-License-Identifier: Apache-2.0
"""SharedAllocation: CUDA memory other processes and APIs can import (cuMemCreate)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from . import _core
from ._device import DeviceLike, device_ordinal
from ._handles import check_size, import_exported
from ._linear_memory import LinearMemory

if TYPE_CHECKING:
    from ._external_memory import ExternalMemory


class SharedAllocation(LinearMemory):
    """Shareable device memory, mapped in this process.

    It is how CUDA processes share memory by file descriptor (Linux) or NT handle (Windows),
    and how a test or demo produces importable memory without a graphics API.

    Parameters
    ----------
    size:
        Bytes wanted; :attr:`size` is rounded up to the allocation granularity (2 MiB on
        most GPUs) and is the size an importer must be given.
    device:
        A :class:`Device`, an ordinal, or None for the current device.
    """

    __slots__ = ()

    def __init__(self, size: int, *, device: DeviceLike = None) -> None:
        super().__init__(_core.SharedAllocation.create(check_size(size), device_ordinal(device)))

    def export_fd(self) -> int:
        """A new file descriptor for the allocation; the caller owns (and closes) it. Linux."""
        native = self._live()
        if sys.platform == "win32":
            raise _core.NotSupportedError("file descriptors are POSIX-only; use export_win32()")
        return int(native.export_fd())

    def export_win32(self) -> int:
        """A new NT handle for the allocation; the caller owns (and closes) it. Windows."""
        native = self._live()
        if sys.platform != "win32":
            raise _core.NotSupportedError("NT handles exist only on Windows; use export_fd()")
        return int(native.export_win32())

    def to_cuda(self, *, device: DeviceLike = None) -> ExternalMemory:
        """Import this allocation as an :class:`ExternalMemory` (through a new handle)."""
        from ._external_memory import ExternalMemory

        if sys.platform == "win32":
            return import_exported(self.export_win32(), lambda handle: ExternalMemory.from_win32(
                handle, self.size, device=device, take_ownership=True))
        return import_exported(self.export_fd(), lambda fd: ExternalMemory.from_fd(
            fd, self.size, device=device, take_ownership=True))

    def __repr__(self) -> str:
        if self.closed:
            return "SharedAllocation(closed)"
        return f"SharedAllocation(ptr={self.ptr:#x}, size={self.size}, device={self.device})"
