# SPDX-License-Identifier: Apache-2.0
"""``cuda-interop bench``: zero copy, overheads and frame hand-off, side by side, as Markdown.

Every benchmark compares against its baseline in the same run and reports the ratio; one whose
requirement is missing (CuPy/PyTorch, Vulkan, ``cuda.bindings``, a C++ compiler) says so and is
skipped. The output pastes into ``docs/performance.md``. The measurements live in
``cuda_interop._bench``; see ``benchmarks/README.md``.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from ._bench import (
    frame_batches,
    frame_handoff,
    latency,
    overheads,
    slangpy_compare,
    submission,
    views,
    zero_copy,
)
from ._bench.arrays import load as load_arrays
from ._bench.environment import header_lines, probe
from ._bench.raw_cpp import find_source
from ._bench.report import Section
from ._bench.rig import Rig
from ._bench.settings import Settings
from ._bench.vulkan_device import VulkanDevice
from ._device import EXIT_CANNOT_RUN

NO_GPU = EXIT_CANNOT_RUN  # no usable GPU: the exit code of every command that cannot run
Benchmark = Callable[[Rig], Section]
BENCHMARKS: tuple[tuple[str, Benchmark], ...] = (
    ("Zero copy", zero_copy.run),
    ("Overheads", overheads.run),
    ("Vulkan submission", submission.run),
    ("Views", views.run),
    ("Frame hand-off", frame_handoff.run),
    ("Pipelined frame loop", frame_handoff.pipelined),
    ("Batched frame loop", frame_batches.run),
    ("Frame latency", latency.run),
    ("Compared with slangpy: views", slangpy_compare.views),
    ("Compared with slangpy: frame loop", slangpy_compare.frame_loop),
)


def _guarded(name: str, benchmark: Benchmark, rig: Rig) -> Section:
    """The benchmark's section; an unexpected error becomes a failed section (and a traceback)."""
    try:
        return benchmark(rig)
    except Exception as error:  # report, count, and go on with the next one
        traceback.print_exc(file=sys.stderr)
        return Section(name, "", notes=[f"FAILED: {type(error).__name__}: {error}"], failed=True)


def run(quick: bool = False, *, command: str | None = None,
        cpp_source: str | Path | None = None, device: int = 0,
        json_path: str | Path | None = None, only: Sequence[str] = ()) -> int:
    """Run every benchmark on CUDA device `device` and print Markdown tables.

    Parameters
    ----------
    quick:
        Fewer repetitions (about 30 s instead of 2 minutes).
    command:
        The command line to print in the header (default ``cuda-interop bench``).
    cpp_source:
        ``benchmarks/raw_overhead.cpp`` for the raw C++ column (default: looked up from the
        working directory and the source checkout).
    json_path:
        Also write every table as JSON there (``benchmarks/plot.py`` draws it).
    only:
        Run just the benchmarks whose names contain one of these words (any case), e.g.
        ``["submission", "pipelined"]``; empty runs all.

    Returns
    -------
    int
        0 when every benchmark ran (skipped rows included), 1 when one failed, 77
        (``cli.EXIT_CANNOT_RUN``) when there is no usable GPU.
    """
    env = probe(device)
    if isinstance(env, str):
        print(f"cuda-interop bench cannot run: {env}")
        return NO_GPU
    settings = Settings.for_mode(quick)
    arrays, arrays_note = load_arrays()
    vulkan = VulkanDevice.open(env.device)
    failures = 0
    rig = None
    try:
        source = find_source(None if cpp_source is None else Path(cpp_source))
        rig = Rig(settings, env, arrays, arrays_note, vulkan, source)
        command = command or ("cuda-interop bench --quick" if quick else "cuda-interop bench")
        extras = [f"Kernels: {arrays_note}", f"Vulkan: {vulkan.description}"]
        header = header_lines(env, command, extras)
        print("\n".join(header), flush=True)
        sections = []
        words = [word.lower() for word in only]
        for name, benchmark in BENCHMARKS:
            if words and not any(word in name.lower() for word in words):
                continue
            section = _guarded(name, benchmark, rig)
            failures += section.failed
            sections.append(section)
            print(section.markdown(), flush=True)
        if json_path is not None:
            document = {"header": header, "sections": [s.as_dict() for s in sections]}
            Path(json_path).write_text(json.dumps(document, indent=1) + "\n")
    finally:
        if rig is not None:
            rig.slangpy.close()
        vulkan.close()
    return 1 if failures else 0
