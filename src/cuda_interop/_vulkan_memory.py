# SPDX-License-Identifier: Apache-2.0
"""Exportable Vulkan buffers and images, their queue operations, and their import into CUDA."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

import cuda_interop._core as _core

from ._formats import array_format, level_shape
from ._handles import flag, host_source, host_target, instance, integer, seconds
from ._lifecycle import Exporter
from ._native import _vulkan
from ._vulkan_sync import SemaphoreItem
from ._vulkan_sync import sync_items as _sync_items

if TYPE_CHECKING:
    from ._device import Device
    from ._external_memory import ExternalMemory
    from ._mipmapped_array import MappedMipmappedArray



class _Exportable(Exporter):
    """Shared by buffers and images: export of the memory and its import into CUDA."""

    __slots__ = ()

    @property
    def allocation_size(self) -> int:
        """Size of the memory: what CUDA is given at import (at least the byte size)."""
        return int(self._live().allocation_size)

    @property
    def dedicated(self) -> bool:
        """True when the memory is a dedicated allocation (CUDA must be told)."""
        return bool(self._live().dedicated)

    @property
    def memory_type_index(self) -> int:
        """The Vulkan memory type the memory was allocated from
        (``VkMemoryAllocateInfo::memoryTypeIndex``; a Vulkan importer must use the same)."""
        return int(self._live().memory_type_index)

    def export_share(self) -> _core.MemoryShare:
        """A share descriptor for CUDA: a new handle (owned by the descriptor), the allocation
        size, the dedicated flag, the device's UUID and, for images, their layout."""
        share: _core.MemoryShare = self._live().export_share()
        return share

    def to_cuda(self, device: Device | int | None = None) -> ExternalMemory:
        """Import the memory into CUDA (zero copy), on the CUDA device that is this context's."""
        from ._external_memory import ExternalMemory

        return ExternalMemory.from_share(self.export_share(), device=device)


class BufferImportDesc(NamedTuple):
    """What importing a buffer's memory into Vulkan needs (see :meth:`Context.import_buffer_fd`)."""

    size: int
    allocation_size: int
    memory_type_index: int
    dedicated: bool


class Buffer(_Exportable):
    """An exportable Vulkan buffer bound at offset 0 to its own memory."""

    __slots__ = ()

    @property
    def size(self) -> int:
        """The buffer's byte size."""
        return int(self._live().size)

    @property
    def imported(self) -> bool:
        """True when the memory was imported (:meth:`Context.import_buffer_fd`)."""
        return bool(self._live().imported)

    def import_desc(self) -> BufferImportDesc:
        """What :meth:`Context.import_buffer_fd` needs to import this buffer's memory."""
        return BufferImportDesc(self.size, self.allocation_size, self.memory_type_index,
                                self.dedicated)

    def fill(self, value: int = 0, offset: int = 0, size: int | None = None, *,
             wait: Iterable[SemaphoreItem] = (), signal: Iterable[SemaphoreItem] = (),
             block: bool = True, timeout: float | None = None) -> None:
        """Fill with a repeated 32-bit `value` (``vkCmdFillBuffer``).

        `offset` and `size` must be multiples of 4; `size` None fills the rest.
        """
        _vulkan.fill(self._live(), integer(value, "value"), integer(offset, "offset"),
                     _optional(size, "size"), _sync_items(wait, "wait"),
                     _sync_items(signal, "signal"), flag(block, "block"), seconds(timeout))

    def upload(self, data: npt.ArrayLike | bytes, offset: int = 0, *,
               wait: Iterable[SemaphoreItem] = (), signal: Iterable[SemaphoreItem] = (),
               block: bool = True,
                timeout: float | None = None) -> None:
        """Copy host bytes (any C-contiguous buffer or array) into the buffer at `offset`."""
        _vulkan.upload(self._live(), host_source(data), integer(offset, "offset"),
                       _sync_items(wait, "wait"), _sync_items(signal, "signal"),
                       flag(block, "block"), seconds(timeout))

    def download(self, size: int | None = None, offset: int = 0, *,
                 wait: Iterable[SemaphoreItem] = (), signal: Iterable[SemaphoreItem] = (),
                 out: npt.NDArray[Any] | None = None,
                 timeout: float | None = None) -> npt.NDArray[Any]:
        """Copy bytes to the host (always waits); returns a ``uint8`` array, or fills `out`.

        `size` bytes (by default the rest of the buffer, or as many as `out` holds) from
        `offset`; with both `size` and `out`, `out` must hold exactly `size` bytes.
        """
        out_view = None if out is None else host_target(out)
        result: npt.NDArray[Any] = _vulkan.download(
            self._live(), out_view, integer(offset, "offset"), _optional(size, "size"),
            _sync_items(wait, "wait"), _sync_items(signal, "signal"), seconds(timeout))
        return result if out is None else out

    def copy_to(self, destination: Buffer, size: int | None = None, source_offset: int = 0,
                destination_offset: int = 0, *, wait: Iterable[SemaphoreItem] = (),
                signal: Iterable[SemaphoreItem] = (), block: bool = True,
                timeout: float | None = None) -> None:
        """Copy `size` bytes (the rest by default) into another buffer of the same context."""
        destination = instance(destination, Buffer, "destination", "vulkan.Buffer")
        _vulkan.copy_buffer(self._live(), destination._live(), _optional(size, "size"),
                            integer(source_offset, "source_offset"),
                            integer(destination_offset, "destination_offset"),
                            _sync_items(wait, "wait"), _sync_items(signal, "signal"),
                            flag(block, "block"), seconds(timeout))

    def __repr__(self) -> str:
        if self.closed:
            return "vulkan.Buffer(closed)"
        return (f"vulkan.Buffer(size={self.size}, allocation_size={self.allocation_size}, "
                f"dedicated={self.dedicated})")


class Image(_Exportable):
    """An exportable optimally tiled Vulkan image (2D, 2D array or 3D, with mip levels)."""

    __slots__ = ()

    @property
    def format(self) -> str:
        """The format's name, e.g. ``"R8G8B8A8_UNORM"``."""
        return str(self._live().format)

    @property
    def vk_format(self) -> int:
        """The ``VkFormat`` value of :attr:`format`."""
        return int(self._live().vk_format)

    @property
    def extent(self) -> tuple[int, int, int]:
        """(width, height, depth) of level 0."""
        native = self._live()
        return (int(native.width), int(native.height), int(native.depth))

    @property
    def levels(self) -> int:
        """Number of mip levels (at least 1)."""
        return int(self._live().levels)

    @property
    def layers(self) -> int:
        """Number of array layers: more than 1 for a 2D array, else 1."""
        return int(self._live().layers)

    @property
    def is_3d(self) -> bool:
        """True for a 3D image (depth > 1)."""
        return bool(self._live().is_3d)

    @property
    def layered(self) -> bool:
        """True for a 2D array (more than one layer)."""
        return self.layers > 1

    @property
    def color_attachment(self) -> bool:
        """Whether the image has colour-attachment usage (CUDA then maps it with the
        ``COLOR_ATTACHMENT`` array flag)."""
        return bool(self._live().color_attachment)

    @property
    def storage(self) -> bool:
        """Whether the image has storage usage (the format supports it)."""
        return bool(self._live().storage)

    @property
    def sampled(self) -> bool:
        """Whether the image has sampled usage (the format supports it)."""
        return bool(self._live().sampled)

    def cuda_format(self) -> tuple[str, int]:
        """(channel dtype name, channel count) of a CUDA array holding these texels."""
        native = self._live()
        return (str(native.component), int(native.channels))

    def cuda_extent(self) -> tuple[int, int, int]:
        """Level 0 as CUDA wants it.

        2D ``(w, h, 0)``, layered ``(w, h, layers)``, 3D ``(w, h, d)``.
        """
        width, height, depth = self.extent
        if self.is_3d:
            return (width, height, depth)
        return (width, height, self.layers if self.layered else 0)

    def level_extent(self, level: int) -> tuple[int, int, int]:
        """(width, height, depth) of mip level `level`."""
        width, height, depth = self._live().level_extent(_level(level))
        return (int(width), int(height), int(depth))

    def level_size(self, level: int) -> int:
        """Bytes of mip level `level`, all layers, tightly packed."""
        return int(self._live().level_size(_level(level)))

    def level_shape(self, level: int) -> tuple[int, ...]:
        """Host array shape of a level: ``([depth or layers,] height, width[, channels])``, as
        every producer shapes it (no channel dimension for one-channel formats)."""
        self.level_extent(level)  # ValueError for a level the image does not have
        return level_shape(array_format(self.format), self.extent, self.layers, level)

    def upload(self, level: int, data: npt.ArrayLike, *, wait: Iterable[SemaphoreItem] = (),
               signal: Iterable[SemaphoreItem] = (), block: bool = True,
                timeout: float | None = None) -> None:
        """Copy a host array of exactly :meth:`level_size` bytes into mip level `level`."""
        _vulkan.upload_image(self._live(), integer(level, "level"),
                             host_source(data), _sync_items(wait, "wait"),
                             _sync_items(signal, "signal"), flag(block, "block"), seconds(timeout))

    def download(self, level: int = 0, *, wait: Iterable[SemaphoreItem] = (),
                 signal: Iterable[SemaphoreItem] = (),
                 out: npt.NDArray[Any] | None = None,
                 timeout: float | None = None) -> npt.NDArray[Any]:
        """Copy mip level `level` to the host (always waits), shaped as :meth:`level_shape`."""
        if out is None:
            out = np.empty(self.level_shape(level), dtype=self.cuda_format()[0])
        _vulkan.download_image(self._live(), integer(level, "level"), host_target(out),
                               _sync_items(wait, "wait"), _sync_items(signal, "signal"),
                               seconds(timeout))
        return out

    def copy_from_buffer(self, source: Buffer, level: int = 0, source_offset: int = 0, *,
                         wait: Iterable[SemaphoreItem] = (), signal: Iterable[SemaphoreItem] = (),
                         block: bool = True, timeout: float | None = None) -> None:
        """Copy tightly packed texels from `source` into mip level `level` (all layers)."""
        source = instance(source, Buffer, "source", "vulkan.Buffer")
        _vulkan.copy_buffer_to_image(source._live(), self._live(), integer(level, "level"),
                                     integer(source_offset, "source_offset"),
                                     _sync_items(wait, "wait"), _sync_items(signal, "signal"),
                                     flag(block, "block"), seconds(timeout))

    def copy_to_buffer(self, destination: Buffer, level: int = 0, destination_offset: int = 0, *,
                       wait: Iterable[SemaphoreItem] = (), signal: Iterable[SemaphoreItem] = (),
                       block: bool = True, timeout: float | None = None) -> None:
        """Copy mip level `level` (all layers) into `destination`, tightly packed."""
        destination = instance(destination, Buffer, "destination", "vulkan.Buffer")
        _vulkan.copy_image_to_buffer(self._live(), integer(level, "level"), destination._live(),
                                     integer(destination_offset, "destination_offset"),
                                     _sync_items(wait, "wait"), _sync_items(signal, "signal"),
                                     flag(block, "block"), seconds(timeout))

    def map_to_cuda(self, device: Device | int | None = None, *,
                    surface_load_store: bool = False) -> MappedMipmappedArray:
        """Import into CUDA and map as a mipmapped array with this image's layout.

        The mapping keeps the import alive, so nothing else needs closing.
        """
        with self.to_cuda(device) as memory:
            return memory.map_mipmapped_array(surface_load_store=surface_load_store)

    def __repr__(self) -> str:
        if self.closed:
            return "vulkan.Image(closed)"
        return (f"vulkan.Image({self.format}, extent={self.extent}, levels={self.levels}, "
                f"layers={self.layers}, allocation_size={self.allocation_size})")


def _level(value: object) -> int:
    """A mip level index for the native accessors, which take it unsigned 32-bit (the queue
    operations check theirs in the core, with this message)."""
    level = integer(value, "level")
    if not 0 <= level <= 0xFFFFFFFF:
        raise ValueError(f"level must be within 0..4294967295, got {level}")
    return level


def _optional(value: int | None, name: str) -> int | None:
    return None if value is None else integer(value, name)
