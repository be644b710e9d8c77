# SPDX-License-Identifier: Apache-2.0
"""The rules of docs/ownership.md (ownership and lifetime) on a real GPU."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import cuda_interop as ci

pytestmark = pytest.mark.gpu
MiB = 1 << 20


def test_close_is_idempotent_and_use_after_close_raises() -> None:
    allocation = ci.SharedAllocation(2 * MiB)
    memory = allocation.to_cuda()
    buffer = memory.map_buffer()
    for owner in (buffer, memory, allocation):
        assert not owner.closed
        owner.close()
        owner.close()
        assert owner.closed
    with pytest.raises(ci.ClosedError, match="MappedBuffer is closed"):
        _ = buffer.ptr
    with pytest.raises(ci.ClosedError, match="ExternalMemory is closed"):
        memory.map_buffer()
    with pytest.raises(ci.ClosedError):
        allocation.export_fd()
    with pytest.raises(ValueError):  # ClosedError is a ValueError, like a closed file
        _ = memory.size


def test_with_closes_and_returns_self() -> None:
    with ci.SharedAllocation(2 * MiB) as allocation, allocation.to_cuda() as memory:
        assert isinstance(memory, ci.ExternalMemory)
    assert memory.closed and allocation.closed


def test_mapping_keeps_memory_and_exporter_alive() -> None:
    allocation = ci.SharedAllocation(2 * MiB)
    data = np.arange(2 * MiB, dtype=np.uint8)
    allocation.copy_from_host(data)
    memory = allocation.to_cuda()
    buffer = memory.map_buffer()
    memory.close()
    allocation.close()  # the import holds its own reference to the physical memory
    np.testing.assert_array_equal(buffer.copy_to_host(), data)
    buffer.close()


def test_cai_consumer_outlives_close() -> None:
    cupy = pytest.importorskip("cupy")
    allocation = ci.SharedAllocation(2 * MiB)
    allocation.fill(9)
    buffer = allocation.to_cuda().map_buffer()
    array = cupy.asarray(buffer)
    buffer.close()  # cupy still holds `buffer`; the mapping must stay valid
    assert buffer.closed
    assert int(array.sum()) == 9 * 2 * MiB


def test_torch_sees_the_mapping_through_cai() -> None:
    torch = pytest.importorskip("torch")
    with ci.SharedAllocation(2 * MiB) as allocation, allocation.to_cuda() as memory:
        buffer = memory.map_buffer()
        tensor = torch.as_tensor(buffer, device="cuda")
        tensor.fill_(3)
        torch.cuda.synchronize()
        assert int(allocation.copy_to_host()[123]) == 3


def test_forked_child_does_not_free_the_parents_objects() -> None:
    # In a fresh interpreter: frameworks loaded by other tests install at-fork hooks of their own.
    script = textwrap.dedent("""
        import os
        import cuda_interop as ci
        allocation = ci.SharedAllocation(1 << 21)
        allocation.fill(5)
        memory = allocation.to_cuda()
        buffer = memory.map_buffer()
        pid = os.fork()
        if pid == 0:  # the child drops everything: it must not touch the parent's CUDA objects
            buffer.close()
            memory.close()
            allocation.close()
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert int(buffer.copy_to_host()[0]) == 5
        print("parent still mapped")
    """)
    result = subprocess.run([sys.executable, "-W", "error", "-c", script], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "parent still mapped" in result.stdout


def test_objects_alive_at_interpreter_exit_are_torn_down_quietly() -> None:
    script = textwrap.dedent("""
        import cuda_interop as ci
        allocation = ci.SharedAllocation(1 << 21)
        memory = allocation.to_cuda()
        buffer = memory.map_buffer()
        keep = [allocation, memory, buffer]
    """)
    result = subprocess.run([sys.executable, "-W", "error", "-c", script], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
