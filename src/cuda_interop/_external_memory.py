# SPDX-License-Identifier: Apache-2.0
"""ExternalMemory: memory of another API or process imported into CUDA."""

from __future__ import annotations

from typing import Any

import numpy.typing as npt

from . import _core
from ._device import DeviceLike, device_ordinal
from ._formats import array_format
from ._handles import HandleOrName, check_fd, check_handle, check_size, split_handle_or_name
from ._lifecycle import Owner
from ._mapped_buffer import MappedBuffer
from ._mipmapped_array import ArrayFlags, MappedMipmappedArray

MemoryHandleType = _core.MemoryHandleType


class ExternalMemory(Owner[_core.ExternalMemory]):
    """An imported memory object (``cudaExternalMemory_t``).

    Build one with a ``from_*`` class method, then :meth:`map_buffer` or
    :meth:`map_mipmapped_array`. Mappings keep the memory alive; ``close()`` (or ``with``)
    releases this object's reference, and the import is destroyed once no mapping uses it.

    Handles passed in are not consumed unless ``take_ownership=True`` (then they are closed
    after a successful import only; after a failure the caller still owns them).
    """

    __slots__ = ()

    # -- POSIX -----------------------------------------------------------------------------
    @classmethod
    def from_fd(cls, fd: int, size: int, *, dedicated: bool = False, device: DeviceLike = None,
                take_ownership: bool = False) -> ExternalMemory:
        """Import an opaque file descriptor (Vulkan ``OPAQUE_FD``, cuMem ``POSIX_FILE_DESCRIPTOR``).

        Parameters
        ----------
        fd:
            The descriptor. CUDA is given a duplicate, so `fd` stays valid unless
            `take_ownership` (then it is closed after a successful import).
        size:
            The allocation size the exporter reports (e.g. ``VkMemoryRequirements.size``).
        dedicated:
            True exactly when the exporter made a dedicated allocation.
        """
        native = _core.ExternalMemory.import_fd(check_fd(fd), check_size(size), dedicated,
                                                device_ordinal(device), take_ownership)
        return cls(native)

    # -- Windows ---------------------------------------------------------------------------
    @classmethod
    def _from_win32(cls, kind: _core.MemoryHandleType, handle_or_name: HandleOrName, size: int,
                    dedicated: bool, device: DeviceLike, take_ownership: bool) -> ExternalMemory:
        handle, name = split_handle_or_name(handle_or_name)
        check_size(size)
        ordinal = device_ordinal(device)
        if name is not None:
            if take_ownership:
                raise ValueError("take_ownership applies to handles, not names")
            return cls(_core.ExternalMemory.import_win32_name(kind, name, size, dedicated, ordinal))
        assert handle is not None
        return cls(_core.ExternalMemory.import_win32_handle(kind, handle, size, dedicated, ordinal,
                                                           take_ownership))

    @classmethod
    def from_win32(cls, handle_or_name: HandleOrName, size: int, *, dedicated: bool = False,
                   device: DeviceLike = None, take_ownership: bool = False) -> ExternalMemory:
        """Import an opaque NT handle (int) or named handle (str), e.g. Vulkan on Windows."""
        return cls._from_win32(MemoryHandleType.OPAQUE_WIN32, handle_or_name, size, dedicated,
                               device, take_ownership)

    @classmethod
    def from_win32_kmt(cls, handle: int, size: int, *, dedicated: bool = False,
                       device: DeviceLike = None) -> ExternalMemory:
        """Import an opaque KMT handle (global; holds no reference, so it is never closed)."""
        return cls(_core.ExternalMemory.import_win32_handle(
            MemoryHandleType.OPAQUE_WIN32_KMT, check_handle(handle), check_size(size), dedicated,
            device_ordinal(device), False))

    @classmethod
    def from_d3d12_heap(cls, handle_or_name: HandleOrName, size: int, *,
                        device: DeviceLike = None, take_ownership: bool = False) -> ExternalMemory:
        """Import a shared ``ID3D12Heap`` (``D3D12_HEAP_FLAG_SHARED``) by NT handle or name.

        `size` is the heap's size. The NT handle holds a reference to the heap: close it when
        no longer needed (or pass ``take_ownership=True``).
        """
        return cls._from_win32(MemoryHandleType.D3D12_HEAP, handle_or_name, size, False, device,
                               take_ownership)

    @classmethod
    def from_d3d12_resource(cls, handle_or_name: HandleOrName, size: int, *,
                            device: DeviceLike = None,
                            take_ownership: bool = False) -> ExternalMemory:
        """Import a shared committed ``ID3D12Resource`` by NT handle or name (dedicated).

        `size` is ``GetResourceAllocationInfo(...).SizeInBytes``.
        """
        return cls._from_win32(MemoryHandleType.D3D12_RESOURCE, handle_or_name, size, True,
                               device, take_ownership)

    @classmethod
    def from_d3d11_resource(cls, handle_or_name: HandleOrName, size: int, *, kmt: bool = False,
                            device: DeviceLike = None,
                            take_ownership: bool = False) -> ExternalMemory:
        """Import a shared D3D11 resource: NT handle or name, or with ``kmt=True`` the handle
        of ``IDXGIResource::GetSharedHandle`` (never closed)."""
        if kmt:
            if isinstance(handle_or_name, str):
                raise ValueError("KMT handles cannot be opened by name")
            return cls(_core.ExternalMemory.import_win32_handle(
                MemoryHandleType.D3D11_RESOURCE_KMT, check_handle(handle_or_name),
                check_size(size), True, device_ordinal(device), take_ownership))
        return cls._from_win32(MemoryHandleType.D3D11_RESOURCE, handle_or_name, size, True,
                               device, take_ownership)

    @classmethod
    def from_nvscibuf(cls, obj: int, size: int, *, device: DeviceLike = None) -> ExternalMemory:
        """Import an ``NvSciBufObj`` (address as int). Tegra/DRIVE platforms only."""
        return cls(_core.ExternalMemory.import_nvscibuf(check_handle(obj), check_size(size),
                                                        device_ordinal(device)))

    # -- Mapping ---------------------------------------------------------------------------
    def map_buffer(self, offset: int = 0, size: int | None = None) -> MappedBuffer:
        """Map ``[offset, offset + size)`` (the rest when `size` is None) as device memory.

        Mappings are cheap to keep and costly to make (milliseconds for a GiB): map once, reuse.
        """
        if size is not None:
            check_size(size)
        if offset < 0:
            raise ValueError(f"offset must be >= 0, got {offset}")
        return MappedBuffer(self._live().map_buffer(offset, 0 if size is None else size))

    def map_mipmapped_array(
        self,
        dtype: npt.DTypeLike | str,
        channels: int | None,
        extent: tuple[int, int, int],
        levels: int = 1,
        *,
        layered: bool = False,
        cubemap: bool = False,
        surface_load_store: bool = False,
        color_attachment: bool = False,
        texture_gather: bool = False,
        offset: int = 0,
    ) -> MappedMipmappedArray:
        """Map an image as a CUDA mipmapped array.

        Parameters
        ----------
        dtype, channels:
            Channel type and count (1, 2 or 4), or a Vulkan/DXGI format name such as
            ``"R8G8B8A8_UNORM"`` (then `channels` may be None).
        extent:
            Base level in elements, CUDA's way: 2D ``(w, h, 0)``, 3D ``(w, h, d)``,
            layered ``(w, h, layers)``, 1D ``(w, 0, 0)``.
        levels:
            Mip levels (>= 1).
        color_attachment:
            Required when the image is a colour target in the graphics API.
        """
        fmt = array_format(dtype, channels)
        flags = ArrayFlags.from_options(layered=layered, cubemap=cubemap,
                                        surface_load_store=surface_load_store,
                                        color_attachment=color_attachment,
                                        texture_gather=texture_gather)
        if len(extent) != 3 or any(int(v) < 0 for v in extent):
            raise ValueError(f"extent must be three non-negative ints, got {extent!r}")
        if levels < 1:
            raise ValueError(f"levels must be >= 1, got {levels}")
        width, height, depth = (int(v) for v in extent)
        native = _core.map_mipmapped_array(self._live(), fmt.kind, fmt.bits, fmt.channels,
                                           (width, height, depth), levels, int(flags), offset)
        return MappedMipmappedArray(native, fmt)

    # -- Properties ------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return int(self._live().size)

    @property
    def device(self) -> int:
        return int(self._live().device)

    @property
    def handle_type(self) -> _core.MemoryHandleType:
        return self._live().handle_type

    @property
    def dedicated(self) -> bool:
        return bool(self._live().dedicated)

    @property
    def native_handle(self) -> int:
        """The raw ``cudaExternalMemory_t`` (valid while this object is open)."""
        return int(self._live().native_handle)

    def __repr__(self) -> str:
        if self.closed:
            return "ExternalMemory(closed)"
        return (f"ExternalMemory({self.handle_type.name}, size={self.size}, "
                f"device={self.device}, dedicated={self.dedicated})")

    def __reduce__(self) -> Any:
        raise TypeError("ExternalMemory cannot be pickled; share the OS handle instead")
