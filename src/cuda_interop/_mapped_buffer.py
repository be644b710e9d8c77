# SPDX-License-Identifier: Apache-2.0
"""MappedBuffer: linear device memory mapped from an ExternalMemory."""

from __future__ import annotations

from . import _core
from ._linear_memory import LinearMemory


class MappedBuffer(LinearMemory):
    """A range of an :class:`ExternalMemory` as linear device memory (zero copy).

    It keeps its memory alive: closing the ExternalMemory first is safe. ``close()`` frees the
    mapping (``cudaFree``) unless a consumer still holds it (see :class:`LinearMemory`).
    """

    __slots__ = ()

    def __init__(self, native: _core.MappedBuffer) -> None:
        super().__init__(native)

    @property
    def offset(self) -> int:
        """Offset of the mapping within its ExternalMemory."""
        return int(self._live().offset)

    def __repr__(self) -> str:
        if self.closed:
            return "MappedBuffer(closed)"
        return (f"MappedBuffer(ptr={self.ptr:#x}, size={self.size}, offset={self.offset}, "
                f"device={self.device})")
