# SPDX-License-Identifier: Apache-2.0
"""CUDA devices and their identities (UUID, LUID, PCI location)."""

from __future__ import annotations

import uuid as _uuid
from typing import Protocol, Union

import cuda_interop._core as _core

from ._handles import integer

_NO_GPU_CODES = (35, 100)  # cudaErrorInsufficientDriver, cudaErrorNoDevice


class Device:
    """A CUDA device: ``Device(0)``, ``Device.from_uuid(u)``, ``Device.from_luid(l)``.

    Parameters
    ----------
    ordinal:
        The CUDA device ordinal.
    """

    __slots__ = ("_info",)

    def __init__(self, ordinal: int = 0) -> None:
        self._info = _core.device_info(_ordinal(ordinal, "ordinal"))

    @classmethod
    def _from_info(cls, info: _core.DeviceInfo) -> Device:
        device = cls.__new__(cls)
        device._info = info
        return device

    @classmethod
    def from_uuid(cls, uuid: bytes | str | _uuid.UUID) -> Device:
        """The device whose UUID matches (16 bytes, a UUID, or its text, "GPU-" prefix allowed)."""
        if isinstance(uuid, str):
            try:
                uuid = _uuid.UUID(uuid.removeprefix("GPU-"))
            except ValueError:
                raise ValueError(f"uuid must be 16 bytes or a UUID's text, got {uuid!r}") from None
        if isinstance(uuid, _uuid.UUID):
            uuid = uuid.bytes
        if not isinstance(uuid, bytes):
            raise TypeError("uuid must be bytes, a str or a uuid.UUID, got "
                            f"{type(uuid).__name__}")
        return cls._from_info(_core.device_from_uuid(uuid))

    @classmethod
    def from_luid(cls, luid: bytes) -> Device:
        """The device whose 8-byte LUID matches (Windows only: CUDA has no LUIDs elsewhere)."""
        if not isinstance(luid, bytes):
            raise TypeError(f"luid must be bytes, got {type(luid).__name__}")
        return cls._from_info(_core.device_from_luid(luid))

    @property
    def ordinal(self) -> int:
        """The CUDA device ordinal (among the devices this process sees)."""
        return self._info.ordinal

    @property
    def name(self) -> str:
        """The device's product name, e.g. "NVIDIA H200"."""
        return self._info.name

    @property
    def uuid(self) -> bytes:
        """16 bytes; equals Vulkan's ``VkPhysicalDeviceIDProperties::deviceUUID``."""
        return self._info.uuid

    @property
    def luid(self) -> bytes | None:
        """8 bytes on Windows (equals the DXGI adapter LUID); None elsewhere."""
        luid = self._info.luid
        return None if luid is None else bytes(luid)

    @property
    def node_mask(self) -> int:
        """The LUID's node mask (``luidDeviceNodeMask``, as Direct3D 12 ``NodeMask`` takes it);
        0 where the device has no LUID."""
        return self._info.node_mask

    @property
    def pci_bus_id(self) -> str:
        """"domain:bus:device.0", as nvidia-smi writes it."""
        info = self._info
        return f"{info.pci_domain:04x}:{info.pci_bus:02x}:{info.pci_device:02x}.0"

    @property
    def compute_capability(self) -> tuple[int, int]:
        """(major, minor), e.g. (9, 0) for Hopper."""
        return (self._info.compute_capability_major, self._info.compute_capability_minor)

    @property
    def total_memory(self) -> int:
        """Total device memory in bytes (``totalGlobalMem``)."""
        return self._info.total_memory

    def memory_info(self) -> tuple[int, int]:
        """(free, total) bytes of device memory (``cudaMemGetInfo``)."""
        free, total = _core.memory_info(self.ordinal)
        return (int(free), int(total))

    def __index__(self) -> int:
        return self.ordinal

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Device) and other.uuid == self.uuid

    def __hash__(self) -> int:
        return hash(self.uuid)

    def __repr__(self) -> str:
        return f"Device({self.ordinal}, name={self.name!r}, uuid={_uuid.UUID(bytes=self.uuid)})"


class TorchDeviceLike(Protocol):
    """``torch.device``: its :attr:`type` and :attr:`index` (None for the current device)."""

    @property
    def type(self) -> str: ...

    @property
    def index(self) -> int | None: ...


class CupyDeviceLike(Protocol):
    """``cupy.cuda.Device`` (and Numba's devices): the ordinal is :attr:`id`."""

    @property
    def id(self) -> int: ...


class CudaCoreDeviceLike(Protocol):
    """``cuda.core.Device``: the ordinal is :attr:`device_id`."""

    @property
    def device_id(self) -> int: ...


EXIT_CANNOT_RUN = 77
"""Exit code of a command that cannot run on this machine (no driver or GPU): one for all."""

DeviceLike = Union[Device, int, TorchDeviceLike, CupyDeviceLike, CudaCoreDeviceLike, None]
"""What ``device=`` takes: a :class:`Device`, an ordinal, None for the current device, or a
framework's device object: ``torch.device("cuda", 0)`` (``torch.device("cuda")`` is the current
device), ``cupy.cuda.Device(0)``, ``cuda.core.Device(0)``."""


def devices() -> list[Device]:
    """Every CUDA device; an empty list where there is no GPU or no usable driver."""
    try:
        return [Device._from_info(info) for info in _core.all_devices()]
    except _core.NotSupportedError:  # no NVIDIA driver at all
        return []
    except _core.CudaError as error:
        if error.code in _NO_GPU_CODES:
            return []
        raise


def device_ordinal(device: DeviceLike) -> int:
    """The ordinal to pass to the core: -1 (the current device) for None."""
    if device is None:
        return -1
    if isinstance(device, Device):
        return device.ordinal
    framework = _framework_ordinal(device)
    if framework is not None:
        return framework
    try:
        return _ordinal(device, "device")
    except TypeError:
        raise TypeError("device must be a Device, an int, None, or a torch.device / "
                        f"cupy.cuda.Device / cuda.core Device, got {type(device).__name__}") \
            from None


def _framework_ordinal(device: object) -> int | None:
    """The ordinal of a framework's device object (-1 for torch's current CUDA device); None
    for anything else. Recognised by what the objects carry, so no framework is imported."""
    if isinstance(device, (int, str, bytes)) or hasattr(device, "__index__"):
        return None  # ordinals (numpy ints too), and the errors of the ordinal path
    kind = getattr(device, "type", None)
    if isinstance(kind, str) and hasattr(device, "index"):  # torch.device
        if kind != "cuda":
            raise ValueError(f"device must be a CUDA device, got a {kind!r} device ({device!r})")
        index = device.index
        return -1 if index is None else _ordinal(index, "device")
    for attribute in ("device_id", "id"):  # cuda.core's Device; CuPy's and Numba's
        value = getattr(device, attribute, None)
        if value is not None and not callable(value):
            return _ordinal(value, "device")
    return None


def _ordinal(value: object, name: str) -> int:
    """A CUDA device ordinal (a C int): an int in [0, 2**31) (numpy ints and ``__index__``
    objects too); TypeError or ValueError naming `name` otherwise."""
    ordinal = integer(value, name)
    if not 0 <= ordinal < 2**31:
        raise ValueError(f"{name} ordinal must be in [0, 2**31), got {ordinal}")
    return ordinal
