# SPDX-License-Identifier: Apache-2.0
"""The exception hierarchy, and what a call reports where no GPU is usable."""

from __future__ import annotations

import os

import pytest
from conftest import GPU_SKIP_REASON

import cuda_interop as ci

needs_no_gpu = pytest.mark.skipif(GPU_SKIP_REASON is None,
                                  reason="checks behaviour on a machine without a usable GPU")


def test_hierarchy_follows_python_conventions() -> None:
    assert issubclass(ci.CudaError, RuntimeError)
    assert issubclass(ci.ClosedError, ValueError)
    assert issubclass(ci.NotSupportedError, RuntimeError)


@needs_no_gpu
def test_valid_call_without_gpu_raises_cuda_error_naming_call_and_error() -> None:
    with pytest.raises(ci.CudaError) as info:
        ci.Device(0)
    error = info.value
    assert error.code in (35, 100)  # type: ignore[attr-defined]
    assert error.name in ("cudaErrorInsufficientDriver", "cudaErrorNoDevice")  # type: ignore[attr-defined]
    assert error.call == "cudaGetDeviceCount"  # type: ignore[attr-defined]
    assert str(error).startswith(f"cudaGetDeviceCount failed: {error.name} (")  # type: ignore[attr-defined]


@needs_no_gpu
def test_import_without_gpu_fails_cleanly_and_leaves_the_fd(no_fd_leak: None) -> None:
    read, write = os.pipe()
    try:
        with pytest.raises(ci.CudaError) as info:
            ci.ExternalMemory.from_fd(read, 4096, take_ownership=True)
        assert info.value.name in ("cudaErrorInsufficientDriver", "cudaErrorNoDevice")  # type: ignore[attr-defined]
        os.fstat(read)  # a failed import never takes the caller's fd
    finally:
        os.close(read)
        os.close(write)


@needs_no_gpu
def test_devices_is_empty_without_gpu() -> None:
    assert ci.devices() == []
    assert ci.driver_version() == 0
    assert ci.runtime_version() >= 12000  # the wheels link the CUDA 12 runtime


@needs_no_gpu
def test_shared_allocation_without_gpu_raises_cuda_error() -> None:
    with pytest.raises(ci.CudaError):
        ci.SharedAllocation(1 << 20)
