# SPDX-License-Identifier: Apache-2.0
"""DLPack and typed views: zero-copy hand-off to PyTorch, CuPy and JAX."""

from __future__ import annotations

import gc
import os
import sys

import numpy as np
import pytest

import cuda_interop as ci

pytestmark = pytest.mark.gpu
MiB = 1 << 20


@pytest.fixture
def allocation() -> ci.SharedAllocation:
    with ci.SharedAllocation(4 * MiB) as shared:
        yield shared


def test_torch_tensor_is_the_mapping_and_outlives_close(allocation: ci.SharedAllocation) -> None:
    torch = pytest.importorskip("torch")
    memory = allocation.to_cuda()
    buffer = memory.map_buffer()
    tensor = torch.from_dlpack(buffer.view(np.float32, (256, 256, 4)))
    assert tensor.shape == (256, 256, 4) and tensor.dtype == torch.float32
    assert tensor.data_ptr() == buffer.ptr
    tensor.fill_(1.5)
    torch.cuda.synchronize()
    host = allocation.copy_to_host()[: 256 * 256 * 16].view(np.float32)
    assert np.all(host == 1.5)
    buffer.close()
    memory.close()
    assert float(tensor.sum()) == 1.5 * 256 * 256 * 4  # still mapped: the capsule owns a reference


def test_cupy_and_the_buffer_itself_via_dlpack(allocation: ci.SharedAllocation) -> None:
    cupy = pytest.importorskip("cupy")
    with allocation.to_cuda() as memory, memory.map_buffer(MiB, MiB) as buffer:
        allocation.fill(7, MiB, MiB)
        raw = cupy.from_dlpack(buffer)
        assert raw.dtype == cupy.uint8 and raw.shape == (MiB,)
        assert int(raw.sum()) == 7 * MiB
        words = cupy.from_dlpack(buffer.view(np.uint32, (16,), offset=64))
        assert int(words[0]) == 0x07070707


def test_jax_imports_the_view(allocation: ci.SharedAllocation) -> None:
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    jax = pytest.importorskip("jax")
    allocation.copy_from_host(np.arange(1024, dtype=np.int32))
    with allocation.to_cuda() as memory, memory.map_buffer() as buffer:
        array = jax.dlpack.from_dlpack(buffer.view(np.int32, (1024,)))
        assert int(array.sum()) == sum(range(1024))


def test_views_are_checked(allocation: ci.SharedAllocation) -> None:
    with allocation.to_cuda() as memory, memory.map_buffer() as buffer:
        with pytest.raises(ValueError, match="needs"):
            buffer.view(np.float32, (2 * MiB,))
        with pytest.raises(ValueError, match="aligned"):
            buffer.view(np.float32, (4,), offset=2)
        with pytest.raises(TypeError, match="byte order"):
            buffer.view(np.dtype(">f4"))
        with pytest.raises(ValueError, match=r"'bf16'.*bfloat16, float8_e3m4"):
            buffer.view("bf16")
        with pytest.raises(ValueError, match="4-bit type"):
            buffer.view("float4_e2m1fn")
        assert buffer.view(np.complex64).dlpack_dtype == (5, 64, 1)
        view = buffer.view(np.uint16)
        assert view.shape == (2 * MiB,) and view.__dlpack_device__() == (2, buffer.device)
        with pytest.raises(BufferError):
            view.__dlpack__(copy=True)
        with pytest.raises(BufferError):
            view.__dlpack__(dl_device=(1, 0))
        assert view.__cuda_array_interface__["typestr"] == "<u2"


def test_unconsumed_and_consumed_capsules_release_the_mapping() -> None:
    torch = pytest.importorskip("torch")
    device = ci.Device(0)

    def export_and_drop() -> None:
        allocation = ci.SharedAllocation(64 * MiB)
        memory = allocation.to_cuda()
        allocation.close()
        buffer = memory.map_buffer()
        capsule = buffer.__dlpack__(max_version=(1, 0))  # never consumed
        tensor = torch.from_dlpack(buffer.view())
        buffer.close()
        memory.close()
        del capsule, tensor  # the last owners: the mapping, import and allocation go now

    export_and_drop()  # first-use allocations of the runtime and torch are not leaks
    gc.collect()
    free_before = device.memory_info()[0]
    export_and_drop()
    gc.collect()
    torch.cuda.synchronize()
    assert device.memory_info()[0] == free_before


# -- The C exchange API hand-off (view.to_torch(), view.to(type)) ------------------------------
def _torch_cuda() -> object:
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("this PyTorch has no CUDA")
    return torch


@pytest.mark.parametrize("name, shape, offset", [
    ("float32", (256, 256, 4), 0), ("uint8", (4096,), 3), ("bfloat16", (64, 48), 512),
    ("float8_e4m3fn", (8, 16, 12), 4160), ("float8_e5m2", (1000,), 7), ("bool", (5, 7), 1),
    ("complex64", (2, 3), 64), ("int64", (0,), 0),
])
def test_to_torch_is_the_view(allocation: ci.SharedAllocation, name: str,
                              shape: tuple[int, ...], offset: int) -> None:
    torch = _torch_cuda()
    if not hasattr(torch, name):
        pytest.skip(f"PyTorch {torch.__version__} has no {name}")
    with allocation.to_cuda() as memory, memory.map_buffer() as buffer:
        view = buffer.view(name, shape, offset)
        tensor = view.to_torch()
        assert type(tensor) is torch.Tensor and tensor.dtype == getattr(torch, name)
        assert tensor.device == torch.device("cuda", buffer.device)
        assert tuple(tensor.shape) == shape and tensor.is_contiguous()
        assert tensor.stride() == torch.empty(shape, device="meta").stride()
        if tensor.numel():
            assert tensor.data_ptr() == view.ptr == buffer.ptr + offset
        same = torch.from_dlpack(view)  # the Python protocol agrees on every property
        assert (same.data_ptr(), same.shape, same.stride(), same.dtype, same.device) == (
            tensor.data_ptr(), tensor.shape, tensor.stride(), tensor.dtype, tensor.device)


def test_to_torch_uses_the_c_exchange_api() -> None:
    torch = _torch_cuda()
    from cuda_interop import _core, _handoff

    api = getattr(torch.Tensor, "__dlpack_c_exchange_api__", None)
    if api is None:
        pytest.skip(f"PyTorch {torch.__version__} has no DLPack C exchange API (>= 2.10 has)")
    assert _core.dlpack_exchange_api_version(api)[0] == 1
    assert _handoff.route(torch.Tensor).api is api, _handoff.route(torch.Tensor).reason


def test_to_torch_bytes_and_nothing_dangles(allocation: ci.SharedAllocation) -> None:
    torch = _torch_cuda()
    data = np.arange(1 << 16, dtype=np.float32)
    allocation.copy_from_host(data)
    memory = allocation.to_cuda()
    buffer = memory.map_buffer()
    view = buffer.view("float32", (256, 256))
    tensor = view.to_torch()
    del view
    buffer.close()
    memory.close()  # the tensor is the last owner of the mapping
    gc.collect()
    np.testing.assert_array_equal(tensor.cpu().numpy().reshape(-1), data)
    tensor.mul_(2)
    torch.cuda.synchronize()
    np.testing.assert_array_equal(allocation.copy_to_host()[: data.nbytes].view(np.float32),
                                  data * 2)


def test_repeated_to_torch_does_not_leak() -> None:
    torch = _torch_cuda()
    device = ci.Device(0)

    def hand_off_many_and_drop() -> None:
        allocation = ci.SharedAllocation(64 * MiB)
        memory = allocation.to_cuda()
        allocation.close()
        buffer = memory.map_buffer()
        view = buffer.view("bfloat16", (32 * MiB,))
        buffer.close()
        memory.close()
        view.to_torch()  # the first hand-off keeps torch.Tensor's route (a reference to the type)
        references = sys.getrefcount(view), sys.getrefcount(torch.Tensor)
        tensors = [view.to_torch() for _ in range(1000)]
        for _ in range(10000):
            view.to_torch()
        del tensors
        assert (sys.getrefcount(view), sys.getrefcount(torch.Tensor)) == references
        del view  # the last owner: the mapping, import and allocation go now

    hand_off_many_and_drop()  # first-use allocations of the runtime and torch are not leaks
    gc.collect()
    free_before = device.memory_info()[0]
    hand_off_many_and_drop()
    gc.collect()
    torch.cuda.synchronize()
    assert device.memory_info()[0] == free_before


def test_to_other_libraries(allocation: ci.SharedAllocation) -> None:
    """view.to(type) for libraries without a C exchange API: their from_dlpack."""
    allocation.copy_from_host(np.arange(1024, dtype=np.int32))
    with allocation.to_cuda() as memory, memory.map_buffer() as buffer:
        view = buffer.view("int32", (1024,))
        checked = 0
        try:
            import cupy
        except ImportError:
            pass
        else:
            array = view.to(cupy.ndarray)
            assert isinstance(array, cupy.ndarray) and array.data.ptr == view.ptr
            assert int(array.sum()) == sum(range(1024))
            checked += 1
        os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
        try:
            import jax
        except ImportError:
            pass
        else:
            array = view.to(jax.Array)
            assert array.unsafe_buffer_pointer() == view.ptr
            assert int(array.sum()) == sum(range(1024))
            checked += 1
        if not checked:
            pytest.skip("neither CuPy nor JAX is installed")


def test_to_cuda_core_strided_memory_view(allocation: ci.SharedAllocation) -> None:
    """cuda.core's StridedMemoryView publishes a DLPack C exchange API too (recent cuda.core)."""
    pytest.importorskip("cuda.core", reason="cuda.core is not installed")
    smv_type = None
    for name in ("cuda.core.utils", "cuda.core.experimental.utils"):
        try:
            smv_type = getattr(__import__(name, fromlist=["StridedMemoryView"]),
                               "StridedMemoryView", None)
        except ImportError:
            continue
        if smv_type is not None:
            break
    if smv_type is None or getattr(smv_type, "__dlpack_c_exchange_api__", None) is None:
        pytest.skip("this cuda.core's StridedMemoryView has no DLPack C exchange API")
    with allocation.to_cuda() as memory, memory.map_buffer() as buffer:
        view = buffer.view("float32", (64, 32), 256)
        smv = view.to(smv_type)
        assert smv.ptr == view.ptr and tuple(smv.shape) == (64, 32)
        assert smv.dtype == np.float32 and smv.device_id == buffer.device
