# SPDX-License-Identifier: Apache-2.0
"""Mipmapped arrays mapped from external memory (SharedAllocation as exporter)."""

from __future__ import annotations

import numpy as np
import pytest

import cuda_interop as ci

pytestmark = pytest.mark.gpu


@pytest.fixture
def memory() -> ci.ExternalMemory:
    with ci.SharedAllocation(8 << 20) as allocation, allocation.to_cuda() as imported:
        yield imported


def test_levels_round_trip_every_texel(memory: ci.ExternalMemory) -> None:
    with memory.map_mipmapped_array(np.float32, 4, (128, 64, 0), levels=4) as array:
        assert array.levels == 4 and array.extent == (128, 64, 0)
        rng = np.random.default_rng(1)
        for index in range(4):
            level = array.level(index)
            assert level.shape == (64 >> index, 128 >> index, 4)
            data = rng.random(level.shape, dtype=np.float32)
            level.copy_from_host(data)
            np.testing.assert_array_equal(level.copy_to_host(), data)


def test_layered_and_3d_extents(memory: ci.ExternalMemory) -> None:
    with memory.map_mipmapped_array("R8G8B8A8_UINT", None, (32, 32, 6), layered=True) as layered:
        assert layered.level(0).shape == (6, 32, 32, 4)
    with memory.map_mipmapped_array(np.uint16, 1, (16, 16, 16), levels=5) as volume:
        assert volume.level(4).shape == (1, 1, 1)


def test_level_to_and_from_linear_device_memory(memory: ci.ExternalMemory) -> None:
    with ci.SharedAllocation(1 << 20) as scratch, \
            memory.map_mipmapped_array(np.uint8, 4, (64, 64, 0)) as array:
        level = array.level(0)
        data = np.random.default_rng(2).integers(0, 256, level.shape, dtype=np.uint8)
        level.copy_from_host(data)
        level.copy_to_device(scratch.ptr, data.nbytes)
        np.testing.assert_array_equal(scratch.copy_to_host()[:data.nbytes], data.ravel())


def test_invalid_mappings_never_reach_cuda(memory: ci.ExternalMemory) -> None:
    with pytest.raises(ValueError, match="levels"):
        memory.map_mipmapped_array(np.float32, 1, (64, 64, 0), levels=0)
    with pytest.raises(ValueError, match="exceeds"):
        memory.map_mipmapped_array(np.float32, 1, (64, 64, 0), levels=8)
    with pytest.raises(ValueError, match="layer count"):
        memory.map_mipmapped_array(np.float32, 1, (64, 64, 0), layered=True)
    with pytest.raises(ValueError, match="cubemap"):
        memory.map_mipmapped_array(np.float32, 1, (64, 32, 6), cubemap=True)
    # 16 MiB of texels in the 8 MiB import, 16 KiB in its last 8 KiB: refused before CUDA maps
    with pytest.raises(ValueError, match="texels take at least 16777216 bytes"):
        memory.map_mipmapped_array(np.float32, 4, (1024, 1024, 0))
    with pytest.raises(ValueError, match="texels take at least 16384 bytes"):
        memory.map_mipmapped_array(np.float32, 4, (32, 32, 0), offset=(8 << 20) - 8192)


def test_surface_and_texture_objects_keep_the_array_alive(memory: ci.ExternalMemory) -> None:
    array = memory.map_mipmapped_array(np.float32, 1, (64, 64, 0), levels=2,
                                       surface_load_store=True)
    surface = array.level(1).create_surface_object()
    texture = array.create_texture_object(linear_filter=True, normalized_coordinates=True)
    array.close()
    assert surface.handle != 0 and texture.handle != 0
    surface.close()
    texture.close()
    with pytest.raises(ci.ClosedError):
        _ = texture.handle
