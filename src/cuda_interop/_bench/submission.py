# SPDX-License-Identifier: Apache-2.0
"""Vulkan submission: host time of ``Context.submit`` and of a small transfer, ours ÷ raw C++.

The raw baseline (``benchmarks/raw_vulkan_submit.cpp``) makes the calls ours makes — an empty
``vkQueueSubmit`` that signals a reused timeline semaphore, and for the blocking form a host
``vkWaitSemaphores`` on it — on its own Vulkan device for the same GPU, in a child process.
``CUDA_INTEROP_RAW_VULKAN`` names the executable (the CMake option
``CUDA_INTEROP_BUILD_BENCHMARKS`` builds it); without it the C++ column reads n/a. The core
column (``benchmarks/core_vulkan_submit.cpp``, ``CUDA_INTEROP_CORE_VULKAN``) is the package's C++
core making the same submissions: what the Python call adds is the difference.
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
CORE_VARIABLE = "CUDA_INTEROP_CORE_VULKAN"
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


def _program(rig: Rig, variable: str, name: str,
             options: tuple[str, ...] = ()) -> dict[str, float] | str:
    """{"submit": µs, "submit_wait": µs} from a C++ program (its path in `variable`), or why
    there is none."""
    program = os.environ.get(variable)
    if not program or not Path(program).is_file():
        return f"set {variable} to the built {name}"
    settings = rig.settings
    command = [program, "--uuid", rig.env.device.uuid.hex(),
               "--warmup", str(settings.overhead_warmup),
               "--iterations", str(settings.overhead_iterations * 2), *options]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{name} did not run: {error}"
    if done.returncode != 0:
        return f"{name} failed: {done.stderr.strip()}"
    results = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition(" ")
        results[key] = float(value)
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
        "(`benchmarks/raw_vulkan_submit.cpp`), on a device created as an interop application "
        "creates it (`--interop`: the external memory and semaphore extensions enabled, as "
        "the package enables them); plain device: the same without them. Core C++: the "
        "package's C++ core making the same submissions, without Python "
        "(`benchmarks/core_vulkan_submit.cpp`). They take turns, "
        f"{ROUNDS} rounds each; the table gives the median of the rounds, and of their ratios.",
        headers=["Call", "Python µs", "core C++ µs", "raw C++ µs", "Python ÷ raw",
                 "core ÷ raw", "raw C++, plain device µs"],
    )
    context = rig.vulkan.context
    if context is None:
        section.notes.append(f"skipped: Vulkan {rig.vulkan.description}")
        return section
    warmup, iterations = settings.overhead_warmup, settings.overhead_iterations * 2
    rounds: list[dict[str, dict[str, float]]] = []
    missing: dict[str, str] = {}
    for _ in range(ROUNDS):  # the GPU's state drifts: they take turns
        ours = {"submit": _median_us(lambda: context.submit(block=False), warmup, iterations)}
        context.wait_idle()
        ours["submit_wait"] = _median_us(context.submit, warmup, iterations)
        measured = {"python": ours}
        for key, variable, name, options in (
                ("core", CORE_VARIABLE, "core_vulkan_submit", ()),
                ("raw", EXECUTABLE_VARIABLE, "raw_vulkan_submit", ("--interop",)),
                ("plain", EXECUTABLE_VARIABLE, "raw_vulkan_submit", ())):
            result = _program(rig, variable, name, options)
            if isinstance(result, str):
                missing[key] = result
            else:
                measured[key] = result
        rounds.append(measured)
    for key, why in missing.items():
        section.notes.append(f"{key} C++ column skipped: {why}")
    with context.create_buffer(4096) as buffer:
        fill_async = _median_us(lambda: buffer.fill(0, block=False), warmup, iterations)
        context.wait_idle()
        fill_wait = _median_us(buffer.fill, warmup, iterations)

    def column(key: str, call: str) -> float | None:
        values = [measured[key][call] for measured in rounds if call in measured.get(key, {})]
        return median(values) if values else None

    def ratio_of(key: str, call: str) -> str:
        ratios = [measured[key][call] / measured["raw"][call] for measured in rounds
                  if measured.get(key, {}).get(call) and measured.get("raw", {}).get(call)]
        return f"{median(ratios):.3f}" if ratios else NOT_MEASURED

    for call, label in (("submit", "`submit(block=False)`"),
                        ("submit_wait", "`submit()` (blocking)")):
        section.add_row(label, number(column("python", call), 2), number(column("core", call), 2),
                        number(column("raw", call), 2), ratio_of("python", call),
                        ratio_of("core", call), number(column("plain", call), 2))
    for label, value in (("`Buffer.fill(block=False)` (4 KiB, recorded each call)", fill_async),
                         ("`Buffer.fill()` (blocking)", fill_wait)):
        section.add_row(label, number(value, 2), *[NOT_MEASURED] * 5)
    return section
