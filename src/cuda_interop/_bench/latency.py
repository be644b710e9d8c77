# SPDX-License-Identifier: Apache-2.0
"""Per-frame latency of the frame ring: from the producer's submission of a frame to CUDA's
work on it done, p50 and p99, beside frames per second and the no-work hand-off floor.

How a latency is measured, without a host wait inside the loop that would change it:

- Submission: the host clock (``time.perf_counter_ns``) just before the producer's call that
  submits the frame's Vulkan copy.
- Done: a CUDA event recorded on the consumer's stream right after its copy of the hand-off
  (before ``release``). After the run, each event's GPU time is mapped onto the host clock
  through two anchors: an event recorded on the idle stream just before the run and one just
  after, each bracketed by host timestamps (the narrowest of a few tries; the mapping's error is
  at most half that window, reported under the table), with the GPU-to-host clock rate taken
  from the two anchors.
- A frame's latency counts from its own submission. Unpaced (as fast as the ring goes, the
  producer one hand-off ahead, as in the throughput tables): a batch is one copy, so its k
  frames share one submission. Paced (one frame every :data:`INTERVAL_US` µs, as a renderer
  would deliver them): each frame is its own copy into its place in the slot, so the first
  frame of a batch waits for the batch to fill.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import handoff_floor
from .arrays import DeviceArrays
from .frame_batches import batched_ring, failed, frame_formats, release_memory
from .report import Section, number
from .rig import Rig

BATCHES = (1, 4, 8)
INTERVAL_US = 1000  # the paced producer: one frame per millisecond
PERCENTILES = (50.0, 99.0)
ANCHOR_TRIES = 10
MAX_RATE_ERROR = 1e-3  # a GPU/host clock rate further from 1 than this is a failed mapping
UNPACED, PACED = "unpaced", "paced"

clock = time.perf_counter_ns


def percentiles(values: Sequence[float], points: Sequence[float] = PERCENTILES) -> list[float]:
    """The `points` percentiles (0-100) of `values`, linearly interpolated between ranks."""
    if len(values) == 0:
        raise ValueError("no measurements")
    if any(not 0 <= point <= 100 for point in points):
        raise ValueError(f"percentiles must be in [0, 100], got {list(points)}")
    return [float(value) for value in np.percentile(np.asarray(values, dtype=float), points)]


@dataclass(frozen=True)
class Anchor:
    """A CUDA event and the host time it happened at, within ± ``window_ns / 2``."""

    event: Any
    host_ns: float
    window_ns: int


def anchor(arrays: DeviceArrays, tries: int = ANCHOR_TRIES) -> Anchor:
    """An event recorded on the (idle) current stream, bracketed by host timestamps: the
    narrowest of `tries`, placed at the middle of its bracket."""
    best: Anchor | None = None
    for _ in range(tries):
        event = arrays.event()
        before = clock()
        event.record()
        event.synchronize()
        after = clock()
        if best is None or after - before < best.window_ns:
            best = Anchor(event, (before + after) / 2, after - before)
    assert best is not None
    return best


@dataclass(frozen=True)
class ClockMap:
    """GPU event time (ms after the first anchor) → host ns, through two anchors."""

    host0_ns: float
    host1_ns: float
    gpu_span_ms: float

    @property
    def rate(self) -> float:
        """Host ns per GPU ns between the anchors (1 when that cannot be trusted)."""
        if self.gpu_span_ms <= 0:
            return 1.0
        rate = (self.host1_ns - self.host0_ns) / (self.gpu_span_ms * 1e6)
        return rate if abs(rate - 1) <= MAX_RATE_ERROR else 1.0

    def host_ns(self, gpu_ms: float) -> float:
        return self.host0_ns + gpu_ms * 1e6 * self.rate


def completion_ns(arrays: DeviceArrays, first: Anchor, last: Anchor,
                  events: Sequence[Any]) -> list[float]:
    """The host time at which each (completed) event in `events` happened."""
    mapping = ClockMap(first.host_ns, last.host_ns, arrays.elapsed_ms(first.event, last.event))
    return [mapping.host_ns(arrays.elapsed_ms(first.event, event)) for event in events]


def frame_latencies_us(submitted_ns: Sequence[float], done_ns: Sequence[float],
                       batch: int) -> list[float]:
    """µs from each frame's submission to its hand-off's completion: frame f is in hand-off
    ``f // batch``."""
    if len(submitted_ns) != len(done_ns) * batch:
        raise ValueError(f"{len(submitted_ns)} frames do not make {len(done_ns)} hand-offs of "
                         f"{batch}")
    return [(done_ns[frame // batch] - submitted) / 1e3
            for frame, submitted in enumerate(submitted_ns)]


@dataclass
class Measured:
    """One latency run: every frame's latency, the frame rate, and the clock mapping's error."""

    latencies_us: list[float]
    frames_per_s: float
    error_us: float
    late_frames: int = 0


class _Consumer:
    """CUDA's side of a hand-off, with an event recorded after the copy (before release)."""

    def __init__(self, ring: Any, arrays: DeviceArrays, out: Any) -> None:
        self.ring, self.arrays, self.out = ring, arrays, out
        self.wrapped: dict[int, Any] = {}

    def __call__(self, event: Any | None = None) -> None:
        arrays = self.arrays
        view = self.ring.read(arrays.stream, timeout=10)
        array = self.wrapped.get(id(view))
        if array is None:
            array = self.wrapped[id(view)] = arrays.wrap(view)
        arrays.copy(self.out, array)
        if event is not None:
            event.record()
        self.ring.release(arrays.stream)


def _measured(arrays: DeviceArrays, first: Anchor, last: Anchor, events: Sequence[Any],
              submitted: Sequence[float], batch: int, wall_ns: int, late: int = 0) -> Measured:
    done = completion_ns(arrays, first, last, events)
    return Measured(frame_latencies_us(submitted, done, batch), len(submitted) / wall_ns * 1e9,
                    max(first.window_ns, last.window_ns) / 2e3, late)


def unpaced(ring: Any, rendered: Any, consume: _Consumer, batch: int, count: int) -> Measured:
    """`count` hand-offs as fast as the ring goes, the producer one hand-off ahead; a batch is
    one copy, its frames share its submission time."""
    arrays = consume.arrays
    events = [arrays.event() for _ in range(count)]
    submitted: list[float] = []

    def produce() -> None:
        submitted.extend([clock()] * batch)
        slot = ring.begin_write()
        rendered.copy_to(slot.buffer, wait=slot.wait, signal=slot.signal, block=False)

    first = anchor(arrays)
    start = clock()
    produce()
    for index in range(count - 1):
        produce()
        consume(events[index])
    consume(events[count - 1])
    arrays.synchronize()
    wall = clock() - start
    return _measured(arrays, first, anchor(arrays), events, submitted, batch, wall)


def paced(ring: Any, rendered: Any, consume: _Consumer, frame_nbytes: int, batch: int,
          count: int, interval_ns: int) -> Measured:
    """`count` hand-offs, one frame submitted every `interval_ns` (each frame its own copy into
    its place in the slot); between frames the host reads every hand-off whose ``ready`` it
    sees reached, so no read waits."""
    arrays = consume.arrays
    frames = count * batch
    events = [arrays.event() for _ in range(count)]
    submitted = [0.0] * frames
    written: deque[int] = deque()  # hand-offs whose last frame is submitted, not yet read
    read = late = 0
    slot: Any = None
    first = anchor(arrays)
    start = clock() + interval_ns
    for frame in range(frames):
        deadline = start + frame * interval_ns
        while True:
            if written and ring.ready.value >= written[0]:
                written.popleft()
                consume(events[read])
                read += 1
            elif clock() >= deadline:
                break
        index = frame % batch
        if index == 0:
            slot = ring.begin_write()
        last = index == batch - 1
        submitted[frame] = clock()
        late += submitted[frame] - deadline > interval_ns / 2
        # Every copy carries the slot's wait (a reached timeline value costs nothing to wait
        # for again); the last one signals the hand-off.
        rendered.copy_to(slot.buffer, size=frame_nbytes, source_offset=index * frame_nbytes,
                         destination_offset=index * frame_nbytes, wait=slot.wait,
                         signal=slot.signal if last else [], block=False)
        if last:
            written.append(slot.number)
    while written:
        written.popleft()
        consume(events[read])
        read += 1
    arrays.synchronize()
    wall = clock() - start
    return _measured(arrays, first, anchor(arrays), events, submitted, batch, wall, late)


def measure(rig: Rig, frame_nbytes: int, batch: int, frames: int) -> dict[str, Measured]:
    """Both pacings through one ring of `batch` frames per slot, about `frames` frames each."""
    arrays = rig.arrays
    assert arrays is not None
    count = max(frames // batch, 8)
    with batched_ring(rig, frame_nbytes, batch) as (ring, rendered):
        out: dict[str, Any] = {"out": arrays.malloc(frame_nbytes * batch)}
        consume = _Consumer(ring, arrays, out["out"])
        try:
            unpaced(ring, rendered, consume, batch, 4)  # warm-up
            return {UNPACED: unpaced(ring, rendered, consume, batch, count),
                    PACED: paced(ring, rendered, consume, frame_nbytes, batch, count,
                                 INTERVAL_US * 1000)}
        finally:
            consume.wrapped.clear()  # drop the arrays before the ring closes what they view
            out.clear()


def run(rig: Rig) -> Section:
    """The latency table: p50/p99 per frame for k = 1, 4, 8, unpaced and paced."""
    settings = rig.settings
    frames = settings.frame_count * 5
    section = Section(
        "Frame latency: producer's submission → CUDA's copy of the frame done",
        "Per frame, µs from the host call that submits the frame's Vulkan copy "
        "(`time.perf_counter_ns`) to the end of CUDA's copy of its hand-off out of the ring "
        "(a CUDA event after the copy, its GPU time mapped onto the host clock by events "
        "recorded on the idle stream just before and after the run), through "
        "`vulkan.FrameRing(batch=k)`. *Unpaced*: as fast as the ring goes, the producer one "
        "hand-off ahead (the throughput tables' loop); a batch is one copy and its k frames "
        f"share its submission. *Paced*: one frame every {INTERVAL_US} µs "
        f"({1e6 / INTERVAL_US:,.0f} frames/s offered), each frame its own copy into its place "
        "in the slot, the last one signalling the hand-off, so the first frame of a batch waits "
        "about (k - 1) intervals for the batch to fill; between frames the host enqueues "
        f"CUDA's side of every hand-off it sees ready. About {frames} frames per row after a "
        "warm-up; frames/s is frames ÷ host wall time of the run.",
        headers=["Frame", "k", "producer", "latency p50 µs", "latency p99 µs", "frames/s"],
    )
    if rig.arrays is None:
        section.notes.append(f"skipped: {rig.arrays_note}")
        return section
    problem = rig.vulkan.timeline_semaphores
    if problem is not None:
        section.notes.append(f"skipped: {problem}")
        return section
    error_us = 0.0
    late: list[str] = []
    for name, frame_nbytes in frame_formats(settings):
        if not name.endswith("RGBA8"):
            continue
        for batch in BATCHES:
            try:
                results = measure(rig, frame_nbytes, batch, frames)
            except Exception as error:  # the other rows stand; the section counts as failed
                failed(section, f"{name}, k = {batch}", error)
                continue
            finally:
                release_memory(rig)
            for pacing, result in results.items():
                p50, p99 = percentiles(result.latencies_us)
                label = (f"paced, {INTERVAL_US} µs per frame" if pacing == PACED
                         else "unpaced (as fast as it goes)")
                section.add_row(f"{name} ({frame_nbytes / 1e6:.1f} MB)", str(batch), label,
                                number(p50, 1), number(p99, 1), number(result.frames_per_s, 0))
                error_us = max(error_us, result.error_us)
                if result.late_frames:
                    late.append(f"{name} k = {batch}: {result.late_frames}")
    floor = handoff_floor.measure(rig)
    section.notes.append("No-work hand-off floor (Vulkan → CUDA → Vulkan ping-pong): " +
                         (floor.describe() if not isinstance(floor, str) else f"n/a ({floor})"))
    section.notes.append(f"Clock mapping error: at most ±{error_us:.1f} µs per latency.")
    if late:
        section.notes.append(f"Paced frames submitted more than half an interval late: "
                             f"{', '.join(late)}.")
    return section
