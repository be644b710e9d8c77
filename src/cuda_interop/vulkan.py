# SPDX-License-Identifier: Apache-2.0
"""The Vulkan producer: exportable buffers, images and semaphores, and their import into CUDA.

>>> from cuda_interop import vulkan
>>> with vulkan.Context(0) as ctx:                      # the Vulkan device that is CUDA device 0
...     buf = ctx.create_buffer(1 << 20)
...     buf.upload(numpy.arange(256, dtype=numpy.uint8))
...     mem = buf.to_cuda()                              # cuda_interop.ExternalMemory, zero copy
...     mapped = mem.map_buffer()

The context picks the physical device whose ``deviceUUID`` equals the CUDA device's UUID and never
falls back to another device. Queue operations (``fill``, ``upload``, ``download``, ``copy_*``)
wait for completion unless ``block=False``; ``wait=`` and ``signal=`` order them against CUDA work
through exported semaphores: each item is a semaphore (binary) or a ``(semaphore, value)`` pair.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import uuid as _uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, Union

import numpy as np
import numpy.typing as npt

try:
    from . import _vulkan
except ImportError as _error:  # built where no Vulkan headers were found
    raise ImportError(
        "cuda_interop.vulkan is not available: Vulkan headers (Debian/Ubuntu: libvulkan-dev, or "
        "the Vulkan SDK) were missing when cuda-interop was built; install them and rebuild"
    ) from _error

from . import _core
from ._core import ClosedError, NotSupportedError
from ._lifecycle import Owner
from ._linear_memory import host_view

if TYPE_CHECKING:
    from ._device import Device
    from ._external_memory import ExternalMemory
    from ._external_semaphore import ExternalSemaphore
    from ._mipmapped_array import MappedMipmappedArray

__all__ = [
    "Buffer",
    "BufferImportDesc",
    "ClosedError",
    "Context",
    "Features",
    "Image",
    "NotSupportedError",
    "PhysicalDevice",
    "Semaphore",
    "VulkanError",
    "formats",
    "physical_devices",
]

VulkanError = _vulkan.VulkanError
"""A Vulkan call failed (a ``RuntimeError``): ``.result``, ``.result_name``, ``.call``."""

_WINDOWS = sys.platform == "win32"
_WAIT_FOREVER = (1 << 64) - 1

SemaphoreItem = Union["Semaphore", tuple["Semaphore", int]]
DeviceSelector = Union["Device", int, bytes, _uuid.UUID, None]


# -- Devices ---------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class PhysicalDevice:
    """A Vulkan physical device: compare :attr:`uuid` with ``cuda_interop.Device.uuid``."""

    index: int
    name: str
    uuid: bytes
    driver_uuid: bytes
    driver_name: str
    driver_info: str
    device_type: str
    api_version: str
    vendor_id: int
    device_id: int

    @classmethod
    def _from_native(cls, info: Any) -> PhysicalDevice:
        return cls(int(info.index), str(info.name), bytes(info.uuid), bytes(info.driver_uuid),
                   str(info.driver_name), str(info.driver_info), str(info.device_type),
                   _version(int(info.api_version)), int(info.vendor_id), int(info.device_id))


def _version(packed: int) -> str:
    """A packed Vulkan version as "major.minor.patch"."""
    return f"{(packed >> 22) & 0x7F}.{(packed >> 12) & 0x3FF}.{packed & 0xFFF}"


class Features(NamedTuple):
    """What the Vulkan device was created with."""

    api_version: str
    external_memory_fd: bool
    external_memory_win32: bool
    external_semaphore_fd: bool
    external_semaphore_win32: bool
    timeline_semaphore: bool
    dedicated_allocation: bool


def physical_devices() -> list[PhysicalDevice]:
    """Every Vulkan physical device (name, UUID, driver, type), in enumeration order.

    Raises
    ------
    NotSupportedError
        When the Vulkan loader (``libvulkan.so.1`` / ``vulkan-1.dll``) cannot be opened.
    """
    return [PhysicalDevice._from_native(info) for info in _vulkan.physical_devices()]


def formats() -> list[str]:
    """Names of the image formats :meth:`Context.create_image` accepts."""
    return [str(name) for name in _vulkan.formats()]


def _resolve_uuid(device: DeviceSelector) -> tuple[bytes, int | None]:
    """The CUDA UUID to match and the CUDA ordinal (None when only a UUID was given)."""
    if isinstance(device, (bytes, bytearray)):
        if len(device) != 16:
            raise ValueError(f"a device UUID has 16 bytes, got {len(device)}")
        return bytes(device), None
    if isinstance(device, _uuid.UUID):
        return device.bytes, None
    from ._device import Device  # lazily: CPU-only use never touches CUDA

    if device is None:
        device = Device(int(_core.current_device()))
    elif isinstance(device, bool) or not isinstance(device, (int, Device)):
        raise TypeError("device must be a cuda_interop.Device, an ordinal, a 16-byte UUID or None, "
                        f"got {type(device).__name__}")
    elif isinstance(device, int):
        device = Device(device)
    return bytes(device.uuid), device.ordinal


def _sync_items(items: Iterable[SemaphoreItem], what: str) -> list[tuple[Any, int]]:
    """(native semaphore, value) pairs; a bare semaphore is a binary one (value unused)."""
    pairs: list[tuple[Any, int]] = []
    for item in items:
        semaphore, value = (item, 0) if isinstance(item, Semaphore) else item
        if not isinstance(semaphore, Semaphore):
            raise TypeError(f"{what} items must be a Semaphore or (Semaphore, value), got {item!r}")
        if semaphore.timeline and not isinstance(item, tuple):
            raise ValueError(f"a timeline semaphore to {what} needs a value: (semaphore, value)")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"semaphore values are integers >= 0, got {value!r}")
        pairs.append((semaphore._live(), value))
    return pairs


def _close_quietly(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


# -- Context ---------------------------------------------------------------------------------
class Context(Owner[Any]):
    """A Vulkan instance and device on the physical device that is a CUDA device, with one queue.

    Parameters
    ----------
    device:
        The CUDA device to match by UUID: a ``cuda_interop.Device``, an ordinal, or None for the
        current CUDA device. A 16-byte UUID (``bytes`` or ``uuid.UUID``) is matched without CUDA.
    physical_device_index:
        Choose the Vulkan physical device by enumeration index instead (e.g. a software driver
        for tests); CUDA is not touched, and ``to_cuda`` then uses the current CUDA device.

    Raises
    ------
    NotSupportedError
        No Vulkan loader or driver, or no physical device has the CUDA device's UUID (the message
        lists the devices seen).
    """

    __slots__ = ("_cuda_device",)

    def __init__(self, device: DeviceSelector = None, *,
                 physical_device_index: int | None = None) -> None:
        if physical_device_index is not None:
            if device is not None:
                raise ValueError("pass either a CUDA device or physical_device_index, not both")
            if isinstance(physical_device_index, bool) or physical_device_index < 0:
                raise ValueError(f"physical_device_index must be >= 0, got {physical_device_index}")
            native = _vulkan.Context(None, int(physical_device_index))
            self._cuda_device: int | None = None
        else:
            uuid, self._cuda_device = _resolve_uuid(device)
            native = _vulkan.Context(uuid, None)
        super().__init__(native)

    @property
    def physical_device(self) -> PhysicalDevice:
        """The Vulkan physical device in use."""
        return PhysicalDevice._from_native(self._live().physical_device)

    @property
    def features(self) -> Features:
        """Which interop extensions and features are enabled."""
        f = self._live().features
        return Features(_version(int(f.api_version)),
                        bool(f.external_memory_fd), bool(f.external_memory_win32),
                        bool(f.external_semaphore_fd), bool(f.external_semaphore_win32),
                        bool(f.timeline_semaphore), bool(f.dedicated_allocation))

    @property
    def cuda_device(self) -> int | None:
        """The CUDA ordinal this context was matched to (None when chosen by index or UUID)."""
        return self._cuda_device

    def create_buffer(self, size: int, *, dedicated: bool = False) -> Buffer:
        """An exportable device-local buffer of `size` bytes.

        Parameters
        ----------
        dedicated:
            Ask for a dedicated allocation; the driver may also require one.
            :attr:`Buffer.dedicated` reports what was allocated.
        """
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise ValueError(f"size must be a positive int, got {size!r}")
        return Buffer(self._live().create_buffer(size, bool(dedicated)), self._cuda_device)

    def create_image(self, format: str | int, width: int, height: int, depth: int = 1,
                     levels: int = 1, layers: int = 1, *, color_attachment: bool = False,
                     dedicated: bool = False) -> Image:
        """An exportable optimally tiled image in GENERAL layout.

        Parameters
        ----------
        format:
            A name such as ``"R8G8B8A8_UNORM"`` (see :func:`formats`) or a ``VkFormat`` value.
        depth, layers:
            ``depth > 1`` makes a 3D image, ``layers > 1`` a 2D array (not both).
        levels:
            Mip levels, at most ``1 + floor(log2(max(width, height, depth)))``.
        color_attachment:
            Also usable as a colour attachment (CUDA then maps it with ``color_attachment``).
        """
        for name, value in (("width", width), ("height", height), ("depth", depth),
                            ("levels", levels), ("layers", layers)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an int >= 1, got {value!r}")
        native = self._live().create_image(format, width, height, depth, levels, layers,
                                           bool(color_attachment), bool(dedicated))
        return Image(native, self._cuda_device)

    def create_semaphore(self, timeline: bool = True, initial_value: int = 0, *,
                         exportable: bool = True) -> Semaphore:
        """A semaphore; exportable ones need ``VK_KHR_external_semaphore_fd`` (or ``_win32``).

        Raises
        ------
        NotSupportedError
            When the driver cannot export semaphores (e.g. lavapipe) or lacks timelines.
        """
        if (isinstance(initial_value, bool) or not isinstance(initial_value, int)
                or initial_value < 0):
            raise ValueError(f"initial_value must be an int >= 0, got {initial_value!r}")
        native = self._live().create_semaphore(bool(timeline), initial_value, bool(exportable))
        return Semaphore(native, self._cuda_device)

    def import_buffer_fd(self, fd: int, desc: BufferImportDesc) -> Buffer:
        """A buffer bound to memory imported from an opaque fd (``VkImportMemoryFdInfoKHR``).

        `fd` is duplicated, so the caller still owns it. `desc` is the exporter's
        :meth:`Buffer.import_desc` (Vulkan needs the same size, memory type and dedication).
        """
        if isinstance(fd, bool) or not isinstance(fd, int) or fd < 0:
            raise ValueError(f"fd must be an open descriptor (int >= 0), got {fd!r}")
        native = self._live().import_buffer_fd(fd, desc.size, desc.allocation_size,
                                               desc.memory_type_index, desc.dedicated)
        return Buffer(native, self._cuda_device)

    def submit(self, *, wait: Iterable[SemaphoreItem] = (),
               signal: Iterable[SemaphoreItem] = (), block: bool = True) -> None:
        """A submission without commands: waits for and signals semaphores on the queue."""
        self._live().submit(_sync_items(wait, "wait"), _sync_items(signal, "signal"), bool(block))

    def wait_idle(self) -> None:
        """Wait until all work submitted with ``block=False`` has completed."""
        self._live().wait_idle()

    def __repr__(self) -> str:
        if self.closed:
            return "vulkan.Context(closed)"
        return f"vulkan.Context({self.physical_device.name!r})"


# -- Memory objects --------------------------------------------------------------------------
class _Exportable(Owner[Any]):
    """Shared by buffers and images: export of the memory and its import into CUDA."""

    __slots__ = ("_cuda_device",)

    def __init__(self, native: Any, cuda_device: int | None) -> None:
        super().__init__(native)
        self._cuda_device = cuda_device

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
        return int(self._live().memory_type_index)

    def export_fd(self) -> int:
        """A new opaque file descriptor for the memory on every call; close it (``os.close``)."""
        if _WINDOWS:
            raise NotSupportedError("file descriptors are a POSIX export; use export_win32()")
        return int(self._live().export_fd())

    def export_win32(self) -> int:
        """A new NT handle for the memory (Windows); the caller closes it."""
        return int(self._live().export_win32())

    def to_cuda(self, device: Device | int | None = None) -> ExternalMemory:
        """Import the memory into CUDA (a fresh handle, owned by the import), zero copy.

        Parameters
        ----------
        device:
            The CUDA device; by default the one the context was matched to, else the current one.
        """
        from ._external_memory import ExternalMemory

        target = self._cuda_device if device is None else device
        size, dedicated = self.allocation_size, self.dedicated
        if _WINDOWS:
            handle = self.export_win32()
            try:
                return ExternalMemory.from_win32(handle, size, dedicated=dedicated, device=target,
                                                 take_ownership=True)
            except BaseException:
                _core_close_handle(handle)
                raise
        fd = self.export_fd()
        try:
            return ExternalMemory.from_fd(fd, size, dedicated=dedicated, device=target,
                                          take_ownership=True)
        except BaseException:
            _close_quietly(fd)  # a failed import leaves the descriptor with us
            raise


def _core_close_handle(handle: int) -> None:
    import ctypes

    ctypes.windll.kernel32.CloseHandle(ctypes.c_void_p(handle))  # type: ignore[attr-defined]


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
        return BufferImportDesc(self.size, self.allocation_size, self.memory_type_index,
                                self.dedicated)

    def fill(self, value: int = 0, offset: int = 0, size: int | None = None, *,
             wait: Iterable[SemaphoreItem] = (), signal: Iterable[SemaphoreItem] = (),
             block: bool = True) -> None:
        """Fill with a repeated 32-bit `value` (``vkCmdFillBuffer``).

        `offset` and `size` must be multiples of 4; `size` None fills the rest.
        """
        _vulkan.fill(self._live(), value & 0xFFFFFFFF, offset, size, _sync_items(wait, "wait"),
                     _sync_items(signal, "signal"), bool(block))

    def upload(self, data: npt.ArrayLike | bytes, offset: int = 0, *,
               wait: Iterable[SemaphoreItem] = (), signal: Iterable[SemaphoreItem] = (),
               block: bool = True) -> None:
        """Copy host bytes (any C-contiguous buffer or array) into the buffer at `offset`."""
        source = (memoryview(data) if isinstance(data, (bytes, bytearray))
                  else host_view(np.ascontiguousarray(data)))
        _vulkan.upload(self._live(), source, offset, _sync_items(wait, "wait"),
                       _sync_items(signal, "signal"), bool(block))

    def download(self, size: int | None = None, offset: int = 0, *,
                 wait: Iterable[SemaphoreItem] = (), signal: Iterable[SemaphoreItem] = (),
                 out: npt.NDArray[Any] | None = None) -> npt.NDArray[Any]:
        """Copy bytes to the host (always waits); returns a ``uint8`` array, or fills `out`."""
        native = self._live()
        if out is None:
            count = int(native.size) - offset if size is None else size
            out = np.empty(max(count, 0), dtype=np.uint8)
        _vulkan.download(native, host_view(out), offset, _sync_items(wait, "wait"),
                         _sync_items(signal, "signal"))
        return out

    def copy_to(self, destination: Buffer, size: int | None = None, source_offset: int = 0,
                destination_offset: int = 0, *, wait: Iterable[SemaphoreItem] = (),
                signal: Iterable[SemaphoreItem] = (), block: bool = True) -> None:
        """Copy `size` bytes (the rest by default) into another buffer of the same context."""
        _vulkan.copy_buffer(self._live(), destination._live(), size, source_offset,
                            destination_offset, _sync_items(wait, "wait"),
                            _sync_items(signal, "signal"), bool(block))

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
        return int(self._live().vk_format)

    @property
    def extent(self) -> tuple[int, int, int]:
        """(width, height, depth) of level 0."""
        native = self._live()
        return (int(native.width), int(native.height), int(native.depth))

    @property
    def levels(self) -> int:
        return int(self._live().levels)

    @property
    def layers(self) -> int:
        return int(self._live().layers)

    @property
    def is_3d(self) -> bool:
        return bool(self._live().is_3d)

    @property
    def layered(self) -> bool:
        """True for a 2D array (more than one layer)."""
        return self.layers > 1

    @property
    def color_attachment(self) -> bool:
        return bool(self._live().color_attachment)

    @property
    def storage(self) -> bool:
        """Whether the image has storage usage (the format supports it)."""
        return bool(self._live().storage)

    @property
    def sampled(self) -> bool:
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
        width, height, depth = self._live().level_extent(level)
        return (int(width), int(height), int(depth))

    def level_size(self, level: int) -> int:
        """Bytes of mip level `level`, all layers, tightly packed."""
        return int(self._live().level_size(level))

    def level_shape(self, level: int) -> tuple[int, ...]:
        """Host array shape of a level: ``([depth or layers,] height, width[, channels])``."""
        width, height, depth = self.level_extent(level)
        dims = [depth] if self.is_3d else ([self.layers] if self.layered else [])
        dims += [height, width]
        channels = int(self._live().channels)
        return tuple(dims + ([channels] if channels > 1 else []))

    def upload(self, level: int, data: npt.ArrayLike, *, wait: Iterable[SemaphoreItem] = (),
               signal: Iterable[SemaphoreItem] = (), block: bool = True) -> None:
        """Copy a host array of exactly :meth:`level_size` bytes into mip level `level`."""
        _vulkan.upload_image(self._live(), level, host_view(np.ascontiguousarray(data)),
                             _sync_items(wait, "wait"), _sync_items(signal, "signal"), bool(block))

    def download(self, level: int = 0, *, wait: Iterable[SemaphoreItem] = (),
                 signal: Iterable[SemaphoreItem] = (),
                 out: npt.NDArray[Any] | None = None) -> npt.NDArray[Any]:
        """Copy mip level `level` to the host (always waits), shaped as :meth:`level_shape`."""
        if out is None:
            out = np.empty(self.level_shape(level), dtype=self.cuda_format()[0])
        _vulkan.download_image(self._live(), level, host_view(out), _sync_items(wait, "wait"),
                               _sync_items(signal, "signal"))
        return out

    def copy_from_buffer(self, source: Buffer, level: int = 0, source_offset: int = 0, *,
                         wait: Iterable[SemaphoreItem] = (), signal: Iterable[SemaphoreItem] = (),
                         block: bool = True) -> None:
        """Copy tightly packed texels from `source` into mip level `level` (all layers)."""
        _vulkan.copy_buffer_to_image(source._live(), self._live(), level, source_offset,
                                     _sync_items(wait, "wait"), _sync_items(signal, "signal"),
                                     bool(block))

    def copy_to_buffer(self, destination: Buffer, level: int = 0, destination_offset: int = 0, *,
                       wait: Iterable[SemaphoreItem] = (), signal: Iterable[SemaphoreItem] = (),
                       block: bool = True) -> None:
        """Copy mip level `level` (all layers) into `destination`, tightly packed."""
        _vulkan.copy_image_to_buffer(self._live(), level, destination._live(), destination_offset,
                                     _sync_items(wait, "wait"), _sync_items(signal, "signal"),
                                     bool(block))

    def map_to_cuda(self, device: Device | int | None = None, *,
                    surface_load_store: bool = False) -> MappedMipmappedArray:
        """Import into CUDA and map as a mipmapped array with this image's format and extent.

        The mapping keeps the import alive, so nothing else needs closing.
        """
        dtype, channels = self.cuda_format()
        memory = self.to_cuda(device)
        try:
            return memory.map_mipmapped_array(
                dtype, channels, self.cuda_extent(), self.levels, layered=self.layered,
                surface_load_store=surface_load_store, color_attachment=self.color_attachment)
        finally:
            memory.close()

    def __repr__(self) -> str:
        if self.closed:
            return "vulkan.Image(closed)"
        return (f"vulkan.Image({self.format}, extent={self.extent}, levels={self.levels}, "
                f"layers={self.layers}, allocation_size={self.allocation_size})")


# -- Semaphores ------------------------------------------------------------------------------
class Semaphore(Owner[Any]):
    """A binary or timeline Vulkan semaphore, exportable to CUDA."""

    __slots__ = ("_cuda_device",)

    def __init__(self, native: Any, cuda_device: int | None) -> None:
        super().__init__(native)
        self._cuda_device = cuda_device

    @property
    def timeline(self) -> bool:
        return bool(self._live().timeline)

    @property
    def exportable(self) -> bool:
        return bool(self._live().exportable)

    @property
    def value(self) -> int:
        """The counter of a timeline semaphore."""
        return int(self._live().value)

    def signal(self, value: int = 0) -> None:
        """Signal from the host: set a timeline to `value`; a binary one through the queue."""
        self._live().signal(value)

    def wait(self, value: int = 0, timeout: float | None = None) -> bool:
        """Wait on the host for a timeline `value` (or a binary signal); False on timeout (s)."""
        timeout_ns = _WAIT_FOREVER if timeout is None else max(0, int(timeout * 1e9))
        return bool(self._live().wait(value, timeout_ns))

    def export_fd(self) -> int:
        """A new file descriptor on every call (``OPAQUE_FD``); close it (``os.close``)."""
        if _WINDOWS:
            raise NotSupportedError("file descriptors are a POSIX export; use export_win32()")
        return int(self._live().export_fd())

    def export_win32(self) -> int:
        """A new NT handle (Windows); the caller closes it."""
        return int(self._live().export_win32())

    def to_cuda(self, device: Device | int | None = None) -> ExternalSemaphore:
        """Import into CUDA as a timeline or binary external semaphore (a fresh handle)."""
        from ._external_semaphore import ExternalSemaphore

        target = self._cuda_device if device is None else device
        timeline = self.timeline
        if _WINDOWS:
            handle = self.export_win32()
            try:
                return ExternalSemaphore.from_win32(handle, timeline=timeline, device=target,
                                                    take_ownership=True)
            except BaseException:
                _core_close_handle(handle)
                raise
        fd = self.export_fd()
        try:
            return ExternalSemaphore.from_fd(fd, timeline=timeline, device=target,
                                             take_ownership=True)
        except BaseException:
            _close_quietly(fd)
            raise

    def __repr__(self) -> str:
        if self.closed:
            return "vulkan.Semaphore(closed)"
        kind = "timeline" if self.timeline else "binary"
        return f"vulkan.Semaphore({kind}, exportable={self.exportable})"
