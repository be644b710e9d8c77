# SPDX-License-Identifier: Apache-2.0
"""What linear device memory offers in Python: host copies, fill, __cuda_array_interface__."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ._dlpack import KDL_CUDA, BufferView
from ._lifecycle import Owner


def host_view(array: npt.NDArray[Any]) -> memoryview:
    """The bytes of a C-contiguous host array, for the native copies."""
    # numpy declares the buffer protocol to type checkers only for Python >= 3.12.
    return memoryview(array)  # type: ignore[arg-type]


class _NativeLinear(Protocol):
    @property
    def ptr(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def device(self) -> int: ...
    def copy_from_host(self, source: Any, offset: int) -> None: ...
    def copy_to_host(self, destination: Any, offset: int) -> None: ...
    def fill(self, value: int, offset: int, size: int) -> None: ...
    def close(self) -> None: ...


class LinearMemory(Owner[Any]):
    """Base of MappedBuffer and SharedAllocation.

    Lifetime with ``__cuda_array_interface__``: a consumer (CuPy, Numba, PyTorch) keeps this
    object, not the memory, so once the interface has been handed out ``close()`` marks the
    object closed but the memory is released only when the object itself is collected.
    """

    __slots__ = ("_pinned",)

    def __init__(self, native: Any) -> None:
        super().__init__(native)
        self._pinned: Any = None

    def close(self) -> None:
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

    def copy_from_host(self, array: npt.ArrayLike, offset: int = 0) -> None:
        """Copy the bytes of a host array to ``[offset, offset + array.nbytes)`` (synchronous)."""
        self._live().copy_from_host(host_view(np.ascontiguousarray(array)), offset)

    def copy_to_host(
        self, out: npt.NDArray[Any] | None = None, offset: int = 0
    ) -> npt.NDArray[Any]:
        """Copy bytes to the host: into `out` (C-contiguous) or a new uint8 array of the rest."""
        native = self._live()
        if out is None:
            if offset < 0 or offset > native.size:
                raise ValueError(f"offset {offset} is outside the {native.size}-byte memory")
            out = np.empty(native.size - offset, dtype=np.uint8)
        native.copy_to_host(host_view(out), offset)
        return out

    def fill(self, value: int, offset: int = 0, size: int | None = None) -> None:
        """Set bytes to `value` (cudaMemset, synchronous)."""
        native = self._live()
        if not 0 <= value <= 255:
            raise ValueError(f"fill value must be a byte (0..255), got {value}")
        native.fill(value, offset, native.size - offset if size is None else size)

    def view(self, dtype: npt.DTypeLike = np.uint8, shape: tuple[int, ...] | None = None,
             offset: int = 0) -> BufferView:
        """A typed view for frameworks: ``torch.from_dlpack(buf.view("float32", (h, w, 4)))``.

        The view holds its own reference, so closing this object leaves it valid.
        """
        return BufferView(self._live(), dtype, shape, offset)

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
