# SPDX-License-Identifier: Apache-2.0
"""The Direct3D 12 producer: shared heaps, committed resources and fences, imported into CUDA.

The device is the DXGI adapter whose LUID equals the CUDA device's (never another one).
``to_cuda()`` is ``ExternalMemory.from_share(obj.export_share())`` (``ExternalSemaphore`` for a
fence): the share descriptor holds a new NT handle from ``CreateSharedHandle`` (or, with
``name=``, the name), the allocation size Direct3D 12 reports, the dedicated flag of committed
resources, the adapter's LUID and a texture's image layout, and it closes its handle when it is
collected. Transfers (``upload``, ``download``, ...) run synchronously on the device's copy queue,
after any ``Fence.queue_wait`` already enqueued there.

Direct3D 12 is Windows-only. Elsewhere this module still imports, like ``cuda_interop.vulkan``:
:data:`available` is False, :data:`unavailable_reason` says why, and :func:`adapters` or
constructing :class:`Device` raise :class:`cuda_interop.NotSupportedError`. Errors of Direct3D 12
calls are ``OSError`` whose ``errno`` is the HRESULT (see :func:`hresult_name`).

Examples
--------
>>> from cuda_interop import d3d12
>>> with d3d12.Device(0) as d3d:                        # the D3D12 adapter that is CUDA device 0
...     buf = d3d.create_committed_buffer(1 << 20)       # D3D12_HEAP_FLAG_SHARED
...     buf.upload(numpy.arange(256, dtype=numpy.uint8))
...     mem = buf.to_cuda()                              # cuda_interop.ExternalMemory, zero copy
...     mapped = mem.map_buffer()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ._core import ClosedError, NotSupportedError
from ._d3d12_device import Adapter, Device, adapters
from ._d3d12_fence import Fence
from ._d3d12_flags import Format, HeapFlags, ResourceFlags
from ._d3d12_resources import Buffer, Heap, Texture2D
from ._namespace import public_dir as _public_dir
from ._native import D3D12_REASON as _REASON
from ._native import _d3d12
from .frames import FrameRing as _FrameRing

__dir__ = _public_dir(__name__)
__all__ = [
    "Adapter",
    "Buffer",
    "ClosedError",
    "Device",
    "Fence",
    "Format",
    "FrameRing",
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


def hresult_name(hresult: int) -> str:
    """Symbolic name of a well-known HRESULT (``"E_NOTIMPL"``), else ``""``.

    Takes the unsigned value or ``OSError.errno`` of a Direct3D 12 error (the same bits, signed).
    """
    return str(_d3d12.hresult_name(hresult))


def close_handle(handle: int) -> None:
    """``CloseHandle`` on an NT handle returned by ``share()``; ``OSError`` on failure."""
    _d3d12.close_handle(handle)


class FrameRing(_FrameRing):
    """:class:`cuda_interop.frames.FrameRing` on a Direct3D 12 device: `slots` shared committed
    buffers, each of `batch` frames, and two shared fences as the ``ready`` and ``released``
    timelines. A slot's ``wait`` and ``signal`` are ``(Fence, value)`` items: make the queue that
    writes the slot wait with ``fence.queue_wait(value)`` before and signal with
    ``fence.queue_signal(value)`` after (``Device``'s own transfers run on its copy queue, after
    any ``queue_wait`` enqueued there). The order of hand-offs is the core's ``FrameSchedule``,
    tested with Direct3D 12 fences and buffers in C++ (``cpp/tests/d3d12/frame_ring_test.cpp``)."""

    __slots__ = ()

    def __init__(self, device: Device, nbytes: int | None = None, slots: int = 3, *,
                 shape: Sequence[int] | None = None, dtype: Any = None, batch: int = 1,
                 convert: Callable[[Any], Any] | None = None) -> None:
        if not isinstance(device, Device):
            raise TypeError(f"device must be a d3d12.Device, got {type(device).__name__}")
        device._live()
        super().__init__(device, nbytes, slots, shape=shape, dtype=dtype, batch=batch,
                         convert=convert)
