# SPDX-License-Identifier: Apache-2.0
"""Shared Direct3D 12 fences, imported into CUDA as external semaphores."""

from __future__ import annotations

from ._d3d12_share import Child
from ._device import DeviceLike
from ._external_semaphore import ExternalSemaphore

_INFINITE = 0xFFFFFFFF


class Fence(Child):
    """A shared ``ID3D12Fence``: a 64-bit value that only grows."""

    __slots__ = ()

    def completed_value(self) -> int:
        """The value the fence has reached."""
        return int(self._live().completed_value())

    def signal(self, value: int) -> None:
        """Set the value from the CPU."""
        self._live().signal(value)

    def wait(self, value: int, timeout_ms: int | None = None) -> bool:
        """Block until the value is at least `value`; False if `timeout_ms` passed first."""
        timeout = _INFINITE if timeout_ms is None else timeout_ms
        if not 0 <= timeout <= _INFINITE:
            raise ValueError(f"timeout_ms must be within 0..{_INFINITE}, got {timeout_ms}")
        return bool(self._live().wait(value, timeout))

    def queue_signal(self, value: int) -> None:
        """Signal `value` on the device's copy queue after the work already there."""
        self._live().queue_signal(value)

    def queue_wait(self, value: int) -> None:
        """Make the device's copy queue (and later transfers) wait for `value`."""
        self._live().queue_wait(value)

    def to_cuda(self, *, name: str | None = None, device: DeviceLike = None) -> ExternalSemaphore:
        """Share and import into CUDA as a D3D12 fence semaphore (by NT handle or `name`)."""
        return ExternalSemaphore.from_share(self.export_share(name), device=device)
