# SPDX-License-Identifier: Apache-2.0
"""The raw Python baseline: the same CUDA runtime calls through NVIDIA's ``cuda.bindings``.

Written the way a careful user would: descriptors and constants prepared once, only the file
descriptor or fence value set per call, every ``(error, value)`` result checked.
"""

from __future__ import annotations

import importlib
import os
import time
from typing import Any


class RawCallError(RuntimeError):
    """A ``cuda.bindings`` call returned an error."""


class RawBindings:
    """``cuda.bindings.runtime`` calls for external memory and semaphores.

    Parameters
    ----------
    runtime:
        The ``cuda.bindings.runtime`` module.
    size:
        Bytes to import and map (the allocation's size).
    """

    def __init__(self, runtime: Any, size: int) -> None:
        rt = runtime
        self._rt = rt
        self._success = rt.cudaError_t.cudaSuccess
        self._memory_desc = rt.cudaExternalMemoryHandleDesc()
        self._memory_desc.type = (rt.cudaExternalMemoryHandleType
                                  .cudaExternalMemoryHandleTypeOpaqueFd)
        self._memory_desc.size = size
        self._buffer_desc = rt.cudaExternalMemoryBufferDesc()
        self._buffer_desc.offset = 0
        self._buffer_desc.size = size
        self._signal_params = rt.cudaExternalSemaphoreSignalParams()
        self._wait_params = rt.cudaExternalSemaphoreWaitParams()
        self._stream = rt.cudaStream_t(0)  # the legacy default stream, as ours uses

    @classmethod
    def load(cls, ordinal: int, size: int) -> tuple[RawBindings | None, str]:
        """(bindings, "cuda.bindings <version>"), or (None, why they are unavailable)."""
        try:
            runtime = importlib.import_module("cuda.bindings.runtime")
            version = str(getattr(importlib.import_module("cuda.bindings"), "__version__", "?"))
        except Exception as error:  # not installed, or built for another CUDA
            return None, f"cuda.bindings is not usable ({type(error).__name__}: {error}; " \
                         "pip install cuda-bindings)"
        try:
            bindings = cls(runtime, size)
            bindings._check(runtime.cudaSetDevice(ordinal), "cudaSetDevice")
        except Exception as error:  # e.g. bindings newer than the driver
            return None, f"cuda.bindings {version} is not usable ({type(error).__name__}: {error})"
        return bindings, f"cuda.bindings {version}"

    def _check(self, result: Any, call: str) -> Any:
        """The value of an ``(error, value)`` or ``(error,)`` result; raises on error."""
        if result[0] != self._success:
            raise RawCallError(f"{call} failed: {result[0]}")
        return result[1] if len(result) > 1 else None

    def memory_cycle(self, fd: int) -> tuple[int, int, int, int]:
        """Import `fd` (consumed on success), map, free, destroy: the four times in ns."""
        rt = self._rt
        clock = time.perf_counter_ns
        t0 = clock()
        self._memory_desc.handle.fd = fd
        result = rt.cudaImportExternalMemory(self._memory_desc)
        t1 = clock()
        if result[0] != self._success:
            os.close(fd)  # a failed import leaves the descriptor with us
        memory = self._check(result, "cudaImportExternalMemory")
        result = rt.cudaExternalMemoryGetMappedBuffer(memory, self._buffer_desc)
        t2 = clock()
        if result[0] != self._success:
            rt.cudaDestroyExternalMemory(memory)
        pointer = self._check(result, "cudaExternalMemoryGetMappedBuffer")
        freed = rt.cudaFree(pointer)
        t3 = clock()
        destroyed = rt.cudaDestroyExternalMemory(memory)
        t4 = clock()
        self._check(freed, "cudaFree")
        self._check(destroyed, "cudaDestroyExternalMemory")
        return (t1 - t0, t2 - t1, t3 - t2, t4 - t3)

    def import_timeline_semaphore(self, fd: int) -> Any:
        """A ``cudaExternalSemaphore_t`` for a Vulkan timeline semaphore's fd (consumed)."""
        rt = self._rt
        desc = rt.cudaExternalSemaphoreHandleDesc()
        desc.type = (rt.cudaExternalSemaphoreHandleType
                     .cudaExternalSemaphoreHandleTypeTimelineSemaphoreFd)
        desc.handle.fd = fd
        result = rt.cudaImportExternalSemaphore(desc)
        if result[0] != self._success:
            os.close(fd)
        return self._check(result, "cudaImportExternalSemaphore")

    def signal_wait(self, semaphore: Any, value: int) -> int:
        """Enqueue a signal of `value` then a wait for it: the host time in ns."""
        rt = self._rt
        clock = time.perf_counter_ns
        t0 = clock()
        self._signal_params.params.fence.value = value
        signalled = rt.cudaSignalExternalSemaphoresAsync([semaphore], [self._signal_params], 1,
                                                         self._stream)
        self._wait_params.params.fence.value = value
        waited = rt.cudaWaitExternalSemaphoresAsync([semaphore], [self._wait_params], 1,
                                                    self._stream)
        t1 = clock()
        self._check(signalled, "cudaSignalExternalSemaphoresAsync")
        self._check(waited, "cudaWaitExternalSemaphoresAsync")
        return t1 - t0

    def destroy_semaphore(self, semaphore: Any) -> None:
        self._check(self._rt.cudaDestroyExternalSemaphore(semaphore),
                    "cudaDestroyExternalSemaphore")
