# SPDX-License-Identifier: Apache-2.0
"""Vulkan semaphores, exportable to CUDA, and the ``wait=`` / ``signal=`` items of queue work."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Union

import cuda_interop._core as _core

from ._handles import seconds, semaphore_value
from ._lifecycle import Exporter

if TYPE_CHECKING:
    from ._device import Device
    from ._external_semaphore import ExternalSemaphore

SemaphoreItem = Union["Semaphore", tuple["Semaphore", int]]


def sync_items(items: Iterable[SemaphoreItem], what: str) -> list[tuple[Any, int]]:
    """(native semaphore, value) pairs; a bare semaphore is a binary one (value unused)."""
    if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
        raise TypeError(f"{what} must be an iterable of Semaphore or (Semaphore, value) items, "
                        f"got {type(items).__name__}")
    pairs: list[tuple[Any, int]] = []
    for item in items:
        if isinstance(item, Semaphore):
            semaphore, value = item, 0
        elif isinstance(item, tuple) and len(item) == 2:
            semaphore, value = item
        else:
            semaphore = None
        if not isinstance(semaphore, Semaphore):
            raise TypeError(f"{what} items must be a Semaphore or (Semaphore, value), got {item!r}")
        if semaphore.timeline and not isinstance(item, tuple):
            raise ValueError(f"a timeline semaphore to {what} needs a value: (semaphore, value)")
        pairs.append((semaphore._live(), semaphore_value(value, f"{what} value")))
    return pairs


class Semaphore(Exporter):
    """A binary or timeline Vulkan semaphore, exportable to CUDA."""

    __slots__ = ()

    @property
    def timeline(self) -> bool:
        """True for a timeline semaphore (waits and signals carry a value), False for binary."""
        return bool(self._live().timeline)

    @property
    def exportable(self) -> bool:
        """Whether the semaphore was created exportable (only then can it be shared with CUDA)."""
        return bool(self._live().exportable)

    @property
    def value(self) -> int:
        """The counter of a timeline semaphore."""
        return int(self._live().value)

    def signal(self, value: int = 0) -> None:
        """Signal from the host: set a timeline to `value`; a binary one through the queue."""
        self._live().signal(semaphore_value(value))

    def wait(self, value: int = 0, timeout: float | None = None) -> bool:
        """Wait on the host for a timeline `value` (or a binary signal); False on timeout (s)."""
        return bool(self._live().wait(semaphore_value(value), seconds(timeout)))

    def export_share(self) -> _core.SemaphoreShare:
        """A share descriptor for CUDA: a new handle, binary or timeline type, the device's UUID."""
        share: _core.SemaphoreShare = self._live().export_share()
        return share

    def to_cuda(self, device: Device | int | None = None) -> ExternalSemaphore:
        """Import into CUDA as a timeline or binary external semaphore (a fresh handle)."""
        from ._external_semaphore import ExternalSemaphore

        return ExternalSemaphore.from_share(self.export_share(), device=device)

    def __repr__(self) -> str:
        if self.closed:
            return "vulkan.Semaphore(closed)"
        kind = "timeline" if self.timeline else "binary"
        return f"vulkan.Semaphore({kind}, exportable={self.exportable})"
