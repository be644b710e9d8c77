# SPDX-License-Identifier: Apache-2.0
"""What linear device memory offers in Python: host copies, fill, __cuda_array_interface__."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

import cuda_interop._core as _core

from ._dlpack import KDL_CUDA, BufferView
from ._handles import integer
from ._lifecycle import Owner
from ._stream import StreamLike, stream_handle


def host_view(array: npt.NDArray[Any]) -> memoryview:
    """The bytes of a C-contiguous host array, for the native copies."""
    if array.dtype.isbuiltin == 2 and array.flags.c_contiguous:  # a user-defined dtype
        # ml_dtypes' bfloat16 and float8 arrays have no buffer format: hand over their bytes.
        array = array.reshape(-1).view(np.uint8)
    # numpy declares the buffer protocol to type checkers only for Python >= 3.12.
    return memoryview(array)  # type: ignore[arg-type]


class LinearMemory(Owner[_core.DeviceSpan]):
    """Linear device memory: the one type behind MappedBuffer and SharedAllocation.

    Lifetime with ``__cuda_array_interface__``: a consumer (CuPy, Numba, PyTorch) keeps this
    object, not the memory, so once the interface has been handed out ``close()`` marks the
    object closed but the memory is released only when the object itself is collected.
    """

    __slots__ = ("_pinned",)

    def __init__(self, native: _core.DeviceSpan) -> None:
        super().__init__(native)
        self._pinned: Any = None

    def close(self) -> None:
        """Release this object's reference; idempotent. Views, capsules and other owners keep
        the memory alive; once ``__cuda_array_interface__`` has been handed out, it stays mapped
        until this object itself is collected (a consumer may still hold the pointer)."""
        native = self._native
        if native is not None and native is self._pinned:
            self._native = None  # a consumer may still hold our pointer: keep it mapped
            return
        super().close()

    @property
    def ptr(self) -> int:
        """Device address of the first byte."""
        return int(self._live().ptr)

    @property
    def size(self) -> int:
        """Size in bytes."""
        return int(self._live().size)

    @property
    def device(self) -> int:
        """Ordinal of the CUDA device the memory lives on."""
        return int(self._live().device)

    def copy_from_host(self, array: npt.ArrayLike, offset: int = 0, *,
                       stream: StreamLike = None) -> None:
        """Copy the bytes of a host array to ``[offset, offset + array.nbytes)``.

        Synchronous; with `stream` it is ordered after that stream's work (and done on return).
        """
        self._live().copy_from_host(host_view(np.ascontiguousarray(array)),
                                    integer(offset, "offset"), _optional_stream(stream))

    def copy_to_host(self, out: npt.NDArray[Any] | None = None, offset: int = 0, *,
                     stream: StreamLike = None) -> npt.NDArray[Any]:
        """Copy bytes to the host: into `out` (C-contiguous) or a new uint8 array of the rest.

        Synchronous; with `stream` it is ordered after that stream's work (and done on return).
        """
        native = self._live()
        offset = integer(offset, "offset")
        if out is None:
            remaining = native.subspan(offset, 0).size if offset != native.size else 0
            out = np.empty(remaining, dtype=np.uint8)
        native.copy_to_host(host_view(out), offset, _optional_stream(stream))
        return out

    def fill(self, value: int, offset: int = 0, size: int | None = None, *,
             stream: StreamLike = None) -> None:
        """Set bytes to `value`: cudaMemset (synchronous), or enqueued on `stream`."""
        native = self._live()
        offset = integer(offset, "offset")
        count = native.size - offset if size is None else integer(size, "size")
        native.fill(integer(value, "fill value"), offset, count, _optional_stream(stream))

    def view(self, dtype: object = np.uint8, shape: tuple[int, ...] | int | None = None,
             offset: int = 0) -> BufferView:
        """A typed view for frameworks: ``buf.view("float32", (h, w, 4)).to_torch()`` or
        ``torch.from_dlpack(buf.view("bfloat16", (n,)))``.

        `dtype`: any whole-byte DLPack type, by name (``"bfloat16"``, ``"float8_e4m3fn"``,
        ``"complex64"``, ``"bool"``, …) or as a numpy, ``ml_dtypes`` or ``torch`` dtype; an unknown
        name is a ValueError listing the names. The view holds its own reference, so closing
        this object leaves it valid.
        """
        return BufferView(self._live(), dtype, shape, integer(offset, "offset"))

    def __dlpack__(self, *, stream: Any = None, max_version: tuple[int, int] | None = None,
                   dl_device: tuple[int, int] | None = None, copy: bool | None = None) -> Any:
        """DLPack export of the bytes (1-D uint8); the capsule keeps the memory alive."""
        return self.view().__dlpack__(stream=stream, max_version=max_version,
                                      dl_device=dl_device, copy=copy)

    def __dlpack_device__(self) -> tuple[int, int]:
        return (KDL_CUDA, self.device)

    @property
    def __cuda_array_interface__(self) -> dict[str, Any]:
        """CUDA Array Interface v3: the memory as a 1-D uint8 array, no stream ordering."""
        native = self._live()
        self._pinned = native
        return {
            "shape": (int(native.size),),
            "typestr": "|u1",
            "data": (int(native.ptr), False),
            "version": 3,
            "strides": None,
            "stream": None,
        }


def _optional_stream(stream: StreamLike) -> int | None:
    return None if stream is None else stream_handle(stream)
