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

Where cuda-interop was built without Vulkan headers this module still imports, like
``cuda_interop.d3d12``: :data:`available` is False, :data:`unavailable_reason` says why and how to
get it, and :func:`physical_devices`, :func:`formats` or constructing :class:`Context` raise
:class:`cuda_interop.NotSupportedError`.
"""

from __future__ import annotations

import dataclasses
import uuid as _uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Union

import cuda_interop._core as _core

from ._core import ClosedError, Error, NotSupportedError
from ._handles import flag, instance, integer, seconds, semaphore_value
from ._lifecycle import Owner
from ._namespace import public_dir as _public_dir
from ._native import VULKAN_REASON as _REASON
from ._native import _vulkan
from ._vulkan_memory import Buffer, BufferImportDesc, Image
from ._vulkan_sync import Semaphore, SemaphoreItem
from ._vulkan_sync import sync_items as _sync_items
from .frames import FrameRing as _FrameRing
from .frames import FrameSlot

__dir__ = _public_dir(__name__)  # dir() lists __all__, not these imports

if TYPE_CHECKING:
    from ._device import Device

__all__ = [
    "Buffer",
    "BufferImportDesc",
    "ClosedError",
    "Context",
    "Features",
    "FrameRing",
    "FrameSlot",
    "Image",
    "NotSupportedError",
    "PhysicalDevice",
    "Semaphore",
    "VulkanError",
    "available",
    "formats",
    "physical_devices",
    "unavailable_reason",
]

available: bool = _REASON is None
"""Whether the Vulkan producer was built (the Vulkan loader and driver are looked for on use)."""

unavailable_reason: str | None = _REASON
"""Why :data:`available` is False (and how to get the producer), else None."""

if TYPE_CHECKING or available:
    VulkanError = _vulkan.VulkanError
    """A Vulkan call failed (a ``RuntimeError``): ``.result``, ``.result_name``, ``.call``."""
else:
    class VulkanError(Error, RuntimeError):
        """A Vulkan call failed; never raised where the producer was not built."""

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
        When the Vulkan loader (``libvulkan.so.1`` / ``vulkan-1.dll``) cannot be opened, or the
        producer was not built (see :data:`unavailable_reason`).
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
    elif not isinstance(device, Device):
        try:  # an ordinal: ints, numpy integers and __index__ objects, as everywhere
            ordinal = integer(device, "device")
        except TypeError:
            raise TypeError("device must be a cuda_interop.Device, an ordinal, a 16-byte UUID or "
                            f"None, got {type(device).__name__}") from None
        device = Device(ordinal)
    return bytes(device.uuid), device.ordinal


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
        for tests); CUDA is not touched. Shares still carry that device's UUID, so ``to_cuda``
        imports on the CUDA device with that UUID, and refuses (``ValueError``) when none has it.

    Raises
    ------
    NotSupportedError
        The producer was not built, no Vulkan loader or driver, or no physical device has the CUDA
        device's UUID (the message lists the devices seen).

    Notes
    -----
    Closing the context (``close()``, garbage collection or interpreter exit) waits for queued
    work, but never long for work that waits for a semaphore nobody signals: after 150 ms the
    context signals its own timeline semaphores from the host up to the values such work waits
    for, and abandons what still cannot finish (a wait for an exported binary semaphore), leaking
    that work, what it uses and the device rather than destroying them under it. Either way a
    ``ResourceWarning`` names what was released or abandoned, and the close returns within about
    half a second. Buffers, images and semaphores stay usable after their context is closed.
    """

    __slots__ = ("_cuda_device",)

    def __init__(self, device: DeviceSelector = None, *,
                 physical_device_index: int | None = None) -> None:
        native_context = _vulkan.Context  # NotSupportedError first where Vulkan was not built
        if physical_device_index is not None:
            if device is not None:
                raise ValueError("pass either a CUDA device or physical_device_index, not both")
            index = integer(physical_device_index, "physical_device_index")
            if index < 0:
                raise ValueError(f"physical_device_index must be >= 0, got {index}")
            native = native_context(None, index)
            self._cuda_device: int | None = None
        else:
            uuid, self._cuda_device = _resolve_uuid(device)
            native = native_context(uuid, None)
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

    def create_buffer(self, size: int, *, dedicated: bool | None = None) -> Buffer:
        """An exportable device-local buffer of `size` bytes.

        Parameters
        ----------
        dedicated:
            Ask for a dedicated allocation (True) or not (False); the driver may also require
            one. By default buffers of 64 MiB or more are dedicated: CUDA copies reach full
            bandwidth on them (see docs/performance.md). :attr:`Buffer.dedicated` reports what
            was allocated.
        """
        return Buffer(self._live().create_buffer(
            integer(size, "size"), None if dedicated is None else flag(dedicated, "dedicated")))

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
        if not isinstance(format, str):
            format = integer(format, "format")
        native = self._live().create_image(
            format, integer(width, "width"), integer(height, "height"), integer(depth, "depth"),
            integer(levels, "levels"), integer(layers, "layers"),
            flag(color_attachment, "color_attachment"), flag(dedicated, "dedicated"))
        return Image(native)

    def create_semaphore(self, timeline: bool = True, initial_value: int = 0, *,
                         exportable: bool = True) -> Semaphore:
        """A semaphore; exportable ones need ``VK_KHR_external_semaphore_fd`` (or ``_win32``).

        Raises
        ------
        NotSupportedError
            When the driver cannot export semaphores (e.g. lavapipe) or lacks timelines.
        """
        native = self._live().create_semaphore(flag(timeline, "timeline"),
                                               semaphore_value(initial_value, "initial_value"),
                                               flag(exportable, "exportable"))
        return Semaphore(native)

    def import_buffer_fd(self, fd: int, desc: BufferImportDesc) -> Buffer:
        """A buffer bound to memory imported from an opaque fd (``VkImportMemoryFdInfoKHR``).

        `fd` is duplicated, so the caller still owns it. `desc` is the exporter's
        :meth:`Buffer.import_desc` (Vulkan needs the same size, memory type and dedication).
        """
        desc = instance(desc, BufferImportDesc, "desc", "BufferImportDesc")
        native = self._live().import_buffer_fd(
            integer(fd, "fd"), integer(desc.size, "desc.size"),
            integer(desc.allocation_size, "desc.allocation_size"),
            integer(desc.memory_type_index, "desc.memory_type_index"),
            flag(desc.dedicated, "desc.dedicated"))
        return Buffer(native)

    def create_frame_buffer(self, nbytes: int) -> Buffer:
        """A frame ring's buffer (:class:`cuda_interop.frames.FrameProducer`)."""
        return self.create_buffer(nbytes)

    def create_frame_timeline(self) -> Semaphore:
        """A frame ring's timeline (:class:`cuda_interop.frames.FrameProducer`)."""
        return self.create_semaphore(timeline=True)

    def submit(self, *, wait: Iterable[SemaphoreItem] = (),
               signal: Iterable[SemaphoreItem] = (), block: bool = True,
               timeout: float | None = None) -> None:
        """A submission without commands: waits for and signals semaphores on the queue.

        With `block`, waits at most `timeout` seconds (TimeoutError; the work stays queued).
        """
        self._live().submit(_sync_items(wait, "wait"), _sync_items(signal, "signal"),
                            flag(block, "block"), seconds(timeout))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until all work submitted so far has completed; False if `timeout` (seconds)
        passed first. Ctrl-C interrupts the wait."""
        return bool(self._live().wait_idle(seconds(timeout)))

    def __repr__(self) -> str:
        if self.closed:
            return "vulkan.Context(closed)"
        return f"vulkan.Context({self.physical_device.name!r})"


class FrameRing(_FrameRing):
    """:class:`cuda_interop.frames.FrameRing` on a Vulkan context: `slots` exportable buffers,
    each of `batch` frames, and two timeline semaphores. A slot's ``wait`` and ``signal`` are
    ``(Semaphore, value)`` items for ``wait=`` and ``signal=`` of queue operations::

        ring = vulkan.FrameRing(ctx, shape=(1080, 1920, 4), dtype="uint8")
        slot = ring.begin_write()
        slot.buffer.upload(pixels, wait=slot.wait, signal=slot.signal, block=False)
        frame = ring.read(stream)              # a (1080, 1920, 4) uint8 view, zero copy
        ring.release(stream)
    """

    __slots__ = ()

    def __init__(self, context: Context, nbytes: int | None = None, slots: int = 3, *,
                 shape: Sequence[int] | None = None, dtype: Any = None, batch: int = 1,
                 convert: Callable[[Any], Any] | None = None) -> None:
        if not isinstance(context, Context):
            raise TypeError(f"context must be a vulkan.Context, got {type(context).__name__}")
        context._live()
        super().__init__(context, nbytes, slots, shape=shape, dtype=dtype, batch=batch,
                         convert=convert)
