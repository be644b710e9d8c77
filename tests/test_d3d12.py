# SPDX-License-Identifier: Apache-2.0
"""cuda_interop.d3d12: clean errors where Direct3D 12 is missing, and on Windows with a CUDA GPU
the user's four imports (heap and committed resource, each by NT handle and by name) with
byte-exact round trips both ways, fences both ways, textures as mipmapped arrays, and handle
ownership."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from conftest import check_one_channel_levels

import cuda_interop as ci
from cuda_interop import d3d12

windows_gpu = [pytest.mark.windows, pytest.mark.gpu]


# -- Everywhere: the module imports and says what it can do ----------------------------------
def test_module_imports_and_reports_availability() -> None:
    assert isinstance(d3d12.available, bool)
    if d3d12.available:
        assert d3d12.unavailable_reason is None
    else:
        assert d3d12.unavailable_reason


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows behaviour")
def test_unavailable_off_windows_with_clean_errors() -> None:
    assert d3d12.available is False
    assert d3d12.unavailable_reason is not None
    assert "Windows-only" in d3d12.unavailable_reason
    with pytest.raises(ci.NotSupportedError, match="Windows-only"):
        d3d12.adapters()
    with pytest.raises(ci.NotSupportedError, match="Windows-only"):
        d3d12.Device()
    with pytest.raises(ci.NotSupportedError, match="Windows-only"):
        d3d12.Device(luid=bytes(8))
    with pytest.raises(ci.NotSupportedError, match="Windows-only"):
        d3d12.Device(adapter_index=0)
    with pytest.raises(ci.NotSupportedError, match="Windows-only"):
        d3d12.hresult_name(0x80004001)
    with pytest.raises(ci.NotSupportedError, match="Windows-only"):
        d3d12.close_handle(4)


def test_error_types_are_the_packages() -> None:
    assert d3d12.NotSupportedError is ci.NotSupportedError
    assert d3d12.ClosedError is ci.ClosedError
    assert issubclass(d3d12.ClosedError, ValueError)


def test_flag_and_format_values_are_the_sdks() -> None:
    assert d3d12.HeapFlags.ALLOW_ONLY_BUFFERS == 0xC0
    assert d3d12.ResourceFlags.ALLOW_SIMULTANEOUS_ACCESS == 0x20
    assert d3d12.Format.R8G8B8A8_UNORM == 28
    assert d3d12.Format.R32_FLOAT == 41
    assert d3d12.Heap.alignment == 64 * 1024


# -- Windows with a CUDA GPU -----------------------------------------------------------------
def _kernel32() -> Any:
    assert sys.platform == "win32"
    import ctypes

    return ctypes.WinDLL("kernel32", use_last_error=True)


def _handle_count() -> int:
    import ctypes

    count = ctypes.c_ulong()
    assert _kernel32().GetProcessHandleCount(_kernel32().GetCurrentProcess(), ctypes.byref(count))
    return count.value


def _handle_is_open(handle: int) -> bool:
    import ctypes

    flags = ctypes.c_ulong()
    return bool(_kernel32().GetHandleInformation(ctypes.c_void_p(handle), ctypes.byref(flags)))


def _name(what: str) -> str:
    return f"cuda-interop-test-{what}-{os.getpid()}"


def _data(size: int, seed: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    return np.random.default_rng(seed).integers(0, 256, size, dtype=np.uint8)


@pytest.fixture
def d3d() -> Iterator[d3d12.Device]:
    with d3d12.Device(ci.Device(0)) as device:
        yield device


def _round_trip(resource: d3d12.Buffer, memory: ci.ExternalMemory, offset: int = 0) -> None:
    """D3D12 upload → CUDA reads; CUDA writes → D3D12 download; both byte-exact."""
    size = resource.size
    with memory.map_buffer(offset, size) as mapped:
        sent = _data(size, 1)
        resource.upload(sent)
        np.testing.assert_array_equal(mapped.copy_to_host(), sent)
        answer = _data(size, 2)
        mapped.copy_from_host(answer)
        np.testing.assert_array_equal(resource.download(), answer)


@pytest.mark.windows
@pytest.mark.gpu
def test_device_matches_cuda_luid(d3d: d3d12.Device) -> None:
    cuda = ci.Device(0)
    assert d3d.luid == cuda.luid
    assert any(adapter.luid == cuda.luid for adapter in d3d12.adapters())
    with pytest.raises(ValueError, match="no DXGI adapter has luid"):
        d3d12.Device(luid=b"\xde\xad\xbe\xef\xfe\xed\xfa\xce")


@pytest.mark.windows
@pytest.mark.gpu
def test_heap_by_nt_handle(d3d: d3d12.Device) -> None:
    with d3d.create_heap(1 << 20) as heap, heap.create_placed_buffer(0, 300_000) as buffer:
        handle = heap.share()
        with ci.ExternalMemory.from_d3d12_heap(handle, heap.allocation_size,
                                               take_ownership=True) as memory:
            assert not _handle_is_open(handle)
            _round_trip(buffer, memory)


@pytest.mark.windows
@pytest.mark.gpu
def test_heap_by_name(d3d: d3d12.Device) -> None:
    with d3d.create_heap(1 << 20) as heap, \
            heap.create_placed_buffer(heap.alignment, 65_536) as buffer:
        name = _name("heap")
        handle = heap.share(name)
        try:
            with ci.ExternalMemory.from_d3d12_heap(name, heap.allocation_size) as memory:
                _round_trip(buffer, memory, offset=buffer.heap_offset)
        finally:
            d3d12.close_handle(handle)


@pytest.mark.windows
@pytest.mark.gpu
def test_committed_resource_by_nt_handle(d3d: d3d12.Device) -> None:
    with d3d.create_committed_buffer(100_003) as buffer:
        assert buffer.allocation_size >= buffer.size
        handle = buffer.share()
        with ci.ExternalMemory.from_d3d12_resource(handle, buffer.allocation_size,
                                                   take_ownership=True) as memory:
            assert memory.dedicated
            _round_trip(buffer, memory)


@pytest.mark.windows
@pytest.mark.gpu
def test_committed_resource_by_name(d3d: d3d12.Device) -> None:
    with d3d.create_committed_buffer(4096) as buffer:
        name = _name("buffer")
        handle = buffer.share(name)
        try:
            reopened = d3d.open_shared_handle_by_name(name)
            d3d12.close_handle(reopened)
            with ci.ExternalMemory.from_d3d12_resource(name, buffer.allocation_size) as memory:
                _round_trip(buffer, memory)
        finally:
            d3d12.close_handle(handle)


@pytest.mark.windows
@pytest.mark.gpu
@pytest.mark.parametrize("by_name", [False, True])
def test_to_cuda_picks_the_import(d3d: d3d12.Device, by_name: bool) -> None:
    name = _name(f"to-cuda-{by_name}")
    with d3d.create_heap_buffer(65_536) as placed, \
            placed.to_cuda(name=name + "-heap" if by_name else None) as memory:
        assert not memory.dedicated
        _round_trip(placed, memory, offset=placed.heap_offset)
    with d3d.create_committed_buffer(65_536) as committed, \
            committed.to_cuda(name=name if by_name else None) as memory:
        assert memory.dedicated
        assert memory.size == committed.allocation_size
        _round_trip(committed, memory)


@pytest.mark.windows
@pytest.mark.gpu
def test_fences_order_both_ways(d3d: d3d12.Device) -> None:
    with d3d.create_fence() as fence, fence.to_cuda() as semaphore, \
            d3d.create_committed_buffer(1 << 16) as buffer, buffer.to_cuda() as memory, \
            memory.map_buffer() as mapped:
        sent = _data(buffer.size, 3)
        buffer.upload(sent)
        fence.queue_signal(1)         # D3D12 queue signal → CUDA wait
        semaphore.wait(1)
        np.testing.assert_array_equal(mapped.copy_to_host()[: buffer.size], sent)
        answer = _data(buffer.size, 4)
        mapped.copy_from_host(answer)
        semaphore.signal(2)           # CUDA signal → D3D12 queue wait → download after it
        fence.queue_wait(2)
        np.testing.assert_array_equal(buffer.download(), answer)
        assert fence.wait(2, timeout=10)
        assert fence.completed_value() >= 2


@pytest.mark.windows
@pytest.mark.gpu
def test_texture_as_mipmapped_array(d3d: d3d12.Device) -> None:
    levels = 3
    with d3d.create_texture2d(64, 32, d3d12.Format.R8G8B8A8_UINT, mip_levels=levels) as texture, \
            texture.to_cuda() as memory:
        dtype, channels = texture.cuda_format
        with memory.map_mipmapped_array(dtype, channels, (64, 32, 0), levels) as array:
            for level in range(levels):
                shape = (32 >> level, 64 >> level, 4)
                sent = _data(int(np.prod(shape)), 10 + level).reshape(shape)
                texture.upload(level, sent)
                np.testing.assert_array_equal(
                    np.asarray(array.level(level).copy_to_host()).reshape(shape), sent)
                answer = _data(sent.size, 20 + level).reshape(shape)
                array.level(level).copy_from_host(answer)
                np.testing.assert_array_equal(texture.download(level), answer)


@pytest.mark.windows
@pytest.mark.gpu
def test_one_channel_texture_downloads_as_height_width(d3d: d3d12.Device) -> None:
    with d3d.create_texture2d(16, 8, d3d12.Format.R8_UNORM, mip_levels=2) as texture:
        check_one_channel_levels(texture)


@pytest.mark.windows
@pytest.mark.gpu
def test_take_ownership_closes_and_default_leaves_open(d3d: d3d12.Device) -> None:
    with d3d.create_committed_buffer(4096) as buffer:
        handle = buffer.share()
        with ci.ExternalMemory.from_d3d12_resource(handle, buffer.allocation_size):
            assert _handle_is_open(handle)  # default: the caller keeps it
        d3d12.close_handle(handle)
        handle = buffer.share()
        with ci.ExternalMemory.from_d3d12_resource(handle, buffer.allocation_size,
                                                   take_ownership=True):
            assert not _handle_is_open(handle)
        handle = buffer.share()
        with pytest.raises(ValueError):  # rejected before CUDA: the caller still owns it
            ci.ExternalMemory.from_d3d12_resource(handle, 0, take_ownership=True)
        assert _handle_is_open(handle)
        d3d12.close_handle(handle)


@pytest.mark.windows
@pytest.mark.gpu
def test_no_handle_leak(d3d: d3d12.Device) -> None:
    with d3d.create_committed_buffer(4096) as buffer, d3d.create_fence() as fence:
        for _ in range(3):  # warm up: CUDA and the runtime open their own handles once
            buffer.to_cuda().close()
            fence.to_cuda().close()
        before = _handle_count()
        for _ in range(50):
            buffer.to_cuda().close()
            fence.to_cuda().close()
            with d3d.create_heap(65_536) as heap:
                heap.to_cuda().close()
        assert _handle_count() - before < 10
