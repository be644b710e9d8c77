# SPDX-License-Identifier: Apache-2.0
"""Overheads: per-call cost of import, map, free, destroy and semaphore signal+wait, ours ÷ raw.

Raw is the same CUDA runtime calls through ``cuda.bindings`` (same process, alternating with
ours call by call) and, when it can be built, in C++ (a child process).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Any

from .._external_memory import ExternalMemory
from .._external_semaphore import ExternalSemaphore
from .._shared_allocation import SharedAllocation
from . import raw_cpp
from .raw_bindings import RawBindings, RawCallError
from .report import NOT_MEASURED, Section, median, number, ratio
from .rig import Rig
from .settings import format_size

MEMORY_OPERATIONS = {
    "import": "import (`ExternalMemory.from_fd`)",
    "map": "`map_buffer`",
    "free": "`MappedBuffer.close` (ours: drops the view; raw: cudaFree)",
    "destroy": "`ExternalMemory.close` (ours: cudaFree + cudaDestroyExternalMemory)",
}
SIGNAL_WAIT = "signal_wait"
SIGNAL_WAIT_LABEL = "semaphore `signal` + `wait` (timeline, enqueue)"
HOST_WAIT_SECONDS = 10.0

Samples = dict[str, list[float]]  # operation → microseconds per call


def _ours_memory_cycle(alloc: SharedAllocation, size: int) -> tuple[int, int, int, int]:
    """Import a fresh descriptor, map, free, destroy through our API: the four times in ns."""
    fd = alloc.export_fd()  # outside the timed region, as for the raw calls
    clock = time.perf_counter_ns
    t0 = clock()
    try:
        memory = ExternalMemory.from_fd(fd, size, take_ownership=True)
    except BaseException:
        os.close(fd)  # a failed import leaves the descriptor with us
        raise
    t1 = clock()
    mapped = memory.map_buffer(0, size)
    t2 = clock()
    mapped.close()
    t3 = clock()
    memory.close()
    t4 = clock()
    return (t1 - t0, t2 - t1, t3 - t2, t4 - t3)


def _raw_memory_cycle(raw: RawBindings, alloc: SharedAllocation) -> tuple[int, int, int, int]:
    return raw.memory_cycle(alloc.export_fd())


def _record(samples: Samples, times_ns: tuple[int, ...], names: list[str]) -> None:
    for name, value in zip(names, times_ns):
        samples.setdefault(name, []).append(value / 1e3)


def _memory_samples(rig: Rig, alloc: SharedAllocation,
                    raw: RawBindings | None) -> tuple[Samples, Samples]:
    """Ours and raw, alternating call by call so that both see the same machine state."""
    settings = rig.settings
    names = list(MEMORY_OPERATIONS)
    ours: Samples = {}
    bindings: Samples = {}
    size = alloc.size
    for iteration in range(settings.overhead_warmup + settings.overhead_iterations):
        keep = iteration >= settings.overhead_warmup
        times = _ours_memory_cycle(alloc, size)
        if keep:
            _record(ours, times, names)
        if raw is not None:
            times = _raw_memory_cycle(raw, alloc)
            if keep:
                _record(bindings, times, names)
    return ours, bindings


def _host_wait(semaphore: Any, value: int) -> None:
    if not semaphore.wait(value, timeout=HOST_WAIT_SECONDS):
        raise TimeoutError(f"the timeline semaphore did not reach {value} in "
                           f"{HOST_WAIT_SECONDS:.0f} s")


def _ours_signal_wait(semaphore: ExternalSemaphore, value: int) -> int:
    clock = time.perf_counter_ns
    t0 = clock()
    semaphore.signal(value)
    semaphore.wait(value)
    return clock() - t0


def _semaphore_samples(rig: Rig, raw: RawBindings | None, ours: Samples,
                       bindings: Samples) -> None:
    """Signal+wait on the legacy default stream; the host waits (untimed) between calls."""
    settings = rig.settings
    context = rig.vulkan.context
    assert context is not None
    with context.create_semaphore(timeline=True) as timeline, timeline.to_cuda() as imported:
        raw_semaphore = None if raw is None else raw.import_timeline_semaphore(
            timeline.export_fd())
        value = 0
        try:
            for iteration in range(settings.overhead_warmup + settings.overhead_iterations):
                keep = iteration >= settings.overhead_warmup
                value += 1
                elapsed = _ours_signal_wait(imported, value)
                _host_wait(timeline, value)
                if keep:
                    ours.setdefault(SIGNAL_WAIT, []).append(elapsed / 1e3)
                if raw is not None:
                    value += 1
                    elapsed = raw.signal_wait(raw_semaphore, value)
                    _host_wait(timeline, value)
                    if keep:
                        bindings.setdefault(SIGNAL_WAIT, []).append(elapsed / 1e3)
        finally:
            # Drain the stream (stream order: a later signal completes after earlier waits),
            # since no wait may be pending when a semaphore is destroyed.
            value += 1
            imported.signal(value)
            _host_wait(timeline, value)
            if raw is not None and raw_semaphore is not None:
                raw.destroy_semaphore(raw_semaphore)


def _cpp_medians(rig: Rig, alloc: SharedAllocation, section: Section) -> dict[str, float]:
    settings = rig.settings
    context = rig.vulkan.context
    with raw_cpp.temporary_folder() as folder, contextlib.ExitStack() as stack:
        program = raw_cpp.executable(rig.cpp_source, Path(folder))
        if isinstance(program, str):
            section.notes.append(f"C++ column skipped: {program}")
            return {}
        semaphore_fd = None
        if context is not None and rig.vulkan.timeline_semaphores is None:
            timeline = stack.enter_context(context.create_semaphore(timeline=True))
            semaphore_fd = timeline.export_fd()
            stack.callback(os.close, semaphore_fd)
        memory_fd = alloc.export_fd()
        stack.callback(os.close, memory_fd)
        result = raw_cpp.measure(program, memory_fd, alloc.size, semaphore_fd,
                                 rig.env.device.ordinal, settings.overhead_warmup,
                                 settings.overhead_iterations)
    if isinstance(result, str):
        section.notes.append(f"C++ column skipped: {result}")
        return {}
    return result


VIEW = "view"
VIEW_LABEL = "`map_buffer(offset, 4 KiB)` + `close` on an open import (a view; ours only)"
VIEW_CYCLES = 10_000


def _view_samples(alloc: SharedAllocation, ours: Samples) -> None:
    """Repeated maps of one import: views of its one mapping, made on the first."""
    clock = time.perf_counter_ns
    with alloc.to_cuda() as memory:
        memory.map_buffer().close()  # the mapping is made once, here
        samples = ours.setdefault(VIEW, [])
        for index in range(VIEW_CYCLES):
            offset = (index * 4096) % (alloc.size - 4096)
            start = clock()
            memory.map_buffer(offset, 4096).close()
            samples.append((clock() - start) / 1e3)


def _medians(samples: Samples) -> dict[str, float]:
    return {name: median(values) for name, values in samples.items() if values}


def _add_rows(section: Section, ours: dict[str, float], bindings: dict[str, float],
              cpp: dict[str, float]) -> None:
    labels = {**MEMORY_OPERATIONS, SIGNAL_WAIT: SIGNAL_WAIT_LABEL}
    cycle = list(MEMORY_OPERATIONS)

    def total(medians: dict[str, float]) -> float | None:
        return sum(medians[n] for n in cycle) if all(n in medians for n in cycle) else None

    rows: list[tuple[str, float | None, float | None, float | None]] = [
        (labels[name], ours.get(name), bindings.get(name), cpp.get(name)) for name in cycle]
    rows.append(("import + map + free + destroy", total(ours), total(bindings), total(cpp)))
    if SIGNAL_WAIT in ours:
        rows.append((labels[SIGNAL_WAIT], ours.get(SIGNAL_WAIT), bindings.get(SIGNAL_WAIT),
                     cpp.get(SIGNAL_WAIT)))
    if VIEW in ours:
        rows.append((VIEW_LABEL, ours[VIEW], None, None))
    for label, mine, python_raw, cpp_raw in rows:
        section.add_row(label, number(mine, 2), number(python_raw, 2), ratio(mine, python_raw),
                        number(cpp_raw, 2), ratio(mine, cpp_raw))


def run(rig: Rig) -> Section:
    """The overhead table: µs per call (median), ours ÷ cuda.bindings, ours ÷ C++."""
    settings = rig.settings
    section = Section(
        "Overheads: µs per call, ours ÷ raw",
        f"Host time per call (`time.perf_counter_ns`; `std::chrono` in C++) on a "
        f"{format_size(settings.overhead_size)} cuMem allocation shared as a file descriptor, "
        "a fresh descriptor per import (exported outside the timed region). Ours: "
        "cuda_interop's Python API. cuda.bindings: the same runtime calls through NVIDIA's "
        "Python bindings, descriptors prepared once. C++: the runtime called directly "
        f"(`benchmarks/{raw_cpp.SOURCE_NAME}`, a child process). {settings.overhead_warmup} "
        f"warm-up cycles, then the median of {settings.overhead_iterations}; ours and "
        "cuda.bindings alternate call by call. Signal + wait: a Vulkan timeline semaphore, "
        "both enqueued on the legacy default stream, the stream drained outside the timed "
        "region.",
        headers=["Operation", "ours µs", "cuda.bindings µs", "ours ÷ cuda.bindings", "C++ µs",
                 "ours ÷ C++"],
    )
    if sys.platform == "win32":
        section.notes.append("skipped: this benchmark imports file descriptors (Linux)")
        return section
    with SharedAllocation(settings.overhead_size, device=rig.env.device) as alloc:
        raw, raw_note = RawBindings.load(rig.env.device.ordinal, alloc.size)
        if raw is None:
            section.notes.append(f"cuda.bindings column skipped: {raw_note}")
        try:
            ours, bindings = _memory_samples(rig, alloc, raw)
        except RawCallError as error:  # keep our numbers; report why the raw ones are missing
            section.notes.append(f"cuda.bindings column skipped: {error}")
            raw = None
            ours, bindings = _memory_samples(rig, alloc, raw)
        semaphore_problem = rig.vulkan.timeline_semaphores
        if semaphore_problem is None:
            try:
                _semaphore_samples(rig, raw, ours, bindings)
            except RawCallError as error:
                section.notes.append(f"cuda.bindings semaphore cell skipped: {error}")
                ours.pop(SIGNAL_WAIT, None)
                bindings.pop(SIGNAL_WAIT, None)
                _semaphore_samples(rig, None, ours, bindings)
        else:
            section.notes.append(f"semaphore row skipped: {semaphore_problem}")
        _view_samples(alloc, ours)
        cpp = _cpp_medians(rig, alloc, section)
    _add_rows(section, _medians(ours), _medians(bindings), cpp)
    if raw is not None:
        section.notes.append(f"Raw Python: {raw_note}.")
    if not cpp:
        section.notes.append(f"C++ cells read {NOT_MEASURED}.")
    return section
