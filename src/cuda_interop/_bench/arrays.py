# SPDX-License-Identifier: Apache-2.0
"""Kernels and CUDA-event timing through CuPy or PyTorch, behind one small interface.

Only operations that need no run-time compilation are used for the copy (``cudaMemcpyAsync``),
so CuPy works without NVRTC; the elementwise kernel is optional and checked once.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

HostBytes = npt.NDArray[np.uint8]
BACKEND_VARIABLE = "CUDA_INTEROP_BENCH_ARRAYS"  # "cupy" or "torch" to choose


class DeviceArrays:
    """1-D ``uint8`` device arrays and the kernels the benchmarks time.

    Attributes
    ----------
    name:
        Library and version, for the report.
    allocator:
        How :meth:`malloc` allocates (the baseline memory).
    scale_error:
        Why :meth:`scale` cannot run here (None when it can).
    """

    name = "none"
    allocator = "none"

    def __init__(self) -> None:
        self.scale_error: str | None = None

    def wrap(self, memory: Any) -> Any:
        """A zero-copy array over an object with ``__cuda_array_interface__``."""
        raise NotImplementedError

    def malloc(self, nbytes: int) -> Any:
        """A new array in ordinary device memory (``cudaMalloc``)."""
        raise NotImplementedError

    def upload(self, host: HostBytes) -> Any:
        """A new device array holding `host`: what a user writes to get host data to the GPU."""
        raise NotImplementedError

    def copy(self, destination: Any, source: Any) -> None:
        """destination[:] = source, as ``cudaMemcpyAsync`` on the current stream."""
        raise NotImplementedError

    def scale(self, destination: Any, source: Any) -> None:
        """destination = source + source: an elementwise kernel (one read, one write per byte)."""
        raise NotImplementedError

    def head(self, array: Any, count: int) -> HostBytes:
        """The first `count` bytes of `array`, on the host."""
        raise NotImplementedError

    @property
    def stream(self) -> Any:
        """The current stream, in a form ``ExternalSemaphore.signal/wait`` accept."""
        raise NotImplementedError

    def synchronize(self) -> None:
        """Wait for the current stream."""
        raise NotImplementedError

    def event(self) -> Any:
        """A CUDA event that keeps time: ``record()`` on the current stream, ``synchronize()``."""
        raise NotImplementedError

    def elapsed_ms(self, start: Any, end: Any) -> float:
        """GPU milliseconds from event `start` to event `end` (both recorded and completed)."""
        return self._elapsed_ms(start, end)

    def _events(self) -> tuple[Any, Any]:
        return self.event(), self.event()

    def _elapsed_ms(self, start: Any, end: Any) -> float:
        raise NotImplementedError

    def time_ms(self, work: Callable[[], None]) -> float:
        """GPU time of the work `work` enqueues on the current stream, in milliseconds."""
        start, end = self._events()
        start.record()
        work()
        end.record()
        end.synchronize()
        return self._elapsed_ms(start, end)

    def release(self) -> None:
        """Return cached device memory to the driver (between sizes)."""


class CuPyArrays(DeviceArrays):
    def __init__(self, cupy: Any) -> None:
        super().__init__()
        self._cp = cupy
        self.name = f"CuPy {cupy.__version__}"
        self.allocator = "cudaMalloc (cupy.cuda.Memory, no pool)"

    def wrap(self, memory: Any) -> Any:
        return self._cp.asarray(memory)

    def malloc(self, nbytes: int) -> Any:
        cp = self._cp
        memory = cp.cuda.Memory(nbytes)  # one cudaMalloc of its own: the plain baseline
        return cp.ndarray((nbytes,), dtype=cp.uint8, memptr=cp.cuda.MemoryPointer(memory, 0))

    def upload(self, host: HostBytes) -> Any:
        return self._cp.asarray(host)

    def copy(self, destination: Any, source: Any) -> None:
        self._cp.copyto(destination, source)  # contiguous, same dtype: cudaMemcpyAsync

    def scale(self, destination: Any, source: Any) -> None:
        self._cp.add(source, source, out=destination)

    def head(self, array: Any, count: int) -> HostBytes:
        return np.asarray(self._cp.asnumpy(array[:count]), dtype=np.uint8)

    @property
    def stream(self) -> Any:
        return self._cp.cuda.get_current_stream()

    def synchronize(self) -> None:
        self._cp.cuda.get_current_stream().synchronize()

    def event(self) -> Any:
        return self._cp.cuda.Event()

    def _elapsed_ms(self, start: Any, end: Any) -> float:
        return float(self._cp.cuda.get_elapsed_time(start, end))

    def release(self) -> None:
        self._cp.get_default_memory_pool().free_all_blocks()


class TorchArrays(DeviceArrays):
    def __init__(self, torch: Any) -> None:
        super().__init__()
        self._torch = torch
        self.name = f"PyTorch {torch.__version__}"
        self.allocator = "PyTorch caching allocator (cudaMalloc)"

    def wrap(self, memory: Any) -> Any:
        return self._torch.as_tensor(memory, device="cuda")

    def malloc(self, nbytes: int) -> Any:
        return self._torch.empty(nbytes, dtype=self._torch.uint8, device="cuda")

    def upload(self, host: HostBytes) -> Any:
        return self._torch.from_numpy(host).to("cuda")

    def copy(self, destination: Any, source: Any) -> None:
        destination.copy_(source)

    def scale(self, destination: Any, source: Any) -> None:
        self._torch.add(source, source, out=destination)

    def head(self, array: Any, count: int) -> HostBytes:
        return np.asarray(array[:count].cpu().numpy(), dtype=np.uint8)

    @property
    def stream(self) -> Any:
        return self._torch.cuda.current_stream()

    def synchronize(self) -> None:
        self._torch.cuda.current_stream().synchronize()

    def event(self) -> Any:
        return self._torch.cuda.Event(enable_timing=True)

    def _elapsed_ms(self, start: Any, end: Any) -> float:
        return float(start.elapsed_time(end))

    def release(self) -> None:
        self._torch.cuda.empty_cache()


_BACKENDS: dict[str, tuple[str, Callable[[Any], DeviceArrays]]] = {
    "cupy": ("cupy", CuPyArrays),
    "torch": ("torch", TorchArrays),
}


def _smoke_test(arrays: DeviceArrays) -> None:
    """Fail here, with the library's message, rather than in the middle of a table."""
    host = np.arange(64, dtype=np.uint8)
    source = arrays.upload(host)
    destination = arrays.malloc(64)
    arrays.copy(destination, source)
    if not np.array_equal(arrays.head(destination, 64), host):
        raise RuntimeError("a device copy returned wrong bytes")
    try:
        arrays.scale(destination, source)
        if not np.array_equal(arrays.head(destination, 64), host + host):
            raise RuntimeError("the elementwise kernel returned wrong bytes")
    except Exception as error:  # e.g. CuPy without NVRTC: skip that kernel only
        arrays.scale_error = f"{type(error).__name__}: {error}"
    arrays.synchronize()


def load() -> tuple[DeviceArrays | None, str]:
    """CuPy, else PyTorch (``CUDA_INTEROP_BENCH_ARRAYS`` picks one): (arrays, its name), or
    (None, why neither is usable)."""
    wanted = os.environ.get(BACKEND_VARIABLE, "").strip().lower()
    if wanted and wanted not in _BACKENDS:
        return None, f"{BACKEND_VARIABLE}={wanted!r} is not one of {', '.join(_BACKENDS)}"
    order = [wanted] if wanted else list(_BACKENDS)
    problems: list[str] = []
    for key in order:
        module_name, backend = _BACKENDS[key]
        try:
            arrays = backend(importlib.import_module(module_name))
            _smoke_test(arrays)
        except Exception as error:  # missing or broken: try the next library
            problems.append(f"{module_name}: {type(error).__name__}: {error}")
            continue
        return arrays, arrays.name
    return None, "neither CuPy nor PyTorch is usable (" + "; ".join(problems) + ")"
