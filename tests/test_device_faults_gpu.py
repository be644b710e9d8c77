# SPDX-License-Identifier: Apache-2.0
"""Device faults on a real GPU: a producer freed under CUDA's mappings, and a CUDA context killed
by a user kernel. Each must end in the right bytes or a typed error, never a hang or a leak.

A lost Vulkan device cannot be caused on request; its tests inject the loss in C++
(cpp/tests/vulkan/device_lost_test.cpp).
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import subprocess
import sys
import textwrap
import weakref
from typing import Any

import numpy as np
import pytest

import cuda_interop as ci
from cuda_interop import vulkan

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not vulkan.available, reason=vulkan.unavailable_reason or ""),
]

MiB = 1 << 20
BUFFER_SIZE = 8 * MiB

# The CUDA driver API through ctypes: non-blocking streams and a kernel launch, with no framework
# needed. Used in child processes (prepended to their script).
DRIVER = textwrap.dedent("""
    import ctypes

    cuda = ctypes.CDLL("libcuda.so.1")
    POKE_PTX = b'''
    .version 7.0
    .target sm_70
    .address_size 64
    .visible .entry poke(.param .u64 view, .param .u64 wild)
    {
        .reg .b32 %r<2>;
        .reg .b64 %rd<3>;
        ld.param.u64 %rd1, [view];
        ld.param.u64 %rd2, [wild];
        mov.u32 %r1, 42;
        st.global.u32 [%rd1], %r1;
        st.global.u32 [%rd2], %r1;
        ret;
    }
    '''

    def driver(name, *args):
        status = getattr(cuda, name)(*args)
        if status != 0:
            raise RuntimeError(f"{name} returned CUresult {status}")

    def current_context():
        # The CUDA runtime's primary context of device 0, made current on this thread.
        driver("cuInit", 0)
        device, context = ctypes.c_int(), ctypes.c_void_p()
        driver("cuDeviceGet", ctypes.byref(device), 0)
        driver("cuDevicePrimaryCtxRetain", ctypes.byref(context), device)
        driver("cuCtxSetCurrent", context)

    def new_stream():
        stream = ctypes.c_void_p()
        driver("cuStreamCreate", ctypes.byref(stream), 1)  # CU_STREAM_NON_BLOCKING
        return stream

    def stream_synchronize(stream):
        return cuda.cuStreamSynchronize(stream)  # the CUresult

    def launch_poke(stream, view, wild):
        # One thread writes 42 to `view`, then to `wild`.
        module, function = ctypes.c_void_p(), ctypes.c_void_p()
        driver("cuModuleLoadData", ctypes.byref(module), ctypes.c_char_p(POKE_PTX))
        driver("cuModuleGetFunction", ctypes.byref(function), module, b"poke")
        values = [ctypes.c_uint64(view), ctypes.c_uint64(wild)]
        params = (ctypes.c_void_p * 2)(*[ctypes.addressof(v) for v in values])
        driver("cuLaunchKernel", function, 1, 1, 1, 1, 1, 1, 0, stream, params, None)
""")


def run_child(script: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Runs `script` after DRIVER in a fresh interpreter; a hang fails the test at `timeout`."""
    return subprocess.run([sys.executable, "-c", DRIVER + textwrap.dedent(script)],
                          capture_output=True, text=True, timeout=timeout, check=False)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def free_device_memory() -> int:
    gc.collect()
    return ci.Device(0).memory_info()[0]


class Framework:
    """CuPy or PyTorch, whichever is installed: device arrays over a mapping, without allocating
    device memory of their own (in-place updates only), so free memory can be compared."""

    def __init__(self) -> None:
        try:
            import cupy

            self.cupy: Any = cupy
            self.torch: Any = None
        except ImportError:
            torch = pytest.importorskip("torch", reason="needs CuPy or PyTorch")
            self.cupy, self.torch = None, torch

    def array(self, buffer: ci.MappedBuffer) -> Any:
        view = buffer.view(np.uint8, (buffer.size,))
        return (self.cupy.from_dlpack(view) if self.cupy is not None
                else self.torch.from_dlpack(view))

    def to_host(self, array: Any) -> np.ndarray[Any, Any]:
        self.synchronize()
        return (self.cupy.asnumpy(array) if self.cupy is not None
                else array.cpu().numpy())

    def increment(self, array: Any) -> None:
        array += 1  # in place: no allocation
        self.synchronize()

    def synchronize(self) -> None:
        if self.cupy is not None:
            self.cupy.cuda.Device().synchronize()
        else:
            self.torch.cuda.synchronize()


@pytest.fixture(scope="module")
def framework() -> Framework:
    return Framework()


# -- 1. A producer freed while CUDA still maps it -----------------------------------------------
OWNERS = ("context", "buffer", "memory", "mapped")


def _buffer_scenario(framework: Framework, order: tuple[str, ...]) -> None:
    """Vulkan writes random bytes, CUDA imports and maps them, a framework array views them; then
    the owners close in `order`, each garbage-collected, and after every step whatever is still
    open reads and writes the right bytes."""
    rng = np.random.default_rng(11)
    expected = rng.integers(0, 256, BUFFER_SIZE, dtype=np.uint8)
    owners: dict[str, Any] = {"context": vulkan.Context(0)}
    owners["buffer"] = owners["context"].create_buffer(BUFFER_SIZE)
    owners["buffer"].upload(expected)
    owners["memory"] = owners["buffer"].to_cuda()
    owners["mapped"] = owners["memory"].map_buffer(0, BUFFER_SIZE)
    array = framework.array(owners["mapped"])
    collected = {name: weakref.ref(owner) for name, owner in owners.items()}
    for name in order:
        owners.pop(name).close()
        gc.collect()
        assert collected[name]() is None, f"the closed {name} was not garbage-collected"
        np.testing.assert_array_equal(framework.to_host(array), expected, err_msg=f"after {name}")
        framework.increment(array)  # a write through the view
        expected += 1
        if "mapped" in owners:
            np.testing.assert_array_equal(owners["mapped"].copy_to_host(), expected)
        if "memory" in owners:  # a new view of the import, made after the producer went away
            with owners["memory"].map_buffer(4096, 4096) as part:
                np.testing.assert_array_equal(part.copy_to_host(), expected[4096:8192])
    np.testing.assert_array_equal(framework.to_host(array), expected)
    del array
    gc.collect()


@pytest.fixture(scope="module")
def warmed_up(framework: Framework) -> None:
    """One whole cycle first: the driver's and the framework's one-time allocations (the Vulkan
    instance, kernels loaded on first use) are not leaks."""
    _buffer_scenario(framework, OWNERS)


@pytest.mark.parametrize("order", list(itertools.permutations(OWNERS)),
                         ids=lambda order: "-".join(order))
def test_vulkan_buffer_freed_under_cuda_keeps_the_bytes_and_leaks_nothing(
        framework: Framework, warmed_up: None, order: tuple[str, ...]) -> None:
    fds, free = open_fds(), free_device_memory()
    _buffer_scenario(framework, order)
    assert open_fds() == fds, "file descriptors leaked"
    assert free_device_memory() == free, "device memory leaked"


def test_vulkan_image_freed_under_cuda_keeps_its_levels_and_leaks_nothing(
        warmed_up: None) -> None:
    rng = np.random.default_rng(12)

    def cycle(order: tuple[str, ...]) -> None:
        owners: dict[str, Any] = {"context": vulkan.Context(0)}
        owners["image"] = owners["context"].create_image("R8G8B8A8_UNORM", 512, 256, levels=3)
        expected = [rng.integers(0, 256, owners["image"].level_shape(i), dtype=np.uint8)
                    for i in range(3)]
        for index, texels in enumerate(expected):
            owners["image"].upload(index, texels)
        owners["mapped"] = owners["image"].map_to_cuda()
        levels = [owners["mapped"].level(i) for i in range(3)]
        for name in order:
            owners.pop(name).close()
            gc.collect()
            for index, level in enumerate(levels):  # reads, then a write read back
                np.testing.assert_array_equal(level.copy_to_host(), expected[index],
                                              err_msg=f"level {index} after {name}")
                expected[index] = rng.integers(0, 256, expected[index].shape, dtype=np.uint8)
                level.copy_from_host(expected[index])
        for index, level in enumerate(levels):
            np.testing.assert_array_equal(level.copy_to_host(), expected[index])
        del levels
        gc.collect()

    cycle(("image", "context", "mapped"))  # warm-up
    for order in itertools.permutations(("context", "image", "mapped")):
        fds, free = open_fds(), free_device_memory()
        cycle(order)
        assert open_fds() == fds, f"file descriptors leaked closing {order}"
        assert free_device_memory() == free, f"device memory leaked closing {order}"


def test_vulkan_semaphore_freed_under_cuda_still_orders_cuda_work() -> None:
    result = run_child("""
        import gc, json, os, time
        import cuda_interop as ci
        from cuda_interop import vulkan

        def fds():
            return len(os.listdir("/proc/self/fd"))

        def cycle():
            context = vulkan.Context(0)
            semaphore = context.create_semaphore(timeline=True)
            buffer = context.create_buffer(1 << 20)
            cuda_semaphore = semaphore.to_cuda()
            memory = buffer.to_cuda()
            mapped = memory.map_buffer()
            semaphore.close(); buffer.close(); context.close()
            del semaphore, buffer, context
            gc.collect()
            current_context()
            waiting, signalling = new_stream(), new_stream()
            mapped.fill(0)
            # Held behind a wait for 2 that only CUDA can signal now.
            cuda_semaphore.wait(2, stream=waiting.value)
            mapped.fill(7, stream=waiting.value)
            time.sleep(0.2)
            held = int(mapped.copy_to_host(stream=signalling.value)[0])
            cuda_semaphore.signal(1, stream=signalling.value)
            time.sleep(0.1)
            still_held = int(mapped.copy_to_host(stream=signalling.value)[0])
            cuda_semaphore.signal(2, stream=signalling.value)
            assert stream_synchronize(waiting) == 0
            released = int(mapped.copy_to_host()[0])
            for owner in (cuda_semaphore, mapped, memory):
                owner.close()
            for stream in (waiting, signalling):
                driver("cuStreamDestroy_v2", stream)
            gc.collect()
            return held, still_held, released

        cycle()  # warm-up: one-time allocations are no leaks
        before, free = fds(), ci.Device(0).memory_info()[0]
        held, still_held, released = cycle()
        print(json.dumps({"held": held, "still_held": still_held, "released": released,
                          "fds": fds() - before, "free": ci.Device(0).memory_info()[0] - free}))
    """)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["held"] == 0, "the CUDA wait did not hold the work back"
    assert report["still_held"] == 0, "a signal below the waited value released the work"
    assert report["released"] == 7, "the CUDA signal did not release the waiting work"
    assert report["fds"] == 0, "file descriptors leaked"
    assert report["free"] == 0, "device memory leaked"


# -- 3. A user kernel kills the CUDA context ------------------------------------------------------
ILLEGAL_ADDRESS_SCRIPT = """
    import json, time
    import numpy as np
    import cuda_interop as ci
    from cuda_interop import vulkan

    context = vulkan.Context(0)
    semaphore = context.create_semaphore(timeline=True)
    buffer = context.create_buffer(1 << 20)
    image = context.create_image("R8G8B8A8_UNORM", 64, 64)
    memory = buffer.to_cuda()
    unmapped = buffer.to_cuda()  # its first mapping is made after the fault
    unmapped_image = image.to_cuda()  # likewise
    mapped = memory.map_buffer()
    levels = image.map_to_cuda()
    level = levels.level(0)
    cuda_semaphore = semaphore.to_cuda()
    mapped.fill(1)  # the view in use
    current_context()
    stream = new_stream()
    launch_poke(stream, mapped.ptr, 0)  # writes the view, then through a null pointer
    fault = stream_synchronize(stream)

    results = {}
    def attempt(name, call):
        start = time.monotonic()
        try:
            call()
            outcome = {"raised": None}
        except Exception as error:
            outcome = {"raised": type(error).__name__, "name": getattr(error, "name", None),
                       "call": getattr(error, "call", None), "message": str(error)}
        outcome["seconds"] = time.monotonic() - start
        results[name] = outcome

    attempt("copy_to_host", lambda: mapped.copy_to_host())
    attempt("copy_from_host", lambda: mapped.copy_from_host(np.zeros(16, np.uint8)))
    attempt("copy_on_stream", lambda: mapped.copy_to_host(stream=stream.value))
    attempt("fill", lambda: mapped.fill(3))
    attempt("view_copy", lambda: memory.map_buffer(4096, 4096).copy_to_host())
    # CUDA may map or import after the fault (cudaExternalMemoryGetMappedBuffer and
    # ...GetMappedMipmappedArray returned success on an H200, driver 580): then the first copy
    # through what was made raises
    attempt("map_buffer", lambda: unmapped.map_buffer().copy_to_host())
    attempt("map_mipmapped_array",
            lambda: unmapped_image.map_mipmapped_array().level(0).copy_to_host())
    attempt("to_cuda", lambda: buffer.to_cuda().map_buffer().copy_to_host())
    attempt("level_copy", lambda: level.copy_to_host())
    attempt("semaphore_signal", lambda: cuda_semaphore.signal(1, stream=stream.value))
    attempt("semaphore_wait", lambda: cuda_semaphore.wait(1, stream=stream.value))
    start = time.monotonic()
    closed = []
    for name, owner in [("level_array", levels), ("mapped", mapped), ("memory", memory),
                        ("unmapped", unmapped), ("unmapped_image", unmapped_image),
                        ("cuda_semaphore", cuda_semaphore),
                        ("semaphore", semaphore), ("buffer", buffer), ("image", image),
                        ("context", context)]:
        owner.close()  # must neither raise nor hang
        closed.append(name)
    results["close_seconds"] = time.monotonic() - start
    print(json.dumps({"fault": fault, "closed": closed, "results": results}), flush=True)
"""

# The call each operation must name once the context is dead.
EXPECTED_CALLS = {
    "copy_to_host": {"cudaMemcpy"},
    "copy_from_host": {"cudaMemcpy"},
    "copy_on_stream": {"cudaMemcpyAsync", "cudaStreamSynchronize"},
    "fill": {"cudaMemset"},
    "view_copy": {"cudaMemcpy"},  # a view of the existing mapping reaches CUDA at its first copy
    "map_buffer": {"cudaExternalMemoryGetMappedBuffer", "cudaMemcpy"},
    "map_mipmapped_array": {"cudaExternalMemoryGetMappedMipmappedArray",
                            "cudaGetMipmappedArrayLevel", "cudaMemcpy3D"},
    "to_cuda": {"cudaImportExternalMemory", "cudaExternalMemoryGetMappedBuffer", "cudaMemcpy"},
    "level_copy": {"cudaMemcpy3D"},
    "semaphore_signal": {"cudaSignalExternalSemaphoresAsync"},
    "semaphore_wait": {"cudaWaitExternalSemaphoresAsync"},
}


def test_illegal_address_in_a_user_kernel_gives_typed_errors_and_a_clean_exit() -> None:
    result = run_child(ILLEGAL_ADDRESS_SCRIPT, timeout=180)
    assert result.returncode == 0, f"the process did not exit cleanly:\n{result.stderr}"
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["fault"] == 700, "the kernel did not fault (CUDA_ERROR_ILLEGAL_ADDRESS)"
    for operation, calls in EXPECTED_CALLS.items():
        outcome = report["results"][operation]
        assert outcome["raised"] == "CudaError", (operation, outcome)
        assert outcome["name"] == "cudaErrorIllegalAddress", (operation, outcome)
        assert outcome["call"] in calls, (operation, outcome)
        assert outcome["call"] in outcome["message"], (operation, outcome)
        assert "cudaErrorIllegalAddress" in outcome["message"], (operation, outcome)
        assert outcome["seconds"] < 30, (operation, outcome)
    assert len(report["closed"]) == 10
    assert report["results"]["close_seconds"] < 30


def test_illegal_address_leaks_no_fd_of_a_refused_import() -> None:
    # The fd exported for an import that CUDA refuses is closed by the package.
    result = run_child("""
        import os
        from cuda_interop import vulkan
        import cuda_interop as ci
        context = vulkan.Context(0)
        buffer = context.create_buffer(1 << 20)
        memory = buffer.to_cuda()
        mapped = memory.map_buffer()
        current_context()
        stream = new_stream()
        launch_poke(stream, mapped.ptr, 0)
        assert stream_synchronize(stream) == 700
        before = len(os.listdir("/proc/self/fd"))
        for _ in range(20):
            try:
                buffer.to_cuda()
            except ci.CudaError as error:
                assert error.name == "cudaErrorIllegalAddress", error
            else:
                raise AssertionError("an import into a dead context succeeded")
        print(len(os.listdir("/proc/self/fd")) - before)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0", "a refused import leaked its fd"
