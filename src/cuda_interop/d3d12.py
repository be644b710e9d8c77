# SPDX-License-Identifier: Apache-2.0
"""The Direct3D 12 producer: shared heaps, committed resources and fences, imported into CUDA.

>>> from cuda_interop import d3d12
>>> with d3d12.Device(0) as d3d:                        # the D3D12 adapter that is CUDA device 0
...     buf = d3d.create_committed_buffer(1 << 20)       # D3D12_HEAP_FLAG_SHARED
...     buf.upload(numpy.arange(256, dtype=numpy.uint8))
...     mem = buf.to_cuda()                              # cuda_interop.ExternalMemory, zero copy
...     mapped = mem.map_buffer()

The device is the DXGI adapter whose LUID equals the CUDA device's (never another one).
``to_cuda()`` shares the object with ``CreateSharedHandle`` and imports it: heaps with
``ExternalMemory.from_d3d12_heap``, committed resources with ``from_d3d12_resource`` (dedicated),
each with the allocation size Direct3D 12 reports; the NT handle is closed after the import, and a
``name=`` imports by name instead. Transfers (``upload``, ``download``, ...) run synchronously on
the device's copy queue, after any ``Fence.queue_wait`` already enqueued there.

Direct3D 12 is Windows-only. Elsewhere this module still imports: :data:`available` is False,
:data:`unavailable_reason` says why, and :func:`adapters` or constructing :class:`Device` raise
:class:`cuda_interop.NotSupportedError`. Errors of Direct3D 12 calls are ``OSError`` whose
``errno`` is the HRESULT (see :func:`hresult_name`).
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import sys
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import numpy as np
import numpy.typing as npt

from ._core import ClosedError, NotSupportedError
from ._handles import import_exported
from ._lifecycle import Owner

# No stubs of _d3d12 can be generated off Windows: the signatures below are its typed description.
_d3d12: Any
try:
    _d3d12 = importlib.import_module("cuda_interop._d3d12")
except ImportError as _error:
    _d3d12 = None
    _REASON: str | None = (
        "Direct3D 12 is Windows-only; cuda_interop.d3d12 needs the Windows build of cuda-interop"
        if sys.platform != "win32"
        else f"cuda_interop._d3d12 could not be loaded ({_error}); is d3d12.dll present?"
    )
else:
    _REASON = None

if TYPE_CHECKING:
    from ._device import Device as CudaDevice
    from ._external_memory import ExternalMemory
    from ._external_semaphore import ExternalSemaphore

__all__ = [
    "Adapter",
    "Buffer",
    "ClosedError",
    "Device",
    "Fence",
    "Format",
    "Heap",
    "HeapFlags",
    "NotSupportedError",
    "ResourceFlags",
    "Texture2D",
    "adapters",
    "available",
    "close_handle",
    "hresult_name",
    "unavailable_reason",
]

available: bool = _REASON is None
"""Whether the Direct3D 12 producer can be used here (Windows with the ``_d3d12`` module)."""

unavailable_reason: str | None = _REASON
"""Why :data:`available` is False, else None."""

_INFINITE = 0xFFFFFFFF


def _native() -> Any:
    if _d3d12 is None:
        raise NotSupportedError(_REASON)
    return _d3d12


# -- Flags and formats (the Windows SDK's values) ---------------------------------------------
class HeapFlags(enum.IntFlag):
    """``D3D12_HEAP_FLAGS``; ``SHARED`` is always added."""

    NONE = 0x0
    SHARED = 0x1
    DENY_BUFFERS = 0x4
    ALLOW_DISPLAY = 0x8
    DENY_RT_DS_TEXTURES = 0x40
    DENY_NON_RT_DS_TEXTURES = 0x80
    ALLOW_ONLY_BUFFERS = 0xC0
    ALLOW_ONLY_NON_RT_DS_TEXTURES = 0x44
    ALLOW_ONLY_RT_DS_TEXTURES = 0x84


class ResourceFlags(enum.IntFlag):
    """``D3D12_RESOURCE_FLAGS``."""

    NONE = 0x0
    ALLOW_RENDER_TARGET = 0x1
    ALLOW_DEPTH_STENCIL = 0x2
    ALLOW_UNORDERED_ACCESS = 0x4
    DENY_SHADER_RESOURCE = 0x8
    ALLOW_CROSS_ADAPTER = 0x10
    ALLOW_SIMULTANEOUS_ACCESS = 0x20


class Format(enum.IntEnum):
    """The ``DXGI_FORMAT`` values CUDA can map as arrays (any other value may be passed as int)."""

    R32G32B32A32_FLOAT = 2
    R32G32B32A32_UINT = 3
    R16G16B16A16_FLOAT = 10
    R16G16B16A16_UINT = 12
    R32G32_FLOAT = 16
    R32G32_UINT = 17
    R8G8B8A8_UNORM = 28
    R8G8B8A8_UINT = 30
    R32_FLOAT = 41
    R32_UINT = 42
    R8G8_UINT = 50
    R16_FLOAT = 54
    R16_UINT = 57
    R8_UNORM = 61
    R8_UINT = 62
    B8G8R8A8_UNORM = 87


# Element type and channel count of each format, as CUDA's channel format describes it.
_ELEMENTS: dict[int, tuple[str, int]] = {
    Format.R32G32B32A32_FLOAT: ("float32", 4), Format.R32G32B32A32_UINT: ("uint32", 4),
    Format.R16G16B16A16_FLOAT: ("float16", 4), Format.R16G16B16A16_UINT: ("uint16", 4),
    Format.R32G32_FLOAT: ("float32", 2), Format.R32G32_UINT: ("uint32", 2),
    Format.R8G8B8A8_UNORM: ("uint8", 4), Format.R8G8B8A8_UINT: ("uint8", 4),
    Format.R32_FLOAT: ("float32", 1), Format.R32_UINT: ("uint32", 1),
    Format.R8G8_UINT: ("uint8", 2), Format.R16_FLOAT: ("float16", 1),
    Format.R16_UINT: ("uint16", 1), Format.R8_UNORM: ("uint8", 1),
    Format.R8_UINT: ("uint8", 1), Format.B8G8R8A8_UNORM: ("uint8", 4),
}


def hresult_name(hresult: int) -> str:
    """Symbolic name of a well-known HRESULT (``"E_NOTIMPL"``), else ``""``.

    Takes the unsigned value or ``OSError.errno`` of a Direct3D 12 error (the same bits, signed).
    """
    return str(_native().hresult_name(hresult))


def close_handle(handle: int) -> None:
    """``CloseHandle`` on an NT handle returned by ``share()``; ``OSError`` on failure."""
    _native().close_handle(handle)


# -- Adapters ---------------------------------------------------------------------------------
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
    return [_adapter(info) for info in _native().list_adapters()]


# -- Import helpers ---------------------------------------------------------------------------
_Imported = TypeVar("_Imported")


def _import_shared(share: Callable[[str], int], name: str | None,
                   by_handle: Callable[[int], _Imported],
                   by_name: Callable[[str], _Imported]) -> _Imported:
    if name is None:
        return import_exported(share(""), by_handle)  # take_ownership=True: closed once imported
    # A name exists only while a handle to it is open: keep ours until CUDA has imported.
    handle = share(name)
    try:
        return by_name(name)
    finally:
        close_handle(handle)


def _byte_view(data: npt.ArrayLike | bytes | bytearray | memoryview) -> memoryview:
    """The bytes of `data` (bytes-like or any array, made C-contiguous) as a flat view."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return memoryview(data).cast("B")
    return np.ascontiguousarray(data).data.cast("B")


# -- Device -----------------------------------------------------------------------------------
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
        native = _native()
        chosen = sum(x is not None for x in (cuda_device, luid, adapter_index))
        if chosen > 1:
            raise TypeError("give one of cuda_device, luid and adapter_index")
        self._cuda_device: CudaDevice | None = None
        if adapter_index is not None:
            super().__init__(native.Device.from_adapter_index(adapter_index))
            return
        if luid is None:
            from ._device import Device as CudaDevice

            cuda = (cuda_device if isinstance(cuda_device, CudaDevice)
                    else CudaDevice(cuda_device or 0))
            if cuda.luid is None:
                raise NotSupportedError(
                    f"CUDA device {cuda.ordinal} reports no LUID (a TCC-mode device has none); "
                    "Direct3D 12 interop needs a WDDM device")
            luid = cuda.luid
            self._cuda_device = cuda
        super().__init__(native.Device.from_luid(bytes(luid)))

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
        return Heap(self._live().create_heap(size, int(flags)), self)

    def create_heap_buffer(self, size: int, flags: ResourceFlags = ResourceFlags.NONE) -> Buffer:
        """A buffer at offset 0 of a shared heap of its own; ``to_cuda()`` imports the heap."""
        with self.create_heap(size) as heap:
            return heap.create_placed_buffer(0, size, flags)

    def create_committed_buffer(self, size: int,
                                flags: ResourceFlags = ResourceFlags.NONE) -> Buffer:
        """A committed buffer with ``D3D12_HEAP_FLAG_SHARED``, in state COMMON."""
        return Buffer(self._live().create_committed_buffer(size, int(flags)), self)

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
        native = self._live().create_committed_texture2d(width, height, int(format), mip_levels,
                                                         array_size, int(flags))
        return Texture2D(native, self)

    def create_fence(self, initial_value: int = 0) -> Fence:
        """A fence with ``D3D12_FENCE_FLAG_SHARED``."""
        return Fence(self._live().create_fence(initial_value), self)

    def open_shared_handle_by_name(self, name: str) -> int:
        """A new NT handle (owned by the caller) to the object shared under `name`."""
        return int(self._live().open_shared_handle_by_name(name))

    def __repr__(self) -> str:
        if self.closed:
            return "d3d12.Device(closed)"
        return f"d3d12.Device({self.adapter.description!r}, luid={self.luid.hex()})"


class _Child(Owner[Any]):
    __slots__ = ("_device",)

    def __init__(self, native: Any, device: Device) -> None:
        super().__init__(native)
        self._device = device

    def _cuda_device(self, device: CudaDevice | int | None) -> CudaDevice | int | None:
        return device if device is not None else self._device.cuda_device

    def share(self, name: str | None = None) -> int:
        """``CreateSharedHandle(..., GENERIC_ALL, name)``: a new NT handle the caller must close
        (:func:`close_handle`). OSError naming ``CreateSharedHandle`` when the runtime refuses."""
        return int(self._live().share(name or ""))

    @property
    def native_handle(self) -> int:
        """The COM pointer (borrowed)."""
        return int(self._live().native_handle)


class Heap(_Child):
    """A shared ``ID3D12Heap``; CUDA imports it whole (``from_d3d12_heap``, not dedicated)."""

    __slots__ = ()
    alignment = 64 * 1024

    @property
    def size(self) -> int:
        return int(self._live().size)

    @property
    def allocation_size(self) -> int:
        """The size to import into CUDA: the heap's size."""
        return int(self._live().allocation_size)

    def create_placed_buffer(self, offset: int, size: int,
                             flags: ResourceFlags = ResourceFlags.NONE) -> Buffer:
        """A buffer at `offset` (a multiple of 64 KiB); it keeps the heap alive."""
        return Buffer(self._live().create_placed_buffer(offset, size, int(flags)), self._device)

    def to_cuda(self, *, name: str | None = None,
                device: CudaDevice | int | None = None) -> ExternalMemory:
        """Share and import into CUDA (by NT handle, closed after import; or by `name`)."""
        return _import_heap(self._live().share, self.size, name, self._cuda_device(device))


def _import_heap(share: Callable[[str], int], size: int, name: str | None,
                 device: CudaDevice | int | None) -> ExternalMemory:
    from ._external_memory import ExternalMemory

    return _import_shared(
        share, name,
        lambda handle: ExternalMemory.from_d3d12_heap(handle, size, device=device,
                                                      take_ownership=True),
        lambda shared: ExternalMemory.from_d3d12_heap(shared, size, device=device))


class Buffer(_Child):
    """A shared committed buffer, or a buffer placed in a shared heap."""

    __slots__ = ()

    @property
    def size(self) -> int:
        return int(self._live().size)

    @property
    def allocation_size(self) -> int:
        """``GetResourceAllocationInfo(...).SizeInBytes``: CUDA's size for a committed buffer."""
        return int(self._live().allocation_size)

    @property
    def placed(self) -> bool:
        return bool(self._live().placed)

    @property
    def heap_offset(self) -> int:
        """Offset in the heap (map the heap's memory there); 0 for a committed buffer."""
        return int(self._live().heap_offset)

    def upload(self, data: npt.ArrayLike | bytes, offset: int = 0) -> None:
        """Copy the bytes of `data` (bytes-like or any array) into the buffer at `offset`."""
        _native().upload(self._live(), _byte_view(data), offset)

    def download(self, size: int | None = None, offset: int = 0) -> npt.NDArray[np.uint8]:
        """Read `size` bytes (default: the rest) from `offset`."""
        native = self._live()
        count = int(native.size) - offset if size is None else size
        return np.frombuffer(_native().download(native, count, offset), dtype=np.uint8).copy()

    def copy_to(self, destination: Buffer) -> None:
        """Copy the whole buffer to the start of `destination` (on the copy queue)."""
        _native().copy(self._live(), destination._live())

    def clear(self, value: int = 0) -> None:
        """Set every byte to `value`."""
        _native().clear(self._live(), value)

    def to_cuda(self, *, name: str | None = None,
                device: CudaDevice | int | None = None) -> ExternalMemory:
        """Import into CUDA: a committed buffer as a dedicated D3D12 resource of
        :attr:`allocation_size`; a placed buffer as its whole heap (map it at :attr:`heap_offset`).
        """
        native = self._live()
        cuda_device = self._cuda_device(device)
        if native.placed:  # the buffer holds its heap, which outlives any Heap object's close()
            return _import_heap(native.share_heap, int(native.heap_size), name, cuda_device)
        return _import_resource(self, name, cuda_device)


class Texture2D(_Child):
    """A shared committed 2D texture (array); CUDA maps it as a mipmapped array."""

    __slots__ = ()

    @property
    def width(self) -> int:
        return int(self._live().width)

    @property
    def height(self) -> int:
        return int(self._live().height)

    @property
    def format(self) -> Format | int:
        value = int(self._live().format)
        return Format(value) if value in Format._value2member_map_ else value

    @property
    def mip_levels(self) -> int:
        return int(self._live().mip_levels)

    @property
    def array_size(self) -> int:
        return int(self._live().array_size)

    @property
    def size(self) -> int:
        """Bytes of all subresources with tightly packed rows."""
        return int(self._live().size)

    @property
    def allocation_size(self) -> int:
        """``GetResourceAllocationInfo(...).SizeInBytes``: what CUDA is given."""
        return int(self._live().allocation_size)

    @property
    def cuda_format(self) -> tuple[str, int]:
        """``(dtype, channels)`` for ``ExternalMemory.map_mipmapped_array``."""
        value = int(self._live().format)
        if value not in _ELEMENTS:
            raise NotSupportedError(f"DXGI_FORMAT {value} has no CUDA channel format here")
        return _ELEMENTS[value]

    def _shape(self, level: int) -> tuple[int, ...]:
        channels = self.cuda_format[1]
        return (max(1, self.height >> level), max(1, self.width >> level), channels)

    def upload(self, level: int, data: npt.ArrayLike | bytes, array_slice: int = 0) -> None:
        """Write mip `level` of `array_slice` from tightly packed rows."""
        _native().upload_texture(self._live(), level, array_slice, _byte_view(data))

    def download(self, level: int = 0, array_slice: int = 0) -> npt.NDArray[Any]:
        """Read mip `level` of `array_slice`: ``(height, width, channels)`` of the format's
        element type, or flat bytes for a format without a CUDA equivalent."""
        raw = _native().download_texture(self._live(), level, array_slice)
        value = int(self._live().format)
        if value not in _ELEMENTS:
            return np.frombuffer(raw, dtype=np.uint8).copy()
        return np.frombuffer(raw, dtype=_ELEMENTS[value][0]).reshape(self._shape(level)).copy()

    def to_cuda(self, *, name: str | None = None,
                device: CudaDevice | int | None = None) -> ExternalMemory:
        """Import into CUDA as a dedicated D3D12 resource of :attr:`allocation_size`."""
        return _import_resource(self, name, self._cuda_device(device))


def _import_resource(resource: Buffer | Texture2D, name: str | None,
                     device: CudaDevice | int | None) -> ExternalMemory:
    from ._external_memory import ExternalMemory

    size = resource.allocation_size
    return _import_shared(
        resource._live().share, name,
        lambda handle: ExternalMemory.from_d3d12_resource(handle, size, device=device,
                                                          take_ownership=True),
        lambda shared: ExternalMemory.from_d3d12_resource(shared, size, device=device))


class Fence(_Child):
    """A shared ``ID3D12Fence``: a 64-bit value that only grows."""

    __slots__ = ()

    def completed_value(self) -> int:
        """The value the fence has reached."""
        return int(self._live().completed_value())

    def signal(self, value: int) -> None:
        """Set the value from the CPU."""
        self._live().signal(value)

    def wait(self, value: int, timeout_ms: int | None = None) -> bool:
        """Block until the value is at least `value`; False if `timeout_ms` passed first."""
        timeout = _INFINITE if timeout_ms is None else timeout_ms
        if not 0 <= timeout <= _INFINITE:
            raise ValueError(f"timeout_ms must be within 0..{_INFINITE}, got {timeout_ms}")
        return bool(self._live().wait(value, timeout))

    def queue_signal(self, value: int) -> None:
        """Signal `value` on the device's copy queue after the work already there."""
        self._live().queue_signal(value)

    def queue_wait(self, value: int) -> None:
        """Make the device's copy queue (and later transfers) wait for `value`."""
        self._live().queue_wait(value)

    def to_cuda(self, *, name: str | None = None,
                device: CudaDevice | int | None = None) -> ExternalSemaphore:
        """Share and import as ``ExternalSemaphore.from_d3d12_fence``."""
        from ._external_semaphore import ExternalSemaphore

        cuda_device = self._cuda_device(device)
        return _import_shared(
            self._live().share, name,
            lambda handle: ExternalSemaphore.from_d3d12_fence(handle, device=cuda_device,
                                                              take_ownership=True),
            lambda shared: ExternalSemaphore.from_d3d12_fence(shared, device=cuda_device))
