# SPDX-License-Identifier: Apache-2.0
"""Zero-copy import of Vulkan, Direct3D and CUDA-shared memory and semaphores into CUDA.

Producers live in submodules: ``cuda_interop.vulkan`` and ``cuda_interop.d3d12``;
``cuda_interop.ipc`` passes shares to other processes.

Examples
--------
>>> import cuda_interop as ci
>>> mem = ci.ExternalMemory.from_fd(fd, size)     # or from_d3d12_heap(handle, size) ...
>>> buf = mem.map_buffer()                        # zero-copy device pointer
>>> tensor = torch.from_dlpack(buf.view("float32", (h, w, 4)))   # or cupy.asarray(buf)
"""

from __future__ import annotations

from ._core import (
    ChannelKind,
    ClosedError,
    CudaError,
    Error,
    ImageLayout,
    MemoryHandleType,
    MemoryShare,
    NotSupportedError,
    SemaphoreHandleType,
    SemaphoreShare,
)
from ._core import driver_version as _driver_version
from ._core import runtime_version as _runtime_version
from ._device import Device, devices
from ._dlpack import BufferView
from ._external_memory import ExternalMemory
from ._external_semaphore import ExternalSemaphore, signal_semaphores, wait_semaphores
from ._formats import ArrayFormat, array_format
from ._mapped_buffer import MappedBuffer
from ._mipmapped_array import ArrayFlags, ArrayLevel, ArrayObject, MappedMipmappedArray
from ._namespace import public_dir as _public_dir
from ._shared_allocation import SharedAllocation

__version__ = "0.1.0"
__dir__ = _public_dir(__name__)  # dir() lists __all__ and the public submodules

# In the order of the API reference: the main classes first, then descriptors, errors, helpers.
__all__ = [  # noqa: RUF022  (reference order, not alphabetical)
    "ExternalMemory",
    "MappedBuffer",
    "BufferView",
    "ExternalSemaphore",
    "signal_semaphores",
    "wait_semaphores",
    "SharedAllocation",
    "MappedMipmappedArray",
    "ArrayLevel",
    "ArrayObject",
    "Device",
    "devices",
    "MemoryShare",
    "SemaphoreShare",
    "ImageLayout",
    "Error",
    "CudaError",
    "NotSupportedError",
    "ClosedError",
    "ArrayFormat",
    "array_format",
    "ArrayFlags",
    "MemoryHandleType",
    "SemaphoreHandleType",
    "ChannelKind",
    "driver_version",
    "runtime_version",
]


def driver_version() -> int:
    """The CUDA driver's version (e.g. 13000), or 0 where there is no driver."""
    return int(_driver_version())


def runtime_version() -> int:
    """The version of the CUDA runtime this package was built with (e.g. 13000)."""
    return int(_runtime_version())
