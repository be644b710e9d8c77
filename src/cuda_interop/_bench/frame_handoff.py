# SPDX-License-Identifier: Apache-2.0
"""Frame hand-off: a producer writes a frame and CUDA consumes it, zero copy versus via host.

Zero copy: the producer's queue signals a timeline semaphore, CUDA waits for it on its stream,
reads the frame in place and signals back (the producer's next write waits for that). Via host:
what a user writes without interop: download the frame to host memory, upload it to CUDA.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from .._shared_allocation import SharedAllocation
from .arrays import DeviceArrays, HostBytes
from .random_bytes import random_bytes
from .report import Section, median, number, ratio
from .rig import Rig

CHECKED_BYTES = 4096
Frame = Callable[[], None]


def _alternate(zero_copy: Frame, via_host: Frame, warmup: int,
               count: int) -> tuple[list[float], list[float]]:
    """Milliseconds per frame of each path, taking turns frame by frame."""
    clock = time.perf_counter_ns
    times: tuple[list[float], list[float]] = ([], [])
    for iteration in range(warmup + count):
        for path, samples in zip((zero_copy, via_host), times):
            start = clock()
            path()
            elapsed = (clock() - start) / 1e6
            if iteration >= warmup:
                samples.append(elapsed)
    return times


def _expect(arrays: DeviceArrays, destination: Any, expected: HostBytes, path: str) -> None:
    if not np.array_equal(arrays.head(destination, CHECKED_BYTES), expected[:CHECKED_BYTES]):
        raise AssertionError(f"the {path} path delivered wrong bytes")


def _check_paths(arrays: DeviceArrays, destination: Any, paths: dict[str, Frame],
                 expected: Callable[[], HostBytes]) -> None:
    """Run each path once more on a zeroed destination and compare what arrived."""
    zeros = arrays.upload(np.zeros(CHECKED_BYTES, dtype=np.uint8))
    for name, path in paths.items():
        arrays.copy(destination[:CHECKED_BYTES], zeros)
        path()
        _expect(arrays, destination, expected(), name)


def _vulkan_frames(rig: Rig, nbytes: int) -> tuple[list[float], list[float]]:
    arrays, context, settings = rig.arrays, rig.vulkan.context, rig.settings
    assert arrays is not None and context is not None
    content = random_bytes(nbytes, seed=2)
    with contextlib.ExitStack() as stack:
        rendered = stack.enter_context(context.create_buffer(nbytes))  # stands in for rendering
        rendered.upload(content)
        frame = stack.enter_context(context.create_buffer(nbytes))  # shared with CUDA
        timeline = stack.enter_context(context.create_semaphore(timeline=True))
        cuda_timeline = stack.enter_context(timeline.to_cuda())
        memory = stack.enter_context(frame.to_cuda())
        mapped = stack.enter_context(memory.map_buffer(0, nbytes))
        stack.callback(context.wait_idle)  # runs first: no queue work outlives the buffers
        frames: dict[str, Any] = {"view": arrays.wrap(mapped), "out": arrays.malloc(nbytes)}
        host = np.empty(nbytes, dtype=np.uint8)
        value = [0]  # the timeline value CUDA signalled last

        def zero_copy() -> None:
            ready, released = value[0] + 1, value[0] + 2
            rendered.copy_to(frame, wait=[(timeline, value[0])], signal=[(timeline, ready)],
                             block=False)
            cuda_timeline.wait(ready, stream=arrays.stream)
            arrays.copy(frames["out"], frames["view"])
            cuda_timeline.signal(released, stream=arrays.stream)
            arrays.synchronize()
            value[0] = released

        def via_host() -> None:
            rendered.copy_to(frame)
            frame.download(out=host)
            arrays.copy(frames["out"], arrays.upload(host))
            arrays.synchronize()

        try:
            times = _alternate(zero_copy, via_host, settings.frame_warmup, settings.frame_count)
            _check_paths(arrays, frames["out"], {"zero copy": zero_copy, "via host": via_host},
                         lambda: content)
        finally:
            frames.clear()  # drop the arrays before the stack closes what they view
    return times


def _shared_frames(rig: Rig, nbytes: int) -> tuple[list[float], list[float]]:
    """Without Vulkan: CUDA-shared memory, written by cudaMemset, is the producer."""
    arrays, settings = rig.arrays, rig.settings
    assert arrays is not None
    with SharedAllocation(nbytes, device=rig.env.device) as alloc, alloc.to_cuda() as memory, \
            memory.map_buffer(0, nbytes) as mapped:
        frames: dict[str, Any] = {"view": arrays.wrap(mapped), "out": arrays.malloc(nbytes)}
        host = np.empty(nbytes, dtype=np.uint8)
        counter = [0]

        def produce() -> None:
            counter[0] = (counter[0] + 1) % 256
            alloc.fill(counter[0], 0, nbytes)

        def zero_copy() -> None:
            produce()
            arrays.copy(frames["out"], frames["view"])
            arrays.synchronize()

        def via_host() -> None:
            produce()
            alloc.copy_to_host(host)
            arrays.copy(frames["out"], arrays.upload(host))
            arrays.synchronize()

        try:
            times = _alternate(zero_copy, via_host, settings.frame_warmup, settings.frame_count)
            _check_paths(arrays, frames["out"], {"zero copy": zero_copy, "via host": via_host},
                         lambda: np.full(CHECKED_BYTES, counter[0], dtype=np.uint8))
        finally:
            frames.clear()
    return times


def run(rig: Rig) -> Section:
    """Median ms per frame at each frame size, zero copy and via host, and their ratio."""
    settings = rig.settings
    section = Section(
        "Frame hand-off: ms per frame, zero copy vs through host memory",
        "Per frame, host wall time (`time.perf_counter_ns`) from the producer's write to CUDA "
        "having consumed the frame (a device copy of it, synchronized). Zero copy: the Vulkan "
        "queue copies the frame into an exported buffer and signals a timeline semaphore; CUDA "
        "waits on it, reads the buffer in place and signals back. Via host: the same Vulkan "
        "copy, then `download()` to a NumPy array and an upload to CUDA, as code without "
        f"interop does. RGBA8 frames; {settings.frame_warmup} warm-up frames, then the median "
        f"of {settings.frame_count}, the two paths taking turns.",
        headers=["Frame", "Producer", "zero copy ms", "via host ms", "zero copy ÷ via host",
                 "speed-up"],
    )
    arrays = rig.arrays
    if arrays is None:
        section.notes.append(f"skipped: {rig.arrays_note}")
        return section
    problem = rig.vulkan.timeline_semaphores
    if problem is None:
        producer, measure = "Vulkan queue + timeline semaphore", _vulkan_frames
    else:
        producer, measure = "SharedAllocation.fill (cudaMemset)", _shared_frames
        section.notes.append(f"Producer: CUDA-shared memory written with cudaMemset, no "
                             f"semaphores, because {problem}.")
    for label, width, height in settings.frame_sizes:
        nbytes = width * height * 4
        zero_copy, via_host = measure(rig, nbytes)
        zero_ms, host_ms = median(zero_copy), median(via_host)
        section.add_row(f"{label} ({width}x{height}, {nbytes / 1e6:.1f} MB)", producer,
                        number(zero_ms, 3), number(host_ms, 3), ratio(zero_ms, host_ms),
                        f"{host_ms / zero_ms:.1f}x")
        gc.collect()
        arrays.release()
    section.notes.append(f"Kernels: {arrays.name}.")
    return section
