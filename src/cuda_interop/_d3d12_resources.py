# SPDX-License-Identifier: Apache-2.0
"""Shared Direct3D 12 heaps, buffers and 2D textures, their transfers, and their import into
CUDA."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ._core import NotSupportedError
from ._d3d12_flags import Format, ResourceFlags, array_format_of
from ._d3d12_share import SharedMemory, byte_view
from ._formats import ArrayFormat, level_shape
from ._handles import integer
from ._native import _d3d12


class Heap(SharedMemory):
    """A shared ``ID3D12Heap``; CUDA imports it whole (``from_d3d12_heap``, not dedicated)."""

    __slots__ = ()
    alignment = 64 * 1024

    def create_placed_buffer(self, offset: int, size: int,
                             flags: ResourceFlags = ResourceFlags.NONE) -> Buffer:
        """A buffer at `offset` (a multiple of 64 KiB); it keeps the heap alive."""
        return Buffer(self._live().create_placed_buffer(integer(offset, "offset"),
                                                        integer(size, "size"), int(flags)),
                      self._device)


class Buffer(SharedMemory):
    """A shared committed buffer, or a buffer placed in a shared heap."""

    __slots__ = ()

    @property
    def placed(self) -> bool:
        """True for a buffer placed in a :class:`Heap` (CUDA then imports the whole heap: map it
        at :attr:`heap_offset`), False for a committed buffer."""
        return bool(self._live().placed)

    @property
    def heap_offset(self) -> int:
        """Offset in the heap (map the heap's memory there); 0 for a committed buffer."""
        return int(self._live().heap_offset)

    def upload(self, data: npt.ArrayLike | bytes, offset: int = 0) -> None:
        """Copy the bytes of `data` (bytes-like or any array) into the buffer at `offset`."""
        _d3d12.upload(self._live(), byte_view(data), integer(offset, "offset"))

    def download(self, size: int | None = None, offset: int = 0) -> npt.NDArray[np.uint8]:
        """Read `size` bytes (default: the rest) from `offset`."""
        native = self._live()
        start = integer(offset, "offset")
        count = int(native.size) - start if size is None else integer(size, "size")
        return np.frombuffer(_d3d12.download(native, count, start), dtype=np.uint8).copy()

    def copy_to(self, destination: Buffer) -> None:
        """Copy the whole buffer to the start of `destination` (on the copy queue)."""
        _d3d12.copy(self._live(), destination._live())

    def clear(self, value: int = 0) -> None:
        """Set every byte to `value`."""
        _d3d12.clear(self._live(), integer(value, "value"))


class Texture2D(SharedMemory):
    """A shared committed 2D texture (array); CUDA maps it as a mipmapped array."""

    __slots__ = ()

    @property
    def width(self) -> int:
        """Width of mip level 0 in texels."""
        return int(self._live().width)

    @property
    def height(self) -> int:
        """Height of mip level 0 in texels."""
        return int(self._live().height)

    @property
    def format(self) -> Format | int:
        """The ``DXGI_FORMAT``: a :class:`Format`, or the plain value where it is not one."""
        value = int(self._live().format)
        return Format(value) if value in Format._value2member_map_ else value

    @property
    def mip_levels(self) -> int:
        """Number of mip levels (``MipLevels``)."""
        return int(self._live().mip_levels)

    @property
    def array_size(self) -> int:
        """Number of array slices (``DepthOrArraySize``); 1 for a plain 2D texture."""
        return int(self._live().array_size)

    def _element(self) -> ArrayFormat:
        value = int(self._live().format)
        fmt = array_format_of(value)
        if fmt is None:
            raise NotSupportedError(f"DXGI_FORMAT {value} has no CUDA channel format here")
        return fmt

    @property
    def cuda_format(self) -> tuple[str, int]:
        """``(dtype, channels)`` for ``ExternalMemory.map_mipmapped_array``."""
        fmt = self._element()
        return (fmt.dtype.name, fmt.channels)

    def level_shape(self, level: int) -> tuple[int, ...]:
        """Host array shape of mip `level` of one array slice: ``(height, width[, channels])``,
        as every producer shapes it (no channel dimension for one-channel formats)."""
        return level_shape(self._element(), (self.width, self.height, 1), level=level)

    def upload(self, level: int, data: npt.ArrayLike | bytes, array_slice: int = 0) -> None:
        """Write mip `level` of `array_slice` from tightly packed rows."""
        _d3d12.upload_texture(self._live(), integer(level, "level"),
                              integer(array_slice, "array_slice"), byte_view(data))

    def download(self, level: int = 0, array_slice: int = 0) -> npt.NDArray[Any]:
        """Read mip `level` of `array_slice`, shaped as :meth:`level_shape` in the format's
        element type, or flat bytes for a format without a CUDA equivalent."""
        raw = _d3d12.download_texture(self._live(), integer(level, "level"),
                                      integer(array_slice, "array_slice"))
        fmt = array_format_of(int(self._live().format))
        if fmt is None:
            return np.frombuffer(raw, dtype=np.uint8).copy()
        return np.frombuffer(raw, dtype=fmt.dtype).reshape(self.level_shape(level)).copy()
