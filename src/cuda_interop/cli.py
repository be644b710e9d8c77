# SPDX-License-Identifier: Apache-2.0
"""The ``cuda-interop`` command: ``info``, ``selftest`` and ``bench``."""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Sequence
from typing import Any

from . import _core
from ._device import devices

_DESCRIPTION = ("Zero-copy import of Vulkan and Direct3D memory and semaphores into CUDA: "
                "devices and versions (info), the whole interop loop on this GPU (selftest), "
                "benchmarks (bench).")
_INT_MAX = 2**31 - 1  # CUDA device ordinals are C ints

_MEMORY_TYPES = {
    "linux": ["OPAQUE_FD"],
    "win32": ["OPAQUE_WIN32", "OPAQUE_WIN32_KMT", "D3D12_HEAP", "D3D12_RESOURCE",
              "D3D11_RESOURCE", "D3D11_RESOURCE_KMT"],
}
_SEMAPHORE_TYPES = {
    "linux": ["OPAQUE_FD", "TIMELINE_SEMAPHORE_FD"],
    "win32": ["OPAQUE_WIN32", "OPAQUE_WIN32_KMT", "D3D12_FENCE", "D3D11_FENCE", "KEYED_MUTEX",
              "KEYED_MUTEX_KMT", "TIMELINE_SEMAPHORE_WIN32"],
}


def _version(number: int) -> str:
    return f"{number // 1000}.{number % 1000 // 10}" if number else "none"


def _platform() -> str:
    return "win32" if sys.platform == "win32" else "linux"


def info() -> int:
    """Print devices, versions, handle types and producers; exit 0 even without a GPU."""
    from . import build_info

    print("cuda-interop", __import__("cuda_interop").__version__)
    driver = _core.driver_version()
    print(f"CUDA driver:  {_version(driver)}")
    print(f"CUDA runtime: {build_info.runtime} (static), "
          f"minimum driver: {build_info.minimum_driver}")
    if driver and driver // 1000 < build_info.runtime_version // 1000:
        print(f"  the driver (CUDA {_version(driver)}) is older than this build needs: update "
              f"the NVIDIA driver to {build_info.minimum_driver} or newer")
    try:
        found = devices()
    except _core.CudaError as error:
        print(f"CUDA devices: unavailable ({error})")
        found = []
    if not found:
        print("CUDA devices: none (no NVIDIA GPU or no usable driver)")
    for device in found:
        major, minor = device.compute_capability
        print(f"  [{device.ordinal}] {device.name}  sm_{major}{minor}  "
              f"{device.total_memory / 2**30:.1f} GiB  PCI {device.pci_bus_id}")
        print(f"      UUID GPU-{uuid.UUID(bytes=device.uuid)}")
        if device.luid is not None:
            print(f"      LUID {device.luid.hex()}  node mask {device.node_mask:#x}")
    platform = _platform()
    print(f"Memory handle types here:    {', '.join(_MEMORY_TYPES[platform])}")
    print(f"Semaphore handle types here: {', '.join(_SEMAPHORE_TYPES[platform])}")
    for line in _producer_lines(found):
        print(line)
    return 0


def _producer_lines(cuda_devices: Sequence[Any]) -> list[str]:
    """Which native producers this build has, and which CUDA device each of their devices is."""
    return _vulkan_lines(cuda_devices) + _d3d12_lines(cuda_devices)


def _vulkan_lines(cuda_devices: Sequence[Any]) -> list[str]:
    from . import vulkan

    if not vulkan.available:
        return [f"Vulkan producer: unavailable ({vulkan.unavailable_reason})"]
    try:
        physical = vulkan.physical_devices()
    except Exception as error:
        return [f"Vulkan producer: built, but no Vulkan ({error})"]
    lines = [f"Vulkan producer: {len(physical)} physical device(s)"]
    for device in physical:
        match = [d.ordinal for d in cuda_devices if d.uuid == device.uuid]
        matched = f"matches CUDA device {match[0]}" if match else "no CUDA device"
        lines.append(f"  {device.name}: {matched}")
    return lines


def _d3d12_lines(cuda_devices: Sequence[Any]) -> list[str]:
    from . import d3d12

    if not d3d12.available:
        return [f"Direct3D 12 producer: unavailable ({d3d12.unavailable_reason})"]
    lines = ["Direct3D 12 producer: available"]
    for adapter in d3d12.adapters():
        match = [d.ordinal for d in cuda_devices if d.luid == adapter.luid]
        matched = f"matches CUDA device {match[0]}" if match else "no CUDA device"
        lines.append(f"  {adapter.description}: {matched}")
    return lines


def _version_line() -> str:
    from . import build_info

    return (f"cuda-interop {__import__('cuda_interop').__version__} (CUDA runtime "
            f"{build_info.runtime}, static; minimum driver {build_info.minimum_driver})")


def _device_ordinal(text: str) -> int:
    try:
        ordinal = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a device ordinal: {text!r}") from None
    if not 0 <= ordinal <= _INT_MAX:
        raise argparse.ArgumentTypeError(
            f"{ordinal} is no CUDA device ordinal (0, 1, ...; see `cuda-interop info`)")
    return ordinal


def _no_gpu_reason(ordinal: int) -> str | None:
    """Why CUDA device `ordinal` cannot be used here, in words; None when it can."""
    from . import build_info

    driver = _core.driver_version()
    if driver == 0:
        return ("no usable CUDA driver/GPU: no NVIDIA driver was found (libcuda could not be "
                "loaded)")
    if driver // 1000 < build_info.runtime_version // 1000:
        return (f"no usable CUDA driver/GPU: the NVIDIA driver supports CUDA {_version(driver)}, "
                f"this build needs driver {build_info.minimum_driver} or newer")
    try:
        count = _core.device_count()
    except _core.CudaError as error:
        return f"no usable CUDA driver/GPU: {error}"
    if count == 0:
        return "no usable CUDA driver/GPU: the NVIDIA driver sees no CUDA device"
    if ordinal >= count:
        return (f"there is no CUDA device {ordinal}: this machine has {count} "
                f"(ordinals 0 to {count - 1})")
    return None


def selftest(ordinal: int) -> int:
    """Run the self-test on CUDA device `ordinal`; exit 1 with the reason where it cannot run."""
    reason = _no_gpu_reason(ordinal)
    if reason is not None:
        print(f"selftest cannot run: {reason}", file=sys.stderr)
        return 1
    from .selftest import run

    return run(ordinal)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cuda-interop", description=_DESCRIPTION)
    parser.add_argument("--version", action="version", version=_version_line())
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="CUDA devices, versions, handle types and producers")
    selftest_parser = commands.add_parser("selftest", help="run the whole interop loop on this GPU")
    selftest_parser.add_argument("--device", type=_device_ordinal, default=0,
                                 help="CUDA device ordinal (default 0)")
    bench = commands.add_parser("bench", help="run the benchmarks (see docs/performance.md)")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.add_argument("--json", metavar="PATH", help="also write every table as JSON there")
    bench.add_argument("--only", metavar="WORDS", default="",
                       help="comma-separated words: run just the benchmarks whose names contain "
                            "one (e.g. submission,pipelined)")
    args = parser.parse_args(argv)
    if args.command == "info":
        return info()
    if args.command == "selftest":
        return selftest(args.device)
    from .bench import run as run_bench

    only = [word.strip() for word in args.only.split(",") if word.strip()]
    return int(run_bench(quick=args.quick, json_path=args.json, only=only))
