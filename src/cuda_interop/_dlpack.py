# SPDX-License-Identifier: Apache-2.0
"""Typed views of linear device memory, exported through DLPack and the CUDA Array Interface."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core

KDL_CUDA = 2
_CODES = {"i": 0, "u": 1, "f": 2, "b": 6}  # DLPack type codes: int, uint, float, bool


class BufferView:
    """`shape` elements of `dtype` at `offset` bytes into a mapping or allocation.

    A view holds its own reference to the memory, so it — and every tensor made from it by
    ``torch.from_dlpack``, ``cupy.from_dlpack`` or ``jax.dlpack.from_dlpack`` — stays valid after
    the MappedBuffer, ExternalMemory or SharedAllocation it came from is closed.
    Views have no ``close()``: they live as long as something uses them.
    """

    __slots__ = ("_device", "_dtype", "_native", "_offset", "_shape")

    def __init__(self, native: _core.DeviceSpan, dtype: npt.DTypeLike,
                 shape: tuple[int, ...] | None, offset: int) -> None:
        resolved = np.dtype(dtype)
        if resolved.kind not in _CODES or not resolved.isnative:
            raise TypeError(f"cannot export {resolved} through DLPack")
        size = int(native.size)
        if not 0 <= offset <= size:
            raise ValueError(f"offset {offset} is outside the {size}-byte memory")
        if shape is None:
            shape = ((size - offset) // resolved.itemsize,)
        shape = tuple(int(extent) for extent in shape)
        if any(extent < 0 for extent in shape):
            raise ValueError(f"shape must not be negative, got {shape}")
        nbytes = math.prod(shape) * resolved.itemsize
        if offset + nbytes > size:
            raise ValueError(f"a {shape} {resolved} view at offset {offset} needs {nbytes} bytes; "
                             f"{size - offset} remain")
        if (int(native.ptr) + offset) % resolved.itemsize:
            raise ValueError(f"offset {offset} is not aligned for {resolved}")
        self._native = native.share()  # our own reference: the source may be closed
        self._dtype = resolved
        self._shape = shape
        self._offset = offset
        self._device = int(native.device)

    @property
    def dtype(self) -> np.dtype[Any]:
        """The numpy dtype of the elements (native byte order)."""
        return self._dtype

    @property
    def shape(self) -> tuple[int, ...]:
        """The view's shape in elements, C-contiguous (by default all whole elements after the
        offset, in one dimension)."""
        return self._shape

    @property
    def ptr(self) -> int:
        """The device address of the first element (the memory's address plus the offset)."""
        return int(self._native.ptr) + self._offset

    @property
    def nbytes(self) -> int:
        """Size of the view in bytes (elements times item size)."""
        return math.prod(self._shape) * self._dtype.itemsize

    def __dlpack_device__(self) -> tuple[int, int]:
        return (KDL_CUDA, self._device)

    def __dlpack__(self, *, stream: Any = None, max_version: tuple[int, int] | None = None,
                   dl_device: tuple[int, int] | None = None, copy: bool | None = None) -> Any:
        """A DLPack capsule (versioned when the consumer accepts DLPack >= 1.0).

        `stream` is accepted and needs no synchronisation: this package enqueues no work on
        the memory. Order your semaphore waits on the consumer's stream instead.
        """
        del stream
        if copy:
            raise BufferError("this memory is exported without a copy (copy=True requested)")
        if dl_device is not None and tuple(dl_device) != self.__dlpack_device__():
            raise BufferError(f"memory is on {self.__dlpack_device__()}, not {tuple(dl_device)}")
        versioned = max_version is not None and max_version[0] >= 1
        return _core.dlpack(self._native, self._offset, list(self._shape),
                            _CODES[self._dtype.kind], self._dtype.itemsize * 8, versioned)

    @property
    def __cuda_array_interface__(self) -> dict[str, Any]:
        """CUDA Array Interface v3 (no stream ordering needed, see :meth:`__dlpack__`)."""
        return {"shape": self._shape, "typestr": self._dtype.str, "data": (self.ptr, False),
                "version": 3, "strides": None, "stream": None}

    def __repr__(self) -> str:
        return f"BufferView(shape={self._shape}, dtype={self._dtype}, ptr={self.ptr:#x})"
