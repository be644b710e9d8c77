# SPDX-License-Identifier: Apache-2.0
"""The exception hierarchy, and what a call reports where no GPU is usable."""

from __future__ import annotations

import os

import pytest
from conftest import GPU_SKIP_REASON

import cuda_interop as ci
from cuda_interop import ipc, vulkan

needs_no_gpu = pytest.mark.skipif(GPU_SKIP_REASON is None,
                                  reason="checks behaviour on a machine without a usable GPU")
# With a driver but no device, CUDA says cudaErrorNoDevice: a CudaError.
NO_GPU_ERROR = ci.NotSupportedError if ci.driver_version() == 0 else ci.CudaError


def test_hierarchy_follows_python_conventions() -> None:
    assert issubclass(ci.CudaError, RuntimeError)
    assert issubclass(ci.ClosedError, ValueError)
    assert issubclass(ci.NotSupportedError, RuntimeError)


@pytest.mark.parametrize("error", [
    ci.CudaError, ci.ClosedError, ci.NotSupportedError, vulkan.VulkanError, ipc.PeerLostError,
    ipc.PeerRefusedError, ipc.ProtocolError])
def test_every_package_error_derives_from_the_one_base(error: type[Exception]) -> None:
    assert issubclass(error, ci.Error)
    assert error is not ci.Error


def test_the_base_is_an_exception_of_its_own() -> None:
    assert ci.Error.__mro__[1] is Exception  # not a RuntimeError: ClosedError is a ValueError
    assert "Error" in ci.__all__
    assert issubclass(ipc.PeerLostError, ConnectionError)
    assert issubclass(ipc.PeerRefusedError, PermissionError)
    assert issubclass(ipc.ProtocolError, ValueError)
    assert issubclass(vulkan.VulkanError, RuntimeError)


def test_cuda_error_attributes_are_typed_and_default_when_raised_by_hand() -> None:
    error = ci.CudaError("made here")
    assert (error.code, error.name, error.call) == (0, "", "")
    assert str(error) == "made here"
    with pytest.raises(AttributeError):
        error.code = 3  # type: ignore[misc]  # read-only, as the stub says


@needs_no_gpu
def test_valid_call_without_gpu_raises_naming_call_and_cause() -> None:
    with pytest.raises(NO_GPU_ERROR) as info:
        ci.Device(0)
    error = info.value
    assert str(error).startswith("cudaGetDeviceCount failed: ")
    if isinstance(error, ci.CudaError):
        assert error.code == 100
        assert error.name == "cudaErrorNoDevice"
        assert error.call == "cudaGetDeviceCount"
    else:
        assert "no NVIDIA driver was found" in str(error)


@needs_no_gpu
def test_import_without_gpu_fails_cleanly_and_leaves_the_fd(no_fd_leak: None) -> None:
    read, write = os.pipe()
    try:
        with pytest.raises(NO_GPU_ERROR):
            ci.ExternalMemory.from_fd(read, 4096, take_ownership=True)
        os.fstat(read)  # a failed import never takes the caller's fd
    finally:
        os.close(read)
        os.close(write)


@needs_no_gpu
def test_devices_is_empty_without_gpu() -> None:
    assert ci.devices() == []
    assert ci.runtime_version() >= 12000  # the wheels link the CUDA 12 runtime


@needs_no_gpu
def test_shared_allocation_without_gpu_raises() -> None:
    with pytest.raises(NO_GPU_ERROR):
        ci.SharedAllocation(1 << 20)
