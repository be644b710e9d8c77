# SPDX-License-Identifier: Apache-2.0
"""Everything a benchmark runs with: settings, the GPU, the array library, the producers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .arrays import DeviceArrays
from .environment import Environment
from .settings import Settings
from .slangpy_device import SlangpyDevice
from .vulkan_device import VulkanDevice


@dataclass
class Rig:
    """What :func:`cuda_interop.bench.run` hands every benchmark.

    Attributes
    ----------
    arrays, arrays_note:
        The CuPy or PyTorch kernels, or None and why.
    cpp_source:
        ``benchmarks/raw_overhead.cpp`` when it was found (the raw C++ baseline).
    slangpy:
        slangpy's Vulkan device for the comparison tables, opened on first use.
    """

    settings: Settings
    env: Environment
    arrays: DeviceArrays | None
    arrays_note: str
    vulkan: VulkanDevice
    cpp_source: Path | None
    slangpy: SlangpyDevice = field(default_factory=SlangpyDevice)
