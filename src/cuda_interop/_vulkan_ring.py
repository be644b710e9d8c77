# SPDX-License-Identifier: Apache-2.0
"""The frame loop as one object: a ring of exported Vulkan buffers, their CUDA views, and two
timelines that order every hand-off without a host wait on the caller's thread.

Frame ``n`` (numbered from 1) lives in slot ``(n - 1) % slots``. The producer's write of frame
``n`` waits (on the Vulkan queue) until CUDA has released frame ``n - slots`` from that slot, and
signals ``ready = n``; CUDA's reads wait (on the stream) for ``ready >= n`` and then signal
``released = n``.

Why :meth:`FrameRing.read` may look at the ``ready`` counter first: the CUDA driver holds the
host thread at the first launch behind a wait for a Vulkan timeline value that is not yet
reached (measured on an H200: until the value is signalled, and about 1.4 ms after the gate
opens if the Vulkan work was still running). So a read enqueues CUDA's wait only once the
value is reached; a producer that runs ahead (a ring of 2 or more) makes that immediate.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from ._handles import integer
from ._lifecycle import Owner
from ._stream import StreamLike

if TYPE_CHECKING:
    from ._external_semaphore import ExternalSemaphore
    from ._mapped_buffer import MappedBuffer
    from ._vulkan_memory import Buffer
    from ._vulkan_sync import Semaphore, SemaphoreItem


class FrameSlot:
    """The slot the producer writes frame :attr:`number` into, with the ``wait=`` and
    ``signal=`` items its Vulkan work must carry (pass both to exactly one operation)."""

    __slots__ = ("buffer", "number", "signal", "wait")

    def __init__(self, buffer: Buffer, number: int, wait: list[SemaphoreItem],
                 signal: list[SemaphoreItem]) -> None:
        self.buffer = buffer
        self.number = number
        self.wait = wait
        self.signal = signal


class RingWriter:
    """The producer's half of a ring: its buffers, the two Vulkan timelines, and which frame
    goes where. Shared by :class:`FrameRing` and ``ipc.FrameSender``."""

    __slots__ = ("buffers", "ready", "released", "written")

    def __init__(self, buffers: list[Buffer], ready: Semaphore, released: Semaphore) -> None:
        self.buffers = buffers
        self.ready, self.released = ready, released
        self.written = 0  # the last frame handed to the producer

    def begin_write(self) -> FrameSlot:
        slots = len(self.buffers)
        number = self.written + 1
        reuse = number - slots  # the frame this slot held before
        wait: list[SemaphoreItem] = [(self.released, reuse)] if reuse > 0 else []
        self.written = number
        return FrameSlot(self.buffers[(number - 1) % slots], number, wait,
                         [(self.ready, number)])


class RingReader:
    """CUDA's half of a ring: the views of its buffers and the imported timelines. Its caller
    knows that the next frame is reached before :meth:`take` (see the module notes)."""

    __slots__ = ("next", "ready", "released", "views")

    def __init__(self, views: list[MappedBuffer], ready: ExternalSemaphore,
                 released: ExternalSemaphore) -> None:
        self.views = views
        self.ready, self.released = ready, released
        self.next = 1  # the frame take() returns next

    def take(self, stream: StreamLike) -> MappedBuffer:
        """The next frame's view, with CUDA's wait for it enqueued on `stream`."""
        number = self.next
        self.ready.wait(number, stream=stream)
        return self.views[(number - 1) % len(self.views)]

    def release(self, stream: StreamLike) -> None:
        """CUDA signals on `stream` that it is done with the frame last taken."""
        self.released.signal(self.next, stream=stream)
        self.next += 1


class WriterSide:
    """What a ring's producer side shows (FrameRing, ipc.FrameSender): its size and timelines."""

    __slots__ = ()
    _writer: RingWriter

    @property
    def slots(self) -> int:
        """Number of buffers in the ring: how many frames may be in flight at once."""
        return len(self._writer.buffers)

    @property
    def ready(self) -> Semaphore:
        """The timeline the producer's queue signals to n when frame n is written."""
        return self._writer.ready

    @property
    def released(self) -> Semaphore:
        """The timeline CUDA signals to n when it is done with frame n."""
        return self._writer.released


def create_writer(stack: contextlib.ExitStack, context: Any, nbytes: int,
                  slots: int) -> RingWriter:
    """`slots` exportable buffers of `nbytes` and the two timelines, closed by `stack`."""
    from .vulkan import Context

    if not isinstance(context, Context):
        raise TypeError(f"context must be a vulkan.Context, got {type(context).__name__}")
    buffers = [stack.enter_context(context.create_buffer(nbytes)) for _ in range(slots)]
    ready: Semaphore = stack.enter_context(context.create_semaphore(timeline=True))
    released: Semaphore = stack.enter_context(context.create_semaphore(timeline=True))
    return RingWriter(buffers, ready, released)


class FrameRing(WriterSide, Owner[Any]):
    """`slots` exportable buffers of `nbytes` each, mapped in CUDA, with ``ready`` and
    ``released`` timelines. The loop is three calls::

        ring = vulkan.FrameRing(ctx, nbytes, slots=3)
        slot = ring.begin_write()                       # producer: where frame n goes
        slot.buffer.upload(pixels, wait=slot.wait, signal=slot.signal, block=False)
        view = ring.read(stream)                        # CUDA: frame n, ordered on `stream`
        ...kernels on `stream` read view...
        ring.release(stream)                            # CUDA is done with frame n

    Nothing here blocks the caller except :meth:`read` when the producer is behind (see the
    module notes). Close the ring after the stream's work on it has finished.
    """

    __slots__ = ("_reader", "_stack", "_writer", "nbytes")

    def __init__(self, context: Any, nbytes: int, slots: int = 3) -> None:
        count = integer(slots, "slots")
        if count < 1:
            raise ValueError(f"slots must be > 0, got {count}")
        with contextlib.ExitStack() as stack:
            writer = create_writer(stack, context, nbytes, count)
            views = [stack.enter_context(stack.enter_context(buffer.to_cuda()).map_buffer())
                     for buffer in writer.buffers]
            reader = RingReader(views, stack.enter_context(writer.ready.to_cuda()),
                                stack.enter_context(writer.released.to_cuda()))
            super().__init__(writer.buffers)
            self._stack = stack.pop_all()
        self.nbytes = int(nbytes)
        self._writer, self._reader = writer, reader

    def begin_write(self) -> FrameSlot:
        """The next frame's slot, its number, and the Vulkan ``wait=``/``signal=`` items."""
        self._live()
        return self._writer.begin_write()

    def read(self, stream: StreamLike = None, *, timeout: float | None = None) -> MappedBuffer:
        """The next frame's view, with CUDA's wait for it enqueued on `stream`.

        Waits on the host only while the producer has not finished the frame (``timeout``
        seconds at most: TimeoutError), so that no launch behind CUDA's wait can stall.
        """
        self._live()
        number, ready = self._reader.next, self._writer.ready
        if number > self._writer.written:
            raise ValueError(f"frame {number} has not been begun: call begin_write() first")
        if ready.value < number and not ready.wait(number, timeout=timeout):
            raise TimeoutError(f"the producer did not finish frame {number} in {timeout} s")
        return self._reader.take(stream)

    def release(self, stream: StreamLike = None) -> None:
        """Signal on `stream` that CUDA's work on the frame last read is enqueued before it:
        the producer may write that slot again once the stream gets there."""
        self._live()
        self._reader.release(stream)

    def close(self) -> None:
        """Releases the buffers, views and semaphores (after the stream's work on them)."""
        if self._native is not None:
            self._stack.close()
        super().close()

    def __repr__(self) -> str:
        if self.closed:
            return "vulkan.FrameRing(closed)"
        return (f"vulkan.FrameRing(slots={self.slots}, nbytes={self.nbytes}, "
                f"written={self._writer.written}, read={self._reader.next - 1})")
