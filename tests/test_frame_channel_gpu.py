# SPDX-License-Identifier: Apache-2.0
"""Frames across two processes over ipc, and either side's death survived (GPU + Vulkan)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from conftest import open_fd_count

import cuda_interop as ci
from cuda_interop import ipc, vulkan

pytestmark = [pytest.mark.gpu,
              pytest.mark.skipif(sys.platform == "win32", reason="passes file descriptors"),
              pytest.mark.skipif(not vulkan.available, reason=vulkan.unavailable_reason or "")]

NBYTES = 1 << 20
TIMEOUT = 60.0

# Frame n is filled with the word n * 0x01010101 + 0x00030507 (every byte changes per frame).
PRODUCER = textwrap.dedent("""
    import itertools, socket, sys
    from cuda_interop import ipc, vulkan
    sock = socket.socket(fileno=int(sys.argv[1]))
    nbytes, frames = int(sys.argv[2]), int(sys.argv[3])
    with vulkan.Context(0) as ctx, ipc.FrameSender(sock, ctx, nbytes, slots=3) as sender:
        for _ in itertools.count() if frames == 0 else range(frames):
            slot = sender.begin_write(timeout=60)
            word = (slot.number * 0x01010101 + 0x00030507) & 0xFFFFFFFF
            slot.buffer.fill(word, wait=slot.wait, signal=slot.signal, block=False)
""")


def _word(frame: int) -> int:
    return (frame * 0x01010101 + 0x00030507) & 0xFFFFFFFF


class Producer:
    """A producer process joined to this one by a socket pair."""

    def __init__(self, frames: int) -> None:
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.process = subprocess.Popen(
            [sys.executable, "-c", PRODUCER, str(theirs.fileno()), str(NBYTES), str(frames)],
            pass_fds=[theirs.fileno()])
        theirs.close()

    def close(self) -> int:
        self.sock.close()
        try:
            return self.process.wait(timeout=TIMEOUT)
        finally:
            self.process.kill()


@pytest.fixture
def vulkan_device() -> Iterator[None]:
    try:
        with vulkan.Context(0):
            pass
    except (ci.NotSupportedError, ci.CudaError) as error:
        pytest.skip(f"no Vulkan device that is CUDA device 0: {error}")
    yield


def _check(view: Any, frame: int) -> None:
    head = np.empty(4, dtype=np.uint32)
    tail = np.empty(4, dtype=np.uint32)
    view.copy_to_host(head, 0)
    view.copy_to_host(tail, NBYTES - 16)
    assert (head == _word(frame)).all() and (tail == _word(frame)).all(), (frame, head, tail)


def _read(frames: ipc.FrameReceiver, number: int) -> None:
    view = frames.read(timeout=TIMEOUT)
    _check(view, number)
    frames.release()


def test_frames_cross_processes_in_order_with_their_bytes(vulkan_device: None) -> None:
    producer = Producer(frames=40)
    with ipc.FrameReceiver(producer.sock, timeout=TIMEOUT) as frames:
        assert (frames.slots, frames.nbytes) == (3, NBYTES)
        for number in range(1, 41):
            _read(frames, number)
        with pytest.raises(ipc.PeerLostError, match="closed the channel after frame 40"):
            frames.read(timeout=TIMEOUT)
    assert producer.close() == 0


def test_a_producer_killed_mid_stream_is_survived_and_a_new_one_served(
        vulkan_device: None) -> None:
    device = ci.Device(0)
    # a first channel warms up everything a process loads once (CUDA's own fds included)
    warm = Producer(frames=3)
    with ipc.FrameReceiver(warm.sock, timeout=TIMEOUT) as frames:
        for number in range(1, 4):
            _read(frames, number)
    assert warm.close() == 0
    fds, free = open_fd_count(), device.memory_info()[0]

    producer = Producer(frames=0)  # until killed
    frames = ipc.FrameReceiver(producer.sock, timeout=TIMEOUT)
    read = 0
    for number in range(1, 21):
        _read(frames, number)
        read = number
    producer.process.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    with pytest.raises(ipc.PeerLostError, match="the frame producer is gone"):
        while True:  # frames announced before the kill are still delivered, in order
            _read(frames, read + 1)
            read += 1
    frames.close()  # _read synchronized every frame: the stream holds nothing of the producer
    recovered = time.monotonic() - killed
    producer.close()
    assert recovered < 1.0, f"recovery took {recovered:.3f} s"
    assert open_fd_count() == fds
    deadline = time.monotonic() + 2  # the driver frees the dead process's memory on its own
    while device.memory_info()[0] != free and time.monotonic() < deadline:
        time.sleep(0.01)
    assert device.memory_info()[0] == free

    replacement = Producer(frames=10)
    with ipc.FrameReceiver(replacement.sock, timeout=TIMEOUT) as frames:
        for number in range(1, 11):
            _read(frames, number)
    assert replacement.close() == 0


CONSUMER = textwrap.dedent("""
    import socket, sys
    from cuda_interop import ipc
    sock = socket.socket(fileno=int(sys.argv[1]))
    with ipc.FrameReceiver(sock, timeout=60) as frames:
        while True:
            frames.read(timeout=60)
            frames.release()
""")


def test_a_consumer_killed_mid_stream_is_raised_to_the_producer(vulkan_device: None) -> None:
    with vulkan.Context(0) as ctx:
        for _ in range(2):  # a second consumer is served after the first was lost
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            consumer = subprocess.Popen([sys.executable, "-c", CONSUMER, str(theirs.fileno())],
                                        pass_fds=[theirs.fileno()])
            theirs.close()
            with ours, ipc.FrameSender(ours, ctx, NBYTES, slots=2) as sender:
                for _ in range(20):
                    slot = sender.begin_write(timeout=TIMEOUT)
                    slot.buffer.fill(slot.number, wait=slot.wait, signal=slot.signal,
                                     block=False)
                consumer.send_signal(signal.SIGKILL)
                killed = time.monotonic()
                with pytest.raises(ipc.PeerLostError, match="the frame consumer is gone"):
                    while True:
                        slot = sender.begin_write(timeout=TIMEOUT)
                        slot.buffer.fill(slot.number, wait=slot.wait, signal=slot.signal,
                                         block=False)
                assert time.monotonic() - killed < 1.0
            consumer.wait(timeout=TIMEOUT)
        ctx.wait_idle(timeout=5)  # nothing of the lost consumers holds the queue


def test_the_receiver_refuses_frames_that_go_back(vulkan_device: None) -> None:
    """A sender that announces a frame twice is out of step: a ProtocolError, not a wait."""
    from cuda_interop._ipc_wire import send_message

    with vulkan.Context(0) as ctx:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        with ours, theirs, ipc.FrameSender(ours, ctx, NBYTES, slots=1) as sender, \
                ipc.FrameReceiver(theirs, timeout=TIMEOUT) as frames:
            slot = sender.begin_write(timeout=TIMEOUT)
            slot.buffer.fill(1, wait=slot.wait, signal=slot.signal, block=False)
            frames.read(timeout=TIMEOUT)
            frames.release()
            send_message(ours, {"kind": "frame", "ready": 1})
            with pytest.raises(ipc.ProtocolError, match="after frame 1"):
                frames.read(timeout=TIMEOUT)
