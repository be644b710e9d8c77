# SPDX-License-Identifier: Apache-2.0
"""Views: the host cost of handing imported memory to PyTorch, against torch's own floor.

Ours: ``torch.from_dlpack(mapped.view("uint8", (n,)))`` (a view made and consumed per call), and
the same with the view made once. Floor: ``torch.from_dlpack`` of a minimal producer whose
``__dlpack__`` returns a capsule prepared in advance (by torch itself), so only torch's import of
a capsule is timed. Also ``torch.as_tensor`` on ``__cuda_array_interface__``, for reference.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import Any

from .._shared_allocation import SharedAllocation
from .report import Section, median, number, ratio
from .rig import Rig

CALLS = 2000


def median_us(call: Callable[[], object], count: int) -> float:
    clock = time.perf_counter_ns
    samples = []
    for index in range(count + count // 10):
        start = clock()
        call()
        end = clock()
        if index >= count // 10:
            samples.append((end - start) / 1e3)
    return median(samples)


class Prepared:
    """The smallest DLPack producer: each call hands out a capsule made in advance."""

    def __init__(self, capsules: list[Any], device: tuple[int, int]) -> None:
        self._capsules = capsules
        self._device = device

    def __dlpack__(self, **_: Any) -> Any:
        return self._capsules.pop()

    def __dlpack_device__(self) -> tuple[int, int]:
        return self._device


def floor_us(torch: Any, like: Any, count: int = CALLS) -> float:
    """Torch's own floor: ``torch.from_dlpack`` of a producer handing out capsules torch made in
    advance from `like` (a CUDA tensor), median µs of `count` calls."""
    capsules = [like.__dlpack__() for _ in range(count + count // 10)]
    device = like.__dlpack_device__()
    return median_us(lambda: torch.from_dlpack(Prepared(capsules, device)), count)


def run(rig: Rig) -> Section:
    section = Section(
        "Views: host µs to hand imported memory to PyTorch, ours ÷ torch's floor",
        f"Median of {CALLS} calls after {CALLS // 10} warm-up calls, 1 MiB of imported memory "
        "(a SharedAllocation through `to_cuda().map_buffer()`). Floor: `torch.from_dlpack` of a "
        "producer whose `__dlpack__` returns a capsule torch prepared in advance.",
        headers=["Call", "µs", "÷ torch floor"],
    )
    try:
        torch = importlib.import_module("torch")
    except ImportError as error:
        section.notes.append(f"skipped: PyTorch is not installed ({error})")
        return section
    count = CALLS
    with SharedAllocation(1 << 20, device=rig.env.device) as allocation, \
            allocation.to_cuda() as memory, memory.map_buffer() as mapped:
        view = mapped.view("uint8", (mapped.size,))
        device = f"cuda:{rig.env.device.ordinal}"
        source = torch.empty(mapped.size, dtype=torch.uint8, device=device)
        floor = floor_us(torch, source, count)
        fresh = median_us(lambda: torch.from_dlpack(mapped.view("uint8", (mapped.size,))), count)
        reused = median_us(lambda: torch.from_dlpack(view), count)
        interface = median_us(lambda: torch.as_tensor(view, device=source.device), count)
    section.add_row("torch floor: `from_dlpack` of a prepared capsule", number(floor, 2), "1.000")
    section.add_row("`torch.from_dlpack(mapped.view(...))` (view made each call)",
                    number(fresh, 2), ratio(fresh, floor))
    section.add_row("`torch.from_dlpack(view)` (view made once)", number(reused, 2),
                    ratio(reused, floor))
    section.add_row("`torch.as_tensor(view)` (`__cuda_array_interface__`)", number(interface, 2),
                    ratio(interface, floor))
    return section
