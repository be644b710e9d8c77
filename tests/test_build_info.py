# SPDX-License-Identifier: Apache-2.0
"""The built extension needs nothing newer than CUDA 12.0's driver (CPU only).

It links no CUDA library (the runtime is static, the driver is reached through the runtime's
entry-point query), and every driver entry point it asks for exists in CUDA 12.0's driver API
(tests/data/cuda-12.0-driver-api.txt, made from 12.0's cuda.h by scripts/driver-api-list) at
12.0's ABI. CUDA_INTEROP_EXPECT_RUNTIME=12 (set by scripts/wheel-check) also asserts the runtime.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cuda_interop import _core, build_info

DRIVER_API_12_0 = Path(__file__).parent / "data" / "cuda-12.0-driver-api.txt"
_LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF checks")


def _driver_api_12_0() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for line in DRIVER_API_12_0.read_text().splitlines():
        if line and not line.startswith("#"):
            name, symbol = line.split()
            names.setdefault(name, set()).add(symbol)
    return names


def _extensions() -> list[Path]:
    """The extension modules as imported (an editable install keeps them apart from the .py)."""
    found = [Path(_core.__file__)]
    for name in ("_vulkan", "_d3d12"):
        try:
            module = importlib.import_module(f"cuda_interop.{name}")
        except ImportError:
            continue
        found.append(Path(str(module.__file__)))
    return found


def test_build_info_matches_the_extension() -> None:
    assert build_info.runtime_version == _core.runtime_version()
    assert build_info.runtime == (f"{build_info.runtime_version // 1000}."
                                  f"{build_info.runtime_version % 1000 // 10}")
    expected = {12: ("525.60.13", "527.41"), 13: ("580.65.06", "580.88")}
    linux, windows = expected[build_info.runtime_version // 1000]
    assert build_info.minimum_driver == (windows if sys.platform == "win32" else linux)


def test_runtime_is_the_expected_major_version() -> None:
    wanted = os.environ.get("CUDA_INTEROP_EXPECT_RUNTIME")
    if not wanted:
        pytest.skip("CUDA_INTEROP_EXPECT_RUNTIME not set (the wheel build sets 12)")
    assert build_info.runtime_version // 1000 == int(wanted), build_info.runtime


def test_driver_entry_points_exist_in_cuda_12_0() -> None:
    api = _driver_api_12_0()
    assert "cuMemCreate" in api and "cuGetProcAddress" in api  # the list is what it claims
    assert build_info.driver_entry_point_version == 12000
    assert build_info.driver_entry_points
    for name in build_info.driver_entry_points:
        # cuGetProcAddress takes the name without its _vN suffix; the version picks the ABI
        assert not re.search(r"_v\d+$", name), name
        assert name in api, f"{name} is not in CUDA 12.0's driver API"


def _elf(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (binutils) not installed")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


@_LINUX_ONLY
def test_extensions_need_no_cuda_or_vulkan_library() -> None:
    for extension in _extensions():
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]",
                            _elf("readelf", "-d", str(extension)))
        assert not [lib for lib in needed if re.match(r"lib(cuda|cudart|nv|vulkan)", lib)], \
            (extension.name, needed)


@_LINUX_ONLY
def test_extensions_call_no_cuda_function_dynamically() -> None:
    for extension in _extensions():
        undefined = _elf("nm", "-D", "--undefined-only", str(extension)).split()
        assert not [s for s in undefined if re.match(r"(cu|cuda|vk)[A-Z]", s)], extension.name
