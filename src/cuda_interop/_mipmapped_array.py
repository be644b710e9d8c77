# SPDX-License-Identifier: Apache-2.0
"""Mipmapped arrays mapped from external memory: levels, copies, surfaces and textures."""

from __future__ import annotations

import enum
from typing import Any

import numpy as np
import numpy.typing as npt

import cuda_interop._core as _core

from ._formats import ArrayFormat
from ._handles import flag
from ._lifecycle import Owner
from ._linear_memory import host_view


class ArrayFlags(enum.IntFlag):
    """cudaArray* flags that a mapping accepts (the core's values)."""

    NONE = 0
    LAYERED = int(_core.ArrayFlags.LAYERED)
    SURFACE_LOAD_STORE = int(_core.ArrayFlags.SURFACE_LOAD_STORE)
    CUBEMAP = int(_core.ArrayFlags.CUBEMAP)
    TEXTURE_GATHER = int(_core.ArrayFlags.TEXTURE_GATHER)
    COLOR_ATTACHMENT = int(_core.ArrayFlags.COLOR_ATTACHMENT)

    @classmethod
    def from_options(cls, *, layered: bool, cubemap: bool, surface_load_store: bool,
                     color_attachment: bool, texture_gather: bool) -> ArrayFlags:
        """The flags whose options are True."""
        flags = cls.NONE
        for wanted, name, value in ((layered, "layered", cls.LAYERED),
                                    (cubemap, "cubemap", cls.CUBEMAP),
                                    (surface_load_store, "surface_load_store",
                                     cls.SURFACE_LOAD_STORE),
                                    (color_attachment, "color_attachment", cls.COLOR_ATTACHMENT),
                                    (texture_gather, "texture_gather", cls.TEXTURE_GATHER)):
            if flag(wanted, name):
                flags |= value
        return flags


class ArrayObject(Owner[_core.ArrayObject]):
    """A CUDA surface or texture object; keeps its array alive. Pass :attr:`handle` to kernels."""

    __slots__ = ()

    @property
    def handle(self) -> int:
        """The ``cudaSurfaceObject_t`` or ``cudaTextureObject_t`` (a 64-bit integer)."""
        return int(self._live().handle)


class ArrayLevel:
    """One mip level (a ``cudaArray_t``); keeps its mipmapped array alive."""

    __slots__ = ("_format", "_native")

    def __init__(self, native: _core.ArrayLevel, fmt: ArrayFormat) -> None:
        self._native = native
        self._format = fmt

    @property
    def index(self) -> int:
        """This level's index in its mipmapped array (0 is the base level)."""
        return int(self._native.index)

    @property
    def extent(self) -> tuple[int, int, int]:
        """This level's extent in CUDA's convention (unused dimensions are 0)."""
        width, height, depth = self._native.extent
        return (int(width), int(height), int(depth))

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the level as a host array:
        ``([depth or layers,] [height,] width[, channels])``."""
        width, height, depth = self.extent
        dims = [d for d in (depth, height) if d > 0] + [width]
        if self._format.channels > 1:
            dims.append(self._format.channels)
        return tuple(dims)

    @property
    def dtype(self) -> np.dtype[Any]:
        """The numpy dtype of one channel (the element has :attr:`shape`'s last dimension of
        them when it has more than one channel)."""
        return self._format.dtype

    @property
    def native_handle(self) -> int:
        """The raw ``cudaArray_t``, for libraries that accept one."""
        return int(self._native.native_handle)

    def copy_from_host(self, array: npt.ArrayLike) -> None:
        """Copy a host array of exactly this level's size (all layers) into the level."""
        source = np.ascontiguousarray(array)
        if source.nbytes != self._native.byte_size:
            raise ValueError(f"level {self.index} holds {self._native.byte_size} bytes "
                             f"(shape {self.shape}, {self.dtype}); got {source.nbytes}")
        self._native.copy_from_host(host_view(source))

    def copy_to_host(self, out: npt.NDArray[Any] | None = None) -> npt.NDArray[Any]:
        """Copy the level to a host array of :attr:`shape` and :attr:`dtype`."""
        if out is None:
            out = np.empty(self.shape, dtype=self.dtype)
        self._native.copy_to_host(host_view(out))
        return out

    def copy_from_device(self, ptr: int, size: int) -> None:
        """Copy tightly packed linear device memory at `ptr` into the level."""
        self._native.copy_from_device(ptr, size)

    def copy_to_device(self, ptr: int, size: int) -> None:
        """Copy the level into tightly packed linear device memory at `ptr`."""
        self._native.copy_to_device(ptr, size)

    def create_surface_object(self) -> ArrayObject:
        """A ``cudaSurfaceObject_t`` for kernels that read and write this level."""
        return ArrayObject(self._native.create_surface_object())


class MappedMipmappedArray(Owner[_core.MappedMipmappedArray]):
    """An image of an :class:`ExternalMemory` as a CUDA mipmapped array (zero copy).

    It keeps its memory alive; ``close()`` frees it (``cudaFreeMipmappedArray``) once no level,
    surface or texture object uses it.
    """

    __slots__ = ("_format",)

    def __init__(self, native: _core.MappedMipmappedArray, fmt: ArrayFormat) -> None:
        super().__init__(native)
        self._format = fmt

    @property
    def dtype(self) -> np.dtype[Any]:
        """The numpy dtype of one channel."""
        return self._format.dtype

    @property
    def channels(self) -> int:
        """Channels per element (1, 2 or 4)."""
        return self._format.channels

    @property
    def extent(self) -> tuple[int, int, int]:
        """Level 0's ``(width, height, depth)`` in elements, in CUDA's convention: unused
        dimensions are 0, and a layered array's depth is its number of layers."""
        width, height, depth = self._live().extent
        return (int(width), int(height), int(depth))

    @property
    def levels(self) -> int:
        """Number of mip levels (at least 1)."""
        return int(self._live().levels)

    @property
    def flags(self) -> ArrayFlags:
        """The ``cudaArray*`` flags the array was mapped with."""
        return ArrayFlags(self._live().flags)

    @property
    def device(self) -> int:
        """Ordinal of the CUDA device the array lives on (that of its memory's import)."""
        return int(self._live().device)

    @property
    def native_handle(self) -> int:
        """The raw ``cudaMipmappedArray_t``."""
        return int(self._live().native_handle)

    def level(self, index: int) -> ArrayLevel:
        """Mip level `index` (0 is the base)."""
        if index < 0:
            raise ValueError(f"level index must be >= 0, got {index}")
        return ArrayLevel(self._live().level(index), self._format)

    def create_texture_object(self, *, linear_filter: bool = False,
                              normalized_coordinates: bool = False,
                              normalized_float: bool = False,
                              address_mode: str = "wrap") -> ArrayObject:
        """A ``cudaTextureObject_t`` over all levels."""
        modes = {"wrap": 0, "clamp": 1, "mirror": 2, "border": 3}
        if address_mode not in modes:
            raise ValueError(f"address_mode must be one of {sorted(modes)}, got {address_mode!r}")
        return ArrayObject(self._live().create_texture_object(
            linear_filter, normalized_coordinates, normalized_float, modes[address_mode]))

    def __repr__(self) -> str:
        if self.closed:
            return "MappedMipmappedArray(closed)"
        return (f"MappedMipmappedArray({self.dtype}x{self.channels}, extent={self.extent}, "
                f"levels={self.levels}, flags={self.flags!r})")
