# SPDX-License-Identifier: Apache-2.0
"""Random test data: incompressible, so compression cannot flatter one memory over another."""

from __future__ import annotations

from typing import Any

import numpy as np

from .arrays import DeviceArrays, HostBytes

BLOCK = 64 << 20  # random bytes drawn on the host; larger buffers repeat the block on the GPU


def random_bytes(count: int, seed: int) -> HostBytes:
    """`count` random bytes (a writable array), drawn 8 at a time because that is fast."""
    words = np.random.default_rng(seed).integers(0, np.iinfo(np.uint64).max, -(-count // 8),
                                                 dtype=np.uint64, endpoint=True)
    return words.view(np.uint8)[:count].copy()


def fill_random(arrays: DeviceArrays, target: Any, size: int, block: HostBytes) -> None:
    """Fill the first `size` bytes of the device array `target` with `block`, repeated."""
    staging = arrays.upload(block)
    length = int(block.size)
    for offset in range(0, size, length):
        count = min(length, size - offset)
        arrays.copy(target[offset:offset + count], staging[:count])
    arrays.synchronize()
