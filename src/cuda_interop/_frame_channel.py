# SPDX-License-Identifier: Apache-2.0
"""The frame loop across two processes: a Vulkan producer (:class:`FrameSender`) and a CUDA
consumer (:class:`FrameReceiver`) joined by a Unix socket, either of which may die.

The sender owns the ring (exported Vulkan buffers, ``ready`` and ``released`` timelines) and
sends it once; then, per frame, the same three calls as :class:`cuda_interop.vulkan.FrameRing`.

Why the sender announces frames on the socket: the CUDA driver holds the host thread at the
first launch behind a wait for an imported Vulkan timeline value that is not reached yet, and
holds it for good if the producer dies before signalling (docs/reliability.md, "Peer death").
So the receiver enqueues CUDA's wait for frame ``n`` only once the sender has seen ``ready``
reach ``n`` on its own device and said so: every CUDA wait is for a value already reached, the
consumer's streams always drain, and the producer's death is the socket's end, raised as
:class:`PeerLostError` at the next :meth:`FrameReceiver.read`. The other way round, the sender
writes a slot only once CUDA has released it (it waits on the host), so no Vulkan work ever waits
for a consumer that may be gone, and the consumer's death is raised at the next
:meth:`FrameSender.begin_write`.
"""

from __future__ import annotations

import contextlib
import math
import select
import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from . import _peer
from ._device import DeviceLike, device_ordinal
from ._external_memory import ExternalMemory
from ._external_semaphore import ExternalSemaphore
from ._ipc_shares import receive_share, send_memory, send_semaphore
from ._ipc_wire import (
    ProtocolError,
    check_socket,
    receive_control,
    require_posix,
    send_message,
    timeout_of,
)
from ._lifecycle import Owner
from ._peer import AllowUids
from ._stream import StreamLike
from .frames import (
    FrameLayout,
    FrameProducer,
    FrameSlot,
    ReaderSide,
    RingReader,
    RingWriter,
    WriterSide,
)

_VERSION = 2
_SLICE = 0.05  # seconds between looks at the other side while waiting for ours
_CLOSE_WAIT = 2.0  # seconds close() gives the frames submitted to finish


class PeerLostError(ConnectionError):
    """The process at the other end of a frame channel is gone: it closed the channel, closed
    the socket or died. What it finished before going was delivered; no stream or queue of this
    process waits for it. Close the channel (after the streams used with it have drained) and
    connect a new peer."""


def _check_socket(sock: Any) -> socket.socket:
    require_posix()
    return check_socket(sock)


class FrameSender(WriterSide, Owner[Any]):
    """The producer's side of a frame channel: a ring of `slots` exported buffers from
    `producer`, each holding `batch` frames (of `nbytes`, or of `shape` and `dtype`), sent over
    `sock` to a :class:`FrameReceiver`. Per hand-off::

        slot = sender.begin_write()       # waits until CUDA has released the slot
        slot.buffer.upload(pixels, wait=slot.wait, signal=slot.signal, block=False)

    A background thread watches ``ready`` and announces each finished hand-off on the socket,
    and notices a consumer that has gone. Close the sender after its queue work has been
    submitted; the socket stays the caller's.
    """

    __slots__ = ("_lost", "_sock", "_stack", "_stop", "_thread", "_wake", "_writer")

    def __init__(self, sock: socket.socket, producer: FrameProducer, nbytes: int | None = None,
                 slots: int = 3, *, shape: Sequence[int] | None = None, dtype: Any = None,
                 batch: int = 1) -> None:
        sock = _check_socket(sock)
        layout = FrameLayout(slots, nbytes, shape, dtype, batch, None)
        with contextlib.ExitStack() as stack:
            writer = RingWriter(stack, producer, layout)
            send_message(sock, {"kind": "frame_ring", "version": _VERSION, **layout.header()})
            for buffer in writer.buffers:
                send_memory(sock, buffer)
            send_semaphore(sock, writer.ready)
            send_semaphore(sock, writer.released)
            super().__init__(writer.buffers)
            self._stack = stack.pop_all()
        self._sock, self._writer = sock, writer
        self._lost: str | None = None
        self._stop, self._wake = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._announce, daemon=True,
                                        name="cuda_interop frame announcer")
        self._thread.start()

    def begin_write(self, *, timeout: float | None = None) -> FrameSlot:
        """The next hand-off's slot, once CUDA has released the one it held before (waiting on
        the host for at most `timeout` seconds: TimeoutError). Raises :class:`PeerLostError`
        once the consumer has gone."""
        self._live()
        limit = timeout_of(timeout)
        self._check_peer()
        writer = self._writer
        reuse = writer.schedule.next_write_waits_for  # the hand-off that slot held before
        if reuse and writer.released.value < reuse:
            deadline = math.inf if limit is None else time.monotonic() + limit
            while not writer.released.wait(reuse, timeout=max(
                    1e-3, min(_SLICE, deadline - time.monotonic()))):
                self._check_peer()
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"the consumer did not release hand-off {reuse} in "
                                       f"{timeout} s")
        slot = writer.begin_write()
        self._wake.set()
        return slot

    def _check_peer(self) -> None:
        if self._lost is not None:
            raise PeerLostError(self._lost)

    def _announce(self) -> None:
        """Thread: tell the consumer each frame that ``ready`` reached; watch for its end."""
        writer, sock = self._writer, self._sock
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        announced = 0
        try:
            while not self._stop.is_set():
                reached = writer.ready.value
                if reached > announced:
                    send_message(sock, {"kind": "frame", "ready": reached})
                    announced = reached
                elif writer.schedule.written > announced:
                    writer.ready.wait(announced + 1, timeout=_SLICE)
                else:
                    self._wake.wait(_SLICE)
                    self._wake.clear()
                if poller.poll(0):
                    ended = sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
                    raise ConnectionError("the consumer closed the connection" if ended else
                                          "the consumer sent data; a frame consumer sends none")
        except Exception as error:  # the thread's only way out besides close()
            if not self._stop.is_set():
                self._lost = f"the frame consumer is gone: {error}"

    def close(self) -> None:
        """Stops announcing, tells the consumer the channel ended after the last frame that
        finished (waiting up to 2 s for the frames submitted), and releases the ring: its
        buffers live on while queue work uses them, and in the consumer while it maps them."""
        if self._native is not None:
            self._stop.set()
            self._wake.set()
            self._thread.join()
            if self._lost is None:
                ready, written = self._writer.ready, self._writer.schedule.written
                with contextlib.suppress(Exception):  # a frame never submitted, a dead device
                    ready.wait(written, timeout=_CLOSE_WAIT)
                with contextlib.suppress(Exception):  # the consumer may be gone too
                    send_message(self._sock, {"kind": "end", "ready": ready.value})
            self._stack.close()
        super().close()

    def __repr__(self) -> str:
        if self.closed:
            return "ipc.FrameSender(closed)"
        state = "lost" if self._lost else f"written={self._writer.schedule.written}"
        return (f"ipc.FrameSender(slots={self.slots}, batch={self.batch}, nbytes={self.nbytes}, "
                f"{state})")


class Announcements:
    """What a receiver knows of the sender's hand-offs: the last one announced finished, read
    off the socket as needed, and whether the sender has gone. `limit` gives the most the
    sender can have finished (its ring lets it run `slots` hand-offs ahead of our releases)."""

    __slots__ = ("limit", "lost", "reached", "sock", "uids")

    def __init__(self, sock: socket.socket, uids: frozenset[int] | None,
                 limit: Callable[[], int]) -> None:
        self.sock, self.uids, self.limit = sock, uids, limit
        self.reached = 0  # the last hand-off the sender said is finished
        self.lost: str | None = None
    def wait_for(self, number: int, timeout: float | None) -> None:
        """Returns once frame `number` is announced; TimeoutError after `timeout` seconds,
        PeerLostError once the sender has gone without announcing it."""
        if self.reached >= number:  # the common case: the sender is ahead
            return
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.reached < number:
            if self.lost is not None:
                raise PeerLostError(self.lost)
            left = None if deadline is None else max(1e-6, deadline - time.monotonic())
            try:
                message = receive_control(self.sock, left, self.uids)
            except TimeoutError as error:
                raise TimeoutError(f"the producer did not finish frame {number} in {timeout} s: "
                                   f"{error}") from None
            except ConnectionError as error:
                self.lost = f"the frame producer is gone: {error}"
                raise PeerLostError(self.lost) from None
            self._take(message)

    def _take(self, message: Any) -> None:
        kind = message.get("kind") if type(message) is dict else None
        value = message.get("ready") if kind in ("frame", "end") else None
        if type(value) is not int or value < self.reached or value > self.limit() or (
                kind == "frame" and value == self.reached):
            raise ProtocolError(f"expected a frame announcement after frame {self.reached} "
                                f"(at most {self.limit()}), got {message!r}")
        self.reached = value
        if kind == "end":
            self.lost = f"the frame producer closed the channel after frame {value}"


class FrameReceiver(ReaderSide):
    """The consumer's side of a frame channel: receives a :class:`FrameSender`'s ring over
    `sock`, imports it into CUDA on the device it was made on, and per hand-off::

        view = frames.read(stream)        # the next finished hand-off, ordered on `stream`
        ...kernels on `stream` read view...
        frames.release(stream)            # the producer may write that slot again

    :meth:`read` gives what ``frames.FrameRing.read`` gives for the sender's layout (a typed
    view when the sender gave a shape and dtype), converted once per slot by `convert`.
    `timeout` bounds each setup message and `allow_uids` is :func:`receive_share`'s. Close the
    receiver after the streams' work on it has finished; the socket stays the caller's.
    """

    __slots__ = ("_announcements", "_reader", "_stack")

    def __init__(self, sock: socket.socket, *, device: DeviceLike = None,
                 timeout: float | None = None, allow_uids: AllowUids = None,
                 convert: Callable[[Any], Any] | None = None) -> None:
        sock = _check_socket(sock)
        limit = timeout_of(timeout)
        uids = _peer.allowed_uids(allow_uids)
        if device is not None:
            device_ordinal(device)  # a bad `device` is refused before a message is taken
        if convert is not None and not callable(convert):
            raise TypeError(f"convert must be callable, got {type(convert).__name__}")
        layout = _ring_layout(receive_control(sock, limit, uids), convert)
        with contextlib.ExitStack() as stack:
            def receive(kind: str) -> Any:
                share = receive_share(sock, kind, timeout=limit, allow_uids=allow_uids)
                importer: Any = ExternalMemory if kind == "memory" else ExternalSemaphore
                try:
                    return stack.enter_context(importer.from_share(share, device=device))
                finally:
                    share.close()  # the import holds its own duplicate

            memories = [receive("memory") for _ in range(layout.schedule.slots)]
            ready, released = receive("semaphore"), receive("semaphore")
            if not (ready.timeline and released.timeline):
                raise ProtocolError("a frame ring's semaphores are timelines")
            reader = RingReader(stack, layout, memories, ready, released)
            super().__init__(memories)
            self._stack = stack.pop_all()
        self._reader = reader
        schedule = layout.schedule
        self._announcements = Announcements(
            sock, uids, lambda: int(schedule.released) + int(schedule.slots))

    @property
    def slots(self) -> int:
        """Number of buffers in the ring."""
        return int(self._reader.schedule.slots)

    @property
    def batch(self) -> int:
        """Frames per hand-off."""
        return int(self._reader.schedule.batch)

    @property
    def nbytes(self) -> int:
        """Bytes of one frame."""
        return int(self._reader.schedule.frame_nbytes)

    @property
    def device(self) -> int:
        """Ordinal of the CUDA device the ring was imported on (the one it was made on)."""
        return int(self._live()[0].device)

    def read(self, stream: StreamLike = None, *, timeout: float | None = None) -> Any:
        """The next hand-off's view, with CUDA's wait for it enqueued on `stream`.

        Waits on the host until the sender announces the hand-off finished (`timeout` seconds
        at most: TimeoutError). Raises :class:`PeerLostError` once the sender has gone and
        every hand-off it announced was read.
        """
        self._live()
        limit = timeout_of(timeout)
        self._announcements.wait_for(self._reader.next, limit)
        return self._reader.take(stream)

    def __repr__(self) -> str:
        if self.closed:
            return "ipc.FrameReceiver(closed)"
        state = "lost" if self._announcements.lost else f"read={self._reader.next - 1}"
        return (f"ipc.FrameReceiver(slots={self.slots}, batch={self.batch}, "
                f"nbytes={self.nbytes}, {state})")


def _ring_layout(message: Any, convert: Callable[[Any], Any] | None) -> FrameLayout:
    """The layout of a sender's first message."""
    if type(message) is not dict or message.get("kind") != "frame_ring":
        raise ProtocolError(f"expected a frame ring, got {message!r}")
    version = message.get("version")
    if type(version) is not int or version != _VERSION:
        raise ProtocolError(f"frame ring version {version!r} is not {_VERSION}: update both sides")
    fields = {}
    for name in ("slots", "batch", "nbytes"):
        value = message.get(name)
        if type(value) is not int or not 0 < value < 2**63:
            raise ProtocolError(f"field {name!r} must be a positive int, got {value!r}")
        fields[name] = value
    shape, dtype = message.get("shape"), message.get("dtype")
    if shape is not None and (type(shape) is not list or type(dtype) is not str or
                              any(type(extent) is not int for extent in shape)):
        raise ProtocolError(f"fields 'shape' and 'dtype' must be a list of ints and a str, got "
                            f"{shape!r} and {dtype!r}")
    if shape is None and dtype is not None:
        raise ProtocolError(f"field 'dtype' needs a 'shape', got {dtype!r}")
    try:
        layout = FrameLayout(fields["slots"], None if shape else fields["nbytes"], shape, dtype,
                             fields["batch"], convert)
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"a frame ring the sender described is not valid: {error}") from None
    if layout.schedule.frame_nbytes != fields["nbytes"]:
        raise ProtocolError(f"field 'nbytes' is {fields['nbytes']}, but the shape and dtype "
                            f"make {layout.schedule.frame_nbytes}")
    return layout
