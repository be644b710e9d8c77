# SPDX-License-Identifier: Apache-2.0
"""ExternalSemaphore: semaphores, fences and keyed mutexes of other APIs, used on CUDA streams."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any, Optional, Union

import cuda_interop._core as _core

from ._device import DeviceLike, device_ordinal
from ._handles import HandleOrName, flag, handle_or_name, integer, seconds, semaphore_value
from ._lifecycle import Owner
from ._stream import stream_handle

SemaphoreHandleType = _core.SemaphoreHandleType
INFINITE = 0xFFFFFFFF  # keyed-mutex wait without a timeout


class ExternalSemaphore(Owner[_core.ExternalSemaphore]):
    """An imported semaphore (``cudaExternalSemaphore_t``).

    :meth:`signal` and :meth:`wait` enqueue on a stream: None (the default stream), an int
    handle, or any object with ``__cuda_stream__``, ``.cuda_stream`` (PyTorch) or ``.ptr``
    (CuPy). Values are fence values for timeline semaphores and fences, keys for keyed
    mutexes; binary semaphores take none. Close it only after its operations have completed.
    """

    __slots__ = ()

    @classmethod
    def from_share(cls, share: _core.SemaphoreShare, *,
                   device: DeviceLike = None) -> ExternalSemaphore:
        """Import a share descriptor (a producer's ``export_share()``, or one from ``ipc``).

        By default the import is made on the device the share names; the share keeps its
        handle and closes it when it is closed or collected.
        """
        if not isinstance(share, _core.SemaphoreShare):
            raise TypeError(f"share must be a SemaphoreShare, got {type(share).__name__}")
        return cls(_core.ExternalSemaphore.import_share(share, device_ordinal(device)))

    @classmethod
    def from_fd(cls, fd: int, *, timeline: bool, device: DeviceLike = None,
                take_ownership: bool = False) -> ExternalSemaphore:
        """Import a Vulkan semaphore's opaque fd: timeline (``TimelineSemaphoreFd``) or binary."""
        kind = (SemaphoreHandleType.TIMELINE_SEMAPHORE_FD if flag(timeline, "timeline")
                else SemaphoreHandleType.OPAQUE_FD)
        return cls(_core.ExternalSemaphore.import_fd(kind, integer(fd, "fd"),
                                                     device_ordinal(device),
                                                     flag(take_ownership, "take_ownership")))

    @classmethod
    def _from_win32(cls, kind: _core.SemaphoreHandleType, handle: HandleOrName,
                    device: DeviceLike, take_ownership: bool) -> ExternalSemaphore:
        value, ordinal = handle_or_name(handle), device_ordinal(device)
        take_ownership = flag(take_ownership, "take_ownership")
        if isinstance(value, str):
            if take_ownership:
                raise ValueError("take_ownership applies to handles, not names")
            return cls(_core.ExternalSemaphore.import_win32_name(kind, value, ordinal))
        return cls(_core.ExternalSemaphore.import_win32_handle(kind, value, ordinal,
                                                              take_ownership))

    @classmethod
    def from_win32(cls, handle_or_name: HandleOrName, *, timeline: bool,
                   device: DeviceLike = None, take_ownership: bool = False) -> ExternalSemaphore:
        """Import a Vulkan semaphore's NT handle (int) or name (str) on Windows."""
        kind = (SemaphoreHandleType.TIMELINE_SEMAPHORE_WIN32 if flag(timeline, "timeline")
                else SemaphoreHandleType.OPAQUE_WIN32)
        return cls._from_win32(kind, handle_or_name, device, take_ownership)

    @classmethod
    def from_win32_kmt(cls, handle: int, *, device: DeviceLike = None) -> ExternalSemaphore:
        """Import a binary semaphore's KMT handle (never closed)."""
        return cls._from_win32(SemaphoreHandleType.OPAQUE_WIN32_KMT, integer(handle, "handle"),
                               device, False)

    @classmethod
    def from_d3d12_fence(cls, handle_or_name: HandleOrName, *, device: DeviceLike = None,
                         take_ownership: bool = False) -> ExternalSemaphore:
        """Import a shared ``ID3D12Fence`` (``D3D12_FENCE_FLAG_SHARED``) by NT handle or name."""
        return cls._from_win32(SemaphoreHandleType.D3D12_FENCE, handle_or_name, device,
                               take_ownership)

    @classmethod
    def from_d3d11_fence(cls, handle_or_name: HandleOrName, *, device: DeviceLike = None,
                         take_ownership: bool = False) -> ExternalSemaphore:
        """Import a shared ``ID3D11Fence`` by NT handle or name."""
        return cls._from_win32(SemaphoreHandleType.D3D11_FENCE, handle_or_name, device,
                               take_ownership)

    @classmethod
    def from_keyed_mutex(cls, handle_or_name: HandleOrName, *, kmt: bool = False,
                         device: DeviceLike = None,
                         take_ownership: bool = False) -> ExternalSemaphore:
        """Import a D3D11 keyed mutex: NT handle or name, or with ``kmt=True`` a KMT handle."""
        kind = (SemaphoreHandleType.KEYED_MUTEX_KMT if flag(kmt, "kmt")
                else SemaphoreHandleType.KEYED_MUTEX)
        return cls._from_win32(kind, handle_or_name, device, take_ownership)

    @classmethod
    def from_nvscisync(cls, obj: int, *, device: DeviceLike = None) -> ExternalSemaphore:
        """Import an ``NvSciSyncObj`` (address as int). Tegra/DRIVE platforms only."""
        return cls(_core.ExternalSemaphore.import_nvscisync(integer(obj, "handle"),
                                                            device_ordinal(device)))

    def signal(self, value: int = 0, *, stream: Any = None) -> None:
        """Enqueue a signal of `value` on `stream`."""
        self._live().signal(semaphore_value(value), stream_handle(stream))

    def wait(self, value: int = 0, *, stream: Any = None, timeout: float | None = None,
             timeout_ms: int | None = None) -> None:
        """Enqueue a wait for `value` on `stream`.

        Parameters
        ----------
        value:
            The value (timeline semaphores, fences) or key (keyed mutexes) to wait for.
        stream:
            The CUDA stream (any object the package takes as a stream); None for the default.
        timeout:
            Keyed mutexes only: seconds the acquire may take (None or ``math.inf``: no limit).
        timeout_ms:
            Deprecated: the same in milliseconds; pass ``timeout=`` in seconds.

        """
        limit = timeout_milliseconds(timeout, timeout_ms, "ExternalSemaphore.wait")
        self._live().wait(semaphore_value(value), stream_handle(stream), limit)

    @property
    def handle_type(self) -> _core.SemaphoreHandleType:
        """The kind of handle that was imported."""
        return self._live().handle_type

    @property
    def timeline(self) -> bool:
        """True unless this is a binary semaphore."""
        return _core.kind_of(self.handle_type) != _core.SemaphoreKind.BINARY

    @property
    def device(self) -> int:
        """Ordinal of the CUDA device the semaphore was imported on."""
        return int(self._live().device)

    @property
    def native_handle(self) -> int:
        """The raw ``cudaExternalSemaphore_t``."""
        return int(self._live().native_handle)

    def __repr__(self) -> str:
        if self.closed:
            return "ExternalSemaphore(closed)"
        return f"ExternalSemaphore({self.handle_type.name}, device={self.device})"


SignalItem = tuple[ExternalSemaphore, int]
WaitItem = Union[tuple[ExternalSemaphore, int], tuple[ExternalSemaphore, int, Optional[int]]]


def signal_semaphores(items: Sequence[SignalItem], *, stream: Any = None) -> None:
    """Signal several semaphores of one device with one CUDA call: ``[(sem, value), ...]``."""
    operations = [(_semaphore(item[0], i)._live(), semaphore_value(item[1], f"item {i} value"),
                   None) for i, item in _items(items, (2,))]
    _core.signal_semaphores(operations, stream_handle(stream))


def wait_semaphores(items: Sequence[WaitItem], *, stream: Any = None) -> None:
    """Wait on several semaphores with one CUDA call: ``[(sem, value[, timeout_ms]), ...]``."""
    operations = [(_semaphore(item[0], i)._live(), semaphore_value(item[1], f"item {i} value"),
                   _check_timeout(item[2] if len(item) > 2 else None))
                  for i, item in _items(items, (2, 3))]
    _core.wait_semaphores(operations, stream_handle(stream))


def _items(items: object, sizes: tuple[int, ...]) -> list[tuple[int, tuple[Any, ...]]]:
    """(index, item) of `items`, each a tuple of one of `sizes`; TypeError naming them else."""
    if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
        raise TypeError(f"items must be a sequence of tuples, got {type(items).__name__}")
    shape = " or ".join(("(semaphore, value)", "(semaphore, value, timeout_ms)")[:len(sizes)])
    checked = []
    for index, item in enumerate(items):
        if not isinstance(item, tuple) or len(item) not in sizes:
            raise TypeError(f"item {index} must be a tuple {shape}, got {item!r}")
        checked.append((index, item))
    return checked


def _semaphore(value: object, index: int) -> ExternalSemaphore:
    if not isinstance(value, ExternalSemaphore):
        raise TypeError(f"item {index}: expected an ExternalSemaphore, got {type(value).__name__}")
    return value


def timeout_milliseconds(timeout: Any, timeout_ms: Any, where: str) -> int | None:
    """The limit in milliseconds that CUDA and Direct3D 12 take, from `timeout` in seconds (the
    unit of every wait of the package) or the deprecated `timeout_ms`; None for no limit.

    TypeError naming the argument for a non-number or for both given; ValueError for a negative
    or NaN limit, or one beyond the 32-bit millisecond range (use None or ``math.inf``).
    """
    if timeout_ms is not None:
        if timeout is not None:
            raise TypeError(f"{where}: pass timeout (seconds) or timeout_ms, not both")
        warnings.warn(f"{where}(timeout_ms=...) is deprecated: pass timeout= in seconds",
                      DeprecationWarning, stacklevel=3)
        return _check_timeout(timeout_ms)
    limit = seconds(timeout, "timeout")
    if limit is None or limit == math.inf:
        return None
    if not limit >= 0:  # NaN too
        raise ValueError(f"timeout must be >= 0 seconds, None or math.inf, got {limit}")
    milliseconds = math.ceil(limit * 1000)  # never shorter than asked
    if milliseconds >= INFINITE:  # INFINITE itself means no limit
        raise ValueError(f"timeout must be below {(INFINITE - 1) / 1000} seconds (or None or "
                         f"math.inf for no limit), got {limit}")
    return milliseconds


def _check_timeout(timeout_ms: int | None) -> int | None:
    if timeout_ms is None:
        return None
    value = integer(timeout_ms, "timeout_ms")
    if not 0 <= value <= INFINITE:
        raise ValueError(f"timeout_ms must be in [0, {INFINITE}], got {value}")
    return value
