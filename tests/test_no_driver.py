# SPDX-License-Identifier: Apache-2.0
"""Without an NVIDIA driver every CUDA entry point says so, as a NotSupportedError.

The CUDA runtime reports a missing driver as cudaErrorInsufficientDriver, as if an old driver
were installed; the core turns it into NotSupportedError("... no NVIDIA driver was found ...")
in the one place a CUDA status becomes an exception. These tests run where there is no driver
(the CI machine), in this process and through the command line, the examples and ctest's skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from conftest import GPU_SKIP_REASON

import cuda_interop as ci
from cuda_interop import vulkan
from cuda_interop.cli import EXIT_CANNOT_RUN

pytestmark = pytest.mark.skipif(ci.driver_version() != 0, reason="an NVIDIA driver is installed")

ROOT = Path(__file__).resolve().parent.parent
NO_DRIVER = "no NVIDIA driver was found"


def _buffer_to_cuda() -> object:
    # The Vulkan context comes from Mesa here (picked by index: no CUDA device to match).
    with vulkan.Context(physical_device_index=0) as ctx, ctx.create_buffer(1 << 16) as buffer:
        return buffer.to_cuda()


def _import_fd() -> object:
    fd = os.memfd_create("no-driver")
    try:
        os.ftruncate(fd, 1 << 16)
        return ci.ExternalMemory.from_fd(fd, 1 << 16)
    finally:
        os.close(fd)  # the caller's fd stays the caller's after a failed import


CALLS: dict[str, Callable[[], object]] = {
    "Device(0)": lambda: ci.Device(0),
    "SharedAllocation": lambda: ci.SharedAllocation(1 << 20),
    "vulkan.Context()": lambda: vulkan.Context(),
    "vulkan.Context(0)": lambda: vulkan.Context(0),
    "Buffer.to_cuda": _buffer_to_cuda,
    "ExternalMemory.from_fd": _import_fd,
    "memory_info": lambda: ci._core.memory_info(0),
}


@pytest.mark.parametrize("name", CALLS)
def test_call_without_driver_raises_not_supported_naming_the_driver(name: str) -> None:
    if name.startswith(("vulkan", "Buffer")) and not vulkan.available:
        pytest.skip(vulkan.unavailable_reason or "no Vulkan producer")
    with pytest.raises(ci.NotSupportedError) as info:
        CALLS[name]()
    message = str(info.value)
    assert NO_DRIVER in message, message
    assert "insufficient" not in message.lower(), message
    assert " failed: " in message  # names the CUDA call that found no driver
    assert isinstance(info.value, ci.Error)
    assert not isinstance(info.value, ci.CudaError)


def test_devices_is_empty_and_the_skip_reason_names_the_driver() -> None:
    assert ci.devices() == []
    assert GPU_SKIP_REASON is not None and NO_DRIVER in GPU_SKIP_REASON, GPU_SKIP_REASON


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, check=False)


@pytest.mark.parametrize("command", [("selftest",), ("bench", "--quick")])
def test_commands_without_driver_say_so_and_exit_cannot_run(command: tuple[str, ...]) -> None:
    result = _run("-m", "cuda_interop", *command)
    output = result.stdout + result.stderr
    assert result.returncode == EXIT_CANNOT_RUN, output
    assert "Traceback" not in output
    assert "insufficient" not in output.lower(), output


@pytest.mark.parametrize("name,package", [("texture_kernel", "cupy"),
                                          ("vulkan_compute_and_cuda", "cupy")])
def test_examples_without_driver_say_so_and_exit_cannot_run(name: str, package: str) -> None:
    """The example's package is stood in for by an empty module: the example must stop at its
    first CUDA call, before it uses the package."""
    if not vulkan.available:
        pytest.skip(vulkan.unavailable_reason or "no Vulkan producer")
    path = ROOT / "examples" / f"{name}.py"
    code = ("import importlib.machinery, runpy, sys, types; "
            f"m = types.ModuleType({package!r}); "
            f"m.__spec__ = importlib.machinery.ModuleSpec({package!r}, None); "
            f"sys.modules[{package!r}] = m; sys.argv = [{str(path)!r}]; "
            f"runpy.run_path({str(path)!r}, run_name='__main__')")
    result = _run("-c", code)
    assert result.returncode == EXIT_CANNOT_RUN, result.stdout + result.stderr
    assert NO_DRIVER in result.stderr, result.stderr
    assert "insufficient" not in result.stderr.lower(), result.stderr

