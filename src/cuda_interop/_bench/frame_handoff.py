# SPDX-License-Identifier: Apache-2.0
"""Frame hand-off: a producer writes a frame and CUDA consumes it, zero copy versus via host.

Zero copy: the producer's queue signals a timeline semaphore, CUDA waits for it on its stream,
reads the frame in place and signals back (the producer's next write waits for that). Via host:
what a user writes without interop: download the frame to host memory, upload it to CUDA.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._shared_allocation import SharedAllocation
from . import raw_pipeline, two_process
from .arrays import DeviceArrays, HostBytes
from .consumer import copy_out
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


@dataclass
class RingLoop:
    """The pipelined loop through ``vulkan.FrameRing`` and its baselines, set up for one size.

    Attributes
    ----------
    run:
        :attr:`frames` frames through the ring (producer one frame ahead), synchronized.
    kernel_only:
        The same two copies on ``cudaMalloc`` memory, :attr:`frames` times, synchronized.
    via_host:
        :attr:`host_frames` frames of Vulkan copy, ``download()``, upload to CUDA, synchronized.
    output, content:
        The device array each frame is copied into, and the bytes a frame holds.
    """

    frames: int
    host_frames: int
    run: Frame
    kernel_only: Frame
    via_host: Frame
    output: Any
    content: HostBytes


@contextlib.contextmanager
def ring_loop(rig: Rig, nbytes: int) -> Iterator[RingLoop]:
    """A ring of 3 `nbytes` slots on ``rig.vulkan``, copied out through ``rig.arrays``."""
    from ..vulkan import FrameRing

    arrays, context, settings = rig.arrays, rig.vulkan.context, rig.settings
    assert arrays is not None and context is not None
    count = settings.frame_count * 5
    content = random_bytes(nbytes, seed=3)
    with contextlib.ExitStack() as stack:
        rendered = stack.enter_context(context.create_buffer(nbytes))
        rendered.upload(content)
        ring = stack.enter_context(FrameRing(context, nbytes, slots=3))
        staged = stack.enter_context(context.create_buffer(nbytes))  # the via-host frame
        stack.callback(context.wait_idle)
        device: dict[str, Any] = {"out": arrays.malloc(nbytes), "source": arrays.malloc(nbytes)}
        wrapped: dict[int, Any] = {}
        host = np.empty(nbytes, dtype=np.uint8)

        def produce() -> None:
            slot = ring.begin_write()
            rendered.copy_to(slot.buffer, wait=slot.wait, signal=slot.signal, block=False)

        def consume() -> None:
            copy_out(ring, arrays, wrapped, device["out"])

        def loop() -> None:
            produce()
            for _ in range(count):
                produce()
                consume()
            consume()
            arrays.synchronize()

        def kernel_only() -> None:
            for _ in range(count):
                arrays.copy(device["source"], device["out"])
                arrays.copy(device["out"], device["source"])
            arrays.synchronize()

        def via_host() -> None:
            for _ in range(max(1, count // 10)):
                rendered.copy_to(staged)
                staged.download(out=host)
                arrays.copy(device["out"], arrays.upload(host))
                arrays.synchronize()

        try:
            yield RingLoop(count, max(1, count // 10), loop, kernel_only, via_host,
                           device["out"], content)
        finally:
            wrapped.clear()  # drop the arrays before the stack closes what they view
            device.clear()


def per_frame_us(work: Frame, frames: int, runs: int = 3) -> float:
    """µs per frame of `work` (a run of `frames` frames): one run to warm up, the median of
    `runs` more."""
    clock = time.perf_counter_ns
    work()
    samples = []
    for _ in range(runs):
        start = clock()
        work()
        samples.append((clock() - start) / 1e3 / frames)
    return median(samples)


def _ring_loop(rig: Rig, nbytes: int) -> tuple[float, float, float]:
    """µs per frame of the pipelined loop through FrameRing, of the same copies on cudaMalloc
    memory alone, and of the host round trip (median over a run of frames each)."""
    with ring_loop(rig, nbytes) as ring:
        return (per_frame_us(ring.run, ring.frames), per_frame_us(ring.kernel_only, ring.frames),
                per_frame_us(ring.via_host, ring.host_frames))


def _two_process_loop(rig: Rig, nbytes: int) -> float:
    """µs per frame of the same loop with the producer in another process
    (``ipc.FrameSender`` → ``ipc.FrameReceiver``), median of 3 runs as in :func:`_ring_loop`."""
    return two_process.loops(rig, nbytes, [(1, rig.settings.frame_count * 5)])[1]


def _raw_pipeline(rig: Rig, sizes: list[int], frames: int) -> dict[int, float] | str:
    """µs per frame of ``benchmarks/raw_vulkan_pipeline.cpp`` for each size, or why none."""
    results = raw_pipeline.run(raw_pipeline.arguments(rig.env.device.uuid.hex(), frames, sizes))
    return results if isinstance(results, str) else results.single


def pipelined(rig: Rig) -> Section:
    """The frame loop through ``vulkan.FrameRing``: µs per frame at 1080p and 4K."""
    settings = rig.settings
    section = Section(
        "Pipelined frame loop: µs per frame through FrameRing",
        "A ring of 3 exported Vulkan buffers with `ready`/`released` timelines "
        "(`vulkan.FrameRing`): per frame the Vulkan queue copies a rendered frame into the "
        "slot (`copy_to(block=False)`, waiting for the slot's release, signalling `ready`), "
        "CUDA waits on its stream, copies the frame out and signals `released`; the producer "
        f"runs one frame ahead. Host wall time of {settings.frame_count * 5} frames ÷ frames, "
        "median of 3 runs. Kernel only: the same two copies on `cudaMalloc` memory, no Vulkan. "
        "Via host: Vulkan copy, `download()`, upload to CUDA, synchronized, per frame. Raw C++: "
        "the same structure written directly against Vulkan and the CUDA runtime "
        "(`benchmarks/raw_vulkan_pipeline.cpp`, command buffers recorded once). Two "
        "processes: the producer in another process (`ipc.FrameSender` → "
        "`ipc.FrameReceiver`, which enqueues CUDA's wait once the producer announced the "
        "frame finished), the same copies.",
        headers=["Frame", "ring µs", "raw C++ µs", "ring ÷ raw C++", "two processes µs",
                 "two ÷ one process", "kernel only µs", "via host µs", "via host ÷ ring"],
    )
    if rig.arrays is None:
        section.notes.append(f"skipped: {rig.arrays_note}")
        return section
    problem = rig.vulkan.timeline_semaphores
    if problem is not None:
        section.notes.append(f"skipped: {problem}")
        return section
    frames = [(f"{label} {pixel}", width * height * size)
              for label, width, height in settings.frame_sizes
              for pixel, size in (("RGBA8", 4), ("RGBA16F", 8))]
    raw = _raw_pipeline(rig, [nbytes for _, nbytes in frames], settings.frame_count * 5)
    if isinstance(raw, str):
        section.notes.append(f"raw C++ column skipped: {raw}")
        raw = {}
    for name, nbytes in frames:
        ring_us, kernel_us, host_us = _ring_loop(rig, nbytes)
        raw_us = raw.get(nbytes)
        two_us = _two_process_loop(rig, nbytes) if sys.platform != "win32" else None
        section.add_row(f"{name} ({nbytes / 1e6:.1f} MB)", number(ring_us, 1), number(raw_us, 1),
                        ratio(ring_us, raw_us), number(two_us, 1), ratio(two_us, ring_us),
                        number(kernel_us, 1), number(host_us, 1), f"{host_us / ring_us:.1f}x")
        gc.collect()
        rig.arrays.release()
    return section


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
