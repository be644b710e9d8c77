# SPDX-License-Identifier: Apache-2.0
"""The frame channel's producer side (on a Vulkan device that exports timelines, CUDA not
needed) and what the consumer side refuses before it imports anything. Both sides together,
across processes: test_frame_channel_gpu."""

from __future__ import annotations

import array
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import cuda_interop as ci
from cuda_interop import ipc, vulkan
from cuda_interop._ipc_wire import receive_control

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="passes file descriptors")


def _vulkan_skip_reason() -> str | None:
    if not vulkan.available:
        return vulkan.unavailable_reason
    try:
        return None if vulkan.physical_devices() else "no Vulkan physical device"
    except ci.NotSupportedError as error:
        return f"no Vulkan loader: {error}"


VULKAN_SKIP = _vulkan_skip_reason()


@pytest.fixture
def ctx() -> Iterator[Any]:
    """A Vulkan context that exports timelines (an NVIDIA driver does; lavapipe does not)."""
    if VULKAN_SKIP:
        pytest.skip(VULKAN_SKIP)
    with vulkan.Context(physical_device_index=0) as context:
        try:
            context.create_semaphore(timeline=True).close()
        except ci.NotSupportedError as error:
            pytest.skip(f"the sender needs exportable timelines: {error}")
        yield context


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    yield left, right
    left.close()
    right.close()


def _control(sock: socket.socket) -> Any:
    return receive_control(sock, 5.0, None)


def _write(sender: ipc.FrameSender, value: int, timeout: float = 5.0) -> int:
    slot = sender.begin_write(timeout=timeout)
    slot.buffer.fill(value, wait=slot.wait, signal=slot.signal, block=False)
    return slot.number


def test_the_sender_sends_its_ring_then_announces_each_finished_frame(
        no_fd_leak: None, ctx: Any, pair: Any) -> None:
    producer, consumer = pair
    with ipc.FrameSender(producer, ctx, 4096, slots=2) as sender:
        assert _control(consumer) == {"kind": "frame_ring", "version": 2, "slots": 2,
                                      "batch": 1, "nbytes": 4096, "shape": None,
                                      "dtype": None}
        for _ in range(2):
            with ipc.receive_share(consumer, "memory", timeout=5) as share:
                assert share.size >= 4096 and share.type == ci.MemoryHandleType.OPAQUE_FD
        for _ in range(2):
            with ipc.receive_share(consumer, "semaphore", timeout=5) as share:
                assert share.type == ci.SemaphoreHandleType.TIMELINE_SEMAPHORE_FD
        assert _write(sender, 7) == 1
        assert _control(consumer) == {"kind": "frame", "ready": 1}
        assert (sender.ready.value, sender.released.value) == (1, 0)
        assert _write(sender, 8) == 2
        assert _control(consumer) == {"kind": "frame", "ready": 2}
    assert _control(consumer) == {"kind": "end", "ready": 2}


def _consume_setup(consumer: socket.socket, slots: int) -> None:
    _control(consumer)
    for kind in ["memory"] * slots + ["semaphore"] * 2:
        ipc.receive_share(consumer, kind, timeout=5).close()


def test_a_slot_is_written_again_only_once_the_consumer_released_it(
        no_fd_leak: None, ctx: Any, pair: Any) -> None:
    producer, consumer = pair
    with ipc.FrameSender(producer, ctx, 4096, slots=1) as sender:
        _consume_setup(consumer, 1)
        _write(sender, 1)
        started = time.monotonic()
        with pytest.raises(TimeoutError, match=r"did not release hand-off 1 in 0\.2 s"):
            sender.begin_write(timeout=0.2)
        assert 0.2 <= time.monotonic() - started < 2
        sender.released.signal(1)  # what the consumer's stream does
        assert _write(sender, 2) == 2


@pytest.mark.parametrize("how", ["close", "shutdown", "send data"])
def test_a_consumer_that_goes_is_raised_at_the_next_begin_write(
        no_fd_leak: None, ctx: Any, how: str) -> None:
    producer, consumer = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with producer, ipc.FrameSender(producer, ctx, 4096, slots=1) as sender:
        _consume_setup(consumer, 1)
        _write(sender, 1)
        if how == "close":
            consumer.close()
        elif how == "shutdown":
            consumer.shutdown(socket.SHUT_RDWR)
        else:
            consumer.sendall(b"x")
        started = time.monotonic()
        with pytest.raises(ipc.PeerLostError, match="the frame consumer is gone"):
            sender.begin_write(timeout=10)  # slot 1 is never released: only the loss ends it
        assert time.monotonic() - started < 1
        with pytest.raises(ipc.PeerLostError):
            sender.begin_write(timeout=10)
        assert "lost" in repr(sender)
    consumer.close()


def test_a_consumer_lost_while_begin_write_waits_ends_the_wait(
        no_fd_leak: None, ctx: Any) -> None:
    producer, consumer = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with producer, ipc.FrameSender(producer, ctx, 4096, slots=1) as sender:
        _consume_setup(consumer, 1)
        _write(sender, 1)
        closer = threading.Timer(0.3, consumer.close)
        closer.start()
        started = time.monotonic()
        with pytest.raises(ipc.PeerLostError):
            sender.begin_write()  # no timeout: waits until the consumer releases or goes
        assert 0.25 < time.monotonic() - started < 1.3
        closer.join()


@pytest.mark.parametrize(("slots", "error"), [(0, ValueError), (65, ValueError),
                                              ("3", TypeError), (1.5, TypeError),
                                              (None, TypeError)])
def test_slots_are_checked_first(no_fd_leak: None, pair: Any, slots: Any,
                                 error: type) -> None:
    with pytest.raises(error, match="slots"):
        ipc.FrameSender(pair[0], None, 4096, slots=slots)


@pytest.mark.parametrize("sock", [None, 3, "sock", object()])
def test_the_socket_is_checked(sock: Any) -> None:
    with pytest.raises(TypeError, match="sock must be a connected Unix socket"):
        ipc.FrameSender(sock, None, 4096)
    with pytest.raises(TypeError, match="sock must be a connected Unix socket"):
        ipc.FrameReceiver(sock)


@pytest.mark.skipif(VULKAN_SKIP is not None, reason=VULKAN_SKIP or "")
def test_a_ring_that_cannot_be_made_sends_nothing_and_leaks_nothing(no_fd_leak: None,
                                                                    pair: Any) -> None:
    with vulkan.Context(physical_device_index=0) as context, \
            pytest.raises(ValueError, match="nbytes must be > 0"):
        ipc.FrameSender(pair[0], context, 0)
    pair[1].setblocking(False)
    with pytest.raises(BlockingIOError):
        pair[1].recv(1)


# -- What the consumer refuses ------------------------------------------------------------
def _send(sock: socket.socket, message: Any, fds: tuple[int, ...] = ()) -> None:
    body = json.dumps(message).encode()
    rights = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
    sock.sendmsg([struct.pack(">4sI", b"CIs1", len(body)) + body], rights)


HEADER = {"kind": "frame_ring", "version": 2, "slots": 2, "batch": 1, "nbytes": 4096,
          "shape": None, "dtype": None}


@pytest.mark.parametrize(("change", "match"), [
    ({"kind": "frame"}, "expected a frame ring"),
    ({"version": 1}, "version 1 is not 2"),
    ({"version": None}, "version None"),
    ({"version": True}, "version True"),
    ({"version": 2.0}, "version 2.0"),
    ({"slots": 0}, "'slots' must be a positive int"),
    ({"slots": 65}, "slots must be within 1..64"),
    ({"slots": True}, "'slots' must be a positive int"),
    ({"slots": "2"}, "'slots' must be a positive int"),
    ({"batch": 0}, "'batch' must be a positive int"),
    ({"batch": 4096}, "batch must be within 1..1024"),
    ({"nbytes": 0}, "'nbytes' must be a positive int"),
    ({"nbytes": 1.5}, "'nbytes' must be a positive int"),
    ({"nbytes": 2**64}, "'nbytes' must be a positive int"),
    ({"nbytes": 2**62, "batch": 4}, "batch \\* nbytes must fit in 63 bits"),
    ({"shape": [2, 2], "dtype": None}, "'shape' and 'dtype' must be"),
    ({"shape": None, "dtype": "<u1"}, "'dtype' needs a 'shape'"),
    ({"shape": [2, "2"], "dtype": "<u1"}, "'shape' and 'dtype' must be"),
    ({"shape": [2, 0], "dtype": "<u1"}, "shape must have extents > 0"),
    ({"shape": [64, 64], "dtype": "O"}, "dtype must be a numeric dtype"),
    ({"shape": [64, 64], "dtype": "no such type"}, "is not understood"),
    ({"shape": [64, 64], "dtype": "<f4"}, "'nbytes' is 4096, but the shape and dtype make 16384"),
])
def test_a_malformed_ring_is_refused(no_fd_leak: None, pair: Any, change: dict[str, Any],
                                     match: str) -> None:
    _send(pair[0], {**HEADER, **change})
    with pytest.raises(ipc.ProtocolError, match=match):
        ipc.FrameReceiver(pair[1], timeout=5)


def test_a_ring_header_with_an_fd_is_refused_and_the_fd_closed(no_fd_leak: None,
                                                              pair: Any) -> None:
    read_end, write_end = os.pipe()
    _send(pair[0], HEADER, (read_end,))
    os.close(read_end)
    with pytest.raises(ipc.ProtocolError, match="expected no fd, got 1"):
        ipc.FrameReceiver(pair[1], timeout=5)
    os.close(write_end)


def test_a_silent_sender_times_out(no_fd_leak: None, pair: Any) -> None:
    with pytest.raises(TimeoutError, match=r"no message came within 0\.2 s"):
        ipc.FrameReceiver(pair[1], timeout=0.2)


def test_a_sender_that_sends_a_share_of_the_wrong_kind_is_refused(no_fd_leak: None,
                                                                   pair: Any) -> None:
    _send(pair[0], HEADER)
    _send(pair[0], {"kind": "semaphore", "type": 1, "device_uuid": None}, (pair[0].fileno(),))
    with pytest.raises(ipc.ProtocolError):
        ipc.FrameReceiver(pair[1], timeout=5)


def test_a_sender_of_another_user_is_refused(no_fd_leak: None, pair: Any) -> None:
    _send(pair[0], HEADER)
    with pytest.raises(ipc.PeerRefusedError):
        ipc.FrameReceiver(pair[1], timeout=5, allow_uids=[])


@pytest.mark.parametrize("context", [None, 5, 1.5, "ctx", object()])
def test_the_context_is_checked(no_fd_leak: None, pair: Any, context: Any) -> None:
    with pytest.raises(TypeError, match=r"context must be a vulkan\.Context"):
        vulkan.FrameRing(context, 4096)
    with pytest.raises(TypeError, match=r"producer must offer create_frame_buffer\(\)"):
        ipc.FrameSender(pair[0], context, 4096)


# -- What the receiver makes of the sender's announcements ---------------------------------------
@pytest.fixture
def announcements(pair: Any) -> Any:
    from cuda_interop._frame_channel import Announcements

    return Announcements(pair[1], None, lambda: 8)  # a ring of 8 slots, nothing released


def test_announced_frames_are_read_as_needed(no_fd_leak: None, pair: Any,
                                             announcements: Any) -> None:
    _send(pair[0], {"kind": "frame", "ready": 2})
    _send(pair[0], {"kind": "frame", "ready": 5})
    announcements.wait_for(1, 5)
    assert announcements.reached == 2  # one message was enough
    announcements.wait_for(2, 5)
    announcements.wait_for(4, 5)
    assert announcements.reached == 5


def test_frames_finished_before_the_end_are_delivered_then_the_loss(
        no_fd_leak: None, pair: Any, announcements: Any) -> None:
    _send(pair[0], {"kind": "frame", "ready": 1})
    _send(pair[0], {"kind": "end", "ready": 3})
    announcements.wait_for(3, 5)
    with pytest.raises(ipc.PeerLostError, match="closed the channel after frame 3"):
        announcements.wait_for(4, 5)
    with pytest.raises(ipc.PeerLostError):  # and every time after
        announcements.wait_for(4, 5)


@pytest.mark.parametrize("how", ["close", "shutdown", "die mid-message"])
def test_a_sender_that_goes_is_a_peer_lost_error(no_fd_leak: None, announcements: Any,
                                                 pair: Any, how: str) -> None:
    _send(pair[0], {"kind": "frame", "ready": 1})
    if how == "die mid-message":
        pair[0].sendall(b"CIs1\x00\x00\x00\x40{")  # a header and one byte of the body
    if how == "shutdown":
        pair[0].shutdown(socket.SHUT_RDWR)
    else:
        pair[0].close()
    announcements.wait_for(1, 5)  # what came before is still delivered
    started = time.monotonic()
    with pytest.raises(ipc.PeerLostError, match="the frame producer is gone"):
        announcements.wait_for(2, 5)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("message", [{"kind": "frame", "ready": 1},  # again
                                     {"kind": "frame", "ready": 9},  # beyond the ring
                                     {"kind": "frame", "ready": 2**64},
                                     {"kind": "frame", "ready": 10**30},
                                     {"kind": "end", "ready": 2**64},
                                     {"kind": "frame", "ready": 0},
                                     {"kind": "frame", "ready": "2"},
                                     {"kind": "frame", "ready": True},
                                     {"kind": "frame"},
                                     {"kind": "end", "ready": 0},
                                     {"kind": "frames", "ready": 2},
                                     [1, 2]])
def test_announcements_that_go_back_or_are_malformed_are_refused(
        no_fd_leak: None, pair: Any, announcements: Any, message: Any) -> None:
    _send(pair[0], {"kind": "frame", "ready": 1})
    announcements.wait_for(1, 5)
    _send(pair[0], message)
    with pytest.raises(ipc.ProtocolError, match="expected a frame announcement after frame 1"):
        announcements.wait_for(2, 5)


def test_an_announcement_with_an_fd_is_refused_and_the_fd_closed(
        no_fd_leak: None, pair: Any, announcements: Any) -> None:
    read_end, write_end = os.pipe()
    _send(pair[0], {"kind": "frame", "ready": 1}, (read_end,))
    os.close(read_end)
    with pytest.raises(ipc.ProtocolError, match="expected no fd, got 1"):
        announcements.wait_for(1, 5)
    os.close(write_end)


def test_a_silent_sender_is_a_timeout_that_leaves_the_channel_usable(
        no_fd_leak: None, pair: Any, announcements: Any) -> None:
    with pytest.raises(TimeoutError, match=r"did not finish frame 1 in 0\.1 s"):
        announcements.wait_for(1, 0.1)
    _send(pair[0], {"kind": "frame", "ready": 1})
    announcements.wait_for(1, 5)


def test_ctrl_c_interrupts_a_wait_for_a_frame_and_the_channel_stays_usable(
        no_fd_leak: None, pair: Any, announcements: Any) -> None:
    threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        announcements.wait_for(1, None)
    _send(pair[0], {"kind": "frame", "ready": 1})
    announcements.wait_for(1, 5)


def test_a_socket_shut_down_by_another_thread_ends_a_wait_for_a_frame(
        no_fd_leak: None, pair: Any, announcements: Any) -> None:
    threading.Timer(0.2, pair[1].shutdown, (socket.SHUT_RDWR,)).start()
    started = time.monotonic()
    with pytest.raises(ipc.PeerLostError):
        announcements.wait_for(1, None)
    assert time.monotonic() - started < 1
