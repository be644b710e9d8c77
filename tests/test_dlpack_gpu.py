# SPDX-License-Identifier: Apache-2.0
"""DLPack and typed views: zero-copy hand-off to PyTorch, CuPy and JAX."""

from __future__ import annotations

import gc
import os

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
        with pytest.raises(TypeError):
            buffer.view(np.complex64)
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
