# SPDX-License-Identifier: Apache-2.0
"""Sharing memory and semaphores between processes (ipc over a Unix socket)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from typing import Any

import numpy as np
import pytest

import cuda_interop as ci
from cuda_interop import ipc

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="passes file descriptors")


class Pipe:
    """A stand-in exporter: each export is a new fd of a pipe (CUDA cannot import it)."""

    size = 1 << 20
    timeline = True

    def __init__(self) -> None:
        self.read, self.write = os.pipe()

    def export_fd(self) -> int:
        return os.dup(self.read)

    def close(self) -> None:
        os.close(self.read)
        os.close(self.write)


def test_sender_keeps_nothing_and_a_failed_import_closes_the_received_fd(
        no_fd_leak: None) -> None:
    exporter = Pipe()
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        ipc.send_memory(left, exporter)
        with pytest.raises((ci.CudaError, ValueError)):
            ipc.receive_memory(right)
        ipc.send_semaphore(left, exporter)
        with pytest.raises((ci.CudaError, ValueError)):
            ipc.receive_semaphore(right)
    finally:
        left.close()
        right.close()
        exporter.close()


def test_messages_of_the_wrong_kind_are_refused(no_fd_leak: None) -> None:
    exporter = Pipe()
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        ipc.send_semaphore(left, exporter)
        with pytest.raises(ValueError, match="'memory'"):
            ipc.receive_memory(right)
    finally:
        left.close()
        right.close()
        exporter.close()


def test_memory_size_is_required_when_the_object_has_none() -> None:
    class Bare:
        def export_fd(self) -> int:
            raise AssertionError("not reached")

    with socket.socket(socket.AF_UNIX) as sock, pytest.raises(ValueError, match="size="):
        ipc.send_memory(sock, Bare())


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
