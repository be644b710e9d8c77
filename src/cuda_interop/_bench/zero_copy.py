# SPDX-License-Identifier: Apache-2.0
"""Zero copy: a kernel's bandwidth on imported memory ÷ the same kernel on cudaMalloc memory."""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._shared_allocation import SharedAllocation
from .arrays import DeviceArrays, HostBytes
from .random_bytes import BLOCK, fill_random, random_bytes
from .report import Section, median, number, ratio
from .rig import Rig
from .settings import format_size

TARGET = 0.98
CHECKED_BYTES = 4096
BASELINE = "cudaMalloc"


@dataclass
class _Memory:
    label: str
    array: Any  # 2 * size bytes: the kernel reads the first half and writes the second


@dataclass(frozen=True)
class _Kernel:
    name: str
    run: Callable[[Any, Any], None]  # (destination, source)
    expected: Callable[[HostBytes], HostBytes]  # what the destination holds afterwards


def _kernels(arrays: DeviceArrays, section: Section) -> list[_Kernel]:
    kernels = [_Kernel("copy (cudaMemcpyAsync)", arrays.copy, lambda x: x)]
    if arrays.scale_error is None:
        kernels.append(_Kernel("y = x + x (elementwise)", arrays.scale, lambda x: x + x))
    else:
        section.notes.append(f"elementwise kernel skipped: {arrays.scale_error}")
    return kernels


def _imported_memories(rig: Rig, total: int, stack: contextlib.ExitStack,
                       section: Section) -> list[_Memory]:
    """The imported memories under test; their owners are closed by `stack`."""
    arrays = rig.arrays
    assert arrays is not None
    shared = stack.enter_context(SharedAllocation(total, device=rig.env.device))
    imported = stack.enter_context(shared.to_cuda())
    mapped = stack.enter_context(imported.map_buffer(0, total))
    memories = [_Memory("SharedAllocation import (cuMem fd)", arrays.wrap(mapped))]
    context = rig.vulkan.context
    if context is None:
        return memories
    # The default (dedicated from 64 MiB on) and a forced suballocation, which the driver may
    # lay out differently.
    for dedicated in (None, False):
        try:
            buffer = stack.enter_context(context.create_buffer(total, dedicated=dedicated))
            imported = stack.enter_context(buffer.to_cuda())
            mapped = stack.enter_context(imported.map_buffer(0, total))
        except Exception as error:  # e.g. over the driver's allocation limit
            section.notes.append(f"{format_size(total // 2)}: Vulkan buffer skipped: "
                                 f"{type(error).__name__}: {error}")
            continue
        kind = "dedicated" if buffer.dedicated else "suballocated"
        how = "default, " if dedicated is None else ""
        memories.append(_Memory(f"Vulkan buffer import ({how}{kind})", arrays.wrap(mapped)))
    return memories


def _median_ms(arrays: DeviceArrays, memories: list[_Memory], kernel: _Kernel, size: int,
               warmup: int, repeats: int) -> list[float]:
    """Median GPU time of `kernel` on each memory; the memories take turns, so drift is shared."""
    work = [functools.partial(kernel.run, m.array[size:2 * size], m.array[:size])
            for m in memories]
    for _ in range(warmup):
        for launch in work:
            launch()
    arrays.synchronize()
    times: list[list[float]] = [[] for _ in memories]
    for _ in range(repeats):
        for index, launch in enumerate(work):
            times[index].append(arrays.time_ms(launch))
    return [median(t) for t in times]


def _check(arrays: DeviceArrays, memories: list[_Memory], kernel: _Kernel, size: int,
           block: HostBytes) -> None:
    expected = kernel.expected(block[:CHECKED_BYTES])
    for memory in memories:
        got = arrays.head(memory.array[size:2 * size], CHECKED_BYTES)
        if not np.array_equal(got, expected):
            raise AssertionError(f"{kernel.name} on {memory.label} wrote wrong bytes")


def _measure_size(rig: Rig, size: int, kernels: list[_Kernel], block: HostBytes,
                  section: Section) -> None:
    arrays = rig.arrays
    assert arrays is not None
    settings = rig.settings
    with contextlib.ExitStack() as stack:
        memories = [_Memory(BASELINE, arrays.malloc(2 * size))]
        try:
            memories += _imported_memories(rig, 2 * size, stack, section)
            for memory in memories:
                fill_random(arrays, memory.array, size, block)
            for kernel in kernels:
                times = _median_ms(arrays, memories, kernel, size, settings.bandwidth_warmup,
                                   settings.bandwidth_repeats)
                _check(arrays, memories, kernel, size, block)
                rates = [2 * size / (ms * 1e-3) / 1e9 for ms in times]  # bytes read + written
                for memory, rate in zip(memories, rates):
                    baseline = memory.label == BASELINE
                    meets = "baseline" if baseline else ("yes" if rate / rates[0] >= TARGET
                                                         else "no")
                    section.add_row(format_size(size), kernel.name, memory.label,
                                    number(rate), ratio(rate, rates[0]), meets)
        finally:
            memories.clear()  # drop the arrays before the stack closes what they view
    gc.collect()
    arrays.release()


def run(rig: Rig) -> Section:
    """Bandwidth of each kernel on cudaMalloc, SharedAllocation and Vulkan memory, per size."""
    settings = rig.settings
    section = Section(
        "Zero copy: kernel bandwidth on imported memory ÷ on cudaMalloc memory",
        "Each kernel reads the first half of a buffer and writes the second half, both in the "
        "memory under test, filled with random bytes (compressible data would flatter one "
        f"memory). CUDA events; {settings.bandwidth_warmup} warm-up runs, then the median of "
        f"{settings.bandwidth_repeats}, the memories taking turns. GB/s counts bytes read plus "
        f"bytes written. Target: ratio ≥ {TARGET}.",
        headers=["Size", "Kernel", "Memory", "GB/s", "÷ cudaMalloc", f"≥ {TARGET}"],
    )
    arrays = rig.arrays
    if arrays is None:
        section.notes.append(f"skipped: {rig.arrays_note}")
        return section
    section.notes.append(f"cudaMalloc memory: {arrays.allocator}; kernels: {arrays.name}.")
    if rig.vulkan.context is None:
        section.notes.append(f"Vulkan rows skipped: Vulkan {rig.vulkan.description}")
    kernels = _kernels(arrays, section)
    block = random_bytes(min(BLOCK, max(settings.bandwidth_sizes)), seed=1)
    for size in settings.bandwidth_sizes:
        _measure_size(rig, size, kernels, block, section)
    return section
