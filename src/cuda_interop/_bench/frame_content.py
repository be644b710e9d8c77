# SPDX-License-Identifier: Apache-2.0
"""What the batched frame loops carry: `batch` rendered frames, each the same random bytes with
its own index in its first 8 bytes, so a check sees both the bytes and the frames' order.

The producer (one process or the producer process) uploads them once; the consumer checks the
head of every frame it copied out against :func:`expected_head`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .arrays import DeviceArrays, HostBytes
from .random_bytes import random_bytes

CHECKED_BYTES = 4096  # the head of each frame that is compared
MARKER_BYTES = 8  # the frame's index, little-endian, at its start
SEED = 3


def frame(frame_nbytes: int, index: int) -> HostBytes:
    """Frame `index` of a batch: random bytes (the same for every index) led by the index."""
    data = random_bytes(frame_nbytes, seed=SEED)
    _mark(data, index)
    return data


def _mark(data: HostBytes, index: int) -> None:
    marker = np.array([index], dtype="<u8").view(np.uint8)
    count = min(MARKER_BYTES, int(data.size))
    data[:count] = marker[:count]


def expected_head(frame_nbytes: int, index: int, count: int = CHECKED_BYTES) -> HostBytes:
    """The first `count` bytes of frame `index` (without drawing the whole frame)."""
    count = min(count, frame_nbytes)
    data = random_bytes(count, seed=SEED)  # the generator's stream does not depend on the length
    _mark(data, index)
    return data


def upload_frames(buffer: Any, frame_nbytes: int, batch: int) -> None:
    """Write frames 0 .. `batch` - 1 back to back into the Vulkan `buffer`."""
    data = random_bytes(frame_nbytes, seed=SEED)
    for index in range(batch):
        _mark(data, index)
        buffer.upload(data, offset=index * frame_nbytes)


def check_frames(arrays: DeviceArrays, out: Any, frame_nbytes: int, batch: int,
                 path: str) -> None:
    """Raise AssertionError unless the device array `out` holds frames 0 .. `batch` - 1."""
    for index in range(batch):
        start = index * frame_nbytes
        expected = expected_head(frame_nbytes, index)
        got = arrays.head(out[start:start + expected.size], int(expected.size))
        if not np.array_equal(got, expected):
            raise AssertionError(f"{path}: frame {index} of a batch of {batch} arrived with "
                                 "wrong bytes")
