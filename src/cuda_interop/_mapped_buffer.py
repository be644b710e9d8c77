# SPDX-License-Identifier: Apache-2.0
"""MappedBuffer: linear device memory mapped from an ExternalMemory."""

from __future__ import annotations

import cuda_interop._core as _core

from ._linear_memory import LinearMemory


class MappedBuffer(LinearMemory):
    """A range of an :class:`ExternalMemory` as linear device memory (zero copy).

    It is a view into the import's one mapping and keeps it alive: closing the ExternalMemory
    first is safe. The mapping is freed (``cudaFree``) once no view, capsule or consumer uses it.
    """

    __slots__ = ("_offset",)

    def __init__(self, native: _core.DeviceSpan, offset: int) -> None:
        # The base classes' fields, set here: views are made on every map_buffer().
        self._native = native
        self._pinned = None
        self._offset = offset

    @property
    def offset(self) -> int:
        """Offset of the view within its ExternalMemory."""
        self._live()
        return self._offset

    def __repr__(self) -> str:
        if self.closed:
            return "MappedBuffer(closed)"
        return (f"MappedBuffer(ptr={self.ptr:#x}, size={self.size}, offset={self.offset}, "
                f"device={self.device})")
