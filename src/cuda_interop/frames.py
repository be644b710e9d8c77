# SPDX-License-Identifier: Apache-2.0
"""The frame loop as one object, for any producer: a ring of exported buffers, their CUDA views,
and two timelines that order every hand-off without a host wait on the caller's thread.

>>> ring = vulkan.FrameRing(ctx, shape=(1080, 1920, 4), dtype="uint8", batch=8,
...                         convert=torch.from_dlpack)
>>> slot = ring.begin_write()          # producer: where the next hand-off goes
>>> ...                                # write slot.frames frames into slot.buffer (wait/signal)
>>> frames = ring.read(stream)         # CUDA: the (8, 1080, 1920, 4) tensor of that slot
>>> ring.release(stream)               # CUDA is done with it

A hand-off carries ``batch`` frames, back to back in one slot's buffer, with one signal and one
wait: the cost of switching the GPU between the producer's context and CUDA's (about 160 µs on
an H100, ten times a 1080p frame's copy) is paid once per batch. The order of hand-offs is
:class:`cuda_interop._core.FrameSchedule` (C++): hand-off ``n`` lives in slot ``(n - 1) % slots``,
the producer's write of ``n`` waits for ``released >= n - slots`` and signals ``ready = n``;
CUDA's read waits for ``ready >= n``, and its release signals ``released = n``.

Why :meth:`FrameRing.read` looks at the ``ready`` counter first: the CUDA driver holds the host
thread at the first launch behind a wait for a timeline value that is not yet reached (until
the value is signalled, and about 1.4 ms after if the producer's work was still running), so a
read enqueues CUDA's wait only once the value is reached; a producer that runs ahead makes that
immediate.

A producer plugs in through :class:`FrameProducer`: exportable buffers and timelines. The
Vulkan producer's ``vulkan.FrameRing`` and the two-process ``ipc.FrameSender`` /
``ipc.FrameReceiver`` are built on the classes here.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

import cuda_interop._core as _core

from ._external_memory import ExternalMemory
from ._external_semaphore import ExternalSemaphore
from ._handles import seconds
from ._lifecycle import Owner
from ._stream import StreamLike

__all__ = [
    "FrameBuffer",
    "FrameLayout",
    "FrameProducer",
    "FrameRing",
    "FrameSlot",
    "Timeline",
]


class Timeline(Protocol):
    """A producer's timeline semaphore, exportable to CUDA."""

    @property
    def value(self) -> int:
        """The counter as the producer's device sees it now."""

    def wait(self, value: int, *, timeout: float | None = None) -> bool:
        """Wait on the host until the counter reaches `value`; False after `timeout` seconds."""

    def export_share(self) -> _core.SemaphoreShare:
        """A share descriptor CUDA imports."""

    def close(self) -> None:
        """Release it (after the queue's work on it)."""


class FrameBuffer(Protocol):
    """A producer's buffer, exportable to CUDA."""

    def export_share(self) -> _core.MemoryShare:
        """A share descriptor CUDA imports."""

    def close(self) -> None:
        """Release it (after the queue's work on it)."""


class FrameProducer(Protocol):
    """What a producer offers a ring: exportable buffers and timelines on its device."""

    def create_frame_buffer(self, nbytes: int) -> FrameBuffer:
        """An exportable buffer of at least `nbytes`."""

    def create_frame_timeline(self) -> Timeline:
        """An exportable timeline semaphore starting at 0."""


class FrameLayout:
    """What one hand-off holds: `batch` frames of `shape` `dtype` (or of `nbytes` untyped
    bytes), and how CUDA sees a slot: a typed view of ``shape`` (``(batch, *shape)`` when
    batch > 1), or the slot's :class:`cuda_interop.MappedBuffer` when untyped; `convert` (e.g.
    ``torch.from_dlpack``) is applied to each slot's view once."""

    __slots__ = ("convert", "dtype", "frame_shape", "schedule")

    def __init__(self, slots: Any, nbytes: Any, shape: Any, dtype: Any, batch: Any,
                 convert: Callable[[Any], Any] | None) -> None:
        if (shape is None) != (dtype is None):
            raise TypeError("pass shape and dtype together (or neither, with nbytes)")
        if shape is not None:
            if nbytes is not None:
                raise TypeError("pass either nbytes or shape and dtype, not both")
            self.frame_shape: tuple[int, ...] | None = _shape(shape)
            self.dtype: np.dtype[Any] | None = _dtype(dtype)
            nbytes = math.prod(self.frame_shape) * self.dtype.itemsize
        elif nbytes is None:
            raise TypeError("pass nbytes, or shape and dtype")
        else:
            self.frame_shape, self.dtype = None, None
        if convert is not None and not callable(convert):
            raise TypeError(f"convert must be callable, got {type(convert).__name__}")
        self.convert = convert
        self.schedule = _core.FrameSchedule(slots, batch, nbytes)

    def header(self) -> dict[str, Any]:
        """The layout as the frame channel sends it."""
        s = self.schedule
        return {"slots": s.slots, "batch": s.batch, "nbytes": s.frame_nbytes,
                "shape": None if self.frame_shape is None else list(self.frame_shape),
                "dtype": None if self.dtype is None else self.dtype.str}

    def output(self, memory: ExternalMemory, stack: contextlib.ExitStack) -> Any:
        """How CUDA sees one slot: mapped once, typed once, converted once."""
        mapped = stack.enter_context(memory.map_buffer(0, self.schedule.slot_nbytes))
        if self.frame_shape is None or self.dtype is None:
            view: Any = mapped
        else:
            batch = self.schedule.batch
            view = mapped.view(self.dtype, self.frame_shape if batch == 1 else
                               (batch, *self.frame_shape))
        return view if self.convert is None else self.convert(view)


def _dtype(dtype: Any) -> np.dtype[Any]:
    try:
        resolved: np.dtype[Any] = np.dtype(dtype)
    except TypeError as error:
        raise TypeError(f"dtype {dtype!r} is not understood: {error}") from None
    if resolved.kind not in "biufc" or resolved.fields is not None:
        raise TypeError(f"dtype must be a numeric dtype, got {resolved}")
    return resolved


def _shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
        raise TypeError(f"shape must be a sequence of ints, got {type(shape).__name__}")
    extents = tuple(_core.integer(extent, "shape") for extent in shape)
    if not extents or any(extent <= 0 for extent in extents):
        raise ValueError(f"shape must have extents > 0, got {tuple(shape)}")
    return extents


class FrameSlot:
    """Where the producer writes hand-off :attr:`number`: :attr:`frames` frames of
    :attr:`frame_nbytes` bytes back to back in :attr:`buffer` (frame ``i`` at
    :meth:`offset` ``(i)``). Pass :attr:`wait` to the first queue operation that writes it and
    :attr:`signal` to the last (each a list of ``(timeline, value)`` items)."""

    __slots__ = ("buffer", "frame_nbytes", "frames", "number", "signal", "wait")

    def __init__(self, buffer: Any, number: int, wait: list[tuple[Any, int]],
                 signal: list[tuple[Any, int]], frames: int, frame_nbytes: int) -> None:
        self.buffer = buffer
        self.number = number
        self.wait = wait
        self.signal = signal
        self.frames = frames
        self.frame_nbytes = frame_nbytes

    def offset(self, frame: int) -> int:
        """Byte offset of frame `frame` (0 .. frames - 1) in :attr:`buffer`."""
        if not 0 <= frame < self.frames:
            raise ValueError(f"frame must be within 0..{self.frames - 1}, got {frame}")
        return frame * self.frame_nbytes

    def __repr__(self) -> str:
        return f"FrameSlot(number={self.number}, frames={self.frames})"


class RingWriter:
    """The producer's half of a ring: its buffers, its two timelines, the schedule."""

    __slots__ = ("buffers", "ready", "released", "schedule")

    def __init__(self, stack: contextlib.ExitStack, producer: FrameProducer,
                 layout: FrameLayout) -> None:
        schedule = layout.schedule
        for method in ("create_frame_buffer", "create_frame_timeline"):
            if not callable(getattr(producer, method, None)):
                raise TypeError(f"producer must offer {method}() (a vulkan.Context, ...), "
                                f"got {type(producer).__name__}")
        self.schedule = schedule
        self.buffers = [stack.enter_context(_closing(producer.create_frame_buffer(
            schedule.slot_nbytes))) for _ in range(schedule.slots)]
        self.ready = stack.enter_context(_closing(producer.create_frame_timeline()))
        self.released = stack.enter_context(_closing(producer.create_frame_timeline()))

    def begin_write(self) -> FrameSlot:
        number, slot, reuse, ready = self.schedule.begin_write()
        s = self.schedule
        wait = [(self.released, reuse)] if reuse else []
        return FrameSlot(self.buffers[slot], number, wait, [(self.ready, ready)], s.batch,
                         s.frame_nbytes)


class RingReader:
    """CUDA's half of a ring: one output per slot (made once) and the imported timelines. Its
    caller knows that the next hand-off is reached before :meth:`take` (see the module notes)."""

    __slots__ = ("outputs", "ready", "released", "schedule")

    def __init__(self, stack: contextlib.ExitStack, layout: FrameLayout,
                 memories: list[ExternalMemory], ready: ExternalSemaphore,
                 released: ExternalSemaphore) -> None:
        self.schedule = layout.schedule
        self.outputs = tuple(layout.output(memory, stack) for memory in memories)
        self.ready, self.released = ready, released

    @property
    def next(self) -> int:
        """The hand-off :meth:`take` returns next."""
        return int(self.schedule.released) + 1

    def take(self, stream: StreamLike) -> Any:
        """The next hand-off's output, with CUDA's wait for it enqueued on `stream` (once)."""
        number, slot, again = self.schedule.begin_read()
        if not again:
            self.ready.wait(number, stream=stream)
        return self.outputs[slot]

    def release(self, stream: StreamLike) -> None:
        """CUDA signals on `stream` that it is done with the hand-off read (refused if none)."""
        self.released.signal(self.schedule.release(), stream=stream)


class _closing(contextlib.AbstractContextManager[Any]):
    """Closes a producer object (which may not be a context manager) when the stack unwinds."""

    def __init__(self, thing: Any) -> None:
        self.thing = thing

    def __enter__(self) -> Any:
        return self.thing

    def __exit__(self, *exc: object) -> None:
        self.thing.close()


def import_writer(stack: contextlib.ExitStack, writer: RingWriter,
                  layout: FrameLayout, device: Any = None) -> RingReader:
    """The CUDA side of a writer in this process."""
    def imported(importer: Any, thing: Any) -> Any:
        share = thing.export_share()
        try:
            return stack.enter_context(importer.from_share(share, device=device))
        finally:
            share.close()  # the import holds its own duplicate

    memories = [imported(ExternalMemory, buffer) for buffer in writer.buffers]
    return RingReader(stack, layout, memories, imported(ExternalSemaphore, writer.ready),
                      imported(ExternalSemaphore, writer.released))


class WriterSide:
    """What a ring's producer side shows (FrameRing, ipc.FrameSender)."""

    __slots__ = ()
    _writer: RingWriter

    @property
    def slots(self) -> int:
        """Number of buffers in the ring: how many hand-offs may be in flight at once."""
        return int(self._writer.schedule.slots)

    @property
    def batch(self) -> int:
        """Frames per hand-off."""
        return int(self._writer.schedule.batch)

    @property
    def frame_nbytes(self) -> int:
        """Bytes of one frame."""
        return int(self._writer.schedule.frame_nbytes)

    @property
    def nbytes(self) -> int:
        """Bytes of one frame (an alias of :attr:`frame_nbytes`)."""
        return int(self._writer.schedule.frame_nbytes)

    @property
    def ready(self) -> Any:
        """The timeline the producer signals to n when hand-off n is written."""
        return self._writer.ready

    @property
    def released(self) -> Any:
        """The timeline CUDA signals to n when it is done with hand-off n."""
        return self._writer.released


class ReaderSide(Owner[Any]):
    """What a ring's CUDA side shows (FrameRing, ipc.FrameReceiver): views and release."""

    __slots__ = ()
    _reader: RingReader
    _stack: contextlib.ExitStack

    @property
    def views(self) -> tuple[Any, ...]:
        """What :meth:`read` returns for each slot (made once; the same object each time its
        slot comes round)."""
        self._live()
        return self._reader.outputs

    def release(self, stream: StreamLike = None) -> None:
        """Signal on `stream` that CUDA's work on the hand-off last read is enqueued before it:
        the producer may write that slot again once the stream gets there. ValueError when
        nothing was read since the last release."""
        self._live()
        self._reader.release(stream)

    def close(self) -> None:
        """Releases the buffers, views and timelines (after the streams' work on them)."""
        if self._native is not None:
            self._stack.close()
        super().close()


class FrameRing(WriterSide, ReaderSide):
    """A ring of `slots` exportable buffers from `producer`, each holding `batch` frames, mapped
    in CUDA, with ``ready`` and ``released`` timelines. The loop is three calls::

        ring = frames.FrameRing(ctx, shape=(1080, 1920, 4), dtype="uint8", batch=8)
        slot = ring.begin_write()              # producer: where hand-off n goes
        ...write slot.frames frames into slot.buffer, wait=slot.wait ... signal=slot.signal...
        view = ring.read(stream)               # CUDA: hand-off n, ordered on `stream`
        ...kernels on `stream` read view...
        ring.release(stream)                   # CUDA is done with hand-off n

    Parameters
    ----------
    producer:
        A :class:`FrameProducer`: ``vulkan.Context`` (see ``vulkan.FrameRing``).
    nbytes:
        Bytes of one frame, for an untyped ring (:meth:`read` gives a ``MappedBuffer``).
    slots:
        Hand-offs in flight at once (1..64).
    shape, dtype:
        One frame's shape and dtype instead of `nbytes`: :meth:`read` gives a typed view of
        `shape`, or ``(batch, *shape)`` when `batch` > 1.
    batch:
        Frames per hand-off (1..1024): one signal and one wait per batch.
    convert:
        Applied once to each slot's view, e.g. ``torch.from_dlpack``: :meth:`read` then returns
        the same tensor each time a slot comes round.

    Nothing here blocks the caller except :meth:`read` when the producer is behind (see the
    module notes). Close the ring after the stream's work on it has finished.
    """

    __slots__ = ("_reader", "_stack", "_writer")

    def __init__(self, producer: FrameProducer, nbytes: int | None = None, slots: int = 3, *,
                 shape: Sequence[int] | None = None, dtype: Any = None, batch: int = 1,
                 convert: Callable[[Any], Any] | None = None) -> None:
        layout = FrameLayout(slots, nbytes, shape, dtype, batch, convert)
        with contextlib.ExitStack() as stack:
            writer = RingWriter(stack, producer, layout)
            reader = import_writer(stack, writer, layout)
            super().__init__(writer.buffers)
            self._stack = stack.pop_all()
        self._writer, self._reader = writer, reader

    def begin_write(self) -> FrameSlot:
        """The next hand-off's slot, its number, and the ``wait`` / ``signal`` items."""
        self._live()
        return self._writer.begin_write()

    def read(self, stream: StreamLike = None, *, timeout: float | None = None) -> Any:
        """The next hand-off's view (or converted tensor), with CUDA's wait for it enqueued on
        `stream`; the same one again until :meth:`release`.

        Waits on the host only while the producer has not finished the hand-off (`timeout`
        seconds at most: TimeoutError), so that no launch behind CUDA's wait can stall.
        """
        self._live()
        limit = wait_limit(timeout)
        number, writer = self._reader.next, self._writer
        if number > writer.schedule.written:
            raise ValueError(f"hand-off {number} has not been begun: call begin_write() first")
        ready = writer.ready
        if ready.value < number and not ready.wait(number, timeout=limit):
            raise TimeoutError(f"the producer did not finish hand-off {number} in {timeout} s")
        return self._reader.take(stream)

    def __repr__(self) -> str:
        if self.closed:
            return f"{_ring_name(self)}(closed)"
        s = self._writer.schedule
        return (f"{_ring_name(self)}(slots={s.slots}, batch={s.batch}, nbytes={s.frame_nbytes}, "
                f"written={s.written}, read={s.released})")


def wait_limit(timeout: Any) -> float | None:
    """A host wait's limit in seconds: None, or a number >= 0 (ValueError otherwise)."""
    limit = seconds(timeout)
    if limit is not None and not 0 <= limit < math.inf:
        raise ValueError(f"timeout must be a finite number of seconds >= 0, or None, got "
                         f"{timeout!r}")
    return limit


def _ring_name(ring: object) -> str:
    module = type(ring).__module__.rsplit(".", 1)[-1]
    return f"{module}.{type(ring).__name__}"
