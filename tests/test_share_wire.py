# SPDX-License-Identifier: Apache-2.0
"""The share descriptors' wire form (``to_wire`` / ``from_wire``): every field but the handle, as
the JSON object ipc sends beside the fd. Written once in the bindings; these tests hold it to the
format the ipc peers speak, and attack the decoder as a hostile peer would."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import pytest

import cuda_interop as ci

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="shares file descriptors")

UUID = bytes(range(16))
IMAGE = {"kind": 1, "bits": 8, "channels": 4, "extent": [64, 32, 0], "levels": 3, "flags": 0,
         "offset": 0}
MEMORY = {"kind": "memory", "type": 1, "device_uuid": UUID.hex(), "size": 1 << 20,
          "dedicated": True, "image": IMAGE}
SEMAPHORE = {"kind": "semaphore", "type": 9, "device_uuid": None}


def new_fd() -> int:
    return os.memfd_create("share")  # a kind of fd an exported handle can be


def test_memory_share_travels_whole() -> None:
    fd = new_fd()
    layout = ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 4, (64, 32, 0), 3)
    with ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, fd, 1 << 20, dedicated=True,
                        device_uuid=UUID, image=layout) as share:
        wire = share.to_wire()
        assert wire == MEMORY
        assert json.loads(json.dumps(wire)) == wire  # plain JSON types only
        copy = ci.MemoryShare.from_wire(json.loads(json.dumps(wire)), os.dup(fd))
    with copy:
        assert (copy.type, copy.size, copy.dedicated, copy.device_uuid, copy.device_luid) == (
            ci.MemoryHandleType.OPAQUE_FD, 1 << 20, True, UUID, None)
        assert copy.image == layout
        assert copy.owned and copy.to_wire() == MEMORY


def test_semaphore_share_travels_whole() -> None:
    fd = new_fd()
    with ci.SemaphoreShare(ci.SemaphoreHandleType.TIMELINE_SEMAPHORE_FD, fd) as share:
        assert share.to_wire() == SEMAPHORE
        copy = ci.SemaphoreShare.from_wire(share.to_wire(), os.dup(fd))
    with copy:
        assert copy.type == ci.SemaphoreHandleType.TIMELINE_SEMAPHORE_FD
        assert copy.device_uuid is None and copy.owned


def test_from_wire_owns_the_handle_it_returns_with() -> None:
    fd = new_fd()
    share = ci.MemoryShare.from_wire(dict(MEMORY, image=None), fd)
    share.close()
    with pytest.raises(OSError):
        os.fstat(fd)


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    message = dict(base)
    for name, value in changes.items():
        if value is _DROP:
            del message[name]
        else:
            message[name] = value
    return message


_DROP = object()


@pytest.mark.parametrize(("message", "words"), [
    ([], "a message is a JSON object, got list"),
    (_with(MEMORY, kind="semaphore"), "expected a 'memory' share, got kind 'semaphore'"),
    (_with(MEMORY, kind=_DROP), "expected a 'memory' share, got kind None"),
    (_with(MEMORY, type=True), "field 'type' must be a int, got True"),
    (_with(MEMORY, type="1"), "field 'type' must be a int, got '1'"),
    (_with(MEMORY, type=99), "unknown cudaExternalMemoryHandleType 99"),
    (_with(MEMORY, type=-1), "unknown handle type -1"),
    (_with(MEMORY, type=2**70), f"type must fit in 64 bits (|type| < 2**63), got {2**70}"),
    (_with(MEMORY, size=_DROP), "field 'size' must be a int, got None"),
    (_with(MEMORY, size=1.5), "field 'size' must be a int, got 1.5"),
    (_with(MEMORY, size=-1), "size must be > 0, got -1"),
    (_with(MEMORY, size=0), "size must be > 0, got 0"),
    (_with(MEMORY, dedicated="false"), "field 'dedicated' must be a bool, got 'false'"),
    (_with(MEMORY, dedicated=0), "field 'dedicated' must be a bool, got 0"),
    (_with(MEMORY, device_uuid="00"), "field 'device_uuid' must be 32 hex digits, got '00'"),
    (_with(MEMORY, device_uuid="zz" * 16),
     f"field 'device_uuid' must be 32 hex digits, got '{'zz' * 16}'"),
    (_with(MEMORY, device_uuid=7), "field 'device_uuid' must be 32 hex digits, got 7"),
    (_with(MEMORY, image=[]), "field 'image' must be an object, got []"),
    (_with(MEMORY, image=_with(IMAGE, extent=[1, 2])),
     "image field 'extent' must be three ints, got [1, 2]"),
    (_with(MEMORY, image=_with(IMAGE, extent=[1, 2, True])),
     "image field 'extent' must be three ints, got [1, 2, True]"),
    (_with(MEMORY, image=_with(IMAGE, kind=7)),
     "image field 'kind' must be 0 (signed), 1 (unsigned) or 2 (float), got 7"),
    (_with(MEMORY, image=_with(IMAGE, bits="8")), "image field 'bits' must be a int, got '8'"),
    (_with(MEMORY, image=_with(IMAGE, levels=0)), "levels must be > 0, got 0"),
    (_with(MEMORY, image=_with(IMAGE, extent=[-1, 2, 0])), "extent width must be >= 0, got -1"),
    (_with(MEMORY, image=_with(IMAGE, offset=-4096)), "offset must be >= 0, got -4096"),
], ids=lambda value: None if isinstance(value, str) else "")
def test_malformed_messages_are_refused_and_leave_the_handle_to_the_caller(
        message: Any, words: str) -> None:
    fd = new_fd()
    try:
        with pytest.raises(ValueError) as raised:
            ci.MemoryShare.from_wire(message, fd)
        assert str(raised.value) == words
        os.fstat(fd)  # still open: the caller closes it
    finally:
        os.close(fd)


@pytest.mark.parametrize("handle", [-1, None, 1.5, "3"])
def test_a_bad_handle_is_refused(handle: Any) -> None:
    with pytest.raises((TypeError, ValueError), match=r"^(fd|handle) must be"):
        ci.SemaphoreShare.from_wire(SEMAPHORE, handle)


def test_a_semaphore_message_is_not_a_memory_share() -> None:
    with pytest.raises(ValueError, match="expected a 'semaphore' share, got kind 'memory'"):
        ci.SemaphoreShare.from_wire(MEMORY, 0)
