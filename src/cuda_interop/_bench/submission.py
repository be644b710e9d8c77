# SPDX-License-Identifier: Apache-2.0
"""Vulkan submission: host time of ``Context.submit`` and of a small transfer, ours ÷ raw C++.

The raw baseline (``benchmarks/raw_vulkan_submit.cpp``) makes the calls ours makes — an empty
``vkQueueSubmit`` that signals a reused timeline semaphore, and for the blocking form a host
``vkWaitSemaphores`` on it — on its own Vulkan device for the same GPU, in a child process.
``CUDA_INTEROP_RAW_VULKAN`` names the executable (the CMake option
``CUDA_INTEROP_BUILD_BENCHMARKS`` builds it); without it the C++ column reads n/a.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from .report import NOT_MEASURED, Section, median, number
from .rig import Rig

EXECUTABLE_VARIABLE = "CUDA_INTEROP_RAW_VULKAN"
ROUNDS = 3


def _median_us(call: Callable[[], object], warmup: int, iterations: int) -> float:
    clock = time.perf_counter_ns
    samples = []
    for index in range(warmup + iterations):
        start = clock()
        call()
        end = clock()
        if index >= warmup:
            samples.append((end - start) / 1e3)
    return median(samples)


def _raw(rig: Rig) -> dict[str, float] | str:
    """{"submit": µs, "submit_wait": µs} from the C++ baseline, or why there is none."""
    program = os.environ.get(EXECUTABLE_VARIABLE)
    if not program or not Path(program).is_file():
        return f"set {EXECUTABLE_VARIABLE} to the built raw_vulkan_submit"
    settings = rig.settings
    command = [program, "--uuid", rig.env.device.uuid.hex(),
               "--warmup", str(settings.overhead_warmup),
               "--iterations", str(settings.overhead_iterations * 2)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{Path(program).name} did not run: {error}"
    if done.returncode != 0:
        return f"{Path(program).name} failed: {done.stderr.strip()}"
    results = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        results[name] = float(value)
    return results


def run(rig: Rig) -> Section:
    """The submission table: median host µs per call."""
    settings = rig.settings
    section = Section(
        "Vulkan submission: host µs per call, ours ÷ raw C++",
        "Host time of one call (`time.perf_counter_ns`; `std::chrono` in C++), median of "
        f"{settings.overhead_iterations * 2} after {settings.overhead_warmup} warm-up calls, "
        "on an idle GPU. Non-blocking: returns once submitted. Blocking: submitted and waited "
        "for on the host. Raw C++: `vkQueueSubmit` signalling a reused timeline semaphore "
        "(+ `vkWaitSemaphores`), no command buffer, no fence "
        f"(`benchmarks/raw_vulkan_submit.cpp`). The two take turns, {ROUNDS} rounds each; the "
        "table gives the median of the rounds, and of their ratios.",
        headers=["Call", "ours µs", "raw C++ µs", "ours ÷ C++"],
    )
    context = rig.vulkan.context
    if context is None:
        section.notes.append(f"skipped: Vulkan {rig.vulkan.description}")
        return section
    warmup, iterations = settings.overhead_warmup, settings.overhead_iterations * 2
    rounds: list[tuple[dict[str, float], dict[str, float]]] = []
    for _ in range(ROUNDS):  # the GPU's state drifts: ours and raw C++ take turns
        ours = {"submit": _median_us(lambda: context.submit(block=False), warmup, iterations)}
        context.wait_idle()
        ours["submit_wait"] = _median_us(context.submit, warmup, iterations)
        raw = _raw(rig)
        if isinstance(raw, str):
            section.notes.append(f"C++ column skipped: {raw}")
            rounds = [(ours, {})]
            break
        rounds.append((ours, raw))
    with context.create_buffer(4096) as buffer:
        fill_async = _median_us(lambda: buffer.fill(0, block=False), warmup, iterations)
        context.wait_idle()
        fill_wait = _median_us(buffer.fill, warmup, iterations)
    for name, label in (("submit", "`submit(block=False)`"),
                        ("submit_wait", "`submit()` (blocking)")):
        ours_us = median([ours[name] for ours, _ in rounds])
        raw_us = [raw[name] for _, raw in rounds if name in raw]
        ratios = [ours[name] / raw[name] for ours, raw in rounds if raw.get(name)]
        section.add_row(label, number(ours_us, 2), number(median(raw_us) if raw_us else None, 2),
                        f"{median(ratios):.3f}" if ratios else NOT_MEASURED)
    section.add_row("`Buffer.fill(block=False)` (4 KiB, recorded each call)",
                    number(fill_async, 2), NOT_MEASURED, NOT_MEASURED)
    section.add_row("`Buffer.fill()` (blocking)", number(fill_wait, 2), NOT_MEASURED,
                    NOT_MEASURED)
    return section
