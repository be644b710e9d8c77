# SPDX-License-Identifier: Apache-2.0
"""``benchmarks/raw_vulkan_pipeline.cpp``: the raw Vulkan + CUDA frame loop, run as a child.

``CUDA_INTEROP_RAW_PIPELINE`` names the built program (``scripts/gpu-test`` builds it with the C++
tests; the CMake option ``CUDA_INTEROP_BUILD_BENCHMARKS`` does too). Its output lines:
``<bytes> <µs per frame>`` (one frame per hand-off), ``<bytes> <batch> <µs per frame>``
(``--batch``), ``ping-pong <µs per round trip>`` (``--ping-pong``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field

PROGRAM_VARIABLE = "CUDA_INTEROP_RAW_PIPELINE"
PING_PONG = "ping-pong"


@dataclass
class RawResults:
    """What one run of the program printed.

    Attributes
    ----------
    single:
        µs per frame by frame bytes, one frame per hand-off.
    batched:
        µs per frame by (frame bytes, frames per hand-off).
    ping_pong:
        µs per no-work Vulkan → CUDA → Vulkan round trip, or None.
    """

    single: dict[int, float] = field(default_factory=dict)
    batched: dict[tuple[int, int], float] = field(default_factory=dict)
    ping_pong: float | None = None


def parse(text: str) -> RawResults:
    """The program's output as :class:`RawResults`; lines of any other shape are ignored."""
    results = RawResults()
    for line in text.splitlines():
        parts = line.split()
        try:
            if len(parts) == 2 and parts[0] == PING_PONG:
                results.ping_pong = float(parts[1])
            elif len(parts) == 2:
                results.single[int(parts[0])] = float(parts[1])
            elif len(parts) == 3:
                results.batched[int(parts[0]), int(parts[1])] = float(parts[2])
        except ValueError:
            continue
    return results


def arguments(uuid: str, frames: int, sizes: Sequence[int] = (), batches: Sequence[int] = (),
              ping_pong: int = 0) -> list[str]:
    """The program's command-line arguments (without the program)."""
    command = ["--uuid", uuid, "--frames", str(frames)]
    if batches:
        command += ["--batch", ",".join(str(batch) for batch in batches)]
    if ping_pong:
        command += ["--ping-pong", str(ping_pong)]
    return command + [str(size) for size in sizes]


def run(args: Sequence[str], timeout: float = 300) -> RawResults | str:
    """Run the program with `args`: its results, or why there are none."""
    program = os.environ.get(PROGRAM_VARIABLE)
    if not program or not os.path.isfile(program):
        return f"set {PROGRAM_VARIABLE} to the built raw_vulkan_pipeline"
    try:
        done = subprocess.run([program, *args], capture_output=True, text=True, timeout=timeout,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"raw_vulkan_pipeline did not run: {error}"
    if done.returncode != 0:
        return f"raw_vulkan_pipeline failed: {done.stderr.strip()}"
    return parse(done.stdout)
