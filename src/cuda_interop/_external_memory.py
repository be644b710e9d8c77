# SPDX-License-Identifier: Apache-2.0
"""ExternalMemory: memory of another API or process imported into CUDA."""

from __future__ import annotations

from typing import Any

import numpy.typing as npt

import cuda_interop._core as _core

from ._device import DeviceLike, device_ordinal
from ._formats import array_format, format_of
from ._handles import HandleOrName, flag, handle_or_name, integer
from ._lifecycle import Owner
from ._mapped_buffer import MappedBuffer
from ._mipmapped_array import ArrayFlags, MappedMipmappedArray

MemoryHandleType = _core.MemoryHandleType
MemoryShare = _core.MemoryShare


class ExternalMemory(Owner[_core.ExternalMemory]):
    """An imported memory object (``cudaExternalMemory_t``).

    Build one with :meth:`from_share` (what every producer's ``to_cuda()`` does) or a
    ``from_*`` class method, then :meth:`map_buffer` or :meth:`map_mipmapped_array`. The import
    is mapped once, whole, on first use, and every :meth:`map_buffer` is a view into that mapping:
    any offset works (also on dedicated imports, where CUDA itself refuses offsets) and repeated
    maps cost nothing. Mappings keep the memory alive; ``close()`` (or ``with``) releases this
    object's reference, and the import is destroyed once no mapping uses it.

    Handles passed in are not consumed unless ``take_ownership=True`` (then they are closed
    after a successful import only; after a failure the caller still owns them).
    """

    __slots__ = ()

    @classmethod
    def from_share(cls, share: _core.MemoryShare, *, device: DeviceLike = None) -> ExternalMemory:
        """Import a share descriptor (a producer's ``export_share()``, or one from ``ipc``).

        By default the import is made on the device the share names (its UUID or LUID);
        `device` must be that device. The share keeps its handle (CUDA gets a duplicate of an
        fd), so it can be imported again; it closes the handle when it is closed or collected.
        """
        if not isinstance(share, _core.MemoryShare):
            raise TypeError(f"share must be a MemoryShare, got {type(share).__name__}")
        return cls(_core.ExternalMemory.import_share(share, device_ordinal(device)))

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
        return cls(_core.ExternalMemory.import_fd(
            integer(fd, "fd"), integer(size, "size"), flag(dedicated, "dedicated"),
            device_ordinal(device), flag(take_ownership, "take_ownership")))

    # -- Windows ---------------------------------------------------------------------------
    @classmethod
    def _from_win32(cls, kind: _core.MemoryHandleType, handle: HandleOrName, size: int,
                    dedicated: bool, device: DeviceLike, take_ownership: bool) -> ExternalMemory:
        value = handle_or_name(handle)
        size, ordinal = integer(size, "size"), device_ordinal(device)
        take_ownership = flag(take_ownership, "take_ownership")
        if isinstance(value, str):
            if take_ownership:
                raise ValueError("take_ownership applies to handles, not names")
            return cls(_core.ExternalMemory.import_win32_name(kind, value, size, dedicated,
                                                              ordinal))
        return cls(_core.ExternalMemory.import_win32_handle(kind, value, size, dedicated, ordinal,
                                                           take_ownership))

    @classmethod
    def from_win32(cls, handle_or_name: HandleOrName, size: int, *, dedicated: bool = False,
                   device: DeviceLike = None, take_ownership: bool = False) -> ExternalMemory:
        """Import an opaque NT handle (int) or named handle (str), e.g. Vulkan on Windows."""
        return cls._from_win32(MemoryHandleType.OPAQUE_WIN32, handle_or_name, size,
                               flag(dedicated, "dedicated"), device, take_ownership)

    @classmethod
    def from_win32_kmt(cls, handle: int, size: int, *, dedicated: bool = False,
                       device: DeviceLike = None) -> ExternalMemory:
        """Import an opaque KMT handle (global; holds no reference, so it is never closed)."""
        return cls._from_win32(MemoryHandleType.OPAQUE_WIN32_KMT, integer(handle, "handle"), size,
                               flag(dedicated, "dedicated"), device, False)

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
        kind = (MemoryHandleType.D3D11_RESOURCE_KMT if flag(kmt, "kmt")
                else MemoryHandleType.D3D11_RESOURCE)
        return cls._from_win32(kind, handle_or_name, size, True, device, take_ownership)

    @classmethod
    def from_nvscibuf(cls, obj: int, size: int, *, device: DeviceLike = None) -> ExternalMemory:
        """Import an ``NvSciBufObj`` (address as int). Tegra/DRIVE platforms only."""
        return cls(_core.ExternalMemory.import_nvscibuf(integer(obj, "handle"),
                                                        integer(size, "size"),
                                                        device_ordinal(device)))

    # -- Mapping ---------------------------------------------------------------------------
    def map_buffer(self, offset: int = 0, size: int | None = None) -> MappedBuffer:
        """``[offset, offset + size)`` (the rest when `size` is None) as device memory.

        A view into the import's one mapping (made on first use): cheap to repeat, any offset.
        """
        offset = integer(offset, "offset")
        length = 0 if size is None else integer(size, "size")
        if size is not None and length == 0:
            raise ValueError("size must be > 0, got 0")
        return MappedBuffer(self._live().map_buffer(offset, length), offset)

    def map_mipmapped_array(
        self,
        dtype: npt.DTypeLike | str | None = None,
        channels: int | None = None,
        extent: tuple[int, int, int] | None = None,
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

        Without `dtype`, the layout the share described is used (images from a producer or
        from ``ipc`` carry theirs); the flag options are then added to its flags. The same
        layout maps once and is shared.

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
        native = self._live()
        flags = int(ArrayFlags.from_options(layered=layered, cubemap=cubemap,
                                            surface_load_store=surface_load_store,
                                            color_attachment=color_attachment,
                                            texture_gather=texture_gather))
        if dtype is None:
            layout = native.image
            if layout is None:
                raise ValueError("this import describes no image: pass dtype, channels and extent")
            layout = layout.with_flags(layout.flags | flags)
        else:
            if extent is None:
                raise TypeError("extent is required with dtype")
            fmt = array_format(dtype, channels)
            if len(extent) != 3:
                raise ValueError(f"extent must be three ints, got {extent!r}")
            width, height, depth = (integer(v, "extent") for v in extent)
            layout = _core.ImageLayout(fmt.kind, fmt.bits, fmt.channels, (width, height, depth),
                                       integer(levels, "levels"), flags, integer(offset, "offset"))
        mapped = native.map_mipmapped_array(layout)
        return MappedMipmappedArray(mapped, format_of(layout.kind, layout.bits, layout.channels))

    # -- Properties ------------------------------------------------------------------------
    @property
    def image(self) -> _core.ImageLayout | None:
        """The image layout the share described, if it was an image."""
        return self._live().image

    @property
    def size(self) -> int:
        """The size the import was made with (the allocation size the producer reports)."""
        return int(self._live().size)

    @property
    def device(self) -> int:
        """Ordinal of the CUDA device the memory was imported on."""
        return int(self._live().device)

    @property
    def handle_type(self) -> _core.MemoryHandleType:
        """The kind of handle that was imported."""
        return self._live().handle_type

    @property
    def dedicated(self) -> bool:
        """Whether the import is of a dedicated allocation."""
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
