# SPDX-License-Identifier: Apache-2.0
"""SharedAllocation: CUDA memory other processes and APIs can import (cuMemCreate)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import cuda_interop._core as _core

from ._device import DeviceLike, device_ordinal
from ._handles import integer
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
        A :class:`Device`, an ordinal, None for the current device, or a framework's device
        (``torch.device("cuda", 0)``, ``cupy.cuda.Device(0)``, ``cuda.core.Device(0)``).
    """

    __slots__ = ("_allocation",)

    def __init__(self, size: int, *, device: DeviceLike = None) -> None:
        allocation = _core.SharedAllocation.create(integer(size, "size"), device_ordinal(device))
        super().__init__(allocation.span())
        self._allocation: _core.SharedAllocation | None = allocation

    def _exporter(self) -> _core.SharedAllocation:
        self._live()
        assert self._allocation is not None
        return self._allocation

    def close(self) -> None:
        """Release this process's reference; idempotent. Imports of the allocation keep theirs."""
        self._allocation = None
        super().close()

    def export_share(self) -> _core.MemoryShare:
        """A share descriptor (a new handle, the size, the device's UUID) for
        :meth:`ExternalMemory.from_share` here or, through ``ipc``, in another process."""
        return self._exporter().export_share()

    def export_fd(self) -> int:
        """A new file descriptor for the allocation; the caller owns (and closes) it. Linux."""
        exporter = self._exporter()
        if sys.platform == "win32":
            raise _core.NotSupportedError("file descriptors are POSIX-only; use export_win32()")
        return int(exporter.export_fd())

    def export_win32(self) -> int:
        """A new NT handle for the allocation; the caller owns (and closes) it. Windows."""
        exporter = self._exporter()
        if sys.platform != "win32":
            raise _core.NotSupportedError("NT handles exist only on Windows; use export_fd()")
        return int(exporter.export_win32())

    def to_cuda(self, *, device: DeviceLike = None) -> ExternalMemory:
        """Import this allocation as an :class:`ExternalMemory` (through a new handle)."""
        from ._external_memory import ExternalMemory

        return ExternalMemory.from_share(self.export_share(), device=device)

    def __repr__(self) -> str:
        if self.closed:
            return "SharedAllocation(closed)"
        return f"SharedAllocation(ptr={self.ptr:#x}, size={self.size}, device={self.device})"
