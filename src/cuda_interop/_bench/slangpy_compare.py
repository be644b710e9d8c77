# SPDX-License-Identifier: Apache-2.0
"""Compared with slangpy (PyPI ``slangpy``, Vulkan backend), each beside its baseline in the
same run; skipped, with the reason, where slangpy or PyTorch is not usable.

Views: ``torch.from_dlpack`` of a view of an imported Vulkan buffer (made once, made per call)
against slangpy's ``Buffer.to_torch`` (slangpy imports the buffer into CUDA on the first call and
keeps the import in the buffer, so later calls only make the tensor) and against torch's own
floor (:func:`.views.floor_us`).

Frame loop: slangpy's idiom per frame, ``device.sync_to_cuda(stream)`` (the Vulkan queue waits
for the stream's work so far), a Vulkan copy into a shared buffer, ``device.sync_to_device
(stream)`` (the stream waits for the Vulkan queue), then a torch copy out of
``buffer.to_torch()``; no host wait per frame. Against the same work through
``vulkan.FrameRing``, the loop of the pipelined table (:func:`.frame_handoff.ring_loop`).

A failure inside slangpy becomes a note and the run goes on; one of the package is a failure.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import numpy as np

from .._shared_allocation import SharedAllocation
from .arrays import HostBytes, TorchArrays
from .frame_handoff import Frame, ring_loop
from .report import Section, median, number, ratio
from .rig import Rig
from .slangpy_device import describe_error
from .views import CALLS, floor_us, median_us

T = TypeVar("T")
VIEW_BYTES = 1 << 20
RUNS = 3


class SlangpyFailed(Exception):
    """slangpy raised: its rows are skipped with this message, the rest of the run goes on."""


def _slangpy(what: str, call: Callable[[], T]) -> T:
    """`call()`, with any exception turned into :class:`SlangpyFailed` saying `what` failed."""
    try:
        return call()
    except Exception as error:
        raise SlangpyFailed(f"{what}: {describe_error(error)}") from error


def _open(rig: Rig, section: Section) -> tuple[Any, Any, Any] | None:
    """(torch, slangpy, its device), or None with the reason in `section`'s notes."""
    try:
        torch = importlib.import_module("torch")
    except ImportError as error:
        section.notes.append(f"skipped: PyTorch is not installed ({error}); slangpy hands "
                             "buffers to PyTorch")
        return None
    device = rig.slangpy.open(rig.env.device, torch)
    if isinstance(device, str):
        section.notes.append(f"skipped: {device}")
        return None
    return torch, rig.slangpy.module, device


@contextlib.contextmanager
def _our_view(rig: Rig, nbytes: int) -> Iterator[Any]:
    """A ``MappedBuffer`` of `nbytes`: of an imported Vulkan buffer, or without Vulkan of a
    SharedAllocation."""
    context = rig.vulkan.context
    with contextlib.ExitStack() as stack:
        if context is not None:
            memory = stack.enter_context(stack.enter_context(
                context.create_buffer(nbytes)).to_cuda())
        else:
            memory = stack.enter_context(stack.enter_context(
                SharedAllocation(nbytes, device=rig.env.device)).to_cuda())
        yield stack.enter_context(memory.map_buffer())


def views(rig: Rig) -> Section:
    """µs per call to get a torch tensor of a shared Vulkan buffer: ours, slangpy, torch's floor."""
    memory = ("an imported Vulkan buffer" if rig.vulkan.context is not None
              else "a SharedAllocation (no Vulkan producer in this run)")
    section = Section(
        "Compared with slangpy: host µs to hand a shared buffer to PyTorch",
        f"Median of {CALLS} calls after {CALLS // 10} warm-up calls, 1 MiB. Ours: "
        f"`torch.from_dlpack` of a view of {memory} through `to_cuda().map_buffer()`. slangpy: "
        "`Buffer.to_torch(DataType.uint8, [n])` on a `BufferUsage.shared` buffer of a Vulkan "
        "device made with `enable_cuda_interop=True`, called as slangpy code calls it (the "
        "buffer keeps its CUDA import from the first call). Floor: `torch.from_dlpack` of a "
        "producer whose `__dlpack__` returns a capsule torch prepared in advance.",
        headers=["Call", "µs", "÷ torch floor", "÷ slangpy"],
    )
    opened = _open(rig, section)
    if opened is None:
        return section
    torch, spy, device = opened
    pattern = np.arange(VIEW_BYTES, dtype=np.uint32).astype(np.uint8)
    try:
        buffer = _slangpy("create_buffer", lambda: device.create_buffer(
            size=VIEW_BYTES, usage=spy.BufferUsage.shared | spy.BufferUsage.copy_destination,
            data=pattern))
        shape, uint8 = [VIEW_BYTES], spy.DataType.uint8
        tensor = _slangpy("Buffer.to_torch", lambda: buffer.to_torch(uint8, shape))
        if tuple(tensor.shape) != (VIEW_BYTES,) or not np.array_equal(
                tensor[:64].cpu().numpy(), pattern[:64]):
            raise SlangpyFailed("Buffer.to_torch returned a tensor of the wrong shape or bytes")
        del tensor
        with _our_view(rig, VIEW_BYTES) as mapped:
            view = mapped.view("uint8", (VIEW_BYTES,))
            if torch.from_dlpack(view).data_ptr() != mapped.ptr:
                raise AssertionError("torch.from_dlpack(view) is not a view of the mapping")
            source = torch.empty(VIEW_BYTES, dtype=torch.uint8,
                                 device=f"cuda:{rig.env.device.ordinal}")
            floor = floor_us(torch, source, CALLS)
            reused = median_us(lambda: torch.from_dlpack(view), CALLS)
            fresh = median_us(lambda: torch.from_dlpack(mapped.view("uint8", (VIEW_BYTES,))),
                              CALLS)
            capsule = median_us(lambda: torch.from_dlpack(view.__dlpack__()), CALLS)
            c_api = median_us(view.to_torch, CALLS)
            theirs = _slangpy("Buffer.to_torch", lambda: median_us(
                lambda: buffer.to_torch(uint8, shape), CALLS))
            cached = _slangpy("Buffer.to_torch", lambda: (
                buffer.to_torch(uint8, shape) is buffer.to_torch(uint8, shape)))
    except SlangpyFailed as error:
        section.notes.append(f"skipped: slangpy {rig.slangpy.version} failed: {error}")
        return section
    finally:
        torch.cuda.synchronize()
    section.notes.append(
        "slangpy's repeated `to_torch` returns " + (
            "the same tensor object each time (a cached tensor, not a new DLPack hand-off: "
            "the equivalent here is keeping the tensor `torch.from_dlpack` made once)"
            if cached else "a new tensor each time"))
    for label, value in (("torch floor: `from_dlpack` of a prepared capsule", floor),
                         ("ours: `view.to_torch()` (DLPack C exchange API where torch has it)",
                          c_api),
                         ("ours: `torch.from_dlpack(view)` (view made once)", reused),
                         ("ours: `torch.from_dlpack(mapped.view(...))` (view made each call)",
                          fresh),
                         ("ours: `torch.from_dlpack(view.__dlpack__())` (a capsule, no stream "
                          "exchange, as `to_torch` hands one over)", capsule),
                         ("slangpy: `buffer.to_torch(DataType.uint8, [n])`", theirs)):
        section.add_row(label, number(value, 2), ratio(value, floor), ratio(value, theirs))
    section.notes.append(f"{rig.slangpy.description}; PyTorch {torch.__version__}.")
    return section


@contextlib.contextmanager
def _slangpy_loop(torch: Any, spy: Any, device: Any, content: HostBytes, frames: int,
                  output: Any) -> Iterator[Frame]:
    """`frames` frames of slangpy's loop into `output` (a torch tensor), synchronized at the end."""
    nbytes = int(content.size)
    usage = spy.BufferUsage
    rendered = _slangpy("create_buffer", lambda: device.create_buffer(
        size=nbytes, usage=usage.copy_source | usage.copy_destination, data=content))
    shared = _slangpy("create_buffer", lambda: device.create_buffer(
        size=nbytes, usage=usage.shared | usage.copy_source | usage.copy_destination))
    stream = torch.cuda.current_stream()
    handle, shape, uint8 = stream.cuda_stream, [nbytes], spy.DataType.uint8

    def frame() -> None:
        device.sync_to_cuda(handle)  # the copy below waits for CUDA's reads of the last frame
        encoder = device.create_command_encoder()
        encoder.copy_buffer(shared, 0, rendered, 0, nbytes)
        device.submit_command_buffer(encoder.finish())
        device.sync_to_device(handle)  # CUDA's copy waits for the Vulkan copy
        output.copy_(shared.to_torch(uint8, shape))

    def run() -> None:
        for _ in range(frames):
            frame()
        stream.synchronize()

    try:
        yield lambda: _slangpy("the frame loop", run)
    finally:
        stream.synchronize()
        with contextlib.suppress(Exception):
            device.wait_for_idle()


def _alternate_runs(works: list[Frame], frames: int, prepares: list[Frame]) -> list[float]:
    """µs per frame of each work (a run of `frames` frames): one warm-up run each, then the
    median of :data:`RUNS` runs, the works taking turns; each work's `prepares` entry runs
    untimed before it."""
    clock = time.perf_counter_ns
    for work in works:
        work()
    samples: list[list[float]] = [[] for _ in works]
    for _ in range(RUNS):
        for work, prepare, times in zip(works, prepares, samples):
            prepare()
            start = clock()
            work()
            times.append((clock() - start) / 1e3 / frames)
    return [median(times) for times in samples]


def _frame_loops(torch: Any, spy: Any, device: Any, rig: Rig, nbytes: int) -> list[float]:
    """µs per frame of the FrameRing loop and of slangpy's, `nbytes` a frame; both outputs
    checked after the last run."""
    theirs = torch.empty(nbytes, dtype=torch.uint8, device="cuda")
    with ring_loop(rig, nbytes) as ring, _slangpy_loop(torch, spy, device, ring.content,
                                                         ring.frames, theirs) as slangpy_run:
        ours = ring.output

        def zeroing(output: Any) -> Frame:  # a stale frame cannot pass the check
            def zero() -> None:
                output.zero_()
                torch.cuda.synchronize()
            return zero

        times = _alternate_runs([ring.run, slangpy_run], ring.frames,
                                [zeroing(ours), zeroing(theirs)])
        expected = torch.from_numpy(ring.content).to(ours.device)
        if not torch.equal(ours, expected):
            raise AssertionError("the FrameRing loop delivered wrong bytes")
        if not torch.equal(theirs, expected):
            raise SlangpyFailed("slangpy's loop delivered wrong bytes")
    return times


def frame_loop(rig: Rig) -> Section:
    """µs per RGBA8 frame at 1080p and 4K: the FrameRing loop and slangpy's loop."""
    settings = rig.settings
    frames = settings.frame_count * 5
    section = Section(
        "Compared with slangpy: µs per frame, FrameRing loop ÷ slangpy's loop",
        "The same work per frame, a Vulkan queue copy of a rendered frame into shared memory, "
        "then a CUDA copy out of it with PyTorch, no host wait per frame. slangpy: "
        "`device.sync_to_cuda(stream)`, a command encoder's `copy_buffer` into a "
        "`BufferUsage.shared` buffer, `submit_command_buffer`, `device.sync_to_device(stream)`, "
        "`out.copy_(buffer.to_torch(DataType.uint8, [n]))`. FrameRing: the loop of the "
        "pipelined table (3 slots, `copy_to(block=False)` with the slot's `wait`/`signal`, "
        "`read`, `out.copy_`, `release`; the producer one frame ahead). Host wall time of "
        f"{frames} frames ÷ frames; one warm-up run each, then the median of {RUNS} runs, the "
        "two loops taking turns. Both outputs are compared with the frame after the last run.",
        headers=["Frame", "FrameRing µs", "slangpy µs", "FrameRing ÷ slangpy"],
    )
    problem = rig.vulkan.timeline_semaphores
    if problem is not None:
        section.notes.append(f"skipped: {problem}")
        return section
    opened = _open(rig, section)
    if opened is None:
        return section
    torch, spy, device = opened
    arrays = TorchArrays(torch)  # both loops copy out with torch, on its current stream
    torch_rig = dataclasses.replace(rig, arrays=arrays)
    for label, width, height in settings.frame_sizes:
        nbytes = width * height * 4
        try:
            times = _frame_loops(torch, spy, device, torch_rig, nbytes)
        except SlangpyFailed as error:
            section.notes.append(f"{label}: skipped, slangpy {rig.slangpy.version} failed: "
                                 f"{error}")
            break
        finally:
            torch.cuda.empty_cache()
        ring_us, slangpy_us = times
        section.add_row(f"{label} RGBA8 ({nbytes / 1e6:.1f} MB)", number(ring_us, 1),
                        number(slangpy_us, 1), ratio(ring_us, slangpy_us))
    section.notes.append(f"{rig.slangpy.description}; PyTorch {torch.__version__}.")
    return section
