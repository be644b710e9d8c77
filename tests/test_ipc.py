# SPDX-License-Identifier: Apache-2.0
"""Sharing memory and semaphores between processes (ipc over a Unix socket)."""

from __future__ import annotations

import array
import json
import os
import socket
import struct
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import cuda_interop as ci
from cuda_interop import ipc

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="passes file descriptors")


class Pipe:
    """A stand-in exporter: each share holds a new fd of a pipe (CUDA cannot import it)."""

    def __init__(self) -> None:
        self.read, self.write = os.pipe()

    def export_share(self) -> ci.MemoryShare:
        return ci.MemoryShare(ci.MemoryHandleType.OPAQUE_FD, os.dup(self.read), 1 << 20,
                              dedicated=True, device_uuid=bytes(range(16)),
                              image=ci.ImageLayout(ci.ChannelKind.UNSIGNED, 8, 4, (64, 32, 0), 3))

    def export_semaphore(self) -> ci.SemaphoreShare:
        return ci.SemaphoreShare(ci.SemaphoreHandleType.TIMELINE_SEMAPHORE_FD, os.dup(self.read))

    def close(self) -> None:
        os.close(self.read)
        os.close(self.write)


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    right.settimeout(5)
    yield left, right
    left.close()
    right.close()


@pytest.fixture
def pipe() -> Iterator[Pipe]:
    exporter = Pipe()
    yield exporter
    exporter.close()


def test_every_field_of_a_share_travels(no_fd_leak: None, pair: Any, pipe: Pipe) -> None:
    left, right = pair
    ipc.send_memory(left, pipe)
    share = ipc.receive_share(right, "memory")
    expected = pipe.export_share()
    try:
        assert isinstance(share, ci.MemoryShare) and share.owned
        assert (share.type, share.size, share.dedicated, share.device_uuid) == (
            expected.type, expected.size, expected.dedicated, expected.device_uuid)
        assert share.image == expected.image
        assert os.fstat(share.handle).st_ino == os.fstat(pipe.read).st_ino  # the same pipe
    finally:
        share.close()
        expected.close()
    ipc.send_semaphore(left, pipe.export_semaphore())
    semaphore = ipc.receive_share(right, "semaphore")
    assert semaphore.type == ci.SemaphoreHandleType.TIMELINE_SEMAPHORE_FD
    semaphore.close()


def test_sender_keeps_nothing_and_a_failed_import_closes_the_received_fd(
        no_fd_leak: None, pair: Any, pipe: Pipe) -> None:
    left, right = pair
    ipc.send_memory(left, pipe)
    with pytest.raises((ci.CudaError, ValueError)):
        ipc.receive_memory(right)
    ipc.send_semaphore(left, pipe.export_semaphore())
    with pytest.raises((ci.CudaError, ValueError)):
        ipc.receive_semaphore(right)


def test_messages_of_the_wrong_kind_are_refused(no_fd_leak: None, pair: Any, pipe: Pipe) -> None:
    left, right = pair
    ipc.send_semaphore(left, pipe.export_semaphore())
    with pytest.raises(ipc.ProtocolError, match="'memory'"):
        ipc.receive_memory(right)


def test_objects_without_a_share_are_refused() -> None:
    with socket.socket(socket.AF_UNIX) as sock, pytest.raises(TypeError, match="export_share"):
        ipc.send_memory(sock, object())  # type: ignore[arg-type]


def _raw(sock: socket.socket, payload: bytes, fds: list[int]) -> None:
    ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
    sock.sendmsg([payload], ancillary)


def _frame(body: bytes, magic: bytes = b"CIs1") -> bytes:
    return struct.pack(">4sI", magic, len(body)) + body


GOOD = json.dumps({"kind": "memory", "type": 1, "size": 4096, "dedicated": False,
                   "device_uuid": None, "image": None}).encode()


@pytest.mark.parametrize(("payload", "fd_count", "match"), [
    (_frame(GOOD, magic=b"XXXX"), 1, "magic"),
    (struct.pack(">4sI", b"CIs1", 1 << 30), 1, "at most"),
    (_frame(b"{not json"), 1, "not JSON"),
    (_frame(b"[" * 100000), 1, "at most|not JSON"),
    (_frame(b"[1]"), 1, "JSON object"),
    (_frame(GOOD), 0, "exactly one fd"),
    (_frame(GOOD), 2, "exactly one fd"),
    (_frame(GOOD.replace(b'"dedicated": false', b'"dedicated": "false"')), 1, "dedicated"),
    (_frame(GOOD.replace(b'"size": 4096', b'"size": "abc"')), 1, "size"),
    (_frame(GOOD.replace(b'"size": 4096', b'"size": -1')), 1, "size must be > 0"),
    (_frame(GOOD.replace(b'"type": 1', b'"type": 99')), 1, "invalid"),
    (_frame(GOOD.replace(b'"device_uuid": null', b'"device_uuid": "zz"')), 1, "device_uuid"),
    (_frame(GOOD.replace(b'"image": null', b'"image": {"extent": [1]}')), 1, "extent"),
])
def test_malformed_messages_are_refused_and_their_fds_closed(
        no_fd_leak: None, pair: Any, payload: bytes, fd_count: int, match: str) -> None:
    left, right = pair
    fds = [os.open(os.devnull, os.O_RDONLY) for _ in range(fd_count)]
    try:
        _raw(left, payload, fds)
    finally:
        for fd in fds:
            os.close(fd)
    with pytest.raises(ipc.ProtocolError, match=match):
        ipc.receive_share(right, "memory")


def test_a_peer_that_hangs_up_mid_message_is_a_connection_error(no_fd_leak: None,
                                                                  pair: Any) -> None:
    left, right = pair
    fd = os.open(os.devnull, os.O_RDONLY)
    try:
        _raw(left, _frame(GOOD)[:20], [fd])
    finally:
        os.close(fd)
    left.close()
    with pytest.raises(ConnectionError):
        ipc.receive_share(right, "memory")


def test_a_silent_peer_times_out(pair: Any) -> None:
    _, right = pair
    right.settimeout(0.05)
    with pytest.raises(TimeoutError):
        ipc.receive_share(right, "memory")


@pytest.mark.gpu
def test_another_process_writes_our_allocation() -> None:
    child = textwrap.dedent("""
        import socket, sys
        import numpy as np
        from cuda_interop import ipc
        sock = socket.socket(fileno=int(sys.argv[1]))
        with ipc.receive_memory(sock) as memory, memory.map_buffer() as buffer:
            assert int(buffer.copy_to_host()[0]) == 42   # the parent's bytes
            buffer.copy_from_host(np.full(buffer.size, 7, dtype=np.uint8))
        sock.sendall(b"done")
    """)
    parent, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with ci.SharedAllocation(2 << 20) as allocation:
        allocation.fill(42)
        process = subprocess.Popen([sys.executable, "-c", child, str(child_end.fileno())],
                                   pass_fds=[child_end.fileno()])
        child_end.close()
        ipc.send_memory(parent, allocation)
        assert parent.recv(4) == b"done"
        assert process.wait(timeout=120) == 0
        host: Any = allocation.copy_to_host()
        assert np.all(host == 7)
    parent.close()


@pytest.mark.gpu
def test_a_vulkan_image_and_both_semaphore_kinds_cross_processes() -> None:
    """The share descriptor carries all an importer needs: the child maps the image without
    being told its layout, and orders its reads and writes by the parent's semaphores."""
    from cuda_interop import vulkan

    child = textwrap.dedent("""
        import socket, sys
        import numpy as np
        from cuda_interop import ipc
        sock = socket.socket(fileno=int(sys.argv[1]))
        sock.settimeout(60)
        memory = ipc.receive_memory(sock)
        binary, timeline = ipc.receive_semaphore(sock), ipc.receive_semaphore(sock)
        assert memory.image is not None and not binary.timeline and timeline.timeline
        array = memory.map_mipmapped_array()            # the layout came with the share
        assert array.extent == (64, 32, 0) and array.levels == 2, (array.extent, array.levels)
        assert sock.recv(2) == b"go"                     # Vulkan's signals are submitted
        binary.wait()
        timeline.wait(1)
        expected = np.arange(64 * 32 * 4, dtype=np.uint32).astype(np.uint8).reshape(32, 64, 4)
        np.testing.assert_array_equal(array.level(0).copy_to_host(), expected)
        array.level(1).copy_from_host(np.full((16, 32, 4), 9, dtype=np.uint8))
        timeline.signal(2)                               # CUDA's write is done before 2
        assert sock.recv(4) == b"seen"
        array.close(); memory.close(); binary.close(); timeline.close()
        sock.sendall(b"done")
    """)
    parent, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    parent.settimeout(120)
    with vulkan.Context(0) as ctx, \
            ctx.create_image("R8G8B8A8_UNORM", 64, 32, levels=2) as image, \
            ctx.create_semaphore(timeline=False) as binary, \
            ctx.create_semaphore(timeline=True) as timeline:
        process = subprocess.Popen([sys.executable, "-c", child, str(child_end.fileno())],
                                   pass_fds=[child_end.fileno()])
        child_end.close()
        try:
            image.upload(0, np.arange(64 * 32 * 4, dtype=np.uint32).astype(np.uint8))
            image.upload(1, np.zeros((16, 32, 4), dtype=np.uint8))
            ipc.send_memory(parent, image)
            ipc.send_semaphore(parent, binary)
            ipc.send_semaphore(parent, timeline)
            ctx.submit(signal=[binary, (timeline, 1)])
            parent.sendall(b"go")
            assert timeline.wait(2, timeout=60), "the child never signalled 2"
            assert (image.download(1) == 9).all()
            parent.sendall(b"seen")
            assert parent.recv(4) == b"done"
        finally:
            assert process.wait(timeout=120) == 0
            parent.close()
