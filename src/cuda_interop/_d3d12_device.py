# SPDX-License-Identifier: Apache-2.0
"""DXGI adapters and the Direct3D 12 device on the adapter CUDA uses."""

from __future__ import annotations

import dataclasses
from typing import Any

from ._core import NotSupportedError
from ._d3d12_fence import Fence
from ._d3d12_flags import Format, HeapFlags, ResourceFlags
from ._d3d12_resources import Buffer, Heap, Texture2D
from ._device import Device as CudaDevice
from ._handles import integer
from ._lifecycle import Owner
from ._native import _d3d12


@dataclasses.dataclass(frozen=True)
class Adapter:
    """A DXGI adapter: compare :attr:`luid` with ``cuda_interop.Device.luid``."""

    index: int
    description: str
    luid: bytes
    vendor_id: int
    device_id: int
    dedicated_video_memory: int
    software: bool


def _adapter(info: Any) -> Adapter:
    return Adapter(int(info.index), str(info.description), bytes(info.luid), int(info.vendor_id),
                   int(info.device_id), int(info.dedicated_video_memory), bool(info.software))


def adapters() -> list[Adapter]:
    """Every DXGI adapter, in enumeration order. NotSupportedError where D3D12 is unavailable."""
    return [_adapter(info) for info in _d3d12.list_adapters()]


class Device(Owner[Any]):
    """An ``ID3D12Device`` (feature level 11_0) on the adapter CUDA uses, with one copy queue.

    Parameters
    ----------
    cuda_device:
        A ``cuda_interop.Device`` or a CUDA ordinal: the adapter whose LUID equals that device's
        LUID is used (CUDA reports LUIDs on Windows for WDDM devices only). Default: device 0,
        unless `luid` or `adapter_index` is given.
    luid:
        The 8-byte adapter LUID (``LowPart`` then ``HighPart``, little endian), as CUDA reports it.
    adapter_index:
        The ``IDXGIFactory1::EnumAdapters1`` index (see :func:`adapters`).

    Raises
    ------
    cuda_interop.NotSupportedError
        Where Direct3D 12 is unavailable, or when the CUDA device reports no LUID.
    ValueError
        When no adapter has the LUID (the message lists the adapters seen).
    """

    __slots__ = ("_cuda_device",)

    def __init__(self, cuda_device: CudaDevice | int | None = None, *, luid: bytes | None = None,
                 adapter_index: int | None = None) -> None:
        native = _d3d12.Device  # NotSupportedError first where Direct3D 12 is unavailable
        chosen = sum(x is not None for x in (cuda_device, luid, adapter_index))
        if chosen > 1:
            raise TypeError("give one of cuda_device, luid and adapter_index")
        self._cuda_device: CudaDevice | None = None
        if adapter_index is not None:
            super().__init__(native.from_adapter_index(adapter_index))
            return
        if luid is None:
            cuda = (cuda_device if isinstance(cuda_device, CudaDevice)
                    else CudaDevice(cuda_device or 0))
            if cuda.luid is None:
                raise NotSupportedError(
                    f"CUDA device {cuda.ordinal} reports no LUID (a TCC-mode device has none); "
                    "Direct3D 12 interop needs a WDDM device")
            luid = cuda.luid
            self._cuda_device = cuda
        super().__init__(native.from_luid(bytes(luid)))

    @property
    def adapter(self) -> Adapter:
        """The DXGI adapter the device runs on."""
        return _adapter(self._live().adapter)

    @property
    def luid(self) -> bytes:
        """The adapter's LUID (8 bytes, as CUDA stores it)."""
        return bytes(self._live().luid)

    @property
    def cuda_device(self) -> CudaDevice | None:
        """The CUDA device this device was matched to, if it was made from one."""
        return self._cuda_device

    @property
    def native_handle(self) -> int:
        """The ``ID3D12Device*`` (borrowed)."""
        return int(self._live().native_handle)

    def create_heap(self, size: int, flags: HeapFlags = HeapFlags.ALLOW_ONLY_BUFFERS) -> Heap:
        """A shared heap of at least `size` bytes (rounded up to 64 KiB), DEFAULT heap type."""
        return Heap(self._live().create_heap(integer(size, "size"), int(flags)), self)

    def create_heap_buffer(self, size: int, flags: ResourceFlags = ResourceFlags.NONE) -> Buffer:
        """A buffer at offset 0 of a shared heap of its own; ``to_cuda()`` imports the heap."""
        with self.create_heap(size) as heap:
            return heap.create_placed_buffer(0, size, flags)

    def create_committed_buffer(self, size: int,
                                flags: ResourceFlags = ResourceFlags.NONE) -> Buffer:
        """A committed buffer with ``D3D12_HEAP_FLAG_SHARED``, in state COMMON."""
        return Buffer(self._live().create_committed_buffer(integer(size, "size"), int(flags)), self)

    def create_texture2d(
        self, width: int, height: int, format: Format | int = Format.R8G8B8A8_UNORM, *,
        mip_levels: int = 1, array_size: int = 1,
        flags: ResourceFlags = ResourceFlags.ALLOW_SIMULTANEOUS_ACCESS,
    ) -> Texture2D:
        """A committed 2D texture (array) with ``D3D12_HEAP_FLAG_SHARED``.

        ``ALLOW_SIMULTANEOUS_ACCESS`` (the default) lets CUDA and Direct3D 12 use it without layout
        transitions; add ``ALLOW_RENDER_TARGET`` to render into it (then map it in CUDA with
        ``color_attachment=True``).
        """
        native = self._live().create_committed_texture2d(
            integer(width, "width"), integer(height, "height"), int(format),
            integer(mip_levels, "mip_levels"), integer(array_size, "array_size"), int(flags))
        return Texture2D(native, self)

    def create_fence(self, initial_value: int = 0) -> Fence:
        """A fence with ``D3D12_FENCE_FLAG_SHARED``."""
        return Fence(self._live().create_fence(initial_value), self)

    def create_frame_buffer(self, nbytes: int) -> Buffer:
        """A frame ring's buffer (:class:`cuda_interop.frames.FrameProducer`): committed, shared."""
        return self.create_committed_buffer(nbytes)

    def create_frame_timeline(self) -> Fence:
        """A frame ring's timeline (:class:`cuda_interop.frames.FrameProducer`): a shared fence."""
        return self.create_fence()

    def open_shared_handle_by_name(self, name: str) -> int:
        """A new NT handle (owned by the caller) to the object shared under `name`."""
        return int(self._live().open_shared_handle_by_name(name))

    def __repr__(self) -> str:
        if self.closed:
            return "d3d12.Device(closed)"
        return f"d3d12.Device({self.adapter.description!r}, luid={self.luid.hex()})"
