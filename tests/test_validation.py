# SPDX-License-Identifier: Apache-2.0
"""Bad arguments are rejected before CUDA sees them (these run without a GPU)."""

from __future__ import annotations

import contextlib
import os
import sys

import pytest

import cuda_interop as ci

linux_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file descriptors")


@pytest.fixture
def pipe_fd() -> object:
    read, write = os.pipe()
    yield read
    for fd in (read, write):
        with contextlib.suppress(OSError):
            os.close(fd)


@linux_only
@pytest.mark.parametrize("fd", [-1, -100])
def test_negative_fd_is_a_value_error(fd: int) -> None:
    with pytest.raises(ValueError, match="fd must be >= 0"):
        ci.ExternalMemory.from_fd(fd, 4096)
    with pytest.raises(ValueError, match="fd must be >= 0"):
        ci.ExternalSemaphore.from_fd(fd, timeline=True)


@pytest.mark.parametrize("fd", ["3", 3.0, True, None])
def test_fd_of_wrong_type_is_a_type_error(fd: object) -> None:
    with pytest.raises(TypeError):
        ci.ExternalMemory.from_fd(fd, 4096)  # type: ignore[arg-type]


@linux_only
@pytest.mark.parametrize("size", [0, -1])
def test_non_positive_size_is_a_value_error(pipe_fd: int, size: int) -> None:
    with pytest.raises(ValueError, match="size must be > 0"):
        ci.ExternalMemory.from_fd(pipe_fd, size)


@linux_only
def test_closed_fd_is_a_value_error() -> None:
    read, write = os.pipe()
    os.close(read)
    os.close(write)
    with pytest.raises(ValueError, match="is not open"):
        ci.ExternalMemory.from_fd(read, 4096)
    with pytest.raises(ValueError, match="is not open"):
        ci.ExternalSemaphore.from_fd(read, timeline=False)


@pytest.mark.parametrize("device", [-1, "0", 1.0])
def test_bad_device_is_rejected(device: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        ci.ExternalMemory.from_fd(0, 4096, device=device)  # type: ignore[arg-type]


def test_names_are_checked() -> None:
    with pytest.raises(ValueError, match="at most 260"):
        ci.ExternalMemory.from_d3d12_heap("x" * 261, 4096)
    with pytest.raises(ValueError, match="empty"):
        ci.ExternalMemory.from_d3d12_resource("", 4096)
    with pytest.raises(ValueError, match="NUL"):
        ci.ExternalSemaphore.from_d3d12_fence("a\0b")
    with pytest.raises(ValueError, match="take_ownership applies to handles"):
        ci.ExternalMemory.from_d3d12_heap("frame", 4096, take_ownership=True)


@pytest.mark.parametrize("handle", [0, -5])
def test_null_or_negative_handle_is_a_value_error(handle: int) -> None:
    with pytest.raises(ValueError, match="handle"):
        ci.ExternalMemory.from_d3d12_heap(handle, 4096)


def test_handle_of_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="NT handle"):
        ci.ExternalMemory.from_win32(b"abc", 4096)  # type: ignore[arg-type]


def test_kmt_handles_cannot_be_taken_or_named() -> None:
    with pytest.raises(ValueError, match="KMT"):
        ci.ExternalMemory.from_d3d11_resource("name", 4096, kmt=True)
    with pytest.raises(ValueError, match="KMT handle holds no reference"):
        ci.ExternalSemaphore.from_keyed_mutex(1234, kmt=True, take_ownership=True)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has these handle types")
@pytest.mark.parametrize("call", [
    lambda: ci.ExternalMemory.from_d3d12_heap(1234, 4096),
    lambda: ci.ExternalMemory.from_d3d12_resource("frame", 4096),
    lambda: ci.ExternalMemory.from_win32(1234, 4096),
    lambda: ci.ExternalMemory.from_win32_kmt(1234, 4096),
    lambda: ci.ExternalMemory.from_d3d11_resource(1234, 4096),
    lambda: ci.ExternalSemaphore.from_d3d12_fence(1234),
    lambda: ci.ExternalSemaphore.from_keyed_mutex("mutex"),
    lambda: ci.ExternalSemaphore.from_win32(1234, timeline=True),
])
def test_windows_handles_are_not_supported_elsewhere(call: object) -> None:
    with pytest.raises(ci.NotSupportedError, match="only on Windows"):
        call()  # type: ignore[operator]


@pytest.mark.skipif(sys.platform == "linux" and os.uname().machine == "aarch64",
                    reason="NvSci exists on Tegra")
def test_nvsci_is_not_supported_off_tegra() -> None:
    with pytest.raises(ci.NotSupportedError, match="NvSciBuf"):
        ci.ExternalMemory.from_nvscibuf(0x1000, 4096)
    with pytest.raises(ci.NotSupportedError, match="NvSciSync"):
        ci.ExternalSemaphore.from_nvscisync(0x1000)


def test_batched_semaphore_calls_check_every_item() -> None:
    with pytest.raises(TypeError, match="item 0"):
        ci.signal_semaphores([(None, 1)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="no semaphores"):
        ci.wait_semaphores([])
