# SPDX-License-Identifier: Apache-2.0
"""What every shared Direct3D 12 object has: its device, ``share()`` and ``export_share()``, and
for memory the import into CUDA of that share descriptor."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ._core import MemoryShare
from ._device import DeviceLike
from ._external_memory import ExternalMemory
from ._lifecycle import Owner


def byte_view(data: npt.ArrayLike | bytes | bytearray | memoryview) -> memoryview:
    """The bytes of `data` (bytes-like or any array, made C-contiguous) as a flat view."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return memoryview(data).cast("B")
    return np.ascontiguousarray(data).data.cast("B")


class Child(Owner[Any]):
    """A shared Direct3D 12 object: it keeps the ``d3d12.Device`` that made it alive."""

    __slots__ = ("_device",)

    def __init__(self, native: Any, device: Owner[Any]) -> None:
        super().__init__(native)
        self._device = device

    def share(self, name: str | None = None) -> int:
        """``CreateSharedHandle(..., GENERIC_ALL, name)``: a new NT handle the caller must close
        (:func:`close_handle`). OSError naming ``CreateSharedHandle`` when the runtime refuses."""
        return int(self._live().share(name or ""))

    @property
    def native_handle(self) -> int:
        """The COM pointer (borrowed)."""
        return int(self._live().native_handle)

    def export_share(self, name: str | None = None) -> Any:
        """A share descriptor for CUDA: a new NT handle (or, with `name`, the name and the handle
        that keeps it alive), the size and dedicated flag CUDA must be given, the adapter's LUID.
        """
        return self._live().export_share(name or "")


class SharedMemory(Child):
    """A heap, buffer or texture: memory that CUDA imports."""

    __slots__ = ()

    @property
    def size(self) -> int:
        """Bytes of the heap or buffer; for a texture, of all subresources with packed rows."""
        return int(self._live().size)

    @property
    def allocation_size(self) -> int:
        """The size CUDA is given: the heap's size, or a committed resource's
        ``GetResourceAllocationInfo(...).SizeInBytes``."""
        return int(self._live().allocation_size)

    def export_share(self, name: str | None = None) -> MemoryShare:
        """A :class:`cuda_interop.MemoryShare` for CUDA: a new NT handle (or, with `name`, the
        name and the handle that keeps it alive), the size CUDA must be given, the dedicated flag
        (committed resources), the adapter's LUID and, for a texture, its image layout. A placed
        buffer shares its whole heap."""
        return super().export_share(name)  # type: ignore[no-any-return]

    def to_cuda(self, *, name: str | None = None, device: DeviceLike = None) -> ExternalMemory:
        """Share and import into CUDA, on the CUDA device with this adapter's LUID (by NT handle,
        closed once imported; or by `name`). A placed buffer imports its whole heap: map it at
        its ``heap_offset``. A texture's import carries its image layout."""
        return ExternalMemory.from_share(self.export_share(name), device=device)
