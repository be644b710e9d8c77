# SPDX-License-Identifier: Apache-2.0
"""Views: the host cost of handing imported memory to PyTorch, against torch's own floor.

Ours: ``view.to_torch()`` (the DLPack C exchange API, no Python protocol), and
``torch.from_dlpack(mapped.view("uint8", (n,)))`` (a view made and consumed per call), each also
with the view made once. Floor: ``torch.from_dlpack`` of a minimal producer whose ``__dlpack__``
returns a capsule prepared in advance (by torch itself), so only torch's import of a capsule is
timed. Also ``torch.as_tensor`` on ``__cuda_array_interface__``, and slangpy's
``Buffer.to_torch`` where slangpy is installed, for reference.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import Any

from .. import _handoff
from .._shared_allocation import SharedAllocation
from .report import Section, median, number, ratio
from .rig import Rig
from .slangpy_device import describe_error

CALLS = 2000
# The C exchange API hand-off's target: this many µs per tensor, and this fraction of the floor.
TARGET_US = 1.0
TARGET_RATIO = 0.2


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


def slangpy_to_torch_us(rig: Rig, torch: Any, nbytes: int, count: int = CALLS) -> float | str:
    """slangpy's ``Buffer.to_torch(DataType.uint8, [n])`` of a shared Vulkan buffer (as
    :func:`.slangpy_compare.views` times it), median µs, or why it cannot be timed."""
    device = rig.slangpy.open(rig.env.device, torch)
    if isinstance(device, str):
        return device
    spy = rig.slangpy.module
    assert spy is not None
    try:
        buffer = device.create_buffer(
            size=nbytes, usage=spy.BufferUsage.shared | spy.BufferUsage.copy_destination)
        shape, uint8 = [nbytes], spy.DataType.uint8
        buffer.to_torch(uint8, shape)  # the first call imports the buffer into CUDA
        return median_us(lambda: buffer.to_torch(uint8, shape), count)
    except Exception as error:  # a failure inside slangpy: a note, the table goes on
        return f"slangpy {rig.slangpy.version} failed: {describe_error(error)}"
    finally:
        torch.cuda.synchronize()


def run(rig: Rig) -> Section:
    section = Section(
        "Views: host µs to hand imported memory to PyTorch, ours ÷ torch's floor",
        f"Median of {CALLS} calls after {CALLS // 10} warm-up calls, 1 MiB of imported memory "
        "(a SharedAllocation through `to_cuda().map_buffer()`). Floor: `torch.from_dlpack` of a "
        "producer whose `__dlpack__` returns a capsule torch prepared in advance. "
        "`view.to_torch()` goes through torch's DLPack C exchange API "
        "(`torch.Tensor.__dlpack_c_exchange_api__`) where it has one.",
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
        if view.to_torch().data_ptr() != mapped.ptr:
            raise AssertionError("view.to_torch() is not a view of the mapping")
        c_api = median_us(view.to_torch, count)
        c_api_fresh = median_us(lambda: mapped.view("uint8", (mapped.size,)).to_torch(), count)
        fresh = median_us(lambda: torch.from_dlpack(mapped.view("uint8", (mapped.size,))), count)
        reused = median_us(lambda: torch.from_dlpack(view), count)
        interface = median_us(lambda: torch.as_tensor(view, device=source.device), count)
        torch.cuda.synchronize()
    route = _handoff.route(torch.Tensor)
    how = ("the C exchange API" if route.api is not None
           else f"`torch.from_dlpack`: {route.reason}")
    section.add_row("torch floor: `from_dlpack` of a prepared capsule", number(floor, 2), "1.000")
    section.add_row(f"`view.to_torch()` ({how}, view made once)", number(c_api, 2),
                    ratio(c_api, floor))
    section.add_row("`mapped.view(...).to_torch()` (view made each call)", number(c_api_fresh, 2),
                    ratio(c_api_fresh, floor))
    section.add_row("`torch.from_dlpack(mapped.view(...))` (view made each call)",
                    number(fresh, 2), ratio(fresh, floor))
    section.add_row("`torch.from_dlpack(view)` (view made once)", number(reused, 2),
                    ratio(reused, floor))
    section.add_row("`torch.as_tensor(view)` (`__cuda_array_interface__`)", number(interface, 2),
                    ratio(interface, floor))
    theirs = slangpy_to_torch_us(rig, torch, 1 << 20, count)
    if isinstance(theirs, str):
        section.notes.append(f"slangpy row skipped: {theirs}")
    else:
        section.add_row(f"slangpy {rig.slangpy.version}: `buffer.to_torch(DataType.uint8, [n])`",
                        number(theirs, 2), ratio(theirs, floor))
    met = c_api <= TARGET_US and c_api <= TARGET_RATIO * floor
    section.notes.append(
        f"`view.to_torch()`: {number(c_api, 2)} µs, {c_api / floor:.2f} times torch's floor; "
        f"target ≤ {TARGET_US:g} µs and ≤ {TARGET_RATIO:g} times the floor: "
        f"{'met' if met else 'NOT met'} (PyTorch {torch.__version__}).")
    return section
