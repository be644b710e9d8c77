# SPDX-License-Identifier: Apache-2.0
"""The batched frame loop: k frames per hand-off through ``vulkan.FrameRing(batch=k)``.

Each slot holds k frames back to back. Per hand-off the Vulkan queue copies k rendered frames
into the slot with one copy (waiting for the slot's release, signalling ``ready``), and CUDA
waits once, copies the k frames out with one copy and signals ``released`` once: the cost of a
hand-off is shared by k frames. Beside it: the raw C++ loop of the same structure
(``raw_vulkan_pipeline --batch``), two processes (``ipc.FrameSender`` → ``FrameReceiver``), the
same copies on ``cudaMalloc`` memory (kernel only), and the bound the issue set: per frame ≤
kernel only + the no-work hand-off floor ÷ k.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from . import handoff_floor, raw_pipeline, two_process
from .consumer import copy_out
from .frame_content import check_frames, upload_frames
from .frame_handoff import per_frame_us
from .report import NOT_MEASURED, Section, number, ratio
from .rig import Rig
from .settings import Settings

BATCHES = (1, 2, 4, 8, 16)
MIN_HANDOFFS = 24  # per timed run, whatever k: raw_vulkan_pipeline.cpp uses the same rule
SLOTS = 3
TARGET = ("1080p RGBA8", 8, 50.0)  # frame, k, µs per frame at most
TARGET_RATIO = 1.1  # ring ÷ raw C++ at most
PIXELS = (("RGBA8", 4), ("RGBA16F", 8))


def handoffs(frames: int, batch: int) -> int:
    """Hand-offs per timed run: `frames` frames, and never fewer than :data:`MIN_HANDOFFS`."""
    if frames < 1 or batch < 1:
        raise ValueError(f"frames and batch must be > 0, got {frames} and {batch}")
    return max(frames // batch, MIN_HANDOFFS)


def bound_us(kernel_us: float, floor_us: float, batch: int) -> float:
    """What a frame may cost at most: its copies alone plus one hand-off's floor shared by the
    `batch` frames it carries."""
    return kernel_us + floor_us / batch


def frame_formats(settings: Settings) -> list[tuple[str, int]]:
    """``("1080p RGBA8", bytes)`` for each frame size and pixel format of the table."""
    return [(f"{label} {pixel}", width * height * size)
            for label, width, height in settings.frame_sizes for pixel, size in PIXELS]


@dataclass
class Row:
    """One row of the table: a frame format and k, and µs per frame of each loop."""

    frame: str
    frame_nbytes: int
    batch: int
    ring_us: float | None = None
    raw_us: float | None = None
    two_us: float | None = None
    kernel_us: float | None = None

    def bound(self, floor_us: float | None) -> float | None:
        if self.kernel_us is None or floor_us is None:
            return None
        return bound_us(self.kernel_us, floor_us, self.batch)

    def within(self, floor_us: float | None) -> str:
        bound = self.bound(floor_us)
        if bound is None or self.ring_us is None:
            return NOT_MEASURED
        return "yes" if self.ring_us <= bound else "no"

    def cells(self, floor_us: float | None) -> list[str]:
        return [f"{self.frame} ({self.frame_nbytes / 1e6:.1f} MB)", str(self.batch),
                number(self.ring_us, 1), number(self.raw_us, 1), ratio(self.ring_us, self.raw_us),
                number(self.two_us, 1), ratio(self.two_us, self.ring_us),
                number(self.kernel_us, 1), number(self.bound(floor_us), 1),
                self.within(floor_us)]


HEADERS = ["Frame", "k", "ring µs/frame", "raw C++ µs/frame", "ring ÷ raw C++",
           "two processes µs/frame", "two ÷ one process", "kernel only µs/frame",
           "bound µs/frame", "within bound"]


def verdicts(rows: Sequence[Row], floor_us: float | None) -> list[str]:
    """The targets, met or not, as notes under the table."""
    notes = []
    frame, batch, limit = TARGET
    target = next((row for row in rows if row.frame == frame and row.batch == batch), None)
    if target is not None and target.ring_us is not None:
        met = "met" if target.ring_us <= limit else "NOT met"
        notes.append(f"Target {frame}, k = {batch}: ≤ {limit:g} µs per frame: "
                     f"{target.ring_us:,.1f} ({met}).")
    ratios = [(row.ring_us / row.raw_us, row) for row in rows
              if row.ring_us is not None and row.raw_us]
    if ratios:
        worst, row = max(ratios, key=lambda pair: pair[0])
        met = "met" if worst <= TARGET_RATIO else "NOT met"
        notes.append(f"Target ring ÷ raw C++ ≤ {TARGET_RATIO:g}: worst {worst:.3f} "
                     f"({row.frame}, k = {row.batch}) ({met}).")
    outside = [f"{row.frame} k = {row.batch}" for row in rows if row.within(floor_us) == "no"]
    if floor_us is not None and any(row.within(floor_us) != NOT_MEASURED for row in rows):
        notes.append("Bound kernel only + floor ÷ k: " +
                     ("every row within." if not outside else "outside: " + ", ".join(outside)))
    return notes


@contextlib.contextmanager
def batched_ring(rig: Rig, frame_nbytes: int, batch: int) -> Iterator[tuple[Any, Any]]:
    """A ``vulkan.FrameRing`` of :data:`SLOTS` slots of `batch` frames on ``rig.vulkan`` and a
    Vulkan buffer of `batch` rendered frames (:mod:`.frame_content`): (ring, rendered)."""
    from ..vulkan import FrameRing

    context = rig.vulkan.context
    assert context is not None
    with contextlib.ExitStack() as stack:
        rendered = stack.enter_context(context.create_buffer(frame_nbytes * batch))
        upload_frames(rendered, frame_nbytes, batch)
        ring = stack.enter_context(FrameRing(context, nbytes=frame_nbytes, slots=SLOTS,
                                             batch=batch))
        stack.callback(context.wait_idle)  # runs first: no queue work outlives the buffers
        yield ring, rendered


def one_process(rig: Rig, frame_nbytes: int, batch: int, count: int) -> tuple[float, float]:
    """µs per frame of `count` hand-offs per run through the ring (producer one hand-off ahead),
    checked for the right bytes, and of the same two copies on ``cudaMalloc`` memory."""
    arrays = rig.arrays
    assert arrays is not None
    nbytes = frame_nbytes * batch
    with batched_ring(rig, frame_nbytes, batch) as (ring, rendered):
        device: dict[str, Any] = {"out": arrays.malloc(nbytes), "source": arrays.malloc(nbytes)}
        wrapped: dict[int, Any] = {}

        def produce() -> None:
            slot = ring.begin_write()
            rendered.copy_to(slot.buffer, wait=slot.wait, signal=slot.signal, block=False)

        def loop() -> None:
            produce()
            for _ in range(count):
                produce()
                copy_out(ring, arrays, wrapped, device["out"])
            copy_out(ring, arrays, wrapped, device["out"])
            arrays.synchronize()

        def kernel_only() -> None:
            for _ in range(count):
                arrays.copy(device["source"], device["out"])
                arrays.copy(device["out"], device["source"])
            arrays.synchronize()

        try:
            ring_us = per_frame_us(loop, count * batch)
            check_frames(arrays, device["out"], frame_nbytes, batch, "one process")
            kernel_us = per_frame_us(kernel_only, count * batch)
        finally:
            wrapped.clear()  # drop the arrays before the ring closes what they view
            device.clear()
    return ring_us, kernel_us


def failed(section: Section, what: str, error: Exception) -> None:
    """Note a loop that raised (its cells stay n/a) and mark the section failed."""
    traceback.print_exc(file=sys.stderr)
    section.notes.append(f"FAILED: {what}: {type(error).__name__}: {error}")
    section.failed = True


def release_memory(rig: Rig) -> None:
    """Return freed device memory between rows (the largest rows hold GBs)."""
    gc.collect()
    if rig.arrays is not None:
        rig.arrays.release()


def run(rig: Rig) -> Section:
    """The batched table: µs per frame for k = 1, 2, 4, 8, 16 at each frame format. A loop that
    raises leaves its cells n/a, says why under the table and marks the section failed."""
    settings = rig.settings
    frames = settings.frame_count * 5
    section = Section(
        "Batched frame loop: µs per frame, k frames per hand-off",
        f"`vulkan.FrameRing(ctx, nbytes=frame, slots={SLOTS}, batch=k)`: each slot holds k "
        "frames back to back. Per hand-off the Vulkan queue copies k rendered frames into the "
        "slot with one copy (`copy_to(block=False)` waiting for the slot's release, signalling "
        "`ready`), CUDA waits on its stream, copies the k frames out with one copy and signals "
        f"`released`; the producer runs one hand-off ahead. Host wall time of {frames} frames "
        f"(at least {MIN_HANDOFFS} hand-offs) ÷ frames, median of 3 runs after a warm-up run; "
        "the delivered frames are checked (bytes and order). Raw C++: the same structure "
        "written directly against Vulkan and the CUDA runtime (`raw_vulkan_pipeline --batch`). "
        "Two processes: the producer in another process (`ipc.FrameSender(batch=k)` → "
        "`ipc.FrameReceiver`). Kernel only: the same two copies of k frames on `cudaMalloc` "
        "memory, no Vulkan. Bound: kernel only + the hand-off floor (one no-work Vulkan → CUDA "
        "→ Vulkan round trip, as each hand-off signals `ready` one way and `released` back) "
        "÷ k.",
        headers=HEADERS,
    )
    if rig.arrays is None:
        section.notes.append(f"skipped: {rig.arrays_note}")
        return section
    problem = rig.vulkan.timeline_semaphores
    if problem is not None:
        section.notes.append(f"skipped: {problem}")
        return section
    formats = frame_formats(settings)
    raw = raw_pipeline.run(raw_pipeline.arguments(
        rig.env.device.uuid.hex(), frames, [nbytes for _, nbytes in formats], BATCHES,
        ping_pong=handoff_floor.rounds(rig)), timeout=180)
    if isinstance(raw, str):
        section.notes.append(f"raw C++ column skipped: {raw}")
    floor = handoff_floor.measure(rig, raw)
    floor_us = None if isinstance(floor, str) else floor.round_trip_us
    rows = []
    for name, frame_nbytes in formats:
        batch_rows = [Row(name, frame_nbytes, batch) for batch in BATCHES]
        for row in batch_rows:
            try:
                row.ring_us, row.kernel_us = one_process(rig, frame_nbytes, row.batch,
                                                         handoffs(frames, row.batch))
            except Exception as error:  # the other rows stand; the section counts as failed
                failed(section, f"one process, {name}, k = {row.batch}", error)
            if not isinstance(raw, str):
                row.raw_us = raw.batched.get((frame_nbytes, row.batch))
            release_memory(rig)
        if sys.platform != "win32":
            plan = [(batch, handoffs(frames, batch)) for batch in BATCHES]
            try:
                two = two_process.loops(rig, frame_nbytes, plan)
            except Exception as error:
                failed(section, f"two processes, {name}", error)
                two = {}
            for row in batch_rows:
                row.two_us = two.get(row.batch)
            release_memory(rig)
        rows += batch_rows
    for row in rows:
        section.add_row(*row.cells(floor_us))
    section.notes.append("Hand-off floor: " +
                         (floor.describe() if not isinstance(floor, str) else f"n/a ({floor})"))
    section.notes += verdicts(rows, floor_us)
    return section
