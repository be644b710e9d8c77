# SPDX-License-Identifier: Apache-2.0
"""The machine a run measured: GPU, driver, versions, date. Printed above every table."""

from __future__ import annotations

import datetime
import platform
import shutil
import subprocess
from dataclasses import dataclass

import numpy as np

from .. import _core
from .._device import Device, devices


@dataclass(frozen=True)
class Environment:
    """The CUDA device every benchmark runs on, and what the report header says about it."""

    device: Device
    driver: str
    runtime: str


def _cuda_version(number: int) -> str:
    return f"{number // 1000}.{number % 1000 // 10}" if number else "none"


def _nvidia_smi_driver() -> str | None:
    """The display driver's version (e.g. 580.65.06), which the CUDA version alone hides."""
    executable = shutil.which("nvidia-smi")
    if executable is None:
        return None
    try:
        result = subprocess.run([executable, "--query-gpu=driver_version", "--format=csv,noheader"],
                                capture_output=True, text=True, timeout=20, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.strip().splitlines()
    return lines[0].strip() if lines else None


def probe(ordinal: int = 0) -> Environment | str:
    """The environment, or why no benchmark can run here (no GPU, no driver)."""
    try:
        found = devices()
    except _core.CudaError as error:
        return f"CUDA is unusable here ({error})"
    if not found:
        return "no CUDA device (no NVIDIA GPU or no usable driver)"
    if ordinal >= len(found):
        return f"no CUDA device {ordinal} ({len(found)} found)"
    cuda_driver = _cuda_version(_core.driver_version())
    display_driver = _nvidia_smi_driver()
    driver = f"{display_driver} (CUDA {cuda_driver})" if display_driver else f"CUDA {cuda_driver}"
    return Environment(found[ordinal], driver, _cuda_version(_core.runtime_version()))


def header_lines(env: Environment, command: str, extras: list[str]) -> list[str]:
    """The Markdown header: what ran, where and when."""
    device = env.device
    major, minor = device.compute_capability
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    from .. import __version__

    return [
        "## cuda-interop benchmarks",
        "",
        f"- GPU: {device.name} (sm_{major}{minor}, {device.total_memory / 2**30:.0f} GiB), "
        f"CUDA device {device.ordinal}",
        f"- Driver: {env.driver}; CUDA runtime {env.runtime} (static)",
        f"- Date: {now}",
        f"- Command: `{command}`",
        f"- cuda-interop {__version__}, Python {platform.python_version()}, "
        f"NumPy {np.__version__}, {platform.system()} {platform.release()}",
        *(f"- {line}" for line in extras),
        "",
    ]
