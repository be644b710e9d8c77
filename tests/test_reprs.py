# SPDX-License-Identifier: Apache-2.0
"""Share descriptors and image layouts print what they hold (the guide shows these)."""

from __future__ import annotations

import os
import re
import uuid

import pytest

import cuda_interop as ci

needs_memfd = pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="needs memfd_create")


@needs_memfd
def test_memory_share_repr_names_type_handle_size_flag_and_device() -> None:
    device = uuid.UUID("12345678-9abc-def0-1234-56789abcdef0")
    fd = os.memfd_create("repr")
    with ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, fd, 4096, dedicated=True,
                        device_uuid=device.bytes) as share:
        assert repr(share) == (f"MemoryShare(OPAQUE_FD, fd={fd}, size=4096, dedicated, "
                               f"device=GPU-{device})")
    assert repr(share) == (f"MemoryShare(OPAQUE_FD, closed, size=4096, dedicated, "
                           f"device=GPU-{device})")


@needs_memfd
def test_memory_share_repr_shows_the_image_layout_and_a_borrowed_handle() -> None:
    layout = ci.ImageLayout(ci.ChannelKind.FLOAT, 32, 4, (64, 32, 0), levels=2)
    fd = os.memfd_create("repr")
    try:
        share = ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, fd, 1 << 20, image=layout,
                               owned=False)
        assert repr(share) == (f"MemoryShare(OPAQUE_FD, fd={fd} (not owned), size=1048576, "
                               f"image={layout!r})")
    finally:
        os.close(fd)


def test_image_layout_repr_names_the_channel_kind() -> None:
    layout = ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 4, (1920, 1080, 0))
    assert repr(layout) == ("ImageLayout(UNSIGNED 4x8-bit, extent=(1920, 1080, 0), levels=1, "
                            "flags=0, offset=0)")


@needs_memfd
def test_semaphore_share_repr() -> None:
    fd = os.memfd_create("repr")  # any fd: the descriptor is not imported here
    with ci.SemaphoreShare(ci.SemaphoreHandleType.TIMELINE_SEMAPHORE_FD, fd) as share:
        assert repr(share) == f"SemaphoreShare(TIMELINE_SEMAPHORE_FD, fd={fd})"
        assert share.release() == fd
    os.close(fd)
    assert repr(share) == "SemaphoreShare(TIMELINE_SEMAPHORE_FD, closed)"


def test_named_shares_print_their_name() -> None:
    share = ci.SemaphoreShare(ci.SemaphoreHandleType.D3D12_FENCE, "Global\\frames")
    assert repr(share) == "SemaphoreShare(D3D12_FENCE, name='Global\\\\frames')"


def test_no_default_object_repr() -> None:
    for value in (ci.ImageLayout(ci.ChannelKind.SIGNED, 16, 1, (8, 0, 0)),
                  ci.SemaphoreShare(ci.SemaphoreHandleType.D3D12_FENCE, "x")):
        assert not re.search(r"object at 0x", repr(value)), repr(value)
