# SPDX-License-Identifier: Apache-2.0
"""External memory on a real GPU, with SharedAllocation (cuMemCreate) as the exporter."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest

import cuda_interop as ci

pytestmark = pytest.mark.gpu
MiB = 1 << 20


def random_bytes(size: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size, dtype=np.uint8)


def fd_is_closed(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError as error:
        return error.errno == errno.EBADF
    return False


@pytest.fixture
def allocation() -> ci.SharedAllocation:
    with ci.SharedAllocation(8 * MiB, device=0) as shared:
        yield shared


@pytest.mark.parametrize("offset", [0, 4096, 2 * MiB, 8 * MiB - 65536])
def test_mapping_at_offset_sees_exporter_both_ways(allocation: ci.SharedAllocation,
                                                   offset: int) -> None:
    with allocation.to_cuda() as memory, memory.map_buffer(offset, 65536) as buffer:
        assert buffer.offset == offset and buffer.size == 65536
        written = random_bytes(65536, offset)
        buffer.copy_from_host(written)
        np.testing.assert_array_equal(allocation.copy_to_host()[offset:offset + 65536], written)
        back = random_bytes(65536, offset + 1)
        allocation.copy_from_host(back, offset)
        np.testing.assert_array_equal(buffer.copy_to_host(), back)


def test_import_keeps_callers_fd_by_default(allocation: ci.SharedAllocation) -> None:
    fd = allocation.export_fd()
    try:
        with ci.ExternalMemory.from_fd(fd, allocation.size) as memory:
            assert memory.size == allocation.size
            assert memory.handle_type == ci.MemoryHandleType.OPAQUE_FD
        assert not fd_is_closed(fd)
    finally:
        os.close(fd)


def test_take_ownership_closes_callers_fd_after_success(allocation: ci.SharedAllocation) -> None:
    fd = allocation.export_fd()
    with ci.ExternalMemory.from_fd(fd, allocation.size, take_ownership=True):
        assert fd_is_closed(fd)


def test_failed_import_leaves_fd_with_caller_even_with_take_ownership(
        no_fd_leak: None) -> None:
    read, write = os.pipe()  # CUDA rejects a pipe (and closed its own copy when it did)
    try:
        with pytest.raises(ci.CudaError) as info:
            ci.ExternalMemory.from_fd(read, 2 * MiB, take_ownership=True)
        assert info.value.call == "cudaImportExternalMemory"  # type: ignore[attr-defined]
        assert "cudaExternalMemoryHandleTypeOpaqueFd" in str(info.value)
        assert not fd_is_closed(read)
    finally:
        os.close(read)
        os.close(write)


def test_oversized_import_fails_at_mapping_naming_the_call(allocation: ci.SharedAllocation) -> None:
    with allocation.to_cuda() as real, ci.ExternalMemory.from_fd(
            allocation.export_fd(), 2 * allocation.size, take_ownership=True) as memory:
        assert real.size == allocation.size
        with pytest.raises(ci.CudaError, match="cudaExternalMemoryGetMappedBuffer failed"):
            memory.map_buffer()


def test_mapping_range_is_validated_before_cuda(allocation: ci.SharedAllocation) -> None:
    with allocation.to_cuda() as memory:
        with pytest.raises(ValueError, match="exceeds"):
            memory.map_buffer(allocation.size - 4096, 8192)
        with pytest.raises(ValueError, match="not inside"):
            memory.map_buffer(allocation.size)
        with pytest.raises(ValueError):
            memory.map_buffer(-1)


def test_device_out_of_range_is_a_value_error(allocation: ci.SharedAllocation) -> None:
    fd = allocation.export_fd()
    try:
        with pytest.raises(ValueError, match="does not exist"):
            ci.ExternalMemory.from_fd(fd, allocation.size, device=len(ci.devices()))
    finally:
        os.close(fd)


def test_thousand_cycles_leak_no_fds_and_no_device_memory(allocation: ci.SharedAllocation,
                                                          fd_count: object) -> None:
    device = ci.Device(0)

    def cycle() -> None:
        with allocation.to_cuda() as memory, memory.map_buffer() as buffer:
            buffer.fill(1, 0, 4096)

    cycle()
    fds, (free, _) = fd_count(), device.memory_info()  # type: ignore[operator]
    for _ in range(1000):
        cycle()
    assert fd_count() == fds  # type: ignore[operator]
    assert device.memory_info()[0] == free


def test_device_identity(allocation: ci.SharedAllocation) -> None:
    device = ci.Device(0)
    assert len(device.uuid) == 16
    assert ci.Device.from_uuid(device.uuid) == device
    assert device in ci.devices()
    with pytest.raises(ValueError, match="no CUDA device"):
        ci.Device.from_uuid(bytes(16))
