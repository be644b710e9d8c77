# SPDX-License-Identifier: Apache-2.0
"""The hand-off floor: a Vulkan → CUDA → Vulkan timeline ping-pong with no work at all.

Per round i an empty Vulkan submission waits for CUDA's timeline >= i - 1 and signals Vulkan's
to i; the CUDA stream waits for Vulkan's >= i and signals CUDA's to i. Nothing waits on the host
inside the loop (the CUDA driver may hold the host at a launch behind an unreached wait: that is
part of what a hand-off costs). µs per round trip: what one hand-off of a ring (``ready`` one
way, ``released`` back) cannot go below, whatever it carries.

Measured by ``benchmarks/raw_vulkan_pipeline.cpp --ping-pong`` where it is built, else through
the package (``Context.submit`` and ``ExternalSemaphore.wait/signal`` from Python).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from . import raw_pipeline
from .frame_handoff import per_frame_us
from .rig import Rig

RAW = "raw C++"
PACKAGE = "through the package"


@dataclass(frozen=True)
class Floor:
    """µs per no-work round trip, and what measured it (:data:`RAW` or :data:`PACKAGE`)."""

    round_trip_us: float
    source: str

    def describe(self) -> str:
        return f"{self.round_trip_us:,.1f} µs per no-work round trip ({self.source})"


def rounds(rig: Rig) -> int:
    """Round trips per timed run."""
    return rig.settings.frame_count * 10


def from_raw(results: raw_pipeline.RawResults | str) -> Floor | None:
    """The raw program's ping-pong figure, when it printed one."""
    if isinstance(results, str) or results.ping_pong is None:
        return None
    return Floor(results.ping_pong, RAW)


def package(rig: Rig, count: int) -> Floor | str:
    """The ping-pong through the package, `count` rounds per run (median of 3), or why not."""
    arrays, context = rig.arrays, rig.vulkan.context
    if arrays is None:
        return rig.arrays_note
    if context is None or rig.vulkan.timeline_semaphores is not None:
        return rig.vulkan.timeline_semaphores or "no Vulkan"
    with contextlib.ExitStack() as stack:
        vulkan_done = stack.enter_context(context.create_semaphore(timeline=True))
        cuda_done = stack.enter_context(context.create_semaphore(timeline=True))
        vulkan_done_cuda = stack.enter_context(vulkan_done.to_cuda())
        cuda_done_cuda = stack.enter_context(cuda_done.to_cuda())
        stack.callback(context.wait_idle)
        last = [0]

        def loop() -> None:
            stream = arrays.stream
            for _ in range(count):
                last[0] += 1
                value = last[0]
                wait = [(cuda_done, value - 1)] if value > 1 else []
                context.submit(wait=wait, signal=[(vulkan_done, value)], block=False)
                vulkan_done_cuda.wait(value, stream=stream)
                cuda_done_cuda.signal(value, stream=stream)
            arrays.synchronize()

        return Floor(per_frame_us(loop, count), PACKAGE)


def measure(rig: Rig, raw: raw_pipeline.RawResults | str | None = None) -> Floor | str:
    """The floor from `raw` (a run of the raw program that had ``--ping-pong``), else from a
    run of the raw program made here, else through the package; or why there is none."""
    if raw is None:
        raw = raw_pipeline.run(raw_pipeline.arguments(rig.env.device.uuid.hex(), 5,
                                                      ping_pong=rounds(rig)))
    floor = from_raw(raw)
    if floor is not None:
        return floor
    try:
        return package(rig, rounds(rig))
    except Exception as error:  # the tables show n/a and why, and go on
        return f"the ping-pong through the package failed: {type(error).__name__}: {error}"
