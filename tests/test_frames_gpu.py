# SPDX-License-Identifier: Apache-2.0
"""The frames layer on the GPU: batched and typed rings, in one process and across two, and the
death of either side mid-batch (GPU + Vulkan)."""

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

import cuda_interop as ci
from cuda_interop import frames, ipc, vulkan

pytestmark = [pytest.mark.gpu,
              pytest.mark.skipif(not vulkan.available, reason=vulkan.unavailable_reason or "")]

SHAPE = (32, 64, 4)  # one frame: 8 KiB of uint8
FRAME_NBYTES = 32 * 64 * 4
TIMEOUT = 60.0


def word(frame: int) -> int:
    """Frame `frame` (from 1, across hand-offs) is filled with this 32-bit word."""
    return (frame * 0x01010101 + 0x00030507) & 0xFFFFFFFF


@pytest.fixture
def ctx() -> Iterator[vulkan.Context]:
    try:
        context = vulkan.Context(0)
    except (ci.NotSupportedError, ci.CudaError) as error:
        pytest.skip(f"no Vulkan device that is CUDA device 0: {error}")
    with context:
        if not context.features.external_semaphore_fd:
            pytest.skip("the Vulkan driver cannot export semaphores")
        yield context
        context.wait_idle(timeout=10)


def write(slot: frames.FrameSlot) -> None:
    """The producer: each frame of the hand-off gets its own word, one queue op per frame, the
    first carrying the slot's wait and the last its signal."""
    last = slot.frames - 1
    for i in range(slot.frames):
        frame = (slot.number - 1) * slot.frames + i + 1
        slot.buffer.fill(word(frame), slot.offset(i), slot.frame_nbytes,
                         wait=slot.wait if i == 0 else (),
                         signal=slot.signal if i == last else (), block=False)


def frame_words(tensor: Any) -> list[int]:
    """The first word of each frame of a (batch, *SHAPE) or SHAPE uint8 tensor."""
    batch = tensor.reshape(-1, FRAME_NBYTES)
    firsts = batch[:, :4].contiguous().cpu().numpy().view(np.uint32)[:, 0]
    lasts = batch[:, -4:].contiguous().cpu().numpy().view(np.uint32)[:, 0]
    assert (firsts == lasts).all()
    return [int(value) for value in firsts]


@pytest.mark.parametrize(("batch", "slots", "ahead"), [(1, 3, 0), (4, 2, 1), (8, 3, 2)])
def test_a_batched_ring_hands_every_frame_over_in_order(ctx: vulkan.Context, batch: int,
                                                        slots: int, ahead: int) -> None:
    torch = pytest.importorskip("torch")
    stream = torch.cuda.current_stream()
    handoffs = 10
    seen: list[int] = []
    with vulkan.FrameRing(ctx, shape=SHAPE, dtype="uint8", slots=slots, batch=batch,
                          convert=torch.from_dlpack) as ring:
        assert (ring.batch, ring.slots, ring.frame_nbytes) == (batch, slots, FRAME_NBYTES)
        for _ in range(ahead):
            write(ring.begin_write())
        for _ in range(handoffs):
            write(ring.begin_write())
            tensor = ring.read(stream, timeout=TIMEOUT)
            assert tuple(tensor.shape) == ((batch, *SHAPE) if batch > 1 else SHAPE)
            seen += frame_words(tensor)  # ordered after CUDA's wait on the stream
            ring.release(stream)
        for _ in range(ahead):
            ring.read(stream, timeout=TIMEOUT)
            ring.release(stream)
        stream.synchronize()
        assert seen == [word(frame) for frame in range(1, handoffs * batch + 1)]
        assert ring.released.value == handoffs + ahead


def test_a_typed_ring_hands_the_same_tensor_each_time_its_slot_comes_round(
        ctx: vulkan.Context) -> None:
    torch = pytest.importorskip("torch")
    stream = torch.cuda.current_stream()
    with vulkan.FrameRing(ctx, shape=SHAPE, dtype="uint8", slots=3, batch=2,
                          convert=torch.from_dlpack) as ring:
        tensors = ring.views
        assert len(tensors) == 3 and all(isinstance(t, torch.Tensor) for t in tensors)
        pointers = [t.data_ptr() for t in tensors]
        for number in range(1, 10):
            write(ring.begin_write())
            tensor = ring.read(stream, timeout=TIMEOUT)
            assert tensor is tensors[(number - 1) % 3]
            assert tensor.data_ptr() == pointers[(number - 1) % 3]
            ring.release(stream)
        stream.synchronize()


def test_release_needs_a_read_and_a_second_read_is_the_same_hand_off(
        ctx: vulkan.Context) -> None:
    with vulkan.FrameRing(ctx, FRAME_NBYTES, slots=2) as ring:
        with pytest.raises(ValueError, match=r"release\(\) needs a read\(\) first"):
            ring.release()
        write(ring.begin_write())
        first = ring.read(timeout=TIMEOUT)
        assert ring.read(timeout=TIMEOUT) is first  # not released: the same hand-off again
        ring.release()
        with pytest.raises(ValueError, match=r"release\(\) needs a read\(\) first"):
            ring.release()  # a second release would hand the producer a slot still in use
        assert ring._reader.schedule.released == 1


@pytest.mark.parametrize("timeout", [-1, float("nan"), "1", True])
def test_read_checks_its_timeout_even_when_the_frame_is_done(ctx: vulkan.Context,
                                                             timeout: Any) -> None:
    with vulkan.FrameRing(ctx, FRAME_NBYTES, slots=2) as ring:
        write(ring.begin_write())
        ctx.wait_idle(timeout=10)
        with pytest.raises((TypeError, ValueError), match="timeout"):
            ring.read(timeout=timeout)


# -- Across two processes ---------------------------------------------------------------------
PRODUCER = textwrap.dedent("""
    import itertools, socket, sys
    from cuda_interop import ipc, vulkan
    sock = socket.socket(fileno=int(sys.argv[1]))
    batch, handoffs = int(sys.argv[2]), int(sys.argv[3])
    sys.path.insert(0, sys.argv[4])
    from test_frames_gpu import SHAPE, write
    with vulkan.Context(0) as ctx, ipc.FrameSender(sock, ctx, shape=SHAPE, dtype="uint8",
                                                  slots=2, batch=batch) as sender:
        for _ in itertools.count() if handoffs == 0 else range(handoffs):
            write(sender.begin_write(timeout=60))
""")


class Producer:
    """A producer process joined to this one by a socket pair."""

    def __init__(self, batch: int, handoffs: int) -> None:
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        here = str(__import__("pathlib").Path(__file__).parent)
        self.process = subprocess.Popen(
            [sys.executable, "-c", PRODUCER, str(theirs.fileno()), str(batch), str(handoffs),
             here], pass_fds=[theirs.fileno()])
        theirs.close()

    def close(self) -> int:
        self.sock.close()
        try:
            return self.process.wait(timeout=TIMEOUT)
        finally:
            self.process.kill()


def test_batches_cross_processes_in_order_with_their_bytes(ctx: vulkan.Context) -> None:
    torch = pytest.importorskip("torch")
    stream = torch.cuda.current_stream()
    producer = Producer(batch=4, handoffs=12)
    seen: list[int] = []
    with ipc.FrameReceiver(producer.sock, timeout=TIMEOUT, convert=torch.from_dlpack) as ring:
        assert (ring.slots, ring.batch, ring.nbytes) == (2, 4, FRAME_NBYTES)
        for _ in range(12):
            tensor = ring.read(stream, timeout=TIMEOUT)
            assert tuple(tensor.shape) == (4, *SHAPE)
            seen += frame_words(tensor)
            ring.release(stream)
        with pytest.raises(ipc.PeerLostError, match="closed the channel after frame 12"):
            ring.read(stream, timeout=TIMEOUT)
        stream.synchronize()
    assert producer.close() == 0
    assert seen == [word(frame) for frame in range(1, 49)]


def test_a_producer_killed_mid_batch_is_a_peer_lost_error_within_a_second(
        ctx: vulkan.Context) -> None:
    torch = pytest.importorskip("torch")
    stream = torch.cuda.current_stream()
    producer = Producer(batch=8, handoffs=0)  # until killed
    ring = ipc.FrameReceiver(producer.sock, timeout=TIMEOUT, convert=torch.from_dlpack)
    for _ in range(5):
        frame_words(ring.read(stream, timeout=TIMEOUT))
        ring.release(stream)
    producer.process.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    with pytest.raises(ipc.PeerLostError, match="the frame producer is gone"):
        while True:  # hand-offs announced before the kill are still delivered
            frame_words(ring.read(stream, timeout=TIMEOUT))
            ring.release(stream)
    stream.synchronize()  # nothing on the stream waits for the dead producer
    ring.close()
    assert time.monotonic() - killed < 1.0
    producer.close()


CONSUMER = textwrap.dedent("""
    import socket, sys
    from cuda_interop import ipc
    sock = socket.socket(fileno=int(sys.argv[1]))
    with ipc.FrameReceiver(sock, timeout=60) as ring:
        while True:
            ring.read(timeout=60)
            ring.release()
""")


def test_a_consumer_killed_mid_batch_is_raised_to_the_producer(ctx: vulkan.Context) -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    consumer = subprocess.Popen([sys.executable, "-c", CONSUMER, str(theirs.fileno())],
                                pass_fds=[theirs.fileno()])
    theirs.close()
    with ours, ipc.FrameSender(ours, ctx, shape=SHAPE, dtype="uint8", slots=2,
                               batch=8) as sender:
        for _ in range(10):
            write(sender.begin_write(timeout=TIMEOUT))
        consumer.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        with pytest.raises(ipc.PeerLostError, match="the frame consumer is gone"):
            while True:
                write(sender.begin_write(timeout=TIMEOUT))
        assert time.monotonic() - killed < 1.0
    consumer.wait(timeout=TIMEOUT)
    assert ctx.wait_idle(timeout=5)  # nothing of the lost consumer holds the queue
