# SPDX-License-Identifier: Apache-2.0
"""Two GPUs: objects live on their own device whatever device is current."""

from __future__ import annotations

import numpy as np
import pytest

import cuda_interop as ci
from cuda_interop import _core

MiB = 1 << 20
pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(len(ci.devices()) < 2, reason="needs two CUDA devices"),
]


def test_import_on_device_1_while_device_0_is_current() -> None:
    assert _core.current_device() == 0
    with ci.SharedAllocation(4 * MiB, device=1) as allocation, \
            allocation.to_cuda(device=1) as memory, memory.map_buffer() as buffer:
        assert memory.device == 1 and buffer.device == 1
        data = np.random.default_rng(0).integers(0, 256, 4 * MiB, dtype=np.uint8)
        buffer.copy_from_host(data)
        np.testing.assert_array_equal(allocation.copy_to_host(), data)
    assert _core.current_device() == 0  # every call ran on device 1 and restored device 0


def test_vulkan_context_matches_cuda_device_1() -> None:
    from cuda_interop import vulkan

    if not vulkan.available:
        pytest.skip(vulkan.unavailable_reason or "")
    with vulkan.Context(1) as ctx:
        assert ctx.physical_device.uuid == ci.Device(1).uuid
        assert ctx.physical_device.uuid != ci.Device(0).uuid
        with ctx.create_buffer(4 * MiB) as buffer, buffer.to_cuda() as memory, \
                memory.map_buffer() as mapped:
            assert memory.device == 1
            assert _core.current_device() == 0
            data = np.random.default_rng(1).integers(0, 256, 4 * MiB, dtype=np.uint8)
            buffer.upload(data)
            np.testing.assert_array_equal(mapped.copy_to_host(), data)
