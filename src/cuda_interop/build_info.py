# SPDX-License-Identifier: Apache-2.0
"""What this build of cuda-interop was made with, and what it needs from the machine.

The CUDA runtime is linked statically; any runtime of one CUDA major release runs on the first
driver of that release (CUDA minor-version compatibility), so a build with a 12.x runtime runs on
drivers >= 525.60.13 (Linux) / 527.41 (Windows), including 13.x drivers.

Examples
--------
>>> from cuda_interop import build_info
>>> build_info.runtime_version, build_info.minimum_driver   # e.g. (12090, '525.60.13')
"""

from __future__ import annotations

import cuda_interop._core as _core

from ._namespace import public_dir as _public_dir

__dir__ = _public_dir(__name__)
__all__ = ["driver_entry_point_version", "driver_entry_points", "minimum_driver",
           "runtime", "runtime_version"]

#: CUDART_VERSION of the static CUDA runtime this was built with, e.g. 12090.
runtime_version: int = int(_core.runtime_version())
#: The same as text, e.g. "12.9".
runtime: str = f"{runtime_version // 1000}.{runtime_version % 1000 // 10}"
#: The oldest NVIDIA driver this build runs on, on this platform, e.g. "525.60.13".
minimum_driver: str = str(_core.minimum_driver_version())

_entry_point_version, _entry_points = _core.driver_entry_points()
#: The CUDA version whose ABI the driver entry points are asked for (12000: CUDA 12.0's).
driver_entry_point_version: int = int(_entry_point_version)
#: The driver API functions the package reaches through cudaGetDriverEntryPoint[ByVersion].
driver_entry_points: tuple[str, ...] = tuple(_entry_points)
