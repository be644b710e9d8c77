# SPDX-License-Identifier: Apache-2.0
"""Typed views of linear device memory, exported through DLPack and the CUDA Array Interface."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core, _handoff
from ._dlpack_dtypes import element_type
from ._handles import integer
from ._stream import StreamLike, stream_handle

KDL_CPU = 1
KDL_CUDA = 2


class BufferView:
    """`shape` elements of `dtype` at `offset` bytes into a mapping or allocation.

    A view holds its own reference to the memory, so it — and every tensor made from it by
    :meth:`to`, ``torch.from_dlpack``, ``cupy.from_dlpack`` or ``jax.dlpack.from_dlpack`` — stays
    valid after the MappedBuffer, ExternalMemory or SharedAllocation it came from is closed.
    Views have no ``close()``: they live as long as something uses them.

    `dtype` is any whole-byte DLPack type: bool, the ints and uints, float16/32/64,
    complex64/128, bfloat16 and the 8-bit floats (``"float8_e4m3fn"``, ``"float8_e5m2"``, …),
    by name or as a numpy, ``ml_dtypes`` or ``torch`` dtype.
    """

    __slots__ = ("_device", "_element", "_export", "_native", "_offset", "_shape")

    def __init__(self, native: _core.DeviceSpan, dtype: object,
                 shape: tuple[int, ...] | int | None, offset: int) -> None:
        element = element_type(dtype)
        itemsize = element.itemsize
        size = int(native.size)
        if not 0 <= offset <= size:
            raise ValueError(f"offset {offset} is outside the {size}-byte memory")
        if shape is None:
            shape = ((size - offset) // itemsize,)
        elif not isinstance(shape, (tuple, list)):
            shape = (shape,)  # one extent, as numpy takes it
        shape = tuple([integer(extent, "shape") for extent in shape])
        if any(extent < 0 for extent in shape):
            raise ValueError(f"shape must not be negative, got {shape}")
        nbytes = math.prod(shape) * itemsize
        if offset + nbytes > size:
            raise ValueError(f"a {shape} {element.name} view at offset {offset} needs {nbytes} "
                             f"bytes; {size - offset} remain")
        if (int(native.ptr) + offset) % itemsize:
            raise ValueError(f"offset {offset} is not aligned for {element.name}")
        self._native = native.share()  # our own reference: the source may be closed
        self._element = element
        self._shape = shape
        self._offset = offset
        self._device = int(native.device)
        self._export: _core.DLPackExport | None = None

    @property
    def dtype(self) -> np.dtype[Any] | str:
        """The numpy dtype of the elements (native byte order); for bfloat16 and the 8-bit
        floats ``ml_dtypes``' dtype where it is installed, else the name (``"bfloat16"``)."""
        host = self._element.host_dtype()
        return self._element.name if host is None else host

    @property
    def dtype_name(self) -> str:
        """The element type's name: ``"float32"``, ``"bfloat16"``, ``"float8_e4m3fn"``, …"""
        return self._element.name

    @property
    def dlpack_dtype(self) -> tuple[int, int, int]:
        """The DLPack data type of the elements: (type code, bits, lanes)."""
        return (self._element.code, self._element.bits, 1)

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
        return math.prod(self._shape) * self._element.itemsize

    def _exported(self) -> _core.DLPackExport:
        export = self._export
        if export is None:
            code, bits, _ = self.dlpack_dtype
            export = self._export = _core.dlpack_export(self._native, self._offset,
                                                        list(self._shape), code, bits)
        return export

    def to(self, array_type: type) -> Any:
        """This memory as an array of `array_type` (``torch.Tensor``, ``cupy.ndarray``,
        ``jax.Array``, ``numpy.ndarray``, …), zero copy.

        Through the type's DLPack C exchange API (``__dlpack_c_exchange_api__``, PyTorch >= 2.10)
        where it has one: no Python protocol, well under a microsecond. Otherwise through its
        library's ``from_dlpack``. Either way the array holds the memory (nothing dangles when
        the view and its sources are closed) and no stream is synchronised: this package
        enqueues no work on the memory, so order your own (a semaphore wait, a ``fill`` on a
        stream) on the consumer's stream, as with ``__dlpack__``.
        """
        try:
            route = _handoff.ROUTES[array_type]  # the hot path: a dict hit
        except (KeyError, TypeError):  # first use, or not even hashable
            route = _handoff.route(array_type)
        if route.api is not None:
            return (self._export or self._exported()).to(route.api)
        assert route.from_dlpack is not None
        return route.from_dlpack(self)

    def to_torch(self) -> Any:
        """``view.to(torch.Tensor)``: a PyTorch tensor of this memory (see :meth:`to`)."""
        return self.to(_handoff.TORCH_TENSOR or _handoff.torch_tensor())

    def copy_to_host(self, out: npt.NDArray[Any] | None = None, *,
                     stream: StreamLike = None) -> npt.NDArray[Any]:
        """Copy the view to the host: into `out` (C-contiguous, ``nbytes`` bytes of the view's
        itemsize) or a new array of the view's shape and dtype.

        bfloat16 and the 8-bit floats have a host dtype only with ``ml_dtypes`` installed;
        without it pass `out` (e.g. ``np.empty(shape, np.uint16)`` for the bits of bfloat16).
        Synchronous; with `stream` it is ordered after that stream's work (and done on return).
        """
        if out is None:
            host = self._element.host_dtype()
            if host is None:
                raise TypeError(f"a {self._element.name} view has no numpy dtype without "
                                f"ml_dtypes (pip install ml_dtypes); pass out= (e.g. np.empty"
                                f"({self._shape}, np.uint{self._element.bits})) for the raw bits")
            out = np.empty(self._shape, host)
        self._native.copy_to_host(self._bytes_of(out, "out", writable=True), self._offset,
                                  None if stream is None else stream_handle(stream))
        return out

    def copy_from_host(self, array: npt.ArrayLike, *, stream: StreamLike = None) -> None:
        """Copy the bytes of a host array (``nbytes`` bytes of the view's itemsize, e.g. an
        ``ml_dtypes.bfloat16`` or a uint16 array for a bfloat16 view) into the view.

        Synchronous; with `stream` it is ordered after that stream's work (and done on return).
        """
        source = np.ascontiguousarray(array)
        self._native.copy_from_host(self._bytes_of(source, "array", writable=False),
                                    self._offset, None if stream is None else stream_handle(stream))

    def _bytes_of(self, array: npt.NDArray[Any], name: str, *, writable: bool) -> memoryview:
        if not isinstance(array, np.ndarray):
            raise TypeError(f"{name} must be a numpy array, got {type(array).__name__}")
        if array.nbytes != self.nbytes or array.dtype.itemsize != self._element.itemsize:
            raise ValueError(f"{name} must hold {self.nbytes} bytes of {self._element.itemsize}-"
                             f"byte items for a {self._shape} {self._element.name} view, got "
                             f"{array.shape} {array.dtype}")
        if not array.flags.c_contiguous or (writable and not array.flags.writeable):
            raise ValueError(f"{name} must be C-contiguous{' and writable' if writable else ''}")
        return memoryview(array.reshape(-1).view(np.uint8))  # type: ignore[arg-type]

    def __dlpack_device__(self) -> tuple[int, int]:
        return (KDL_CPU, 0) if self._device < 0 else (KDL_CUDA, self._device)

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
        return self._exported().capsule(versioned)

    @property
    def __cuda_array_interface__(self) -> dict[str, Any]:
        """CUDA Array Interface v3 (no stream ordering needed, see :meth:`__dlpack__`).

        The interface names types with numpy's letters, which have no bfloat16 or 8-bit floats:
        views of those have no ``__cuda_array_interface__`` (AttributeError naming the dtype,
        so that consumers probing for it move on) and are handed over through DLPack.
        """
        typestr = self._element.typestr
        if typestr is None:
            raise AttributeError(
                f"a {self._element.name} view has no __cuda_array_interface__: its typestr "
                "cannot name bfloat16 or 8-bit floats; hand it over through DLPack "
                "(view.to(...), torch.from_dlpack(view), cupy.from_dlpack(view))")
        return {"shape": self._shape, "typestr": typestr, "data": (self.ptr, False),
                "version": 3, "strides": None, "stream": None}

    def __repr__(self) -> str:
        return f"BufferView(shape={self._shape}, dtype={self._element.name}, ptr={self.ptr:#x})"

