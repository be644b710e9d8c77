# SPDX-License-Identifier: Apache-2.0
"""Shared Direct3D 12 fences, imported into CUDA as external semaphores."""

from __future__ import annotations

from ._d3d12_share import Child
from ._device import DeviceLike
from ._external_semaphore import ExternalSemaphore, timeout_milliseconds

_INFINITE = 0xFFFFFFFF


class Fence(Child):
    """A shared ``ID3D12Fence``: a 64-bit value that only grows."""

    __slots__ = ()

    def completed_value(self) -> int:
        """The value the fence has reached."""
        return int(self._live().completed_value())

    @property
    def value(self) -> int:
        """The value the fence has reached (as :meth:`completed_value`; a frame ring's timeline)."""
        return int(self._live().completed_value())

    def signal(self, value: int) -> None:
        """Set the value from the CPU."""
        self._live().signal(value)

    def wait(self, value: int, *args: int, timeout: float | None = None,
             timeout_ms: int | None = None) -> bool:
        """Block until the value is at least `value`; False if `timeout` passed first.

        Parameters
        ----------
        value:
            The fence value to wait for.
        timeout:
            Seconds to wait at most (None or ``math.inf``: no limit), as every wait of the package.
        timeout_ms:
            Deprecated: the same in milliseconds, also as the second positional
            argument (``fence.wait(2, 500)``); pass ``timeout=`` in seconds.
        """
        if args:
            if len(args) > 1 or timeout_ms is not None:
                raise TypeError("Fence.wait takes value and, deprecated, one positional "
                                "timeout in milliseconds")
            timeout_ms = args[0]
        limit = timeout_milliseconds(timeout, timeout_ms, "d3d12.Fence.wait")
        return bool(self._live().wait(value, _INFINITE if limit is None else limit))

    def queue_signal(self, value: int) -> None:
        """Signal `value` on the device's copy queue after the work already there."""
        self._live().queue_signal(value)

    def queue_wait(self, value: int) -> None:
        """Make the device's copy queue (and later transfers) wait for `value`."""
        self._live().queue_wait(value)

    def to_cuda(self, *, name: str | None = None, device: DeviceLike = None) -> ExternalSemaphore:
        """Share and import into CUDA as a D3D12 fence semaphore (by NT handle or `name`)."""
        return ExternalSemaphore.from_share(self.export_share(name), device=device)
