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


class FrameRing(Owner[Any]):
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

    __slots__ = ("_cuda_ready", "_cuda_released", "_next_read", "_ready", "_released", "_slots",
                 "_stack", "_views", "_written", "nbytes")

    def __init__(self, context: Any, nbytes: int, slots: int = 3) -> None:
        count = integer(slots, "slots")
        if count < 1:
            raise ValueError(f"slots must be > 0, got {count}")
        with contextlib.ExitStack() as stack:
            buffers = [stack.enter_context(context.create_buffer(nbytes)) for _ in range(count)]
            views = [stack.enter_context(stack.enter_context(buffer.to_cuda()).map_buffer())
                     for buffer in buffers]
            ready: Semaphore = stack.enter_context(context.create_semaphore(timeline=True))
            released: Semaphore = stack.enter_context(context.create_semaphore(timeline=True))
            cuda_ready: ExternalSemaphore = stack.enter_context(ready.to_cuda())
            cuda_released: ExternalSemaphore = stack.enter_context(released.to_cuda())
            super().__init__(buffers)
            self._stack = stack.pop_all()
        self.nbytes = int(nbytes)
        self._slots = count
        self._views: list[MappedBuffer] = views
        self._ready, self._released = ready, released
        self._cuda_ready, self._cuda_released = cuda_ready, cuda_released
        self._written = 0     # the last frame handed to the producer
        self._next_read = 1   # the frame read() returns next

    @property
    def slots(self) -> int:
        """Number of buffers in the ring: how many frames may be in flight at once."""
        return self._slots

    @property
    def ready(self) -> Semaphore:
        """The timeline the producer signals to n when frame n is written."""
        return self._ready

    @property
    def released(self) -> Semaphore:
        """The timeline CUDA signals to n when it is done with frame n."""
        return self._released

    def begin_write(self) -> FrameSlot:
        """The next frame's slot, its number, and the Vulkan ``wait=``/``signal=`` items."""
        buffers: list[Buffer] = self._live()
        number = self._written + 1
        reuse = number - self._slots  # the frame this slot held before
        wait: list[SemaphoreItem] = [(self._released, reuse)] if reuse > 0 else []
        self._written = number
        return FrameSlot(buffers[(number - 1) % self._slots], number, wait,
                         [(self._ready, number)])

    def read(self, stream: StreamLike = None, *, timeout: float | None = None) -> MappedBuffer:
        """The next frame's view, with CUDA's wait for it enqueued on `stream`.

        Waits on the host only while the producer has not finished the frame (``timeout``
        seconds at most: TimeoutError), so that no launch behind CUDA's wait can stall.
        """
        self._live()
        number = self._next_read
        if number > self._written:
            raise ValueError(f"frame {number} has not been begun: call begin_write() first")
        if self._ready.value < number and not self._ready.wait(number, timeout=timeout):
            raise TimeoutError(f"the producer did not finish frame {number} in {timeout} s")
        self._cuda_ready.wait(number, stream=stream)
        return self._views[(number - 1) % self._slots]

    def release(self, stream: StreamLike = None) -> None:
        """Signal on `stream` that CUDA's work on the frame last read is enqueued before it:
        the producer may write that slot again once the stream gets there."""
        self._live()
        number = self._next_read
        self._cuda_released.signal(number, stream=stream)
        self._next_read = number + 1

    def close(self) -> None:
        """Releases the buffers, views and semaphores (after the stream's work on them)."""
        if self._native is not None:
            self._stack.close()
        super().close()

    def __repr__(self) -> str:
        if self.closed:
            return "vulkan.FrameRing(closed)"
        return (f"vulkan.FrameRing(slots={self._slots}, nbytes={self.nbytes}, "
                f"written={self._written}, read={self._next_read - 1})")
